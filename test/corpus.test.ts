// The core guarantees on every real trace in ../shared/corpus: every line accounted for, both
// engines identical, chunking irrelevant, byte-exact `--no-merge | render`, -C tables matched.

import { describe, expect, it, beforeAll } from "vitest";
import { existsSync } from "node:fs";
import { expandInputs } from "../src/api/node.js";
import { checkFile } from "../src/conformance/check.js";
import { createWasmEngine } from "../src/engine/wasm-engine.js";
import type { Engine } from "../src/engine/types.js";
import { SHARED } from "./helpers/shared.js";

const CORPUS = SHARED + "/corpus/";
const isTrace = (f: string) => !/\.(md|tsv|truss)$/.test(f);

describe.skipIf(!existsSync(CORPUS))("shared corpus", async () => {
  let wasm: Engine;
  beforeAll(async () => {
    wasm = await createWasmEngine();
  });
  const files = existsSync(CORPUS) ? (await expandInputs([CORPUS])).filter(isTrace) : [];

  it("holds more than a thousand traces", () => {
    expect(files.length).toBeGreaterThan(1000);
  });

  for (const folder of ["strace-6.1", "strace-7.2-suite", "legacy", "seed"]) {
    it(`${folder}: every line accounted, engines identical, chunk-invariant, exact round trip, -C counts`, async () => {
      const problems: string[] = [];
      let lines = 0;
      for (const f of files.filter((x) => x.includes(`/${folder}/`))) {
        const r = await checkFile(f, wasm, 1000 + (f.length % 7) * 333);
        lines += r.lines;
        const rel = f.slice(CORPUS.length);
        if (r.unaccounted.length) problems.push(`${rel}: lines not accounted for: ${r.unaccounted.slice(0, 5)}`);
        if (r.engineMismatch >= 0) problems.push(`${rel}: engines differ at record ${r.engineMismatch}`);
        if (r.chunkMismatch >= 0) problems.push(`${rel}: chunked parse differs at record ${r.chunkMismatch}`);
        if (r.jsonMismatch >= 0) problems.push(`${rel}: JSONL from scan-time argument JSON differs at record ${r.jsonMismatch}`);
        if (r.roundTripMismatches.length) problems.push(`${rel}: round trip differs on lines ${r.roundTripMismatches.slice(0, 5)}`);
        if (r.summaryMismatches.length) problems.push(`${rel}: -C table mismatch ${r.summaryMismatches.slice(0, 3)}`);
      }
      expect(problems).toEqual([]);
      expect(lines).toBeGreaterThan(0);
    });
  }

  it("a -o trace of strace 6.1 has no diagnostics at all", async () => {
    // mode `o` files hold only strace's own output, so nothing in them may be called foreign
    for (const name of ["pipeline_tt_T_f", "net_yy_f", "forkexec_k_f", "cat_read_write_dump", "memio_c", "cat_C", "sigs_r_ns_f", "fileops_X_raw"]) {
      const r = await checkFile(`${CORPUS}strace-6.1/${name}.strace`, null);
      expect({ name, codes: r.diagnosticCodes }).toEqual({ name, codes: {} });
    }
  });
});
