// The core's entry points: plain numbers in and out, the same functions on both targets. In the
// WASM module they are its exports (assembly/index.ts); in the TS engine they are called directly.
//
// Protocol per chunk (host side: src/engine/core-engine.ts):
//   reserve(inputCap, lineCap, nodeCap, rows)   once, and again whenever a capacity must grow
//                                         (rows: 1 keeps room for the record-row block, rows/; 2 also for its JSON ring)
//   host copies the chunk to inputPtr()
//   scanChunk(len, final, mode) -> Status (ScanMode: Shallow skips argument lists where it can, scan/shallow.ts; Rows also reads common call lines straight into row fields, scan/row-line.ts); then lineCount(), nodes.count(), consumed() describe the tables
//   at linesPtr() / nodesPtr(), laid out as in abi.ts; writeArgsJson(lines, cap) optionally after.

import { ABI_VERSION, LineField, ScanMode } from "./abi.js";
import { Char } from "./bytes.js";
import { jsonBase, spansBase } from "./json/args.js";
import { findNewlines, ld32, ld8, newlinesReached, st32, trap } from "./mem.js";
import { nodes } from "./nodes.js";
import { INDEX_CAP, layout, layoutEnd, regions } from "./regions.js";
import { scanLine } from "./scan/line.js";
import { cur } from "./scan/cursor.js";
import { jsonOutBase, rowsOutBase } from "./rows/build.js";
import { Cell, cell, HostText, hostTextAddr, HOST_TEXT_BYTES, setCell } from "./rows/layout.js";
import { nameLength, namePtr, setNameNr } from "./rows/names.js";

export { writeArgsJson } from "./json/args.js";
export { buildRows, rowsReset } from "./rows/build.js";

/** scanChunk's result. Mirrored by CoreStatus in src/engine/core-exports.ts. */
const enum Status {
  /** Every complete line was scanned (and the tail too when `final`). */
  Done = 0,
  /** Stopped at a line boundary: the line table is full. */
  LinesFull = 1,
  /** Stopped at a line boundary: the next line's nodes do not fit the node table. */
  NodesFull = 2,
}

let lines: i32 = 0;
let consumedBytes: i32 = 0;

export function abiVersion(): i32 {
  return ABI_VERSION;
}

/** Lays out the regions for these capacities, growing memory; traps if memory cannot grow
 *  (the host checks requiredBytes() against its limit first). Invalidates all previous tables. */
export function reserve(inputCap: i32, lineCap: i32, nodeCap: i32, rows: i32): void {
  if (!layout(inputCap, lineCap, nodeCap, rows)) trap();
}

/** Linear-memory bytes reserve() would need for these capacities (f64: may exceed 4 GiB). */
export function requiredBytes(inputCap: i32, lineCap: i32, nodeCap: i32, rows: i32): f64 {
  return <f64>layoutEnd(inputCap, lineCap, nodeCap, rows);
}

export function inputPtr(): usize {
  return regions.inputBase;
}
export function linesPtr(): usize {
  return regions.linesBase;
}
export function nodesPtr(): usize {
  return regions.nodesBase;
}
/** The spans table and bytes of the last writeArgsJson call. */
export function argsJsonSpansPtr(): usize {
  return spansBase;
}
export function argsJsonBytesPtr(): usize {
  return jsonBase;
}
/** The rows the last buildRows call released (abi.ts RowField). */
export function rowsOutPtr(): usize {
  return rowsOutBase();
}
/** The JSON Lines of the rows the last buildRows call released (with JSON), and its length. */
export function rowsJsonPtr(): usize {
  return jsonOutBase();
}
export function rowsJsonLength(): i32 {
  return cell(Cell.JsonOutLength);
}
/** Where the host writes a text for JSON rows (rows/layout.ts HostText), at most
 *  rowsHostTextCap() bytes; rowsSetHostText then says how many. */
export function rowsHostTextPtr(which: i32): usize {
  return hostTextAddr(which);
}
export function rowsHostTextCap(): i32 {
  return HOST_TEXT_BYTES;
}
/** Sets the length of the file key (`,"file":...`) or schema stamp (`,"schema":...`) the host wrote. */
export function rowsSetHostText(which: i32, length: i32): void {
  if (which == HostText.FileKey) setCell(Cell.FileKeyLength, length);
  else if (which == HostText.Stamp) setCell(Cell.StampLength, length);
}
/** Numbers the next batch's lines on from `lines` (rows made for an input read from mid-way). */
export function rowsSetLineBase(lines: i32): void {
  setCell(Cell.LineBase, lines);
}
/** 1 when the last buildRows stopped (with JSON) at a call whose name the host has not numbered:
 *  the host gives each new name's number (rowsSetNr) and calls buildRows again. */
export function rowsNeedNames(): i32 {
  return cell(Cell.NeedNames);
}
/** Name `id`'s syscall number for JSON records' `nr` (-1: none). */
export function rowsSetNr(id: i32, nr: i32): void {
  setNameNr(id, nr);
}
/** Diagnostic records (blank lines) the row stage has counted since rowsReset. */
export function rowsDiagnostics(): i32 {
  return cell(Cell.Diagnostics);
}
/** Why the row stage stopped (abi.ts RowsAbort), and at which line of the last batch. */
export function rowsAbortReason(): i32 {
  return cell(Cell.Abort);
}
export function rowsAbortLine(): i32 {
  return cell(Cell.AbortLine);
}
/** Interned names so far; name `id`'s bytes are at rowsNamePtr(id), rowsNameLength(id) long. */
export function rowsNameCount(): i32 {
  return cell(Cell.NameCount);
}
/** The last quiet point of the last buildRows batch (rows/build.ts): the line after it (-1: none),
 *  the rows released before it, the diagnostics counted by then, and whether a call or signal
 *  existed by then (1: the full reading starting there needs a stand-in owner for -k frames). */
export function rowsQuietLine(): i32 {
  return cell(Cell.QuietLine);
}
/** Chunk offset where the quiet point's next line starts; -1 when it is past the batch's last line. */
export function rowsQuietOffset(): i32 {
  return cell(Cell.QuietOffset);
}
export function rowsQuietRows(): i32 {
  return cell(Cell.QuietOut);
}
export function rowsQuietDiagnostics(): i32 {
  return cell(Cell.QuietDiagnostics);
}
export function rowsQuietOwner(): i32 {
  return cell(Cell.QuietOwner);
}
export function rowsNamePtr(id: i32): usize {
  return namePtr(id);
}
export function rowsNameLength(id: i32): i32 {
  return nameLength(id);
}
export function lineCount(): i32 {
  return lines;
}
export function nodeCount(): i32 {
  return nodes.count;
}
export function consumed(): i32 {
  return consumedBytes;
}

/** Scans one framed line into the next row; on LinesFull/NodesFull nothing of the line is kept. */
function emitLine(start: i32, end: i32): i32 {
  if (lines >= regions.lineCap) return Status.LinesFull;
  const row = regions.linesBase + <usize>(lines * LineField.Stride * 4);
  const firstNode = nodes.count;
  if (!scanLine(start, end, row)) {
    nodes.count = firstNode;
    return Status.NodesFull;
  }
  st32(row + LineField.Start * 4, start);
  st32(row + LineField.End * 4, end);
  st32(row + LineField.NodeStart * 4, firstNode);
  st32(row + LineField.NodeEnd * 4, nodes.count);
  lines++;
  return Status.Done;
}

/** Start of the next line to scan in the current chunk. */
let lineStart: i32 = 0;

/**
 * Scans the `len` bytes at inputPtr(). Unless `final`, a tail without "\n" is left unconsumed.
 * Stage 1 fills the newline index (INDEX_CAP entries at a time), stage 2 walks it line by line.
 * (The loop and the tail are functions of their own: a JIT that compiled the loop on the stack
 * keeps that code only while nothing after the loop is new to it.)
 */
export function scanChunk(len: i32, final: i32, mode: i32): i32 {
  cur.shallow = mode == ScanMode.Shallow || mode == ScanMode.Rows;
  cur.rowLines = mode == ScanMode.Rows;
  regions.inputLength = len;
  lines = 0;
  nodes.count = 0;
  lineStart = 0;
  let status = scanIndexedLines(len);
  if (status == Status.Done && final != 0 && lineStart < len) status = scanLastLine(len);
  consumedBytes = lineStart;
  return status;
}

/** Every line the chunk ends with "\n". */
function scanIndexedLines(len: i32): i32 {
  let from = 0;
  let status: i32 = Status.Done;
  // (AssemblyScript has no labelled break; the status check ends both loops.)
  while (from < len && status == Status.Done) {
    const n = findNewlines(regions.inputBase, from, len, regions.indexBase, INDEX_CAP);
    from = newlinesReached();
    for (let i = 0; i < n; i++) {
      const nl = ld32(regions.indexBase + <usize>(i * 4));
      // "\r\n" ends the line at the "\r"; a lone "\r" elsewhere is content.
      const end = nl > lineStart && ld8(regions.inputBase + <usize>(nl - 1)) == Char.CR ? nl - 1 : nl;
      status = emitLine(lineStart, end);
      if (status != Status.Done) break;
      lineStart = nl + 1;
    }
  }
  return status;
}

/** A last line without "\n" ends at the chunk's end, whatever its last byte is. */
function scanLastLine(len: i32): i32 {
  const status = emitLine(lineStart, len);
  if (status == Status.Done) lineStart = len;
  return status;
}
