// Sequences of one file read in two parts (src/api/split-seq.ts) must be those of one reading:
// same keys, pids, first lines and symbols, in the same order, wherever the parts are cut, with
// every grouping and symbol mode the parts serve; also when the second part fails half-way, and
// through the CLI with the second part in its own process.

import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expandInputs } from "../src/api/node.js";
import { fileSequences, type TraceOptions } from "../src/eval/sources.js";
import { seqPart, type SeqEvents } from "../src/api/split-seq.js";
import type { PartRunner, SplitOptions } from "../src/api/split-reading.js";
import { SHARED } from "./helpers/shared.js";
import { runWithJobs, sameWithJobs } from "./helpers/jobs-cli.js";

const CORPUS = SHARED + "/corpus/";
const isTrace = (f: string) => !/\.(md|tsv|truss)$/.test(f);

/** The second part run in this thread. */
const here: PartRunner = (job, onCut, _signal, onData) => seqPart(job, onCut, (e) => onData?.(e));

/** A file's sequences as one JSON text: with `split`, read in two parts (the part in this thread). */
async function sequencesOf(file: string, opts: TraceOptions, split?: SplitOptions): Promise<string> {
  const out: unknown[] = [];
  const o: TraceOptions = split ? { ...opts, jobs: 2, split: { minBytes: 1, runPart: here, ...split } } : { ...opts, jobs: 1 };
  for await (const s of fileSequences(file, o)) out.push(s);
  return JSON.stringify(out);
}

describe.skipIf(!existsSync(CORPUS))("sequences in two parts on the shared corpus", async () => {
  const files = existsSync(CORPUS) ? (await expandInputs([CORPUS])).filter(isTrace) : [];
  const forks = files.filter((f) => /fork|thread|clone|_f\b|-f|ff|exec|sh_/.test(path.basename(f)));

  it("equal one reading for every trace, cut at a quarter, half and three quarters, with cuts a few lines apart", async () => {
    const problems: string[] = [];
    let met = 0;
    let tries = 0;
    for (const f of files) {
      const want = await sequencesOf(f, { by: "process" });
      for (const share of [0.25, 0.5, 0.75]) {
        let at: number | undefined;
        const got = await sequencesOf(f, { by: "process" }, { share, distances: [0, 300, 1500, 6000], onMeet: (m) => (at = m) });
        tries++;
        if (at !== undefined) met++;
        if (got !== want) problems.push(`${f} at ${share}: ${got.slice(0, 300)} vs ${want.slice(0, 300)}`);
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
    // (most of the time the parts do meet: the replayed events are what is checked, not only the fallback)
    expect(met / tries).toBeGreaterThan(0.5);
  }, 900_000);

  it("equal one reading by thread, by trace, with exec splits and numbers, on the -f traces", async () => {
    expect(forks.length).toBeGreaterThan(10);
    const modes: TraceOptions[] = [{ by: "thread" }, { by: "trace", symbol: "nr" }, { by: "process", splitExec: true, symbol: "nr32" }];
    for (const f of forks) {
      for (const opts of modes) {
        const want = await sequencesOf(f, opts);
        for (const share of [0.3, 0.6]) expect(await sequencesOf(f, opts, { share, distances: [0, 500, 2000] }), `${f} ${JSON.stringify(opts)}`).toBe(want);
      }
    }
  }, 600_000);

  it("equal one reading when cut at any line start of -f traces, unprefixed pids, exits and clones included", async () => {
    const pick = forks.filter((f) => readFileSync(f).length < 40_000).slice(0, 12);
    expect(pick.length).toBeGreaterThanOrEqual(5);
    let met = 0;
    for (const f of pick) {
      const want = await sequencesOf(f, { by: "process" });
      const text = readFileSync(f);
      const second = text.indexOf(10) + 1;
      for (let at = text.indexOf(10, second) + 1; at > 0 && at < text.length; at = text.indexOf(10, at) + 1) {
        let m: number | undefined;
        expect(await sequencesOf(f, { by: "process" }, { cuts: [second, at], onMeet: (x) => (m = x) }), `${f} cut at byte ${at}`).toBe(want);
        if (m !== undefined) met++;
      }
    }
    expect(met).toBeGreaterThan(50);
  }, 600_000);

  it("equal one reading when the second part fails after sending some of its events", async () => {
    // the part's events go on in pieces of 3 records, and it fails after the n-th piece: this
    // process takes in what came and reads the rest itself, past the records it already took
    const failing =
      (n: number): PartRunner =>
      async (job, onCut, _signal, onData) => {
        let sent = 0;
        // (its events kept in memory, not written to the part's file, so they can be cut up here)
        await seqPart({ ...job, out: undefined }, onCut, (chunk) => {
          const ev = chunk as SeqEvents;
          for (let e = 0; e < ev.count; e += 3) {
            if (sent++ >= n) return;
            const to = Math.min(e + 3, ev.count);
            // (return values go with the records flagged for one, bit 4 of a record's head)
            const retsBefore = (k: number) => Array.from({ length: k }, (_, j) => ev.i32[3 * j]! & 4).filter(Boolean).length;
            const piece: SeqEvents = {
              ...ev,
              names: e === 0 ? ev.names : [],
              i32: ev.i32.slice(3 * e, 3 * to),
              rets: ev.rets.slice(retsBefore(e), retsBefore(to)),
              count: to - e,
            };
            onData?.(piece);
          }
        });
        throw new Error("the part failed");
      };
    let checked = 0;
    for (const f of forks.slice(0, 30)) {
      const want = await sequencesOf(f, { by: "process" });
      for (const n of [0, 1, 4, 25]) {
        let m: number | undefined;
        const got = await sequencesOf(f, { by: "process" }, { share: 0.3, distances: [0, 200], runPart: failing(n), onMeet: (x) => (m = x) });
        expect(got, `${f}, failing after ${n}`).toBe(want);
        if (m !== undefined) checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  }, 300_000);
});

describe("sequences in two parts, written from strace's grammar", () => {
  it("keep their first lines when the segment where the parts meet has no call (a fuzz finding)", async () => {
    // the parts meet where the second starts (nothing before it a -k frame could attach to), and
    // the segment from there holds no record a sequence reads before the next cut
    const lines = [
      "strace: Process 100 attached",
      "strace: Process 101 attached",
      "100 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=102, si_uid=0, si_status=0, si_utime=0, si_stime=0} ---",
      "101 getpid()                = 101",
      "100 getppid()               = 1",
      "101 +++ exited with 0 +++",
    ];
    const dir = mkdtempSync(path.join(tmpdir(), "strace-seq-split-seq-"));
    const file = path.join(dir, "t.strace");
    writeFileSync(file, lines.join("\n") + "\n");
    const starts = lines.map((_, i) => lines.slice(0, i).reduce((n, l) => n + l.length + 1, 0));
    for (const by of ["process", "thread", "trace"] as const) {
      const want = await sequencesOf(file, { by });
      expect(want).toContain('"line":4');
      for (const [a, b] of [
        [starts[1]!, starts[2]!],
        [starts[1]!, starts[3]!],
        [starts[1]!, starts[4]!],
      ]) {
        let met: number | undefined;
        expect(await sequencesOf(file, { by }, { cuts: [a, b], onMeet: (m) => (met = m) }), `${by} cut at ${a}, ${b}`).toBe(want);
        expect(met).toBe(a);
      }
    }
    rmSync(dir, { recursive: true });
  });
});

describe("the second part's file of events", () => {
  it("holds the events this thread replays, and is gone afterwards", async () => {
    const lines: string[] = [];
    for (let i = 0; i < 300; i++) lines.push(`${100 + (i % 2)} openat(AT_FDCWD, "/f${i}", O_RDONLY) = 3`, `${100 + (i % 2)} close(3) = 0`);
    lines.push("101 +++ exited with 0 +++", "100 +++ exited with 0 +++");
    const dir = mkdtempSync(path.join(tmpdir(), "strace-seq-events-"));
    const file = path.join(dir, "t.strace");
    writeFileSync(file, lines.join("\n") + "\n");
    const text = readFileSync(file);
    const cut = (n: number) => text.indexOf(`openat(AT_FDCWD, "/f${n}"`) - 4;
    const temp = path.join(dir, "tmp");
    mkdirSync(temp);
    const before = process.env.TMPDIR;
    process.env.TMPDIR = temp;
    const written: number[] = [];
    try {
      // (the part run here, writing its chunks to the file this thread gave it)
      const spy: PartRunner = (job, onCut, _signal, onData) =>
        seqPart(job, onCut, (e) => {
          written.push(existsSync(job.out!) ? statSync(job.out!).size : -1);
          onData?.(e);
        });
      let met: number | undefined;
      const got = await sequencesOf(file, { by: "process" }, { cuts: [cut(100), cut(150)], runPart: spy, onMeet: (m) => (met = m) });
      expect(got).toBe(await sequencesOf(file, { by: "process" }));
      // (not where the part starts: a call before that line could own -k frames here, not there)
      expect(met).toBe(cut(150));
      expect(written.length).toBeGreaterThan(0);
      expect(Math.min(...written)).toBeGreaterThan(0);
      expect(readdirSync(temp)).toEqual([]);
    } finally {
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
      rmSync(dir, { recursive: true });
    }
  });
});

describe.skipIf(!existsSync(SHARED + "/tools/bigtrace.py"))("sequences in two parts on a generated multi-process trace", () => {
  const file = path.join(tmpdir(), "strace-seq-split-6M.strace");

  it("through the CLI's second thread, -j 2 equals -j 1 for sequences, windows and exec splits", () => {
    if (!existsSync(file)) execFileSync("python3", [SHARED + "/tools/bigtrace.py", "--size", "6M", "--out", file], { stdio: "ignore" });
    for (const args of [
      ["--format", "jsonl"],
      ["--window", "4"],
      ["--by", "thread", "--split-exec", "--format", "csv"],
    ])
      sameWithJobs(["seq", ...args, file]);
    const seqs = runWithJobs("2", ["seq", "--format", "jsonl", file]).stdout.trim().split("\n");
    expect(seqs.length).toBeGreaterThan(100);
  }, 300_000);
});
