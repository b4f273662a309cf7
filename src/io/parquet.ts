// Records as Parquet: one flat row per record, written in row groups of a fixed number of rows, so
// memory is bounded by one row group whatever the trace's size. The bytes go to a sink as each row
// group is written (a file in Node, an array of parts for a Blob in browsers).
// The writer is hyparquet-writer (pure JavaScript, runs in both).
//
// Columns (docs/scale.md has the full table): type, pid, time, duration, name, nr, ret, ret_text,
// errno, args (the arguments as JSON text, exactly JSONL's `args`), paths and fds (lists, from the
// syscall table as `Syscall.paths()` / `fds()` give them), signal, exit_code, line, end_line, file.
// Arguments are stored as plain UTF-8 text rather than hyparquet-writer's JSON column type, which
// would stringify the already written JSON a second time.

import { ByteWriter, ParquetWriter, type ColumnSource, type SchemaElement } from "hyparquet-writer";
import type { TraceRecord } from "../model/record.js";
import { Syscall } from "../model/trace.js";

/** Rows per row group: ~64 K rows keep a group's strings to tens of MB while readers still get large groups. */
export const PARQUET_ROW_GROUP = 65_536;

const utf8 = (name: string, required = false): SchemaElement => ({
  name,
  type: "BYTE_ARRAY",
  converted_type: "UTF8",
  repetition_type: required ? "REQUIRED" : "OPTIONAL",
});
const int32Column = (name: string, required = false): SchemaElement => ({ name, type: "INT32", repetition_type: required ? "REQUIRED" : "OPTIONAL" });
const double = (name: string): SchemaElement => ({ name, type: "DOUBLE", repetition_type: "OPTIONAL" });
/** The standard three-level LIST: `name` (LIST) > `list` (repeated) > `element`. */
const list = (name: string, element: SchemaElement): SchemaElement[] => [
  { name, repetition_type: "OPTIONAL", num_children: 1, converted_type: "LIST" },
  { name: "list", repetition_type: "REPEATED", num_children: 1 },
  { ...element, name: "element", repetition_type: "REQUIRED" },
];

/** The columns in order; every file strace-seq writes has exactly this schema. */
const COLUMNS: SchemaElement[][] = [
  [utf8("type", true)],
  [int32Column("pid")],
  [double("time")],
  [double("duration")],
  [utf8("name")],
  [int32Column("nr")],
  [{ name: "ret", type: "INT64", repetition_type: "OPTIONAL" }],
  [utf8("ret_text")],
  [utf8("errno")],
  [utf8("args")],
  list("paths", utf8("element")),
  list("fds", int32Column("element")),
  [utf8("signal")],
  [int32Column("exit_code")],
  [int32Column("line", true)],
  [int32Column("end_line")],
  [utf8("file")],
];

/** Top-level column names, in file order. */
export const PARQUET_COLUMNS: string[] = COLUMNS.map((c) => c[0].name);
/** The full Parquet schema as written: the `root` element, then every column's elements in order (LIST columns as three levels). */
export const PARQUET_SCHEMA: SchemaElement[] = [{ name: "root", num_children: COLUMNS.length }, ...COLUMNS.flat()];

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** A value for an INT32 column, or null when it does not fit one: a `-n` number no table gives,
 *  an fd printed unsigned (`-X raw`: 4294967295) stay in `args`, and the file is still written. */
function int32(v: number | null | undefined): number | null {
  return typeof v === "number" && Number.isInteger(v) && v >= -0x80000000 && v <= 0x7fffffff ? v : null;
}

/** A return value as INT64: numbers, and the decimal strings beyond 2^53 that fit; else null. */
function retInt64(ret: number | string | null): bigint | null {
  if (ret === null) return null;
  if (typeof ret === "number") return Number.isSafeInteger(ret) ? BigInt(ret) : null;
  if (!/^-?\d+$/.test(ret)) return null;
  const v = BigInt(ret);
  return v >= INT64_MIN && v <= INT64_MAX ? v : null;
}

/** A `Writer` for ParquetWriter that hands its bytes to a sink after every row group. */
class SinkWriter extends ByteWriter {
  constructor(private readonly sink: (bytes: Uint8Array) => void | Promise<void>) {
    super(1 << 20);
  }
  flush(): void | Promise<void> {
    if (this.index === 0) return;
    // a copy: the buffer is reused for the next row group
    const bytes = new Uint8Array(this.buffer, 0, this.index).slice();
    this.index = 0;
    return this.sink(bytes);
  }
  override finish(): void | Promise<void> {
    return this.flush();
  }
}

/** Writes records as Parquet rows; `add` them in order, `await flushed()` for backpressure, then `finish()`. */
export class ParquetRecordWriter {
  private readonly writer: ParquetWriter;
  private cols: unknown[][] = COLUMNS.map(() => []);
  private rows = 0;
  private pending: Promise<void> | undefined;
  /** Rows written so far. */
  written = 0;

  /** `sink` gets the file's bytes in order; it may return a promise (then writes wait for it).
   *  `defaultFile` fills the `file` column of records that carry none. */
  constructor(
    sink: (bytes: Uint8Array) => void | Promise<void>,
    private readonly opts: { rowGroup?: number; defaultFile?: string } = {},
  ) {
    this.writer = new ParquetWriter({ writer: new SinkWriter(sink), schema: PARQUET_SCHEMA, createdBy: "strace-seq (hyparquet-writer)" });
  }

  /** Adds one record (records need typed `args`: parse without `argsJson`). */
  add(r: TraceRecord): void {
    const c = this.cols;
    const call = r.type === "syscall" ? r : undefined;
    const sc = call ? new Syscall(call) : undefined;
    c[0].push(r.type);
    c[1].push(int32(r.pid));
    c[2].push(r.time ?? null);
    c[3].push(call?.duration ?? null);
    c[4].push(call ? call.name : null);
    c[5].push(int32(call?.nr));
    c[6].push(call ? retInt64(call.ret) : null);
    c[7].push(call ? (call.retText ?? (call.ret === null ? null : String(call.ret))) : null);
    c[8].push(call ? call.errno : null);
    c[9].push(call ? JSON.stringify(call.args) : null);
    c[10].push(sc ? sc.paths() : null);
    // (the list's elements are required: an fd no INT32 holds is left out, as fds() leaves out -1)
    c[11].push(sc ? sc.fds().filter((fd) => int32(fd) !== null) : null);
    c[12].push(r.type === "signal" || r.type === "exit" ? (r.signal ?? null) : null);
    c[13].push(r.type === "exit" ? int32(r.code) : null);
    c[14].push(r.line);
    c[15].push(int32(r.endLine));
    c[16].push(r.file ?? this.opts.defaultFile ?? null);
    if (++this.rows >= (this.opts.rowGroup ?? PARQUET_ROW_GROUP)) this.writeGroup();
  }

  private writeGroup(): void {
    if (this.rows === 0) return;
    // min/max statistics of long JSON text help no reader's pruning and cost string comparisons
    const columnData: ColumnSource[] = PARQUET_COLUMNS.map((name, i) => ({
      name,
      data: this.cols[i] as ColumnSource["data"],
      ...(name === "args" ? { statistics: false } : {}),
    }));
    const rows = this.rows;
    this.cols = COLUMNS.map(() => []);
    this.rows = 0;
    const done = () => this.writer.write({ columnData, rowGroupSize: rows });
    this.pending = this.pending ? this.pending.then(done) : (done() ?? undefined);
    this.written += rows;
  }

  /** Resolves when the bytes of the row groups written so far have reached the sink. */
  async flushed(): Promise<void> {
    const p = this.pending;
    this.pending = undefined;
    await p;
  }

  /** Writes the last row group and the footer. */
  async finish(): Promise<void> {
    this.writeGroup();
    await this.flushed();
    await this.writer.finish();
  }
}
