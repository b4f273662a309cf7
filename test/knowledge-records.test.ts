// Syscall knowledge on real records: -n numbers land in `nr` (and agree with the tables, so no
// `nr-mismatch`), and Syscall's table-driven accessors (arg, paths, fds) answer correctly on
// calls of the shared corpus and of a fresh strace run.

import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "../src/api/core.js";
import { renderRecords } from "../src/model/render.js";
import type { ArgNode } from "../src/model/record.js";
import type { Syscall, Trace } from "../src/model/trace.js";
import { SHARED } from "./helpers/shared.js";

const CORPUS = SHARED + "/corpus/strace-6.1";

/** MANIFEST.tsv rows whose strace options include -n. */
function nTraces(): string[] {
  const rows = readFileSync(join(CORPUS, "MANIFEST.tsv"), "utf8").trim().split("\n").slice(1);
  return rows
    .map((r) => r.split("\t"))
    .filter((c) => /(^|\s)-n(\s|$)/.test(c[2] ?? ""))
    .map((c) => c[0]!);
}

/** The `[ 257]` printed on the record's first line, or undefined for `[???]`. */
const SCNO = /^(?:\d+\s+)?(?:\[pid\s+\d+\]\s+)?(?:[\d:.]+\s+)?\[\s*(\d+|\?\?\?)\]/;

function expectNumbersAgree(trace: Trace, text: string, label: string): number {
  const lines = text.split("\n");
  let checked = 0;
  const wrong: string[] = [];
  for (const s of trace.syscalls) {
    if (s.record.fmt?.cont) continue; // unmerged continuation of a split line carries no number
    const m = SCNO.exec(lines[s.line - 1]!);
    expect(m, `${label}:${s.line} has a -n number`).not.toBeNull();
    const printed = m![1] === "???" ? undefined : Number(m![1]);
    if (printed === undefined) continue;
    checked++;
    if (s.record.nr !== printed) wrong.push(`${label}:${s.line} ${s.name} nr=${s.record.nr} printed=${printed}`);
  }
  expect(wrong).toEqual([]);
  expect(trace.diagnostics.filter((d) => d.code === "nr-mismatch")).toEqual([]);
  return checked;
}

async function load(name: string, merge = true): Promise<Trace> {
  return parse(readFileSync(join(CORPUS, `${name}.strace`)), { engine: "ts", merge });
}

describe("-n traces: nr is the printed number, no nr-mismatch", () => {
  const names = nTraces();

  it("the manifest lists the three -n traces", () => {
    expect(names.sort()).toEqual(["cat_n", "forkexec_n_f", "memio_n"]);
  });

  for (const name of nTraces()) {
    for (const merge of [true, false]) {
      it(`${name} (merge: ${merge})`, async () => {
        const text = readFileSync(join(CORPUS, `${name}.strace`), "utf8");
        const trace = await parse(text, { engine: "ts", merge });
        const checked = expectNumbersAgree(trace, text, name);
        expect(checked).toBeGreaterThan(100);
      });
    }
  }

  it("memio_n: 32-bit and x32 calls get their personality's number and arch; `[???]` has no nr", async () => {
    const trace = await load("memio_n");
    const at = (line: number) => trace.syscalls.find((s) => s.line === line)!;
    expect(at(116).record).toMatchObject({ name: "getpid", nr: 1073741863, arch: "x32" });
    expect(at(117).record).toMatchObject({ name: "getpid", nr: 20, arch: "i386" });
    expect(at(118).record).toMatchObject({ name: "uname", nr: 122, arch: "i386" });
    expect(at(79).record.arch).toBeUndefined(); // x86_64, the trace's default
    expect(at(114).record).toMatchObject({ name: "syscall_0x3e8", nr: 1000 }); // unknown number: the name encodes it
    expect(at(115).name).toBe("syscall_0xffffffffffffffff"); // `[???]`: no number
    expect(at(115).record.nr).toBeUndefined();
  });

  it("the WASM engine gives the same numbers", async () => {
    for (const name of nTraces()) {
      const text = readFileSync(join(CORPUS, `${name}.strace`), "utf8");
      expectNumbersAgree(await parse(text, { engine: "wasm" }), text, name);
    }
  });
});

describe("-n on a 32-bit program: socket and SysV IPC calls made through socketcall / ipc", () => {
  it("take the multiplexer's printed number and the i386 arch, without nr-mismatch", async () => {
    const text = readFileSync(join(import.meta.dirname, "..", "fixtures", "sc32_n.strace"), "utf8");
    for (const engine of ["ts", "wasm"] as const) {
      const trace = await parse(text, { engine });
      expect(trace.diagnostics).toEqual([]);
      expect(trace.syscalls.map((s) => [s.name, s.record.nr, s.record.arch])).toEqual([
        ["socketpair", 102, "i386"],
        ["send", 102, "i386"],
        ["recv", 102, "i386"],
        ["shmget", 117, "i386"],
        ["shmctl", 117, "i386"],
      ]);
    }
  });
});

describe("a -n number no table gives", () => {
  it("is reported with nr-mismatch, which adds no line to the --no-merge round trip", async () => {
    // getpid is 39 on x86_64, 20 on i386, 0x40000027 on x32: 500 is none of them
    const text = "27459 [ 500] getpid() = 27459\n27459 [  20] getpid() = 27459\n";
    for (const engine of ["ts", "wasm"] as const) {
      const trace = await parse(text, { engine, merge: false });
      expect(trace.diagnostics.map((d) => d.code)).toEqual(["nr-mismatch"]);
      expect([...renderRecords(trace.records)].join("")).toBe(text);
    }
  });
});

const hasStrace = spawnSync("strace", ["-V"]).status === 0;

describe.skipIf(!hasStrace)("a fresh strace -n -f -o trace", () => {
  it("sh -c 'ls / >/dev/null; cat /etc/hostname': every nr agrees, no nr-mismatch", async () => {
    const dir = mkdtempSync(join(tmpdir(), "strace-seq-n-"));
    try {
      const out = join(dir, "trace");
      const r = spawnSync("strace", ["-n", "-f", "-o", out, "sh", "-c", "ls / >/dev/null; cat /etc/hostname"], { encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
      const text = readFileSync(out, "utf8");
      for (const merge of [true, false]) {
        const trace = await parse(text, { engine: "ts", merge });
        expect(trace.diagnostics).toEqual([]);
        expect(expectNumbersAgree(trace, text, "fresh")).toBeGreaterThan(50);
        const names = new Set(trace.syscalls.map((s) => s.name));
        for (const n of ["execve", "openat", "read", "write"]) expect(names).toContain(n);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---- Syscall accessors ------------------------------------------------------------------------

const idents = (n: ArgNode | undefined): string[] =>
  n?.kind === "flags" ? n.items.map((i) => (i.kind === "ident" ? i.name : `?${i.kind}`)) : n?.kind === "ident" ? [n.name] : [];

function call(trace: Trace, line: number): Syscall {
  const s = trace.syscalls.find((c) => c.line === line);
  expect(s, `a syscall on line ${line}`).toBeDefined();
  return s!;
}

describe("Syscall.arg / paths / fds on real records", () => {
  it("cat_default: openat's pathname, flags, dirfd", async () => {
    const t = await load("cat_default");
    const s = call(t, 5); // openat(AT_FDCWD, "/etc/ld.so.cache", O_RDONLY|O_CLOEXEC) = 3
    expect(s.name).toBe("openat");
    expect(s.arg("pathname")).toMatchObject({ kind: "str", value: "/etc/ld.so.cache" });
    expect(idents(s.arg("flags"))).toEqual(["O_RDONLY", "O_CLOEXEC"]);
    expect(s.arg("dirfd")).toEqual({ kind: "ident", name: "AT_FDCWD" });
    expect(s.arg("mode")).toBeUndefined(); // not printed without O_CREAT
    expect(s.arg("nosuch")).toBeUndefined();
    expect(s.namedArgs().map((a) => [a.name, a.kind])).toEqual([
      ["dirfd", "dirfd"],
      ["pathname", "path"],
      ["flags", "flags"],
    ]);
    expect(s.paths()).toEqual(["/etc/ld.so.cache"]);
    expect(s.fds()).toEqual([3]); // AT_FDCWD is not an fd; the returned fd is
    // every openat of cat_default: pathname is a string, and paths() is exactly it
    for (const o of t.syscalls.filter((c) => c.name === "openat")) {
      const p = o.arg("pathname");
      expect(p?.kind).toBe("str");
      expect(o.paths()).toEqual([(p as { value: string }).value]);
    }
  });

  it("cat_default: read/write/close/mmap fds", async () => {
    const t = await load("cat_default");
    expect(call(t, 10).name).toBe("read");
    expect(call(t, 10).fds()).toEqual([3]);
    expect(call(t, 8).name).toBe("close");
    expect(call(t, 8).fds()).toEqual([3]);
    const write = t.syscalls.find((c) => c.name === "write")!;
    expect(write.fds()).toEqual([1]);
    expect(write.arg("count")).toMatchObject({ kind: "int" });
    const anon = call(t, 3); // mmap(NULL, 8192, ..., MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)
    expect(anon.name).toBe("mmap");
    expect(idents(anon.arg("flags"))).toEqual(["MAP_PRIVATE", "MAP_ANONYMOUS"]);
    expect(idents(anon.arg("prot"))).toEqual(["PROT_READ", "PROT_WRITE"]);
    expect(anon.fds()).toEqual([]); // -1 is no fd
    // every read/write in the trace has exactly one non-negative fd
    for (const c of t.syscalls.filter((x) => x.name === "read" || x.name === "write")) expect(c.fds()).toHaveLength(1);
  });

  it("pipe2 and socketpair: the two fds they write into their array", async () => {
    const t = await load("fileops_T");
    const made = t.syscalls.filter((c) => (c.name === "pipe2" || c.name === "socketpair") && !c.failed);
    expect(made.length).toBeGreaterThan(0);
    for (const c of made) {
      const pair = c.args.find((a) => a.kind === "array") as { items: { value: number }[] };
      expect(c.fds()).toEqual(expect.arrayContaining(pair.items.map((x) => x.value)));
      expect(c.fds()).not.toContain(0); // their return value 0 is no fd
    }
  });

  it("fileops_y: -y decorated fds and dirfds give paths; fds stay numeric", async () => {
    for (const name of ["fileops_y", "fileops_yy"]) {
      const t = await load(name);
      const open = call(t, 5); // openat(AT_FDCWD</srv/strace-corpus/work/run>, "/etc/ld.so.cache", ...) = 3</etc/ld.so.cache>
      expect(open.arg("dirfd")).toMatchObject({ kind: "ident", name: "AT_FDCWD", decor: "/srv/strace-corpus/work/run" });
      expect(open.paths()).toEqual(["/srv/strace-corpus/work/run", "/etc/ld.so.cache"]);
      expect(open.record.retDecor).toBe("/etc/ld.so.cache");
      const read = call(t, 10); // read(3</usr/lib/x86_64-linux-gnu/libc.so.6>, ...)
      expect(read.arg("fd")).toMatchObject({ kind: "int", value: 3, decor: "/usr/lib/x86_64-linux-gnu/libc.so.6" });
      expect(read.paths()).toEqual(["/usr/lib/x86_64-linux-gnu/libc.so.6"]);
      expect(read.fds()).toEqual([3]);
      const write = call(t, 38); // write(4</srv/strace-corpus/work/run/fo/a.txt>, "line one\nline two\n", 18)
      expect(write.fds()).toEqual([4]);
      expect(write.paths()).toEqual(["/srv/strace-corpus/work/run/fo/a.txt"]);
      expect(write.arg("buf")).toMatchObject({ kind: "str", value: "line one\nline two\n" });
      const dup2 = call(t, 84); // dup2(5</.../a.txt>, 20) = 20</.../a.txt>
      expect(dup2.fds()).toEqual([5, 20]);
      const rename = call(t, 63); // renameat2(dirfd<...>, "hard2.txt", dirfd<...>, "a.txt", RENAME_NOREPLACE)
      expect(rename.name).toBe("renameat2");
      expect(idents(rename.arg("flags"))).toEqual(["RENAME_NOREPLACE"]);
      expect(rename.paths()).toEqual(["/srv/strace-corpus/work/run/fo", "hard2.txt", "/srv/strace-corpus/work/run/fo", "a.txt"]);
    }
  });

  it("net_yy_f: socket fds are fds, socket decorations are not paths", async () => {
    const t = await load("net_yy_f");
    const connect = t.syscalls.find((c) => c.name === "connect")!;
    expect(connect.fds()).toEqual([connect.arg("sockfd") && (connect.arg("sockfd") as { value: number }).value]);
    expect(connect.paths()).toEqual([]);
    const socket = t.syscalls.find((c) => c.name === "socket")!;
    expect(socket.record.retDecor).toMatch(/^TCP:\[/);
  });

  // The returned fd of fd-creating calls, and AT_EMPTY_PATH's empty path:
  it("fds() includes the result of an fd-returning call (trace.ts doc comment) — openat = 3", async () => {
    const t = await load("cat_default");
    expect(call(t, 5).fds()).toEqual([3]);
  });

  it('paths() skips the empty pathname of AT_EMPTY_PATH calls — newfstatat(3, "", ..., AT_EMPTY_PATH)', async () => {
    const t = await load("cat_default");
    const s = call(t, 6);
    expect(s.name).toBe("newfstatat");
    expect(s.paths()).toEqual([]);
  });
});
