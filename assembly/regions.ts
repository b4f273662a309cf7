// Linear-memory regions shared by the chunk driver (index.ts) and the node table (nodes.ts).
//
// The layout is laid out by hand from __heap_base rather than with heap.alloc: the stub runtime's
// allocator doubles memory when it grows, while here growth is exactly what the regions need, which
// keeps the host's memory limit meaningful. No managed objects exist, so nothing else uses the heap.
// Regions hold nothing between scanChunk calls, so reserve() may move them freely.

import { LineField, NodeField } from "../src/engine/abi";

/** Entries in the stage-1 newline index; stage 1 and stage 2 alternate over it in this many lines. */
export const INDEX_CAP: i32 = 4096;

export let inputBase: usize = 0;
export let indexBase: usize = 0;
export let linesBase: usize = 0;
export let nodesBase: usize = 0;
export let inputCap: i32 = 0;
export let lineCap: i32 = 0;
export let nodeCap: i32 = 0;

// @ts-ignore: decorator
@inline function align64(n: u64): u64 {
  return (n + 63) & ~(<u64>63);
}

// Offsets planned by plan(); committed to the exported bases only once memory has grown to fit.
let planInput: u64 = 0;
let planIndex: u64 = 0;
let planLines: u64 = 0;
let planNodes: u64 = 0;

/** Plans the layout for these capacities; returns its end address (u64, so oversize requests cannot wrap). */
function plan(inCap: i32, lnCap: i32, ndCap: i32): u64 {
  planInput = align64(<u64>__heap_base);
  planIndex = align64(planInput + <u64>inCap);
  planLines = align64(planIndex + (<u64>INDEX_CAP << 2));
  planNodes = align64(planLines + <u64>lnCap * (<u64>LineField.Stride << 2));
  return planNodes + <u64>ndCap * (<u64>NodeField.Stride << 2);
}

/** Bytes of linear memory the regions need for these capacities. */
export function layoutEnd(inCap: i32, lnCap: i32, ndCap: i32): u64 {
  return plan(inCap, lnCap, ndCap);
}

/** Lays the regions out and grows memory to fit; returns false if memory could not grow. */
export function layout(inCap: i32, lnCap: i32, ndCap: i32): bool {
  const end = plan(inCap, lnCap, ndCap);
  if (end > (<u64>1 << 32)) return false;
  const pagesNeeded = <i32>((end + 0xffff) >> 16);
  const pagesHave = memory.size();
  if (pagesNeeded > pagesHave && memory.grow(pagesNeeded - pagesHave) < 0) return false;
  inputBase = <usize>planInput;
  indexBase = <usize>planIndex;
  linesBase = <usize>planLines;
  nodesBase = <usize>planNodes;
  inputCap = inCap;
  lineCap = lnCap;
  nodeCap = ndCap;
  return true;
}

/** First free byte after the node table: where optional per-chunk outputs (args-json.ts) go. */
export function tablesEnd(): usize {
  return <usize>align64(<u64>nodesBase + <u64>nodeCap * (<u64>NodeField.Stride << 2));
}

/** Grows memory so [0, end) is addressable; false when it cannot. Regions do not move. */
export function ensureMemory(end: u64): bool {
  if (end > (<u64>1 << 32)) return false;
  const pagesNeeded = <i32>((end + 0xffff) >> 16);
  const pagesHave = memory.size();
  return pagesNeeded <= pagesHave || memory.grow(pagesNeeded - pagesHave) >= 0;
}
