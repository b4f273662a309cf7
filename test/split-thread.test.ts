// The second part's thread of a split reading is kept for the next split of the run when one may
// follow (a new thread per large file of a list left each one's freed memory behind:
// src/api/split-reading.ts threadPart), and ended when none may, when it waits too long, or when a
// part fails. Run from dist/, where the thread's module is.

import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { SHARED } from "./helpers/shared.js";
import { splitLikely, type SplitGuessContext } from "../src/cli/early-thread.js";

const DIST = new URL("../dist/", import.meta.url).pathname;

describe.skipIf(!existsSync(SHARED + "/tools/bigtrace.py"))("the split's part thread", () => {
  const file = path.join(tmpdir(), "strace-seq-split-6M.strace");

  it("is kept for the next split, gives what a new one gives, and ends after waiting", async () => {
    if (!existsSync(file)) execFileSync("python3", [SHARED + "/tools/bigtrace.py", "--size", "6M", "--out", file], { stdio: "ignore" });
    const reading = (await import(path.join(DIST, "api/split-reading.js"))) as typeof import("../src/api/split-reading.js");
    const splitStats = (await import(path.join(DIST, "api/split-stats.js"))) as typeof import("../src/api/split-stats.js");
    const statsModule = (await import(path.join(DIST, "model/stats.js"))) as typeof import("../src/model/stats.js");
    const run = async (keepThread = true) => {
      const stats = new statsModule.TraceStats();
      const counts = await splitStats.countSplit(file, stats, { engine: "wasm", minBytes: 1, share: 0.3, keepThread });
      expect(counts).toBeDefined();
      return JSON.stringify(stats.result(counts!));
    };
    expect(reading.spareThreadId()).toBeUndefined();
    const first = await run();
    const kept = reading.spareThreadId();
    expect(kept).toBeDefined();
    // the next split takes the kept thread and leaves it kept again
    expect(await run()).toBe(first);
    expect(reading.spareThreadId()).toBe(kept);
    // a new thread after the kept one is dropped gives the same
    reading.dropSpareThread();
    expect(reading.spareThreadId()).toBeUndefined();
    expect(await run()).toBe(first);
    const other = reading.spareThreadId();
    expect(other).toBeDefined();
    expect(other).not.toBe(kept);
    // not taken for SPARE_IDLE_MS: ended
    await new Promise((r) => setTimeout(r, reading.SPARE_IDLE_MS + 500));
    expect(reading.spareThreadId()).toBeUndefined();
  }, 120_000);

  it("ends with its part when no other split may follow, and then the kept one is taken and ended", async () => {
    if (!existsSync(file)) execFileSync("python3", [SHARED + "/tools/bigtrace.py", "--size", "6M", "--out", file], { stdio: "ignore" });
    const reading = (await import(path.join(DIST, "api/split-reading.js"))) as typeof import("../src/api/split-reading.js");
    const splitStats = (await import(path.join(DIST, "api/split-stats.js"))) as typeof import("../src/api/split-stats.js");
    const statsModule = (await import(path.join(DIST, "model/stats.js"))) as typeof import("../src/model/stats.js");
    const run = async (keepThread: boolean) => {
      const stats = new statsModule.TraceStats();
      const counts = await splitStats.countSplit(file, stats, { engine: "wasm", minBytes: 1, share: 0.3, keepThread });
      return JSON.stringify(stats.result(counts!));
    };
    reading.dropSpareThread();
    const alone = await run(false);
    expect(reading.spareThreadId()).toBeUndefined();
    // a list's file before another keeps it; the last file takes it and does not keep it
    expect(await run(true)).toBe(alone);
    expect(reading.spareThreadId()).toBeDefined();
    expect(await run(false)).toBe(alone);
    expect(reading.spareThreadId()).toBeUndefined();
  }, 120_000);

  it("started early, is the one the split takes", async () => {
    if (!existsSync(file)) execFileSync("python3", [SHARED + "/tools/bigtrace.py", "--size", "6M", "--out", file], { stdio: "ignore" });
    const reading = (await import(path.join(DIST, "api/split-reading.js"))) as typeof import("../src/api/split-reading.js");
    const splitStats = (await import(path.join(DIST, "api/split-stats.js"))) as typeof import("../src/api/split-stats.js");
    const statsModule = (await import(path.join(DIST, "model/stats.js"))) as typeof import("../src/model/stats.js");
    const run = async () => {
      const stats = new statsModule.TraceStats();
      const counts = await splitStats.countSplit(file, stats, { engine: "wasm", minBytes: 1, share: 0.3, keepThread: true });
      return JSON.stringify(stats.result(counts!));
    };
    reading.dropSpareThread();
    const fresh = await run();
    reading.dropSpareThread();
    reading.startPartThreadEarly();
    const early = reading.spareThreadId();
    expect(early).toBeDefined();
    // (a second early start keeps the first)
    reading.startPartThreadEarly();
    expect(reading.spareThreadId()).toBe(early);
    expect(await run()).toBe(fresh);
    expect(reading.spareThreadId()).toBe(early);
    reading.dropSpareThread();
  }, 120_000);
});

describe("the guess that a command line will split", () => {
  const sizes: Record<string, number> = { "big.strace": 100 << 20, "small.strace": 1 << 20, "big.strace.gz": 100 << 20 };
  const ctx: SplitGuessContext = { cores: 2, minBytes: 64 << 20, plainFileBytes: (p) => sizes[p] ?? 0 };
  const likely = (args: string[], c = ctx) => splitLikely(["node", "main.js", ...args], c);

  it("is yes for the commands that split by default, given a large plain file and two cores", () => {
    for (const command of ["stats", "seq", "train", "score", "eval"]) expect(likely([command, "big.strace"])).toBe(true);
    expect(likely(["seq", "--by", "process", "small.strace", "big.strace"])).toBe(true);
    expect(likely(["stats", "-j", "2", "big.strace"])).toBe(true);
  });

  it("is no when told one job, on one core, or for parse unless told two", () => {
    for (const jobs of [["-j", "1"], ["--jobs", "1"], ["--jobs=1"], ["-j1"]]) expect(likely(["stats", ...jobs, "big.strace"])).toBe(false);
    // (the last -j counts, as commander reads it)
    expect(likely(["stats", "-j", "1", "-j", "2", "big.strace"])).toBe(true);
    expect(likely(["stats", "big.strace"], { ...ctx, cores: 1 })).toBe(false);
    expect(likely(["parse", "big.strace"])).toBe(false);
    expect(likely(["parse", "-j", "2", "big.strace"])).toBe(true);
  });

  it("is no without a plain file of the split's size, and for commands that never split", () => {
    expect(likely(["stats", "small.strace"])).toBe(false);
    expect(likely(["stats", "big.strace.gz"])).toBe(false);
    expect(likely(["stats", "-"])).toBe(false);
    expect(likely(["stats", "small.strace"], { ...ctx, minBytes: 1 })).toBe(true);
    for (const command of ["convert", "tree", "files", "export", "render", "nonsense"]) expect(likely([command, "big.strace"])).toBe(false);
    expect(likely([])).toBe(false);
  });
});
