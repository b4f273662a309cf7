// `strace-seq trace [options] -- CMD [ARGS...]` and `strace-seq trace -p PID[,PID...]`: runs
// strace live and writes records (or, at the end, stats / per-process sequences) as they come,
// with anomaly alerts the moment a process crosses a model's threshold.

import { createWriteStream, openSync, type WriteStream } from "node:fs";
import { once } from "node:events";
import { InvalidArgumentError, Option, type Command } from "commander";
import type { Writable } from "node:stream";
import { attach, trace, type LiveOptions, type LiveTrace } from "../../live/session.js";
import { LiveError } from "../../live/errors.js";
import { loadModel } from "../../live/models.js";
import type { AlertRecord } from "../../live/alerts.js";
import { TraceStats } from "../../model/stats.js";
import { recordJson } from "../../model/record-json.js";
import { SequenceBuilder, type SequenceUnit } from "../../seq/sequences.js";
import { isSymbolMode, type SymbolMode } from "../../seq/symbols.js";
import { SEQUENCE_CSV_HEADER, sequenceLine, type SequenceFormat } from "../../seq/export.js";
import { archOption, engineOption, nonNegativeInt, positiveInt, type CommonFlags } from "../common.js";
import { UsageError } from "../output.js";

/** The alert threshold when neither the model file nor --threshold gives one: a process is
 *  anomalous once a tenth of its windows (pairs) were never seen in training. */
export const DEFAULT_THRESHOLD = 0.1;

interface TraceFlags extends CommonFlags {
  pid?: number[];
  output?: string;
  stats?: boolean;
  json?: boolean;
  seq?: boolean;
  format: SequenceFormat;
  by?: SequenceUnit;
  symbol?: string;
  raw?: string;
  model?: string;
  threshold?: number;
  minWindows?: number;
  /** -e, -s, -y: commander names short-only options by their letter. */
  e: string[];
  s?: number;
  y: number;
  follow: boolean;
  timestamps: boolean;
  seccompBpf?: boolean;
  straceArgs?: string;
}

function pidList(v: string, prev: number[] = []): number[] {
  const pids = v.split(",").map((s) => Number(s.trim()));
  if (pids.some((p) => !Number.isInteger(p) || p < 1)) throw new InvalidArgumentError(`expected PID[,PID...], got ${JSON.stringify(v)}`);
  return [...prev, ...pids];
}

function score(v: string): number {
  const n = Number(v);
  if (v.trim() === "" || !Number.isFinite(n)) throw new InvalidArgumentError(`expected a number, got ${JSON.stringify(v)}`);
  return n;
}

export function register(program: Command): void {
  program
    .command("trace")
    .description("run a program under strace (or attach with -p) and turn its calls into records, stats, sequences and alerts as it runs")
    .usage("[options] -- CMD [ARGS...]  |  -p PID[,PID...]")
    .argument("[command...]", "the program and its arguments (after --)")
    .option("-p, --pid <pids>", "attach to running processes instead (Ctrl-C detaches)", pidList)
    .option("-o, --output <file>", "where records (or stats, sequences) go: default stderr, as strace; - for stdout")
    .option("--stats", "print the stats table (like `strace-seq stats`) when the trace ends, instead of records")
    .option("--json", "with --stats: the stats as JSON")
    .option("--seq", "print each process's syscall sequence when it ends, instead of records")
    .addOption(new Option("--format <fmt>", "with --seq: sequence format").choices(["text", "jsonl", "csv"]).default("text"))
    .addOption(new Option("--by <unit>", "with --seq: one sequence per thread, process or trace").choices(["thread", "process", "trace"]))
    .option("--symbol <mode>", "with --seq: symbols (name, nr, nr32, name:flag, name:N; default name)")
    .option("--raw <file>", "also keep strace's own text in FILE")
    .option("-m, --model <file>", "score each process against this model (from `train`) as calls arrive; alert records when one crosses the threshold")
    .option("--threshold <score>", `alert when a process's running score reaches this (default: the model file's threshold, else ${DEFAULT_THRESHOLD})`, score)
    .option("--min-windows <n>", "no alert before a process has this many windows (default 10; one that ends shorter is judged when it ends)", positiveInt)
    .addOption(
      new Option("-e <expr>", "strace qualifier, repeatable: trace=..., signal=..., status=..., ...")
        .argParser((v: string, prev: string[]) => [...prev, v])
        .default([], "none"),
    )
    .option("-s <n>", "strace: longest string printed", nonNegativeInt)
    .addOption(
      new Option("-y", "strace: print paths of file descriptors (-yy: and socket details)")
        .argParser((_v: unknown, prev: number) => prev + 1)
        .default(0, "off"),
    )
    .option("--no-follow", "strace: do not follow forks (-f is on by default)")
    .option("--no-timestamps", "strace: no -ttt -T (on by default)")
    .option("--seccomp-bpf", "strace: force --seccomp-bpf (default: on when -e trace= filters, -f is on and nothing is attached)")
    .option("--no-seccomp-bpf", "strace: never use --seccomp-bpf")
    .option("--strace-args <args>", 'more strace options, space-separated (e.g. "-X verbose -e quiet=exit")')
    .addOption(engineOption())
    .addOption(archOption())
    .option("-q, --quiet", "no alert summary lines, nor strace's attach/detach lines, on stderr")
    .action(async (command: string[], flags: TraceFlags) => {
      await runTrace(command, flags);
    });
}

/** A file opened now, so a bad path is a usage error before anything is traced. */
function openOutput(file: string): WriteStream {
  let fd: number;
  try {
    fd = openSync(file, "w");
  } catch (e) {
    throw new UsageError(`cannot write ${file}: ${(e as Error).message}`);
  }
  return createWriteStream(file, { fd });
}

/** Writes lines to stderr, stdout or a file, waiting when the destination is full. */
class LineSink {
  private readonly stream: Writable;
  private failed: Error | undefined;
  readonly isStderr: boolean;

  constructor(private readonly file: string | undefined) {
    this.isStderr = file === undefined;
    this.stream = file === undefined ? process.stderr : file === "-" ? process.stdout : openOutput(file);
    if (file !== undefined && file !== "-") this.stream.on("error", (e) => (this.failed ??= e));
  }

  async write(text: string): Promise<void> {
    if (this.failed) throw new UsageError(`cannot write ${this.file}: ${this.failed.message}`);
    if (!this.stream.write(text)) await once(this.stream, "drain");
  }

  async close(): Promise<void> {
    if (this.file === undefined || this.file === "-") return;
    (this.stream as WriteStream).end();
    await once(this.stream, "close").catch(() => undefined);
    if (this.failed) throw new UsageError(`cannot write ${this.file}: ${this.failed.message}`);
  }
}

async function runTrace(command: string[], flags: TraceFlags): Promise<void> {
  const attaching = flags.pid !== undefined;
  if (attaching && command.length > 0) throw new UsageError("give either -p PID or a command after --, not both");
  if (!attaching && command.length === 0) throw new UsageError("nothing to trace: give a command after -- (strace-seq trace -- CMD ARGS...) or -p PID");
  if (flags.stats && flags.seq) throw new UsageError("--stats and --seq are different outputs: choose one");
  if (flags.symbol !== undefined && !isSymbolMode(flags.symbol))
    throw new UsageError(`unknown --symbol ${JSON.stringify(flags.symbol)} (name, nr, nr32, name:flag or name:N)`);

  const opts: LiveOptions = {
    follow: flags.follow,
    timestamps: flags.timestamps,
    expressions: flags.e,
    stringLimit: flags.s,
    decodeFds: Math.min(flags.y, 2) as 0 | 1 | 2,
    seccompBpf: flags.seccompBpf,
    straceArgs: flags.straceArgs?.split(/\s+/).filter((s) => s !== ""),
    engine: flags.engine,
    arch: flags.arch,
  };
  if (flags.quiet) opts.onMessage = () => {};
  if (flags.model) {
    let loaded;
    try {
      loaded = await loadModel(flags.model);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const threshold = flags.threshold ?? loaded.threshold ?? DEFAULT_THRESHOLD;
    opts.alerts = { model: loaded.model, threshold, minWindows: flags.minWindows };
  }
  readOnlyWhatIsUsed(opts, flags);
  const rawFile = flags.raw ? openOutput(flags.raw) : undefined;
  let rawFailed: Error | undefined;
  rawFile?.on("error", (e) => (rawFailed ??= e));
  if (rawFile) opts.raw = (chunk) => rawFile.write(chunk);

  const sink = new LineSink(flags.output);
  const live: LiveTrace = attaching ? attach(flags.pid!, opts) : trace(command[0]!, command.slice(1), opts);
  // Ctrl-C / kill: the program gets the signal (attached: strace detaches); this process waits
  // for strace to finish so the output is complete and the temporary FIFO is removed
  // (a Ctrl-C typed at a terminal already reached the program, which shares our process group:
  // passing it on again would interrupt it twice)
  const fromTerminal = !attaching && process.stdin.isTTY === true;
  const forward = (sig: NodeJS.Signals) => {
    if (!(sig === "SIGINT" && fromTerminal)) live.kill(sig);
  };
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);

  const stats = flags.stats ? new TraceStats() : undefined;
  const seqs = flags.seq
    ? new SequenceBuilder({ by: flags.by ?? "process", symbol: (flags.symbol ?? "name") as SymbolMode, completionOrder: true })
    : undefined;
  try {
    if (seqs && flags.format === "csv") await sink.write(SEQUENCE_CSV_HEADER + "\n");
    for await (const batch of live.batches()) {
      // one write per read of strace's output: as prompt as per record, far fewer writes
      let text = "";
      for (const rec of batch) {
        if (rec.type === "alert") {
          text += JSON.stringify(rec) + "\n";
          if (!flags.quiet && !sink.isStderr) process.stderr.write(alertLine(rec));
        } else if (stats) stats.add(rec);
        else if (seqs) for (const s of seqs.push(rec)) text += sequenceLine(s, flags.format) + "\n";
        else text += recordJson(rec) + "\n";
      }
      if (text !== "") await sink.write(text);
    }
    if (seqs) for (const s of seqs.finish()) await sink.write(sequenceLine(s, flags.format) + "\n");
    if (stats) await sink.write(flags.json ? JSON.stringify(stats.result(live.counts), null, 2) + "\n" : stats.table());
  } catch (e) {
    if (e instanceof LiveError) throw new UsageError(e.message);
    throw e;
  } finally {
    process.off("SIGINT", forward);
    process.off("SIGTERM", forward);
    await sink.close();
    if (rawFile) {
      rawFile.end();
      await once(rawFile, "close").catch(() => undefined);
    }
  }
  if (rawFailed) throw new UsageError(`cannot write ${flags.raw}: ${rawFailed.message}`);
  process.exitCode = live.result?.status ?? 0;
}

/** Calls whose arguments sequences (and alerts) read with plain-name symbols: the clone family
 *  (CLONE_THREAD: thread or process) and exec (the program an alert names). */
const ARGS_FOR_SEQUENCES = new Set(["clone", "clone2", "clone3", "execve", "execveat"]);

/** Builds only what the output reads: arguments as JSON text for records written as JSONL,
 *  lean records for stats and sequences (like the `stats` and `seq` commands). */
function readOnlyWhatIsUsed(opts: LiveOptions, flags: TraceFlags): void {
  const symbols = [flags.seq ? (flags.symbol ?? "name") : undefined, opts.alerts ? String(opts.alerts.model.meta?.symbol ?? "name") : undefined];
  const plain = symbols.every((s) => s === undefined || s === "name" || s === "nr" || s === "nr32");
  if (flags.stats || flags.seq) {
    opts.lean = true;
    if (plain) opts.argsFor = flags.seq || opts.alerts ? (name) => ARGS_FOR_SEQUENCES.has(name) : () => false;
  } else if (!opts.alerts) {
    opts.argsJson = true;
  }
}

function alertLine(a: AlertRecord): string {
  return `strace-seq: ALERT pid ${a.pid ?? "?"} (${a.exe ?? "?"}): ${a.model} score ${a.score.toFixed(3)} >= ${a.threshold} at line ${a.line}, window ${a.window.join(" ")}\n`;
}
