// The analyses (process tree, per-file I/O, latency, Perfetto timeline) on fixtures made here with
// strace 6.1 (fixtures/README.md). Every expected number below was worked out by reading the
// fixture's lines, not taken from the tool's output.

import { describe, expect, it } from "vitest";
import { readFileSync, mkdtempSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "../src/index.js";
import { ProcessTree } from "../src/analyze/tree.js";
import { FileAccess, type FileUsage } from "../src/analyze/files.js";
import { DurationDigest, EXACT_CAP, LATENCY_RELATIVE_ERROR, LatencyStats } from "../src/analyze/latency.js";
import { perfettoJson, type TraceEvent } from "../src/analyze/perfetto.js";
import { TraceStats } from "../src/model/stats.js";

const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url).pathname;
const CLI = new URL("../dist/cli/main.js", import.meta.url).pathname;
const run = (args: string[]) => spawnSync("node", [CLI, ...args], { encoding: "utf8" });

async function records(name: string) {
  return (await parse(readFileSync(fixture(name), "utf8"))).records;
}

describe("process tree", () => {
  it("sh with two vforked cats, two execs of its own and a SIGTERM (analyze_f_T)", async () => {
    const tree = new ProcessTree();
    for (const r of await records("analyze_f_T.strace")) tree.add(r);
    const [sh, cat1, cat2] = tree.nodes();
    expect(tree.nodes()).toHaveLength(3);
    // line 1 and line 66: sh execs itself again for `exec sh -c "kill -TERM $$"`
    expect(sh).toMatchObject({ pid: 7327, ppid: null, thread: false, exe: "/usr/bin/sh", argv: ["sh", "-c", "kill -TERM $$"], execs: 2 });
    expect(sh.exit).toEqual({ how: "killed", signal: "SIGTERM" });
    // 35 calls of 7327 (the two <... resumed> halves merge into their vfork and wait4); 2 ECHILD
    expect(sh).toMatchObject({ calls: 35, errors: 2, children: [7328, 7329] });
    expect(cat1).toMatchObject({
      pid: 7328,
      ppid: 7327,
      exe: "/usr/bin/cat",
      argv: ["cat", "/tmp/fx/in.txt"],
      exit: { how: "exited", code: 0 },
      calls: 13,
      errors: 0,
    });
    // 7328's -T durations: 189+11+8+11+9+8+12+55+7+8+8+8 µs (exit_group has none)
    expect(cat1.seconds).toBeCloseTo(0.000334, 9);
    expect(cat2).toMatchObject({ pid: 7329, ppid: 7327, argv: ["cat", "/nonexistent"], exit: { how: "exited", code: 1 }, calls: 14, errors: 1 });
    expect(sh.start).toBeCloseTo(1796531081.683032, 6);
    expect(sh.end).toBeCloseTo(1796531081.706458, 6);
    const text = tree.text().split("\n");
    expect(text[0]).toMatch(/^7327 \/usr\/bin\/sh sh -c 'kill -TERM \$\$' {2}\[killed by SIGTERM; 35 calls/);
    expect(text[1]).toMatch(/^├─ 7328 \/usr\/bin\/cat cat \/tmp\/fx\/in.txt {2}\[exited 0; 13 calls, 0.000334 s\]$/);
    expect(text[2]).toMatch(/^└─ 7329 .*exited 1; 14 calls/);
  });

  it("a pthread is a thread of its process (clone3 with CLONE_THREAD)", async () => {
    const tree = new ProcessTree();
    for (const r of await records("thread_f_T.strace")) tree.add(r);
    const [main, thread] = tree.nodes();
    expect(main).toMatchObject({ pid: 7373, thread: false, tgid: 7373, exe: "./thr", calls: 6, exit: { how: "exited", code: 3 } });
    expect(thread).toMatchObject({ pid: 7374, ppid: 7373, thread: true, tgid: 7373, calls: 3, exit: { how: "exited", code: 0 } });
    expect(tree.text()).toContain("└─ 7374 [thread] (./thr)  [exited 0; 3 calls");
  });

  it("-f on stderr: the first process, unprefixed until line 55 names it 22752, keeps its children (sh_Y_f_stderr)", async () => {
    const tree = new ProcessTree();
    for (const r of await records("sh_Y_f_stderr.strace")) tree.add(r);
    expect(tree.nodes().map((t) => [t.pid, t.ppid, t.exe, t.exit?.code])).toEqual([
      [22752, null, "/usr/bin/sh", 0], // line 1 execve, line 140 the unprefixed `+++ exited with 0 +++`
      [22753, 22752, "/bin/true", 0], // clone at line 49, execve line 102, exit line 132
      [22754, 22752, "/bin/true", 0], // vfork at line 51, execve line 54, exit line 89
    ]);
    expect(tree.nodes()[0].children).toEqual([22753, 22754]);
  });

  it("a trace without pids is one process with pid null", async () => {
    const tree = new ProcessTree();
    for (const r of await records("overflow1.strace")) tree.add(r);
    expect(tree.nodes()).toHaveLength(1);
    expect(tree.nodes()[0]).toMatchObject({ pid: null, exit: { how: "killed", signal: "SIGABRT", core: true } });
  });
});

function filesOf(rows: FileUsage[]): Map<string, FileUsage> {
  return new Map(rows.map((u) => [u.path, u]));
}

describe("per-file I/O", () => {
  it("follows fds through openat, fcntl, dup2, close and vfork without -y (analyze_f_T)", async () => {
    const fa = new FileAccess();
    for (const r of await records("analyze_f_T.strace")) fa.add(r);
    const f = filesOf(fa.result());
    // cat copies in.txt to its fd 1, which sh had dup2'd from out.txt before the vfork
    expect(f.get("/tmp/fx/in.txt")).toMatchObject({ opens: 1, failed: 0, bytesRead: 11, bytesWritten: 0, calls: 4 });
    expect(f.get("/tmp/fx/in.txt")!.seconds).toBeCloseTo(0.000082, 9);
    // openat, dup2(3, 1), close(3), 2 copy_file_range, cat's close(1), sh's dup2(11, 1) onto it
    expect(f.get("/tmp/fx/out.txt")).toMatchObject({ opens: 1, bytesWritten: 11, bytesRead: 0, calls: 7 });
    expect(f.get("/tmp/fx/out.txt")!.seconds).toBeCloseTo(0.001075, 9);
    // the second cat's four writes to stderr, which sh pointed at /dev/null
    expect(f.get("/dev/null")).toMatchObject({ opens: 1, bytesWritten: 5 + 12 + 27 + 1, calls: 9 });
    expect(f.get("/nonexistent")).toMatchObject({ opens: 0, failed: 1, errnos: { ENOENT: 1 }, calls: 1 });
    expect(f.get("/lib/x86_64-linux-gnu/libc.so.6")).toMatchObject({ opens: 4, bytesRead: 4 * 832, calls: 12 });
    expect(f.get("/etc/ld.so.cache")).toMatchObject({ opens: 4, calls: 8 });
    // execve names its program by path
    expect(f.get("/usr/bin/cat")).toMatchObject({ opens: 0, calls: 2 });
    expect(
      fa
        .result("bytesRead")
        .map((u) => u.path)
        .slice(0, 2),
    ).toEqual(["/lib/x86_64-linux-gnu/libc.so.6", "/tmp/fx/in.txt"]);
    expect(fa.result("path")[0].path).toBe("/dev/null");
  });

  it("close-on-exec, dup3, F_DUPFD_CLOEXEC, openat2 and close_range across two execs (fdfollow_f_T)", async () => {
    const fa = new FileAccess();
    for (const r of await records("fdfollow_f_T.strace")) fa.add(r);
    const f = filesOf(fa.result());
    // a.txt (8 bytes) is read through fd 11 (2), fd 9 (3), and after both execs as cat's stdin (3)
    // via sh's dup2(9, 0); fd 11 was close-on-exec, so sh's own fcntl(0, F_DUPFD, 10) = 11 and
    // fcntl(11, F_SETFD, ...) are not a.txt's. Calls: openat, fcntl, dup3, 2 reads, close_range
    // (its first fd is 3), dup2, cat's 2 reads, close(0).
    expect(f.get("/tmp/fx/a.txt")).toMatchObject({ opens: 1, bytesRead: 8, calls: 10 });
    expect(f.get("/tmp/fx/a.txt")!.seconds).toBeCloseTo(0.000091, 9);
    // openat2's relative path as requested (no -y); the read after close_range is EBADF on a closed fd
    expect(f.get("b.txt")).toMatchObject({ opens: 1, bytesRead: 3, calls: 2 });
    expect(f.get("/dev/null")).toMatchObject({ opens: 1, calls: 4 });
  });

  it("uses -y decorations: successful opens under the resolved path (analyze_y_f_T)", async () => {
    const fa = new FileAccess();
    for (const r of await records("analyze_y_f_T.strace")) fa.add(r);
    const f = filesOf(fa.result());
    expect(f.get("/usr/lib/x86_64-linux-gnu/libc.so.6")).toMatchObject({ opens: 4, bytesRead: 4 * 832 });
    expect(f.has("/lib/x86_64-linux-gnu/libc.so.6")).toBe(false);
    expect(f.get("/tmp/fx/in.txt")).toMatchObject({ opens: 1, bytesRead: 11 });
    expect(f.get("/tmp/fx/out.txt")).toMatchObject({ opens: 1, bytesWritten: 11 });
    expect(f.get("/dev/null")!.bytesWritten).toBe(45);
    expect(f.get("/nonexistent")).toMatchObject({ failed: 1, errnos: { ENOENT: 1 } });
  });
});

describe("latency", () => {
  it("per syscall from -T: openat and read of analyze_f_T", async () => {
    const stats = new TraceStats();
    const trace = await parse(readFileSync(fixture("analyze_f_T.strace"), "utf8"));
    for (const r of trace.records) stats.add(r);
    const res = stats.result(trace.counts);
    // the twelve openat durations in µs: 16 12 265 17 12 13 | 11 11 12 | 12 11 11
    const o = res.syscalls.openat.latency!;
    expect(o).toMatchObject({ timed: 12, exact: true });
    expect(o.total).toBeCloseTo(403e-6, 12);
    expect(o.min).toBe(11e-6);
    expect(o.max).toBe(265e-6);
    expect(o.mean).toBeCloseTo(403e-6 / 12, 12);
    expect(o.p50).toBe(12e-6); // nearest rank 6 of 12 sorted
    expect(o.p99).toBe(265e-6); // rank 12
    // reads: 10, 9, 9, 10 µs
    expect(res.syscalls.read.latency).toMatchObject({ timed: 4, min: 9e-6, max: 10e-6, p50: 9e-6, p99: 10e-6 });
    // exit_group never returned (`= ?`): strace -c leaves it out, and so does stats
    expect(res.syscalls.exit_group).toBeUndefined();
    expect(res.unreturned).toBeGreaterThan(0);
    const table = stats.table();
    expect(table.split("\n")[0]).toBe("% time     seconds  usecs/call     calls    errors       min       p50       p99       max syscall");
    expect(table).toMatch(/\n *\d+\.\d\d +0\.000403 +34 +12 +1 +11 +12 +265 +265 openat\n/);
  });

  it("keeps percentiles within the documented relative error past the exact cap", () => {
    const d = new DurationDigest();
    const values: number[] = [];
    // deterministic spread over five decades
    let x = 12345;
    for (let i = 0; i < 50_000; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      const v = 1e-6 * Math.pow(10, (5 * x) / 2147483648);
      values.push(v);
      d.add(v);
    }
    values.sort((a, b) => a - b);
    const s = d.summary();
    expect(s.exact).toBe(false);
    expect(values.length).toBeGreaterThan(EXACT_CAP);
    for (const [q, got] of [
      [0.5, s.p50],
      [0.99, s.p99],
    ] as const) {
      const want = values[Math.ceil(q * values.length) - 1];
      expect(Math.abs(got - want) / want).toBeLessThanOrEqual(LATENCY_RELATIVE_ERROR);
    }
    expect(s.min).toBe(values[0]);
    expect(s.max).toBe(values[values.length - 1]);
  });

  it("puts each duration in its own bucket, also durations that share a slot of the bucket cache", () => {
    // the cache is direct-mapped by whole microseconds modulo 4096: these values collide there
    const values = Array.from({ length: 3 * EXACT_CAP }, (_, i) => 12e-6 + (i % 7) * 4096e-6 + (i % 2) * 4096 * 16e-6);
    const d = new DurationDigest();
    for (const v of values) d.add(v);
    const gamma = (1 + LATENCY_RELATIVE_ERROR) / (1 - LATENCY_RELATIVE_ERROR);
    const want = new Map<number, number>();
    for (const v of values) {
      const i = Math.ceil(Math.log(v) / Math.log(gamma));
      want.set(i, (want.get(i) ?? 0) + 1);
    }
    const { buckets, lo } = d.state();
    const got = new Map<number, number>();
    buckets!.forEach((n, at) => n > 0 && got.set(at + lo, n));
    expect(got.size).toBe(14);
    expect(got).toEqual(want);
  });

  it("takes any key and ignores values that are not durations", () => {
    const l = new LatencyStats();
    l.add(0, 0.5);
    l.add(0, NaN);
    l.add("read", 0);
    expect(l.get(0)).toMatchObject({ timed: 1, total: 0.5 });
    expect(l.get("read")).toMatchObject({ timed: 1, p50: 0, p99: 0 });
    expect(l.get("write")).toBeUndefined();
  });
});

/** Checks the trace-event rules: numbers where numbers belong, and slices that nest per thread. */
function checkWellFormed(events: TraceEvent[]): void {
  const byThread = new Map<number, TraceEvent[]>();
  for (const e of events) {
    expect(Number.isInteger(e.pid)).toBe(true);
    expect(Number.isInteger(e.tid)).toBe(true);
    expect(typeof e.name).toBe("string");
    if (e.ph === "M") continue;
    expect(Number.isFinite(e.ts) && e.ts! >= 0).toBe(true);
    if (e.ph === "X") {
      expect(Number.isFinite(e.dur) && e.dur! >= 0).toBe(true);
      let list = byThread.get(e.tid);
      if (!list) byThread.set(e.tid, (list = []));
      list.push(e);
    } else expect(e).toMatchObject({ ph: "i", s: "t" });
  }
  for (const list of byThread.values()) {
    list.sort((a, b) => a.ts! - b.ts!);
    // a syscall does not contain another on the same thread: each ends before the next begins
    for (let i = 1; i < list.length; i++) expect(list[i - 1].ts! + list[i - 1].dur!).toBeLessThanOrEqual(list[i].ts! + 1e-9);
  }
}

describe("Perfetto export", () => {
  it("the threaded program: one process, two thread tracks, slices from -T, names from execve", async () => {
    const doc = perfettoJson(await records("thread_f_T.strace"));
    checkWellFormed(doc.traceEvents);
    expect(doc.otherData.timeOrigin).toBe("1796531083.728668");
    const slices = doc.traceEvents.filter((e) => e.ph === "X");
    expect(new Set(slices.map((e) => e.pid))).toEqual(new Set([7373]));
    expect(new Set(slices.map((e) => e.tid))).toEqual(new Set([7373, 7374]));
    expect(slices).toHaveLength(9);
    // clone3 at .730009, 1341 µs after execve, taking 55 µs
    expect(slices.find((e) => e.name === "clone3")).toMatchObject({ ts: 1341, dur: 55, tid: 7373, args: { ret: 7374 } });
    // the main thread's nanosleep began at .730156 and was resumed: -T gives 1105 µs
    expect(slices.find((e) => e.name === "clock_nanosleep" && e.tid === 7373)).toMatchObject({ ts: 1488, dur: 1105 });
    expect(slices.find((e) => e.name === "write" && e.tid === 7374)).toMatchObject({ ts: 1550, dur: 8, pid: 7373 });
    const instants = doc.traceEvents.filter((e) => e.ph === "i");
    expect(instants).toEqual([
      expect.objectContaining({ name: "exited 0", tid: 7374, pid: 7373, ts: 3822 }),
      expect.objectContaining({ name: "exited 3", tid: 7373, pid: 7373, ts: 3967 }),
    ]);
    const meta = doc.traceEvents.filter((e) => e.ph === "M");
    expect(meta).toEqual([
      { name: "process_name", ph: "M", pid: 7373, tid: 7373, args: { name: "thr" } },
      { name: "thread_name", ph: "M", pid: 7373, tid: 7373, args: { name: "thr" } },
      { name: "thread_name", ph: "M", pid: 7373, tid: 7374, args: { name: "thr 7374" } },
    ]);
  });

  it("processes, signals and names on the forking trace; the CLI writes the same document", async () => {
    const doc = perfettoJson(await records("analyze_y_f_T.strace"));
    checkWellFormed(doc.traceEvents);
    const signals = doc.traceEvents.filter((e) => e.cat === "signal").map((e) => e.name);
    expect(signals).toEqual(["SIGCHLD", "SIGCHLD", "SIGTERM"]);
    const names = doc.traceEvents.filter((e) => e.name === "process_name").map((e) => [e.pid, e.args!.name]);
    expect(names).toEqual([
      [7321, "sh"],
      [7322, "cat"],
      [7323, "cat"],
    ]);
    const out = path.join(mkdtempSync(path.join(tmpdir(), "perfetto-")), "t.json");
    const r = run(["export", "--format", "perfetto", "-q", fixture("analyze_y_f_T.strace"), "-o", out]);
    expect(r.status).toBe(0);
    expect(JSON.parse(readFileSync(out, "utf8"))).toEqual(doc);
  });

  it("-tt timestamps (since midnight): microseconds from the printed text (sigs_tt_T_f)", async () => {
    const doc = perfettoJson(await records("sigs_tt_T_f.strace"));
    checkWellFormed(doc.traceEvents);
    expect(doc.otherData.timeOrigin).toBe("03:53:59.174900");
    // line 2: brk at 03:53:59.175341, 441 µs after the execve, taking 18 µs
    expect(doc.traceEvents.find((e) => e.ph === "X" && e.args?.line === 2)).toMatchObject({ name: "brk", ts: 441, dur: 18 });
    // line 52: SIGUSR1 at 03:53:59.238214
    expect(doc.traceEvents.find((e) => e.name === "SIGUSR1")).toMatchObject({ ph: "i", ts: 63314, pid: 4198, tid: 4198 });
  });

  it("-f on stderr: the unprefixed first process's calls wait for line 70 to name it 18981 (sh_tt_f_stderr)", async () => {
    const doc = perfettoJson(await records("sh_tt_f_stderr.strace"));
    checkWellFormed(doc.traceEvents);
    expect(new Set(doc.traceEvents.map((e) => `${e.pid}/${e.tid}`))).toEqual(new Set(["18981/18981", "18982/18982"]));
    // line 1, printed without a pid, is sh's execve
    expect(doc.traceEvents.find((e) => e.args?.line === 1)).toMatchObject({ name: "execve", pid: 18981, tid: 18981, ts: 0 });
    expect(doc.traceEvents.filter((e) => e.name === "process_name").map((e) => [e.pid, e.args!.name])).toEqual([
      [18981, "sh"],
      [18982, "ls"],
    ]);
  });

  it("a trace without timestamps is a usage error", () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), "perfetto-")), "t.json");
    const r = run(["export", "--format", "perfetto", "-q", fixture("overflow1.strace"), "-o", out]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/no timestamps/);
  });
});

describe("tree, files and stats on the command line", () => {
  it("tree --json and files --json --sort give the library's results", () => {
    const tree = JSON.parse(run(["tree", "--json", "-q", fixture("thread_f_T.strace")]).stdout) as { tasks: { pid: number; thread: boolean }[] };
    expect(tree.tasks.map((t) => [t.pid, t.thread])).toEqual([
      [7373, false],
      [7374, true],
    ]);
    const files = JSON.parse(run(["files", "--json", "--sort", "bytesWritten", "-q", fixture("analyze_f_T.strace")]).stdout) as { files: FileUsage[] };
    expect(files.files.slice(0, 2).map((f) => [f.path, f.bytesWritten])).toEqual([
      ["/dev/null", 45],
      ["/tmp/fx/out.txt", 11],
    ]);
    const bad = run(["files", "--sort", "size", fixture("analyze_f_T.strace")]);
    expect(bad.status).toBe(2);
  });

  it("tree of a -ff folder merges its per-pid files (forkexec_ff), and refuses other folders", () => {
    const r = run(["tree", "--json", "-q", fixture("forkexec_ff")]);
    expect(r.status).toBe(0);
    const tasks = (
      JSON.parse(r.stdout) as { tasks: { pid: number; ppid: number | null; exe?: string; exit?: { how: string; code?: number; signal?: string } }[] }
    ).tasks;
    // forkexec_ff.4094 creates 4095..4099 (clone, clone, vfork, clone3, clone); 4099 clones 4100
    expect(tasks.map((t) => [t.pid, t.ppid, t.exe ?? null, t.exit?.code ?? t.exit?.signal])).toEqual([
      [4094, null, "/srv/strace-corpus/build/forkexec", 0],
      [4095, 4094, "/bin/echo", 0],
      [4096, 4094, null, 3],
      [4097, 4094, null, 127], // its execve of /nonexistent/bin/nope failed
      [4098, 4094, "/bin/true", 0],
      [4099, 4094, null, "SIGTERM"],
      [4100, 4099, "/bin/sh", 7],
    ]);
    // a child that ran no execve of its own shows the program it inherited
    expect(run(["tree", "-q", fixture("forkexec_ff")]).stdout).toContain("├─ 4096 (/srv/strace-corpus/build/forkexec)  [exited 3; 2 calls");
    const bad = run(["files", "-q", path.dirname(fixture("overflow1.strace"))]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/not a -ff folder/);
  });

  it("stats --json carries latency per syscall", () => {
    const s = JSON.parse(run(["stats", "--json", "-q", fixture("analyze_f_T.strace")]).stdout) as {
      syscalls: Record<string, { calls: number; latency?: { p50: number; max: number } }>;
    };
    expect(s.syscalls.openat).toMatchObject({ calls: 12, latency: { p50: 12e-6, max: 265e-6 } });
  });
});
