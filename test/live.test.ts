// `strace-seq trace` as a user runs it: real strace over real programs. Each case drives the
// built CLI (dist/) and checks what a user sees: the program's own output and exit status
// untouched, records written as calls happen, signals passed on, one-line errors.

import { afterAll, describe, expect, it } from "vitest";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { once } from "node:events";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ExitRecord, SyscallRecord, TraceRecord } from "../src/model/record.js";

const CLI = new URL("../dist/cli/main.js", import.meta.url).pathname;
const haveStrace = spawnSync("strace", ["-V"]).status === 0;

function records(file: string): TraceRecord[] {
  const text = existsSync(file) ? readFileSync(file, "utf8") : "";
  return text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as TraceRecord);
}

const scratchDirs: string[] = [];
afterAll(() => {
  for (const d of scratchDirs) rmSync(d, { recursive: true, force: true });
});

/** A private TMPDIR for the CLI, so the test can see its FIFO directory is gone afterwards. */
function scratch(): { dir: string; tmp: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(path.join(tmpdir(), "live-test-"));
  scratchDirs.push(dir);
  const tmp = path.join(dir, "tmp");
  spawnSync("mkdir", [tmp]);
  return { dir, tmp, env: { ...process.env, TMPDIR: tmp } };
}

/** Polls until `ok()` holds; fails the test after `ms` (a hang, not a measurement). */
async function until(ok: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return { code: child.exitCode, signal: child.signalCode };
  const [code, signal] = (await once(child, "exit")) as [number | null, NodeJS.Signals | null];
  return { code, signal };
}

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

describe.skipIf(!haveStrace)("strace-seq trace -- CMD", () => {
  it("leaves the program's stdout, stderr and exit status alone and writes its records to -o", () => {
    const { dir, tmp, env } = scratch();
    const out = path.join(dir, "out.jsonl");
    const r = spawnSync("node", [CLI, "trace", "-o", out, "--", "sh", "-c", "echo hi; echo oops >&2; exit 3"], { encoding: "utf8", env });
    expect(r.stdout).toBe("hi\n");
    expect(r.stderr).toBe("oops\n");
    expect(r.status).toBe(3);
    const recs = records(out);
    expect(recs[0]).toMatchObject({ type: "syscall", name: "execve", ret: 0 });
    const calls = recs.filter((x): x is SyscallRecord => x.type === "syscall");
    const hi = calls.find((c) => c.name === "write" && c.args[1]?.kind === "str" && c.args[1].value === "hi\n");
    expect(hi).toMatchObject({ ret: 3 });
    expect(hi!.args[0]).toMatchObject({ kind: "int", value: 1 });
    expect(recs.at(-1)).toMatchObject({ type: "exit", how: "exited", code: 3, pid: recs[0]!.pid });
    expect(recs.filter((x) => x.type === "diagnostic")).toEqual([]);
    // -ttt -T by default
    expect(typeof (recs[0] as SyscallRecord).time).toBe("number");
    expect(typeof (recs[0] as SyscallRecord).duration).toBe("number");
    expect(readdirSync(tmp)).toEqual([]);
  });

  it("exits 128+N when signal N killed the program", () => {
    const { dir, env } = scratch();
    const out = path.join(dir, "out.jsonl");
    const r = spawnSync("node", [CLI, "trace", "-o", out, "--", "sh", "-c", "kill -SEGV $$"], { encoding: "utf8", env });
    expect(r.status).toBe(128 + 11);
    expect(records(out).at(-1)).toMatchObject({ type: "exit", how: "killed", signal: "SIGSEGV" } satisfies Partial<ExitRecord>);
  });

  it("writes a record while the program is still running, not when a chunk fills or the trace ends", async () => {
    // sh blocks in read(0) with stdin held open: its write of "ready" is the last complete line
    // strace has written, so it must reach the output file while sh is still waiting
    const { dir, env } = scratch();
    const out = path.join(dir, "out.jsonl");
    const child = spawn("node", [CLI, "trace", "-o", out, "--", "sh", "-c", "echo ready; read x; echo got $x"], { env, stdio: ["pipe", "pipe", "inherit"] });
    const wrote = (text: string) => () =>
      records(out).some((x) => x.type === "syscall" && x.name === "write" && x.args[1]?.kind === "str" && x.args[1].value === text);
    await until(wrote("ready\n"), "the write of ready");
    expect(child.exitCode).toBeNull();
    expect(records(out).some((x) => x.type === "exit")).toBe(false);
    child.stdin!.end("line\n");
    expect(await exitOf(child)).toEqual({ code: 0, signal: null });
    expect(wrote("got line\n")()).toBe(true);
  });

  it("passes SIGTERM on to the program and exits with its status", async () => {
    const { dir, tmp, env } = scratch();
    const out = path.join(dir, "out.jsonl");
    const child = spawn("node", [CLI, "trace", "-o", out, "--", "sleep", "30"], { env, stdio: "inherit" });
    await until(() => records(out).some((x) => x.type === "syscall" && x.name === "execve"), "the execve record");
    const sleeper = records(out)[0]!.pid!;
    child.kill("SIGTERM");
    expect(await exitOf(child)).toEqual({ code: 128 + 15, signal: null });
    expect(alive(sleeper)).toBe(false);
    expect(records(out).at(-1)).toMatchObject({ type: "exit", how: "killed", signal: "SIGTERM" });
    expect(readdirSync(tmp)).toEqual([]);
  });

  it("--stats counts what `strace-seq stats` counts in strace's own text of the same run, and of a run traced to a file", () => {
    const { dir, env } = scratch();
    const raw = path.join(dir, "raw.strace");
    const program = ["sh", "-c", "cat /etc/hostname /nonexistent-file >/dev/null 2>&1; ls / >/dev/null; true"];
    const live = spawnSync("node", [CLI, "trace", "--stats", "--json", "-o", "-", "--raw", raw, "--", ...program], { encoding: "utf8", env });
    expect(live.status).toBe(0);
    const liveStats = JSON.parse(live.stdout) as {
      syscalls: Record<string, { calls: number; errors: number }>;
      syscallCount: number;
      errorCount: number;
      [k: string]: unknown;
    };
    const counts = (s: typeof liveStats) => Object.fromEntries(Object.entries(s.syscalls).map(([k, v]) => [k, [v.calls, v.errors]]));
    const ofFile = (file: string) => JSON.parse(spawnSync("node", [CLI, "stats", "--json", "-q", file], { encoding: "utf8" }).stdout) as typeof liveStats;
    expect(counts(liveStats)).toEqual(counts(ofFile(raw)));
    const pick = (x: Record<string, unknown>) => [x.lines, x.records, x.diagnostics, x.syscallCount, x.errorCount, x.processes, x.signals];
    expect(pick(liveStats)).toEqual(pick(ofFile(raw)));
    expect(liveStats.syscallCount).toBeGreaterThan(50);
    expect(liveStats.errorCount).toBeGreaterThan(0);
    // the same program traced by strace to a file the usual way
    const file = path.join(dir, "file.strace");
    expect(spawnSync("strace", ["-f", "-ttt", "-T", "-o", file, "--", ...program]).status).toBe(0);
    expect(counts(liveStats)).toEqual(counts(ofFile(file)));
  });

  it("--seq prints each process's sequence, the parent's and the child's, as `seq` reads strace's text", () => {
    const { dir, env } = scratch();
    const raw = path.join(dir, "raw.strace");
    const r = spawnSync("node", [CLI, "trace", "--seq", "--format", "jsonl", "-o", "-", "--raw", raw, "--", "sh", "-c", "/bin/true; exit 0"], {
      encoding: "utf8",
      env,
    });
    expect(r.status).toBe(0);
    const parse = (text: string) =>
      text
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { key: string; pid: number; symbols: string[] });
    const seqs = parse(r.stdout);
    expect(seqs).toHaveLength(2);
    const fromFile = parse(spawnSync("node", [CLI, "seq", "--format", "jsonl", raw], { encoding: "utf8" }).stdout);
    const byKey = (xs: typeof seqs) => Object.fromEntries(xs.map((x) => [x.key, x.symbols]));
    expect(byKey(seqs)).toEqual(byKey(fromFile));
    const child = seqs.find((s) => s.symbols.includes("execve") && s.symbols[0] !== "execve");
    expect(child?.symbols.at(-1)).toBe("exit_group");
    expect(seqs.find((s) => s.symbols[0] === "execve")?.symbols).toContain("wait4");
  });

  const haveStack = haveStrace && spawnSync("strace", ["-k", "-o", "/dev/null", "--", "true"]).status === 0;
  it.skipIf(!haveStack)("-k frames and -e write= dumps stay with their call", () => {
    const { dir, env } = scratch();
    const out = path.join(dir, "out.jsonl");
    const r = spawnSync("node", [CLI, "trace", "-o", out, "-e", "trace=write", "-e", "write=1", "--strace-args", "-k", "--", "sh", "-c", "echo hi"], {
      encoding: "utf8",
      env,
    });
    expect(r.status).toBe(0);
    const recs = records(out);
    expect(recs.filter((x) => x.type === "diagnostic")).toEqual([]);
    const w = recs.find((x): x is SyscallRecord => x.type === "syscall" && x.name === "write")!;
    expect(w.stack?.some((f) => f.includes("write"))).toBe(true);
    expect(w.dump?.join("")).toContain("68 69 0a");
  });

  it("-e trace= filters, and turns on --seccomp-bpf (strace's text shows only the chosen calls)", () => {
    const { dir, env } = scratch();
    const out = path.join(dir, "out.jsonl");
    const r = spawnSync("node", [CLI, "trace", "-o", out, "-e", "trace=openat,write", "-s", "4", "--", "sh", "-c", "echo hello-world"], {
      encoding: "utf8",
      env,
    });
    expect(r.status).toBe(0);
    const names = new Set(
      records(out)
        .filter((x): x is SyscallRecord => x.type === "syscall")
        .map((x) => x.name),
    );
    expect([...names].sort()).toEqual(["openat", "write"]);
    const w = records(out).find((x): x is SyscallRecord => x.type === "syscall" && x.name === "write")!;
    expect(w.args[1]).toMatchObject({ kind: "str", value: "hell", truncated: true });
  });
});

describe.skipIf(!haveStrace)("strace-seq trace -p PID", () => {
  it("attaches to a running process; SIGINT detaches and the process keeps running", async () => {
    const { dir, tmp, env } = scratch();
    const out = path.join(dir, "out.jsonl");
    const target = spawn("sh", ["-c", "while :; do sleep 0.05; done"], { stdio: "ignore" });
    try {
      const child = spawn("node", [CLI, "trace", "-p", String(target.pid), "-o", out], { env, stdio: ["ignore", "inherit", "pipe"] });
      let stderr = "";
      child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
      // the loop forks sleep after sleep: records of the target and its children arrive while it runs
      await until(() => records(out).some((x) => x.type === "syscall" && x.pid === target.pid && x.name === "wait4" && !x.detached), "a wait4 of the target");
      child.kill("SIGINT");
      expect(await exitOf(child)).toEqual({ code: 0, signal: null });
      expect(alive(target.pid!)).toBe(true);
      expect(target.exitCode).toBeNull();
      expect(stderr).toContain(`Process ${target.pid} attached`);
      expect(untraced(target.pid!)).toBe(true);
      expect(records(out).filter((x) => x.type === "diagnostic")).toEqual([]);
      expect(readdirSync(tmp)).toEqual([]);
    } finally {
      target.kill("SIGKILL");
    }
  });
});

describe("strace-seq trace: errors a user can act on, one line and status 2", () => {
  const oneLine = (r: { status: number | null; stderr: string }) => {
    expect(r.status).toBe(2);
    expect(r.stderr.split("\n").filter((l) => l !== "")).toHaveLength(1);
    expect(r.stderr).toMatch(/^strace-seq: /);
    return r.stderr;
  };

  it("strace not installed: says how to install it", () => {
    const r = spawnSync(process.execPath, [CLI, "trace", "--", "/bin/true"], { encoding: "utf8", env: { ...process.env, PATH: "/nonexistent" } });
    expect(oneLine(r)).toMatch(/strace is not installed.*apt-get install strace/);
  });

  it.skipIf(!haveStrace)("program not found, not executable", () => {
    expect(oneLine(spawnSync("node", [CLI, "trace", "--", "no-such-program-xyz"], { encoding: "utf8" }))).toContain("no-such-program-xyz: command not found");
    const { dir } = scratch();
    const plain = path.join(dir, "not-a-program");
    writeFileSync(plain, "data\n", { mode: 0o644 });
    expect(oneLine(spawnSync("node", [CLI, "trace", "--", plain], { encoding: "utf8" }))).toContain(`${plain}: permission denied`);
  });

  it.skipIf(!haveStrace)("an output that cannot be written, before the program runs", () => {
    const { dir } = scratch();
    const marker = path.join(dir, "ran");
    for (const opt of ["-o", "--raw"]) {
      const r = spawnSync("node", [CLI, "trace", opt, path.join(dir, "missing/out"), "--", "touch", marker], { encoding: "utf8" });
      expect(oneLine(r)).toContain(`cannot write ${path.join(dir, "missing/out")}`);
      expect(existsSync(marker)).toBe(false);
    }
  });

  it.skipIf(!haveStrace)("no such PID", () => {
    let pid = 4_000_000;
    while (alive(pid)) pid++;
    expect(oneLine(spawnSync("node", [CLI, "trace", "-p", String(pid)], { encoding: "utf8" }))).toContain(`no such process: ${pid}`);
  });

  it("a model file that is not one, before the program runs", () => {
    const { dir } = scratch();
    const bad = path.join(dir, "model.json");
    writeFileSync(bad, '{"format":"something-else"}\n');
    const marker = path.join(dir, "ran");
    expect(oneLine(spawnSync("node", [CLI, "trace", "--model", bad, "--", "touch", marker], { encoding: "utf8" }))).toContain(`${bad} is not a model`);
    expect(existsSync(marker)).toBe(false);
  });

  it("usage: a command and -p together, or neither", () => {
    expect(oneLine(spawnSync("node", [CLI, "trace"], { encoding: "utf8" }))).toContain("nothing to trace");
    expect(oneLine(spawnSync("node", [CLI, "trace", "-p", "1", "--", "true"], { encoding: "utf8" }))).toContain("not both");
  });

  it("ptrace refused to strace starting a program (a container without CAP_SYS_PTRACE): the last line says why", () => {
    // a stand-in for strace that fails the way strace 6.1 does when PTRACE_TRACEME is refused
    const { dir } = scratch();
    const fake = path.join(dir, "strace");
    writeFileSync(
      fake,
      "#!/bin/sh\necho 'strace: test_ptrace_get_syscall_info: PTRACE_TRACEME: Operation not permitted' >&2\necho 'strace: ptrace(PTRACE_TRACEME, ...): Operation not permitted' >&2\nexit 1\n",
      { mode: 0o755 },
    );
    const r = spawnSync(process.execPath, [CLI, "trace", "--", "true"], { encoding: "utf8", env: { ...process.env, PATH: `${dir}:/usr/bin:/bin` } });
    expect(r.status).toBe(2);
    const last = r.stderr.trim().split("\n").at(-1)!;
    expect(last).toMatch(/^strace-seq: ptrace is not permitted to trace true: .*kernel\.yama\.ptrace_scope.*CAP_SYS_PTRACE/);
  });

  // ptrace refused: an unprivileged user attaching to root's process (needs root and setpriv)
  const canDrop = process.getuid?.() === 0 && spawnSync("setpriv", ["--version"]).status === 0;
  it.skipIf(!haveStrace || !canDrop)("ptrace not permitted: names kernel.yama.ptrace_scope and CAP_SYS_PTRACE", async () => {
    const target = spawn("sleep", ["30"], { stdio: "ignore" });
    try {
      const r = spawnSync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", process.execPath, CLI, "trace", "-p", String(target.pid)], {
        encoding: "utf8",
      });
      const msg = oneLine(r);
      expect(msg).toContain("ptrace is not permitted");
      expect(msg).toContain("kernel.yama.ptrace_scope");
      expect(msg).toContain("CAP_SYS_PTRACE");
      expect(alive(target.pid!)).toBe(true);
    } finally {
      target.kill("SIGKILL");
    }
  });
});
