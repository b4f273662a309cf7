// The JSON of rows not yet released (rows with JSON, rowsReset's `json`): segments in a byte ring
// right after the rows block, so a pending call's head, and the rows queued behind it, keep their
// JSON from one chunk to the next. Segments are taken at the tail and freed in release order:
// every live segment belongs to a queued row and none is older than the head row's head segment,
// so that segment's offset is where the live bytes start. A segment that does not fit stops the
// rows (RowsAbort.Capacity), and the host reads on the full way.

import { RowField, RowFlag, RowsAbort } from "../abi.js";
import { Char } from "../bytes.js";
import { output, startOutput } from "../json/out.js";
import { copyBytes, ld32, st32, st8 } from "../mem.js";
import { ensureMemory, isAddressable } from "../regions.js";
import { putRecordPart } from "./json.js";
import { blockBase, Cell, cell, HostText, hostTextAddr, ROWS_BLOCK_BYTES, setCell } from "./layout.js";

/** The ring's size: room for the JSON of the rows the stitcher holds behind a pending call before
 *  its hold-back cap (65,536 records of ~400 bytes). */
export const JSON_RING_BYTES: i32 = 32 << 20;
/** After the ring: the JSON segments of pending calls the hold-back cap released from their queue
 *  place (build.ts detach), kept until they leave, in the order they were set aside. */
export const ASIDE_BYTES: i32 = 1 << 20;
/** Bytes the rows' JSON needs after the rows block. */
export const JSON_AREA_BYTES: i32 = JSON_RING_BYTES + ASIDE_BYTES;

function ringBase(): usize {
  return blockBase() + <usize>ROWS_BLOCK_BYTES;
}

/** The segment the last writeSegment made (fields of one object: see scan/cursor.ts for why). */
export namespace segment {
  export let at: i32 = 0;
  export let length: i32 = 0;
}

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
  const wrapped = cell(Cell.RingWrapped) != 0;
  if (wrapsEarly()) {
    const early = attempt(part, pendingRow, 0, head);
    if (early == RowsAbort.None) setCell(Cell.RingWrapped, 1);
    if (early != RowsAbort.Capacity) return early;
  }
  const why = attempt(part, pendingRow, cell(Cell.RingTail), wrapped ? head : JSON_RING_BYTES);
  if (why != RowsAbort.Capacity || wrapped || head == 0) return why;
  // no room before the ring's end: start again at its beginning, up to the live bytes
  const again = attempt(part, pendingRow, 0, head);
  if (again == RowsAbort.None) setCell(Cell.RingWrapped, 1);
  return again;
}

/** The ring is sized for a long-pending call's queue, yet its live bytes are mostly a few rows':
 *  it starts again at its beginning early when that has room, so a trace with a call pending
 *  somewhere at any time does not cycle through (and make resident) the whole ring. */
const EARLY_WRAP_BYTES: i32 = 4 << 20;

function wrapsEarly(): bool {
  return cell(Cell.RingWrapped) == 0 && cell(Cell.RingTail) >= EARLY_WRAP_BYTES && cell(Cell.RingHead) >= EARLY_WRAP_BYTES / 2;
}

/** One try at [from, to) of the ring; `pendingRow`: the row a Resumed part completes (else 0). */
function attempt(part: i32, pendingRow: usize, from: i32, to: i32): i32 {
  const at = ringBase() + <usize>from;
  startOutput(at, to - from);
  const argsInHead = pendingRow != 0 && (ld32(pendingRow + RowField.Flags) & RowFlag.ArgsInHead) != 0;
  const middleAt = pendingRow != 0 ? ringBase() + <usize>ld32(pendingRow + RowField.JsonMiddle) : 0;
  const middleLength = pendingRow != 0 ? ld32(pendingRow + RowField.JsonMiddleLength) : 0;
  if (!putRecordPart(part, argsInHead, middleAt, middleLength)) return RowsAbort.Json;
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
  const headLength = ld32(row + RowField.JsonHeadLength);
  const restLength = ld32(row + RowField.JsonRestLength);
  const stamp = cell(Cell.Stamped) == 0 ? cell(Cell.StampLength) : 0;
  if (!roomForOutput(out, <u64>n + <u64>headLength + <u64>restLength + <u64>stamp + 2)) return false;
  const base = ringBase();
  copyBytes(out + <usize>n, base + <usize>ld32(row + RowField.JsonHead), <usize>headLength);
  n += headLength;
  if (restLength > 0) {
    copyBytes(out + <usize>n, base + <usize>ld32(row + RowField.JsonRest), <usize>restLength);
    n += restLength;
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

/** Copies `length` bytes at `from` to the ring's tail as a segment (in `segment`); false when the
 *  ring is full. */
function appendSegment(from: usize, length: i32): bool {
  let at = cell(Cell.RingTail);
  const head = cell(Cell.RingHead);
  const wrapped = cell(Cell.RingWrapped) != 0;
  if (at + length > (wrapped ? head : JSON_RING_BYTES) || (wrapsEarly() && length <= head)) {
    // no room before the ring's end: start again at its beginning, up to the live bytes
    if (wrapped || head == 0 || length > head) return false;
    at = 0;
    setCell(Cell.RingWrapped, 1);
  }
  copyBytes(ringBase() + <usize>at, from, <usize>length);
  segment.at = at;
  segment.length = length;
  setCell(Cell.RingTail, at + length);
  return true;
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
  for (let k = 0; k < 3; k++) {
    const f = segmentField(k);
    if (!appendSegment(asideBase() + <usize>ld32(row + <usize>f), ld32(row + <usize>f + 4))) return false;
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
