// `stats` of one file counted in two parts (src/api/split-stats.ts) must equal the count of one
// reading: same statistics and counts, wherever the parts are cut, on every corpus trace and on
// a large generated one; the second part also in its own process, through the CLI.

import { describe, expect, it } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import path from "node:path";
import { expandInputs } from "../src/api/node.js";
import { countPart, countSplit, type SplitOptions } from "../src/api/split-stats.js";
import { collectStats } from "../src/cli/commands/stats.js";
import { TraceStats } from "../src/model/stats.js";
import { DurationDigest, EXACT_CAP } from "../src/analyze/latency.js";
import type { EngineName } from "../src/api/core.js";
import { SHARED } from "./helpers/shared.js";

const CORPUS = SHARED + "/corpus/";
const CLI = new URL("../dist/cli/main.js", import.meta.url).pathname;
const isTrace = (f: string) => !/\.(md|tsv|truss)$/.test(f);

/** One reading's statistics and counts, as `stats --json` prints them. */
async function oneReading(file: string, engine: EngineName): Promise<string> {
  const { stats, totals } = await collectStats([file], { engine, jobs: 1 });
  return JSON.stringify(stats.result(totals));
}

/** The same file counted in two parts (the second in this thread), cut as `opts` says; where
 *  the parts met (undefined: the first read to the end). Null when no line starts past the cut
 *  (a trace of a line or two): not split. */
async function twoParts(file: string, engine: EngineName, opts: SplitOptions): Promise<{ json: string; met: number | undefined } | null> {
  const stats = new TraceStats();
  let met: number | undefined;
  const totals = await countSplit(file, stats, { engine, minBytes: 1, runPart: countPart, onMeet: (m) => (met = m), ...opts });
  if (!totals) return null;
  return { json: JSON.stringify(stats.result(totals)), met };
}

describe("TraceStats.merge", () => {
  it("a latency digest merged across the exact-list cap equals one fed every duration", () => {
    const values = Array.from({ length: EXACT_CAP + 500 }, (_, i) => ((i * 7919) % 1000) / 1e6 + (i % 3 === 0 ? 0 : 1e-6));
    for (const split of [0, 10, EXACT_CAP - 1, EXACT_CAP, EXACT_CAP + 1, EXACT_CAP + 499]) {
      const one = new DurationDigest();
      for (const v of values) one.add(v);
      const a = new DurationDigest();
      const b = new DurationDigest();
      values.slice(0, split).forEach((v) => a.add(v));
      values.slice(split).forEach((v) => b.add(v));
      a.merge(b.state());
      expect(a.summary(), `split at ${split}`).toEqual(one.summary());
    }
  });
});

describe.skipIf(!existsSync(CORPUS))("stats in two parts on the shared corpus", async () => {
  const files = existsSync(CORPUS) ? (await expandInputs([CORPUS])).filter(isTrace) : [];

  it("equal one reading for every trace, cut at a quarter, half and three quarters, with cuts a few lines apart", async () => {
    const problems: string[] = [];
    let met = 0;
    let tries = 0;
    for (const f of files) {
      const want = await oneReading(f, "wasm");
      for (const share of [0.25, 0.5, 0.75]) {
        const got = await twoParts(f, "wasm", { share, distances: [0, 300, 1500, 6000] });
        if (!got) continue;
        tries++;
        if (got.met !== undefined) met++;
        if (got.json !== want) problems.push(`${f} at ${share}: ${got.json.slice(0, 300)} vs ${want.slice(0, 300)}`);
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect(tries).toBeGreaterThan(files.length);
    // (most of the time the parts do meet: the merge is what is checked, not only the fallback)
    expect(met / tries).toBeGreaterThan(0.5);
  }, 900_000);

  it("equal one reading when cut at any line start, -k frames and dumps included", async () => {
    const pick = files.filter((f) => /\/(cat_k|cat_read_write_dump|forkexec_f|threads_f|signals?_\w*|sleep_kill\w*)\.strace$/.test(f));
    expect(pick.length).toBeGreaterThanOrEqual(3);
    let met = 0;
    for (const f of pick) {
      const want = await oneReading(f, "wasm");
      const text = readFileSync(f);
      // the part starts at the second line (so it has an owner for frames at later cuts, as
      // the first reading has) and is cut at every later line start
      const second = text.indexOf(10) + 1;
      for (let at = text.indexOf(10, second) + 1; at > 0 && at < text.length; at = text.indexOf(10, at) + 1) {
        const got = (await twoParts(f, "wasm", { cuts: [second, at] }))!;
        if (got.met !== undefined) met++;
        expect(got.json, `${f} cut at byte ${at}`).toBe(want);
      }
    }
    expect(met).toBeGreaterThan(20);
  }, 300_000);

  it("a list of files counted in two threads' shares (the later files in the second) equals one reading", async () => {
    for (const engine of ["wasm", "ts"] as const) {
      const one = await collectStats(files, { engine, jobs: 1 });
      const two = await collectStats(files, { engine, jobs: 2, splitMinBytes: 1, runPart: countPart });
      expect(JSON.stringify(two.stats.result(two.totals))).toBe(JSON.stringify(one.stats.result(one.totals)));
    }
  }, 300_000);

  it("equal one reading with the TS engine too, on the -f traces", async () => {
    const forks = files.filter((f) => /fork|thread|clone|_f\b|-f/.test(path.basename(f))).slice(0, 40);
    expect(forks.length).toBeGreaterThan(5);
    for (const f of forks) {
      const want = await oneReading(f, "ts");
      for (const share of [0.3, 0.6]) expect((await twoParts(f, "ts", { share, distances: [0, 500, 2000] }))?.json ?? want, f).toBe(want);
    }
  }, 300_000);
});

describe.skipIf(!existsSync(SHARED + "/tools/bigtrace.py"))("stats in two parts on a generated multi-process trace", () => {
  const file = path.join(tmpdir(), "strace-seq-split-6M.strace");

  it("equal one reading wherever it is cut, in this thread and through the CLI's second thread", async () => {
    if (!existsSync(file)) execFileSync("python3", [SHARED + "/tools/bigtrace.py", "--size", "6M", "--out", file], { stdio: "ignore" });
    const want = await oneReading(file, "wasm");
    let met = 0;
    for (const share of [0.1, 0.37, 0.5, 0.81]) {
      const got = (await twoParts(file, "wasm", { share, distances: [0, 4096, 65536, 1 << 20] }))!;
      if (got.met !== undefined) met++;
      expect(got.json, `cut at ${share}`).toBe(want);
    }
    expect(met).toBeGreaterThan(0);
    // the CLI, its second part in a child process (split-worker.ts)
    const run = (jobs: string) =>
      spawnSync("node", [CLI, "stats", "--json", "-j", jobs, file], { encoding: "utf8", env: { ...process.env, STRACE_SEQ_SPLIT_BYTES: "1" } });
    const one = run("1");
    const two = run("2");
    expect(one.status).toBe(0);
    expect(two.status).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toBe(one.stderr);
    expect(JSON.parse(two.stdout).syscallCount).toBeGreaterThan(10_000);
  }, 300_000);

  it("a folder of traces, one gzipped, through the CLI with -j 2 equals -j 1", () => {
    if (!existsSync(file)) execFileSync("python3", [SHARED + "/tools/bigtrace.py", "--size", "6M", "--out", file], { stdio: "ignore" });
    const dir = mkdtempSync(path.join(tmpdir(), "strace-seq-split-dir-"));
    const text = readFileSync(file);
    // four parts of the trace cut at newlines, the third compressed
    let from = 0;
    for (let i = 0; i < 4; i++) {
      const end = i === 3 ? text.length : text.indexOf(10, Math.floor(((i + 1) * text.length) / 4)) + 1;
      const part = text.subarray(from, end);
      writeFileSync(path.join(dir, `part${i}.strace${i === 2 ? ".gz" : ""}`), i === 2 ? gzipSync(part) : part);
      from = end;
    }
    const run = (jobs: string) =>
      spawnSync("node", [CLI, "stats", "--json", "-j", jobs, dir], { encoding: "utf8", env: { ...process.env, STRACE_SEQ_SPLIT_BYTES: "1" } });
    const one = run("1");
    const two = run("2");
    expect(one.status).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toBe(one.stderr);
    expect(one.stderr).toContain("4 files");
    rmSync(dir, { recursive: true });
  }, 120_000);
});
