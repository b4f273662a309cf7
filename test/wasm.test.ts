// The WASM plumbing: module shape, ABI handshake, line framing against a plain JS reference for
// both builds, table stop/grow behaviour and the memory limit.

import { describe, expect, it } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { ABI_VERSION, LineField } from "../src/core/abi.js";
import type { Engine } from "../src/engine/types.js";
import { createWasmEngine } from "../src/engine/wasm-engine.js";
import { SCALAR_WASM_BASE64, SIMD_WASM_BASE64 } from "../src/wasm/binary.js";
import { decodeBase64 } from "../src/wasm/decode.js";
import { CoreStatus as WasmStatus, type WasmExports } from "../src/engine/core-exports.js";
import { chooseFlavor, createWasmInstance, WasmInstance } from "../src/wasm/instance.js";
import { SHARED } from "./helpers/shared.js";

const CORPUS = SHARED + "/corpus/strace-6.1";
const corpusFiles = readdirSync(CORPUS)
  .filter((f) => f.endsWith(".strace"))
  .map((f) => join(CORPUS, f));
const enc = (s: string) => new TextEncoder().encode(s);

/** Reference framing: [start, end] per line, "\r\n" ending at the "\r", a final unterminated line ending at the end. */
function referenceFrames(buf: Uint8Array): number[] {
  const out: number[] = [];
  let start = 0;
  for (let i = 0; i < buf.length; i++) {
    if (buf[i] !== 0x0a) continue;
    out.push(start, i > start && buf[i - 1] === 0x0d ? i - 1 : i);
    start = i + 1;
  }
  if (start < buf.length) out.push(start, buf.length);
  return out;
}

/** A minimal driver: feeds `input` in pieces of the given sizes, carrying partial lines, and
 *  returns absolute [start, end] per line. Checks the engine contract on every batch. */
function scanAll(engine: Engine, input: Uint8Array, sizes: number[]): number[] {
  const frames: number[] = [];
  let base = 0;
  let carry = new Uint8Array(0);
  let pos = 0;
  let k = 0;
  do {
    const n = sizes.length ? sizes[k++ % sizes.length]! : input.length;
    const piece = input.subarray(pos, Math.min(input.length, pos + n));
    pos += piece.length;
    const final = pos >= input.length;
    let data = new Uint8Array(carry.length + piece.length);
    data.set(carry);
    data.set(piece, carry.length);
    for (;;) {
      const hasLine = data.includes(0x0a) || (final && data.length > 0);
      const b = engine.scan(data, final);
      if (hasLine) expect(b.lineCount).toBeGreaterThan(0);
      expect(b.bytes.length).toBe(data.length);
      expect(b.lines.length).toBe(b.lineCount * LineField.Stride);
      let prevNodeEnd = 0;
      for (let r = 0; r < b.lineCount; r++) {
        const row = r * LineField.Stride;
        frames.push(base + b.lines[row + LineField.Start]!, base + b.lines[row + LineField.End]!);
        expect(b.lines[row + LineField.NodeStart]).toBe(prevNodeEnd);
        prevNodeEnd = b.lines[row + LineField.NodeEnd]!;
      }
      expect(prevNodeEnd).toBe(b.nodeCount);
      base += b.consumed;
      data = data.subarray(b.consumed);
      if (b.lineCount === 0 || data.length === 0 || (!final && !data.includes(0x0a))) break;
    }
    if (final) expect(data.length).toBe(0);
    carry = data.slice();
  } while (pos < input.length);
  return frames;
}

/** Deterministic pseudo-random piece sizes (mulberry32). */
function randomSizes(seed: number, count: number, max: number): number[] {
  let a = seed >>> 0;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out.push((((t ^ (t >>> 14)) >>> 0) % max) + 1);
  }
  return out;
}

describe("WASM module", () => {
  it("imports only the host's number formatting, in either build", () => {
    for (const b64 of [SIMD_WASM_BASE64, SCALAR_WASM_BASE64]) {
      const mod = new WebAssembly.Module(decodeBase64(b64));
      expect(WebAssembly.Module.imports(mod)).toEqual([{ module: "env", name: "formatNumber", kind: "function" }]);
    }
  });

  it("reports the ABI version the library expects", async () => {
    for (const flavor of ["simd", "scalar"] as const) {
      const inst = await createWasmInstance({ flavor });
      expect(inst.exports.abiVersion()).toBe(ABI_VERSION);
      expect(inst.flavor).toBe(flavor);
    }
  });

  it("rejects a module with another ABI version", () => {
    const fake = { abiVersion: () => ABI_VERSION + 1 } as unknown as WasmExports;
    expect(() => new WasmInstance(fake, "scalar", 1 << 30)).toThrow(RangeError);
  });

  it("picks SIMD when available and honours STRACE_SEQ_WASM=scalar", () => {
    expect(chooseFlavor("auto")).toBe(WebAssembly.validate(decodeBase64(SIMD_WASM_BASE64)) ? "simd" : "scalar");
    const saved = process.env.STRACE_SEQ_WASM;
    process.env.STRACE_SEQ_WASM = "scalar";
    try {
      expect(chooseFlavor()).toBe("scalar");
      expect(chooseFlavor("simd")).toBe("simd"); // an explicit option wins over the env
    } finally {
      if (saved === undefined) delete process.env.STRACE_SEQ_WASM;
      else process.env.STRACE_SEQ_WASM = saved;
    }
  });
});

for (const flavor of ["simd", "scalar"] as const) {
  describe(`framing (${flavor})`, () => {
    it("matches the reference on the strace-6.1 corpus, whole and in random pieces", async () => {
      const engine = await createWasmEngine({ flavor });
      expect(corpusFiles.length).toBeGreaterThan(50);
      for (const [i, file] of corpusFiles.entries()) {
        const input = readFileSync(file);
        const want = referenceFrames(input);
        expect(scanAll(engine, input, []), file).toEqual(want);
        expect(scanAll(engine, input, randomSizes(i + 1, 64, 4096)), file).toEqual(want);
      }
    });

    const synthetic: Record<string, string> = {
      empty: "",
      "only newlines": "\n".repeat(3000),
      "CRLF endings": 'read(3, "a", 1) = 1\r\nclose(3) = 0\r\n\r\n',
      "no final newline": "close(3) = 0\nexit_group(0) = ?",
      "final line ending in CR": "a\nb\r",
      "lone CR inside a line": "a\rb\nc\r\r\n\r",
      "blank and whitespace lines": "\n  \n\t\nx\n",
      "single byte": "x",
      "single newline": "\n",
    };
    for (const [name, text] of Object.entries(synthetic)) {
      it(`frames ${name}`, async () => {
        const engine = await createWasmEngine({ flavor });
        const input = enc(text);
        const want = referenceFrames(input);
        expect(scanAll(engine, input, [])).toEqual(want);
        for (const size of [1, 2, 3, 7, 31, 64]) expect(scanAll(engine, input, [size])).toEqual(want);
      });
    }

    it("frames a 5 MB single line (with and without newline) and grows the input region", async () => {
      const engine = await createWasmEngine({ flavor });
      expect(scanAll(engine, enc("x\n"), [])).toEqual([0, 1]); // small first, so the big one must grow
      const big = new Uint8Array(5_000_000).fill(0x61);
      expect(scanAll(engine, big, [])).toEqual([0, big.length]);
      big[big.length - 1] = 0x0a;
      expect(scanAll(engine, big, [])).toEqual([0, big.length - 1]);
      expect(scanAll(engine, big, randomSizes(7, 16, 1 << 20))).toEqual([0, big.length - 1]);
    });

    it("does not scan an unterminated tail unless final", async () => {
      const engine = await createWasmEngine({ flavor });
      const b = engine.scan(enc("a\nbc"), false);
      expect([b.lineCount, b.consumed]).toEqual([1, 2]);
      const c = engine.scan(enc("bc"), false);
      expect([c.lineCount, c.consumed]).toEqual([0, 0]);
    });
  });
}

describe("table capacity", () => {
  it("stops at a line boundary when the line table is full", async () => {
    const inst = await createWasmInstance({ flavor: "scalar" });
    inst.reserve({ input: 1024, lines: 4, nodes: 16, rows: 0 }, "in a test");
    const text = enc("a\nbb\nccc\ndddd\neeeee\n");
    inst.u8.set(text, inst.exports.inputPtr());
    expect(inst.exports.scanChunk(text.length, 1, 0)).toBe(WasmStatus.LinesFull);
    expect(inst.exports.lineCount()).toBe(4);
    expect(inst.exports.consumed()).toBe(14);
  });

  it("splits a chunk of many short lines into several batches and grows for the next call", async () => {
    const engine = await createWasmEngine({ flavor: "simd" });
    const input = enc("\n".repeat(100_000));
    const first = engine.scan(input, true);
    expect(first.lineCount).toBeLessThan(100_000);
    expect(first.consumed).toBe(first.lineCount);
    const second = engine.scan(input.subarray(first.consumed), true);
    expect(second.lineCount).toBeGreaterThan(first.lineCount); // the line table doubled
  });

  it("throws a RangeError naming the memory limit instead of trapping", async () => {
    const engine = await createWasmEngine({ maxMemoryBytes: 2 * 1024 * 1024 });
    expect(() => engine.scan(new Uint8Array(5_000_000), true)).toThrow(/WASM memory limit of 2 MiB reached while copying a chunk of 5000000 bytes/);
  });

  it("grows the node table for one line that needs it, up to the memory limit", async () => {
    const line = enc("f(" + "1|".repeat(1_000_000) + "1) = 0\n"); // about one node per byte
    const roomy = await createWasmEngine();
    const b = roomy.scan(line, true);
    expect([b.lineCount, b.nodeCount]).toEqual([1, 2_000_006]);
    const tight = await createWasmEngine({ maxMemoryBytes: 14 * 1024 * 1024 });
    expect(() => tight.scan(line, true)).toThrow(/WASM memory limit of 14 MiB reached while scanning a line of 2000008 bytes/);
  });
});

describe("tight memory", () => {
  it("still makes progress when the table guesses do not fit", async () => {
    // 3 MB of short lines under a 4 MiB limit: the input fits, the generous tables do not.
    const input = enc("close(3) = 0\n".repeat(230_000));
    const engine = await createWasmEngine({ maxMemoryBytes: 4 * 1024 * 1024 });
    expect(scanAll(engine, input, [])).toEqual(referenceFrames(input));
  });
});
