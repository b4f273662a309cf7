// Live alerts score a process call by call. The running score after every call must be the
// score the model's own score() gives the sequence so far, for every model kind, on the
// vulnerable service's real traces (normal and attack).

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readTrace } from "../src/eval/index.js";
import { createModel, type ModelKind } from "../src/live/models.js";
import { runningScore } from "../src/detect/running.js";
import { AlertWatch } from "../src/live/alerts.js";
import { parse } from "../src/index.js";
import { storedThreshold } from "../src/live/models.js";
import { SHARED } from "./helpers/shared.js";

const DIR = SHARED + "/ids/services";
const haveData = existsSync(join(DIR, "labels.tsv"));

describe.skipIf(!haveData)("running scores equal score() of every prefix", () => {
  const rows = haveData
    ? readFileSync(join(DIR, "labels.tsv"), "utf8")
        .trim()
        .split("\n")
        .slice(1)
        .map((l) => l.split("\t"))
    : [];
  const normals = rows.filter((r) => r[1] === "normal").map((r) => join(DIR, r[0]!));
  const attacks = rows.filter((r) => r[1] === "attack").map((r) => join(DIR, r[0]!));

  it.each<[ModelKind, number]>([
    ["stide", 6],
    ["stide", 3],
    ["tstide", 6],
    ["lookahead", 6],
    ["markov", 3],
  ])(
    "%s k=%i",
    async (kind, k) => {
      const model = createModel(kind, k);
      for (const f of normals.slice(0, 20)) for (const s of (await readTrace(f, { by: "process" })).sequences) model.add(s);
      const tests = [...normals.slice(20, 23), ...attacks];
      let checked = 0;
      let mismatching = 0;
      for (const f of tests) {
        for (const seq of (await readTrace(f, { by: "process" })).sequences) {
          const running = runningScore(model);
          for (let i = 0; i < seq.length; i++) {
            const got = running.push(seq[i]!);
            const want = model.score(seq.slice(0, i + 1));
            expect(got.windows).toBe(want.windows);
            expect(got.mismatches).toBe(want.mismatches);
            expect(got.score).toBeCloseTo(want.score, 12);
            if (got.mismatches > 0) mismatching++;
            checked++;
          }
          expect(running.window()).toEqual(seq.slice(-k));
        }
      }
      // the comparison covered long sequences and prefixes with mismatches, not only clean ones
      expect(checked).toBeGreaterThan(500);
      expect(mismatching).toBeGreaterThan(10);
    },
    60_000,
  );
});

describe("AlertWatch", () => {
  // A parent forks a child whose calls were never seen in training; written as strace -f prints it.
  const normal = ["brk", "openat", "read", "close", "write", "read", "close", "write", "read", "close", "write", "exit_group"];
  const line = (pid: number, t: number, call: string) => `${pid} ${t.toFixed(6)} ${call}`;
  function traceText(childCalls: string[]): string {
    const out: string[] = [];
    let t = 100;
    out.push(line(10, t++, 'execve("/bin/prog", ["prog"], 0x7ffd /* 1 var */) = 0'));
    for (const c of normal.slice(0, -1)) out.push(line(10, t++, `${c}() = 0`));
    out.push(line(10, t++, "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f) = 11"));
    for (const c of childCalls) out.push(line(11, t++, `${c}() = 0`));
    out.push(line(11, t++, "exit_group(0) = ?"));
    out.push(`11 ${(t++).toFixed(6)} +++ exited with 0 +++`);
    out.push(line(10, t++, "exit_group(0) = ?"));
    out.push(`10 ${t.toFixed(6)} +++ exited with 0 +++`);
    return out.join("\n") + "\n";
  }

  it("alerts once, on the call that takes a process's running score to the threshold, naming its program and window", async () => {
    const model = createModel("stide", 3);
    model.add(["execve", ...normal.slice(0, -1), "clone", "exit_group"]);
    model.add([...normal]);
    const odd = ["socket", "connect", "dup2", "dup2", "execve", "socket", "connect", "dup2", "dup2", "execve", "socket", "connect", "dup2"];
    const trace = await parse(traceText([...normal.slice(0, -1), ...odd]), { maxHeld: 0 });
    const watch = new AlertWatch(model, { threshold: 0.2, minWindows: 5 });
    const alerts = trace.records.flatMap((r) => watch.push(r).map((a) => ({ a, after: r.line })));
    alerts.push(...watch.finish().map((a) => ({ a, after: -1 })));
    expect(alerts).toHaveLength(1);
    const { a, after } = alerts[0]!;
    expect(a).toMatchObject({ type: "alert", pid: 11, tid: 11, exe: "/bin/prog", model: "stide", k: 3, threshold: 0.2 });
    // raised by the record it names, before the child's exit line
    expect(after).toBe(a.line);
    const exitLine = trace.records.find((r) => r.type === "exit" && r.pid === 11)!.line;
    expect(a.line).toBeLessThan(exitLine);
    // exactly the call where mismatches/windows first reached 0.2
    const child = trace.records.filter((r) => r.type === "syscall" && r.pid === 11 && r.line <= a.line).map((r) => (r as { name: string }).name);
    expect(model.score(child).score).toBeGreaterThanOrEqual(0.2);
    expect(model.score(child.slice(0, -1)).score).toBeLessThan(0.2);
    expect(a.window).toEqual(child.slice(-3));
  });

  it("a process that ends before the fork that made it is printed still gets its program's name", async () => {
    const model = createModel("stide", 3);
    model.add(["execve", "clone", "exit_group"]);
    model.add([...normal]);
    const text =
      [
        '10 100.000001 execve("/bin/prog", ["prog"], 0x7ffd /* 1 var */) = 0',
        "10 100.000002 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD <unfinished ...>",
        "11 100.000003 socket() = 3",
        "11 100.000004 connect() = 0",
        "11 100.000005 dup2() = 0",
        "11 100.000006 dup2() = 0",
        "11 100.000007 exit_group(0) = ?",
        "11 100.000008 +++ exited with 0 +++",
        "10 100.000009 <... clone resumed>, child_tidptr=0x7f) = 11",
        "10 100.000010 exit_group(0) = ?",
        "10 100.000011 +++ exited with 0 +++",
      ].join("\n") + "\n";
    const trace = await parse(text, { maxHeld: 0 });
    const watch = new AlertWatch(model, { threshold: 0.5 });
    const alerts = trace.records.flatMap((r) => watch.push(r).map((a) => ({ a, after: r.line })));
    expect(alerts).toHaveLength(1);
    // judged at its exit (line 8: too short for a running alert), named when the clone's record
    // (line 2, resumed on line 9) came
    expect(alerts[0], JSON.stringify(alerts[0])).toMatchObject({ after: 2, a: { pid: 11, exe: "/bin/prog", line: 8, score: 1 } });
  });

  it("raises nothing for a process like its training", async () => {
    const model = createModel("stide", 3);
    model.add(["execve", ...normal.slice(0, -1), "clone", "exit_group"]);
    model.add([...normal]);
    const trace = await parse(traceText(normal.slice(0, -1)), { maxHeld: 0 });
    const watch = new AlertWatch(model, { threshold: 0.01, minWindows: 1 });
    expect([...trace.records.flatMap((r) => watch.push(r)), ...watch.finish()]).toEqual([]);
  });

  it("a calibrated threshold stored in a model file is read; t-stide's rare-window fraction is not one", () => {
    const stide = { ...createModel("stide", 3).toJSON(), threshold: 0.25 };
    expect(storedThreshold(stide)).toBe(0.25);
    expect(storedThreshold(createModel("stide", 3).toJSON())).toBeUndefined();
    expect(storedThreshold(createModel("tstide", 3).toJSON())).toBeUndefined();
  });
});

describe("sequences in completion order (live)", () => {
  // strace -f prints a child's first calls before its parent's fork returns when the fork's line
  // was unfinished; a live trace hands records out in that order
  const text =
    [
      '5 execve("/bin/sh", ["sh"], 0x1 /* 1 var */) = 0',
      "5 brk(NULL) = 0x1000",
      "6 set_robust_list(0x7f, 24) = 0",
      "6 getpid() = 6",
      "5 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f) = 6",
      "6 exit_group(0) = ?",
      "6 +++ exited with 0 +++",
      "5 wait4(-1, NULL, 0, NULL) = 6",
      "5 exit_group(0) = ?",
      "5 +++ exited with 0 +++",
    ].join("\n") + "\n";

  it("a child seen before the fork that made it keeps one sequence", async () => {
    const { SequenceBuilder } = await import("../src/seq/sequences.js");
    const trace = await parse(text);
    const run = (completionOrder: boolean) => {
      const b = new SequenceBuilder({ completionOrder });
      const out = trace.records.flatMap((r) => b.push(r));
      return [...out, ...b.finish()].map((s) => [s.key, s.symbols.join(" ")]);
    };
    expect(run(true)).toEqual([
      ["6", "set_robust_list getpid exit_group"],
      ["5", "execve brk clone wait4 exit_group"],
    ]);
    // read as a file, the same pid returned by clone means a new process (pid reuse)
    expect(run(false)).toContainEqual(["6", "set_robust_list getpid"]);
  });
});
