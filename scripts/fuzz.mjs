#!/usr/bin/env node
// Fuzz campaign against dist/: mutated real corpus lines and randomly generated strace-like lines go
// through both engines, whole and in random chunks; any broken invariant is minimised and saved as
// fixtures/fuzz/<hash>.strace with a <hash>.json note. Exit 1 when anything failed.
//
//   npm run fuzz -- --seconds 300 [--seed N] [--workers 2] [--corpus DIR] [--out DIR] [--max-saved 40] [--dist DIR]
//   (--dist: a copy of dist/ to test, so a rebuild during a long campaign cannot mix versions;
//    --default-options: never vary maxHeld/maxPending/merge, which a third of the cases do otherwise)
//
// Invariants checked per input:
//   * no exception escapes parse (either engine, any chunking)
//   * every input line 1..N is covered by a record (line..endLine, resumedLine) or a diagnostic,
//     and counts.lines == N
//   * WASM and TS records are deep-equal
//   * random chunk boundaries (and 1-byte chunks for small inputs) give the same records
//   * JSON Lines with argument JSON written at scan time (what parse and convert write), chunked,
//     equal JSON.stringify of the ArgNode records
//   * the core's record rows (what stats and sequences read), chunked, then the full reading from
//     their last quiet point when they stop, give the lean records' counted fields and counts
//   * JSON Lines written by the core's rows (what `parse` writes), chunked, then by the full
//     reading from their last quiet point, equal JSON.stringify of the full reading's records; and
//     so does jsonlChunks itself on the input written to a temporary file (default options), and
//     jsonlStream on its bytes in 13-byte pieces (the browser page's export);
//     and the next input on the same engine is written afresh (a small probe after each input)
//   * `stats`, sequences and JSON Lines of the input read in two parts (the second in this process),
//     cut at random line starts, equal one reading's (default options)
//   * no single input takes longer than --hang-ms (the watchdog kills the worker and saves it)

import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { check, checkJsonlFile, checkSplitJsonl, checkSplitSeq, checkSplitStats, minimise } from "./fuzz/check.mjs";
import { loadCorpus, makeInput, rng } from "./fuzz/inputs.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

function args() {
  const a = process.argv.slice(2);
  const o = {
    seconds: 60,
    seed: Date.now() % 2 ** 31,
    workers: 2,
    corpus: join(ROOT, "../shared/corpus"),
    out: join(ROOT, "fixtures/fuzz"),
    maxSaved: 40,
    hangMs: 20000,
    dist: join(ROOT, "dist"),
    options: true,
  };
  for (let i = 0; i < a.length; i++) {
    const k = a[i];
    if (k === "--seconds") o.seconds = Number(a[++i]);
    else if (k === "--seed") o.seed = Number(a[++i]);
    else if (k === "--workers") o.workers = Number(a[++i]);
    else if (k === "--corpus") o.corpus = a[++i];
    else if (k === "--out") o.out = a[++i];
    else if (k === "--max-saved") o.maxSaved = Number(a[++i]);
    else if (k === "--hang-ms") o.hangMs = Number(a[++i]);
    else if (k === "--dist") o.dist = a[++i];
    else if (k === "--default-options") o.options = false;
    else if (k === "--help" || k === "-h") {
      console.log(
        "usage: node scripts/fuzz.mjs [--seconds N] [--seed N] [--workers N] [--corpus DIR] [--out DIR] [--max-saved N] [--hang-ms N] [--dist DIR] [--default-options]",
      );
      process.exit(0);
    } else {
      console.error(`fuzz: unknown option ${k}`);
      process.exit(2);
    }
  }
  return o;
}

// ---------------------------------------------------------------- worker

async function workerMain() {
  const { seed, corpus: corpusDir, deadline, dist, optionsToo } = workerData;
  const api = await import(join(dist, "index.js"));
  const { TsEngine } = await import(join(dist, "engine/ts-engine.js"));
  const { JsonlWriter } = await import(join(dist, "io/jsonl.js"));
  const { RowParser } = await import(join(dist, "model/row-parser.js"));
  const { SCHEMA_ID } = await import(join(dist, "model/record.js"));
  const { jsonlChunks } = await import(join(dist, "api/jsonl-fast.js"));
  const { jsonlStream } = await import(join(dist, "api/jsonl-stream.js"));
  const { recordJson } = await import(join(dist, "model/record-json.js"));
  const { countSplit, countPart } = await import(join(dist, "api/split-stats.js"));
  const { seqPart } = await import(join(dist, "api/split-seq.js"));
  const { jsonlPart, jsonlSplitChunks } = await import(join(dist, "api/split-jsonl.js"));
  const { fileSequences } = await import(join(dist, "eval/sources.js"));
  const { collectStats } = await import(join(dist, "cli/commands/stats.js"));
  const { TraceStats } = await import(join(dist, "model/stats.js"));
  const rowsJsonStamp = new TextEncoder().encode(`,"schema":${JSON.stringify(SCHEMA_ID)}`);
  const tmp = mkdtempSync(join(tmpdir(), "strace-seq-fuzz-"));
  const caseFile = join(tmp, "case.strace");
  const wasmEngine = await api.createEngine("wasm");
  const tsEngine = new TsEngine();
  // Engines are stateless between scans apart from table sizes; fresh ones now and then catch state leaks.
  let uses = 0;
  let w = wasmEngine;
  const freshWasm = await Promise.all(Array.from({ length: 4 }, () => api.createEngine("wasm")));
  const ctx = {
    api,
    JsonlWriter,
    RowParser,
    rowsJsonStamp,
    jsonlChunks,
    jsonlStream,
    recordJson,
    countSplit,
    countPart,
    seqPart,
    jsonlPart,
    jsonlSplitChunks,
    fileSequences,
    collectStats,
    TraceStats,
    wasm: () => (++uses % 50 === 0 ? freshWasm[uses % 4] : w),
    ts: () => tsEngine,
  };
  const corpus = loadCorpus(corpusDir);
  const r = rng(seed);
  let cases = 0;
  const seen = new Set();
  while (Date.now() < deadline) {
    const input = makeInput(r, corpus);
    // a third of the cases run with non-default parser options (small caps, no merging)
    ctx.opts = {};
    if (optionsToo && r.chance(0.33)) {
      if (r.chance(0.5)) ctx.opts.maxHeld = 1 + r.int(8);
      if (r.chance(0.5)) ctx.opts.maxPending = 1 + r.int(4);
      if (r.chance(0.3)) ctx.opts.merge = false;
    }
    parentPort.postMessage({ type: "case", input });
    cases++;
    let fail = check(ctx, input, r);
    if (!fail && Object.keys(ctx.opts).length === 0) {
      writeFileSync(caseFile, input);
      fail =
        (await checkJsonlFile(ctx, input, caseFile)) ??
        (await checkSplitStats(ctx, input, caseFile, r)) ??
        (await checkSplitSeq(ctx, input, caseFile, r)) ??
        (await checkSplitJsonl(ctx, input, caseFile, tmp, r));
      // (not minimised: check() above runs the same writers in memory, and does minimise)
      if (fail && seen.has(fail.sig)) parentPort.postMessage({ type: "dup", sig: fail.sig });
      else if (fail)
        parentPort.postMessage({ type: "fail", input, original: input, fail: { kind: fail.kind, detail: fail.detail, options: {} }, sig: fail.sig });
      if (fail) {
        seen.add(fail.sig);
        continue;
      }
    }
    if (fail && Object.keys(ctx.opts).length) fail.sig += ` opts:${Object.keys(ctx.opts).sort().join(",")}`;
    if (fail && !seen.has(fail.sig)) {
      seen.add(fail.sig);
      parentPort.postMessage({ type: "minimising" });
      const m = minimise(ctx, input, fail, 30000);
      parentPort.postMessage({
        type: "fail",
        input: m.input,
        original: input,
        fail: { kind: m.fail.kind, detail: m.fail.detail, cuts: m.fail.cuts, options: { ...ctx.opts } },
        sig: fail.sig,
      });
    } else if (fail) parentPort.postMessage({ type: "dup", sig: fail.sig });
    if (cases % 200 === 0) parentPort.postMessage({ type: "progress", cases });
  }
  rmSync(tmp, { recursive: true, force: true });
  parentPort.postMessage({ type: "done", cases });
}

// ---------------------------------------------------------------- main

function save(outDir, input, note) {
  mkdirSync(outDir, { recursive: true });
  const hash = createHash("sha256").update(input).digest("hex").slice(0, 16);
  const p = join(outDir, `${hash}.strace`);
  if (!existsSync(p)) {
    writeFileSync(p, input);
    writeFileSync(join(outDir, `${hash}.json`), JSON.stringify({ ...note, bytes: input.length, found: new Date().toISOString() }, null, 2) + "\n");
  }
  return p;
}

async function main() {
  const o = args();
  if (!existsSync(join(o.dist, "index.js"))) {
    console.error("fuzz: dist/ is missing; run npm run build first");
    process.exit(2);
  }
  const deadline = Date.now() + o.seconds * 1000;
  console.log(`fuzz: seed ${o.seed}, ${o.workers} worker(s), ${o.seconds} s, corpus ${o.corpus}, dist ${o.dist}`);
  let total = 0;
  let failures = 0;
  let saved = 0;
  const sigs = new Map();
  const runWorker = (seed) =>
    new Promise((resolve) => {
      const w = new Worker(fileURLToPath(import.meta.url), {
        workerData: { seed, corpus: o.corpus, deadline, dist: o.dist, optionsToo: o.options },
        resourceLimits: { maxOldGenerationSizeMb: 4096 },
      });
      let last = null;
      let lastAt = Date.now();
      let cases = 0;
      let minimising = false;
      const timer = setInterval(() => {
        if (!minimising && Date.now() - lastAt > o.hangMs) {
          failures++;
          const p = save(o.out, last ?? new Uint8Array(0), { kind: "hang", detail: `no answer in ${o.hangMs} ms`, seed });
          console.log(`HANG  ${p}`);
          clearInterval(timer);
          w.terminate();
          // start over with a new seed so the campaign continues
          resolve(cases);
        }
      }, 500);
      w.on("message", (m) => {
        lastAt = Date.now();
        if (m.type === "case") {
          last = m.input;
          cases++;
          minimising = false;
        } else if (m.type === "fail") {
          minimising = false;
          failures++;
          sigs.set(m.sig, (sigs.get(m.sig) ?? 0) + 1);
          if (saved < o.maxSaved) {
            saved++;
            const p = save(o.out, m.input, {
              ...m.fail,
              seed,
              originalBytes: m.original.length,
              cuts: m.fail.cuts && m.fail.cuts.length > 20 ? "1-byte chunks" : m.fail.cuts,
            });
            console.log(`FAIL  ${m.fail.kind}  ${p}\n      ${String(m.fail.detail).split("\n")[0].slice(0, 300)}`);
          }
        } else if (m.type === "dup") {
          failures++;
          sigs.set(m.sig, (sigs.get(m.sig) ?? 0) + 1);
        } else if (m.type === "minimising") {
          minimising = true;
        }
      });
      w.on("error", (e) => {
        failures++;
        const p = save(o.out, last ?? new Uint8Array(0), { kind: "worker-crash", detail: String(e?.stack ?? e).slice(0, 800), seed });
        console.log(`CRASH ${p}: ${String(e?.message ?? e)}`);
        clearInterval(timer);
        resolve(cases);
      });
      w.on("exit", () => {
        clearInterval(timer);
        resolve(cases);
      });
    });
  const loops = Array.from({ length: o.workers }, async (_, i) => {
    let seed = o.seed + i * 7919;
    while (Date.now() < deadline - 1000) {
      total += await runWorker(seed);
      seed += 104729;
    }
  });
  await Promise.all(loops);
  console.log(`fuzz: ${total} inputs, ${failures} failing (${sigs.size} distinct), ${saved} saved to ${o.out}`);
  for (const [s, c] of sigs) console.log(`  ${c}\t${s}`);
  process.exit(failures > 0 ? 1 : 0);
}

if (isMainThread) await main();
else await workerMain();
