// The node table the line scanner appends to: (kind, start, end, next) quads in preorder
// (abi.ts NodeField), in the node region (regions.ts). It has a fixed capacity: writes past it are
// dropped and `overflowed` is set, while the count keeps running as if they had happened, so the
// scanner carries on to the end of the line; only where it reads back a dropped node can its path
// differ, and those reads return values that keep every loop advancing. The driver (index.ts)
// discards a line that nodes.overflowed, and the host grows the table and rescans it.

import { NodeField } from "./abi.js";
import { copyBytes, ld32, st32 } from "./mem.js";
import { regions } from "./regions.js";

const STRIDE_BYTES: i32 = NodeField.Stride * 4;

/** Expression containers whose first term is larger than this are refused rather than shifted,
 *  which keeps wrapping linear even on hostile input (real strace terms are a handful of nodes). */
const MAX_WRAP_NODES: i32 = 1024;

/** The table's fill (fields of one object: see scan/cursor.ts for why). */
export namespace nodes {
  /** Nodes written so far in the current chunk (may run past nodeCap on an overflowing line). */
  export let count: i32 = 0;
  /** Set when the current line wanted more nodes than the table holds. */
  export let overflowed: bool = false;
}

function slot(i: i32): usize {
  return regions.nodesBase + <usize>(i * STRIDE_BYTES);
}

function field(i: i32, f: i32): i32 {
  return i < regions.nodeCap ? ld32(slot(i) + <usize>(f * 4)) : 0;
}

function setField(i: i32, f: i32, v: i32): void {
  if (i < regions.nodeCap) st32(slot(i) + <usize>(f * 4), v);
  else nodes.overflowed = true;
}

/** A container from `start`, empty until close() sets its end and the end of its children. */
export function open(kind: i32, start: i32): i32 {
  return leaf(kind, start, start);
}

export function close(i: i32, end: i32): void {
  setField(i, NodeField.End, end);
  setField(i, NodeField.Next, nodes.count);
}

/** A node without children: open() and close() at once, each field written once (a line of
 *  the scan writes most of its nodes so). */
export function leaf(kind: i32, start: i32, end: i32): i32 {
  const i = nodes.count++;
  if (i < regions.nodeCap) {
    const p = slot(i);
    st32(p + NodeField.Kind * 4, kind);
    st32(p + NodeField.Start * 4, start);
    st32(p + NodeField.End * 4, end);
    st32(p + NodeField.Next * 4, i + 1);
  } else {
    nodes.overflowed = true;
  }
  return i;
}

/** `slots` node slots at the end of the table for an entry that is not one node each (a RowLine,
 *  abi.ts RowLineField): the address of its first, with `kind`, the span and `next` set as a
 *  leaf's; 0 when it does not fit (nodes.overflowed is then set, as leaf() does). */
export function appendEntry(kind: i32, start: i32, end: i32, slots: i32): usize {
  const i = nodes.count;
  nodes.count += slots;
  if (i + slots > regions.nodeCap) {
    nodes.overflowed = true;
    return 0;
  }
  const p = slot(i);
  st32(p + NodeField.Kind * 4, kind);
  st32(p + NodeField.Start * 4, start);
  st32(p + NodeField.End * 4, end);
  st32(p + NodeField.Next * 4, i + slots);
  return p;
}

/** The address of node slot `i` (of an entry appendEntry wrote). */
export function slotAddress(i: i32): usize {
  return slot(i);
}

export function setKind(i: i32, kind: i32): void {
  setField(i, NodeField.Kind, kind);
}

export function setSpan(i: i32, start: i32, end: i32): void {
  setField(i, NodeField.Start, start);
  setField(i, NodeField.End, end);
}

/** Makes node `i`'s subtree end at the current end of the table (a container that adopted the
 *  nodes written after it). */
export function extendToEnd(i: i32): void {
  setField(i, NodeField.Next, nodes.count);
}

export function nodeKind(i: i32): i32 {
  return field(i, NodeField.Kind);
}
export function nodeStart(i: i32): i32 {
  return field(i, NodeField.Start);
}
export function nodeEnd(i: i32): i32 {
  return field(i, NodeField.End);
}
/** One past node `i`'s last descendant. Past the capacity it reads as i + 1, and it never reads
 *  as <= i, so sibling walks terminate even over an nodes.overflowed table. */
export function nodeNext(i: i32): i32 {
  const v = field(i, NodeField.Next);
  return v <= i ? i + 1 : v;
}

/** Inserts a container before node `first` (whose subtree runs to the end of the table), so
 *  operators found after a term can adopt it without a second pass: shifts the nodes up one slot
 *  and bumps their `Next`. Returns the new index, or -1 when the term is too large to move. */
export function wrap(first: i32, kind: i32, start: i32): i32 {
  const n = nodes.count - first;
  if (n > MAX_WRAP_NODES) return -1;
  if (nodes.count >= regions.nodeCap) {
    // No room to shift into: the line is discarded anyway, keep counting.
    nodes.overflowed = true;
    nodes.count++;
    return first;
  }
  copyBytes(slot(first + 1), slot(first), <usize>(n * STRIDE_BYTES));
  for (let i = first + 1; i <= nodes.count; i++) {
    const p = slot(i) + NodeField.Next * 4;
    st32(p, ld32(p) + 1);
  }
  nodes.count++;
  const p = slot(first);
  st32(p + NodeField.Kind * 4, kind);
  st32(p + NodeField.Start * 4, start);
  st32(p + NodeField.End * 4, start);
  st32(p + NodeField.Next * 4, first + 1);
  return first;
}
