// Trace statistics computed in one pass over records (the CLI's `stats`, the web page's summary).

import type { ParseCounts } from "../parser.js";
import type { TraceRecord } from "./record.js";
import { UnprefixedPids } from "./unprefixed.js";

/** What TraceStats counted, as the CLI's `stats --json` prints it. */
export interface StatsResult {
  /** Input lines read. */
  lines: number;
  /** Records produced. */
  records: number;
  /** Diagnostic records among them. */
  diagnostics: number;
  /** System calls. */
  syscallCount: number;
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
  /** Per syscall name, most called first: calls, failures and -T seconds. */
  syscalls: Record<string, { calls: number; errors: number; seconds: number }>;
  /** Failures per errno name, most frequent first. */
  errnos: Record<string, number>;
}

/** Counts syscalls, errors, processes, signals and time span in one pass over records, in bounded memory. */
export class TraceStats {
  private readonly calls = new Map<string, { calls: number; errors: number; seconds: number }>();
  private readonly errnos = new Map<string, number>();
  private readonly pids = new Set<number | null>();
  private readonly unprefixed = new UnprefixedPids();
  private syscallCount = 0;
  private errorCount = 0;
  private signals = 0;
  private timeStart: number | null = null;
  private timeEnd: number | null = null;

  /** Counts one record (diagnostics and -c tables are not counted). */
  add(r: TraceRecord): void {
    if (r.type === "diagnostic" || r.type === "summary") return;
    // unprefixed records of a -f trace on stderr count as the process they belong to
    const { pid } = this.unprefixed.see(r);
    if (pid !== null) this.pids.add(pid);
    if (r.time !== undefined) {
      if (this.timeStart === null || r.time < this.timeStart) this.timeStart = r.time;
      if (this.timeEnd === null || r.time > this.timeEnd) this.timeEnd = r.time;
    }
    if (r.type === "signal") this.signals++;
    if (r.type !== "syscall") return;
    this.syscallCount++;
    let c = this.calls.get(r.name);
    if (!c) this.calls.set(r.name, (c = { calls: 0, errors: 0, seconds: 0 }));
    c.calls++;
    if (r.duration !== undefined) c.seconds += r.duration;
    // strace -c counts a call as an error when it returned -1 with an errno
    if (r.errno !== null) {
      c.errors++;
      this.errorCount++;
      this.errnos.set(r.errno, (this.errnos.get(r.errno) ?? 0) + 1);
    }
  }

  /** The counts so far, with the parse's own line and record counts. */
  result(counts: ParseCounts): StatsResult {
    const syscalls: StatsResult["syscalls"] = {};
    for (const [k, v] of [...this.calls].sort((a, b) => b[1].calls - a[1].calls || (a[0] < b[0] ? -1 : 1))) syscalls[k] = v;
    return {
      lines: counts.lines,
      records: counts.records,
      diagnostics: counts.diagnostics,
      syscallCount: this.syscallCount,
      errorCount: this.errorCount,
      processes: this.pids.size,
      signals: this.signals,
      timeStart: this.timeStart,
      timeEnd: this.timeEnd,
      syscalls,
      errnos: Object.fromEntries([...this.errnos].sort((a, b) => b[1] - a[1])),
    };
  }

  /** A strace -c style text table of calls and errors per syscall, most called first. */
  table(): string {
    const rows = [...this.calls].sort((a, b) => b[1].calls - a[1].calls);
    let s = "    calls    errors syscall\n--------- --------- ----------------\n";
    for (const [name, c] of rows) s += `${String(c.calls).padStart(9)} ${(c.errors ? String(c.errors) : "").padStart(9)} ${name}\n`;
    s += "--------- --------- ----------------\n";
    s += `${String(this.syscallCount).padStart(9)} ${String(this.errorCount).padStart(9)} total\n`;
    return s;
  }
}
