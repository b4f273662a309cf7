// `strace-seq stats`: per-syscall calls and errors, like `strace -c`, plus what the trace holds.

import type { Command } from "commander";
import { expandInputs } from "../../api/node.js";
import { addCounts, countStats } from "../../api/counting.js";
import type { ParseCounts } from "../../parser.js";
import { TraceStats } from "../../model/stats.js";
import { archOption, engineOption, positiveInt, reportCounts, type CommonFlags } from "../common.js";
import { countFilesSplit, countSplit, type PartRunner } from "../../api/split-stats.js";
import { availableParallelism } from "node:os";

/** How collectStats reads: `jobs` 2 counts the later files of a list, or a large plain file's
 *  second half, in a second thread (split-stats.ts; from `splitMinBytes` on, default
 *  SPLIT_MIN_BYTES; `runPart` runs that part elsewhere, for tests). */
export interface StatsOptions extends Pick<CommonFlags, "engine" | "arch"> {
  jobs?: number;
  splitMinBytes?: number;
  runPart?: PartRunner;
}

/** Statistics of these files, read as record rows where they apply, else as lean records (stats reads no arguments or layout). */
export async function collectStats(files: string[], opts: StatsOptions = {}): Promise<{ stats: TraceStats; totals: ParseCounts }> {
  const stats = new TraceStats();
  const totals: ParseCounts = { lines: 0, records: 0, diagnostics: 0, bytes: 0 };
  const split = (opts.jobs ?? 1) > 1;
  const how = { engine: opts.engine, arch: opts.arch, minBytes: opts.splitMinBytes, runPart: opts.runPart };
  const listed = split ? await countFilesSplit(files, stats, how) : undefined;
  if (listed) return { stats, totals: listed };
  for (const [i, file] of files.entries()) {
    // (a later file may be split too: the part's thread is kept for it)
    const c =
      (split ? await countSplit(file, stats, { ...how, keepThread: i < files.length - 1 }) : undefined) ??
      (await countStats(file, stats, { engine: opts.engine, arch: opts.arch }));
    addCounts(totals, c);
  }
  return { stats, totals };
}

export function register(program: Command): void {
  program
    .command("stats")
    .description("count calls and errors per syscall (like strace -c), processes, time span")
    .argument("[inputs...]", "files, directories (recursive) or - for stdin", ["-"])
    .option("--json", "one JSON object: {syscalls: {name: {calls, errors}}, ...}")
    .addOption(engineOption())
    .addOption(archOption())
    .option("-q, --quiet", "no summary on stderr")
    .option(
      "-j, --jobs <n>",
      "threads: 2 (the default with two or more cores) counts the later files of a list, or the second half of a file, in a second thread, from 64 MiB of input on; 1 reads in one",
      positiveInt,
    )
    .action(async (inputs: string[], flags: CommonFlags & { json?: boolean; jobs?: number }) => {
      const files = await expandInputs(inputs);
      const jobs = flags.jobs ?? (availableParallelism() > 1 ? 2 : 1);
      // (the smallest file split: for tests, which cannot make 64 MiB traces cheaply)
      const splitMinBytes = process.env.STRACE_SEQ_SPLIT_BYTES ? Number(process.env.STRACE_SEQ_SPLIT_BYTES) : undefined;
      const { stats, totals } = await collectStats(files, { ...flags, jobs, splitMinBytes });
      const result = stats.result(totals);
      if (flags.json) process.stdout.write(JSON.stringify(result, null, 2) + "\n");
      else process.stdout.write(stats.table());
      reportCounts(flags, totals, files.length);
    });
}
