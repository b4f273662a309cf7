// Shared helper for the "every input line becomes a record or a diagnostic" invariant.
// A record covers lines `line`..`endLine` (and `resumedLine` for merged calls); a diagnostic covers
// `line`. Several records may share a line (an Open call plus a glued message or diagnostic).

import type { TraceRecord } from "../../src/model/record.js";

/** Physical lines in `bytes`: one per `\n`, plus a last line without one. */
export function countLines(bytes: Uint8Array): number {
  let n = 0;
  let i = bytes.indexOf(10);
  while (i !== -1) {
    n++;
    i = bytes.indexOf(10, i + 1);
  }
  if (bytes.length > 0 && bytes[bytes.length - 1] !== 10) n++;
  return n;
}

export interface Coverage {
  /** Input lines no record covers (1-based), at most `limit` of them. */
  missing: number[];
  /** Records whose line numbers point outside 1..N (or are not positive integers). */
  outOfRange: TraceRecord[];
  lineCount: number;
}

/** Which input lines 1..N are not covered by `records`. Linear in N + records (ranges via a difference array). */
export function coverage(lineCount: number, records: Iterable<TraceRecord>, limit = 20): Coverage {
  const diff = new Int32Array(lineCount + 2);
  const outOfRange: TraceRecord[] = [];
  const mark = (a: number, b: number, r: TraceRecord) => {
    if (!Number.isInteger(a) || !Number.isInteger(b) || a < 1 || b < a || b > lineCount) {
      if (outOfRange.length < limit) outOfRange.push(r);
      return;
    }
    diff[a]++;
    diff[b + 1]--;
  };
  for (const r of records) {
    mark(r.line, r.endLine ?? r.line, r);
    const resumed = (r as { resumedLine?: number }).resumedLine;
    if (resumed !== undefined) mark(resumed, resumed, r);
  }
  const missing: number[] = [];
  let run = 0;
  for (let i = 1; i <= lineCount; i++) {
    run += diff[i];
    if (run <= 0 && missing.length < limit) missing.push(i);
  }
  return { missing, outOfRange, lineCount };
}

/** Throws (with the first missing lines) unless every line 1..N of `input` is covered by `records`. */
export function assertAccounted(input: Uint8Array | number, records: Iterable<TraceRecord>, what = "input"): void {
  const n = typeof input === "number" ? input : countLines(input);
  const c = coverage(n, records);
  if (c.missing.length > 0 || c.outOfRange.length > 0) {
    const brief = (r: TraceRecord) =>
      JSON.stringify({ type: r.type, line: r.line, endLine: r.endLine, resumedLine: (r as { resumedLine?: number }).resumedLine });
    throw new Error(
      `${what}: ${n} lines; not covered: [${c.missing.join(", ")}]` + (c.outOfRange.length ? `; out of range: ${c.outOfRange.map(brief).join(" ")}` : ""),
    );
  }
}

/** Incremental form for streams: feed records as they come, check at the end (memory O(N) Int32). */
export class LineAccount {
  private diff: Int32Array;
  private bad = 0;
  private firstBad: string | undefined;
  constructor(private readonly lineCount: number) {
    this.diff = new Int32Array(lineCount + 2);
  }
  add(r: TraceRecord): void {
    const mark = (a: number, b: number) => {
      if (!Number.isInteger(a) || !Number.isInteger(b) || a < 1 || b < a || b > this.lineCount) {
        this.bad++;
        this.firstBad ??= JSON.stringify({ type: r.type, line: r.line, endLine: r.endLine });
        return;
      }
      this.diff[a]++;
      this.diff[b + 1]--;
    };
    mark(r.line, r.endLine ?? r.line);
    const resumed = (r as { resumedLine?: number }).resumedLine;
    if (resumed !== undefined) mark(resumed, resumed);
  }
  /** Throws unless every line is covered. */
  check(what = "input"): void {
    const missing: number[] = [];
    let run = 0;
    for (let i = 1; i <= this.lineCount; i++) {
      run += this.diff[i];
      if (run <= 0 && missing.length < 20) missing.push(i);
    }
    if (missing.length || this.bad)
      throw new Error(`${what}: ${this.lineCount} lines; not covered: [${missing.join(", ")}]; ${this.bad} out of range ${this.firstBad ?? ""}`);
  }
}
