// Anomaly alerts while a trace runs: every process's sequence (as the model's training data
// was cut: its meta's unit, symbols and exec splitting) is scored call by call, and the
// moment a sequence's running score reaches the threshold an `alert` record is made — once
// per sequence, while the process is still running (one too short to judge by then is judged
// on its final score when it ends).

import type { SyscallRecord, TraceRecord } from "../model/record.js";
import { Programs } from "./programs.js";
import { SequenceBuilder, type Sequence, type SequenceUnit } from "../seq/sequences.js";
import { isSymbolMode, type SymbolMode } from "../seq/symbols.js";
import { runningScore, type Model, type RunningScore, type ScoreResult } from "./models.js";

/** The record live tracing adds to the stream when a process crosses the model's threshold. */
export interface AlertRecord {
  type: "alert";
  /** The process (sequence unit leader) whose sequence crossed the threshold. */
  pid: number | null;
  /** The thread whose call completed the offending window. */
  tid: number | null;
  /** The program the process runs (its last successful execve, or its parent's). */
  exe: string | null;
  /** The sequence's key, as `seq` names it (`pid`, `pid.2` after a reused pid or exec split). */
  key: string;
  /** The model's kind. */
  model: string;
  /** The model's window length. */
  k: number;
  /** The last k calls: the window the crossing call completed. */
  window: string[];
  /** The sequence's running score when it crossed (its final score when judged at its end), in
   *  the model's units. */
  score: number;
  /** The threshold the score exceeded. */
  threshold: number;
  /** The sequence's mismatches (ScoreResult.mismatches) at that point. */
  mismatches: number;
  /** The sequence's windows (ScoreResult.windows) at that point. */
  windows: number;
  /** Input line of the call that crossed the threshold. */
  line: number;
  /** Timestamp of the record at `line`, when the trace has timestamps. */
  time?: number;
}

/** How many records an alert of an already ended process waits for the fork that names its program. */
const WAIT_RECORDS = 1024;

/** Windows a sequence needs before its running score can raise an alert. */
export const DEFAULT_MIN_WINDOWS = 10;

/** Options of AlertWatch: the alert threshold and minimum length, and overrides of how sequences
 *  are cut. */
export interface AlertOptions {
  /** Alert when the running score is above this (the model's score units; the same rule as
   *  `score`'s alarms: score > threshold). */
  threshold: number;
  /** No alert before a sequence has this many windows (default DEFAULT_MIN_WINDOWS): a prefix
   *  of a few windows is too short to judge. A sequence that ends shorter is judged on its
   *  final score when it ends. */
  minWindows?: number;
  /** Overrides the model's sequence unit (meta.by: how its training sequences were cut). */
  by?: SequenceUnit;
  /** Overrides the model's symbol mode (meta.symbol). */
  symbol?: SymbolMode;
  /** Overrides whether sequences split at execve (meta.splitExec). */
  splitExec?: boolean;
}

interface Watched {
  score: RunningScore;
  calls: number;
  alerted: boolean;
}

/** Feeds records in order, returns alerts as they happen. Memory: one small state per live sequence. */
export class AlertWatch {
  private readonly builder: SequenceBuilder;
  private readonly watched = new Map<Sequence, Watched>();
  private readonly programs = new Programs();
  /** Alerts of processes that ended before the fork that made them was seen: they wait for it
   *  (to name the program) for at most WAIT_RECORDS records. */
  private readonly waiting = new Map<number, { alert: AlertRecord; until: number }>();
  private seen = 0;
  private readonly minWindows: number;
  private current: SyscallRecord | null = null;
  private alerts: AlertRecord[] = [];

  constructor(
    private readonly model: Model,
    private readonly opts: AlertOptions,
  ) {
    const meta = model.meta ?? {};
    const symbol = opts.symbol ?? (typeof meta.symbol === "string" ? meta.symbol : "name");
    if (!isSymbolMode(symbol)) throw new RangeError(`the model's symbol mode ${JSON.stringify(symbol)} is not one strace-seq knows`);
    this.minWindows = opts.minWindows ?? DEFAULT_MIN_WINDOWS;
    this.builder = new SequenceBuilder({
      by: opts.by ?? (meta.by as SequenceUnit | undefined) ?? "process",
      symbol,
      splitExec: opts.splitExec ?? (meta.splitExec as boolean | undefined) ?? false,
      completionOrder: true,
      onCall: (seq, sym) => this.called(seq, sym),
    });
  }

  /** One record; returns the alerts it raised (usually none). */
  push(rec: TraceRecord): AlertRecord[] {
    this.seen++;
    if (rec.type === "syscall") this.current = rec;
    // an exit is followed after the sequences it ends were judged, which still name its program
    const named = rec.type === "exit" ? undefined : this.programs.see(rec);
    for (const done of this.builder.push(rec)) this.ended(done, rec);
    if (rec.type === "exit") this.programs.see(rec);
    this.current = null;
    if (named !== undefined) this.release(named);
    if (this.waiting.size > 0) for (const [pid, w] of this.waiting) if (this.seen >= w.until) this.release(pid);
    const out = this.alerts;
    if (out.length > 0) this.alerts = [];
    return out;
  }

  /** A waiting alert goes out, with its program's name if that is known by now. */
  private release(pid: number): void {
    const w = this.waiting.get(pid);
    if (w) {
      this.waiting.delete(pid);
      w.alert.exe ??= this.programs.of(pid) ?? null;
      this.alerts.push(w.alert);
    }
    this.programs.forget(pid);
  }

  /** Everything still open at the end of the trace (no exit line seen) is judged too. */
  finish(): AlertRecord[] {
    for (const seq of this.builder.finish()) this.ended(seq, null);
    for (const pid of [...this.waiting.keys()]) this.release(pid);
    const out = this.alerts;
    this.alerts = [];
    return out;
  }

  /** A sequence too short to have been judged while it ran is judged on its final score. */
  private ended(seq: Sequence, rec: TraceRecord | null): void {
    const w = this.watched.get(seq);
    this.watched.delete(seq);
    if (!w || w.alerted) return;
    const r = this.model.score(seq.symbols);
    if (r.windows >= this.minWindows || !(r.score > this.opts.threshold)) return;
    const alert = this.alert(seq, r, seq.symbols.slice(-this.model.k), rec?.pid ?? seq.pid, rec?.line ?? seq.line, rec?.time);
    if (alert.exe === null && this.programs.awaitsCreator(seq.pid)) this.waiting.set(seq.pid!, { alert, until: this.seen + WAIT_RECORDS });
    else this.alerts.push(alert);
  }

  private alert(seq: Sequence, r: ScoreResult, window: string[], tid: number | null, line: number, time: number | undefined): AlertRecord {
    const alert: AlertRecord = {
      type: "alert",
      pid: seq.pid,
      tid,
      exe: this.programs.of(seq.pid ?? tid) ?? this.programs.of(tid) ?? null,
      key: seq.key,
      model: this.model.kind,
      k: this.model.k,
      window,
      score: r.score,
      threshold: this.opts.threshold,
      mismatches: r.mismatches,
      windows: r.windows,
      line,
    };
    if (time !== undefined) alert.time = time;
    return alert;
  }

  private called(seq: Sequence, symbol: string): void {
    let w = this.watched.get(seq);
    if (!w) this.watched.set(seq, (w = { score: runningScore(this.model), calls: 0, alerted: false }));
    const r = w.score.push(symbol);
    w.calls++;
    // Before k calls a sequence is one short window, which only an equally short training
    // sequence matches: every process would alert on its first call. Judge from the first full window.
    if (w.alerted || w.calls < this.model.k || r.windows < this.minWindows || !(r.score > this.opts.threshold)) return;
    w.alerted = true;
    const rec = this.current!;
    this.alerts.push(this.alert(seq, r, w.score.window(), rec.pid, rec.line, rec.time));
  }
}
