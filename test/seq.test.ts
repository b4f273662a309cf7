// Sequences from records: units (thread/process/trace), clone/fork/exec handling, symbol
// modes, windows, n-grams, lookahead pairs and the export formats.
import { describe, expect, it } from "vitest";
import type { ArgNode, SyscallRecord, TraceRecord } from "../src/model/record.js";
import {
  Alphabet,
  firstFlagArg,
  lookaheadPairs,
  lookaheadTotal,
  ngramCounts,
  sequenceLine,
  sequences,
  sequencesSync,
  symbolizer,
  windowCount,
  windowLine,
  windows,
} from "../src/seq/index.js";

let line = 0;
const ident = (name: string): ArgNode => ({ kind: "ident", name });
const flags = (...names: string[]): ArgNode => ({ kind: "flags", items: names.map(ident) });
const str = (value: string): ArgNode => ({ kind: "str", value, raw: JSON.stringify(value) });
const int = (n: number): ArgNode => ({ kind: "int", text: String(n), value: n });
function call(pid: number | null, name: string, ret: number | null = 0, args: ArgNode[] = []): SyscallRecord {
  return { type: "syscall", pid, name, args, ret, errno: null, line: ++line };
}
const exit = (pid: number | null): TraceRecord => ({ type: "exit", pid, how: "exited", code: 0, line: ++line });
const threadClone = (pid: number, child: number) => call(pid, "clone", child, [flags("CLONE_VM", "CLONE_FS", "CLONE_THREAD", "CLONE_SIGHAND")]);
const forkClone = (pid: number | null, child: number) => call(pid, "clone", child, [flags("CLONE_CHILD_SETTID", "SIGCHLD")]);

// A traced server: 100 makes a thread 101 and forks 200, which execs.
function trace(): TraceRecord[] {
  line = 0;
  return [
    call(100, "execve"),
    call(100, "brk"),
    threadClone(100, 101),
    call(101, "read"),
    call(100, "write"),
    forkClone(100, 200),
    call(200, "close"),
    call(200, "execve", 0, [str("/bin/sh")]),
    call(200, "brk"),
    { type: "signal", pid: 100, signal: "SIGCHLD", line: ++line },
    call(101, "exit"),
    exit(101),
    call(200, "exit_group"),
    exit(200),
    call(100, "exit_group", null),
  ];
}

describe("sequences from records", () => {
  it("-f on stderr: unprefixed calls belong to the first process, then to the last one left", () => {
    line = 0;
    // strace prints no [pid N] while one process is traced: 100 is unprefixed until 200 exists,
    // and 200 is unprefixed again once 100 has exited
    const recs = [
      call(null, "execve"),
      forkClone(null, 200),
      call(200, "close"),
      call(100, "wait4"),
      exit(100),
      call(null, "read"),
      call(null, "exit_group", null),
      exit(null),
    ];
    const byProcess = sequencesSync(recs, { by: "process" }).map((s) => [s.key, s.symbols.join(" ")]);
    expect(byProcess).toEqual([
      ["100", "execve clone wait4"],
      ["200", "close read exit_group"],
    ]);
    expect(sequencesSync(recs, { by: "thread" }).map((s) => s.key)).toEqual(["100", "200"]);
  });

  it("per thread: one sequence per pid, only syscall records", () => {
    const seqs = sequencesSync(trace(), { by: "thread" });
    expect(seqs.map((s) => [s.key, s.symbols.join(" ")])).toEqual([
      ["101", "read exit"],
      ["200", "close execve brk exit_group"],
      ["100", "execve brk clone write clone exit_group"],
    ]);
  });

  it("per process: CLONE_THREAD joins the parent, a fork starts a process", () => {
    const seqs = sequencesSync(trace(), { by: "process" });
    expect(seqs.map((s) => [s.key, s.pid, s.symbols.join(" ")])).toEqual([
      ["200", 200, "close execve brk exit_group"],
      ["100", 100, "execve brk clone read write clone exit exit_group"],
    ]);
  });

  it("fork and vfork start processes too; clone3 with CLONE_THREAD in its struct joins", () => {
    line = 0;
    const clone3: SyscallRecord = call(1, "clone3", 3, [
      { kind: "struct", fields: [{ kind: "field", name: "flags", value: flags("CLONE_VM", "CLONE_THREAD") }] },
    ]);
    const recs = [call(1, "vfork", 2), call(2, "getpid"), clone3, call(3, "getpid"), call(1, "fork", 4), call(4, "getpid")];
    expect(sequencesSync(recs).map((s) => [s.key, s.symbols.join(" ")])).toEqual([
      ["1", "vfork clone3 getpid fork"],
      ["2", "getpid"],
      ["4", "getpid"],
    ]);
  });

  it("per trace: everything in record order", () => {
    const [seq, ...rest] = sequencesSync(trace(), { by: "trace" });
    expect(rest).toEqual([]);
    expect(seq!.symbols).toEqual("execve brk clone read write clone close execve brk exit exit_group exit_group".split(" "));
    expect(seq!.key).toBe("trace");
  });

  it("splitExec starts a new sequence at each successful execve, beginning with it", () => {
    const seqs = sequencesSync(trace(), { by: "process", splitExec: true });
    expect(seqs.map((s) => [s.key, s.symbols.join(" ")])).toEqual([
      ["200", "close"],
      ["200.2", "execve brk exit_group"],
      ["100", "execve brk clone read write clone exit exit_group"],
    ]);
    // A failed execve does not split.
    line = 0;
    const failed = [call(5, "open"), { ...call(5, "execve", -1), errno: "ENOENT" }, call(5, "exit_group")];
    expect(sequencesSync(failed, { splitExec: true })).toHaveLength(1);
  });

  it("counts a merged unfinished/resumed call once, at its entry position", () => {
    line = 0;
    const merged: SyscallRecord = { ...call(7, "read", 5), endLine: 3, resumedLine: 3 };
    const recs = [merged, call(8, "write"), call(7, "close")];
    expect(sequencesSync(recs, { by: "trace" })[0]!.symbols).toEqual(["read", "write", "close"]);
    // With --no-merge the resumed half is not a second call.
    const half: SyscallRecord = { ...call(7, "read", 5), resumed: true };
    expect(sequencesSync([call(7, "read", null), half], { by: "trace" })[0]!.symbols).toEqual(["read"]);
  });

  it("gives a reused pid a new key", () => {
    line = 0;
    const recs = [forkClone(1, 2), call(2, "a"), exit(2), forkClone(1, 2), call(2, "b")];
    const keys = sequencesSync(recs, { by: "process" }).map((s) => `${s.key}:${s.symbols.join(",")}`);
    expect(keys).toEqual(["2:a", "1:clone,clone", "2.2:b"]);
  });

  it("streams from an async iterable with the same result", async () => {
    async function* gen() {
      yield* trace();
    }
    const out = [];
    for await (const s of sequences(gen(), { by: "thread", file: "t.strace" })) out.push(s);
    expect(out.map((s) => s.symbols)).toEqual(sequencesSync(trace(), { by: "thread" }).map((s) => s.symbols));
    expect(out[0]!.file).toBe("t.strace");
  });
});

describe("symbols", () => {
  const openat = call(1, "openat", 3, [ident("AT_FDCWD"), str("/etc/passwd"), flags("O_RDONLY", "O_CLOEXEC")]);
  const mmap = call(1, "mmap", 0, [ident("NULL"), int(4096), flags("PROT_READ", "PROT_WRITE"), ident("MAP_PRIVATE")]);

  it("refines a name by its first flag (AT_FDCWD is not a flag)", () => {
    const f = symbolizer("name:flag");
    expect(f(openat)).toBe("openat:O_RDONLY");
    expect(f({ ...openat, args: [ident("AT_FDCWD"), str("/x"), ident("O_RDONLY")] })).toBe("openat:O_RDONLY");
    expect(f(mmap)).toBe("mmap:PROT_READ");
    expect(f(call(1, "getpid"))).toBe("getpid");
    expect(firstFlagArg([str("x"), int(3)])).toBeUndefined();
  });

  it("refines by an argument index", () => {
    const sock = call(1, "socket", 3, [ident("AF_INET"), flags("SOCK_STREAM", "SOCK_CLOEXEC"), ident("IPPROTO_IP")]);
    expect(symbolizer("name:1")(sock)).toBe("socket:SOCK_STREAM");
    expect(symbolizer("name:1")(mmap)).toBe("mmap:4096");
    expect(symbolizer("name:9")(mmap)).toBe("mmap");
  });

  it("numbers calls through the syscall tables: nr is x86_64, nr32 is i386", () => {
    const read = call(1, "read", 5);
    expect([symbolizer("nr")(read), symbolizer("nr32")(read)]).toEqual(["0", "3"]);
    expect([symbolizer("nr")(openat), symbolizer("nr32")(openat)]).toEqual(["257", "295"]);
    // A name no table knows keeps its name rather than merging with another call.
    expect(symbolizer("nr")(call(1, "no_such_call"))).toBe("no_such_call");
  });

  it("rejects unknown modes", () => {
    expect(() => symbolizer("bogus" as never)).toThrow(/bogus/);
  });
});

describe("windows, n-grams, lookahead pairs", () => {
  it("slides windows of k; a shorter trace is one whole-trace window; empty has none", () => {
    expect(windows([1, 2, 3, 4], 3)).toEqual([
      [1, 2, 3],
      [2, 3, 4],
    ]);
    expect(windows([1, 2], 3)).toEqual([[1, 2]]);
    expect(windows([], 3)).toEqual([]);
    expect([windowCount(4, 3), windowCount(2, 3), windowCount(0, 3)]).toEqual([2, 1, 0]);
  });

  it("counts n-grams across sequences", () => {
    const c = ngramCounts([["a", "b", "a", "b"], ["a", "b"], ["a"]], 2);
    expect([...c]).toEqual([
      ["a b", 3],
      ["b a", 1],
      ["a", 1],
    ]);
    expect(ngramCounts([["a"]], 2, { short: false }).size).toBe(0);
  });

  it("lists lookahead pairs and counts them as K(L-K) + K(K-1)/2", () => {
    expect(lookaheadPairs(["a", "b", "c"], 2)).toEqual([
      ["a", 1, "b"],
      ["a", 2, "c"],
      ["b", 1, "c"],
    ]);
    expect(lookaheadTotal(8, 3)).toBe(18);
    for (let L = 0; L < 12; L++) expect(lookaheadTotal(L, 3)).toBe(lookaheadPairs(new Array(L).fill(0), 3).length);
  });

  it("encodes symbols as code units, unseen ones as UNKNOWN when not growing", () => {
    const a = new Alphabet(["read", "write"]);
    expect(a.encode(["write", "read"], false)).toBe("\u0001\u0000");
    expect(a.encode(["open"], false)).toBe("\uffff");
    expect(a.encode(["open"], true)).toBe("\u0002");
  });
});

describe("export formats", () => {
  const seq = { key: "100", pid: 100, symbols: ["read", "write"], line: 3, file: "a,b.strace" };
  it("text is ADFA-LD style, jsonl one object, csv quoted when needed", () => {
    expect(sequenceLine(seq, "text")).toBe("read write");
    expect(JSON.parse(sequenceLine(seq, "jsonl"))).toEqual({ ...seq, length: 2 });
    expect(sequenceLine(seq, "csv")).toBe('"a,b.strace",100,100,3,2,read write');
    expect(windowLine(["3", "5"], 7, "text")).toBe("7\t3 5");
    expect(windowLine(["3", "5"], 7, "csv")).toBe("3 5,7");
  });
});
