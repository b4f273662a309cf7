// strace-seq for Node: the browser-safe API plus file and stream helpers.
export * from "./browser.js";
export { parseFile, expandInputs, openInput, pidFromFileName, type FileParseOptions } from "./api/node.js";
export { ParquetRecordWriter, PARQUET_COLUMNS, PARQUET_SCHEMA, PARQUET_ROW_GROUP } from "./io/parquet.js";
