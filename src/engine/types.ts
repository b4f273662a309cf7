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
