// The node table as the line scanner sees it: the TS scanner's open/close/leaf/wrap over the
// WASM node region (regions.ts), with one difference. The TS table grows; this one has a fixed
// capacity, so writes past it are dropped and `overflowed` is set. The count keeps running as if
// they had happened, so the scanner carries on to the end of the line; only where it reads back a
// dropped node can its path differ, and those reads return values that keep every loop advancing.
// The driver discards a line that overflowed, grows the table and rescans it.

import { NodeField } from "../src/engine/abi";
import { nodesBase, nodeCap } from "./regions";

const STRIDE_BYTES: usize = NodeField.Stride << 2;

/** Nodes written so far in the current chunk (may run past nodeCap on an overflowing line). */
export let nodeCount: i32 = 0;
/** Set when the current line wanted more nodes than the table holds. */
export let overflowed: bool = false;

export function setNodeCount(n: i32): void {
  nodeCount = n;
}

export function clearOverflow(): void {
  overflowed = false;
}

// @ts-ignore: decorator
@inline function slot(i: i32): usize {
  return nodesBase + <usize>i * STRIDE_BYTES;
}

export function open(kind: i32, start: i32): i32 {
  const i = nodeCount++;
  if (i < nodeCap) {
    const p = slot(i);
    store<i32>(p, kind, NodeField.Kind << 2);
    store<i32>(p, start, NodeField.Start << 2);
    store<i32>(p, start, NodeField.End << 2);
    store<i32>(p, i + 1, NodeField.Next << 2);
  } else {
    overflowed = true;
  }
  return i;
}

export function close(i: i32, end: i32): void {
  if (i < nodeCap) {
    const p = slot(i);
    store<i32>(p, end, NodeField.End << 2);
    store<i32>(p, nodeCount, NodeField.Next << 2);
  } else {
    overflowed = true;
  }
}

export function leaf(kind: i32, start: i32, end: i32): i32 {
  const i = open(kind, start);
  close(i, end);
  return i;
}

export function setKind(i: i32, kind: i32): void {
  setCell(i * NodeField.Stride + NodeField.Kind, kind);
}

export function setSpan(i: i32, start: i32, end: i32): void {
  setCell(i * NodeField.Stride + NodeField.Start, start);
  setCell(i * NodeField.Stride + NodeField.End, end);
}

/** Reads cell `c` of the table (node c / Stride, field c % Stride), as the TS scanner's
 *  `nodes[c]`. Past the capacity a `Next` cell reads as node + 1 and others as 0, and a `Next`
 *  never reads as <= its own node, so sibling walks terminate even over an overflowed table. */
export function cell(c: i32): i32 {
  const node = c / NodeField.Stride;
  const isNext = c % NodeField.Stride == NodeField.Next;
  const v = node < nodeCap ? load<i32>(nodesBase + (<usize>c << 2)) : 0;
  return isNext && v <= node ? node + 1 : v;
}

/** Writes cell `c` (the TS scanner's `nodes[c] = v`); dropped past the capacity. */
export function setCell(c: i32, v: i32): void {
  if (c / NodeField.Stride < nodeCap) store<i32>(nodesBase + (<usize>c << 2), v);
  else overflowed = true;
}

/** Inserts a container before node `first` (whose subtree runs to the end of the table), as the
 *  TS scanner's wrap: shifts the nodes up one slot and bumps their `Next`. Returns -1 when the term
 *  has more than `maxNodes` nodes. */
export function wrap(first: i32, kind: i32, start: i32, maxNodes: i32): i32 {
  const n = nodeCount - first;
  if (n > maxNodes) return -1;
  if (nodeCount >= nodeCap) {
    // No room to shift into: the line is discarded anyway, keep counting.
    overflowed = true;
    nodeCount++;
    return first;
  }
  memory.copy(slot(first + 1), slot(first), <usize>n * STRIDE_BYTES);
  for (let i = first + 1; i <= nodeCount; i++) {
    const p = slot(i) + (NodeField.Next << 2);
    store<i32>(p, load<i32>(p) + 1);
  }
  nodeCount++;
  const p = slot(first);
  store<i32>(p, kind, NodeField.Kind << 2);
  store<i32>(p, start, NodeField.Start << 2);
  store<i32>(p, start, NodeField.End << 2);
  store<i32>(p, first + 1, NodeField.Next << 2);
  return first;
}
