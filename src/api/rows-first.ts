// rows-over.ts for a file, `.gz` or stdin: a plain file is read from any offset (twice over where
// the rows hand over), the others as a stream read once.

import { createReadStream, statSync } from "node:fs";
import { openInput, pidFromFileName } from "./node.js";
import { holdErrors, READ_CHUNK, reusedChunks } from "../io/input.js";
import type { ParseCounts } from "../parser.js";
import type { TraceRecord } from "../model/record.js";
import type { RowRecord } from "../model/row-parser.js";
import { rowsFirstOver, type RowsFirstOptions, type RowsInput } from "./rows-over.js";

export type { RowsFirstOptions, StopInfo } from "./rows-over.js";

/** Reads `file` rows first (rows-over.ts rowsFirstOver); the pid of unprefixed lines is an `-ff`
 *  file name's. */
export async function* rowsFirst(
  file: string,
  opts: RowsFirstOptions,
  onRow: (r: RowRecord) => void,
  onRecord: (r: TraceRecord) => void,
): AsyncGenerator<void, ParseCounts> {
  // (opened when first asked for, as a generator's body runs)
  return yield* rowsFirstOver(fileInput(file), opts, onRow, onRecord);
}

/** `file` (`-`: stdin) as rows-over.ts reads it. */
export function fileInput(file: string): RowsInput {
  const pid = file === "-" ? undefined : pidFromFileName(file.replace(/\.gz$/, ""));
  if (!isPlainFile(file)) return { name: file, pid, seekable: false, stream: (openInput(file) as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]() };
  return { name: file, pid, seekable: true, chunksFrom: (offset) => reusedChunks(file, offset), readFrom: (offset) => readFrom(file, offset) };
}

/** Whether `file` is a regular file read as it is (so it can be read again from an offset). */
function isPlainFile(file: string): boolean {
  if (file === "-" || file.endsWith(".gz")) return false;
  try {
    return statSync(file).isFile();
  } catch {
    return false; // (openInput reports it)
  }
}

/** `file` from byte `offset` on. */
function readFrom(file: string, offset: number): AsyncIterator<Uint8Array> & AsyncIterable<Uint8Array> {
  return (holdErrors(createReadStream(file, { start: offset, highWaterMark: READ_CHUNK })) as AsyncIterable<Uint8Array>)[
    Symbol.asyncIterator
  ]() as AsyncIterator<Uint8Array> & AsyncIterable<Uint8Array>;
}
