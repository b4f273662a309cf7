// An engine over one instance of the core, WASM or TS alike: copies each chunk into the core's
// input region (the one copy), runs scanChunk, and hands out Int32Array views of the line and
// node tables straight over the core's memory. The two engines differ only in their instance.

import { ArgsJsonField, LineField, NodeField, RowField, ScanMode } from "../core/abi.js";
import type { ArgsJsonTable, Engine, RowsView, ScanBatch } from "./types.js";
import { CoreStatus } from "./core-exports.js";
import { HostText } from "../core/rows/layout.js";
import type { Caps, CoreInstance } from "./core-instance.js";

/** The texts JSON rows splice into every record (src/core/rows/json.ts): `,"file":...` when
 *  records name their file, and `,"schema":...` for the first record. */
export interface RowsJsonTexts {
  fileKey?: Uint8Array;
  stamp: Uint8Array;
}

const MIN_INPUT = 64 * 1024;
/** Typical strace output averages ~100-190 bytes a line and well under one node per 4 bytes. */
const BYTES_PER_LINE_GUESS = 64;
const BYTES_PER_NODE_GUESS = 4;
/** The JSON writer's offsets are i32: beyond this the host writes a chunk's argument JSON itself. */
const MAX_JSON_BYTES = 0x7fff0000;
/** Table sizes when memory is too tight for the guesses above. */
const MIN_LINES = 256;
const MIN_NODES = 4096;

function pow2AtLeast(n: number): number {
  let p = MIN_INPUT;
  while (p < n) p *= 2;
  return p;
}

export class CoreEngine implements Engine {
  readonly name: "wasm" | "ts";
  private readonly inst: CoreInstance;
  /** Table sizes to reserve before the next scan, after a batch stopped early because one was full. */
  private pending: Caps | undefined;
  /** Room for argument JSON that sufficed so far (it is ~2-4x the input). */
  private jsonCap = 0;

  constructor(inst: CoreInstance, name: "wasm" | "ts") {
    this.inst = inst;
    this.name = name;
  }

  /** `mode` (abi.ts ScanMode): Shallow when the caller reads no arguments, so argument lists may
   *  be left without their nodes (src/core/scan/shallow.ts), everything else in the tables as a
   *  full scan writes it; Rows for the row stage alone (src/core/scan/row-line.ts). */
  scan(chunk: Uint8Array, final: boolean, mode: ScanMode = ScanMode.Full): ScanBatch {
    const inst = this.inst;
    const ex = inst.exports;
    const len = chunk.length;
    let caps = this.pending ?? inst.caps;
    this.pending = undefined;
    if (len > caps.input || caps.input === 0) {
      // Tables sized from the input so a typical chunk is scanned in one call.
      const input = pow2AtLeast(len);
      caps = {
        rows: caps.rows,
        input,
        lines: Math.max(caps.lines, input / BYTES_PER_LINE_GUESS),
        nodes: Math.max(caps.nodes, input / BYTES_PER_NODE_GUESS),
      };
    }
    if (caps !== inst.caps) this.reserveForChunk(caps, len);

    for (;;) {
      inst.u8.set(chunk, ex.inputPtr() >>> 0);
      const status: CoreStatus = ex.scanChunk(len, final ? 1 : 0, mode);
      const lineCount = ex.lineCount();
      if (status === CoreStatus.NodesFull && lineCount === 0) {
        // The first line alone needs more nodes than the table holds: grow it and rescan.
        const lineLen = lineLength(chunk);
        let nodes = Math.max(inst.caps.nodes * 2, lineLen + 64);
        if (!inst.fits({ ...inst.caps, nodes })) {
          // Near the limit, rescan once with whatever still fits; when nothing more fits, keep the
          // doubled size so reserve() throws the RangeError.
          const most = this.maxNodesThatFit();
          if (most > inst.caps.nodes) nodes = most;
        }
        inst.reserve({ ...inst.caps, nodes }, `while scanning a line of ${lineLen} bytes`);
        continue;
      }
      if (status !== CoreStatus.Done) this.growLater(status);
      return this.batch(len, lineCount);
    }
  }

  /** The largest node table the memory limit allows with the current input and line tables. */
  private maxNodesThatFit(): number {
    const inst = this.inst;
    const fixed = inst.requiredBytes({ ...inst.caps, nodes: 0 });
    return Math.floor((inst.maxMemoryBytes - fixed) / (NodeField.Stride * 4));
  }

  private reserveForChunk(caps: Caps, len: number): void {
    try {
      this.inst.reserve(caps, `while copying a chunk of ${len} bytes`);
    } catch (e) {
      // The table guesses are generous; fall back to the input plus small tables, which still
      // guarantee progress (a batch stops early and the tables grow per line as needed).
      const had = this.inst.caps;
      const min = { rows: had.rows, input: Math.max(len, had.input), lines: Math.max(had.lines, MIN_LINES), nodes: Math.max(had.nodes, MIN_NODES) };
      if (!(e instanceof RangeError) || !this.inst.fits(min)) throw e;
      this.inst.reserve(min, `while copying a chunk of ${len} bytes`);
    }
  }

  /** A batch stopped early: double the full table for the next call, if memory allows. */
  private growLater(status: CoreStatus): void {
    const caps = { ...this.inst.caps };
    if (status === CoreStatus.LinesFull) caps.lines *= 2;
    else caps.nodes *= 2;
    if (this.inst.fits(caps)) this.pending = caps;
  }

  argsJson(batch: ScanBatch): ArgsJsonTable | undefined {
    const inst = this.inst;
    const ex = inst.exports;
    const lines = batch.lineCount;
    // (read before the call: growing memory detaches the batch's views, and a detached view's length is 0)
    const len = batch.bytes.length;
    let cap = Math.max(this.jsonCap, len * 4, 1 << 16);
    for (;;) {
      // the table and the bytes go after the node table; beyond the memory limit the host writes them
      const extra = lines * ArgsJsonField.Stride * 4 + 128 + cap;
      if (cap > MAX_JSON_BYTES || inst.requiredBytes(inst.caps) + extra > inst.maxMemoryBytes) return undefined;
      const need = ex.writeArgsJson(lines, cap);
      if (need < 0) return undefined;
      if (need > cap) {
        cap = need;
        continue;
      }
      this.jsonCap = cap;
      // memory may have grown: the batch's views over the old buffer are detached
      const fresh = this.batch(len, lines);
      batch.bytes = fresh.bytes;
      batch.lines = fresh.lines;
      batch.nodes = fresh.nodes;
      const spans = (ex.argsJsonSpansPtr() >>> 0) >>> 2;
      const at = ex.argsJsonBytesPtr() >>> 0;
      return { spans: inst.i32.subarray(spans, spans + lines * ArgsJsonField.Stride), bytes: inst.u8.slice(at, at + need) };
    }
  }

  /** Starts the record-row stage (src/core/rows) for a new input; with `json`, rows also carry
   *  their record's JSON (src/core/rows/json.ts), with these texts. False if memory cannot hold
   *  it (or a text its room). */
  rowsReset(defaultPid: number, maxHeld: number, maxPending: number, json?: RowsJsonTexts): boolean {
    const inst = this.inst;
    const want = json ? 2 : 1;
    if (inst.caps.rows < want) {
      // the block goes before the regions, which move (their tables hold nothing between calls)
      const caps = { ...inst.caps, rows: want as 1 | 2 };
      try {
        inst.reserve(caps, "while making room for record rows");
      } catch (e) {
        // no room under the memory limit: the caller reads the full way instead
        if (e instanceof RangeError) return false;
        throw e;
      }
    }
    const ex = inst.exports;
    if (!ex.rowsReset(defaultPid, maxHeld, maxPending, json ? 1 : 0)) return false;
    if (json) {
      const texts: [number, Uint8Array | undefined][] = [
        [HostText.FileKey, json.fileKey],
        [HostText.Stamp, json.stamp],
      ];
      for (const [which, bytes] of texts) {
        const n = bytes?.length ?? 0;
        if (n > ex.rowsHostTextCap()) return false;
        if (bytes) inst.u8.set(bytes, ex.rowsHostTextPtr(which) >>> 0);
        ex.rowsSetHostText(which, n);
      }
    }
    return true;
  }

  /** The JSON Lines of the rows the last buildRows released (rows with JSON): a view over the
   *  core's memory, valid until the next call. */
  rowsJson(): Uint8Array {
    const ex = this.inst.exports;
    const at = ex.rowsJsonPtr() >>> 0;
    return this.inst.u8.subarray(at, at + ex.rowsJsonLength());
  }

  /** Whether the last buildRows stopped for new names' numbers (see numberNames). */
  rowsNeedNames(): boolean {
    return this.inst.exports.rowsNeedNames() !== 0;
  }

  /** Numbers the rows' lines on from `lines` (an input read from mid-way). */
  rowsSetLineBase(lines: number): void {
    this.inst.exports.rowsSetLineBase(lines);
  }

  /** Gives name `id` its syscall number (-1: none) for JSON records' `nr`. */
  rowsSetNr(id: number, nr: number): void {
    this.inst.exports.rowsSetNr(id, nr);
  }

  /** Record rows from the last scan's first `lineCount` lines (all pending ones too when `final`),
   *  as views over the core's memory valid until the next call. Once the stage aborts (see
   *  rowsAbort) it gives the rows released before that line, then none. */
  buildRows(lineCount: number, final: boolean): RowsView {
    const ex = this.inst.exports;
    const count = ex.buildRows(lineCount, final ? 1 : 0);
    const base = ex.rowsOutPtr() >>> 0;
    // (after the call: it may have grown memory, which renews the buffer)
    const buf = this.inst.u8.buffer;
    return {
      count,
      i32: new Int32Array(buf, base, (count * RowField.Bytes) >>> 2),
      f64: new Float64Array(buf, base, (count * RowField.Bytes) >>> 3),
      quietLine: ex.rowsQuietLine(),
      quietRows: ex.rowsQuietRows(),
      quietOffset: ex.rowsQuietOffset(),
      quietDiagnostics: ex.rowsQuietDiagnostics(),
      quietOwner: ex.rowsQuietOwner() !== 0,
    };
  }

  /** Why the row stage aborted (abi.ts RowsAbort), and the line of the last batch where. */
  rowsAbort(): { reason: number; line: number } {
    const ex = this.inst.exports;
    return { reason: ex.rowsAbortReason(), line: ex.rowsAbortLine() };
  }

  /** Diagnostic records the row stage counted since rowsReset. */
  rowsDiagnostics(): number {
    return this.inst.exports.rowsDiagnostics();
  }

  /** Interned names the row stage knows: `from` onwards, decoded (ids are indexes). */
  rowNames(from: number): string[] {
    const ex = this.inst.exports;
    const n = ex.rowsNameCount();
    const out: string[] = [];
    for (let id = from; id < n; id++) {
      const at = ex.rowsNamePtr(id) >>> 0;
      out.push(String.fromCharCode(...this.inst.u8.subarray(at, at + ex.rowsNameLength(id))));
    }
    return out;
  }

  private batch(len: number, lineCount: number): ScanBatch {
    const ex = this.inst.exports;
    const u8 = this.inst.u8;
    const i32 = this.inst.i32;
    const input = ex.inputPtr() >>> 0;
    const lines = (ex.linesPtr() >>> 0) >>> 2;
    const nodes = (ex.nodesPtr() >>> 0) >>> 2;
    const nodeCount = ex.nodeCount();
    return {
      bytes: u8.subarray(input, input + len),
      lines: i32.subarray(lines, lines + lineCount * LineField.Stride),
      lineCount,
      nodes: i32.subarray(nodes, nodes + nodeCount * NodeField.Stride),
      nodeCount,
      consumed: ex.consumed(),
    };
  }
}

/** Length of the chunk's first line (for error messages on the rare grow path). */
function lineLength(chunk: Uint8Array): number {
  const nl = chunk.indexOf(0x0a);
  return nl < 0 ? chunk.length : nl;
}
