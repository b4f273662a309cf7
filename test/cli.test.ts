// The CLI as a user runs it, on the bundled seed trace and on corpus files.

import { describe, expect, it } from "vitest";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { gzipSync } from "node:zlib";
import path from "node:path";
import type { TraceRecord } from "../src/model/record.js";
import { SHARED } from "./helpers/shared.js";

const CLI = new URL("../dist/cli/main.js", import.meta.url).pathname;
const FIXTURE = new URL("../fixtures/overflow1.strace", import.meta.url).pathname;
const CORPUS = SHARED + "/corpus/";

function run(args: string[], input?: string) {
  return spawnSync("node", [CLI, ...args], { encoding: "utf8", input, maxBuffer: 1 << 28 });
}

function records(stdout: string): TraceRecord[] {
  return stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as TraceRecord);
}

describe("strace-seq parse on the seed's stack-smash trace", () => {
  for (const engine of ["wasm", "ts"]) {
    it(`prints 33 syscalls, the split writev intact, one signal, one SIGABRT exit (${engine})`, () => {
      const r = run(["parse", "--engine", engine, FIXTURE]);
      expect(r.status).toBe(0);
      const recs = records(r.stdout);
      const calls = recs.filter((x) => x.type === "syscall");
      expect(calls).toHaveLength(33);
      const writev = calls.find((c) => c.type === "syscall" && c.name === "writev");
      expect(writev).toMatchObject({ ret: 54, line: 26, endLine: 27 });
      if (writev?.type !== "syscall") throw new Error("no writev");
      expect(writev.args).toHaveLength(3);
      expect(writev.args[2]).toMatchObject({ kind: "int", value: 5 });
      const iov = writev.args[1];
      expect(iov.kind).toBe("array");
      expect(recs.filter((x) => x.type === "signal")).toEqual([expect.objectContaining({ signal: "SIGABRT" })]);
      expect(recs.filter((x) => x.type === "exit")).toEqual([expect.objectContaining({ how: "killed", signal: "SIGABRT", core: true })]);
      // the program's own message is not lost: it is a diagnostic naming line and column
      const diags = recs.filter((x) => x.type === "diagnostic");
      expect(diags).toEqual([
        expect.objectContaining({ code: "program-output", line: 26, column: 201, text: "*** stack smashing detected ***: <unknown> terminated" }),
      ]);
      expect(r.stderr).toMatch(/36 lines, 35 records, 1 diagnostics/);
    });
  }

  it("--no-merge | render gives the file back byte for byte, with or without its last newline", () => {
    const parsed = run(["parse", "--no-merge", "-q", FIXTURE]);
    const rendered = run(["render", "-"], parsed.stdout);
    expect(rendered.stdout).toBe(readFileSync(FIXTURE, "utf8"));
    // the same trace ending without a newline: a whole last line, and one cut mid-call
    const dir = mkdtempSync(path.join(tmpdir(), "strace-seq-eof-"));
    const text = readFileSync(FIXTURE, "utf8");
    // ... and with \r\n line ends (a trace saved on Windows), signals, program output and all
    const crlf = text.replace(/\n/g, "\r\n");
    for (const cut of [text.slice(0, -1), text.slice(0, text.lastIndexOf("\n", text.length - 2) + 20), crlf, crlf.slice(0, -2)]) {
      const file = path.join(dir, "cut.strace");
      writeFileSync(file, cut);
      const back = run(["render", "-"], run(["parse", "--no-merge", "-q", file]).stdout).stdout;
      expect(back).toBe(cut);
    }
  });

  it("render says what it reads when given a JSON array or something not a record", () => {
    const arr = run(["render", "-"], run(["parse", "--format", "json", "-q", FIXTURE]).stdout);
    expect(arr.status).toBe(2);
    expect(arr.stderr).toMatch(/render reads JSON Lines/);
    const odd = run(["render", "-"], "42\n");
    expect(odd.status).toBe(2);
    expect(odd.stderr).toMatch(/-:1:1: not a strace-seq record/);
  });

  it("render builds lines from typed fields: editing a record changes the line", () => {
    const parsed = records(run(["parse", "--no-merge", "-q", FIXTURE]).stdout);
    const brk = parsed.find((x) => x.type === "syscall" && x.name === "brk");
    if (brk?.type !== "syscall") throw new Error("no brk");
    brk.name = "sbrk";
    brk.ret = 42;
    delete brk.retText;
    const out = run(["render", "-"], JSON.stringify(brk) + "\n").stdout;
    expect(out).toBe("sbrk(NULL)                              = 42\n");
  });

  it("--strict exits 1 and names file, line and column", () => {
    const r = run(["parse", "--strict", "-q", FIXTURE]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${FIXTURE}:26:201: program-output:`);
  });

  it("bad usage and unreadable input exit 2", () => {
    expect(run(["parse", "--engine", "gpu", FIXTURE]).status).toBe(2);
    const r = run(["parse", "/nonexistent/trace"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cannot read input/);
  });

  it("a missing input fails cleanly with either engine and compressed too; so does an unwritable -o", () => {
    for (const engine of ["wasm", "ts"]) {
      for (const file of ["/nonexistent/trace", "/nonexistent/trace.gz"]) {
        for (const cmd of ["parse", "stats", "seq"]) {
          const r = run([cmd, "--engine", engine, file]);
          expect({ cmd, engine, file, status: r.status }).toEqual({ cmd, engine, file, status: 2 });
          expect(r.stderr).toMatch(/^strace-seq: cannot read input: ENOENT/);
        }
      }
    }
    const r = run(["parse", "-o", "/nonexistent/out.jsonl", FIXTURE]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^strace-seq: cannot write \/nonexistent\/out.jsonl: ENOENT/);
  });

  it("bad option values, a file that is not a model and empty inputs are usage errors with a message", () => {
    const empty = mkdtempSync(path.join(tmpdir(), "strace-seq-empty-"));
    for (const [args, message] of [
      [["seq", "--symbol", "bogus", FIXTURE], /unknown --symbol "bogus"/],
      [["seq", "-w", "0", FIXTURE], /expected a positive integer, got "0"/],
      [["parse", "--max-diagnostics", "abc", FIXTURE], /expected a whole number >= 0/],
      [["train", "--threshold", "abc", "-o", path.join(empty, "m.json"), FIXTURE], /expected a number from 0 to 1/],
      [["score", "-m", FIXTURE, FIXTURE], /is not a model written by strace-seq train/],
      [["train", "-o", path.join(empty, "m.json"), empty], /no sequences to train on/],
      [["train", "-o", "/nonexistent/m.json", FIXTURE], /cannot write \/nonexistent\/m.json/],
      [["train", "--model", "ensemble", "--members", "ngram,bogus", "-o", path.join(empty, "m.json"), FIXTURE], /--members: unknown model "bogus"/],
      [["train", "--false-alarms", "2", "-o", path.join(empty, "m.json"), FIXTURE], /expected a number from 0 to 1/],
      [["train", "--folds", "1", "-o", path.join(empty, "m.json"), FIXTURE], /--folds must be 2 or more/],
      [["train", "--symbol", "args", "-o", path.join(empty, "m.json"), "-"], /--symbol args reads the training traces twice/],
      [["train", "--model", "ngram", "--ngram-score", "mode", "-o", path.join(empty, "m.json"), FIXTURE], /ngram-score/],
    ] as const) {
      const r = run([...args]);
      expect({ args, status: r.status }).toEqual({ args, status: 2 });
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
  });

  it("seq reads stdin as - like the parsing commands", () => {
    const fromFile = run(["seq", FIXTURE]);
    const fromStdin = run(["seq", "-"], readFileSync(FIXTURE, "utf8"));
    expect(fromStdin.status).toBe(0);
    expect(fromStdin.stdout).toBe(fromFile.stdout);
    expect(fromFile.stdout.split(" ").length).toBeGreaterThan(10);
  });

  it("an input that fails after others leaves their records written", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "strace-seq-later-"));
    writeFileSync(path.join(dir, "a.strace"), readFileSync(FIXTURE));
    writeFileSync(path.join(dir, "b.strace.gz"), "not gzip at all\n");
    const r = run(["parse", "-q", dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^strace-seq: cannot read input: \S+\/b\.strace\.gz: incorrect header check \(a damaged gzip stream\)$/m);
    expect(r.stdout.trim().split("\n").length).toBe(36);
  });

  it("seq: an input that fails after others leaves their sequences written", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "strace-seq-later-"));
    writeFileSync(path.join(dir, "a.strace"), readFileSync(FIXTURE));
    writeFileSync(path.join(dir, "b.strace.gz"), "not gzip at all\n");
    const alone = run(["seq", path.join(dir, "a.strace")]);
    const r = run(["seq", dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^strace-seq: cannot read input: \S+\/b\.strace\.gz: incorrect header check/m);
    expect(alone.stdout.length).toBeGreaterThan(100);
    expect(r.stdout).toBe(alone.stdout);
  });

  it("seq on a live stream prints each process's sequence when it exits, before the input ends", async () => {
    // (the lines are gathered into larger writes, but never held past the reading's next wait)
    const child = spawn(process.execPath, [CLI, "seq", "-"], { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    const firstLine = new Promise<void>((resolve) =>
      child.stdout.on("data", (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes("\n")) resolve();
      }),
    );
    child.stdin.write(
      ["100   getpid()                          = 100", "100   exit_group(0)                     = ?", "100   +++ exited with 0 +++", ""].join("\n"),
    );
    await firstLine;
    expect(stdout).toBe("getpid exit_group\n");
    child.stdin.end("101   getppid()                         = 1\n101   +++ exited with 0 +++\n");
    const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(status).toBe(0);
    expect(stdout).toBe("getpid exit_group\ngetppid\n");
  });

  it("a reader that stops early (| head) ends every command quietly", () => {
    // output far beyond a pipe's buffer, so the writer meets the closed pipe (EPIPE)
    const big = path.join(mkdtempSync(path.join(tmpdir(), "strace-seq-epipe-")), "big.strace");
    writeFileSync(big, readFileSync(FIXTURE, "utf8").repeat(300));
    for (const [args, reader] of [
      [["parse", "-q", big], "head -c 1"],
      [["seq", "--by", "thread", big], "head -c 1"],
      [["stats", "-q", "--json", big], "head -c 0"],
    ] as const) {
      const r = spawnSync("bash", ["-c", `node ${CLI} ${args.join(" ")} 2>&1 | ${reader} >/dev/null; echo \${PIPESTATUS[0]}`], { encoding: "utf8" });
      expect({ args, out: r.stdout.trim() }).toEqual({ args, out: "0" });
    }
  });

  it.skipIf(!existsSync("/dev/full"))("standard output that cannot be written is one line and status 2", () => {
    // /dev/full: every write fails with ENOSPC, as a full disk's does
    for (const args of [
      ["parse", "-q", FIXTURE],
      ["stats", "-q", FIXTURE],
      ["seq", FIXTURE],
    ]) {
      const full = openSync("/dev/full", "w");
      const r = spawnSync("node", [CLI, ...args], { encoding: "utf8", stdio: ["ignore", full, "pipe"] });
      closeSync(full);
      expect({ args, status: r.status, stderr: r.stderr }).toEqual({
        args,
        status: 2,
        stderr: expect.stringMatching(/^strace-seq: cannot write standard output: ENOSPC[^\n]*\n$/),
      });
    }
  });

  it("the first record names the schema and its version; --arch chooses the numbering", () => {
    const schema = JSON.parse(readFileSync(new URL("../schema/record.schema.json", import.meta.url), "utf8")) as { $id: string };
    const recs = records(run(["parse", "-q", FIXTURE]).stdout);
    expect(recs[0].schema).toBe(schema.$id);
    expect(recs.slice(1).every((r) => r.schema === undefined)).toBe(true);
    const i386 = records(run(["parse", "-q", "--arch", "i386", FIXTURE]).stdout).find((r) => r.type === "syscall" && r.name === "brk");
    expect(i386).toMatchObject({ nr: 45 });
  });

  it("--format json is one array of the same records", () => {
    const arr = JSON.parse(execFileSync("node", [CLI, "parse", "-q", "--format", "json", FIXTURE], { encoding: "utf8" })) as TraceRecord[];
    expect(arr).toEqual(records(run(["parse", "-q", FIXTURE]).stdout));
  });
});

describe.skipIf(!existsSync(CORPUS))("strace-seq stats", () => {
  it("counts calls and errors as strace -C's own table does", () => {
    const file = `${CORPUS}strace-6.1/cat_C.strace`;
    const stats = JSON.parse(run(["stats", "--json", "-q", file]).stdout) as { syscalls: Record<string, { calls: number; errors: number }> };
    const table = records(run(["parse", "-q", file]).stdout).find((r) => r.type === "summary");
    if (table?.type !== "summary") throw new Error("no summary table");
    expect(table.rows.length).toBeGreaterThan(10);
    for (const row of table.rows)
      expect({ name: row.syscall, calls: stats.syscalls[row.syscall]?.calls, errors: stats.syscalls[row.syscall]?.errors }).toEqual({
        name: row.syscall,
        calls: row.calls,
        errors: row.errors,
      });
  });

  it("reads gzip on stdin by its magic bytes, for every command that reads -", () => {
    const file = "fixtures/sh_tt_r_T_f.strace";
    const gz = gzipSync(readFileSync(file));
    const viaGzip = spawnSync("node", [CLI, "stats", "--json", "-q", "-"], { input: gz, encoding: "utf8" });
    const plain = run(["stats", "--json", "-q", file]);
    expect(viaGzip.status).toBe(0);
    expect(JSON.parse(viaGzip.stdout)).toEqual(JSON.parse(plain.stdout));
    const parsed = spawnSync("node", [CLI, "parse", "-q", "-"], { input: gz, encoding: "utf8", maxBuffer: 1 << 26 });
    // the same bytes, uncompressed, on stdin
    const plainParsed = spawnSync("node", [CLI, "parse", "-q", "-"], { input: readFileSync(file), encoding: "utf8", maxBuffer: 1 << 26 });
    expect(parsed.stdout).toBe(plainParsed.stdout);
    // a stream that only looks like gzip is a read error, exit 2, one line
    const bad = spawnSync("node", [CLI, "parse", "-q", "-"], { input: Buffer.from([0x1f, 0x8b, 0, 1, 2, 3]), encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("leaves calls that never returned (`= ?`) out of calls, as strace -c does: the totals agree too", () => {
    const file = `${CORPUS}strace-6.1/cat_C.strace`;
    const stats = JSON.parse(run(["stats", "--json", "-q", file]).stdout) as {
      syscallCount: number;
      errorCount: number;
      unreturned: number;
      syscalls: Record<string, unknown>;
    };
    const recs = records(run(["parse", "-q", file]).stdout);
    const table = recs.find((r) => r.type === "summary");
    if (table?.type !== "summary") throw new Error("no summary table");
    // the trace ends with `exit_group(0) = ?`, which strace's own table leaves out
    expect(recs.some((r) => r.type === "syscall" && r.name === "exit_group" && r.ret === null)).toBe(true);
    expect(stats.syscalls.exit_group).toBeUndefined();
    expect(stats.unreturned).toBe(1);
    expect({ calls: stats.syscallCount, errors: stats.errorCount }).toEqual({ calls: table.total?.calls, errors: table.total?.errors });
  });
});

describe("an error strace has no name for (`-e inject=...:error=4000`)", () => {
  it("is the call's errno: stats counts it as strace -c does, and render gives the line back", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "strace-seq-inject-"));
    const trace = path.join(dir, "inject.strace");
    const summary = path.join(dir, "summary.strace");
    // the program's own chdir fails with an injected error number strace has no name for
    const prog = ["sh", "-c", "cd / 2>/dev/null; true"];
    execFileSync("strace", ["-o", trace, "-e", "trace=chdir", "-e", "inject=chdir:error=4000", ...prog]);
    execFileSync("strace", ["-c", "-o", summary, "-e", "trace=chdir", "-e", "inject=chdir:error=4000", ...prog]);
    expect(readFileSync(trace, "utf8")).toMatch(/= -1 \(errno 4000\) \(INJECTED\)/);
    const stats = JSON.parse(run(["stats", "--json", "-q", trace]).stdout) as {
      syscalls: Record<string, { calls: number; errors: number }>;
      errnos: Record<string, number>;
    };
    // strace -c's own row for chdir: calls and errors
    const row = readFileSync(summary, "utf8")
      .split("\n")
      .find((l) => / chdir$/.test(l));
    const cells = row!.trim().split(/\s+/);
    expect(stats.syscalls.chdir).toMatchObject({ calls: Number(cells[cells.length - 3]), errors: Number(cells[cells.length - 2]) });
    expect(stats.errnos).toEqual({ "errno 4000": 1 });
    const parsed = run(["parse", trace]).stdout;
    expect(run(["render", "-"], parsed).stdout).toBe(readFileSync(trace, "utf8"));
  });
});

describe("the conformance script (npm run conformance) as a user runs it", () => {
  const CONFORMANCE = new URL("../dist/cli/conformance.js", import.meta.url).pathname;
  const check = (args: string[]) => spawnSync("node", [CONFORMANCE, ...args], { encoding: "utf8" });

  it("passes a real trace, and names the file whose round trip fails: program output that is not UTF-8", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "conformance-"));
    writeFileSync(path.join(dir, "seed.strace"), readFileSync(FIXTURE));
    // (the seed ends in a newline: its line count is one less than the pieces of a split)
    const line = readFileSync(FIXTURE, "utf8").split("\n").length;
    const good = check([dir]);
    expect(good.status).toBe(0);
    expect(good.stdout).toMatch(new RegExp(`^files 1, lines ${line - 1}, records \\d+, diagnostics 1$`, "m"));
    expect(good.stdout).toContain("lines the --no-merge round trip does not reproduce: 0");
    // a program that wrote raw bytes to the stderr strace writes to (a documented limit: such a
    // line is decoded as UTF-8 for its diagnostic, so it cannot come back byte for byte)
    const bad = Buffer.concat([readFileSync(FIXTURE), Buffer.from([0xd8, 0x02, 0xff, 0x0a])]);
    writeFileSync(path.join(dir, "binary-output.strace"), bad);
    const r = check([dir]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`binary-output.strace: round trip differs at line ${line}`);
    expect(r.stdout).not.toMatch(/seed\.strace:/);
  });

  it("answers --help, and a mistake with one line and status 2", () => {
    expect(check(["--help"]).stdout).toMatch(/^usage: /);
    for (const args of [["/nonexistent/corpus"], ["a", "b"], ["--bogus"]]) {
      const r = check(args);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split("\n")[0]).toMatch(/^conformance: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
