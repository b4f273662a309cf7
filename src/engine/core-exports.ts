// The core's entry points (src/core/index.ts) as the host calls them: the WASM module's exports,
// or the same functions compiled by tsc. Everything is a plain number: nothing is lifted or lowered.

export interface CoreExports {
  abiVersion(): number;
  /** Lays out the input, line and node regions (invalidating previous tables); traps if memory cannot grow. */
  reserve(inputCap: number, lineCap: number, nodeCap: number, rows: number): void;
  /** Linear-memory bytes reserve() needs for these capacities. */
  requiredBytes(inputCap: number, lineCap: number, nodeCap: number, rows: number): number;
  /** Region addresses; may exceed 2^31, so read them with `>>> 0`. */
  inputPtr(): number;
  linesPtr(): number;
  nodesPtr(): number;
  lineCount(): number;
  nodeCount(): number;
  consumed(): number;
  /** Writes the argument JSON of the last scan's `lines` lines after the tables (at most `cap`
   *  bytes); returns the bytes needed (> cap: incomplete, retry) or -1 when memory cannot grow. */
  writeArgsJson(lines: number, cap: number): number;
  argsJsonSpansPtr(): number;
  argsJsonBytesPtr(): number;
  /** Starts a new input for the record-row stage (src/core/rows), with JSON when `json` is 1;
   *  false if memory cannot hold it. */
  rowsReset(defaultPid: number, maxHeld: number, maxPending: number, json: number): number | boolean;
  /** Rows from the last scan's first `lines` lines (and the pending ones when `final`); -1 on abort. */
  buildRows(lines: number, final: number): number;
  rowsOutPtr(): number;
  rowsDiagnostics(): number;
  rowsAbortReason(): number;
  rowsAbortLine(): number;
  rowsNameCount(): number;
  rowsQuietLine(): number;
  rowsQuietRows(): number;
  rowsQuietOffset(): number;
  rowsQuietDiagnostics(): number;
  rowsQuietOwner(): number;
  rowsNamePtr(id: number): number;
  rowsNameLength(id: number): number;
  /** The JSON Lines of the rows the last buildRows released (rows with JSON), and their length. */
  rowsJsonPtr(): number;
  rowsJsonLength(): number;
  /** Where the host writes a text for JSON rows (HostText in src/core/rows/layout.ts), and its room. */
  rowsHostTextPtr(which: number): number;
  rowsHostTextCap(): number;
  rowsSetHostText(which: number, length: number): void;
  /** 1 when buildRows stopped for the host to number new names (rowsSetNr), then to be called again. */
  rowsNeedNames(): number;
  rowsSetNr(id: number, nr: number): void;
  /** Numbers the next batch's lines on from `lines`. */
  rowsSetLineBase(lines: number): void;
  /** Scans `len` bytes at inputPtr(); returns a CoreStatus. */
  scanChunk(len: number, final: number, shallow: number): number;
}

/** The WASM module's exports: the core's, and its memory. */
export interface WasmExports extends CoreExports {
  readonly memory: WebAssembly.Memory;
}

/** scanChunk's result (mirrors Status in src/core/index.ts). */
export const enum CoreStatus {
  Done = 0,
  /** Stopped at a line boundary: the line table is full. */
  LinesFull = 1,
  /** Stopped at a line boundary: the next line's nodes do not fit the node table. */
  NodesFull = 2,
}
