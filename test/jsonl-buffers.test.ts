// The fast JSON Lines' buffers reused (jsonl-fast.ts reuseBuffers): a consumer that is done with
// each buffer by the time it asks for the one after the next (its write running meanwhile:
// io/overlapped.ts) gets the same bytes as one that keeps them all, from fewer buffers (a fresh
// 2 MiB buffer costs the kernel's page faults).

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { jsonlChunks } from "../src/api/jsonl-fast.js";
import { writeOverlapped } from "../src/io/overlapped.js";

const SEED = join(__dirname, "../../shared/corpus/strace-6.1/pipeline_tt_T_f.strace");
const dir = mkdtempSync(join(tmpdir(), "strace-seq-buffers-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A real -f -tt -T trace repeated to ~3 MB: ~12 MB of JSON, several of the 2 MiB buffers. */
function input(): string {
  const seed = readFileSync(SEED);
  const file = join(dir, "repeated.strace");
  writeFileSync(file, Buffer.concat(Array.from({ length: Math.ceil(3e6 / seed.length) }, () => seed)));
  return file;
}

/** Copies of the buffers handed out (taken before the next is asked for), and how many distinct
 *  memory blocks they came from. */
async function read(file: string, reuseBuffers: boolean): Promise<{ bytes: Buffer; buffers: number; blocks: number }> {
  const copies: Buffer[] = [];
  const blocks = new Set<ArrayBufferLike>();
  const chunks = jsonlChunks(file, { engine: "wasm", reuseBuffers });
  for (let step = await chunks.next(); !step.done; step = await chunks.next()) {
    copies.push(Buffer.from(step.value));
    blocks.add(step.value.buffer);
  }
  return { bytes: Buffer.concat(copies), buffers: copies.length, blocks: blocks.size };
}

describe("JSON Lines with reused buffers", () => {
  it("gives the same bytes as fresh buffers, from fewer blocks of memory", async () => {
    const file = input();
    const fresh = await read(file, false);
    const reused = await read(file, true);
    expect(fresh.bytes.length).toBeGreaterThan(8 << 20);
    expect(reused.bytes.equals(fresh.bytes)).toBe(true);
    expect(fresh.blocks).toBe(fresh.buffers);
    expect(reused.buffers).toBe(fresh.buffers);
    // (the first few buffers grow from 64 KiB to 2 MiB; from then on two blocks take turns)
    expect(reused.blocks).toBeLessThanOrEqual(8);
    expect(reused.blocks).toBeLessThan(fresh.blocks);
  });

  it("leaves each buffer as it was handed out until the one after the next is asked for", async () => {
    const file = input();
    const fresh = await read(file, false);
    const chunks = jsonlChunks(file, { engine: "wasm", reuseBuffers: true });
    let previous: { buffer: Uint8Array; copy: Buffer } | undefined;
    let checked = 0;
    for (let step = await chunks.next(); !step.done; step = await chunks.next()) {
      // (the next buffer has been made: the one before it is still whole)
      if (previous) {
        expect(Buffer.from(previous.buffer).equals(previous.copy)).toBe(true);
        checked++;
      }
      previous = { buffer: step.value, copy: Buffer.from(step.value) };
    }
    expect(checked).toBeGreaterThan(4);
    // writes that read their buffer only when they end, after the next buffer is made, one at a
    // time (a file handle's appending writes must not overlap)
    const written: Buffer[] = [];
    let inFlight = 0;
    let most = 0;
    const slowWrite = (b: Uint8Array) => {
      most = Math.max(most, ++inFlight);
      return new Promise<void>((resolve) =>
        setTimeout(() => {
          written.push(Buffer.from(b));
          inFlight--;
          resolve();
        }, 5),
      );
    };
    const counts = await writeOverlapped(jsonlChunks(file, { engine: "wasm", reuseBuffers: true }), slowWrite);
    expect(Buffer.concat(written).equals(fresh.bytes)).toBe(true);
    expect(most).toBe(1);
    expect(counts.records).toBeGreaterThan(0);
  });

  it("reports a write that fails", async () => {
    const file = input();
    let writes = 0;
    const failing = async () => {
      if (++writes === 2) throw new Error("disk full");
    };
    await expect(writeOverlapped(jsonlChunks(file, { engine: "wasm", reuseBuffers: true }), failing)).rejects.toThrow("disk full");
  });
});
