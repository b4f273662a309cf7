// A live trace: strace started without a shell on a program (or attached to running pids), its
// output read from a private FIFO and parsed as it arrives, records handed out one by one.
// The program's stdin, stdout and stderr are its own; strace's exit status (which is the
// program's) is kept for the caller.

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { constants as osConstants } from "node:os";
import { createParser, type ParseCounts, type ParseOptions } from "../api/core.js";
import type { TraceRecord } from "../model/record.js";
import { AlertWatch, type AlertOptions, type AlertRecord } from "./alerts.js";
import { checkPids, checkProgram, findStrace, LiveError, ptraceDenied, ptraceScope, straceFailure, which } from "./errors.js";
import { TraceFifo } from "./fifo.js";
import type { Model } from "./models.js";
import { hasTrailingLines, straceArgv, type StraceOptions } from "./strace-args.js";

/** What a live trace yields: parsed trace records, plus `alert` records when scoring against a
 *  model. */
export type LiveRecord = TraceRecord | AlertRecord;

/** How long strace may take to detach after SIGINT/SIGTERM before it is killed instead. */
export const DETACH_GRACE_MS = 1000;

/** Options of trace() and attach(): strace's and the parser's options, plus cancellation, raw
 *  output, alerts and messages. */
export interface LiveOptions extends StraceOptions, Pick<ParseOptions, "engine" | "arch" | "argsJson" | "lean" | "argsFor"> {
  /** Stops the trace: a program started by the trace gets SIGTERM; attached processes are
   *  detached and keep running. */
  signal?: AbortSignal;
  /** Receives strace's own text as it arrives (what `strace -o` would have written). */
  raw?: (chunk: Uint8Array) => void;
  /** Score every process against this model as its calls arrive; `alert` records join the stream. */
  alerts?: AlertOptions & { model: Model };
  /** strace's messages when attaching (`Process N attached`); default: written to stderr. */
  onMessage?: (line: string) => void;
  /** PATH to find strace and the program in (default: this process's). */
  path?: string;
}

/** How the trace ended. */
export interface LiveResult {
  /** The exit status to pass on: the program's (128+N when signal N killed it); for -p, strace's. */
  status: number;
  /** The signal that killed the program, when one did. */
  signal?: string;
}

/** A running trace: iterate it once for records; `result` is set when iteration has ended. */
export class LiveTrace implements AsyncIterable<LiveRecord> {
  /** How the trace ended; undefined until iteration has run to the end (and left so when it
   *  stopped early or threw). */
  result: LiveResult | undefined;
  /** Lines, records, diagnostics and bytes read so far (alerts not counted). */
  readonly counts: ParseCounts = { lines: 0, records: 0, diagnostics: 0, bytes: 0 };
  private child: ChildProcess | undefined;
  /** The program strace started (the pid of the first record), for passing signals on. */
  private programPid: number | undefined;
  private iterated = false;
  /** A detach was asked for (attached processes): strace then ends by that signal, as asked. */
  private detachAsked = false;
  /** The strace binary this trace runs. */
  private strace = "strace";

  /** A trace not started yet (strace starts when it is iterated) of `command` with `args`, or,
   *  with `command` undefined, of the running `pids`; trace() and attach() make one. */
  constructor(
    private readonly command: string | undefined,
    private readonly args: readonly string[],
    private readonly pids: readonly number[],
    private readonly opts: LiveOptions,
  ) {}

  /** Starts strace and yields its records one at a time (see batches()); a trace can be iterated
   *  only once. */
  [Symbol.asyncIterator](): AsyncIterator<LiveRecord> {
    return flatten(this.batches());
  }

  /** The records as they come, one array per read of strace's output (a record per step costs
   *  more than parsing a short line, so writers that handle many at once use this). */
  batches(): AsyncGenerator<LiveRecord[]> {
    if (this.iterated) throw new Error("strace-seq: a live trace can be iterated only once");
    this.iterated = true;
    return this.run();
  }

  /** Passes a signal on: to the traced program, or (attached) to strace, which detaches on
   *  SIGINT and SIGTERM and leaves the processes running. */
  kill(signal: NodeJS.Signals = "SIGTERM"): void {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    if (this.command === undefined) {
      this.detachAsked = true;
      child.kill(signal);
      // strace 6.1 can hang detaching from a child caught mid-fork (both wait on each other);
      // if it has not finished by then, killing strace makes the kernel detach every tracee
      setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      }, DETACH_GRACE_MS).unref();
      return;
    }
    const pid = this.programPid ?? firstChild(child.pid!);
    if (pid === undefined) return;
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }

  private async *run(): AsyncGenerator<LiveRecord[]> {
    const o = this.opts;
    const attaching = this.command === undefined;
    const strace = (this.strace = findStrace(o.path));
    if (attaching) checkPids(this.pids);
    else checkProgram(this.command!, o.path);
    const watch = o.alerts ? alertWatch(o.alerts) : undefined;
    // maxHeld 0: a record leaves the parser as soon as its line is read, never held behind
    // another process's unfinished call (a merged call comes when it resumes). With -k frames
    // or hex dumps, which follow their call, a record waits for the next line instead (1).
    const maxHeld = hasTrailingLines(o) ? 1 : 0;
    const parser = await createParser({ engine: o.engine, arch: o.arch, argsJson: o.argsJson, lean: o.lean, argsFor: o.argsFor, maxHeld, file: "strace" });
    const fifo = new TraceFifo();
    const stderrLines: string[] = [];
    let exited!: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
    const onAbort = () => this.kill(attaching ? "SIGINT" : "SIGTERM");
    this.detachAsked = false;
    let sawRecord = false;
    /** The program's first execve failed (strace says why on stderr and exits 1). */
    let execFailed: string | undefined;
    try {
      const argv = straceArgv(o, fifo.path, attaching);
      if (attaching) argv.push("-p", this.pids.join(","));
      else argv.push("--", this.command!, ...this.args);
      const env = o.path === undefined ? process.env : { ...process.env, PATH: o.path };
      // argv0 "strace": strace prefixes its messages with it, whatever path it was found at
      const child = spawn(strace, argv, { argv0: "strace", stdio: attaching ? ["ignore", "inherit", "pipe"] : "inherit", env });
      this.child = child;
      exited = new Promise((resolve) => {
        child.once("error", (e) => {
          stderrLines.push(`strace: ${e.message}`);
          resolve({ code: 127, signal: null });
        });
        // "close", not "exit": strace's stderr (attaching) has been read to its end by then
        child.once("close", (code, signal) => resolve({ code, signal }));
      });
      // once strace is gone, the FIFO's end comes after whatever it wrote
      void exited.then(() => fifo.finish());
      if (child.stderr)
        readLines(child.stderr, (line) => {
          if (/^strace: Process \d+ (attached|detached)/.test(line)) (o.onMessage ?? writeStderr)(line);
          else stderrLines.push(line);
        });
      if (o.signal?.aborted) onAbort();
      o.signal?.addEventListener("abort", onAbort);

      for await (const chunk of fifo.input as AsyncIterable<Buffer>) {
        o.raw?.(chunk);
        const recs = parser.push(chunk);
        Object.assign(this.counts, parser.counts);
        if (recs.length === 0) continue;
        if (!sawRecord) {
          const first = recs.find((r) => r.type === "syscall");
          if (first?.type === "syscall") {
            sawRecord = true;
            if (!attaching && first.pid !== null) this.programPid ??= first.pid;
            if (!attaching && first.name === "execve" && first.errno !== null) execFailed = first.errmsg ?? first.errno;
          }
        }
        yield watch ? withAlerts(recs, watch) : recs;
      }
      const last = parser.end();
      Object.assign(this.counts, parser.counts);
      const rest: LiveRecord[] = watch ? withAlerts(last, watch) : last;
      if (watch) rest.push(...watch.finish());
      if (rest.length > 0) yield rest;
      this.result = this.outcome(await exited, stderrLines, sawRecord, execFailed);
    } finally {
      o.signal?.removeEventListener("abort", onAbort);
      // a consumer that stopped early: stop the program (or detach) rather than leave strace blocked
      if (this.child && this.child.exitCode === null && this.child.signalCode === null) this.kill(attaching ? "SIGINT" : "SIGTERM");
      fifo.remove();
    }
  }
  /** The exit status to pass on, or the LiveError that explains why strace failed. */
  private outcome(
    { code, signal }: { code: number | null; signal: NodeJS.Signals | null },
    stderrLines: readonly string[],
    sawRecord: boolean,
    execFailed: string | undefined,
  ): LiveResult {
    const o = this.opts;
    if (this.command === undefined) {
      // strace ends by the signal it was asked to detach on (it re-raises it), or with 0
      if (this.detachAsked && (code === 0 || signal !== null || code === 128 + 2 || code === 128 + 15)) return { status: 0 };
      if (code !== 0) {
        const what = `attach to ${this.pids.join(", ")}`;
        throw (
          straceFailure(stderrLines, what) ??
          new LiveError(`strace exited with status ${code ?? signal}${stderrLines.length ? ": " + stderrLines[0] : ""}`, "strace-failed")
        );
      }
    }
    for (const line of stderrLines) (o.onMessage ?? writeStderr)(line);
    if (execFailed !== undefined && code !== 0) throw new LiveError(`cannot run ${this.command}: ${execFailed}`, "not-executable");
    if (this.command !== undefined && !sawRecord && code !== 0) {
      // strace's reason went to the stderr it shares with the program, where we cannot read it:
      // a trial run of strace on `true` with its stderr kept tells a refused ptrace from the rest
      if ((ptraceScope() ?? 0) >= 3 || ptraceRefused(this.strace, o.path)) throw ptraceDenied(`trace ${this.command}`);
      throw new LiveError(`strace could not start ${this.command} (status ${code ?? signal}; its message is above)`, "strace-failed");
    }
    return signal ? { status: 128 + (osConstants.signals[signal] ?? 0), signal } : { status: code ?? 0 };
  }
}

/** Records of `command args...` run under strace, as they happen. */
export function trace(command: string, args: readonly string[] = [], opts: LiveOptions = {}): LiveTrace {
  return new LiveTrace(command, args, [], opts);
}

/** Records of running processes, from attaching strace to them until they exit or `signal` detaches. */
export function attach(pids: number | readonly number[], opts: LiveOptions = {}): LiveTrace {
  return new LiveTrace(undefined, [], typeof pids === "number" ? [pids] : pids, opts);
}

/** The alert scorer, or a LiveError when the model's meta asks for sequences live tracing cannot cut. */
function alertWatch(alerts: AlertOptions & { model: Model }): AlertWatch {
  try {
    return new AlertWatch(alerts.model, alerts);
  } catch (e) {
    throw new LiveError(`cannot score live against this model: ${(e as Error).message}`, "bad-model");
  }
}

async function* flatten<T>(batches: AsyncGenerator<T[]>): AsyncGenerator<T> {
  for await (const batch of batches) yield* batch;
}

/** The records with the alerts each raised right after it. */
function withAlerts(recs: readonly TraceRecord[], watch: AlertWatch): LiveRecord[] {
  const out: LiveRecord[] = [];
  for (const rec of recs) {
    out.push(rec);
    for (const a of watch.push(rec)) out.push(a);
  }
  return out;
}

function writeStderr(line: string): void {
  process.stderr.write(line + "\n");
}

/** Whether strace is refused ptrace here (a trial on `true`, its message read). */
function ptraceRefused(strace: string, envPath: string | undefined): boolean {
  const trueBin = which("true", envPath);
  if (!trueBin) return false;
  const r = spawnSync(strace, ["-o", "/dev/null", "--", trueBin], { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8", timeout: 5000 });
  return r.status !== 0 && straceFailure(r.stderr.split("\n"), "")?.code === "ptrace-denied";
}

/** strace's child before its first record names it (strace forks the program first thing). */
function firstChild(stracePid: number): number | undefined {
  try {
    const first = readFileSync(`/proc/${stracePid}/task/${stracePid}/children`, "utf8").trim().split(/\s+/)[0];
    return first ? Number(first) : undefined;
  } catch {
    return undefined;
  }
}

function readLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let carry = "";
  stream.setEncoding("utf8");
  stream.on("data", (s: string) => {
    const parts = (carry + s).split("\n");
    carry = parts.pop()!;
    for (const p of parts) onLine(p);
  });
  stream.on("end", () => {
    if (carry) onLine(carry);
  });
}
