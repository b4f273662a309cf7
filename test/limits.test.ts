// Limits and errors users meet: the CLI's report of bad input, the WASM engine's memory limit
// and growth, and a call held past the stitcher's maxHeld cap. (Split from robustness.test.ts,
// which keeps the property-based invariants.)

import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createParser } from "../src/api/core.js";
import { parseSync } from "../src/api/sync.js";
import type { TraceRecord } from "../src/model/record.js";
import { assertAccounted } from "./helpers/accounting.js";
import { SHARED, walk } from "./helpers/shared.js";

const CORPUS = SHARED + "/corpus";
const enc = new TextEncoder();

/** Records of `input` pushed to a fresh WASM parser in pieces cut at `cuts` (sorted offsets). */
async function parseCut(input: Uint8Array, cuts: number[]): Promise<TraceRecord[]> {
  const p = await createParser({ engine: "wasm" });
  const records: TraceRecord[] = [];
  let prev = 0;
  for (const c of cuts) {
    records.push(...p.push(input.slice(prev, c)));
    prev = c;
  }
  records.push(...p.push(input.slice(prev)));
  records.push(...p.end());
  return records;
}

describe("robustness: the CLI reports bad input usably", () => {
  const main = join(import.meta.dirname, "..", "dist", "cli", "main.js");
  const dir = mkdtempSync(join(tmpdir(), "strace-seq-robust-"));
  const garbage = join(dir, "garbage.strace");
  writeFileSync(
    garbage,
    [
      'openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3',
      "this is not strace output",
      'read(3, "abc, 3) = 3',
      "write(1, [[[{, 3) = 3",
      "\u0000\u00ff\u00fe garbage",
      "close(3) = 0",
    ].join("\n") + "\n",
  );
  const cli = (...args: string[]) => spawnSync(process.execPath, [main, ...args], { encoding: "utf8", timeout: 60_000 });

  it("--strict exits 1 and prints file:line:column: code: message", () => {
    const r = cli("parse", "--strict", "-q", garbage);
    expect(r.status).toBe(1);
    const lines = r.stderr
      .trim()
      .split("\n")
      .filter((l) => /:\d+:\d+: /.test(l));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const l of lines) expect(l).toMatch(/^.+:\d+:\d+: [a-z-]+: \S.*$/);
    expect(lines[0]).toMatch(/:2:1: not-strace: /);
    // every line still produced a record or a diagnostic on stdout
    const recs = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as TraceRecord);
    assertAccounted(6, recs, "cli");
  });

  it("without --strict the same file exits 0", () => {
    expect(cli("parse", "-q", garbage).status).toBe(0);
  });

  it("--max-diagnostics 2 caps the diagnostics written (records are all still written)", () => {
    const r = cli("parse", "--max-diagnostics", "2", "-q", garbage);
    const recs = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as TraceRecord);
    const diags = recs.filter((x) => x.type === "diagnostic");
    expect(diags.length).toBe(2);
    expect(recs.filter((x) => x.type === "syscall").length).toBeGreaterThanOrEqual(2);
    const all = cli("parse", "-q", garbage)
      .stdout.trim()
      .split("\n")
      .map((l) => JSON.parse(l) as TraceRecord);
    expect(all.filter((x) => x.type === "diagnostic").length).toBeGreaterThan(2);
  });

  it("an unreadable input exits 2 with a clear message", () => {
    const r = cli("parse", join(dir, "does-not-exist.strace"));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^strace-seq: .*(cannot read|no such file|does not exist|ENOENT)/im);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});

describe("robustness: WASM memory limit and growth", () => {
  it("a line too big for maxMemoryBytes gives a RangeError with a message, and the parser stays usable to the caller", async () => {
    const p = await createParser({ engine: "wasm", wasm: { maxMemoryBytes: 4 * 1024 * 1024 } });
    const line = enc.encode("write(1, " + "[".repeat(8 * 1024 * 1024) + "\n");
    let err: unknown;
    try {
      p.push(line);
      p.end();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RangeError);
    expect((err as Error).message).toMatch(/memory limit/i);
    expect((err as Error).message).toMatch(/maxMemoryBytes/);
  });

  it("a string line larger than the limit is a RangeError too (input region)", async () => {
    const p = await createParser({ engine: "wasm", wasm: { maxMemoryBytes: 2 * 1024 * 1024 } });
    const line = enc.encode('write(1, "' + "a".repeat(6 * 1024 * 1024) + '", 1) = 1\n');
    expect(() => {
      p.push(line);
      p.end();
    }).toThrow(RangeError);
  });

  it("memory grows (views refreshed) over a multi-MB input: same records as the TS engine", async () => {
    const files = walk(CORPUS).filter((f) => /strace-6\.1\/[^/]*\.strace$/.test(f) && statSync(f).size > 50_000);
    const parts: Uint8Array[] = [];
    let total = 0;
    for (let i = 0; total < 12 * 1024 * 1024; i++) {
      const b = readFileSync(files[i % files.length]!);
      parts.push(b);
      total += b.length;
    }
    const input = new Uint8Array(total);
    let o = 0;
    for (const b of parts) {
      input.set(b, o);
      o += b.length;
    }
    const w = await createParser({ engine: "wasm" });
    const recsW: TraceRecord[] = [];
    // growing chunks: 1 KB, 2 KB, ... 8 MB so the input region is re-reserved several times
    let pos = 0;
    for (let size = 1024; pos < input.length; size = Math.min(size * 2, 8 << 20)) {
      recsW.push(...w.push(input.subarray(pos, pos + size)));
      pos += size;
    }
    recsW.push(...w.end());
    const t = parseSync(input);
    expect(recsW.length).toBe(t.records.length);
    expect(recsW).toStrictEqual(t.records);
    assertAccounted(input, recsW, "12 MB");
  });
});

// A call split at the end of its line ("read(0, ") followed by more than maxHeld (65,536) lines of
// program output before its continuation was once lost when streamed: the release past maxHeld
// gave the open call a fresh queue slot that was never queued (see src/model/stitch/queue.ts).
describe("robustness: a split call held past maxHeld (default options)", () => {
  it("is neither lost nor dependent on chunking", async () => {
    const input = enc.encode("read(0, \n" + "program output\n".repeat(70_000) + '"x", 1) = 1\n');
    const whole = await parseCut(input, []);
    const cuts: number[] = [];
    for (let i = 65536; i < input.length; i += 65536) cuts.push(i);
    const chunked = await parseCut(input, cuts);
    assertAccounted(input, whole, "one push");
    assertAccounted(input, chunked, "64 KB chunks");
    expect(chunked).toStrictEqual(whole);
  });
});
