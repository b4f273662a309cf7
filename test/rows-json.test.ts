// `parse` writes JSON Lines the fast way (src/api/jsonl-fast.ts): the core's rows write each
// record's JSON (src/core/rows/json.ts), the full reading takes over from their last quiet point
// where they stop. These traces follow strace's output grammar (strace.c prefixes, syscall.c
// results, signals and exits, util.c string quoting), not the corpus: the fast bytes must be the
// full reading's (`parseFile` + `recordJson`) on both engines, by the path meant. Real strace
// traces, the CLI and the bugs found are in test/rows-json-cli.test.ts.

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { al, ENGINES, expectSameJsonl, fastJsonl, fullJsonl, writeTrace, type Expected } from "./helpers/rows-json.js";

/** Whole records before a line the rows leave to the full reading, so a quiet point comes first. */
const PRELUDE = [al("100   getpid()", "100"), al("100   getppid()", "1"), al("100   getuid()", "0")];

interface Case {
  name: string;
  text: string | Buffer;
  path: Expected;
  /** Facts read from the records (written from strace's grammar, so both ways could be wrong). */
  check?: (records: Record<string, unknown>[]) => void;
  file?: string;
}

const lines = (...l: string[]): string => l.join("\n") + "\n";

const CASES: Case[] = [
  // ---- prefixes
  {
    name: "-f, plain pid prefix (%-5d)",
    text: lines(
      al('1234  openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC)', "3"),
      al("1234  clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f0e5d7d0a10)", "1235"),
      al("1235  getpid()", "1235"),
      al("123456 getppid()", "1234"),
      "1235  +++ exited with 0 +++",
    ),
    path: "rows",
    check: (r) => {
      expect(r.map((x) => x.pid)).toEqual([1234, 1234, 1235, 123456, 1235]);
      expect(r.some((x) => "fmt" in x)).toBe(false);
    },
  },
  {
    name: "-f writing to stderr: [pid  N] brackets, the first process unprefixed",
    text: lines(
      al('execve("/bin/sh", ["sh", "-c", "true & wait"], 0x7ffd1a2b3c40 /* 3 vars */)', "0"),
      al("clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f0e5d7d0a10)", "1301"),
      "[pid  1301] " + al("getpid()", "1301").trimStart(),
      "[pid  1300] wait4(-1,  <unfinished ...>",
      "[pid  1301] exit_group(0)               = ?",
      "[pid  1301] +++ exited with 0 +++",
      "<... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 1301",
      "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=1301, si_uid=0, si_status=0, si_utime=0, si_stime=0} ---",
      al("exit_group(0)", "?"),
      "+++ exited with 0 +++",
    ),
    path: "any",
    check: (r) => {
      const wait = r.find((x) => x.name === "wait4")!;
      expect(wait).toMatchObject({ pid: 1300, ret: 1301, line: 4, resumedLine: 7 });
      expect(r.find((x) => x.name === "getpid")).toMatchObject({ pid: 1301, fmt: { pidStyle: "bracket" } });
    },
  },
  {
    name: "one process, no prefix",
    text: lines(al('openat(AT_FDCWD, "/nope", O_RDONLY)', "-1 ENOENT (No such file or directory)"), al("getpid()", "42"), "+++ exited with 0 +++"),
    path: "rows",
    check: (r) => expect(r.map((x) => x.pid)).toEqual([null, null, null]),
  },
  {
    name: "-ff file: the pid from the .PID suffix",
    file: "ff.4321",
    text: lines(al("getpid()", "4321"), "read(0,  <unfinished ...>", '<... read resumed>"x", 1) = 1', "+++ exited with 0 +++"),
    path: "rows",
    check: (r) => {
      expect(r.map((x) => x.pid)).toEqual([4321, 4321, 4321]);
      expect(r[0]!.fmt).toEqual({ pidStyle: "none" });
    },
  },
  {
    name: "every line in [pid N] brackets",
    text: lines(
      "[pid  1300] wait4(-1,  <unfinished ...>",
      "[pid  1301] " + al("getpid()", "1301"),
      "[pid  1301] +++ exited with 0 +++",
      "[pid  1300] <... wait4 resumed>NULL, 0, NULL) = 1301",
      "[pid 123456] " + al("getpid()", "123456"),
    ),
    path: "rows",
    // (records in the order their calls started)
    check: (r) => expect(r.map((x) => x.pid)).toEqual([1300, 1301, 1301, 123456]),
  },
  ...[
    ["one space after a short pid", "1234 getpid() = 1234", "rows"],
    ["one space inside brackets", "[pid 1234] getpid() = 1234", "rows"],
    // (strace never prints these two: they are not read as calls at all)
    ["two spaces after brackets", "[pid  1234]  getpid() = 1234", "any", "diagnostic"],
    ["a pid with a leading zero", "01234  getpid() = 1234", "rows"],
    ["a tab after the pid", "1234\tgetpid() = 1234", "any", "diagnostic"],
    ["many spaces after the pid", "1234        getpid() = 1234", "rows"],
    ["a timestamp with one space before it", "1234 10:00:00.000001 getpid() = 1234", "rows"],
    ["-ttt seconds not right-aligned", "1234  1.000001 getpid() = 1234", "rows"],
  ].map(([what, line, path, type]): Case => ({
    name: `non-canonical prefix: ${what}`,
    text: lines(line!, line!),
    path: path as Expected,
    check: (r) =>
      expect(r.map((x) => [x.type, x.type === "syscall" ? x.pid : null])).toEqual(
        type
          ? [
              [type, null],
              [type, null],
            ]
          : [
              ["syscall", 1234],
              ["syscall", 1234],
            ],
      ),
  })),
  // ---- timestamps and durations
  {
    name: "-t: whole seconds of the day",
    text: lines(al("100   10:00:00 getpid()", "100"), al("100   23:59:59 getppid()", "1")),
    path: "rows",
    check: (r) => expect(r.map((x) => x.time)).toEqual([36000, 86399]),
  },
  {
    name: "-tt: microseconds, including a sum that is not the decimal's nearest double",
    text: lines(
      al("100   10:00:00.123456 getpid()", "100"),
      al("100   23:59:59.999999 getpid()", "100"),
      al("100   00:00:00.000001 getpid()", "100"),
      al("100   12:34:56.100000 getpid()", "100"),
    ),
    path: "rows",
    check: (r) => expect(r.map((x) => x.time)).toEqual([36000 + 0.123456, 23 * 3600 + 59 * 60 + 59 + 0.999999, 0.000001, 12 * 3600 + 34 * 60 + 56 + 0.1]),
  },
  {
    name: "-ttt: microseconds (16 significant digits) and nanoseconds (19): the host formats them",
    text: lines(
      al("100   1700000000.123456 getpid()", "100"),
      al("100   1700000000.000001 getpid()", "100"),
      al("100   1700000000.123456789 getpid()", "100"),
      al("100   1700000000 getpid()", "100"),
    ),
    path: "rows",
    check: (r) => expect(r.map((x) => x.time)).toEqual([1700000000.123456, 1700000000.000001, Number("1700000000.123456789"), 1700000000]),
  },
  {
    name: "-r: relative timestamps alone",
    text: lines(
      al('     0.000000 execve("/bin/true", ["true"], 0x7ffd1a2b3c40 /* 3 vars */)', "0"),
      al("     0.000321 brk(NULL)", "0x55a8e1f80000"),
      al("    12.500000 getpid()", "1"),
    ),
    path: "rows",
  },
  {
    name: "-T: durations, below 1e-6 in exponent form, whole seconds, nanoseconds",
    text: lines(
      al("100   getpid()", "100 <0.000012>"),
      al("100   getpid()", "100 <0.000000>"),
      al("100   getpid()", "100 <0.000000500>"),
      al("100   getpid()", "100 <0.000000001>"),
      al("100   nanosleep({tv_sec=3, tv_nsec=0}, NULL)", "0 <3>"),
      al("100   nanosleep({tv_sec=1, tv_nsec=0}, NULL)", "0 <1.000123456>"),
    ),
    path: "rows",
    check: (r) => {
      expect(r.map((x) => x.duration)).toEqual([0.000012, 0, 5e-7, 1e-9, 3, 1.000123456]);
      expect(r[2]!.durationText).toBe("0.000000500");
    },
  },
  {
    name: "-T: a duration with more digits than strace prints (left to the full reading)",
    text: lines(...PRELUDE, al("100   getpid()", "100 <0.0000001234567890123>"), al("100   getpid()", "100")),
    path: "midway",
    check: (r) => expect(r[3]!.duration).toBe(1.234567890123e-7),
  },
  // ---- unfinished and resumed halves
  {
    name: "halves of two pids interleaved, the resumed half adding arguments",
    text: lines(
      "100   10:00:00.000001 read(3,  <unfinished ...>",
      '101   10:00:00.000002 write(1, "x", 1 <unfinished ...>',
      al('100   10:00:00.000003 <... read resumed>"root:x:0:0", 4096)', "10 <0.000002>"),
      al("101   10:00:00.000004 <... write resumed>)", "1 <0.000002>"),
    ),
    path: "rows",
    check: (r) => {
      expect(r).toHaveLength(2);
      expect(r[0]).toMatchObject({ name: "read", pid: 100, ret: 10, line: 1, resumedLine: 3, endLine: 3, time: 36000.000001, endTime: 36000.000003 });
      expect(r[0]!.args).toHaveLength(3);
      expect(r[1]).toMatchObject({ name: "write", line: 2, resumedLine: 4 });
      expect(r[1]!.args).toHaveLength(3);
    },
  },
  {
    name: "a call never resumed: the input ends",
    text: lines(al("100   getpid()", "100"), "100   wait4(-1,  <unfinished ...>"),
    path: "rows",
    check: (r) => expect(r[1]).toMatchObject({ name: "wait4", ret: null, unfinished: true }),
  },
  {
    name: "a call never resumed: the same pid starts another call",
    text: lines(
      "100   read(0,  <unfinished ...>",
      '100   write(1, "a", 1 <unfinished ...>',
      al("100   <... write resumed>)", "1"),
      al("100   getpid()", "100"),
    ),
    path: "rows",
    check: (r) => {
      expect(r.map((x) => x.name)).toEqual(["read", "write", "getpid"]);
      expect(r[0]).toMatchObject({ unfinished: true, ret: null });
      expect(r[1]).toMatchObject({ ret: 1, resumedLine: 3 });
    },
  },
  {
    name: "an orphan resumed half (its start never seen)",
    text: lines(al('100   <... read resumed>"abc", 10)', "3"), al("100   getpid()", "100")),
    path: "rows",
    check: (r) => expect(r[0]).toMatchObject({ name: "read", resumed: true, ret: 3 }),
  },
  {
    name: "restart_syscall, whole and unfinished",
    text: lines(
      al("100   restart_syscall(<... resuming interrupted nanosleep ...>)", "0"),
      "100   restart_syscall(<... resuming interrupted read ...> <unfinished ...>",
      al("101   getpid()", "101"),
      al("100   <... restart_syscall resumed>)", "0"),
      "102   restart_syscall(<... resuming interrupted poll ...> <unfinished ...>",
    ),
    path: "rows",
    check: (r) =>
      expect(r.filter((x) => x.name === "restart_syscall").map((x) => x.resuming)).toEqual([
        "resuming interrupted nanosleep",
        "resuming interrupted read",
        "resuming interrupted poll",
      ]),
  },
  {
    // (a resumed half opening with ` => x` completes the head's last argument: strace -f prints
    // clone3 so for every new thread)
    name: "` => ` changes: whole, and split across the halves",
    text: lines(
      al("100   accept4(3, {sa_family=AF_UNIX}, [110 => 2], SOCK_CLOEXEC)", "4"),
      al("100   getpid()", "100"),
      "100   clone3({flags=CLONE_VM|CLONE_THREAD, child_tid=0x7fc54003f990, parent_tid=0x7fc54003f990, exit_signal=0} <unfinished ...>",
      al("100   <... clone3 resumed> => {parent_tid=[4426]}, 88)", "4426"),
      "100   ioctl(0, TCGETS, {c_iflag=ICRNL} <unfinished ...>",
      al("100   <... ioctl resumed> => {c_iflag=ICRNL|IXON})", "0"),
    ),
    path: "rows",
    check: (r) => {
      expect(r[0]!.args).toContainEqual(expect.objectContaining({ kind: "array" }));
      expect(r.map((x) => x.name)).toEqual(["accept4", "getpid", "clone3", "ioctl"]);
      expect(r[2]).toMatchObject({ ret: 4426, line: 3, resumedLine: 4 });
      expect(r[2]!.args).toHaveLength(2);
      expect(Object.keys((r[2]!.args as object[])[0]!)).toEqual(["kind", "to", "from"]);
      expect((r[3]!.args as object[])[2]).toMatchObject({ kind: "change", from: { kind: "struct" }, to: { kind: "struct" } });
    },
  },
  {
    name: "a resumed ` => x` with frames attached while pending, and more arguments after it",
    text: lines(
      "100   clone3({flags=CLONE_VM, exit_signal=0} <unfinished ...>",
      " > /lib/libc.so.6(clone3+0x1) [0x1]",
      al("101   getpid()", "101"),
      al("100   <... clone3 resumed> => {parent_tid=[4426]}, 88)", "4426 <0.000100>"),
      " > /lib/libc.so.6(pthread_create+0x2) [0x2]",
      "100   clone3({flags=CLONE_VM, exit_signal=0} <unfinished ...>",
      al('100   <... clone3 resumed> => {parent_tid=[4427]}, 88, "x")', "4427"),
    ),
    path: "rows",
    check: (r) => {
      expect((r[0]!.args as object[])[0]).toMatchObject({ kind: "change", from: { kind: "struct" }, to: { kind: "struct" } });
      expect(r[0]).toMatchObject({ stack: ["/lib/libc.so.6(clone3+0x1) [0x1]", "/lib/libc.so.6(pthread_create+0x2) [0x2]"], endLine: 5, duration: 0.0001 });
      expect(r[2]!.args).toHaveLength(3);
    },
  },
  // ---- results
  {
    name: "results: hex, octal, ?, errno, (errno N), aux, -y decorations, large values",
    text: lines(
      al("100   mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)", "0x7f0e5d7d3000"),
      al("100   umask(022)", "022"),
      al("100   exit(0)", "?"),
      al('100   chdir("/")', "-1 (errno 4000) (INJECTED)"),
      al("100   fcntl(3, F_GETFD)", "0x1 (flags FD_CLOEXEC)"),
      al('100   openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC)', "3</etc/passwd>"),
      al('100   read(3</etc/passwd>, "root", 4)', "4"),
      al("100   lseek(3, 0, SEEK_END)", "18446744073709551615"),
      al("100   lseek(3, 0, SEEK_CUR)", "9007199254740993"),
      al("100   getpriority(PRIO_PROCESS, 0)", "-5"),
      al("100   poll([{fd=3, events=POLLIN}], 1, -1)", "1 ([{fd=3, revents=POLLIN}])"),
      al("100   select(4, [3], NULL, NULL, {tv_sec=1, tv_usec=0})", "0 (Timeout)"),
      al("100   nanosleep({tv_sec=0, tv_nsec=1000}, NULL)", "? ERESTART_RESTARTBLOCK (Interrupted by signal)"),
      al("100   futex(0x1, FUTEX_WAIT, 0, NULL)", "-1 EAGAIN (Resource temporarily unavailable) <0.000010>"),
      al("100   close(3)", "0 (INJECTED) <0.000001>"),
      al("100   getpid()", "0100"),
      al("100   getpid()", "-0"),
      al("100   frobnicate(1)", "0"),
    ),
    path: "rows",
    check: (r) => {
      expect(r.map((x) => x.ret)).toEqual([
        0x7f0e5d7d3000,
        0o22,
        null,
        -1,
        1,
        3,
        4,
        "18446744073709551615",
        "9007199254740993",
        -5,
        1,
        0,
        null,
        -1,
        0,
        0o100,
        0,
        0,
      ]);
      expect(r.map((x) => x.retText ?? null)).toEqual([
        "0x7f0e5d7d3000",
        "022",
        "?",
        null,
        "0x1",
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        "?",
        null,
        null,
        "0100",
        "-0",
        null,
      ]);
      expect(r[5]!.retDecor).toBe("/etc/passwd");
      expect(r[3]!.aux).toEqual(["INJECTED"]);
      expect(r[4]!.aux).toEqual(["flags FD_CLOEXEC"]);
      expect(r[12]).toMatchObject({ errno: "ERESTART_RESTARTBLOCK", errmsg: "Interrupted by signal" });
    },
  },
  ...(
    [
      // (the core writes fmt.pad and fmt.seps; the rest it may leave to the full reading)
      ["padding other than strace's", "rows", ["100   getpid()          = 100", "100   getpid() = 100"]],
      ["no space before =", "any", ["100   getpid()=100"]],
      ["separators without spaces", "rows", ['100   read(3,"x",1) = 1']],
      ["separators with extra spaces", "any", [al('100   read(3 ,  "x" ,1)', "1")]],
      ["a space in an empty argument list", "any", [al("100   getpid( )", "100")]],
      ["a trailing separator: strace's", "rows", ["100   read(4,  <unfinished ...>", al('100   <... read resumed>"y", 1)', "1")]],
      ["a trailing separator: one space", "any", ["100   read(3, <unfinished ...>", al('100   <... read resumed>"x", 1)', "1")]],
      ["a trailing separator: none", "any", ["100   read(5,<unfinished ...>", al('100   <... read resumed>"z", 1)', "1")]],
    ] as const
  ).map(([what, path, body]): Case => ({
    name: `layout: ${what}`,
    text: lines(...PRELUDE, ...body, ...PRELUDE),
    path,
    check: (r) => {
      const names = r.map((x) => x.name);
      expect([...names.slice(0, 3), ...names.slice(-3)]).toEqual(["getpid", "getppid", "getuid", "getpid", "getppid", "getuid"]);
    },
  })),
  {
    name: "trailers out of strace's order (kept as fmt.order) and spaces after the result: the full reading",
    text: lines(...PRELUDE, al("100   close(3)", "0 <0.000001> (INJECTED)"), al("100   getpid()", "100   ")),
    path: "midway",
  },
  // ---- signals, exits, messages
  {
    name: "signals, exits and attach/detach messages",
    text: lines(
      "100   --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=101, si_uid=0, si_status=0, si_utime=0, si_stime=0} ---",
      "100   --- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} ---",
      "100   --- stopped by SIGSTOP ---",
      "100   --- SIGCONT {si_signo=SIGCONT, si_code=SI_USER, si_pid=1, si_uid=0} ---",
      "101   +++ exited with 0 +++",
      "102   +++ exited with 255 +++",
      "103   +++ killed by SIGKILL +++",
      "104   +++ killed by SIGSEGV (core dumped) +++",
      "strace: Process 105 attached",
      "strace: Process 105 detached",
      "[pid   106] +++ exited with 1 +++",
    ),
    path: "rows",
    check: (r) => {
      expect(r.filter((x) => x.type === "signal").map((x) => [x.signal, x.stopped ?? false])).toEqual([
        ["SIGCHLD", false],
        ["SIGSEGV", false],
        ["SIGSTOP", true],
        ["SIGCONT", false],
      ]);
      expect(r.filter((x) => x.type === "exit").map((x) => [x.pid, x.how, x.code ?? x.signal, x.core ?? false])).toEqual([
        [101, "exited", 0, false],
        [102, "exited", 255, false],
        [103, "killed", "SIGKILL", false],
        [104, "killed", "SIGSEGV", true],
        [106, "exited", 1, false],
      ]);
      expect(r.filter((x) => x.type === "message").map((x) => [x.pid, x.kind])).toEqual([
        [105, "attached"],
        [105, "detached"],
      ]);
    },
  },
  {
    name: "messages with a prefix, strace 4.x signals, superseded exits",
    text: lines(
      "100   10:00:00.000001 strace: Process 101 attached",
      "10:00:00.000002 strace: Process 102 attached",
      "100   --- SIGINT (Interrupt) @ 0 (0) ---",
      "100   +++ superseded by execve in pid 101 +++",
      al("101   getpid()", "100"),
    ),
    path: "any",
  },
  // ---- strings
  {
    name: "escapes in strings: \\x, octal, quotes, backslashes, C escapes",
    text: lines(
      al('100   write(1, "\\x00\\x01\\xff\\"\\\\\\t\\n\\v\\f\\r\\33", 11)', "11"),
      al('100   write(1, "\\0\\1\\177\\377\\1234", 5)', "5"),
      al('100   write(1, "quote \\" back \\\\ slash"..., 40)', "40"),
      al('100   openat(AT_FDCWD, "/tmp/\\x63af\\xc3\\xa9", O_RDONLY)', "3"),
    ),
    path: "rows",
    check: (r) => {
      const s = (i: number, a: number) => (r[i]!.args as Record<string, unknown>[])[a] as { value: string; truncated?: boolean };
      expect(s(0, 1).value).toBe('\x00\x01\xff"\\\t\n\v\f\r\x1b');
      expect(s(1, 1).value).toBe("\x00\x01\x7f\xff\x534");
      expect(s(2, 1)).toMatchObject({ value: 'quote " back \\ slash', truncated: true });
    },
  },
  {
    name: "raw bytes: >= 0x80 (read as latin1), control bytes, DEL, in strings and elsewhere",
    text: Buffer.concat([
      Buffer.from('100   write(1, "caf', "latin1"),
      Buffer.from([0xc3, 0xa9, 0xe9, 0xff, 0x80, 0x01, 0x1f, 0x7f, 0x09]),
      Buffer.from('", 9)                = 9\n', "latin1"),
      Buffer.from('100   openat(AT_FDCWD, "/tmp/\u00e9\u2028", O_RDONLY) = 3\n', "utf8"),
      Buffer.from("100   getpid() = 100 /* caf\u00e9 */\n", "utf8"),
    ]),
    path: "any",
    check: (r) =>
      expect(((r[0]!.args as Record<string, unknown>[])[1] as { value: string }).value).toBe("caf\u00c3\u00a9\u00e9\u00ff\u0080\u0001\u001f\u007f\t"),
  },
  {
    // texts of up to 16 bytes are checked and copied in one step (json/out.ts putJsonString), and
    // whole numbers below 2^31 written with 32-bit arithmetic: bytes to escape at the step's edges,
    // numbers either side of it
    name: "short texts at 15, 16 and 17 bytes, an escape in the last; whole numbers about 2^31",
    text: Buffer.concat([
      Buffer.from(
        lines(
          al("100   fcntl(ABCDEFGHIJKLMNO, ABCDEFGHIJKLMNOP, ABCDEFGHIJKLMNOPQ)", "2147483647"),
          al("100   fcntl(A_CDEFGHIJKLMNO9, 1, 2)", "2147483648"),
          al("100   fcntl(0, 0, 0)", "0x7fffffff"),
          al("100   fcntl(0, 0, 0)", "0x80000000"),
          al("100   fcntl(0, 0, 0)", "0x1fffffffffffff"),
          al("100   fcntl(0, 0, 0)", "4000000000"),
          al("100   fcntl(0, 0, 0)", "0x100000000"),
        ),
        "latin1",
      ),
      // a -Y comm of 16 bytes whose last is not ASCII, then one of 15 with a quote last
      Buffer.from("100<abcdefghijklmno", "latin1"),
      Buffer.from([0xe9]),
      Buffer.from("> getpid() = 100\n", "latin1"),
      Buffer.from('100<abcdefghijklmn"> getpid() = 100\n', "latin1"),
    ]),
    path: "any",
    check: (r) => {
      expect(r.map((x) => x.ret)).toEqual([2147483647, 2147483648, 2147483647, 2147483648, 9007199254740991, 4000000000, 4294967296, 100, 100]);
      expect((r[0]!.args as { name: string }[]).map((a) => a.name.length)).toEqual([15, 16, 17]);
      expect(r[7]!.comm).toBe("abcdefghijklmno\u00e9");
      expect(r[8]!.comm).toBe('abcdefghijklmn"');
    },
  },
  {
    name: "a string over 64 KiB and a line over the 256 KiB read chunk",
    text: lines(
      al("100   getpid()", "100"),
      al(`100   write(1, "${"ab\\n".repeat(30000)}", 90000)`, "90000"),
      al(`100   write(1, "${"\\xff\\\\x".repeat(70000)}"..., 300000)`, "300000"),
      al("100   getpid()", "100"),
    ),
    path: "rows",
    check: (r) => {
      expect(((r[1]!.args as Record<string, unknown>[])[1] as { value: string }).value).toHaveLength(90000);
      expect(((r[2]!.args as Record<string, unknown>[])[1] as { value: string }).value).toHaveLength(210000);
    },
  },
  // ---- -k frames and hex dumps (strace prints them right after the line of the call they belong
  // to, unwind.c and util.c dumpstr): the rows write them onto that record
  {
    name: "-k frames after a whole call, the first record's too (schema after endLine)",
    text: lines(
      al("100   getpid()", "100"),
      " > /lib/x86_64-linux-gnu/libc.so.6(getpid+0x7) [0xd54e7]",
      al('100   write(1, "x", 1)', "1"),
      " > /lib/x86_64-linux-gnu/libc.so.6(write+0x14) [0x10e1a4]",
      " > /usr/bin/true(main+0x10) [0x1010]",
      al("100   getuid()", "0"),
    ),
    path: "rows",
    check: (r) => {
      expect(Object.keys(r[0]!).slice(-3)).toEqual(["stack", "endLine", "schema"]);
      expect(r[1]).toMatchObject({
        line: 3,
        endLine: 5,
        stack: ["/lib/x86_64-linux-gnu/libc.so.6(write+0x14) [0x10e1a4]", "/usr/bin/true(main+0x10) [0x1010]"],
      });
      expect(Object.keys(r[1]!).slice(-2)).toEqual(["stack", "endLine"]);
      expect(r[2]!.stack).toBeUndefined();
    },
  },
  {
    name: "-k frames after a resumed half go on the merged call, after its endLine",
    text: lines(
      "100   read(0,  <unfinished ...>",
      al("101   getpid()", "101"),
      " > /lib/libc.so.6(getpid+0x7) [0xd54e7]",
      al('100   <... read resumed>"ab", 2)', "2"),
      " > /lib/libc.so.6(read+0x10) [0xf89f0]",
      " > /usr/bin/cat(main+0x99) [0x2099]",
      " > /usr/bin/cat(_start+0x2a) [0x20aa]",
      al("100   close(0)", "0"),
    ),
    path: "rows",
    check: (r) => {
      expect(r[0]).toMatchObject({ name: "read", line: 1, resumedLine: 4, endLine: 7 });
      expect(r[0]!.stack).toHaveLength(3);
      expect(Object.keys(r[0]!).slice(-4)).toEqual(["resumedLine", "endLine", "stack", "schema"]);
      expect(r[1]).toMatchObject({ name: "getpid", endLine: 3, stack: ["/lib/libc.so.6(getpid+0x7) [0xd54e7]"] });
    },
  },
  {
    name: "-k frames after +++ exited belong to exit_group; a signal owns its frames",
    text: lines(
      al("100   kill(100, SIGUSR1)", "0"),
      "100   --- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=100, si_uid=0} ---",
      " > /lib/libc.so.6(raise+0x10) [0x3e0f0]",
      al("100   exit_group(0)", "?"),
      "100   +++ exited with 0 +++",
      " > /lib/libc.so.6(_exit+0x29) [0xd4409]",
      " > /lib/libc.so.6(exit+0x1a) [0x3e69a]",
    ),
    path: "rows",
    check: (r) => {
      expect(r.map((x) => x.type)).toEqual(["syscall", "signal", "syscall", "exit"]);
      expect(r[1]).toMatchObject({ endLine: 3, stack: ["/lib/libc.so.6(raise+0x10) [0x3e0f0]"] });
      expect(r[2]).toMatchObject({ name: "exit_group", line: 4, endLine: 7 });
      expect(r[2]!.stack).toHaveLength(2);
      expect(r[3]!.stack).toBeUndefined();
    },
  },
  {
    name: "hex dumps (-e read= -e write=) after a merged and a whole call",
    text: lines(
      ...PRELUDE,
      "100   read(3,  <unfinished ...>",
      al('100   <... read resumed>"ab", 2)', "2"),
      " | 00000  61 62                                            ab               |",
      al(String.raw`100   write(1, "hi\n\\\"", 5)`, "5"),
      ' | 00000  68 69 0a 5c 22                                   hi.\\"            |',
      al("100   getpid()", "100"),
    ),
    path: "rows",
    check: (r) => {
      expect(r[3]).toMatchObject({ name: "read", endLine: 6 });
      expect(r[3]!.dump).toHaveLength(1);
      expect(r[4]!.dump).toEqual([' | 00000  68 69 0a 5c 22                                   hi.\\"            |']);
    },
  },
  {
    name: "many frames on one record, past a read's end",
    text: lines(
      al("100   getpid()", "100"),
      ...Array.from({ length: 5000 }, (_, i) => ` > /usr/lib/libdeep.so(recurse+0x${i.toString(16)}) [0x${(0x1000 + i).toString(16)}]`),
      al("100   getpid()", "100"),
    ),
    path: "rows",
    check: (r) => expect(r[0]).toMatchObject({ endLine: 5001 }),
  },
  // ---- hand-over mid-file
  {
    // (strace -f prints exit_group's frames after `+++ exited`, by which time another process's
    // call may be pending: its frames then, with its resumed half's after them)
    name: "-k frames on a call still pending: before its result keys, joined with the resumed half's",
    text: lines(
      "100   10:00:00.000001 read(0,  <unfinished ...>",
      " > /lib/libc.so.6(exit+0x1a) [0x3e69a]",
      " > /lib/libc.so.6(_exit+0x29) [0xd4409]",
      al("101   10:00:00.000002 getpid()", "101 <0.000003>"),
      al('100   10:00:00.000009 <... read resumed>"x", 1)', "0x1 <0.000008>"),
      " > /lib/libc.so.6(read+0x10) [0xf89f0]",
      "101   10:00:00.000010 wait4(-1,  <unfinished ...>",
      " > /lib/libc.so.6(exit+0x1a) [0x3e69a]",
      al("101   10:00:00.000020 <... wait4 resumed>NULL, 0, NULL)", "-1 ECHILD (No child processes) <0.000010>"),
      "102   10:00:00.000030 pause( <unfinished ...>",
      " > /lib/libc.so.6(pause+0x1) [0x1]",
    ),
    path: "rows",
    check: (r) => {
      expect(r[0]).toMatchObject({ name: "read", resumedLine: 5, endLine: 6, retText: "0x1", duration: 0.000008 });
      expect(r[0]!.stack).toEqual(["/lib/libc.so.6(exit+0x1a) [0x3e69a]", "/lib/libc.so.6(_exit+0x29) [0xd4409]", "/lib/libc.so.6(read+0x10) [0xf89f0]"]);
      expect(Object.keys(r[0]!).indexOf("stack")).toBeLessThan(Object.keys(r[0]!).indexOf("retText"));
      // resumed with no frames after it: endLine is the resumed half's
      expect(r[2]).toMatchObject({ name: "wait4", resumedLine: 9, endLine: 9, errno: "ECHILD", stack: ["/lib/libc.so.6(exit+0x1a) [0x3e69a]"] });
      // never resumed: its keys, then the frames'
      expect(r[3]).toMatchObject({ name: "pause", unfinished: true, endLine: 11 });
      expect(Object.keys(r[3]!).slice(-2)).toEqual(["stack", "endLine"]);
    },
  },
  {
    name: "-k frames on a pending restart_syscall (left to the full reading)",
    text: lines(
      ...PRELUDE,
      "100   restart_syscall(<... resuming interrupted read ...> <unfinished ...>",
      " > /lib/libc.so.6(read+0x10) [0xf89f0]",
      al("100   <... restart_syscall resumed>)", "0"),
    ),
    path: "midway",
    check: (r) => expect(r[3]).toMatchObject({ resuming: "resuming interrupted read", stack: ["/lib/libc.so.6(read+0x10) [0xf89f0]"] }),
  },
  {
    name: "a -k frame in UTF-8 (the host decodes it)",
    text: lines(...PRELUDE, al('100   write(1, "x", 1)', "1"), " > /opt/caf\u00e9/lib.so(f+0x1) [0x11]", al("100   getpid()", "100")),
    path: "midway",
    check: (r) => expect(r[3]!.stack).toEqual(["/opt/caf\u00e9/lib.so(f+0x1) [0x11]"]),
  },
  {
    name: "a frame and a dump on one record (key order left to the full reading)",
    text: lines(
      ...PRELUDE,
      al('100   write(1, "ab", 2)', "2"),
      " | 00000  61 62                                            ab               |",
      " > /lib/libc.so.6(write+0x14) [0x10e1a4]",
      al("100   getpid()", "100"),
    ),
    path: "midway",
    check: (r) => expect(Object.keys(r[3]!).slice(-3)).toEqual(["dump", "endLine", "stack"]),
  },
  {
    // (strace -f does print so: exit_group's frames after its `+++ exited` line, which the
    // stitcher gives to the last call, another process's whose frames came before)
    name: "frames before and after an exit line, on one record",
    text: lines(
      ...PRELUDE,
      al("100   exit_group(0)", "?"),
      " > /lib/libc.so.6(_exit+0x29) [0xd4409]",
      "100   +++ exited with 0 +++",
      " > /lib/libc.so.6(exit+0x1a) [0x3e69a]",
    ),
    path: "rows",
    check: (r) => expect(r[3]).toMatchObject({ endLine: 7, stack: ["/lib/libc.so.6(_exit+0x29) [0xd4409]", "/lib/libc.so.6(exit+0x1a) [0x3e69a]"] }),
  },
  { name: "a -k frame before any call", text: lines(" > /lib/libc.so.6(write+0x14) [0x10e1a4]", ...PRELUDE), path: "full" },
  { name: "a -k frame ending in CRLF", text: lines(...PRELUDE, " > /lib/libc.so.6(write+0x14) [0x10e1a4]\r", al("100   getpid()", "100")), path: "midway" },
  {
    name: "program output after some records, behind a pending call",
    text: lines(
      al("100   getpid()", "100"),
      "100   wait4(-1,  <unfinished ...>",
      al("101   getpid()", "101"),
      "hello world",
      al("100   <... wait4 resumed>NULL, 0, NULL)", "101"),
      al("100   getpid()", "100"),
    ),
    path: "any",
    check: (r) => expect(r.filter((x) => x.type === "diagnostic")).toHaveLength(1),
  },
  {
    name: "program output glued into a call",
    text: lines(al("100   getpid()", "100"), al('100   write(1, "x", 1hello)', "1"), al("100   getpid()", "100")),
    path: "any",
  },
  { name: "-Y comm prefix", text: lines(al("100<sh>   getpid()", "100"), al("[pid   101<ls>] getpid()", "101")), path: "rows" },
  { name: "-i instruction pointer", text: lines(...PRELUDE, al("100   [00007f0e5d7d3a1b] getpid()", "100")), path: "rows" },
  { name: "-n syscall numbers", text: lines(al("100   [  39] getpid()", "100")), path: "rows" },
  // a -n number that is not the name's (another personality's) is the full reading's to resolve
  { name: "-n number of another table", text: lines(...PRELUDE, al("100   [  20] getpid()", "100")), path: "midway" },
  // numbers no table gives, line after line: each line's diagnostic once, however the readings
  // hand over and back (a fuzz find: the full reading handed back before a line it had numbered)
  {
    name: "-n numbers no table gives, line after line",
    text: lines(
      ...PRELUDE,
      al("100   [  20] getpid()", "100"),
      al("100   [ 100000000000000000000] getuid()", "0"),
      al("100   [ 99999] getgid()", "0"),
      al("100   [  39] getpid()", "100"),
    ),
    path: "midway",
  },
  // a timestamp of more digits than a double holds: Infinity, which JSON writes as null (a fuzz find)
  { name: "a timestamp too large for a double", text: lines(al(`${"83".repeat(150)} getpid()`, "100")), path: "rows" },
  { name: "-r with -t", text: lines(al("100   10:00:00.000001 (+     0.000001) getpid()", "100")), path: "full" },
  { name: "CRLF line ends", text: lines(al("100   getpid()", "100") + "\r", al("100   getpid()", "100") + "\r"), path: "full" },
  { name: "an unterminated last line", text: lines(...PRELUDE) + al("100   getpid()", "100"), path: "midway" },
  { name: "a blank line", text: lines(...PRELUDE, "", al("100   getpid()", "100")), path: "midway" },
];

describe("JSON Lines written by the core's rows equal the full reading's", () => {
  for (const engine of ENGINES) {
    for (const c of CASES) {
      it(`${engine}: ${c.name}`, async () => {
        const f = writeTrace(c.file ?? `${c.name.replace(/[^a-z0-9]+/gi, "-").slice(0, 60)}-${engine}.strace`, c.text);
        const got = await expectSameJsonl(f, engine, c.path);
        c.check?.(got.records);
        // and handing back to the rows one line past each line they stop at
        await expectSameJsonl(f, engine, "any", { handBackLines: 1 });
      });
    }

    it(`${engine}: with little room to keep bytes (stdin, .gz), the full reading takes over at the last quiet point`, async () => {
      // wait4 stays pending over more than one read of the input: no quiet point after it
      const l = [al("100   getpid()", "100"), al("101   getpid()", "101"), "100   wait4(-1,  <unfinished ...>"];
      for (let i = 0; i < 12000; i++) l.push(al(`101   write(1, "${i}", ${String(i).length})`, String(String(i).length)));
      l.push(al("100   <... wait4 resumed>NULL, 0, NULL)", "101"));
      const f = writeTrace(`long-pending-${engine}.strace`, lines(...l));
      const gz = writeTrace(`long-pending-${engine}.strace.gz`, "");
      writeFileSync(gz, gzipSync(readFileSync(f)));
      const small = await expectSameJsonl(gz, engine, "midway", { maxReplayBytes: 1024 });
      // (the last quiet point is before wait4's line at the latest)
      expect(small.from!.line).toBeLessThan(3);
      // a plain file keeps no bytes (it is read again from the quiet point), and with room the
      // rows carry it all: the queued rows' JSON waits in the core's ring
      await expectSameJsonl(f, engine, "rows", { maxReplayBytes: 1024 });
      await expectSameJsonl(f, engine, "rows");
    });

    it(`${engine}: a .gz file gives the plain file's bytes, hand-over included`, async () => {
      const text = lines(
        al("100   getpid()", "100"),
        al('100   write(1, "x", 1)', "1"),
        // (a frame the rows leave to the full reading: its text is UTF-8)
        " > /opt/caf\u00e9/lib.so(write+0x14) [0x10e1a4]",
        al("100   getpid()", "100"),
      );
      const plain = writeTrace(`handover-${engine}.strace`, text);
      const gz = writeTrace(`handover-${engine}.strace.gz`, gzipSync(text));
      const a = await expectSameJsonl(gz, engine, "midway");
      const b = await fastJsonl(plain, engine);
      expect(a.text).toBe(b.text);
      expect(a.from).toEqual(b.from);
      // and a -ff file's pid comes through the .gz name too
      const ff = writeTrace(`gz-ff-${engine}.777.gz`, gzipSync(lines(al("getpid()", "777"))));
      const r = await expectSameJsonl(ff, engine, "rows");
      expect(r.records[0]).toMatchObject({ pid: 777, fmt: { pidStyle: "none" } });
    });

    it(`${engine}: every record names its file when asked (tagFile)`, async () => {
      const f = writeTrace(
        `tagged-${engine}.strace`,
        lines(...PRELUDE, "100   read(0,  <unfinished ...>", al("101   getpid()", "101"), al('100   <... read resumed>"", 1)', "0"), "hello"),
      );
      const r = await expectSameJsonl(f, engine, "midway", { tagFile: true });
      expect(r.records.map((x) => x.file)).toEqual(r.records.map(() => f));
    });

    it(`${engine}: each input starts afresh on a reused engine`, async () => {
      // one engine for many inputs, as parse reads several files: an input left mid-call, one that
      // hands over, then plain inputs must each give their own bytes
      const inputs = [
        lines("100   read(0,  <unfinished ...>", al("101   getpid()", "101")),
        lines(al("100   getpid()", "100"), "hello", al("100   getpid()", "100")),
        lines('100   write(1, "abc", 3 <unfinished ...>', al("100   <... write resumed>)", "3")),
        lines(al("100   getpid()", "100")),
      ];
      for (let round = 0; round < 2; round++)
        for (let i = 0; i < inputs.length; i++) await expectSameJsonl(writeTrace(`afresh-${engine}-${i}.strace`, inputs[i]!), engine, "any");
    });
  }
});

describe("the fast way's chunking", () => {
  for (const engine of ENGINES) {
    it(`${engine}: records queued behind a pending call across several reads`, async () => {
      // (the file is read 256 KiB at a time: the pending call's head and the rows behind it
      // cross reads, and the ring wraps when they are released and new ones come)
      const l: string[] = [];
      for (let k = 0; k < 6; k++) {
        l.push(`100   10:00:0${k}.000000 read(${k},  <unfinished ...>`);
        for (let i = 0; i < 3000; i++) l.push(al(`101   10:00:0${k}.${String(i).padStart(6, "0")} write(1, "\\xe9${i}", 3)`, `3 <0.00000${i % 10}>`));
        l.push(al(`100   10:00:0${k}.999999 <... read resumed>"x", 1)`, "1"));
      }
      const f = writeTrace(`queued-${engine}.strace`, lines(...l));
      expect(readFileSync(f).length).toBeGreaterThan(3 << 18);
      const r = await expectSameJsonl(f, engine, "rows");
      expect(r.records.filter((x) => x.name === "read").map((x) => x.line)).toEqual([1, 3003, 6005, 9007, 12009, 15011]);
    });

    it(`${engine}: records behind a long-pending call leave a few MiB a batch, and ahead of it past the hold-back cap`, async () => {
      // ~9 MB of JSON waits behind wait4 until it resumes, then leaves over several batches; with
      // a cap of 20,000 records the stitcher releases them ahead of wait4, which comes last
      const l = [al("100   getpid()", "100"), "100   wait4(-1,  <unfinished ...>"];
      for (let i = 0; i < 30000; i++) l.push(al(`101   openat(AT_FDCWD, "/usr/share/locale/some/longer/path/${i}", O_RDONLY|O_CLOEXEC)`, "3"));
      l.push(al("100   <... wait4 resumed>NULL, 0, NULL)", "101"));
      const f = writeTrace(`burst-${engine}.strace`, lines(...l));
      const held = await expectSameJsonl(f, engine, "rows");
      expect(held.text.length).toBeGreaterThan(8 << 20);
      expect(held.records[1]).toMatchObject({ name: "wait4", line: 2 });
      const capped = await expectSameJsonl(f, engine, "rows", { maxHeld: 20000 });
      expect(capped.records.at(-1)).toMatchObject({ name: "wait4", line: 2, resumedLine: 30003 });
    });

    it(`${engine}: a call pending from before the JSON ring starts again early: the queue behind it still has the whole ring`, async () => {
      // the ring starts again at its beginning early (past 4 MiB, when its head has moved 2 MiB
      // on): a call pending from then holds its JSON near the ring's end, and the ~6 MB queued
      // behind it fill the ring's start up to it; those bytes then move after it (unwrap)
      const open = (k: number, i: number) =>
        al(`101   openat(AT_FDCWD, "/usr/share/locale/${k}/LC_MESSAGES/${i}.mo", O_RDONLY)`, "-1 ENOENT (No such file or directory)");
      for (const frames of [false, true]) {
        const l: string[] = [];
        const frame = (f: string) => (frames ? [` > /lib/libc.so.6(${f}) [0x1]`] : []);
        for (let i = 0; i < 7000; i++) l.push(open(0, i));
        for (let k = 1; k < 4; k++) {
          l.push(`100   read(${k},  <unfinished ...>`, ...frame("read+0x10"));
          for (let i = 0; i < 18000; i++) l.push(open(k, i), ...frame(`open+0x${i.toString(16)}`));
          l.push(al(`100   <... read resumed>"x", 1)`, "1"), ...frame("read+0x10"));
        }
        const f = writeTrace(`pending-wrap-${frames}-${engine}.strace`, l.join("\n") + "\n");
        const r = await expectSameJsonl(f, engine, "rows");
        expect(r.records.filter((x) => x.name === "read").map((x) => x.resumedLine)).toEqual(
          [1, 2, 3].map((k) => (frames ? 7000 + k * 36004 - 1 : 7000 + k * 18002)),
        );
        if (frames) expect(r.records.filter((x) => x.name === "read").map((x) => (x.stack as string[]).length)).toEqual([2, 2, 2]);
      }
    });

    it(`${engine}: a call pending behind more than 32 MiB of -k records stays on the rows`, async () => {
      // (the JSON ring holds the hold-back cap's records with a dozen frames each; with 32 MiB the
      // rows stopped here and the full reading held the records as objects)
      const frames = Array.from({ length: 8 }, (_, j) => ` > /usr/lib/x86_64-linux-gnu/libexample-runtime.so.1(frame_${j}_of_the_call+0x${j}f) [0x${j}7305]`);
      const l = ["100   wait4(-1,  <unfinished ...>"];
      for (let i = 0; i < 34000; i++)
        l.push(al(`101   openat(AT_FDCWD, "/usr/lib/x86_64-linux-gnu/x${i}.so", O_RDONLY)`, "-1 ENOENT (No such file or directory)"), ...frames);
      l.push(al("100   <... wait4 resumed>NULL, 0, NULL)", "101"));
      const f = writeTrace(`pending-frames-${engine}.strace`, l.join("\n") + "\n");
      const r = await expectSameJsonl(f, engine, "rows");
      expect(r.text.length).toBeGreaterThan(32 << 20);
      expect(r.records[0]).toMatchObject({ name: "wait4", resumedLine: 306002 });
    }, 60_000);

    it(`${engine}: a pending call's -k frames stay with it when the hold-back cap sets it aside`, async () => {
      const l = [al("100   getpid()", "100"), "100   wait4(-1,  <unfinished ...>", " > /lib/libc.so.6(wait4+0x13) [0xd3bd3]"];
      for (let i = 0; i < 300; i++)
        l.push(al(`101   write(1, "${i}", ${String(i).length})`, String(String(i).length)), ` > /lib/libc.so.6(write+0x${i.toString(16)}) [0x1]`);
      l.push(al("100   <... wait4 resumed>NULL, 0, NULL)", "101"), " > /usr/bin/sh(main+0x2) [0x2]");
      const f = writeTrace(`aside-frames-${engine}.strace`, lines(...l));
      const capped = await expectSameJsonl(f, engine, "rows", { maxHeld: 100 });
      expect(capped.records.at(-1)).toMatchObject({
        name: "wait4",
        stack: ["/lib/libc.so.6(wait4+0x13) [0xd3bd3]", "/usr/bin/sh(main+0x2) [0x2]"],
        endLine: 605,
      });
      expect(capped.records.filter((x) => x.stack).length).toBe(301);
    });

    it(`${engine}: the full way's bytes do not depend on where a read ends`, async () => {
      // the reference itself: fullJsonl reads the file in 256 KiB chunks; a copy with a longer
      // first line moves every chunk boundary
      const body = lines(...Array.from({ length: 9000 }, (_, i) => al(`100   write(1, "${i}", ${String(i).length})`, String(String(i).length))));
      const a = writeTrace(`shifted-a-${engine}.strace`, lines(al("100   getpid()", "100")) + body);
      const b = writeTrace(`shifted-b-${engine}.strace`, lines(al(`100   write(1, "${"y".repeat(5000)}", 5000)`, "5000")) + body);
      const fa = await fullJsonl(a, engine);
      const fb = await fullJsonl(b, engine);
      expect(fa.text.slice(fa.text.indexOf("\n"))).toBe(fb.text.slice(fb.text.indexOf("\n")));
      await expectSameJsonl(b, engine, "rows");
    });
  }
});

describe("after a hand-over the full reading hands a plain file back to the core's rows", () => {
  // odd lines (program output, a -k frame in UTF-8, a blank line) now and then in a long -f trace: each
  // sends the rows to the full reading, which gives the input back to them some way on
  const body = (n: number, tag: string): string[] => {
    const l: string[] = [];
    for (let i = 0; i < n; i++) {
      if (i % 7 === 3) l.push("101   read(0,  <unfinished ...>", al("100   getpid()", "100"), al('101   <... read resumed>"x", 1)', "1"));
      else l.push(al(`100   write(1, "${tag}${i}", ${String(i).length + tag.length})`, String(String(i).length + tag.length)));
    }
    return l;
  };
  const text = lines(
    ...body(50, "a"),
    "hello from the program",
    ...body(3000, "b"),
    " > /opt/caf\u00e9/lib.so(write+0x14) [0x10e1a4]",
    ...body(6000, "c"),
    "",
    ...body(200, "d"),
  );
  for (const engine of ENGINES) {
    it(`${engine}: the same bytes, and the rows take over again after each odd line`, async () => {
      const f = writeTrace(`hand-back-${engine}.strace`, text);
      const backs: { offset: number; line: number }[] = [];
      const got = await expectSameJsonl(f, engine, "midway", { onHandBack: (at) => backs.push(at) });
      // twice: after the program output and after the frame; the blank line comes too close to the
      // end for the (doubled) distance
      expect(backs).toHaveLength(2);
      expect(backs[0]!.line).toBeGreaterThan(50 + 1024);
      expect(backs[1]!.line - 3000).toBeGreaterThan(50 + 2048);
      // each hand-back starts at a line boundary of the input
      for (const b of backs) expect(readFileSync(f)[b.offset - 1]).toBe(10);
      expect(got.records.filter((r) => r.type === "diagnostic")).toHaveLength(2);
    });
  }
});

describe("numbers the core writes itself: random timestamps, durations, results and pids", () => {
  // The core writes these digits without the host (json/numbers.ts, json/out.ts): a timestamp's
  // or duration's text when it provably is String(x), integers two digits a step. Random shapes of
  // each, many of them edge cases by construction (trailing and leading zeros, one digit, 9s that
  // carry, 15 and 16 significant digits, values below 1e-6), must give the full reading's bytes.
  const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^[0-9]{${min},${max}}$`));
  const zeroHeavy = (min: number, max: number) =>
    fc.array(fc.constantFrom("0", "0", "0", "9", "1", "5"), { minLength: min, maxLength: max }).map((a) => a.join(""));
  const frac = fc.oneof(digits(1, 9), digits(10, 18), zeroHeavy(1, 18));
  const two = fc.integer({ min: 0, max: 59 }).map((n) => String(n).padStart(2, "0"));
  // one timestamp style a trace, as strace prints them: -t, -tt (or -ttt's fraction with a
  // clock's hh:mm:ss), -ttt / -r seconds
  const styles = [
    fc.tuple(fc.integer({ min: 0, max: 23 }), two, two).map(([h, m, s]) => `${String(h).padStart(2, "0")}:${m}:${s}`),
    fc.tuple(fc.integer({ min: 0, max: 23 }), two, two, frac).map(([h, m, s, f]) => `${String(h).padStart(2, "0")}:${m}:${s}.${f}`),
    fc.tuple(fc.oneof(digits(1, 10), fc.constant("0")), frac).map(([w, f]) => `${w.replace(/^0+(?=.)/, "")}.${f}`),
  ];
  const duration = fc.oneof(
    fc.tuple(fc.oneof(fc.constant("0"), digits(1, 6)), frac).map(([w, f]) => `${w}.${f}`),
    digits(1, 4),
  );
  const ret = fc.oneof(
    fc.integer({ min: -4095, max: 4095 }).map(String),
    fc.bigInt({ min: 0n, max: (1n << 53n) + 1000n }).map(String),
    fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map((n) => `0x${n.toString(16)}`),
    digits(1, 20),
  );
  const trace = fc.integer({ min: 0, max: styles.length - 1 }).chain((style) =>
    fc.array(fc.record({ pid: fc.integer({ min: 1, max: 4194304 }), stamp: styles[style]!, duration, ret, fd: fc.integer({ min: 0, max: 2 ** 31 - 1 }) }), {
      minLength: 1,
      maxLength: 40,
    }),
  );

  for (const engine of ENGINES) {
    it(`${engine}: the same bytes as the full reading`, async () => {
      let run = 0;
      let byRows = 0;
      await fc.assert(
        fc.asyncProperty(trace, async (calls) => {
          const text = lines(...calls.map((c) => al(`${String(c.pid).padEnd(5)} ${c.stamp} lseek(${c.fd}, ${c.ret}, SEEK_SET)`, `${c.ret} <${c.duration}>`)));
          const got = await expectSameJsonl(writeTrace(`numbers-${engine}-${run++ % 4}.strace`, text), engine, "any");
          if (got.path === "rows") byRows++;
        }),
        { numRuns: 150, seed: 20261207 },
      );
      // (the core wrote many of them itself: a duration of more than 15 digits stops the rows)
      expect(byRows).toBeGreaterThan(50);
    });
  }
});
