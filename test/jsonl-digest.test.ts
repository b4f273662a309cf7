// JSON Lines byte-identical from release to release: the SHA-256 of what `parse` writes for every
// corpus file, with both engines, against the digests the previous release's build wrote
// (test/expected/corpus-jsonl.sha256, made by `node scripts/jsonl-digest.mjs --dist <old dist>`).
// A deliberate, documented change of output regenerates the file in the same commit. Changes so far:
//   * strace-7.2-suite/count_unknown-wall.strace, strace-c-wall-col.strace: strace 7's wall-clock
//     -c columns (wall-total, wall-min, wall-max, wall-avg) are read as the table's header, whose
//     rows keep those values in `extra`; before, the header line was a not-strace diagnostic.

import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { expandInputs, parseFile, recordJson } from "../src/index.js";
import { jsonlChunks } from "../src/api/jsonl-fast.js";
import { jsonlStream } from "../src/api/jsonl-stream.js";
import { pidFromFileName } from "../src/api/node.js";
import { gunzipSync } from "node:zlib";
import { createEngine } from "../src/api/core.js";
import { CoreEngine } from "../src/engine/core-engine.js";

// (relative, as the digests were made: diagnostics carry the path as given)
const CORPUS = relative(process.cwd(), join(__dirname, "../../shared/corpus"));
const expected = new Map(
  readFileSync(join(__dirname, "expected/corpus-jsonl.sha256"), "utf8")
    .trim()
    .split("\n")
    .map((l) => [l.slice(66), l.slice(0, 64)] as const),
);

describe.runIf(existsSync(CORPUS))("JSONL of every corpus file equals the previous release's", () => {
  for (const engine of ["wasm", "ts"] as const) {
    it(`${engine} engine`, async () => {
      const files = (await expandInputs([CORPUS])).filter((f) => !/\.(md|tsv|truss)$/.test(f)).sort();
      expect(files.length).toBe(expected.size);
      const differ: string[] = [];
      for (const f of files) {
        const h = createHash("sha256");
        for await (const rec of parseFile(f, { engine, argsJson: true })) h.update(recordJson(rec) + "\n");
        const rel = f.slice(CORPUS.length + 1);
        if (expected.get(rel) !== h.digest("hex")) differ.push(rel);
      }
      // (to see a difference: node scripts/jsonl-digest.mjs --dump FILE, against the old build's --dist)
      expect(differ).toEqual([]);
    }, 300_000);
  }
  // `parse` writes JSON Lines the fast way: the core writes records where its rows model the
  // lines (src/core/rows/json.ts), the full reading the rest; the bytes must be the same
  for (const engine of ["wasm", "ts"] as const) {
    it(`${engine} engine, JSON written by the core`, async () => {
      const files = (await expandInputs([CORPUS])).filter((f) => !/\.(md|tsv|truss)$/.test(f)).sort();
      const core = await createEngine(engine);
      const differ: string[] = [];
      let byRows = 0;
      for (const f of files) {
        const h = createHash("sha256");
        // (handing back to the rows one line past each line they stop at: every file goes back and forth)
        const chunks = jsonlChunks(f, { engine, coreEngine: core as CoreEngine, handBackLines: 1, onPath: (p) => (byRows += p === "rows" ? 1 : 0) });
        for (let step = await chunks.next(); !step.done; step = await chunks.next()) h.update(step.value);
        const rel = f.slice(CORPUS.length + 1);
        if (expected.get(rel) !== h.digest("hex")) differ.push(rel);
      }
      expect(differ).toEqual([]);
      // most of the corpus is written by the core alone (the rest has shapes it leaves to the host)
      expect(byRows).toBeGreaterThan(files.length / 2);
    }, 300_000);
  }
  // The browser page's export writes JSON Lines from a File's stream (src/api/jsonl-stream.ts): the
  // same bytes as `parse`, with the bytes since the rows' last quiet point kept in memory for a
  // hand-over where `parse` reads a plain file again. Fed in chunks of 997 bytes, so lines are cut
  // anywhere; `.gz` files decompressed first, as the page does.
  for (const engine of ["wasm", "ts"] as const) {
    it(`${engine} engine, JSON Lines of a stream (the browser page's export)`, async () => {
      const files = (await expandInputs([CORPUS])).filter((f) => !/\.(md|tsv|truss)$/.test(f)).sort();
      const differ: string[] = [];
      for (const f of files) {
        const raw = readFileSync(f);
        const bytes = f.endsWith(".gz") ? gunzipSync(raw) : raw;
        const pieces: Uint8Array[] = [];
        for (let at = 0; at < bytes.length; at += 997) pieces.push(bytes.subarray(at, at + 997));
        const h = createHash("sha256");
        const chunks = jsonlStream(pieces, { engine, file: f, pid: pidFromFileName(f.replace(/\.gz$/, "")) });
        for (let step = await chunks.next(); !step.done; step = await chunks.next()) h.update(step.value);
        const rel = f.slice(CORPUS.length + 1);
        if (expected.get(rel) !== h.digest("hex")) differ.push(rel);
      }
      expect(differ).toEqual([]);
    }, 300_000);
  }
  // With a small hold-back cap the stitcher releases records ahead of a pending call, which comes
  // after them when it resumes (65,536 by default: a shell in wait4 while its program runs). The
  // core's rows model that: same bytes, and no trace goes the full way for it.
  for (const engine of ["wasm", "ts"] as const) {
    it(`${engine} engine, JSON written by the core with a small hold-back cap`, async () => {
      const files = (await expandInputs([CORPUS]))
        .filter((f) => !/\.(md|tsv|truss|gz)$/.test(f) && readFileSync(f, "latin1").includes("<unfinished ...>"))
        .sort();
      const core = await createEngine(engine);
      const differ: string[] = [];
      let reordered = 0;
      for (const maxHeld of [2, 7]) {
        for (const f of files) {
          let want = "";
          const lines: number[] = [];
          for await (const rec of parseFile(f, { engine, argsJson: true, maxHeld })) {
            want += recordJson(rec) + "\n";
            lines.push(rec.line);
          }
          const paths: string[] = [];
          const run = async (cap: number | undefined) => {
            let out = "";
            const chunks = jsonlChunks(f, { engine, coreEngine: core as CoreEngine, maxHeld: cap, onPath: (p, q) => paths.push(`${p} ${q.offset}`) });
            for (let step = await chunks.next(); !step.done; step = await chunks.next()) out += step.value.toString();
            return out;
          };
          if ((await run(maxHeld)) !== want) differ.push(`${f} (maxHeld ${maxHeld})`);
          await run(undefined);
          if (paths[0] !== paths[1]) differ.push(`${f} (maxHeld ${maxHeld}: ${paths[0]}, else ${paths[1]})`);
          if (paths[0]!.startsWith("rows") && lines.some((l, i) => i > 0 && l < lines[i - 1]!)) reordered++;
        }
      }
      expect(differ).toEqual([]);
      expect(reordered).toBeGreaterThan(20);
    }, 300_000);
  }
});
