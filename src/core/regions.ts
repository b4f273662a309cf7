// The regions of linear memory the core works in: the chunk's input, the stage-1 newline index,
// the line table and the node table, laid out by hand from the heap base, or after the record-row
// block (rows/layout.ts) for an engine that makes rows (only those pay for it). By hand rather than with
// an allocator: growth is then exactly what the regions need, which keeps the host's memory limit
// meaningful. Regions hold nothing between scanChunk calls, so reserve() may move them freely.
//
// Sizes are computed in u64 (f64-exact below 2^53 in the TS build), without shifts or masks,
// which would cut them to 32 bits in JavaScript.

import { LineField, NodeField, RowField } from "./abi.js";
import { growMemory, heapBase, ld8, memoryPages } from "./mem.js";
import { blockBase, fixBlockBase, RING, ROWS_BLOCK_BYTES } from "./rows/layout.js";
import { JSON_AREA_BYTES } from "./rows/json-ring.js";

/** Entries in the stage-1 newline index; stage 1 and stage 2 alternate over it in this many lines. */
export const INDEX_CAP: i32 = 4096;

const PAGE: u64 = 65536;
const ALIGN: u64 = 64;
const ADDRESS_SPACE: u64 = 4294967296;

/** Where the regions are and what they hold (fields of one object: see scan/cursor.ts for why). */
export namespace regions {
  export let inputBase: usize = 0;
  export let indexBase: usize = 0;
  export let linesBase: usize = 0;
  export let nodesBase: usize = 0;
  export let inputCap: i32 = 0;
  /** Bytes of the chunk the last scanChunk read. */
  export let inputLength: i32 = 0;
  export let lineCap: i32 = 0;
  export let nodeCap: i32 = 0;
}

function align(n: u64): u64 {
  const r = n % ALIGN;
  return r == 0 ? n : n + (ALIGN - r);
}

// Offsets planned by plan(); committed to the exported bases only once memory has grown to fit.
let planInput: u64 = 0;
let planIndex: u64 = 0;
let planLines: u64 = 0;
let planNodes: u64 = 0;

/** Plans the layout for these capacities (after the record-row block when `rows` is 1, and its
 *  JSON ring and aside area when 2); returns its end address. */
function plan(inCap: i32, lnCap: i32, ndCap: i32, rows: i32): u64 {
  // after the record-row stage's block, which stays put while the regions move
  const block = <u64>ROWS_BLOCK_BYTES + (rows == 2 ? <u64>JSON_AREA_BYTES : 0);
  fixBlockBase();
  planInput = rows != 0 ? align(<u64>blockBase() + block) : align(<u64>heapBase());
  planIndex = align(planInput + <u64>inCap);
  planLines = align(planIndex + <u64>INDEX_CAP * 4);
  planNodes = align(planLines + <u64>lnCap * (<u64>LineField.Stride * 4));
  const end = planNodes + <u64>ndCap * (<u64>NodeField.Stride * 4);
  // record rows are written after the tables: at most one per line, plus the rows held back
  return rows != 0 ? align(end) + (<u64>lnCap + <u64>RING) * <u64>RowField.Bytes : end;
}

/** Bytes of linear memory the regions need for these capacities. */
export function layoutEnd(inCap: i32, lnCap: i32, ndCap: i32, rows: i32): u64 {
  return plan(inCap, lnCap, ndCap, rows);
}

/** Grows memory so [0, end) is addressable; false when it cannot. Regions do not move. */
export function ensureMemory(end: u64): bool {
  if (end > ADDRESS_SPACE) return false;
  const rounded = end + (PAGE - 1);
  const pagesNeeded = <i32>((rounded - (rounded % PAGE)) / PAGE);
  const pagesHave = memoryPages();
  return pagesNeeded <= pagesHave || growMemory(pagesNeeded - pagesHave) >= 0;
}

/** Whether [0, end) is addressable already (nothing grows). */
export function isAddressable(end: u64): bool {
  return end <= <u64>memoryPages() * PAGE;
}

/** Lays the regions out and grows memory to fit; returns false if memory could not grow. */
export function layout(inCap: i32, lnCap: i32, ndCap: i32, rows: i32): bool {
  if (!ensureMemory(plan(inCap, lnCap, ndCap, rows))) return false;
  regions.inputBase = <usize>planInput;
  regions.indexBase = <usize>planIndex;
  regions.linesBase = <usize>planLines;
  regions.nodesBase = <usize>planNodes;
  regions.inputCap = inCap;
  regions.lineCap = lnCap;
  regions.nodeCap = ndCap;
  return true;
}

/** First free byte after the node table: where optional per-chunk outputs (args-json) go. */
export function tablesEnd(): usize {
  return <usize>align(<u64>regions.nodesBase + <u64>regions.nodeCap * (<u64>NodeField.Stride * 4));
}

/** The byte at offset `p` of the chunk in the input region (no bounds check: callers stay inside it). */
export function byteAt(p: i32): i32 {
  return ld8(regions.inputBase + <usize>p);
}
