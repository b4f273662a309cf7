// The web page's worker-side models in Node: the compact call table (rows, filters, jumps) and
// the process tree, checked against a real corpus trace and the library's own statistics.

import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { parse, renderArg, type SyscallRecord } from "../src/browser.js";
import { TraceStats } from "../src/model/stats.js";
import { CallTable } from "../web/rows.js";
import { ProcTree } from "../web/procs.js";
import { SHARED } from "./helpers/shared.js";

const TRACE = SHARED + "/corpus/strace-6.1/pythreads_tt_T_f.strace";
const none = { text: "", name: "", pid: "", errno: "" };

async function load(text: string | Uint8Array) {
  const trace = await parse(text);
  const table = new CallTable();
  const tree = new ProcTree();
  const stats = new TraceStats();
  for (const r of trace.records) {
    stats.add(r);
    if (r.type === "syscall") tree.add(r, table.add(r, "t"));
    else tree.add(r);
  }
  return { trace, table, tree, stats: stats.result(trace.counts) };
}

describe("CallTable", () => {
  it("keeps every call and renders rows like the library", async () => {
    const { trace, table, stats } = await load(readFileSync(TRACE));
    // every call is a row, the ones that never returned (`= ?`, not in syscallCount) too
    expect(table.length).toBe(stats.syscallCount + stats.unreturned);
    const calls = trace.records.filter((r): r is SyscallRecord => r.type === "syscall");
    const i = calls.findIndex((c) => c.errno !== null);
    const row = table.row(i);
    expect(row).toMatchObject({ index: i, line: calls[i]!.line, pid: calls[i]!.pid, name: calls[i]!.name, errno: calls[i]!.errno, result: "-1" });
    expect(row.args).toBe(calls[i]!.args.map(renderArg).join(", ").slice(0, 240));
    expect(row.duration).toBe(calls[i]!.duration!.toFixed(6));
  });

  it("filters by name, pid, errno and text", async () => {
    const { table, stats } = await load(readFileSync(TRACE));
    for (const [name, c] of Object.entries(stats.syscalls)) expect(table.filter({ ...none, name }).length, name).toBe(c.calls);
    expect(table.filter({ ...none, errno: "*" }).length).toBe(stats.errorCount);
    for (const [errno, n] of Object.entries(stats.errnos)) expect(table.filter({ ...none, errno }).length).toBe(n);
    expect(table.filter({ ...none, name: "no_such_call" }).length).toBe(0);
    const byPid = table.filter({ ...none, pid: "4186" });
    expect(byPid.length).toBeGreaterThan(0);
    for (const i of byPid) expect(table.row(i).pid).toBe(4186);
    const text = table.filter({ ...none, text: "/etc/ld.so.cache" });
    expect(text.length).toBeGreaterThan(0);
    for (const i of text) expect(table.row(i).args).toContain("/etc/ld.so.cache");
  });

  it("locates the call at or before a line, else the first after it", async () => {
    const { table } = await load('junk\nopenat(AT_FDCWD, "/a", O_RDONLY) = 3\nmore junk\nclose(3) = 0\n');
    expect(table.locate("t", 1)).toBe(0);
    expect(table.locate("t", 3)).toBe(0);
    expect(table.locate("t", 4)).toBe(1);
    expect(table.locate("other", 1)).toBe(-1);
  });

  it("keeps results that are not plain numbers as printed", async () => {
    const { table } = await load("mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, 3, 0) = 0x7f00deadb000\nexit_group(0) = ?\n");
    expect(table.row(0).result).toBe("0x7f00deadb000");
    expect(table.row(1).result).toBe("?");
  });
});

describe("ProcTree", () => {
  it("links clone children, marks threads, names processes by execve", async () => {
    const { tree, stats } = await load(readFileSync(TRACE));
    const procs = tree.list();
    expect(procs.length).toBe(stats.processes);
    const root = procs.find((p) => p.parent === null)!;
    expect(root.name).toBe("/usr/bin/python3.11");
    expect(root.exit).toBe("exited 0");
    const kids = procs.filter((p) => p.parent === root.pid);
    expect(kids.length).toBe(procs.length - 1);
    expect(kids.every((k) => k.thread)).toBe(true);
    expect(procs.reduce((s, p) => s + p.calls, 0)).toBe(stats.syscallCount + stats.unreturned);
  });

  it("fork children are processes; killed status has the signal", async () => {
    const text = [
      "100 fork() = 101",
      '101 execve("/bin/sh", ["sh"], 0x7ffd /* 3 vars */) = 0',
      "101 +++ killed by SIGSEGV (core dumped) +++",
      "100 +++ exited with 1 +++",
      "",
    ].join("\n");
    const { tree } = await load(text);
    const [p, c] = tree.list();
    expect(p).toMatchObject({ pid: 100, parent: null, exit: "exited 1" });
    expect(c).toMatchObject({ pid: 101, parent: 100, thread: false, name: "/bin/sh", exit: "killed SIGSEGV (core dumped)" });
  });
});
