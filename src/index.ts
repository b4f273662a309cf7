// strace-seq for Node: the browser-safe API plus file and stream helpers.
export * from "./browser.js";
export {
  parseFile,
  expandInputs,
  openInput,
  pidFromFileName,
  type FileParseOptions,
  trace,
  attach,
  LiveTrace,
  LiveError,
  type LiveOptions,
  type LiveRecord,
  type LiveResult,
  type AlertRecord,
  type AlertOptions,
  type StraceOptions,
} from "./api/node.js";
export type { ParquetRecordWriter } from "./io/parquet.js";

/** A Parquet writer for records (src/io/parquet.ts), loaded on first use: hyparquet-writer takes
 *  a few hundred milliseconds to load, which no other use of the library should pay. `sink` gets
 *  the file's bytes row group by row group. */
export async function createParquetWriter(
  sink: (bytes: Uint8Array) => void | Promise<void>,
  opts?: { rowGroup?: number; defaultFile?: string },
): Promise<import("./io/parquet.js").ParquetRecordWriter> {
  const { ParquetRecordWriter } = await import("./io/parquet.js");
  return new ParquetRecordWriter(sink, opts);
}
