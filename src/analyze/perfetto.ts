// Chrome / Perfetto trace-event JSON from records: a track per thread (pid = process, tid = task),
// a complete slice ("ph":"X") per call with its duration, an instant ("ph":"i") per signal and
// exit, and process/thread names from execve as metadata ("ph":"M") at the end.
// ui.perfetto.dev and chrome://tracing open the result. Timestamps are microseconds since the
// trace's first timestamp (its text is kept as `otherData.timeOrigin`).
//
// Slices on one thread must nest: strace's timestamps and -T durations are measured apart, so a
// call's duration can reach past the next call's start by a rounding step. Each thread's last
// slice is therefore held until its next slice (or the end) and cut where that one starts.
// Memory: one held slice and one name per task, and the events of an unnamed first process
// (strace -f on stderr) until its pid is printed, at most UNNAMED_CAP.

import type { SyscallRecord, TraceRecord } from "../model/record.js";
import { ProcessTree, type TaskNode } from "./tree.js";

/** One trace event of the Chrome trace-event format. */
export interface TraceEvent {
  /** Event name: the syscall, the signal, the exit (`exited 0`), or `process_name` / `thread_name` for metadata. */
  name: string;
  /** Phase: `X` complete slice (a call), `i` instant (signal, exit), `M` metadata (names). */
  ph: "X" | "i" | "M";
  /** Process id (the task's thread-group leader); 0 for a task strace printed no pid for. */
  pid: number;
  /** Thread id (the task's own pid); 0 for a task strace printed no pid for. */
  tid: number;
  /** Microseconds. */
  ts?: number;
  /** Duration of a complete slice (`X`), in microseconds. */
  dur?: number;
  /** Instant scope: thread. */
  s?: "t";
  /** Category: `syscall`, `signal` or `exit`. */
  cat?: string;
  /** Extra data: a call's `ret`, `line`, `errno`, `unfinished`; a signal's `stopped`; a metadata event's `name`. */
  args?: Record<string, unknown>;
}

const round = (us: number) => Math.round(us * 1000) / 1000;

/** A timestamp as whole seconds and a fraction, read from its text where it can be: an epoch time
 *  in a double is only good to ~0.2 µs, too coarse to subtract (`-ttt`, `-tt`, `-t` forms). */
function splitTime(time: number, text: string | undefined): [number, number] {
  const m = text === undefined ? null : /^(?:(\d+):(\d\d):)?(\d+)(\.\d+)?$/.exec(text);
  if (!m) return [Math.floor(time), time - Math.floor(time)];
  const whole = (m[1] !== undefined ? Number(m[1]) * 3600 + Number(m[2]) * 60 : 0) + Number(m[3]);
  return [whole, m[4] ? Number(m[4]) : 0];
}

/** `strace -f` on stderr prints no pid until a second process exists: the first process's events
 *  wait (up to this many) for the record that names its pid, then go out under it. */
const UNNAMED_CAP = 65_536;
/** Track id of a task strace printed no pid for. */
const UNNAMED = 0;

/** Turns records (in trace order) into trace events, handed to `emit` as they are ready. */
export class PerfettoExporter {
  private readonly tree = new ProcessTree((pid) => this.named(pid));
  private readonly held = new Map<number, TraceEvent>();
  /** Events of the unnamed first process (or its threads), or null once named or given up. */
  private unnamed: TraceEvent[] | null = [];
  private readonly tgids = new Map<number, number>();
  private origin: [number, number] | undefined;
  private originText: string | undefined;
  /** Records that had no timestamp (and so no place on the timeline). */
  untimed = 0;
  /** Events emitted so far. */
  events = 0;

  /** `emit` receives each trace event once it is final. */
  constructor(private readonly emit: (e: TraceEvent) => void) {}

  /** The first timestamp (seconds), as printed; the timeline's zero. */
  get timeOrigin(): string | undefined {
    return this.originText;
  }

  private out(e: TraceEvent): void {
    if (this.unnamed && (e.pid === UNNAMED || e.tid === UNNAMED)) {
      this.unnamed.push(e);
      if (this.unnamed.length > UNNAMED_CAP) this.releaseUnnamed();
      return;
    }
    this.events++;
    this.emit(e);
  }

  /** The unnamed first process turned out to be `pid`: its waiting events, its held slice and
   *  its threads' process all take that pid. */
  private named(pid: number): void {
    const waiting = this.unnamed;
    if (!waiting) return;
    this.unnamed = null;
    const fix = (e: TraceEvent) => {
      if (e.pid === UNNAMED) e.pid = pid;
      if (e.tid === UNNAMED) e.tid = pid;
    };
    for (const e of waiting) {
      fix(e);
      this.out(e);
    }
    for (const e of this.held.values()) fix(e);
    const h = this.held.get(UNNAMED);
    if (h) {
      this.held.delete(UNNAMED);
      this.held.set(pid, h);
    }
    for (const [tid, tgid] of this.tgids) if (tgid === UNNAMED) this.tgids.set(tid, pid);
    const own = this.tgids.get(UNNAMED);
    if (own !== undefined) {
      this.tgids.delete(UNNAMED);
      this.tgids.set(pid, pid);
    }
  }

  /** Never named (a trace of one process without pids) or too long: emit under pid 0. */
  private releaseUnnamed(): void {
    const waiting = this.unnamed ?? [];
    this.unnamed = null;
    for (const e of waiting) this.out(e);
  }

  /** Takes in one record (records in trace order); call `finish` after the last. */
  add(r: TraceRecord): void {
    if (r.type === "diagnostic" || r.type === "summary") return;
    const tid = this.tree.add(r) ?? UNNAMED;
    // a task's process: the tree knows it while the task lives; its exit line comes after
    const tgid = r.type === "exit" ? (this.tgids.get(tid) ?? tid) : (this.tree.processOf(tid === UNNAMED ? null : tid) ?? UNNAMED);
    if (r.type !== "exit") this.tgids.set(tid, tgid);
    if (r.time === undefined) {
      if (r.type !== "message") this.untimed++;
      return;
    }
    const [whole, frac] = splitTime(r.time, r.timestamp);
    if (this.origin === undefined) {
      this.origin = [whole, frac];
      this.originText = r.timestamp ?? String(r.time);
    }
    const ts = round((whole - this.origin[0] + (frac - this.origin[1])) * 1e6);
    if (r.type === "syscall") this.slice(r, ts, tgid, tid);
    else if (r.type === "signal") {
      this.out({ name: r.signal, ph: "i", s: "t", cat: "signal", ts, pid: tgid, tid, ...(r.stopped ? { args: { stopped: true } } : {}) });
    } else if (r.type === "exit") {
      this.release(tid, ts);
      const name = r.how === "exited" ? `exited ${r.code}` : r.how === "killed" ? `killed by ${r.signal}` : "superseded";
      this.out({ name, ph: "i", s: "t", cat: "exit", ts, pid: tgid, tid });
      this.tgids.delete(tid);
    }
  }

  private slice(r: SyscallRecord, ts: number, pid: number, tid: number): void {
    const seconds = r.duration ?? (r.endTime !== undefined && r.time !== undefined ? r.endTime - r.time : 0);
    const args: Record<string, unknown> = { ret: r.ret, line: r.line };
    if (r.errno !== null) args.errno = r.errno;
    if (r.unfinished) args.unfinished = true;
    this.release(tid, ts);
    this.held.set(tid, { name: r.name, ph: "X", cat: "syscall", ts, dur: round(Math.max(0, seconds) * 1e6), pid, tid, args });
  }

  /** Emits the thread's held slice, cut so it ends no later than `next`. */
  private release(tid: number, next: number): void {
    const e = this.held.get(tid);
    if (!e) return;
    this.held.delete(tid);
    if (e.ts! + e.dur! > next) e.dur = round(Math.max(0, next - e.ts!));
    this.out(e);
  }

  /** Emits the held slices and the process and thread names. */
  finish(): void {
    for (const tid of [...this.held.keys()]) this.release(tid, Infinity);
    this.releaseUnnamed();
    const named = new Set<number>();
    for (const t of this.tree.nodes()) {
      const tid = t.pid ?? 0;
      const pid = t.tgid ?? tid;
      const name = this.nameOf(t);
      if (name === undefined) continue;
      if (!t.thread && !named.has(pid)) {
        named.add(pid);
        this.out({ name: "process_name", ph: "M", pid, tid: pid, args: { name } });
      }
      this.out({ name: "thread_name", ph: "M", pid, tid, args: { name: t.thread ? `${name} ${tid}` : name } });
    }
  }

  /** The program a task ran: its own execve, else its nearest ancestor's. */
  private nameOf(t: TaskNode): string | undefined {
    for (let n: TaskNode | undefined = t; n; n = this.tree.parentOf(n)) {
      if (n.exe !== undefined) return n.exe.slice(n.exe.lastIndexOf("/") + 1) || n.exe;
      if (n.argv?.[0]) return n.argv[0];
    }
    return undefined;
  }
}

/** The whole document for a list of events (small traces, tests); the CLI streams instead. */
export function perfettoJson(records: Iterable<TraceRecord>): { traceEvents: TraceEvent[]; displayTimeUnit: "ms"; otherData: { timeOrigin?: string } } {
  const traceEvents: TraceEvent[] = [];
  const x = new PerfettoExporter((e) => traceEvents.push(e));
  for (const r of records) x.add(r);
  x.finish();
  return { traceEvents, displayTimeUnit: "ms", otherData: x.timeOrigin !== undefined ? { timeOrigin: x.timeOrigin } : {} };
}
