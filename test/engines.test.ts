// Cross-check: the core (src/core) compiled to WASM and compiled by tsc (the TS engine)
// must write identical line and node tables for every file of the shared corpus, whatever the
// chunking. Tables are compared line by line after rebasing offsets to the file and node indices
// to the line, because the WASM engine may split a chunk into several batches when its tables fill.

import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { LineField, NodeField } from "../src/core/abi.js";
import { TsEngine } from "../src/engine/ts-engine.js";
import type { Engine } from "../src/engine/types.js";
import { createWasmEngine } from "../src/engine/wasm-engine.js";
import { SHARED, walk } from "./helpers/shared.js";

const CORPUS = SHARED + "/corpus";

/** One line's row and nodes, rebased: offsets absolute in the file, node links relative to the line. */
interface LineRec {
  row: number[];
  nodes: number[];
}

/** Feeds `input` to `engine` in pieces of `size` bytes (0 = whole), carrying partial lines. */
function scanFile(engine: Engine, input: Uint8Array, size: number): LineRec[] {
  const out: LineRec[] = [];
  let base = 0;
  let carry: Uint8Array = new Uint8Array(0);
  let pos = 0;
  do {
    const piece = input.subarray(pos, size ? Math.min(input.length, pos + size) : input.length);
    pos += piece.length;
    const final = pos >= input.length;
    let data = new Uint8Array(carry.length + piece.length);
    data.set(carry);
    data.set(piece, carry.length);
    for (;;) {
      const b = engine.scan(data, final);
      for (let r = 0; r < b.lineCount; r++) {
        const L = b.lines.subarray(r * LineField.Stride, (r + 1) * LineField.Stride);
        const n0 = L[LineField.NodeStart]!;
        const n1 = L[LineField.NodeEnd]!;
        const row = Array.from(L);
        row[LineField.Start]! += base;
        row[LineField.End]! += base;
        if (row[LineField.Err] !== 0) row[LineField.ErrAt]! += base;
        row[LineField.NodeStart] = 0;
        row[LineField.NodeEnd] = n1 - n0;
        const nodes = Array.from(b.nodes.subarray(n0 * NodeField.Stride, n1 * NodeField.Stride));
        for (let i = 0; i < nodes.length; i += NodeField.Stride) {
          nodes[i + NodeField.Start]! += base;
          nodes[i + NodeField.End]! += base;
          nodes[i + NodeField.Next]! -= n0;
        }
        out.push({ row, nodes });
      }
      base += b.consumed;
      data = data.subarray(b.consumed);
      if (b.lineCount === 0 || data.length === 0 || (!final && !data.includes(0x0a))) break;
    }
    carry = data.slice();
  } while (pos < input.length);
  return out;
}

const dec = new TextDecoder();

/** Compares the two engines' records; returns a readable report of the first difference, or "". */
function firstDifference(file: string, input: Uint8Array, ts: LineRec[], wasm: LineRec[]): string {
  const n = Math.max(ts.length, wasm.length);
  for (let i = 0; i < n; i++) {
    const a = ts[i];
    const b = wasm[i];
    if (a && b && a.row.join() === b.row.join() && a.nodes.join() === b.nodes.join()) continue;
    const r = (a ?? b)!.row;
    const text = dec.decode(input.subarray(r[LineField.Start], r[LineField.End]));
    const quads = (ns: number[] | undefined) =>
      ns ? Array.from({ length: ns.length / 4 }, (_, k) => `${k}:[${ns.slice(k * 4, k * 4 + 4).join(",")}]`).join(" ") : "(none)";
    let at = "";
    if (a && b) {
      const k = a.nodes.findIndex((v, j) => v !== b.nodes[j]);
      at = k >= 0 ? `first differing node: ${Math.floor(k / NodeField.Stride)}\n` : "";
    }
    return (
      `${file}: line ${i + 1} differs\n  ${JSON.stringify(text)}\n` +
      `  ts   row [${a?.row.join(",")}]\n  wasm row [${b?.row.join(",")}]\n${at}` +
      `  ts   nodes ${quads(a?.nodes)}\n  wasm nodes ${quads(b?.nodes)}`
    );
  }
  return "";
}

describe("WASM and TS engines write identical tables", () => {
  const files = walk(CORPUS);
  for (const flavor of ["simd", "scalar"] as const) {
    it(`over the whole corpus (${files.length} files, ${flavor})`, async () => {
      const wasm = await createWasmEngine({ flavor });
      const ts = new TsEngine();
      let lines = 0;
      let nodes = 0;
      for (const file of files) {
        const input = readFileSync(file);
        const sizes = flavor === "simd" ? [0, 4096, 777] : [0, 65536];
        for (const size of sizes) {
          const a = scanFile(ts, input, size);
          const b = scanFile(wasm, input, size);
          const diff = firstDifference(`${relative(CORPUS, file)} (pieces of ${size || "all"})`, input, a, b);
          if (diff) expect.fail(diff);
          lines += a.length;
          for (const r of a) nodes += r.nodes.length / NodeField.Stride;
        }
      }
      expect(lines).toBeGreaterThan(10000);
      expect(nodes).toBeGreaterThan(10 * lines); // the comparison covered real argument trees
    });
  }

  // Lines no strace prints, at the limits: nesting past MAX_DEPTH, a line needing more nodes than
  // the WASM engine's first node table (so it grows and rescans), long operator chains.
  const hostile: Record<string, string> = {
    "deep brackets": "f(" + "[".repeat(100_000) + "\n",
    "deep fields": "f(" + "{a=".repeat(3000) + "\n",
    "deep arrows": "f(" + "a => ".repeat(100_000) + "1) = 0\n",
    "2M-node flags line": "f(" + "1|".repeat(1_000_000) + "1) = 0\nclose(3) = 0\n",
    "long expression": "f(" + "1+".repeat(3000) + "1) = 0\n",
    "many empty values": "f(" + ", ".repeat(100_000) + "1) = 0\n",
    "unterminated string": 'write(1, "abc\\", 4) = 4\n',
    "NUL bytes": "clo\0se(3) = 0\n\0\n",
  };
  for (const [name, text] of Object.entries(hostile)) {
    it(`on ${name}`, async () => {
      const input = new TextEncoder().encode(text);
      const wasm = await createWasmEngine();
      const a = scanFile(new TsEngine(), input, 0);
      const b = scanFile(wasm, input, 0);
      const diff = firstDifference(name, input, a, b);
      if (diff) expect.fail(diff.slice(0, 4000));
      expect(b.length).toBe(a.length);
    });
  }
});
