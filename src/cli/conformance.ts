#!/usr/bin/env node
// `npm run conformance`: the core guarantees over a corpus directory, as figures anyone can rerun:
// lines accounted for, engines identical, chunk invariance, --no-merge round trip, -C counts,
// and the remaining diagnostics by code with a sample line each.

import { expandInputs } from "../api/node.js";
import { checkFile } from "../conformance/check.js";
import { createWasmEngine } from "../engine/wasm-engine.js";

const USAGE = "usage: node dist/cli/conformance.js [DIR]   (every trace under DIR, default ../shared/corpus; exit 1 if a guarantee fails)";
const arg = process.argv[2];
if (arg === "-h" || arg === "--help") {
  console.log(USAGE);
  process.exit(0);
}
if (process.argv.length > 3 || arg?.startsWith("-")) {
  process.stderr.write(`conformance: one directory or file expected\n${USAGE}\n`);
  process.exit(2);
}
const root = arg ?? "../shared/corpus";
let files: string[];
try {
  files = (await expandInputs([root])).filter((f) => !/\.(md|tsv|truss)$/.test(f));
} catch (e) {
  // a user's mistake (a path that is not there): one line, as the CLI reports it
  process.stderr.write(`conformance: cannot read ${root}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
  process.exit(2);
}
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
  // (which files, so that a failure can be looked at without bisecting the directory)
  const problems = [
    r.unaccounted.length > 0 ? `${r.unaccounted.length} lines not accounted for` : "",
    r.engineMismatch >= 0 ? `engines differ at record ${r.engineMismatch}` : "",
    r.chunkMismatch >= 0 ? `chunking changes record ${r.chunkMismatch}` : "",
    r.roundTripMismatches.length > 0 ? `round trip differs at line ${r.roundTripMismatches.slice(0, 3).join(", ")}` : "",
    r.summaryMismatches.length > 0 ? `${r.summaryMismatches.length} -C rows not matching` : "",
  ].filter((p) => p !== "");
  if (problems.length > 0) console.log(`${f}: ${problems.join("; ")}`);
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
