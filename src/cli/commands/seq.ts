// `strace-seq seq FILE...`: syscall sequences (or, with --window, the distinct windows with
// counts) from strace or ADFA-LD files. Also the option set and helpers the train, score
// and eval commands share, so all four read inputs the same way.

import { basename, join } from "node:path";
import { availableParallelism } from "node:os";
import { Option, type Command } from "commander";
import { listFiles, type InputFormat, type TraceOptions } from "../../eval/sources.js";
import { filesSequences } from "../../eval/files-sequences.js";
import { SEQUENCE_CSV_HEADER, WINDOW_CSV_HEADER, sequenceLine, sequenceText, windowLine, type SequenceFormat } from "../../seq/export.js";
import type { SequenceUnit } from "../../seq/sequences.js";
import { isSymbolMode, type SymbolMode } from "../../seq/symbols.js";
import { Alphabet, stringToCodes } from "../../seq/alphabet.js";
import { WindowCounts } from "../../seq/windows.js";
import type { EngineName } from "../../api/core.js";
import { engineOption, positiveInt } from "../common.js";
import { UsageError, makeOutputDir, writeOutputFile } from "../output.js";

export interface InputFlags {
  engine?: EngineName;
  by?: string;
  symbol?: string;
  inputFormat?: string;
  splitExec?: boolean;
  jobs?: number;
}

/** Adds --by, --symbol, --input-format, --split-exec, --engine and --jobs. */
export function inputOptions(cmd: Command): Command {
  return cmd
    .addOption(engineOption())
    .addOption(new Option("--by <unit>", "one sequence per thread, process or trace").choices(["thread", "process", "trace"]))
    .option("--symbol <mode>", "symbols: name, nr (x86_64), nr32 (i386), name:flag, name:N (default: name; nr32 for adfa)")
    .addOption(new Option("--input-format <fmt>", "input files").choices(["strace", "adfa"]))
    .option("--split-exec", "start a new sequence at each successful execve")
    .option(
      "-j, --jobs <n>",
      "threads: 2 (the default with two or more cores) reads every other file of a list (32 MiB or more in all) in a second thread, or scans the later part of a plain file of 64 MiB or more there (symbols by name or number); 1 reads in one",
      positiveInt,
    );
}

/** Resolves input flags, falling back to `saved` (a model's meta) and then to defaults. */
export function traceOptions(flags: InputFlags, saved: Record<string, unknown> = {}): TraceOptions {
  const inputFormat = (flags.inputFormat ?? saved.inputFormat ?? "strace") as InputFormat;
  const symbol = flags.symbol ?? (saved.symbol as string | undefined) ?? (inputFormat === "adfa" ? "nr32" : "name");
  if (!isSymbolMode(symbol)) throw new UsageError(`unknown --symbol ${JSON.stringify(symbol)} (name, nr, nr32, name:flag or name:N)`);
  const by = (flags.by ?? saved.by ?? "process") as SequenceUnit;
  const splitExec = flags.splitExec ?? (saved.splitExec as boolean | undefined) ?? false;
  // the engine and jobs are how to read, not what was read: never taken from a model
  const jobs = flags.jobs ?? (availableParallelism() > 1 ? 2 : 1);
  // (the smallest file split: for tests, which cannot make 64 MiB traces cheaply)
  const split = process.env.STRACE_SEQ_SPLIT_BYTES ? { minBytes: Number(process.env.STRACE_SEQ_SPLIT_BYTES) } : undefined;
  // (and the smallest file of a list read in its turn rather than ahead, likewise)
  const streamMinBytes = process.env.STRACE_SEQ_STREAM_BYTES ? Number(process.env.STRACE_SEQ_STREAM_BYTES) : undefined;
  return { inputFormat, symbol: symbol as SymbolMode, by, splitExec, engine: flags.engine, jobs, split, streamMinBytes };
}

/** Writes a line to stdout, waiting when the pipe is full (so huge outputs stream). */
export async function out(line: string): Promise<void> {
  if (!process.stdout.write(line + "\n")) await new Promise((r) => process.stdout.once("drain", r));
}

/** Characters of lines gathered before they are written at once. */
const LINE_BATCH_CHARS = 64 << 10;

/**
 * Lines to stdout in writes of up to LINE_BATCH_CHARS: a write per sequence was ~5 % of `seq`
 * (6,000 sequences from 105 MB, each through the stream's machinery and a system call). Lines
 * wait at most until the event loop turns (the reading waits for its next chunk), so a live
 * input's sequences still come out as their processes end; `flush` before the command ends,
 * also when it fails, so no line is lost.
 */
class StdoutLines {
  private parts: string[] = [];
  private chars = 0;
  private scheduled = false;
  private drained: Promise<void> | undefined;

  /** Adds a line; waits only while stdout is full. */
  async add(line: string): Promise<void> {
    this.parts.push(line);
    this.chars += line.length + 1;
    if (this.chars >= LINE_BATCH_CHARS) this.write();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.write();
      });
    }
    if (this.drained) await this.drained;
  }

  async flush(): Promise<void> {
    this.write();
    if (this.drained) await this.drained;
  }

  private write(): void {
    if (this.parts.length === 0) return;
    const text = this.parts.join("\n") + "\n";
    this.parts = [];
    this.chars = 0;
    if (!process.stdout.write(text) && !this.drained) {
      this.drained = new Promise((resolve) =>
        process.stdout.once("drain", () => {
          this.drained = undefined;
          resolve();
        }),
      );
    }
  }
}

interface SeqFlags extends InputFlags {
  window?: number;
  format: SequenceFormat;
  outDir?: string;
}

export function register(program: Command): void {
  inputOptions(
    program
      .command("seq")
      .description("syscall sequences from strace or ADFA-LD files (with --window: distinct windows and counts)")
      .argument("<file...>", "trace files or directories (walked recursively; a -ff folder is one trace), or - for stdin")
      .option("-w, --window <k>", "print the distinct length-k windows with counts instead", positiveInt)
      .addOption(new Option("--format <fmt>", "output format").choices(["text", "jsonl", "csv"]).default("text"))
      .option("--out-dir <dir>", "write each sequence to its own text file (ADFA-LD style) in DIR"),
  ).action(async (files: string[], flags: SeqFlags) => {
    const opts = traceOptions(flags);
    if (flags.window !== undefined) return printWindows(files, flags.window, flags.format, opts);
    if (flags.outDir) await makeOutputDir(flags.outDir);
    // files of the same name in different folders must not overwrite each other's sequences
    const written = new Set<string>();
    const lines = new StdoutLines();
    try {
      if (flags.format === "csv" && !flags.outDir) await lines.add(SEQUENCE_CSV_HEADER);
      for await (const { file, sequences } of filesSequences(await listFiles(files), opts)) {
        for await (const seq of sequences) {
          if (flags.outDir) {
            let name = `${basename(file)}.${seq.key}`;
            for (let n = 2; written.has(name); n++) name = `${basename(file)}.${seq.key}~${n}`;
            written.add(name);
            await writeOutputFile(join(flags.outDir, name + ".txt"), sequenceText(seq) + "\n");
          } else {
            await lines.add(sequenceLine(seq, flags.format));
          }
        }
      }
    } finally {
      await lines.flush();
    }
  });
}

/** The sequence set: distinct windows over all inputs, with counts, in first-seen order. */
async function printWindows(files: string[], k: number, format: SequenceFormat, opts: TraceOptions): Promise<void> {
  const alphabet = new Alphabet();
  const counts = new WindowCounts(k);
  for await (const { sequences } of filesSequences(await listFiles(files), opts)) {
    for await (const seq of sequences) counts.addEncoded(alphabet.encode(seq.symbols, true));
  }
  const lines = new StdoutLines();
  if (format === "csv") await lines.add(WINDOW_CSV_HEADER);
  for (const [key, n] of counts.counts) {
    await lines.add(
      windowLine(
        stringToCodes(key).map((id) => alphabet.symbol(id)!),
        n,
        format,
      ),
    );
  }
  await lines.flush();
}
