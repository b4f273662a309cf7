#!/usr/bin/env node
// `npm run bench`: the benny suites for the pipeline's stages on a generated ~20 MB real trace
// (BENCH_INPUT=FILE to use another). Runs against dist/ (npm run build first). Prints MB/s per case
// and a summary table at the end. Speed is measured here, never asserted in tests.

import { cpus } from "node:os";
import { readFileSync } from "node:fs";
import { traceBuffer } from "./common.mjs";
import { scanSuite } from "./scan.bench.mjs";
import { recordsSuite } from "./records.bench.mjs";
import { jsonEndToEndSuite, jsonSuite } from "./json.bench.mjs";

const only = process.argv.slice(2);
const { file, bytes } = traceBuffer("20M");
const cpu = (readFileSync("/proc/cpuinfo", "utf8").match(/model name\s*:\s*(.*)/) ?? [])[1] ?? "unknown";
console.log(`# ${file}: ${(bytes.length / 1e6).toFixed(1)} MB; node ${process.version}, ${cpus().length} cpus, ${cpu}`);

const rows = [];
const suites = { scan: scanSuite, records: recordsSuite, "json-e2e": jsonEndToEndSuite, json: jsonSuite };
for (const [name, suite] of Object.entries(suites)) if (only.length === 0 || only.includes(name)) await suite(bytes, rows);

console.log("\n| suite | case | MB/s |\n|---|---|---:|");
for (const r of rows) console.log(`| ${r.suite} | ${r.case} | ${r.mbps.toFixed(1)} ±${r.margin}% |`);
