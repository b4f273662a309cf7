// The library form of live tracing: trace() / attach() are async iterables of records, stopped
// by an AbortSignal; runs real strace.

import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { attach, LiveError, trace, type LiveRecord } from "../src/index.js";
import type { SyscallRecord } from "../src/model/record.js";

const haveStrace = spawnSync("strace", ["-V"]).status === 0;

/** Nobody ptraces the process any more (it was detached, not left stopped under a tracer). */
function untraced(pid: number): boolean {
  return /^TracerPid:\s+0$/m.test(readFileSync(`/proc/${pid}/status`, "utf8"));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!haveStrace)("trace() and attach()", () => {
  // a private TMPDIR, to see the FIFO's directory removed whatever way a trace ends
  let tmp = "";
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.TMPDIR;
    tmp = mkdtempSync(path.join(tmpdir(), "live-api-"));
    process.env.TMPDIR = tmp;
  });
  afterEach(() => {
    process.env.TMPDIR = saved;
    if (saved === undefined) delete process.env.TMPDIR;
    expect(readdirSync(tmp)).toEqual([]);
    rmSync(tmp, { recursive: true, force: true });
  });

  it("yields the program's records in order and keeps its exit status", async () => {
    const live = trace("sh", ["-c", "cat /nonexistent-file 2>/dev/null; exit 4"], { timestamps: false });
    const recs: LiveRecord[] = [];
    for await (const r of live) recs.push(r);
    expect(recs[0]).toMatchObject({ type: "syscall", name: "execve", ret: 0 });
    expect((recs[0] as SyscallRecord).time).toBeUndefined();
    const failed = recs.find((r) => r.type === "syscall" && r.name === "openat" && r.errno === "ENOENT");
    expect(failed).toBeDefined();
    expect(recs.filter((r) => r.type === "exit").map((r) => r.type === "exit" && r.code)).toContain(4);
    expect(live.result).toEqual({ status: 4 });
  });

  it("an AbortSignal stops the program while it runs", async () => {
    const ctl = new AbortController();
    const live = trace("sleep", ["30"], { signal: ctl.signal });
    let pid: number | null = null;
    const recs: LiveRecord[] = [];
    for await (const r of live) {
      recs.push(r);
      if (r.type === "syscall" && r.name === "execve") {
        pid = r.pid;
        ctl.abort();
      }
    }
    expect(pid).not.toBeNull();
    expect(alive(pid!)).toBe(false);
    expect(live.result).toEqual({ status: 128 + 15, signal: "SIGTERM" });
    expect(recs.at(-1)).toMatchObject({ type: "exit", how: "killed", signal: "SIGTERM" });
  });

  it("attach() with an AbortSignal detaches and leaves the process running", async () => {
    const target = spawn("sh", ["-c", "while :; do sleep 0.05; done"], { stdio: "ignore" });
    try {
      const ctl = new AbortController();
      const messages: string[] = [];
      const live = attach(target.pid!, { signal: ctl.signal, onMessage: (l) => messages.push(l) });
      let seen = 0;
      for await (const r of live) if (r.type === "syscall" && r.pid === target.pid && ++seen === 3) ctl.abort();
      expect(seen).toBeGreaterThanOrEqual(3);
      expect(live.result).toEqual({ status: 0 });
      expect(alive(target.pid!)).toBe(true);
      expect(untraced(target.pid!)).toBe(true);
      expect(messages).toContain(`strace: Process ${target.pid} attached`);
    } finally {
      target.kill("SIGKILL");
    }
  });

  it("a program that does not exist is a LiveError before anything runs", async () => {
    const live = trace("no-such-program-xyz");
    await expect(async () => {
      for await (const _ of live) void _;
    }).rejects.toThrow(LiveError);
  });
});
