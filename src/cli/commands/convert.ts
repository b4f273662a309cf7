// `strace-seq convert`: a whole corpus to JSONL, one output per input under -o OUTDIR, on all cores.
// Files and directories (recursive), `-ff` folders (merged into one trace), .gz and stdin.

import { availableParallelism } from "node:os";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { Option, type Command } from "commander";
import { engineOption, reportCounts, type CommonFlags } from "../common.js";
import { EXIT_STRICT, EXIT_USAGE, UsageError } from "../output.js";
import { planJobs, type Job } from "../../convert/plan.js";
import { unlinkSync } from "node:fs";
import { sweepTemps, tempPathsOf } from "../../convert/atomic.js";
import { isUpToDate } from "../../convert/resume.js";
import { killWorkers, runPool } from "../../convert/pool.js";
import { runJob, type JobOptions, type JobResult } from "../../convert/run-job.js";
import { createProgress } from "../../convert/progress.js";
import { inShard, parseShard, type Shard } from "../../convert/shard.js";

interface ConvertFlags extends CommonFlags {
  output?: string;
  jobs?: string;
  resume?: boolean;
  merge: boolean;
  strict?: boolean;
  maxDiagnostics?: string;
  progress: boolean;
  shard?: Shard;
  format: "jsonl" | "parquet";
}

function removeIfPresent(p: string): void {
  try {
    unlinkSync(p);
  } catch {
    /* no leftover */
  }
}

export function register(program: Command): void {
  program
    .command("convert")
    .description("convert files, directories, -ff folders, .gz and stdin to JSONL, one output per input")
    .argument("[inputs...]", "files, directories (recursive), -ff folders or - for stdin", ["-"])
    .requiredOption("-o, --output <dir>", "output directory (mirrors the input tree; x.strace -> DIR/x.strace.jsonl)")
    .addOption(
      new Option(
        "--format <format>",
        "jsonl: x.strace -> x.strace.jsonl; parquet: x.strace -> x.strace.parquet, one flat schema DuckDB/Spark read as one table (docs/scale.md)",
      )
        .choices(["jsonl", "parquet"])
        .default("jsonl"),
    )
    .option("-j, --jobs <n>", "worker processes (default: number of cores)")
    .option("--resume", "skip inputs whose output exists and is newer than the input")
    .addOption(engineOption())
    .option("--no-merge", "one record per input line: keep unfinished/resumed halves and split lines apart")
    .option("--strict", "exit 1 if any line is not strace output or cannot be read")
    .option("--max-diagnostics <n>", "write at most N diagnostic records per output (all are still counted)")
    .option("--shard <I/N>", "convert only shard I of N (by a hash of each input's path under its root): N runs into one directory equal one run", parseShard)
    .option("--no-progress", "no progress bar (it is shown only when stderr is a terminal)")
    .option("-q, --quiet", "no progress bar and no summary on stderr")
    .action(async (inputs: string[], flags: ConvertFlags) => {
      const jobsFlag = flags.jobs !== undefined ? Number(flags.jobs) : availableParallelism();
      if (!Number.isInteger(jobsFlag) || jobsFlag < 1) throw new UsageError(`--jobs must be a positive integer, got "${flags.jobs}"`);
      const outDir = flags.output!;
      const opts: JobOptions = {
        engine: flags.engine ?? "wasm",
        merge: flags.merge,
        maxDiagnostics: flags.maxDiagnostics !== undefined ? Number(flags.maxDiagnostics) : Infinity,
        format: flags.format,
      };

      await mkdir(outDir, { recursive: true });
      const all = await planJobs(inputs, outDir, flags.format === "parquet" ? ".parquet" : ".jsonl");
      const shard = flags.shard;
      // Leftovers of an interrupted run are never valid outputs. Shards share the directory, so
      // each removes only its own inputs' temp files, never a sibling's in flight.
      if (!shard) await sweepTemps(outDir);
      else for (const j of all) if (inShard(j.rel, shard)) for (const t of tempPathsOf(j.output)) removeIfPresent(t);
      // Two inputs mapping to one output (same base name given as two root files) would overwrite each other.
      const seen = new Map<string, string>();
      for (const j of all) {
        const other = seen.get(j.output);
        if (other !== undefined) throw new UsageError(`${other} and ${j.input} would both be written to ${j.output}; convert them separately`);
        seen.set(j.output, j.input);
      }
      const planned = shard ? all.filter((j) => inShard(j.rel, shard)) : all;
      const todo: Job[] = [];
      let skipped = 0;
      for (const job of planned) {
        if (flags.resume && (await isUpToDate(job))) skipped++;
        else todo.push(job);
      }
      for (const dir of new Set(todo.map((j) => path.dirname(j.output)))) await mkdir(dir, { recursive: true });

      const totals = { lines: 0, records: 0, diagnostics: 0, bytes: 0 };
      const firstDiagnostics: string[] = [];
      const failures: string[] = [];
      const progress = createProgress(
        todo.reduce((s, j) => s + j.size, 0),
        flags.progress && !flags.quiet,
      );
      const done = (_job: Job, r: JobResult) => {
        totals.lines += r.lines;
        totals.records += r.records;
        totals.diagnostics += r.diagnostics;
        totals.bytes += r.bytes;
        for (const d of r.firstDiagnostics) if (firstDiagnostics.length < 5) firstDiagnostics.push(d);
      };
      // (a damaged .gz's message names its file already: io/input.ts gunzip)
      const failed = (job: Job, message: string) =>
        failures.push(`cannot convert ${job.input}: ${message.startsWith(`${job.input}: `) ? message.slice(job.input.length + 2) : message}`);

      // Ctrl-C / kill: remove the temp files of the jobs in flight (SIGKILL cannot be caught; the
      // next run's sweep covers that case).
      const active = new Set<string>();
      const onSignal = (sig: NodeJS.Signals) => {
        progress.stop();
        killWorkers();
        // (not created yet, or already renamed: removeIfPresent)
        for (const out of active) for (const t of tempPathsOf(out)) removeIfPresent(t);
        process.exit(sig === "SIGINT" ? 130 : 143);
      };
      process.once("SIGINT", onSignal).once("SIGTERM", onSignal);
      const pooled = todo.filter((j) => j.kind !== "stdin");
      await runPool(pooled, jobsFlag, opts, {
        onBytes: (n) => progress.add(n),
        onStart: (job) => active.add(job.output),
        onDone: (job, r) => {
          active.delete(job.output);
          done(job, r);
        },
        onError: (job, m) => {
          active.delete(job.output);
          // a worker that died mid-job could not remove its own temp files
          for (const t of tempPathsOf(job.output)) removeIfPresent(t);
          failed(job, m);
        },
      });
      for (const job of todo.filter((j) => j.kind === "stdin")) {
        active.add(job.output);
        try {
          done(job, await runJob(job, opts, (n) => progress.add(n)));
        } catch (e) {
          failed(job, (e as Error).message);
        }
      }
      progress.stop();
      process.off("SIGINT", onSignal).off("SIGTERM", onSignal);

      for (const f of failures) process.stderr.write(`strace-seq: ${f}\n`);
      reportCounts(flags, totals, todo.length - failures.length);
      if (!flags.quiet && skipped > 0) process.stderr.write(`strace-seq: ${skipped} up-to-date output${skipped === 1 ? "" : "s"} skipped (--resume)\n`);
      if (failures.length > 0) process.exitCode = EXIT_USAGE;
      else if (flags.strict && totals.diagnostics > 0) {
        for (const d of firstDiagnostics) process.stderr.write(d + "\n");
        process.exitCode = EXIT_STRICT;
      }
    });
}
