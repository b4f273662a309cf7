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
});
