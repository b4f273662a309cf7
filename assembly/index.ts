// strace-seq's WASM module: plain-number exports only (no bindings, no managed objects cross).
//
// Protocol per chunk (see src/wasm/instance.ts for the host side):
//   reserve(inputCap, lineCap, nodeCap)   once, and again whenever a capacity must grow
//   host copies the chunk to inputPtr()
//   scanChunk(len, final) -> Status; then lineCount(), nodeCount(), consumed() describe the tables
//   at linesPtr() / nodesPtr(), laid out as in src/engine/abi.ts.

import { ABI_VERSION, LineField } from "../src/engine/abi";
import { INDEX_CAP, inputBase, indexBase, linesBase, nodesBase, lineCap, layout, layoutEnd } from "./regions";
import { nodeCount as nodesWritten, setNodeCount } from "./nodes";
import { findNewlines, reached } from "./stage1";
import { scanLine } from "./scanner";
import { spansBase, jsonBase } from "./args-json";
export { writeArgsJson } from "./args-json";
// Parsed only so `--use abort=assembly/abort/abort` (asconfig.json) can find it.
import "./abort";

/** scanChunk's result. Mirrored by WasmStatus in src/wasm/exports.ts. */
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
export function reserve(inputCap: i32, lineCap: i32, nodeCap: i32): void {
  if (!layout(inputCap, lineCap, nodeCap)) unreachable();
}

/** Linear-memory bytes reserve() would need for these capacities (f64: may exceed 4 GiB). */
export function requiredBytes(inputCap: i32, lineCap: i32, nodeCap: i32): f64 {
  return <f64>layoutEnd(inputCap, lineCap, nodeCap);
}

export function inputPtr(): usize {
  return inputBase;
}
export function linesPtr(): usize {
  return linesBase;
}
export function nodesPtr(): usize {
  return nodesBase;
}
/** The spans table and bytes of the last writeArgsJson call. */
export function argsJsonSpansPtr(): usize {
  return spansBase;
}
export function argsJsonBytesPtr(): usize {
  return jsonBase;
}
export function lineCount(): i32 {
  return lines;
}
export function nodeCount(): i32 {
  return nodesWritten;
}
export function consumed(): i32 {
  return consumedBytes;
}

/** Scans one framed line into the next row; on LinesFull/NodesFull nothing of the line is kept. */
function emitLine(start: i32, end: i32): Status {
  if (lines >= lineCap) return Status.LinesFull;
  const row = linesBase + <usize>lines * (LineField.Stride << 2);
  const firstNode = nodesWritten;
  if (!scanLine(inputBase, start, end, row)) {
    setNodeCount(firstNode);
    return Status.NodesFull;
  }
  store<i32>(row, start, LineField.Start << 2);
  store<i32>(row, end, LineField.End << 2);
  store<i32>(row, firstNode, LineField.NodeStart << 2);
  store<i32>(row, nodesWritten, LineField.NodeEnd << 2);
  lines++;
  return Status.Done;
}

/**
 * Scans the `len` bytes at inputPtr(). Unless `final`, a tail without "\n" is left unconsumed.
 * Stage 1 fills the newline index (INDEX_CAP entries at a time), stage 2 walks it line by line.
 */
export function scanChunk(len: i32, final: i32): i32 {
  lines = 0;
  setNodeCount(0);
  const base = inputBase;
  let lineStart = 0;
  let from = 0;
  let status = Status.Done;
  // (AssemblyScript has no labelled break; the status check ends both loops.)
  while (from < len && status == Status.Done) {
    const n = findNewlines(base, from, len, indexBase, INDEX_CAP);
    from = reached;
    for (let i = 0; i < n; i++) {
      const nl = load<i32>(indexBase + (<usize>i << 2));
      // "\r\n" ends the line at the "\r"; a lone "\r" elsewhere is content.
      const end = nl > lineStart && load<u8>(base + <usize>(nl - 1)) == 0x0d ? nl - 1 : nl;
      status = emitLine(lineStart, end);
      if (status != Status.Done) break;
      lineStart = nl + 1;
    }
  }
  if (status == Status.Done && final != 0 && lineStart < len) {
    // A last line without "\n" ends at the chunk's end, whatever its last byte is.
    status = emitLine(lineStart, len);
    if (status == Status.Done) lineStart = len;
  }
  consumedBytes = lineStart;
  return status;
}
