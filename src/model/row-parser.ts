// The fast path for counting consumers: bytes → the core's record rows (src/core/rows) → one
// reused lean record per row, with no record objects, stitcher or strings per line. The rows are
// the records TraceParser would give with `lean: true` (same order, same pid, time, name, ret
// class, errno and duration), for the lines the core models; at the first line it does not, the
// parser stops (`aborted`), and the caller reads the input again the full way, skipping the
// `released` records this one already gave (src/api/counting.ts does that for files).

import { RowField, RowFlag, RowKind, ScanMode } from "../core/abi.js";
import type { CoreEngine, RowsJsonTexts } from "../engine/core-engine.js";
import { syscallNumber, type Arch } from "../knowledge/index.js";
import { LineFeeder } from "../feeder.js";
import type { ParseCounts } from "../parser.js";
import { ColorStripper } from "./color.js";
import type { ArgNode } from "./record.js";
import { createsProcess } from "./unprefixed.js";

/** Caps the full reading would use (StitchOptions): the rows keep clear of them. */
const DEFAULT_MAX_HELD = 65536;
const DEFAULT_MAX_PENDING = 100000;
const TYPES = ["", "syscall", "signal", "exit", "message"] as const;

/** A lean record as the rows give it; one object, refilled for every row. */
export interface RowRecord {
  type: "syscall" | "signal" | "exit" | "message";
  pid: number | null;
  time: number | undefined;
  name: string;
  /** The return value when it is a plain decimal; NaN for any other value; null when it never returned. */
  ret: number | null;
  errno: string | null;
  duration: number | undefined;
  /** Input line of the record's first line. */
  line: number;
  /** Set on a resumed half whose start was never seen (undefined otherwise, as on records). */
  resumed: true | undefined;
  /** Rows carry no arguments, only what sequences read of them: a clone call whose arguments hold
   *  CLONE_THREAD has that one identifier here (what src/seq/clone.ts looks for); others none. */
  args: readonly ArgNode[];
}

/** RowRecord.args of a call without CLONE_THREAD, and of a clone with it. */
export const NO_ARGS: readonly ArgNode[] = Object.freeze([]);
export const THREAD_ARGS: readonly ArgNode[] = Object.freeze([Object.freeze({ kind: "ident", name: "CLONE_THREAD" } as ArgNode)]);

/** A lean record to refill for every row (or anything else that gives records one at a time). */
export function blankRowRecord(): RowRecord {
  return { type: "syscall", pid: null, time: undefined, name: "", ret: null, errno: null, duration: undefined, line: 0, resumed: undefined, args: NO_ARGS };
}

/** Options: the pid of unprefixed lines (an `-ff` file's) and the stitcher's caps. */
export interface RowParserOptions {
  pid?: number;
  maxHeld?: number;
  maxPending?: number;
  /** Rows carry their record's JSON (src/core/rows/json.ts), given to `onJson` as JSON Lines
   *  instead of records to `onRecord`; `arch` numbers the calls (`nr`). The scan is then a full
   *  one: the JSON needs the arguments. */
  json?: RowsJsonTexts & { arch: Arch; onJson: (lines: Uint8Array) => void };
  /** Rows go here a batch at a time instead of to `onRecord` one reused record at a time (for
   *  consumers that count straight from the core's memory: TraceStats.addRows). */
  onRows?: (batch: RowBatch) => void;
  /** The input starts after this many lines of a trace (rows made from a mid-way hand-back):
   *  records and quiet points are numbered on from it. */
  lineBase?: number;
}

/** Where the full reading may take over (see RowsView): input offset and line number of the
 *  boundary, and what the rows had given and counted before it. */
export interface QuietPoint {
  offset: number;
  line: number;
  records: number;
  diagnostics: number;
  /** The full reading needs a stand-in owner for -k frames there (one extra record to skip). */
  owner: boolean;
}

const START: QuietPoint = { offset: 0, line: 0, records: 0, diagnostics: 0, owner: false };

export class RowParser {
  /** The last quiet point whose records were all given (the input's start until one is seen). */
  quiet: QuietPoint = START;
  /** Lines, records and diagnostics so far (meaningful when not aborted). */
  readonly counts: ParseCounts = { lines: 0, records: 0, diagnostics: 0, bytes: 0 };
  /** Set once the core met a line it does not model; nothing more is given after it. */
  aborted = false;
  /** Once aborted: the line (counted from the trace's start) the rows stopped at, when known. */
  abortLine = Infinity;
  private readonly lineBase: number;
  private readonly feeder: LineFeeder;
  private readonly color = new ColorStripper();
  private names: string[] = [];
  private pendingQuiet: QuietPoint | undefined;
  private readonly rec: RowRecord = blankRowRecord();

  private readonly json: RowParserOptions["json"];
  private readonly onRows: RowParserOptions["onRows"];

  /** `onRecord` receives the reused record (copy what it keeps); with `opts.json`, none. */
  constructor(
    private readonly engine: CoreEngine,
    opts: RowParserOptions,
    private readonly onRecord: (r: RowRecord) => void,
  ) {
    this.json = opts.json;
    this.onRows = opts.onRows;
    this.lineBase = opts.lineBase ?? 0;
    this.quiet = { ...START, line: this.lineBase };
    const ok = engine.rowsReset(opts.pid ?? -1, opts.maxHeld ?? DEFAULT_MAX_HELD, opts.maxPending ?? DEFAULT_MAX_PENDING, opts.json);
    if (!ok) this.aborted = true;
    else if (this.lineBase > 0) engine.rowsSetLineBase(this.lineBase);
    // counting rows read no arguments: the scanner may skip their lists (src/core/scan/shallow.ts)
    // and read the common call lines straight into their fields (src/core/scan/row-line.ts)
    const mode = opts.json ? ScanMode.Full : ScanMode.Rows;
    const scanner = { name: engine.name, scan: (chunk: Uint8Array, final: boolean) => engine.scan(chunk, final, mode) };
    this.feeder = new LineFeeder(scanner, (batch) => this.rows(batch.lineCount, false, batch.consumed));
  }

  /** Diagnostics counted so far (counts.diagnostics is set at the end). */
  diagnosticsSoFar(): number {
    return this.engine.rowsDiagnostics();
  }

  /** Feeds a chunk; false once aborted. */
  push(chunk: Uint8Array): boolean {
    if (this.aborted) return false;
    const plain = this.color.strip(chunk, this.counts.lines);
    // strace --color sequences are put back onto records by the full reading only
    if (this.color.removed > 0) return this.abort();
    this.feeder.push(plain);
    this.counts.bytes = this.feeder.bytes;
    return !this.aborted;
  }

  /** Ends the input; false if aborted. */
  end(): boolean {
    if (this.aborted) return false;
    const held = this.color.flush();
    if (held) this.feeder.push(held);
    if (this.color.removed > 0) return this.abort();
    this.feeder.end();
    if (!this.aborted) this.rows(0, true, 0);
    this.counts.bytes = this.feeder.bytes;
    this.counts.diagnostics = this.engine.rowsDiagnostics();
    return !this.aborted;
  }

  private abort(): false {
    this.aborted = true;
    return false;
  }

  /** The batch's rows: with JSON, in as many calls as new names need numbering. */
  private rows(lineCount: number, final: boolean, consumed: number): void {
    if (this.aborted) return;
    for (;;) {
      this.rowsOnce(lineCount, final, consumed);
      if (this.aborted || !this.engine.rowsNeedNames()) break;
    }
    if (!this.aborted) this.counts.lines += lineCount;
    // every record before the batch's quiet point has now been given
    if (this.pendingQuiet) {
      this.quiet = this.pendingQuiet;
      this.pendingQuiet = undefined;
    }
  }

  private rowsOnce(lineCount: number, final: boolean, consumed: number): void {
    const view = this.engine.buildRows(lineCount, final);
    const stop = this.engine.rowsAbort();
    if (stop.reason !== 0) {
      this.aborted = true;
      this.abortLine = this.lineBase + this.counts.lines + stop.line + 1;
    }
    const recordsBefore = this.counts.records;
    if (view.quietLine >= 0 && !final) {
      const at = view.quietOffset >= 0 ? view.quietOffset : consumed;
      this.pendingQuiet = {
        offset: this.feeder.scanned + at,
        line: this.lineBase + this.counts.lines + view.quietLine,
        records: recordsBefore + view.quietRows,
        diagnostics: view.quietDiagnostics,
        owner: view.quietOwner,
      };
    }
    const fresh = this.engine.rowNames(this.names.length);
    if (fresh.length > 0) {
      if (this.json) {
        // each name's `nr`, as the full reading's numbering gives it (no personality changes here)
        for (let i = 0; i < fresh.length; i++) this.engine.rowsSetNr(this.names.length + i, syscallNumber(fresh[i]!, this.json.arch) ?? -1);
      }
      this.names = this.names.concat(fresh);
    }
    if (this.json) {
      this.counts.records += view.count;
      this.json.onJson(this.engine.rowsJson());
      return;
    }
    const batch: RowBatch = { count: view.count, i32: view.i32, f64: view.f64, names: this.names, source: this };
    // a fork or clone whose pid is not a plain decimal: the full reading reads it (as intValue),
    // from this row on
    for (let r = 0; r < batch.count; r++) {
      if (!readsAsPidless(batch, r)) continue;
      this.aborted = true;
      this.abortLine = batch.i32[r * ROW_I32 + (RowField.Line >>> 2)]!;
      // (not every record before the batch's quiet point was given: the last one stands)
      this.pendingQuiet = undefined;
      batch.count = r;
    }
    this.counts.records += batch.count;
    if (this.onRows) {
      this.onRows(batch);
      return;
    }
    const rec = this.rec;
    for (let r = 0; r < batch.count; r++) {
      readRow(rec, batch, r);
      this.onRecord(rec);
    }
  }
}

/** Rows the core released, read with RowField offsets (ROW_I32 / ROW_F64 elements a row), for
 *  consumers that count straight from them (TraceStats.addRows); `names` decodes name and errno
 *  ids, which stay the same for one `source` (one RowParser: one input from one point). */
export interface RowBatch {
  count: number;
  i32: Int32Array;
  f64: Float64Array;
  names: readonly string[];
  source: object;
}

/** Int32 and Float64 elements per row. */
export const ROW_I32 = RowField.Bytes >>> 2;
export const ROW_F64 = RowField.Bytes >>> 3;

/** Whether a row's return value stands (a plain decimal, or an errno, or no value at all): as the
 *  lean record's `ret` reads it, null when it never returned. */
export function rowRet(b: RowBatch, r: number): number | null {
  const flags = b.i32[r * ROW_I32]!;
  const ret = b.f64[r * ROW_F64 + (RowField.Ret >>> 3)]!;
  return flags & RowFlag.Returned && (ret === ret || b.i32[r * ROW_I32 + (RowField.Errno >>> 2)]! < 0) ? ret : null;
}

/** Fills `rec` with row `r` of `b`. */
export function readRow(rec: RowRecord, b: RowBatch, r: number): void {
  const { i32, f64, names } = b;
  const at = r * ROW_I32;
  const flags = i32[at]!;
  const name = i32[at + (RowField.Name >>> 2)]!;
  const errno = i32[at + (RowField.Errno >>> 2)]!;
  const pid = i32[at + (RowField.Pid >>> 2)]!;
  rec.type = TYPES[flags & RowFlag.KindMask] as RowRecord["type"];
  rec.pid = pid < 0 ? null : pid;
  rec.time = flags & RowFlag.HasTime ? f64[r * ROW_F64 + (RowField.Time >>> 3)] : undefined;
  rec.duration = flags & RowFlag.HasDuration ? f64[r * ROW_F64 + (RowField.Duration >>> 3)] : undefined;
  rec.name = name < 0 ? "" : names[name]!;
  rec.errno = errno < 0 ? null : names[errno]!;
  rec.line = i32[at + (RowField.Line >>> 2)]!;
  rec.resumed = flags & RowFlag.Resumed ? true : undefined;
  rec.args = flags & RowFlag.CloneThread ? THREAD_ARGS : NO_ARGS;
  rec.ret = rowRet(b, r);
}

/** A fork or clone that returned something other than a plain decimal (the rows stop there). */
function readsAsPidless(b: RowBatch, r: number): boolean {
  const flags = b.i32[r * ROW_I32]!;
  if ((flags & RowFlag.KindMask) !== RowKind.Syscall) return false;
  const ret = b.f64[r * ROW_F64 + (RowField.Ret >>> 3)]!;
  if (ret === ret || rowRet(b, r) === null) return false;
  return createsProcess(b.names[b.i32[r * ROW_I32 + (RowField.Name >>> 2)]!] ?? "");
}
