// The core guarantees on the bundled fixtures, which need nothing outside the repository.

import { describe, expect, it } from "vitest";
import { readdirSync } from "node:fs";
import path from "node:path";
import { checkFile } from "../src/conformance/check.js";
import { createWasmEngine } from "../src/engine/wasm-engine.js";
import { parseFile } from "../src/api/node.js";
import { parseStream } from "../src/api/core.js";
import { sequencesSync } from "../src/seq/sequences.js";
import { fileSequences, listFiles } from "../src/eval/sources.js";
import type { DiagnosticRecord, IntNode, SummaryRecord, SyscallRecord, TraceRecord } from "../src/model/record.js";

const DIR = path.join(import.meta.dirname, "..", "fixtures");
const traces = readdirSync(DIR, { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".strace") || /\.\d+$/.test(f))
  .map((f) => path.join(DIR, f));

async function records(file: string): Promise<TraceRecord[]> {
  const out: TraceRecord[] = [];
  for await (const r of parseFile(file)) out.push(r);
  return out;
}

describe("bundled fixtures", () => {
  it.each(traces)("%s: accounted, engines agree, chunk-invariant, exact round trip", async (file) => {
    const r = await checkFile(file, await createWasmEngine(), 97);
    expect(r.lines).toBeGreaterThan(0);
    expect(r.unaccounted).toEqual([]);
    expect(r.engineMismatch).toBe(-1);
    expect(r.chunkMismatch).toBe(-1);
    expect(r.jsonMismatch).toBe(-1);
    expect(r.roundTripMismatches).toEqual([]);
    expect(r.summaryMismatches).toEqual([]);
  });

  it("strace -z: a resumed half printed without its head still merges into its call", async () => {
    const recs = await records(path.join(DIR, "sh_z_f.strace"));
    expect(recs.filter((r) => r.type === "diagnostic")).toEqual([]);
    const merged = recs.filter((r) => r.type === "syscall" && r.resumedLine !== undefined);
    expect(merged.length).toBeGreaterThan(0);
  });

  it("program output printed inside a write line leaves the call intact and is reported", async () => {
    const recs = await records(path.join(DIR, "sh_tt_f_stderr.strace"));
    const echoed = recs.find((r) => r.type === "syscall" && r.name === "write" && r.fmt?.echoes);
    expect(echoed).toMatchObject({ ret: 8, args: [{ value: 1 }, { value: "partial " }, { value: 8 }] });
    expect(recs).toContainEqual(expect.objectContaining({ type: "diagnostic", code: "program-output", text: "partial " }));
  });

  it("-Y to stderr: `[pid N<comm>]` prefixes give pid and comm", async () => {
    const recs = await records(path.join(DIR, "sh_Y_f_stderr.strace"));
    expect(recs.filter((r) => r.type === "diagnostic")).toEqual([]);
    const bracketed = recs.filter((r) => r.type === "syscall" && r.fmt?.pidStyle === "bracket");
    expect(bracketed.length).toBeGreaterThan(10);
    for (const r of bracketed) expect(r.comm).toMatch(/^(sh|true)$/);
  });

  it("-t with -r: the `(+ seconds)` column becomes `relative`", async () => {
    const recs = await records(path.join(DIR, "sh_tt_r_T_f.strace"));
    expect(recs.filter((r) => r.type === "diagnostic")).toEqual([]);
    const calls = recs.filter((r) => r.type === "syscall");
    expect(calls[1]).toMatchObject({ name: "brk", timestamp: "06:49:03.951535", relativeText: "0.000333", relative: 0.000333, duration: 0.000009 });
    for (const r of recs) if (r.type !== "summary") expect(typeof r.relative).toBe("number");
  });

  it("whole-second relative timestamps (`--relative-timestamps=s`) are timestamps", async () => {
    const recs = await records(path.join(DIR, "true_rel_s.strace"));
    expect(recs.filter((r) => r.type === "diagnostic")).toEqual([]);
    expect(recs[0]).toMatchObject({ type: "syscall", name: "execve", timestamp: "0", time: 0 });
  });

  it("output echoed into write lines (escaped, UTF-8, truncated, digits after the count) leaves every call whole", async () => {
    const recs = await records(path.join(DIR, "sh_echo_mix.strace"));
    const writes = recs.filter((r) => r.type === "syscall" && r.name === "write") as SyscallRecord[];
    expect(writes.map((w) => [w.ret, (w.args[2] as IntNode).value])).toEqual([
      [5, 5],
      [8, 8],
      [8, 8],
      [5, 5],
      [5, 5],
      [8, 8],
      [21, 21],
      [10, 10],
      [10, 10],
    ]);
    const echoed = recs.filter((r) => r.type === "diagnostic" && r.code === "program-output").map((d) => (d as DiagnosticRecord).text);
    expect(echoed.slice(0, 8)).toEqual(["plain", 'say "hi"', "tab\there", "café", "12345", "0.3: 1: ", "a long line of output", "back\\slash"]);
    expect(recs.filter((r) => r.type === "diagnostic" && r.code !== "program-output")).toEqual([]);
  });

  it("-f to stderr: a call begun without [pid N] (one process traced) pairs with its prefixed resume, and back", async () => {
    for (const name of ["forkexec_f_stderr.strace", "sh_Y_f_stderr.strace"]) {
      const recs = await records(path.join(DIR, name));
      const calls = recs.filter((r) => r.type === "syscall") as SyscallRecord[];
      expect({ name, orphans: calls.filter((r) => r.resumed).length, neverResumed: calls.filter((r) => r.unfinished).length }).toEqual({
        name,
        orphans: 0,
        neverResumed: 0,
      });
    }
    // forkexec line 176: `clone3(...` printed without a prefix, resumed on line 303 as `[pid  4070] <... clone3 resumed>`
    const recs = await records(path.join(DIR, "forkexec_f_stderr.strace"));
    const clone3 = recs.find((r) => r.type === "syscall" && r.name === "clone3" && r.resumedLine !== undefined) as SyscallRecord;
    expect(clone3.pid).not.toBeNull();
    expect(typeof clone3.ret).toBe("number");
  });

  it("a --tips box is not read as hex dumps of the last call", async () => {
    const recs = await records(path.join(DIR, "true_tips_stderr.strace"));
    expect(recs.filter((r) => "dump" in r && r.dump !== undefined)).toEqual([]);
    const box = recs.filter((r) => r.type === "diagnostic");
    expect(box.length).toBe(10);
    expect(recs.find((r) => r.type === "exit")).toMatchObject({ how: "exited", code: 0 });
  });

  it("program output before a strace line is reported and the line still read", async () => {
    const recs = await records(path.join(DIR, "sh_output_before_signal.strace"));
    expect(recs.filter((r) => r.type === "signal").length).toBe(2);
    expect(recs.filter((r) => r.type === "diagnostic")).toEqual([expect.objectContaining({ code: "program-output", line: 4, column: 1, text: "abc" })]);
  });

  it("a usage error is two strace messages", async () => {
    const recs = await records(path.join(DIR, "usage_error.strace"));
    expect(recs.map((r) => [r.type, r.type === "message" ? r.kind : ""])).toEqual([
      ["message", "strace"],
      ["message", "strace"],
    ]);
  });

  it("-f to stderr: the first process's unprefixed calls and its [pid N] calls are one sequence", async () => {
    const recs = await records(path.join(DIR, "forkexec_f_stderr.strace"));
    const seqs = sequencesSync(recs, { by: "process" });
    expect(seqs.map((s) => s.key)).not.toContain("null");
    const first = seqs.find((s) => s.line === 1)!;
    expect(first.key).toBe("4070");
    // 44 unprefixed calls before the first child, 13 prefixed ones after
    expect(first.symbols.length).toBe(57);
  });

  it("-U tables: any columns in any order are read as tables, by column", async () => {
    const recs = await records(path.join(DIR, "sh_C_U_name_first.strace"));
    expect(recs.filter((r) => r.type === "diagnostic")).toEqual([]);
    const table = recs.find((r) => r.type === "summary") as SummaryRecord;
    expect(table.columns).toEqual(["syscall", "calls", "errors", "% time", "longest"]);
    expect(table.total).toMatchObject({ syscall: "total", calls: 256, errors: 38, percent: 100 });
    expect(table.rows.find((r) => r.syscall === "access")).toMatchObject({ calls: 4, errors: 4, percent: 0 });
    const calls = await records(path.join(DIR, "true_c_U_calls_name_errors.strace"));
    expect(calls.filter((r) => r.type === "diagnostic")).toEqual([]);
    expect((calls[0] as SummaryRecord).columns).toEqual(["calls", "syscall", "errors"]);
    expect((calls[0] as SummaryRecord).total).toMatchObject({ calls: 29, errors: 1 });
  });

  it("a -ff folder is one trace for the sequence commands: the same process sequences as a -f run", async () => {
    const inputs = await listFiles([DIR]);
    expect(inputs).toContain(path.join(DIR, "forkexec_ff"));
    expect(inputs.some((f) => /forkexec_ff\.\d+$/.test(f))).toBe(false);
    const seqs = async (input: string) => {
      const out: string[] = [];
      for await (const s of fileSequences(input, { by: "process" })) out.push(s.symbols.join(" "));
      return out.sort();
    };
    // the same program traced twice, with -ff -o and with -f to stderr
    const ff = await seqs(path.join(DIR, "forkexec_ff"));
    expect(ff.length).toBe(7);
    expect(ff).toEqual(await seqs(path.join(DIR, "forkexec_f_stderr.strace")));
  });

  it("a resumed half that opens with `, ` continues the argument list: no empty argument", async () => {
    const file = path.join(DIR, "sh_pipe_clone_resumed_f.strace");
    const names = (r: TraceRecord) => (r as SyscallRecord).args.map((a) => (a.kind === "field" ? a.name : a.kind));
    const merged = (await records(file)).filter((r): r is SyscallRecord => r.type === "syscall" && r.name === "clone");
    expect(merged.map(names)).toEqual([0, 1].map(() => ["child_stack", "flags", "child_tidptr"]));
    const half = [];
    for await (const r of parseFile(file, { merge: false })) if (r.type === "syscall" && r.resumed) half.push(r);
    expect(half).toMatchObject([{ name: "clone", ret: 18492, fmt: { seps: { "0": ", " } } }]);
    expect(names(half[0])).toEqual(["child_tidptr"]);
  });

  it("a strace message glued right after a comment (`/* 35 vars */strace: ...`) leaves the call whole", async () => {
    const recs = await records(path.join(DIR, "sh_b_execve_stderr.strace"));
    expect(recs.filter((r) => r.type === "diagnostic")).toEqual([]);
    expect(recs.map((r) => r.type)).toEqual(["syscall", "syscall", "message"]);
    expect(recs[2]).toMatchObject({ kind: "detached", text: "strace: Process 6234 detached" });
    const exec = recs[1] as SyscallRecord;
    expect(exec).toMatchObject({ name: "execve", detached: true, args: [{ value: "/bin/true" }, { kind: "array" }, { kind: "int", comment: "35 vars" }] });
  });

  it("strace run by its path (`/usr/bin/strace: ...`) glued after an identifier or a number: the call keeps it", async () => {
    const recs = await records(path.join(DIR, "sh_f_abs_strace_stderr.strace"));
    expect(recs.filter((r) => r.type === "diagnostic")).toEqual([]);
    const clones = recs.filter((r): r is SyscallRecord => r.type === "syscall" && r.name === "clone");
    expect(clones.map((c) => c.args.map((a) => (a.kind === "field" ? a.name : a.kind)))).toEqual([0, 1, 2].map(() => ["child_stack", "flags", "child_tidptr"]));
    const msgs = recs.filter((r) => r.type === "message");
    expect(msgs.map((m) => m.type === "message" && m.text)).toEqual([9332, 9333, 9334].map((p) => `/usr/bin/strace: Process ${p} attached`));
    // a line of another run of the same command: the message follows the last argument, `8`
    const line = "rt_sigsuspend([], 8/usr/bin/strace: Process 8515 attached\n";
    const split = [];
    for await (const r of parseStream([new TextEncoder().encode(line)], { merge: false })) split.push(r);
    expect(split).toMatchObject([
      { type: "syscall", name: "rt_sigsuspend", args: [{ kind: "array" }, { value: 8 }] },
      { type: "message", kind: "attached", text: "/usr/bin/strace: Process 8515 attached" },
    ]);
  });

  it("-ff files take their pid from the file name", async () => {
    const file = traces.find((f) => /forkexec_ff\.\d+$/.test(f))!;
    const pid = Number(file.split(".").pop());
    const recs = await records(file);
    expect(recs.length).toBeGreaterThan(0);
    for (const r of recs) if (r.type === "syscall") expect(r.pid).toBe(pid);
  });
});
