#!/usr/bin/env node
// CPU-time (not wall-time) rates for stage 1 (scan), records, lean records and JSON Lines written by the core
// (record rows with JSON, what `parse` runs), per engine: the figures that stay
// meaningful on a shared, loaded machine, where benny's wall-clock ops/s mostly measure the load.
// --dist DIR runs another build (e.g. a patched copy of dist/) to A/B a proposed core change.
// --cpu N pins the run to CPU N (taskset): on this VM one vCPU is at times ~1.4x slower than the
// other (bench/e2e.mjs measures it), so an A/B whose runs land on different CPUs measures that;
// pinned and interleaved, repeated runs agree within ~2 %.
//
//   node bench/cpu.mjs [--dist DIR] [--only scan|records|jsonl] [--cpu N] FILE

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const pin = flag("--cpu");
if (pin !== undefined) {
  // (again under taskset, without the flag)
  const r = spawnSync(
    "taskset",
    ["-c", pin, process.execPath, fileURLToPath(import.meta.url), ...process.argv.slice(2).filter((a, i, all) => a !== "--cpu" && all[i - 1] !== "--cpu")],
    {
      stdio: "inherit",
    },
  );
  if (r.error) {
    console.error(`bench:cpu: --cpu needs taskset (util-linux): ${r.error.message}`);
    process.exit(2);
  }
  process.exit(r.status ?? 1);
}
const distDir = path.resolve(flag("--dist") ?? path.join(path.dirname(fileURLToPath(import.meta.url)), "../dist"));
const only = flag("--only");
const file = args[0] ?? "/tmp/strace-seq-bench-20m.strace";
const load = (p) => import(pathToFileURL(path.join(distDir, p)).href);
const bytes = new Uint8Array(readFileSync(file));
const mb = bytes.length / 1e6;
const CHUNK = 1 << 20;
const REPS = 4;

/** Least CPU seconds over REPS runs (the least disturbed by other processes). */
async function minCpu(fn) {
  let best = Infinity;
  let out;
  for (let i = 0; i < REPS; i++) {
    const u0 = process.cpuUsage();
    out = await fn();
    const u = process.cpuUsage(u0);
    best = Math.min(best, (u.user + u.system) / 1e6);
  }
  return { secs: best, out };
}

function scanAll(engine) {
  let off = 0;
  let lines = 0;
  while (off < bytes.length) {
    const end = Math.min(bytes.length, off + CHUNK);
    const b = engine.scan(bytes.subarray(off, end), end === bytes.length);
    lines += b.lineCount;
    if (b.consumed === 0) break;
    off += b.consumed;
  }
  return lines;
}

console.log(`# ${file} (${mb.toFixed(1)} MB), dist ${distDir}, least CPU time of ${REPS} runs`);
console.log("| stage | engine | CPU s | MB/s (CPU) | check |\n|---|---|---:|---:|---|");
const row = (stage, engine, r) => console.log(`| ${stage} | ${engine} | ${r.secs.toFixed(3)} | ${(mb / r.secs).toFixed(1)} | ${r.out} |`);

if (only === undefined || only === "scan") {
  const { createWasmEngine } = await load("engine/wasm-engine.js");
  const { TsEngine } = await load("engine/ts-engine.js");
  for (const [name, make] of [
    ["wasm simd", () => createWasmEngine({ flavor: "simd" })],
    ["wasm scalar", () => createWasmEngine({ flavor: "scalar" })],
    ["ts", async () => new TsEngine()],
  ]) {
    const engine = await make();
    row("scan", name, await minCpu(() => `${scanAll(engine)} lines`));
  }
}
if (only === undefined || only === "jsonl") {
  const { RowParser } = await load("model/row-parser.js");
  const { createEngine } = await load("api/core.js");
  for (const name of ["wasm", "ts"]) {
    const engine = await createEngine(name);
    row(
      "jsonl (core)",
      name,
      await minCpu(async () => {
        let n = 0;
        let lines = 0;
        const json = { arch: "x86_64", stamp: new Uint8Array(0), onJson: (b) => ((n += b.length), (lines += countNewlines(b))) };
        const p = new RowParser(engine, { json }, () => undefined);
        for (let off = 0; off < bytes.length && !p.aborted; off += CHUNK) p.push(bytes.subarray(off, off + CHUNK));
        p.end();
        return `${lines} records, ${(n / 1e6).toFixed(1)} MB${p.aborted ? " (stopped: a line it does not write)" : ""}`;
      }),
    );
  }
}

function countNewlines(b) {
  let n = 0;
  for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) n++;
  return n;
}

if (only === undefined || only === "records") {
  const { createParser } = await load("api/core.js");
  for (const [stage, name, opts] of [
    ["records", "wasm", { engine: "wasm" }],
    ["records", "ts", { engine: "ts" }],
    // what stats and the sequence commands parse
    ["lean records", "wasm", { engine: "wasm", lean: true, argsFor: () => false }],
    ["lean records", "ts", { engine: "ts", lean: true, argsFor: () => false }],
  ]) {
    row(
      stage,
      name,
      await minCpu(async () => {
        const p = await createParser(opts);
        let n = 0;
        // The sum of times doubles as a check that an A/B build gives the same values.
        let t = 0;
        const take = (recs) => {
          for (const r of recs) {
            n++;
            if (r.time !== undefined) t += r.time;
          }
        };
        for (let off = 0; off < bytes.length; off += CHUNK) take(p.push(bytes.subarray(off, off + CHUNK)));
        take(p.end());
        return `${n} records, Σtime ${t.toFixed(3)}`;
      }),
    );
  }
}
