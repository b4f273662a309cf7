// The JSON of rows not yet released (rows with JSON, rowsReset's `json`): segments in a byte ring
// right after the rows block, so a pending call's head, and the rows queued behind it, keep their
// JSON from one chunk to the next. Segments are taken at the tail and freed in release order:
// every live segment belongs to a queued row and none is older than the head row's head segment,
// so that segment's offset is where the live bytes start (wrapping past the ring's end, or from
// its start early: then unwrap). A segment that does not fit stops the rows (RowsAbort.Capacity),
// and the host reads on the full way.

import { RowField, RowFlag, RowsAbort } from "../abi.js";
import { Char } from "../bytes.js";
import { output, putBytes, startOutput } from "../json/out.js";
import { copyBytes, ld32, st32, st8 } from "../mem.js";
import { ensureMemory, isAddressable } from "../regions.js";
import { attaching, endLineLength, putAttachedSegment } from "./json-attached.js";
import { Part, putRecordPart } from "./json.js";
import { blockBase, Cell, cell, HostText, hostTextAddr, ringRowAddr, ROWS_BLOCK_BYTES, setCell } from "./layout.js";

/** The ring's size: room for the JSON of the rows the stitcher holds behind a pending call before
 *  its hold-back cap (65,536 records of ~400 bytes, or of ~1.2 KB with a dozen -k frames each).
 *  Only what a long-pending call holds becomes resident (the early wrap, below); past it the
 *  rows stop and the full reading holds the records as objects, several times that. */
export const JSON_RING_BYTES: i32 = 96 << 20;
/** After the ring: the JSON segments of pending calls the hold-back cap released from their queue
 *  place (build.ts detach), kept until they leave, in the order they were set aside. */
export const ASIDE_BYTES: i32 = 1 << 20;
/** Bytes the rows' JSON needs after the rows block. */
export const JSON_AREA_BYTES: i32 = JSON_RING_BYTES + ASIDE_BYTES;

export function ringBase(): usize {
  return blockBase() + <usize>ROWS_BLOCK_BYTES;
}

/** The segment the last writeSegment made (fields of one object: see scan/cursor.ts for why). */
export namespace segment {
  export let at: i32 = 0;
  export let length: i32 = 0;
}

/** The JSON segments of the row being added (build.ts push), as offset and length: kept here so
 *  they move with the ring's bytes (unwrap) between one segment's writing and the next's. */
export namespace adding {
  export let head: i32 = 0;
  export let headLength: i32 = 0;
  export let rest: i32 = 0;
  export let restLength: i32 = 0;
  export let middle: i32 = 0;
  export let middleLength: i32 = 0;
  /** Where the head's last argument starts in it (RowField.JsonResultAt while pending), -1. */
  export let lastArgAt: i32 = -1;
  export let flags: i32 = 0;
}

/** No JSON segments for the next row (also after a row that was never added: a stopped input). */
export function clearAdding(): void {
  adding.flags = 0;
  adding.head = 0;
  adding.headLength = 0;
  adding.rest = 0;
  adding.restLength = 0;
  adding.middle = 0;
  adding.middleLength = 0;
  adding.lastArgAt = -1;
}

/** Bytes at an address that a Copy part writes (putBack). */
namespace copying {
  export let from: usize = 0;
  export let length: i32 = 0;
}

/** Not a record's part: bytes copied into the ring as they are (`copying`). */
const COPY_PART: i32 = -1;

function asideBase(): usize {
  return ringBase() + <usize>JSON_RING_BYTES;
}

/** Empties the ring (a new input, or a queue with nothing left in it). */
export function clearRing(): void {
  setCell(Cell.RingHead, 0);
  setCell(Cell.RingTail, 0);
  setCell(Cell.RingWrapped, 0);
}

/**
 * Writes `part` (json.ts Part) of the current line's record as a new segment (in `segment`);
 * returns RowsAbort.None, Json (a shape not written here) or Capacity (the ring is full).
 */
export function writeSegment(part: i32, pendingRow: usize): i32 {
  const head = cell(Cell.RingHead);
  const tail = cell(Cell.RingTail);
  const wrapped = cell(Cell.RingWrapped) != 0;
  if (wrapsEarly()) {
    const early = attempt(part, pendingRow, 0, head);
    if (early == RowsAbort.None) wrapAfter(tail);
    if (early != RowsAbort.Capacity) return early;
  }
  const why = attempt(part, pendingRow, tail, wrapped ? head : JSON_RING_BYTES);
  if (why != RowsAbort.Capacity) return why;
  if (!wrapped) {
    if (head == 0) return why;
    // no room before the ring's end: start again at its beginning, up to the live bytes
    const again = attempt(part, pendingRow, 0, head);
    if (again == RowsAbort.None) wrapAfter(tail);
    return again;
  }
  // the live bytes at the ring's start reached those at its end, held by a long-pending call
  if (!unwrap()) return RowsAbort.Capacity;
  return attempt(part, pendingRow, cell(Cell.RingTail), JSON_RING_BYTES);
}

/** The ring is sized for a long-pending call's queue, yet its live bytes are mostly a few rows':
 *  it starts again at its beginning early when that has room, so a trace with a call pending
 *  somewhere at any time does not cycle through (and make resident) the whole ring. */
const EARLY_WRAP_BYTES: i32 = 4 << 20;

function wrapsEarly(): bool {
  return cell(Cell.RingWrapped) == 0 && cell(Cell.RingTail) >= EARLY_WRAP_BYTES && cell(Cell.RingHead) >= EARLY_WRAP_BYTES / 2;
}

/** The first segment at the ring's start was written: the live bytes wrap, the older ones ending
 *  at `end` (the tail before it). */
function wrapAfter(end: i32): void {
  setCell(Cell.RingWrapped, 1);
  setCell(Cell.RingWrapEnd, end);
}

/**
 * With the live bytes wrapped and no room between them: those at the ring's start move to just
 * after the older ones (which end at Cell.RingWrapEnd), so the live bytes are one run again with
 * the rest of the ring after them, and every queued row's segments (and `adding`'s) move with
 * them. Without it a call pending from before an early wrap would leave the queue behind it only
 * the room before its own JSON. False when the moved bytes would reach the ring's end. Each
 * unwrap moves at most the bytes written since the last wrap: linear.
 */
function unwrap(): bool {
  const end = cell(Cell.RingWrapEnd);
  const moved = cell(Cell.RingTail);
  if (<i64>end + <i64>moved >= <i64>JSON_RING_BYTES) return false;
  copyBytes(ringBase() + <usize>end, ringBase(), <usize>moved);
  // (the bytes at the ring's start are below `moved`; the older ones are at the head's offset or after it)
  const tail = cell(Cell.Tail);
  for (let s = cell(Cell.Head); s < tail; s++) {
    const row = ringRowAddr(s);
    for (let k = 0; k < 3; k++) {
      const f = row + <usize>segmentField(k);
      const at = ld32(f);
      if (at < moved) st32(f, at + end);
    }
  }
  if (adding.head < moved) adding.head += end;
  if (adding.middle < moved) adding.middle += end;
  if (adding.rest < moved) adding.rest += end;
  setCell(Cell.RingTail, end + moved);
  setCell(Cell.RingWrapped, 0);
  return true;
}

/** One try at [from, to) of the ring; `pendingRow`: the row a Resumed part completes (else 0). */
function attempt(part: i32, pendingRow: usize, from: i32, to: i32): i32 {
  const at = ringBase() + <usize>from;
  startOutput(at, to - from);
  if (part == COPY_PART) putBytes(copying.from, copying.length);
  else if (part == Part.Attached) {
    // (a moved segment is read where it is now: an unwrap may have moved it)
    if (attaching.movedLength > 0) attaching.movedFrom = ringBase() + <usize>ld32(attaching.movedRow + RowField.JsonMiddle);
    putAttachedSegment();
  } else {
    const argsInHead = pendingRow != 0 && (ld32(pendingRow + RowField.Flags) & RowFlag.ArgsInHead) != 0;
    const middleAt = pendingRow != 0 ? ringBase() + <usize>ld32(pendingRow + RowField.JsonMiddle) : 0;
    // (a pending call's middle cells hold its attached lines instead, when it has them: attach.ts)
    const middleLength = pendingRow != 0 && (ld32(pendingRow + RowField.Flags) & RowFlag.Attached) == 0 ? ld32(pendingRow + RowField.JsonMiddleLength) : 0;
    // (the head's last argument, which a resumed half's ` => x` takes)
    const lastArg = pendingRow != 0 ? ld32(pendingRow + RowField.JsonResultAt) : -1;
    let lastArgAt: usize = 0;
    let lastArgLength = 0;
    if (lastArg >= 0) {
      lastArgAt = ringBase() + <usize>ld32(pendingRow + RowField.JsonHead) + <usize>lastArg;
      lastArgLength = ld32(pendingRow + RowField.JsonHeadLength) - lastArg;
    }
    if (!putRecordPart(part, argsInHead, middleAt, middleLength, lastArgAt, lastArgLength)) return RowsAbort.Json;
  }
  // (the writers count what did not fit: output.at past output.end)
  if (output.at > output.end) return RowsAbort.Capacity;
  segment.at = from;
  segment.length = <i32>(output.at - at);
  setCell(Cell.RingTail, from + segment.length);
  return RowsAbort.None;
}

/**
 * Appends the JSON of the released row at `row` to the output at `out` (Cell.JsonOutLength bytes
 * in): its segments, the schema on the first record, the closing brace and a newline. False when
 * memory cannot grow to hold it.
 */
export function releaseJson(row: usize, out: usize): bool {
  let n = cell(Cell.JsonOutLength);
  const flags = ld32(row + RowField.Flags);
  const headLength = ld32(row + RowField.JsonHeadLength);
  const restLength = ld32(row + RowField.JsonRestLength);
  const attachedLength = (flags & RowFlag.Attached) != 0 ? ld32(row + RowField.JsonMiddleLength) : 0;
  const stamp = cell(Cell.Stamped) == 0 ? cell(Cell.StampLength) : 0;
  if (!roomForOutput(out, <u64>n + <u64>headLength + <u64>restLength + <u64>attachedLength + <u64>stamp + 2)) return false;
  const base = ringBase();
  n = copyTo(out, n, base + <usize>ld32(row + RowField.JsonHead), headLength);
  const rest = base + <usize>ld32(row + RowField.JsonRest);
  const attached = base + <usize>ld32(row + RowField.JsonMiddle);
  if (attachedLength == 0 || (flags & RowFlag.Merged) == 0) {
    // (a whole call's, or a call's never resumed: its attached lines' keys come last)
    n = copyTo(out, n, rest, restLength);
    n = copyTo(out, n, attached, attachedLength);
  } else {
    // a merged call: its endLine is the rest's last key; lines attached while it was pending come
    // before the result keys, the others after endLine (whose value is the attached segment's)
    const restEndLine = endLineLength(rest, restLength);
    const endLine = endLineLength(attached, attachedLength);
    if ((flags & RowFlag.AttachedEarly) != 0) {
      const resultAt = ld32(row + RowField.JsonResultAt);
      n = copyTo(out, n, rest, resultAt);
      n = copyTo(out, n, attached, attachedLength);
      n = copyTo(out, n, rest + <usize>resultAt, restLength - restEndLine - resultAt);
    } else {
      n = copyTo(out, n, rest, restLength - restEndLine);
      n = copyTo(out, n, attached + <usize>(attachedLength - endLine), endLine);
      n = copyTo(out, n, attached, attachedLength - endLine);
    }
  }
  if (stamp > 0) {
    copyBytes(out + <usize>n, hostTextAddr(HostText.Stamp), <usize>stamp);
    n += stamp;
    setCell(Cell.Stamped, 1);
  }
  st8(out + <usize>n, Char.RBRACE);
  st8(out + <usize>n + 1, Char.LF);
  setCell(Cell.JsonOutLength, n + 2);
  return true;
}

/** Copies `length` bytes at `from` to the output at `out`, `n` bytes in; returns the new `n`. */
function copyTo(out: usize, n: i32, from: usize, length: i32): i32 {
  if (length > 0) copyBytes(out + <usize>n, from, <usize>length);
  return n + length;
}

/** Memory for `bytes` of output at `out`. Grown to twice what is asked, and 4 MiB more, when it
 *  must grow: the TS build's memory grows by copying it, which must not happen row by row. */
function roomForOutput(out: usize, bytes: u64): bool {
  const end = <u64>out + bytes;
  if (isAddressable(end)) return true;
  return ensureMemory(end + bytes + <u64>(4 << 20)) || ensureMemory(end);
}

/** After a release: the live bytes now start at the head row's head segment (`row`). */
export function freeBefore(row: usize): void {
  const at = ld32(row + RowField.JsonHead);
  // moving back to a lower offset passes the ring's end: the live bytes no longer wrap
  if (at < cell(Cell.RingHead)) setCell(Cell.RingWrapped, 0);
  setCell(Cell.RingHead, at);
}

/** A row's segment `k` (head, middle, rest, in the order they are written), as the field of its
 *  offset; its length follows it. */
function segmentField(k: i32): i32 {
  return k == 0 ? RowField.JsonHead : k == 1 ? RowField.JsonMiddle : RowField.JsonRest;
}

/** Moves the JSON segments of the row copy at `row` (a pending call the hold-back cap released,
 *  build.ts detach) from the ring to the end of the aside area, rewriting its offsets; false
 *  when that is full. */
export function setAside(row: usize): bool {
  let used = cell(Cell.AsideUsed);
  for (let k = 0; k < 3; k++) {
    const f = segmentField(k);
    const length = ld32(row + <usize>f + 4);
    if (used + length > ASIDE_BYTES) return false;
    copyBytes(asideBase() + <usize>used, ringBase() + <usize>ld32(row + <usize>f), <usize>length);
    st32(row + <usize>f, used);
    used += length;
  }
  setCell(Cell.AsideUsed, used);
  return true;
}

/** Puts the aside segments of the row at `row` (now queued again, at the tail) back in the ring,
 *  head first (so it stays the row's oldest, freeBefore); false when the ring is full. */
export function putBack(row: usize): bool {
  // (the row is queued: an unwrap while its segments come back moves those back already, and
  // would move the aside offsets of the others too, so those are read first)
  const head = ld32(row + RowField.JsonHead);
  const middle = ld32(row + RowField.JsonMiddle);
  const rest = ld32(row + RowField.JsonRest);
  for (let k = 0; k < 3; k++) {
    const f = segmentField(k);
    copying.from = asideBase() + <usize>(k == 0 ? head : k == 1 ? middle : rest);
    copying.length = ld32(row + <usize>f + 4);
    if (writeSegment(COPY_PART, 0) != RowsAbort.None) return false;
    st32(row + <usize>f, segment.at);
  }
  return true;
}

/** Frees the aside bytes of the set-aside row copy at `row` (its bytes are the aside area's from
 *  its head's offset, and later rows' follow): the later bytes move down, and `later`, the copies
 *  set aside after it (`count` of them, `stride` bytes apart), have their offsets moved too. */
export function dropAside(row: usize, later: usize, count: i32, stride: i32): void {
  const start = ld32(row + RowField.JsonHead);
  const length = ld32(row + RowField.JsonHeadLength) + ld32(row + RowField.JsonMiddleLength) + ld32(row + RowField.JsonRestLength);
  const used = cell(Cell.AsideUsed);
  copyBytes(asideBase() + <usize>start, asideBase() + <usize>(start + length), <usize>(used - start - length));
  setCell(Cell.AsideUsed, used - length);
  for (let j = 0; j < count; j++) {
    const r = later + <usize>(j * stride);
    for (let k = 0; k < 3; k++) {
      const f = segmentField(k);
      st32(r + <usize>f, ld32(r + <usize>f) - length);
    }
  }
}
