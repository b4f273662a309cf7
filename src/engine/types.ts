// The contract between the scanners (WASM and pure TS) and the TypeScript side that reads their tables.

/** Tables for a run of complete lines. Views are valid only until the next scan() call. */
export interface ScanBatch {
  /** The bytes the offsets refer to (the chunk as given, or WASM memory holding it). */
  bytes: Uint8Array;
  /** lineCount * LineField.Stride cells. */
  lines: Int32Array;
  lineCount: number;
  /** nodeCount * NodeField.Stride cells. */
  nodes: Int32Array;
  nodeCount: number;
  /** Bytes of the input consumed (always whole lines; the final call consumes everything). */
  consumed: number;
}

/** Argument JSON for a batch's lines (ArgsJsonField rows in `spans`, offsets into `bytes`), as
 *  src/core/json/args.ts writes it. `bytes` belongs to the caller: records may keep it. */
export interface ArgsJsonTable {
  spans: Int32Array;
  bytes: Uint8Array;
}

/** Record rows (abi.ts RowField) over the core's memory: `count` rows of RowField.Bytes each,
 *  read as i32 cells and f64 cells of the same bytes. Valid until the next call into the core. */
export interface RowsView {
  count: number;
  i32: Int32Array;
  f64: Float64Array;
  /** The batch's last quiet point (a boundary the full reading may start at with an empty
   *  stitcher): the index of the line after it, -1 for none, and where it starts; the rows of this view released
   *  before it; the diagnostics counted by then; whether a stand-in frame owner is needed there. */
  quietLine: number;
  quietRows: number;
  /** Chunk offset of the line after the quiet point; -1 when that is past the batch's lines. */
  quietOffset: number;
  quietDiagnostics: number;
  quietOwner: boolean;
}

export interface Engine {
  readonly name: "wasm" | "ts";
  /** Scan `chunk`. Unless `final`, only lines ending in "\n" are scanned and the tail is left unconsumed.
   *  An engine may also stop early at a line boundary when its tables are full; it must still consume >= 1 line
   *  whenever `chunk` holds a complete line (growing its tables for one huge line). */
  scan(chunk: Uint8Array, final: boolean): ScanBatch;
  /** Argument JSON of the batch the last scan() returned, when this engine writes it (else the
   *  host builds it, see model/record-json.ts). May move WASM memory: the batch's views are renewed. */
  argsJson?(batch: ScanBatch): ArgsJsonTable | undefined;
}
