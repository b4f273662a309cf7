#!/usr/bin/env node
// `npm run conformance`: the core guarantees over a corpus directory, as figures anyone can rerun:
// lines accounted for, engines identical, chunk invariance, --no-merge round trip, -C counts,
// and the remaining diagnostics by code with a sample line each.

import { expandInputs } from "../api/node.js";
import { checkFile } from "../conformance/check.js";
import { createWasmEngine } from "../engine/wasm-engine.js";

const root = process.argv[2] ?? "../shared/corpus";
const files = (await expandInputs([root])).filter((f) => !/\.(md|tsv|truss)$/.test(f));
const wasm = await createWasmEngine();
const totals = { files: 0, lines: 0, records: 0, diagnostics: 0, unaccounted: 0, engineDiffs: 0, chunkDiffs: 0, jsonDiffs: 0, roundTrip: 0, summary: 0 };
const codes = new Map<string, { count: number; file: string; line: number; sample: string }>();
for (const f of files) {
  const r = await checkFile(f, wasm);
  totals.files++;
  totals.lines += r.lines;
  totals.records += r.records;
  totals.diagnostics += r.diagnostics;
  totals.unaccounted += r.unaccounted.length;
  if (r.engineMismatch >= 0) totals.engineDiffs++;
  if (r.chunkMismatch >= 0) totals.chunkDiffs++;
  if (r.jsonMismatch >= 0) {
    totals.jsonDiffs++;
    console.log(`${f}: JSONL from scan-time argument JSON differs at record ${r.jsonMismatch}`);
  }
  totals.roundTrip += r.roundTripMismatches.length;
  totals.summary += r.summaryMismatches.length;
  for (const [code, d] of Object.entries(r.diagnosticCodes)) {
    const c = codes.get(code) ?? { count: 0, file: f, line: d.line, sample: d.sample };
    c.count += d.count;
    codes.set(code, c);
  }
}
console.log(`files ${totals.files}, lines ${totals.lines}, records ${totals.records}, diagnostics ${totals.diagnostics}`);
console.log(`lines not accounted for: ${totals.unaccounted}`);
console.log(
  `files where the engines differ: ${totals.engineDiffs}; where chunking changes records: ${totals.chunkDiffs}; where scan-time argument JSON differs: ${totals.jsonDiffs}`,
);
console.log(`lines the --no-merge round trip does not reproduce: ${totals.roundTrip}; -C rows not matching: ${totals.summary}`);
console.log("diagnostics by code (count, first example):");
for (const [code, c] of [...codes].sort((a, b) => b[1].count - a[1].count))
  console.log(`  ${code.padEnd(20)} ${String(c.count).padStart(6)}  ${c.file.slice(root.length).replace(/^\//, "")}:${c.line}  ${c.sample.slice(0, 90)}`);
const ok =
  totals.unaccounted === 0 && totals.engineDiffs === 0 && totals.chunkDiffs === 0 && totals.jsonDiffs === 0 && totals.roundTrip === 0 && totals.summary === 0;
process.exitCode = ok ? 0 : 1;
