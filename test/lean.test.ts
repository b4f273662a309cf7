// Lean records (what `stats` and the sequence commands parse) must give exactly what full records
// give: the same statistics, counts and sequences, on every trace of the shared corpus.

import { describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { expandInputs, parseFile } from "../src/api/node.js";
import { collectStats } from "../src/cli/commands/stats.js";
import { fileSequences } from "../src/eval/sources.js";
import { TraceStats } from "../src/model/stats.js";
import type { ParseCounts } from "../src/parser.js";
import { sequencesSync } from "../src/seq/sequences.js";
import type { TraceRecord } from "../src/model/record.js";
import { SHARED } from "./helpers/shared.js";

const CORPUS = SHARED + "/corpus/";
const isTrace = (f: string) => !/\.(md|tsv|truss)$/.test(f);

async function fullRecords(file: string): Promise<{ recs: TraceRecord[]; counts: ParseCounts }> {
  const recs: TraceRecord[] = [];
  let counts: ParseCounts = { lines: 0, records: 0, diagnostics: 0, bytes: 0 };
  for await (const r of parseFile(file, { onEnd: (c) => (counts = { ...c }) })) recs.push(r);
  return { recs, counts };
}

async function leanSequences(file: string, by: "process" | "thread", symbol: "name" | "name:flag"): Promise<string[]> {
  const out: string[] = [];
  for await (const s of fileSequences(file, { by, symbol })) out.push(`${s.key}@${s.line}: ${s.symbols.join(" ")}`);
  return out;
}

describe.skipIf(!existsSync(CORPUS))("lean records on the shared corpus", async () => {
  const files = existsSync(CORPUS) ? (await expandInputs([CORPUS])).filter(isTrace) : [];

  it("stats, counts and sequences equal those of full records on every trace", async () => {
    const problems: string[] = [];
    let calls = 0;
    for (const f of files) {
      const { recs, counts } = await fullRecords(f);
      const full = new TraceStats();
      for (const r of recs) full.add(r);
      const expected = full.result(counts);
      const { stats, totals } = await collectStats([f]);
      const got = stats.result(totals);
      calls += got.syscallCount;
      if (JSON.stringify(got) !== JSON.stringify(expected)) problems.push(`${f}: stats differ`);
      for (const by of ["process", "thread"] as const) {
        const want = sequencesSync(recs, { by }).map((s) => `${s.key}@${s.line}: ${s.symbols.join(" ")}`);
        if (JSON.stringify(await leanSequences(f, by, "name")) !== JSON.stringify(want)) problems.push(`${f}: ${by} sequences differ`);
      }
    }
    expect(problems).toEqual([]);
    expect(calls).toBeGreaterThan(10000);
  });

  it("a continuation line keeps its arguments: CLONE_THREAD after a glued message still makes a thread", async () => {
    // strace 4.x printed `clone(Process N attached` and continued the call on the next line
    const f = CORPUS + "legacy/ubuntu1204/putty_ubuntu.strace_full";
    const { recs } = await fullRecords(f);
    const want = sequencesSync(recs, { by: "process" }).map((s) => `${s.key}@${s.line}: ${s.symbols.join(" ")}`);
    expect(await leanSequences(f, "process", "name")).toEqual(want);
    // the thread 10952 joined its parent's process instead of starting one of its own
    expect(want.some((s) => s.startsWith("10952@"))).toBe(false);
  });

  it("refined symbols (name:flag) read every call's arguments in lean mode too", async () => {
    const f = CORPUS + "strace-6.1/cat_T_s.strace";
    const { recs } = await fullRecords(f);
    const want = sequencesSync(recs, { by: "thread", symbol: "name:flag" }).map((s) => `${s.key}@${s.line}: ${s.symbols.join(" ")}`);
    const got = await leanSequences(f, "thread", "name:flag");
    expect(got).toEqual(want);
    expect(got.join(" ")).toMatch(/openat:O_RDONLY/);
  });
});
