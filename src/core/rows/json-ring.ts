// The JSON of rows not yet released (rows with JSON, rowsReset's `json`): segments in a byte ring
// right after the rows block, so a pending call's head, and the rows queued behind it, keep their
// JSON from one chunk to the next. Segments are taken at the tail and freed in release order:
// every live segment belongs to a queued row and none is older than the head row's head segment,
// so that segment's offset is where the live bytes start. A segment that does not fit stops the
// rows (RowsAbort.Capacity), and the host reads on the full way.

import { RowField, RowFlag, RowsAbort } from "../abi.js";
import { Char } from "../bytes.js";
import { output, startOutput } from "../json/out.js";
import { copyBytes, ld32, st8 } from "../mem.js";
import { ensureMemory, isAddressable } from "../regions.js";
import { putRecordPart } from "./json.js";
import { blockBase, Cell, cell, HostText, hostTextAddr, ROWS_BLOCK_BYTES, setCell } from "./layout.js";

/** The ring's size: room for the JSON of every row the queue may hold behind a pending call. */
export const JSON_RING_BYTES: i32 = 16 << 20;

function ringBase(): usize {
  return blockBase() + <usize>ROWS_BLOCK_BYTES;
}

/** The segment the last writeSegment made (fields of one object: see scan/cursor.ts for why). */
export namespace segment {
  export let at: i32 = 0;
  export let length: i32 = 0;
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
  const why = attempt(part, pendingRow, cell(Cell.RingTail), wrapped ? head : JSON_RING_BYTES);
  if (why != RowsAbort.Capacity || wrapped || head == 0) return why;
  // no room before the ring's end: start again at its beginning, up to the live bytes
  const again = attempt(part, pendingRow, 0, head);
  if (again == RowsAbort.None) setCell(Cell.RingWrapped, 1);
  return again;
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
