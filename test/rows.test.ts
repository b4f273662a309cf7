// The core's record rows (src/core/rows) are the fast path of `stats`: they must give exactly the
// records a lean TraceParser gives (same statistics, counts and order-dependent sums), whether a
// file is read by rows alone or handed over to the full reading at a quiet point, on both engines.

import { describe, expect, it } from "vitest";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { spawnSync } from "node:child_process";
import { countFile } from "../src/api/counting.js";
import { expandInputs, parseFileBatches } from "../src/api/node.js";
import { TraceStats, type StatsResult } from "../src/model/stats.js";
import type { ParseCounts } from "../src/parser.js";
import type { TraceRecord } from "../src/model/record.js";
import { RowParser, type QuietPoint } from "../src/model/row-parser.js";
import { fileSequences } from "../src/eval/sources.js";
import { sequencesSync } from "../src/seq/sequences.js";
import { REPO, SHARED } from "./helpers/shared.js";
import { createEngine } from "../src/api/core.js";
import { LineField, NodeField, NodeKind, RowField, ScanMode } from "../src/core/abi.js";
import type { CoreEngine } from "../src/engine/core-engine.js";
import { LineFeeder } from "../src/feeder.js";

const CORPUS = SHARED + "/corpus/";
const OUT = path.join(REPO, "test-output", "rows");
const ENGINES = ["wasm", "ts"] as const;

async function fullStats(file: string, engine: "wasm" | "ts"): Promise<string> {
  const stats = new TraceStats();
  let counts: ParseCounts | undefined;
  for await (const batch of parseFileBatches(file, { engine, lean: true, argsFor: () => false, onEnd: (c) => (counts = c) }))
    for (const r of batch) stats.add(r);
  return JSON.stringify(stats.result(counts!)) + stats.table();
}

async function rowStats(
  file: string,
  engine: "wasm" | "ts",
  handBackLines?: number,
): Promise<{ text: string; result: StatsResult; path: "rows" | "full"; from: QuietPoint | undefined }> {
  const stats = new TraceStats();
  let via: "rows" | "full" = "rows";
  let from: QuietPoint | undefined;
  const counts = await countFile(
    file,
    {
      engine,
      handBackLines,
      onPath: (p, q) => {
        via = p;
        from = q;
      },
    },
    (r) => stats.add(r as TraceRecord),
  );
  const result = stats.result(counts);
  return { text: JSON.stringify(result) + stats.table(), result, path: via, from };
}

function writeTrace(name: string, text: string): string {
  mkdirSync(OUT, { recursive: true });
  const f = path.join(OUT, name);
  writeFileSync(f, text);
  return f;
}

describe("record rows on hand-written traces", () => {
  it("an engine without room for the rows' block says so at once, so the input is read the full way", async () => {
    const { createWasmEngine } = await import("../src/engine/wasm-engine.js");
    const tight = (await createWasmEngine({ maxMemoryBytes: 400_000 })) as unknown as CoreEngine;
    let given = 0;
    const rows = new RowParser(tight, {}, () => given++);
    expect(rows.aborted).toBe(true);
    expect(rows.push(new TextEncoder().encode("1  getpid() = 1\n"))).toBe(false);
    expect(given).toBe(0);
    expect(rows.quiet.offset).toBe(0);
    // and the same engine still scans in full
    expect(tight.scan(new TextEncoder().encode("1  getpid() = 1\n"), true).lineCount).toBe(1);
  });

  // -f -tt -T: halves of two pids interleaved, a call resumed after another pid's calls, a signal,
  // -k frames, a blank line, an exit, and an unfinished call never resumed
  const plain = [
    '100  10:00:00.000001 openat(AT_FDCWD, "/etc/passwd", O_RDONLY) = 3 <0.000010>',
    "100  10:00:00.000002 read(3,  <unfinished ...>",
    '101  10:00:00.000003 write(1, "x", 1) = 1 <0.000003>',
    " > /lib/x86_64-linux-gnu/libc.so.6(write+0x14) [0x10e1a4]",
    '101  10:00:00.000004 openat(AT_FDCWD, "/nope", O_RDONLY) = -1 ENOENT (No such file or directory) <0.000004>',
    '100  10:00:00.000005 <... read resumed>"root:x:0:0", 4096) = 10 <0.000004>',
    "",
    "101  10:00:00.000006 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=102, si_uid=0, si_status=0, si_utime=0, si_stime=0} ---",
    "100  10:00:00.000007 wait4(-1,  <unfinished ...>",
    "101  10:00:00.000008 exit_group(0)            = ?",
    "101  10:00:00.000009 +++ exited with 0 +++",
  ].join("\n");

  // a call split by a glued message (`strace -f` printing into a line) comes after a quiet point
  const split = [
    plain,
    "102  10:00:00.000010 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLDstrace: Process 103 attached",
    ", child_tidptr=0x7f0e5d7d0a10) = 103 <0.000050>",
    "103  10:00:00.000011 getpid() = 103 <0.000001>",
  ].join("\n");

  for (const engine of ENGINES) {
    it(`${engine}: rows alone give the records of the full reading`, async () => {
      const f = writeTrace("plain.strace", plain + "\n");
      const r = await rowStats(f, engine);
      expect(r.path).toBe("rows");
      expect(r.text).toBe(await fullStats(f, engine));
      // openat x2, read (merged), write; exit_group and the never-resumed wait4 did not return
      expect(r.result.syscallCount).toBe(4);
      expect(r.result.unreturned).toBe(2);
      expect(r.result.diagnostics).toBe(1);
      expect(r.result.errnos).toEqual({ ENOENT: 1 });
      expect(r.result.syscalls.read.latency?.total).toBe(0.000004);
    });

    it(`${engine}: a call cut with its marker inside the parentheses and a result (old straces) is whole: a later resumed half of its pid is a record of its own`, async () => {
      const f = writeTrace(
        "marker-inside.strace",
        ["1 nanosleep({tv_sec=1, tv_nsec=0} <unfinished ...>) = ?", "1 <... nanosleep resumed>) = 0", "1 exit_group(0) = ?", ""].join("\n"),
      );
      const r = await rowStats(f, engine);
      expect(r.path).toBe("rows");
      expect(r.text).toBe(await fullStats(f, engine));
      // the resumed half returned; the cut call and exit_group did not
      expect(r.result.syscallCount).toBe(1);
      expect(r.result.unreturned).toBe(2);
    });

    it(`${engine}: past the hold-back cap, rows release what waits behind a pending call, and the call comes after them, as the stitcher does`, async () => {
      // (maxHeld 3 here; 65,536 by default)
      const text = [
        "100  10:00:00.000001 wait4(-1,  <unfinished ...>",
        "101  10:00:00.000002 getpid() = 101",
        "",
        "",
        "",
        " > /lib/x86_64-linux-gnu/libc.so.6(getpid+0x7) [0xe1a47]",
        "101  10:00:00.000004 getuid() = 0",
        "101  10:00:00.000005 read(0,  <unfinished ...>",
        "101  10:00:00.000006 +++ exited with 0 +++",
        "100  10:00:00.000007 <... wait4 resumed>NULL, 0, NULL) = 101",
        "100  10:00:00.000008 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=101, si_uid=0, si_status=0, si_utime=0, si_stime=0} ---",
        "100  10:00:00.000009 exit_group(0) = ?",
        "",
      ].join("\n");
      const f = writeTrace("held.strace", text);
      const order = async (maxHeld: number) => {
        const want: string[] = [];
        for await (const batch of parseFileBatches(f, { engine, lean: true, maxHeld }))
          for (const r of batch) if (r.type !== "diagnostic") want.push(`${r.type}@${r.line}`);
        const got: string[] = [];
        let via = "";
        const counts = await countFile(f, { engine, maxHeld, onPath: (p) => (via = p) }, (r) => got.push(`${r.type}@${r.line}`));
        return { want, got, via, counts };
      };
      const capped = await order(3);
      expect(capped.via).toBe("rows");
      expect(capped.got).toEqual(capped.want);
      // wait4 (line 1) leaves after getpid, which the cap released ahead of it; so was getpid's
      // place, the frames' owner, so the frame after the blank lines is a diagnostic too
      expect(capped.got.indexOf("syscall@1")).toBeGreaterThan(capped.got.indexOf("syscall@2"));
      expect(capped.counts.diagnostics).toBe(4);
      const uncapped = await order(65536);
      expect(uncapped.got).toEqual(uncapped.want);
      expect(uncapped.got.indexOf("syscall@1")).toBeLessThan(uncapped.got.indexOf("syscall@2"));
      expect(uncapped.counts.diagnostics).toBe(3);
    });

    it(`${engine}: a long trace whose queue moves back to the ring's start now and then (with calls pending across it) gives the full reading's records`, async () => {
      // 60,000 lines: pid 101's reads stay pending across pid 102's calls, so a call is pending
      // at most batch ends, when the rows renumber their short queue; one wait4 of pid 100
      // stays pending across 20,000 rows in the middle
      const l: string[] = [];
      for (let i = 0; i < 60000; i++) {
        const t = `10:00:${String(Math.floor(i / 1000) % 60).padStart(2, "0")}.${String(i % 1000).padStart(6, "0")}`;
        if (i === 20000) l.push(`100  ${t} wait4(-1,  <unfinished ...>`);
        else if (i === 40000) l.push(`100  ${t} <... wait4 resumed>NULL, 0, NULL) = 102`);
        else if (i % 5 === 0) l.push(`101  ${t} read(0,  <unfinished ...>`);
        else if (i % 5 === 3) l.push(`101  ${t} <... read resumed>"x", 1) = 1`);
        else l.push(`102  ${t} getpid() = 102`);
      }
      const f = writeTrace(`renumbered-${engine}.strace`, l.join("\n") + "\n");
      const key = (r: { type: string; pid: number | null; name?: string; line: number; ret?: unknown }) =>
        `${r.type} ${r.pid} ${r.name ?? ""} @${r.line} ${r.ret == null ? "-" : "ret"}`;
      for (const maxHeld of [undefined, 10000]) {
        const want: string[] = [];
        for await (const batch of parseFileBatches(f, { engine, lean: true, maxHeld })) for (const r of batch) want.push(key(r as never));
        const got: string[] = [];
        let via = "";
        await countFile(f, { engine, maxHeld, onPath: (p) => (via = p) }, (r) => got.push(key(r as never)));
        expect(via).toBe("rows");
        expect(got.length).toBe(want.length);
        expect(got).toEqual(want);
      }
    });

    it(`${engine}: a line rows do not model hands over to the full reading at the last quiet point`, async () => {
      const f = writeTrace("split.strace", split);
      const r = await rowStats(f, engine);
      expect(r.path).toBe("full");
      expect(r.from!.offset).toBeGreaterThan(0);
      expect(r.text).toBe(await fullStats(f, engine));
      // the same from a .gz file, where the full reading drops the bytes before the quiet point
      const gz = writeTrace("split.strace.gz", "");
      writeFileSync(gz, gzipSync(readFileSync(f)));
      const z = await rowStats(gz, engine);
      expect(z.from!.offset).toBe(r.from!.offset);
      expect(z.text).toBe(r.text);
    });

    it(`${engine}: stdin takes the same path: rows, then the full reading from the kept bytes`, () => {
      const f = writeTrace(`split-stdin-${engine}.strace`, split);
      const cli = path.join(REPO, "dist/cli/main.js");
      const viaFile = spawnSync("node", [cli, "stats", "--json", "-q", "--engine", engine, f], { encoding: "utf8" });
      const viaStdin = spawnSync("node", [cli, "stats", "--json", "-q", "--engine", engine, "-"], { encoding: "utf8", input: readFileSync(f) });
      expect(viaStdin.status, viaStdin.stderr).toBe(0);
      expect(viaStdin.stdout).toBe(viaFile.stdout);
      expect(JSON.parse(viaStdin.stdout)).toMatchObject({ syscallCount: 6 });
    });

    it(`${engine}: with little room to keep bytes of a .gz file, the full reading takes over at the last quiet point by itself; a plain file keeps none`, async () => {
      // wait4 stays pending to the end: no quiet point after it, so the kept bytes only grow
      const lines = [plain.split("\n").slice(0, 8).join("\n"), "100  10:00:00.000007 wait4(-1,  <unfinished ...>"];
      // (more than one read of the input: the first ends while wait4 waits)
      for (let i = 0; i < 8000; i++) lines.push(`101  10:00:01.${String(i).padStart(6, "0")} getpid() = 101 <0.000001>`);
      lines.push("100  10:00:02.000000 <... wait4 resumed>NULL, 0, NULL) = 101 <2.000000>");
      const text = lines.join("\n") + "\n";
      const f = writeTrace("long-pending.strace", text);
      const gz = writeTrace("long-pending.strace.gz", "");
      writeFileSync(gz, gzipSync(Buffer.from(text)));
      const expected = await fullStats(f, engine);
      for (const [input, path] of [
        [gz, "full"],
        [f, "rows"],
      ] as const) {
        const stats = new TraceStats();
        let via: string | undefined;
        let from: QuietPoint | undefined;
        const counts = await countFile(input, { engine, maxReplayBytes: 1024, onPath: (p, q) => ((via = p), (from = q)) }, (r) => stats.add(r as TraceRecord));
        expect(via).toBe(path);
        if (path === "full") expect(from!.offset).toBeGreaterThan(0);
        expect(JSON.stringify(stats.result(counts)) + stats.table()).toBe(expected);
      }
    });

    it(`${engine}: after a hand-over, the full reading gives a plain file back to the rows some way on`, async () => {
      const lines: string[] = [];
      for (let i = 0; i < 6000; i++) {
        lines.push(`101  10:00:01.${String(i).padStart(6, "0")} getpid() = 101 <0.000001>`);
        // a line the counting rows do not model, now and then (one without the pid prefix)
        if (i === 100 || i === 2000) lines.push(`10:00:01.${String(i).padStart(6, "0")} getppid() = 100 <0.000001>`);
      }
      const f = writeTrace("hand-back-stats.strace", lines.join("\n") + "\n");
      const backs: number[] = [];
      const stats = new TraceStats();
      const counts = await countFile(f, { engine, onHandBack: (at) => backs.push(at.line) }, (r) => stats.add(r as TraceRecord));
      expect(backs.length).toBe(2);
      expect(backs[0]).toBeGreaterThan(100 + 1024);
      expect(counts.bytes).toBe(readFileSync(f).length);
      expect(JSON.stringify(stats.result(counts)) + stats.table()).toBe(await fullStats(f, engine));
    });

    it(`${engine}: a plain file is read again from the quiet point when the rows stop, with each byte counted once`, async () => {
      // rows to a quiet point well inside the file, then a line they do not model (a -c table)
      const lines: string[] = [];
      for (let i = 0; i < 20000; i++) lines.push(`101  10:00:01.${String(i % 1000000).padStart(6, "0")} getpid() = 101 <0.000001>`);
      lines.push("% time     seconds  usecs/call     calls    errors syscall", "------ ----------- ----------- --------- --------- ----------------");
      const f = writeTrace("late-table.strace", lines.join("\n") + "\n");
      let via: string | undefined;
      let from: QuietPoint | undefined;
      const stats = new TraceStats();
      const counts = await countFile(f, { engine, onPath: (p, q) => ((via = p), (from = q)) }, (r) => stats.add(r as TraceRecord));
      expect(via).toBe("full");
      expect(from!.offset).toBeGreaterThan(1 << 18); // past the first read
      expect(counts.bytes).toBe(readFileSync(f).length);
      expect(JSON.stringify(stats.result(counts)) + stats.table()).toBe(await fullStats(f, engine));
    });
  }
});

/** A scan's tables as text, with every argument list's children left out (what a shallow scan
 *  may leave out; everything else must be the same). */
function tablesWithoutArgs(engine: CoreEngine, bytes: Uint8Array, shallow: boolean): string {
  const out: string[] = [];
  const feeder: LineFeeder = new LineFeeder({ name: engine.name, scan: (c, f) => engine.scan(c, f, shallow ? ScanMode.Shallow : ScanMode.Full) }, (b) => {
    // offsets made absolute: a shallow scan's batches may end at other lines (its node table fills later)
    const base = feeder.scanned;
    for (let i = 0; i < b.lineCount; i++) {
      const row = b.lines.subarray(i * LineField.Stride, (i + 1) * LineField.Stride);
      const kept: number[] = [];
      for (let n = row[LineField.NodeStart]; n < row[LineField.NodeEnd]; n++) {
        const at = n * NodeField.Stride;
        kept.push(b.nodes[at + NodeField.Kind], base + b.nodes[at + NodeField.Start], base + b.nodes[at + NodeField.End]);
        if (b.nodes[at + NodeField.Kind] === NodeKind.Args) {
          // the children are left out, but not program output the grammar found among them (a
          // Glued echo): the rows hand such a line to the full reading, so the skipper must not
          // take it
          const next = b.nodes[at + NodeField.Next];
          let glued = 0;
          for (let c = n + 1; c < next; c++) if (b.nodes[c * NodeField.Stride + NodeField.Kind] === NodeKind.Glued) glued++;
          kept.push(glued);
          n = next - 1;
        }
      }
      // (not NodeStart/NodeEnd: node indices shift by the children left out)
      const err = row[LineField.Err];
      out.push(
        `${base + row[LineField.Start]} ${row[LineField.Kind]} ${err} ${err ? base + row[LineField.ErrAt] : 0} ${row[LineField.Pid]}: ${kept.join(",")}`,
      );
    }
  });
  for (let o = 0; o < bytes.length; o += 1 << 16) feeder.push(bytes.subarray(o, o + (1 << 16)));
  feeder.end();
  return out.join("\n");
}

/** How many nodes a scan of `bytes` writes, shallow or full, and how many of them are Glued. */
function nodeCount(engine: CoreEngine, bytes: Uint8Array, shallow: boolean): number {
  return countNodes(engine, bytes, shallow).all;
}

function countNodes(engine: CoreEngine, bytes: Uint8Array, shallow: boolean): { all: number; glued: number } {
  const n = { all: 0, glued: 0 };
  const fd = new LineFeeder({ name: engine.name, scan: (c, fin) => engine.scan(c, fin, shallow ? ScanMode.Shallow : ScanMode.Full) }, (b) => {
    n.all += b.nodeCount;
    for (let i = 0; i < b.nodeCount; i++) if (b.nodes[i * NodeField.Stride + NodeField.Kind] === NodeKind.Glued) n.glued++;
  });
  fd.push(bytes);
  fd.end();
  return n;
}

describe("the shallow scan on lines written from strace's grammar", () => {
  // (args.ts: what the grammar reads, with its separators, operators, decorations and echoes)
  const taken = [
    "100 rt_sigprocmask(SIG_BLOCK, ~[], [], 8) = 0",
    "100 rt_sigaction(SIGCHLD, {sa_handler=0x55c53e8f6dc0, sa_mask=~[RTMIN RT_1], sa_flags=SA_RESTORER, sa_restorer=0x7f88}, NULL, 8) = 0",
    "100 rt_sigreturn({mask=[HUP TERM]}) = 0",
    "100 getdents64(3, 0x823a160 /* 208 entries */, 32768) = 6944",
    '100 execve("/bin/true", ["true"], 0x7ffe3c5d1a28 /* 10 vars */ /* and more */) = 0',
    '100 newfstatat(1, "", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}, AT_EMPTY_PATH) = 0',
    "100 prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0",
    "100 setsockopt(3, SOL_SOCKET, SO_ATTACH_FILTER, {len=SKF_AD_OFF+4, filter=0x5}, 16) = 0",
    '100 bind(3, {sa_family=AF_INET, sin_port=htons(47011), sin_addr=inet_addr("127.0.0.1")}, 16) = 0',
    '100 write(1, "hello\\n", 6) = 6',
    '100 write(1, "hello", 5 <unfinished ...>',
    '100 <... read resumed>"abc", 832) = 3',
    "100 <... rt_sigtimedwait resumed>[HUP TERM], NULL, 8) = 0",
    // lists closing into operators, decorations and more lists (the skipper's list stack)
    "100 poll([{fd=3, events=POLLIN|POLLPRI}, {fd=4, events=POLLOUT}], 2, -1) = 1",
    "100 x([[1, 2], []], {a={b=[]}, c=~[]}, makedev(0x1, 0x3)|3, [1] /* one */) = 0",
    // decorations (-y, -yy): paths, nested, sockets with `->` inside brackets, `(deleted)`
    '100 read(3</etc/passwd>, "root", 4) = 4',
    '100 openat(AT_FDCWD</tmp>, "x", O_RDONLY) = 3</tmp/x>',
    "100 ioctl(0</dev/pts/0<char 136:0>>, TCGETS, {c_iflag=ICRNL}) = 0",
    '100 sendto(3<TCP:[1.2.3.4:5->6.7.8.9:10]>, "x", 1, 0, NULL, 0) = 1',
    "100 fstat(4</tmp/gone (deleted)>(deleted), {st_mode=S_IFREG|0644, ...}) = 0",
    "100 poll([{fd=3</x>, events=POLLIN}, {fd=4<pipe:[5]>, events=POLLIN}], 2, 0) = 0",
    // as deep as the skipper follows: an item inside 15 lists
    `100 x(${"[".repeat(15)}1${"]".repeat(15)}) = 0`,
  ];
  // shapes the grammar reads otherwise, or may: the skipper leaves them to it
  const refused = [
    // the count took in the first digits of its own echoed output (echoes.ts splitCountEcho)
    '100 write(2, "12345", 512345) = 5',
    "100 rt_sigprocmask(SIG_BLOCK, [HUP | TERM], NULL, 8) = 0",
    "100 ioctl(3, [HIDIOCGRDESCSIZE or HIDIOCGVERSION], 0x7ffd) = 0",
    "100 rt_sigprocmask(SIG_BLOCK, [HUP  TERM], NULL, 8) = 0",
    '100 recvmsg(3, {msg_name(0)=NULL, msg_iov(1)=[{"x", 1}]}, 0) = 1',
    "100 getdents(3, 0x1 /* never closed, 4) = 0",
    "100 wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 7",
    '100 recvfrom(5, "x", 256, 0, 0x7ffc33803690, [16 => 0]) = 1',
    // a decoration that does not close, and `(` after a term other than `(deleted)`
    '100 read(3</etc/passwd, "root", 4) = 4',
    "100 x(3(gone), 1) = 0",
    // `<<` is an operator, not a decoration
    "100 x(1<<4) = 0",
    // deeper than the skipper follows (the grammar allows more)
    `100 x(${"[".repeat(16)}1${"]".repeat(16)}) = 0`,
  ];
  const bytes = (lines: string[]) => Buffer.from(lines.join("\n") + "\n", "latin1");

  for (const engine of ENGINES) {
    it(`${engine}: it skips the lists it takes and writes the full scan's tables but for their children`, async () => {
      const e = (await createEngine(engine)) as CoreEngine;
      for (const l of taken) {
        expect(tablesWithoutArgs(e, bytes([l]), true), l).toBe(tablesWithoutArgs(e, bytes([l]), false));
        expect(nodeCount(e, bytes([l]), true), l).toBeLessThan(nodeCount(e, bytes([l]), false));
      }
      for (const l of refused) {
        expect(tablesWithoutArgs(e, bytes([l]), true), l).toBe(tablesWithoutArgs(e, bytes([l]), false));
        expect(nodeCount(e, bytes([l]), true), l).toBe(nodeCount(e, bytes([l]), false));
      }
      // (the echo is there to leave: the grammar keeps it apart)
      expect(countNodes(e, bytes([refused[0]]), true).glued).toBe(1);
    });

    it(`${engine}: a resumed call's echo checks are its own, not the line before's`, async () => {
      // `15` after a string "5" would read as a count 1 with its echo "5" if this were a write:
      // the write on the line before must not make it one, nor a write's name at the same offset
      // of an earlier chunk
      const e = (await createEngine(engine)) as CoreEngine;
      const trace = bytes(['100 write(1, "x", 1) = 1', '100 <... read resumed>"5", 15) = 1']);
      expect(countNodes(e, trace, false).glued).toBe(0);
      const resumedWrite = bytes(['100 <... write resumed>"5", 15) = 1']);
      expect(countNodes(e, resumedWrite, false).glued).toBe(1);
    });
  }
});

/** The rows a scan in `mode` leads to (every released row's bytes, where the stage stopped and
 *  why, the interned names in id order), and how many lines the scan read into RowLine entries. */
function rowsOf(engine: CoreEngine, bytes: Uint8Array, mode: ScanMode): { rows: string; rowLines: number } {
  const out: string[] = [];
  let rowLines = 0;
  engine.rowsReset(-1, 1 << 16, 1 << 16, undefined);
  let stopped = false;
  let linesBefore = 0;
  const take = (lineCount: number, final: boolean): void => {
    const v = engine.buildRows(lineCount, final);
    // (the fields up to the JSON ones, which rows without JSON leave as memory had them)
    for (let r = 0; r < v.count; r++) out.push(Buffer.from(v.i32.buffer, v.i32.byteOffset + r * RowField.Bytes, RowField.JsonHead).toString("hex"));
    const stop = engine.rowsAbort();
    if (stop.reason !== 0 && !stopped) out.push(`stopped ${stop.reason} at line ${linesBefore + stop.line}`);
    stopped = stop.reason !== 0;
    linesBefore += lineCount;
  };
  const feeder = new LineFeeder({ name: engine.name, scan: (c, f) => engine.scan(c, f, mode) }, (b) => {
    for (let i = 0; i < b.lineCount; i++) {
      const first = b.lines[i * LineField.Stride + LineField.NodeStart];
      if (first < b.lines[i * LineField.Stride + LineField.NodeEnd] && b.nodes[first * NodeField.Stride + NodeField.Kind] === NodeKind.RowLine) rowLines++;
    }
    take(b.lineCount, false);
  });
  for (let o = 0; o < bytes.length; o += 1 << 16) feeder.push(bytes.subarray(o, o + (1 << 16)));
  feeder.end();
  take(0, true);
  return { rows: out.join("\n") + "\nnames " + engine.rowNames(0).join(","), rowLines };
}

describe("call lines read straight into their rows' fields (src/core/scan/row-line.ts)", () => {
  // the shapes it takes: each alone, so a line it reads wrongly is named
  const taken = [
    'open("/etc/passwd", O_RDONLY) = 3',
    '100 open("/etc/passwd", O_RDONLY) = 3',
    '[pid  100] read(3, "x", 1) = 1',
    '[pid 100] read(3, "x", 1) = 1',
    "100   08:00:00.123456 close(3)          = 0 <0.000011>",
    "08:00:00 close(3) = 0",
    "1796671466.635110896 close(3) = 0 <0.000802454>",
    "100 1796671466 close(3) = 0",
    '100 openat(AT_FDCWD, "/x", O_RDONLY) = -1 ENOENT (No such file or directory) <0.000017>',
    '100 openat(AT_FDCWD, "/x", O_RDONLY) = -1 EACCES (Permission denied) (INJECTED)',
    "100 futex(0x7f, FUTEX_WAIT, 2, {tv_sec=0, tv_nsec=1}) = -1 ETIMEDOUT (Connection timed out)",
    "100 poll([{fd=3, events=POLLIN}], 1, 0) = 0 (Timeout)",
    "100 fcntl(3, F_GETFL) = 0x8002 (flags O_RDWR|O_LARGEFILE)",
    "100 mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, 3, 0) = 0x7f2db27d4000",
    "100 exit_group(0) = ?",
    "100 rt_sigsuspend([], 8) = ? ERESTARTNOHAND (To be restarted if no handler)",
    "100 read(3,  <unfinished ...>",
    "100 close(3 <unfinished ...>",
    '100 <... read resumed>"abc", 832) = 3 <0.000020>',
    "100 <... close resumed>) = 0",
    "100 getpid() = 100   ",
    '100 read(3, "", 8192) = 0 <0.000017>',
    '100 read(3</etc/passwd>, "x", 1) = 1',
    "100 dup(3</etc/passwd>) = 4</etc/passwd> <0.000010>",
    '100 openat(AT_FDCWD</tmp>, "x", O_RDONLY) = 4</tmp/x (deleted)>(deleted)',
    "100 accept(3<TCP:[0.0.0.0:80]>, NULL, NULL) = 4<TCP:[1.2.3.4:80->5.6.7.8:9]>",
  ];
  // shapes it leaves to the scanner (which may still read them, or refuse them as rows)
  const left = [
    "100<comm> close(3) = 0",
    "[pid 100<comm>] close(3) = 0",
    "100 08:00:00.123456 (+     0.000243) close(3) = 0",
    "100 [00007f2db27d4000] close(3) = 0",
    "100 [  3] close(3) = 0",
    "     0.000123 close(3) = 0",
    "100 dup(3) = 4</etc/passwd",
    "100 x() = -1 ENOENT EACCES",
    "100 x() = 0 <0.1> <0.2>",
    "100 x() = -1 (errno 4000)",
    "100 x() = ? <unavailable>",
    "100 x() = 0 /* comment */",
    "100 x() <unfinished ...>",
    "100 x( <unfinished ...>) = 0",
    "100 <... x resumed> <unfinished ...>",
    "100 <... x resumed>, 1) = 0",
    "100 <... resumed>) = 0",
    "100 clone(child_stack=NULL, flags=CLONE_VM) = 101",
    "100 ???() = 0",
    "100 x() = 0 junk",
    "100 x() =  0",
    "100 x(3) = 0 <0.00.1>",
    "100 restart_syscall(<... resuming interrupted read ...>) = 0",
  ];
  const bytes = (lines: string[]) => Buffer.from(lines.join("\n") + "\n", "latin1");

  for (const engine of ENGINES) {
    it(`${engine}: the lines it takes give the rows of the usual scan, byte for byte`, async () => {
      const e = (await createEngine(engine)) as CoreEngine;
      for (const l of taken) {
        const fast = rowsOf(e, bytes([l]), ScanMode.Rows);
        expect(fast.rowLines, l).toBe(1);
        expect(fast.rows, l).toBe(rowsOf(e, bytes([l]), ScanMode.Shallow).rows);
      }
      // and together, where names, pids and pending calls carry from line to line
      expect(rowsOf(e, bytes(taken), ScanMode.Rows).rows).toBe(rowsOf(e, bytes(taken), ScanMode.Shallow).rows);
    });

    it(`${engine}: the lines it leaves to the scanner are read as before`, async () => {
      const e = (await createEngine(engine)) as CoreEngine;
      for (const l of left) {
        const fast = rowsOf(e, bytes([l]), ScanMode.Rows);
        expect(fast.rowLines, l).toBe(0);
        expect(fast.rows, l).toBe(rowsOf(e, bytes([l]), ScanMode.Shallow).rows);
      }
    });
  }
});

describe.skipIf(!existsSync(CORPUS))("record rows on the shared corpus", async () => {
  const files = existsSync(CORPUS) ? (await expandInputs([CORPUS])).filter((f) => !/\.(md|tsv|truss)$/.test(f)) : [];

  for (const engine of ENGINES) {
    it(`${engine}: a shallow scan writes the full scan's tables but for argument lists' children`, async () => {
      const mismatches: string[] = [];
      let skipped = 0;
      for (const f of files.filter((f) => !f.endsWith(".gz"))) {
        const bytes = readFileSync(f);
        const e = (await createEngine(engine)) as CoreEngine;
        const full = tablesWithoutArgs(e, bytes, false);
        const shallow = tablesWithoutArgs(e, bytes, true);
        if (full !== shallow) mismatches.push(f);
        if (nodeCount(e, bytes, true) < nodeCount(e, bytes, false)) skipped++;
      }
      expect(mismatches).toEqual([]);
      // (and it does skip: most traces have argument lists it takes)
      expect(skipped).toBeGreaterThan(files.length * 0.5);
    }, 120_000);

    it(`${engine}: a row scan gives the rows of a shallow scan, byte for byte, on every trace`, async () => {
      const e = (await createEngine(engine)) as CoreEngine;
      const mismatches: string[] = [];
      let lines = 0;
      let rowLines = 0;
      for (const f of files.filter((f) => !f.endsWith(".gz"))) {
        const bytes = readFileSync(f);
        const fast = rowsOf(e, bytes, ScanMode.Rows);
        if (fast.rows !== rowsOf(e, bytes, ScanMode.Shallow).rows) mismatches.push(f);
        rowLines += fast.rowLines;
        lines += bytes.reduce((n, b) => n + (b === 10 ? 1 : 0), 0);
      }
      expect(mismatches).toEqual([]);
      // (and most lines take the short way)
      expect(rowLines).toBeGreaterThan(lines * 0.5);
    }, 120_000);

    it(`${engine}: stats from rows equal stats from lean records on every trace`, async () => {
      const mismatches: string[] = [];
      let byRows = 0;
      let midway = 0;
      for (const f of files) {
        const r = await rowStats(f, engine);
        const want = await fullStats(f, engine);
        if (r.text !== want) mismatches.push(f);
        // and going back to the rows one line past each line they stop at
        if ((await rowStats(f, engine, 1)).text !== want) mismatches.push(`${f} (handing back)`);
        if (r.path === "rows") byRows++;
        else if (r.from!.offset > 0) midway++;
      }
      expect(mismatches).toEqual([]);
      // the rows carry most traces alone, and the hand-over mid-file is exercised too
      expect(byRows).toBeGreaterThan(files.length * 0.9);
      expect(midway).toBeGreaterThan(0);
    }, 120_000);

    it(`${engine}: with a small hold-back cap, rows give the records in the stitcher's order, the ones it releases ahead of a pending call included`, async () => {
      // The stitcher holds at most maxHeld records behind a call waiting for its resumed half, then
      // releases the oldest, and the call comes after them when it resumes (65,536 by default: a
      // shell waiting in wait4 while the program it ran is traced). Small caps make that happen in
      // most traced processes' traces.
      const key = (r: { type: string; pid: number | null; name?: string; line: number; errno?: string | null; ret?: unknown }) =>
        `${r.type} ${r.pid} ${r.name ?? ""} @${r.line} ${r.errno ?? ""} ${r.ret == null ? "-" : "ret"}`;
      const mismatches: string[] = [];
      let reordered = 0;
      // (only traces with a pending call: in others the cap releases nothing early)
      const halves = files.filter((f) => !f.endsWith(".gz") && readFileSync(f, "latin1").includes("<unfinished ...>"));
      for (const maxHeld of [2, 7]) {
        for (const f of halves) {
          const want: string[] = [];
          let wantDiagnostics = 0;
          for await (const batch of parseFileBatches(f, { engine, lean: true, argsFor: () => false, maxHeld }))
            for (const r of batch) {
              if (r.type === "diagnostic") wantDiagnostics++;
              else if (r.type !== "summary") want.push(key(r as never));
            }
          const got: string[] = [];
          let via = "rows";
          const counts = await countFile(f, { engine, maxHeld, onPath: (p, q) => (via = `${p} ${q.offset}`) }, (r) => {
            if (r.type !== "diagnostic" && r.type !== "summary") got.push(key(r as never));
          });
          if (got.join("\n") !== want.join("\n") || counts.diagnostics !== wantDiagnostics) mismatches.push(`${f} (maxHeld ${maxHeld})`);
          // the cap never sends an input the full way: the rows stop where they stop without it
          let uncapped = "rows";
          await countFile(f, { engine, onPath: (p, q) => (uncapped = `${p} ${q.offset}`) }, () => undefined);
          if (via !== uncapped) mismatches.push(`${f} (maxHeld ${maxHeld}: ${via}, else ${uncapped})`);
          const lines = want.map((k) => Number(k.split("@")[1]!.split(" ")[0]));
          if (lines.some((l, i) => i > 0 && l < lines[i - 1]!) && via.startsWith("rows")) reordered++;
        }
      }
      expect(mismatches).toEqual([]);
      // the cap did release records ahead of pending calls in traces the rows carried alone
      expect(reordered).toBeGreaterThan(20);
    }, 240_000);

    it(`${engine}: sequences by name from rows equal those of full records on every trace`, async () => {
      const mismatches: string[] = [];
      for (const f of files) {
        const recs: TraceRecord[] = [];
        for await (const batch of parseFileBatches(f, { engine })) recs.push(...batch);
        for (const by of ["process", "thread"] as const) {
          const want = sequencesSync(recs, { by, file: f }).map((s) => `${s.key}@${s.line}: ${s.symbols.join(" ")}`);
          const got: string[] = [];
          for await (const s of fileSequences(f, { by, engine })) got.push(`${s.key}@${s.line}: ${s.symbols.join(" ")}`);
          if (got.join("\n") !== want.join("\n")) mismatches.push(`${f} (${by})`);
        }
      }
      expect(mismatches).toEqual([]);
    }, 180_000);
  }
});
