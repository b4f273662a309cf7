// `strace-seq stats`: per-syscall calls and errors, like `strace -c`, plus what the trace holds.

import type { Command } from "commander";
import { expandInputs } from "../../api/node.js";
import { countFile } from "../../api/counting.js";
import type { TraceRecord } from "../../model/record.js";
import type { RowBatch, RowRecord } from "../../model/row-parser.js";
import type { ParseCounts } from "../../parser.js";
import { TraceStats } from "../../model/stats.js";
import { archOption, engineOption, reportCounts, type CommonFlags } from "../common.js";

/** Statistics of these files, read as record rows where they apply, else as lean records (stats reads no arguments or layout). */
export async function collectStats(files: string[], opts: Pick<CommonFlags, "engine" | "arch"> = {}): Promise<{ stats: TraceStats; totals: ParseCounts }> {
  const stats = new TraceStats();
  const totals: ParseCounts = { lines: 0, records: 0, diagnostics: 0, bytes: 0 };
  const add = (r: TraceRecord | RowRecord) => stats.add(r as TraceRecord);
  const onRows = (b: RowBatch) => stats.addRows(b);
  for (const file of files) {
    const c = await countFile(file, { engine: opts.engine, arch: opts.arch, onRows }, add);
    totals.lines += c.lines;
    totals.records += c.records;
    totals.diagnostics += c.diagnostics;
    totals.bytes += c.bytes;
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
    .action(async (inputs: string[], flags: CommonFlags & { json?: boolean }) => {
      const files = await expandInputs(inputs);
      const { stats, totals } = await collectStats(files, flags);
      const result = stats.result(totals);
      if (flags.json) process.stdout.write(JSON.stringify(result, null, 2) + "\n");
      else process.stdout.write(stats.table());
      reportCounts(flags, totals, files.length);
    });
}
