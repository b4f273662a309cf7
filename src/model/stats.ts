// Trace statistics computed in one pass over records (the CLI's `stats`, the web page's summary).

import type { ParseCounts } from "../parser.js";
import type { SyscallRecord, TraceRecord } from "./record.js";
import { RowField, RowFlag, RowKind } from "../core/abi.js";
import { ROW_F64, ROW_I32, type RowBatch } from "./row-parser.js";
import { LatencyStats, nanosOf, type DigestState, type DurationDigest, type LatencySummary } from "../analyze/latency.js";

/** One syscall's counts; `latency` only when some of its calls carried a -T duration. */
export interface SyscallStats {
  /** Calls that returned (unreturned ones are not counted, as in strace -c). */
  calls: number;
  /** Calls among them that failed with an errno. */
  errors: number;
  /** Sum of -T durations (0 without -T). */
  seconds: number;
  /** Latency of its calls that carried a -T duration (seconds). */
  latency?: LatencySummary;
}

/** One syscall's running counts; `timing` is its latency digest, kept here so a call costs one lookup. */
interface CallCounts {
  calls: number;
  errors: number;
  /** Sum of -T durations in whole nanoseconds (exact in any order: see nanosOf). */
  nanos: number;
  timing: DurationDigest | undefined;
}

/** What TraceStats counted, as the CLI's `stats --json` prints it. */
export interface StatsResult {
  /** Input lines read. */
  lines: number;
  /** Records produced. */
  records: number;
  /** Diagnostic records among them. */
  diagnostics: number;
  /** System calls that returned (what strace -c counts). */
  syscallCount: number;
  /** System calls that never returned (`= ?`, killed inside, left unfinished): records, and
   *  sequence symbols, but not counted in `syscallCount` or any `calls`, as strace -c does. */
  unreturned: number;
  /** Calls that failed with an errno. */
  errorCount: number;
  /** Distinct processes and threads (unprefixed lines of a -f trace counted as the one they belong to). */
  processes: number;
  /** Signal records. */
  signals: number;
  /** First and last timestamp seen (seconds), when the trace has timestamps. */
  timeStart: number | null;
  /** See `timeStart`. */
  timeEnd: number | null;
  /** Per syscall name, most called first: calls, failures, -T seconds and latency. */
  syscalls: Record<string, SyscallStats>;
  /** Failures per errno name, most frequent first. */
  errnos: Record<string, number>;
}

/** TraceStats.state(): per name [name, calls, errors, nanoseconds, latency digest]. */
export interface StatsState {
  calls: [string, number, number, number, DigestState | null][];
  errnos: [string, number][];
  pids: number[];
  syscallCount: number;
  unreturned: number;
  errorCount: number;
  signals: number;
  timeStart: number | null;
  timeEnd: number | null;
}

/** Bytes of TraceStats' bitmap of pids seen: one bit for each pid below 2^22 (Linux's largest
 *  pid_max); larger numbers go to the Set directly. */
const SEEN_PIDS_BYTES = (1 << 22) >>> 3;

/** Counts syscalls, errors, processes, signals and time span in one pass over records, in bounded memory. */
export class TraceStats {
  private readonly calls = new Map<string, CallCounts>();
  private readonly errnos = new Map<string, number>();
  private readonly latency = new LatencyStats();
  private readonly pids = new Set<number | null>();
  private syscallCount = 0;
  private unreturned = 0;
  private errorCount = 0;
  private signals = 0;
  /** First and last timestamp seen; ±Infinity before the first (doubles from the start, so
   *  V8 keeps them unboxed: a field that held null boxed every new time, ~1 M allocations per
   *  100 MB of trace). result() and state() give null for none. */
  private timeStart = Infinity;
  private timeEnd = -Infinity;
  /** Pids addRows has put in `pids`, one bit each (pid_max is at most 2^22): a row costs a bit
   *  test instead of a Set lookup. Made on the first batch. */
  private seenPids: Uint8Array | undefined;
  /** Counts by the rows' name ids for `rowSource` (addRows), so a row costs no Map lookup. */
  private byId: (CallCounts | undefined)[] = [];
  private rowSource: object | undefined;

  /** Counts one record (diagnostics and -c tables are not counted). */
  add(r: TraceRecord): void {
    if (r.type === "diagnostic" || r.type === "summary") return;
    // (an unprefixed record of a -f trace stands for a process whose pid shows elsewhere in the
    // trace, UnprefixedPids, so the distinct pids are those the records carry)
    if (r.pid !== null) this.pids.add(r.pid);
    if (r.time !== undefined) {
      if (r.time < this.timeStart) this.timeStart = r.time;
      if (r.time > this.timeEnd) this.timeEnd = r.time;
    }
    if (r.type === "signal") this.signals++;
    if (r.type !== "syscall") return;
    // strace -c counts a call when it returns: one that never did (`= ?`: exit_group, a call its
    // process was killed inside, one left unfinished) stays a record but is not in `calls`
    if (!returned(r)) {
      this.unreturned++;
      return;
    }
    this.syscallCount++;
    const c = this.counts(r.name);
    c.calls++;
    if (r.duration !== undefined) {
      c.nanos += nanosOf(r.duration);
      (c.timing ??= this.latency.digest(r.name)).add(r.duration);
    }
    // strace -c counts a call as an error when it returned -1 with an errno
    if (r.errno !== null) {
      c.errors++;
      this.errorCount++;
      this.errnos.set(r.errno, (this.errnos.get(r.errno) ?? 0) + 1);
    }
  }

  /** Counts a batch of the core's record rows as add() counts the records they stand for, read
   *  straight from the rows (no record per row). */
  addRows(b: RowBatch): void {
    if (b.source !== this.rowSource) {
      this.rowSource = b.source;
      this.byId = [];
    }
    const { i32, f64 } = b;
    const seen = (this.seenPids ??= new Uint8Array(SEEN_PIDS_BYTES));
    let timeStart = this.timeStart;
    let timeEnd = this.timeEnd;
    for (let r = 0; r < b.count; r++) {
      const at = r * ROW_I32;
      const flags = i32[at]!;
      const pid = i32[at + (RowField.Pid >>> 2)]!;
      if (pid >= 0) {
        const byte = pid >>> 3;
        const bit = 1 << (pid & 7);
        if (byte >= SEEN_PIDS_BYTES) this.pids.add(pid);
        else if ((seen[byte]! & bit) === 0) {
          seen[byte] = seen[byte]! | bit;
          this.pids.add(pid);
        }
      }
      if (flags & RowFlag.HasTime) {
        const t = f64[r * ROW_F64 + (RowField.Time >>> 3)]!;
        if (t < timeStart) timeStart = t;
        if (t > timeEnd) timeEnd = t;
      }
      const kind = flags & RowFlag.KindMask;
      if (kind === RowKind.Signal) this.signals++;
      if (kind !== RowKind.Syscall) continue;
      const errno = i32[at + (RowField.Errno >>> 2)]!;
      // (rowRet(b, r) === null for a row without an errno: it has no Returned flag)
      if (errno < 0 && (flags & RowFlag.Returned) === 0) {
        this.unreturned++;
        continue;
      }
      this.syscallCount++;
      const id = i32[at + (RowField.Name >>> 2)]!;
      let c = this.byId[id];
      if (!c) c = this.byId[id] = this.counts(b.names[id] ?? "");
      c.calls++;
      if (flags & RowFlag.HasDuration) {
        const d = f64[r * ROW_F64 + (RowField.Duration >>> 3)]!;
        c.nanos += nanosOf(d);
        (c.timing ??= this.latency.digest(b.names[id] ?? "")).add(d);
      }
      if (errno >= 0) {
        c.errors++;
        this.errorCount++;
        const e = b.names[errno]!;
        this.errnos.set(e, (this.errnos.get(e) ?? 0) + 1);
      }
    }
    this.timeStart = timeStart;
    this.timeEnd = timeEnd;
  }

  private counts(name: string): CallCounts {
    let c = this.calls.get(name);
    if (!c) this.calls.set(name, (c = { calls: 0, errors: 0, nanos: 0, timing: undefined }));
    return c;
  }

  /** The counts as plain data, to merge into another TraceStats (merge) in another process. */
  state(): StatsState {
    return {
      calls: [...this.calls].map(([name, c]) => [name, c.calls, c.errors, c.nanos, c.timing ? c.timing.state() : null]),
      errnos: [...this.errnos],
      pids: [...this.pids] as number[],
      syscallCount: this.syscallCount,
      unreturned: this.unreturned,
      errorCount: this.errorCount,
      signals: this.signals,
      timeStart: this.timeSeen() ? this.timeStart : null,
      timeEnd: this.timeSeen() ? this.timeEnd : null,
    };
  }

  private timeSeen(): boolean {
    return this.timeStart <= this.timeEnd;
  }

  /** Adds the counts of the records that followed these (another TraceStats' state()): the
   *  result is what counting them all here in order gives, because every sum is of integers and
   *  the maps take new names in the order they first appear. */
  merge(o: StatsState): void {
    for (const [name, calls, errors, nanos, timing] of o.calls) {
      const c = this.counts(name);
      c.calls += calls;
      c.errors += errors;
      c.nanos += nanos;
      if (timing) (c.timing ??= this.latency.digest(name)).merge(timing);
    }
    for (const [e, n] of o.errnos) this.errnos.set(e, (this.errnos.get(e) ?? 0) + n);
    for (const p of o.pids) this.pids.add(p);
    this.syscallCount += o.syscallCount;
    this.unreturned += o.unreturned;
    this.errorCount += o.errorCount;
    this.signals += o.signals;
    if (o.timeStart !== null && o.timeStart < this.timeStart) this.timeStart = o.timeStart;
    if (o.timeEnd !== null && o.timeEnd > this.timeEnd) this.timeEnd = o.timeEnd;
  }

  /** The counts so far, with the parse's own line and record counts. */
  result(counts: ParseCounts): StatsResult {
    const syscalls: StatsResult["syscalls"] = {};
    for (const [k, v] of [...this.calls].sort((a, b) => b[1].calls - a[1].calls || (a[0] < b[0] ? -1 : 1))) {
      const latency = this.latency.get(k);
      const counts = { calls: v.calls, errors: v.errors, seconds: v.nanos / 1e9 };
      syscalls[k] = latency ? { ...counts, latency } : counts;
    }
    return {
      lines: counts.lines,
      records: counts.records,
      diagnostics: counts.diagnostics,
      syscallCount: this.syscallCount,
      unreturned: this.unreturned,
      errorCount: this.errorCount,
      processes: this.pids.size,
      signals: this.signals,
      timeStart: this.timeSeen() ? this.timeStart : null,
      timeEnd: this.timeSeen() ? this.timeEnd : null,
      syscalls,
      errnos: Object.fromEntries([...this.errnos].sort((a, b) => b[1] - a[1])),
    };
  }

  /** `strace -c`'s table: with -T durations, `% time`, seconds and usecs/call sorted by time, plus
   *  min, p50, p99 and max in microseconds; without them, calls and errors by count. */
  table(): string {
    if (this.latency.keys().length > 0) return this.timedTable();
    const rows = [...this.calls].sort((a, b) => b[1].calls - a[1].calls);
    let s = "    calls    errors syscall\n--------- --------- ----------------\n";
    for (const [name, c] of rows) s += `${String(c.calls).padStart(9)} ${(c.errors ? String(c.errors) : "").padStart(9)} ${name}\n`;
    s += "--------- --------- ----------------\n";
    s += `${String(this.syscallCount).padStart(9)} ${String(this.errorCount).padStart(9)} total\n`;
    return s;
  }

  private timedTable(): string {
    const total = this.latency.total;
    const rows = [...this.calls].sort((a, b) => b[1].nanos - a[1].nanos || b[1].calls - a[1].calls || (a[0] < b[0] ? -1 : 1));
    const us = (v: number) => String(Math.round(v * 1e6)).padStart(9);
    const rule = "------ ----------- ----------- --------- --------- --------- --------- --------- --------- ----------------\n";
    let s = "% time     seconds  usecs/call     calls    errors       min       p50       p99       max syscall\n" + rule;
    for (const [name, c] of rows) {
      const l = this.latency.get(name);
      const seconds = c.nanos / 1e9;
      const pct = total > 0 ? (100 * seconds) / total : 0;
      const perCall = l ? String(Math.round((l.total / l.timed) * 1e6)).padStart(11) : "".padStart(11);
      const spread = l ? `${us(l.min)} ${us(l.p50)} ${us(l.p99)} ${us(l.max)}` : "".padStart(39);
      s += `${pct.toFixed(2).padStart(6)} ${seconds.toFixed(6).padStart(11)} ${perCall} ${String(c.calls).padStart(9)} ${(c.errors ? String(c.errors) : "").padStart(9)} ${spread} ${name}\n`;
    }
    s += rule;
    let timed = 0;
    for (const k of this.latency.keys()) timed += (this.latency.get(k) as LatencySummary).timed;
    const perCall = timed > 0 ? String(Math.round((total / timed) * 1e6)) : "";
    s += `100.00 ${total.toFixed(6).padStart(11)} ${perCall.padStart(11)} ${String(this.syscallCount).padStart(9)} ${String(this.errorCount).padStart(9)} ${"".padStart(39)} total\n`;
    return s;
  }
}

/** Whether strace -c would count this call: it returned, with a value or an error. A bare `?`
 *  never returned (exit_group, a call its process was killed inside, one left unfinished);
 *  `? ERESTARTSYS (...)` did, with an error, to be restarted. */
export function returned(r: SyscallRecord): boolean {
  return r.ret !== null || r.errno !== null;
}
