// From parsed records to syscall sequences, one per thread, per process, or per trace.
//
// Only `type: "syscall"` records count. A merged unfinished/resumed call is one record and
// counts once, where the parser put it (its entry position); records are never reordered.
//
// Per process: a process is a pid and the threads it created. clone/clone3 with
// CLONE_THREAD puts the child (the return value) into the caller's process; fork, vfork and
// clone without CLONE_THREAD start a new process. A pid seen before any clone names it is
// its own process (attached with -p, or the first process of the trace). Calls printed without
// a pid (`strace -f` on stderr while one process is traced) count as the process they belong
// to (model/unprefixed.ts).
// splitExec: a successful execve (return 0) ends the caller's current sequence and starts a
// new one that begins with that execve (the new program's first recorded call), so the
// image before and after exec are separate sequences. An empty sequence is never emitted.
//
// Sequences are emitted as soon as they are known complete (the thread, or the last thread
// of the process, printed its `+++ exited/killed +++` line; a pid reused by a new process),
// the rest at end of input in order of first appearance, so memory holds only live ones.

import type { SyscallRecord, TraceRecord } from "../model/record.js";
import { symbolizer, type SymbolMode } from "./symbols.js";
import { ArgSymbolizer, type PathClasses, type PathClassLearner } from "./args.js";
import { hasCloneThread } from "./clone.js";
import { UnprefixedPids, createdPid } from "../model/unprefixed.js";

/** What one sequence covers: a thread, a process (its threads' calls interleaved as printed), or the whole trace. */
export type SequenceUnit = "thread" | "process" | "trace";

/** How records become sequences. */
export interface SequenceOptions {
  /** Default "process". */
  by?: SequenceUnit;
  /** Default "name". */
  symbol?: SymbolMode;
  /** symbol "args": the path classes learned in training (args.ts), per program. */
  pathClasses?: PathClasses;
  /** symbol "args": records every resolved path, to learn path classes from (training pass 1). */
  learnPaths?: PathClassLearner;
  /** Called for every call as it is added, with its sequence (key, pid) and symbol: a live
   *  consumer scores processes call by call with it. */
  onCall?: (seq: Sequence, symbol: string, rec: SyscallRecord) => void;
  /** Keep each sequence's symbols (default true). false: sequences come out with empty
   *  `symbols`, memory stays bounded for endless streams (use `onCall`). */
  retainSymbols?: boolean;
  /** Start a new sequence at each successful execve. Default false. */
  splitExec?: boolean;
  /** Copied into each sequence, to say where it came from. */
  file?: string;
  /** Records come as calls complete (a live trace that holds nothing back), so a child's first
   *  calls may precede the fork that returned its pid: an open sequence of that pid is then the
   *  child's own, not a reused pid's. Default false. */
  completionOrder?: boolean;
}

/** The symbols of one thread, process or trace, in call order. */
export interface Sequence {
  /** Unique within one input: the pid (thread/process; `pid.N` for a reused pid or after exec
   *  splits) or "trace". */
  key: string;
  /** Thread id, process leader pid, or null (per-trace, or a trace without pids). */
  pid: number | null;
  /** One symbol per call (see SymbolMode). */
  symbols: string[];
  /** Input line of the first call. */
  line: number;
  /** The input it came from (SequenceOptions.file). */
  file?: string;
}

interface Open {
  seq: Sequence;
  /** Calls seen (the sequence's length, also when symbols are not retained). */
  calls: number;
  /** Threads of this unit not yet seen exiting. */
  live: Set<number | null>;
}

const CLONES = new Set(["clone", "clone2", "clone3"]);

/** Incremental core: feed records with `push`, collect what completes, then `finish`. */
export class SequenceBuilder {
  private readonly by: SequenceUnit;
  private readonly symbol: (r: SyscallRecord) => string;
  private readonly splitExec: boolean;
  private readonly file: string | undefined;
  private readonly retain: boolean;
  private readonly forget: ((pid: number | null) => void) | undefined;
  private readonly onCall: SequenceOptions["onCall"];
  private readonly completionOrder: boolean;
  /** pid -> leader pid of its process (process mode only). */
  private readonly leader = new Map<number | null, number | null>();
  /** unit id (pid, leader or "trace") -> its open sequence. */
  private readonly open = new Map<string, Open>();
  /** How many sequences each unit id has started, for unique keys. */
  private readonly generation = new Map<string, number>();
  private readonly unprefixed = new UnprefixedPids();

  /** A builder with these options (by process, symbols by name, no exec splits by default). */
  constructor(opts: SequenceOptions = {}) {
    this.by = opts.by ?? "process";
    if (opts.symbol === "args") {
      // stateful: follows cwd, fds and programs through the trace
      const args = new ArgSymbolizer(opts.pathClasses, opts.learnPaths);
      this.symbol = (r) => args.symbol(r);
      this.forget = (pid) => args.forget(pid);
    } else this.symbol = symbolizer(opts.symbol ?? "name");
    this.splitExec = opts.splitExec ?? false;
    this.file = opts.file;
    this.retain = opts.retainSymbols ?? true;
    this.onCall = opts.onCall;
    this.completionOrder = opts.completionOrder ?? false;
  }

  /** Feeds one record; returns the sequences it completed (usually none). */
  push(rec: TraceRecord): Sequence[] {
    const done: Sequence[] = [];
    if (rec.type !== "exit" && (rec.type !== "syscall" || rec.resumed)) return done;
    const { pid, named } = this.unprefixed.see(rec);
    if (named !== undefined) this.nameUnprefixed(named);
    if (rec.type === "exit") {
      this.exited(pid, done);
      this.forget?.(rec.pid);
      return done;
    }
    const unit = this.unitOf(pid);
    if (this.splitExec && rec.name === "execve" && rec.ret === 0) {
      const o = this.open.get(unit);
      if (o && o.calls > 0) {
        this.open.delete(unit);
        done.push(o.seq);
        this.start(unit, rec, o.live);
      }
    }
    const o = this.open.get(unit) ?? this.start(unit, rec, new Set());
    o.live.add(pid);
    const symbol = this.symbol(rec);
    o.calls++;
    if (this.retain) o.seq.symbols.push(symbol);
    this.onCall?.(o.seq, symbol, rec);
    const child = createdPid(rec);
    if (child !== undefined && this.by === "process") this.followClone(rec, pid, child, done);
    return done;
  }

  /** The unprefixed records turned out to be process `pid`'s: their open sequence, and in
   *  process mode the threads they created, move to it. */
  private nameUnprefixed(pid: number): void {
    if (this.by === "trace") return;
    for (const [t, l] of this.leader) if (l === null) this.leader.set(t, pid);
    this.leader.delete(null);
    this.leader.set(pid, pid);
    const o = this.open.get("null");
    if (!o || this.open.has(String(pid))) return;
    this.open.delete("null");
    const unit = String(pid);
    const n = (this.generation.get(unit) ?? 0) + 1;
    this.generation.set(unit, n);
    o.seq.key = n === 1 ? unit : `${unit}.${n}`;
    o.seq.pid = pid;
    if (o.live.delete(null)) o.live.add(pid);
    this.open.set(unit, o);
  }

  /** Everything still open, in order of first appearance. */
  finish(): Sequence[] {
    const out = [...this.open.values()].filter((o) => o.calls > 0).map((o) => o.seq);
    this.open.clear();
    return out;
  }

  private unitOf(pid: number | null): string {
    if (this.by === "trace") return "trace";
    if (this.by === "thread") return String(pid);
    if (!this.leader.has(pid)) this.leader.set(pid, pid);
    return String(this.leader.get(pid));
  }

  private start(unit: string, rec: SyscallRecord, live: Set<number | null>): Open {
    const n = (this.generation.get(unit) ?? 0) + 1;
    this.generation.set(unit, n);
    const pid = this.by === "trace" ? null : unit === "null" ? null : Number(unit);
    const seq: Sequence = { key: n === 1 ? unit : `${unit}.${n}`, pid, symbols: [], line: rec.line };
    if (this.file !== undefined) seq.file = this.file;
    const o: Open = { seq, calls: 0, live };
    this.open.set(unit, o);
    return o;
  }

  /** Process mode: a successful clone/fork tells which process the child pid belongs to. */
  private followClone(rec: SyscallRecord, parent: number | null, child: number, done: Sequence[]): void {
    const thread = CLONES.has(rec.name) && rec.args.some(hasCloneThread);
    // A reused pid: whatever sequence it led is over.
    const stale = this.open.get(String(child));
    if (stale && this.leader.get(child) === child && this.completionOrder && !thread) {
      // the child's calls came first: its sequence is already the right one
      return;
    }
    if (stale && this.leader.get(child) === child) {
      this.open.delete(String(child));
      if (stale.calls > 0) done.push(stale.seq);
    }
    const leader = thread ? (this.leader.get(parent) ?? parent) : child;
    this.leader.set(child, leader);
    // a thread is live from its creation: its process is not over before it exits, even when its
    // calls come after the leader's exit (-ff files without timestamps are read one after another)
    if (thread) this.open.get(String(leader))?.live.add(child);
  }

  private exited(pid: number | null, done: Sequence[]): void {
    if (this.by === "trace") return;
    const unit = this.by === "thread" ? String(pid) : String(this.leader.get(pid) ?? pid);
    const o = this.open.get(unit);
    if (!o) return;
    o.live.delete(pid);
    if (o.live.size === 0) {
      this.open.delete(unit);
      if (o.calls > 0) done.push(o.seq);
    }
  }
}

/** Sequences of a record stream, yielded as they complete. */
export async function* sequences(records: Iterable<TraceRecord> | AsyncIterable<TraceRecord>, opts: SequenceOptions = {}): AsyncGenerator<Sequence> {
  const b = new SequenceBuilder(opts);
  for await (const rec of records) yield* b.push(rec);
  yield* b.finish();
}

/** Synchronous `sequences` for in-memory record arrays. */
export function sequencesSync(records: Iterable<TraceRecord>, opts: SequenceOptions = {}): Sequence[] {
  const b = new SequenceBuilder(opts);
  const out: Sequence[] = [];
  for (const rec of records) out.push(...b.push(rec));
  out.push(...b.finish());
  return out;
}
