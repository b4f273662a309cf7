// -k frames and hex dump lines onto the JSON of the record they belong to, the frames' owner (the
// stitcher's attachLine, src/model/stitch/attach.ts): each record's attached lines are one segment
// of the rows' JSON ring (its text: json-attached.ts), kept in the row's middle cells.

import { RowField, RowFlag, RowsAbort } from "../abi.js";
import { output, startOutput } from "../json/out.js";
import { ld32, st32 } from "../mem.js";
import { attachableText, attaching, endLineLength, putNextAttached } from "./json-attached.js";
import { Part } from "./json.js";
import { JSON_RING_BYTES, ringBase, segment, writeSegment } from "./json-ring.js";
import { Cell, cell, setCell } from "./layout.js";

/** The most bytes of a record's attached lines moved to the ring's tail (below): past it, such a
 *  record (one with a line after every exit line, say) is left to the host, so moves stay linear. */
const MOVE_MAX_BYTES: i32 = 64 << 10;

/**
 * Attaches the line in `attaching` to the JSON of the row at `row`: the first as a new segment at
 * the ring's tail; a later one by growing that segment in place, or, when other JSON was written
 * after it (strace prints exit_group's frames after its `+++ exited` line, and another process's
 * lines may come between), by moving it to the tail. Returns RowsAbort.None; Json for a line left
 * to the host (both kinds on one record; text that is not ASCII; a pending restart_syscall, whose
 * middle cells are taken); Capacity when the ring is full.
 */
export function attachLine(row: usize): i32 {
  const flags = ld32(row + RowField.Flags);
  if (!attachableText(attaching.start, attaching.end)) return RowsAbort.Json;
  const kind = attaching.dump ? RowFlag.Attached | RowFlag.AttachedDump : RowFlag.Attached;
  attaching.movedLength = 0;
  attaching.adding = true;
  if ((flags & RowFlag.Attached) == 0) {
    const pending = (flags & RowFlag.Ready) == 0;
    if (pending && ld32(row + RowField.JsonMiddleLength) > 0) return RowsAbort.Json;
    return newSegment(row, flags | kind | (pending ? RowFlag.AttachedEarly : 0));
  }
  if ((flags & (RowFlag.Attached | RowFlag.AttachedDump)) != kind) return RowsAbort.Json;
  const at = ld32(row + RowField.JsonMiddle);
  const length = ld32(row + RowField.JsonMiddleLength);
  // the new item goes where the tail `],"endLine":N` was
  const from = length - 1 - endLineLength(ringBase() + <usize>at, length);
  if (at + length == cell(Cell.RingTail)) {
    const limit = cell(Cell.RingWrapped) != 0 ? cell(Cell.RingHead) : JSON_RING_BYTES;
    startOutput(ringBase() + <usize>(at + from), limit - at - from);
    putNextAttached();
    if (output.at <= output.end) {
      const grown = from + <i32>(output.at - output.base);
      st32(row + RowField.JsonMiddleLength, grown);
      setCell(Cell.RingTail, at + grown);
      return RowsAbort.None;
    }
    // (no room after it: it moves, where writeSegment finds room; its bytes before `]` are intact)
  }
  return move(row, flags, from);
}

/**
 * A resumed half has completed the call at `row`, whose lines were attached while it was pending:
 * its endLine is now the resumed half's line (mergeHalves), so the segment is written again at
 * the ring's tail with that (where later frames grow it). Returns as attachLine does.
 */
export function moveAttached(row: usize, lineNumber: i32): i32 {
  const at = ld32(row + RowField.JsonMiddle);
  const length = ld32(row + RowField.JsonMiddleLength);
  attaching.number = lineNumber;
  attaching.adding = false;
  return move(row, ld32(row + RowField.Flags), length - 1 - endLineLength(ringBase() + <usize>at, length));
}

/** The row's attached segment, its first `keep` bytes (up to its `]`), written again at the
 *  ring's tail with attaching's line or endLine (json-ring.ts reads it where it is then). */
function move(row: usize, flags: i32, keep: i32): i32 {
  if (keep > MOVE_MAX_BYTES) return RowsAbort.Json;
  attaching.movedRow = row;
  attaching.movedLength = keep;
  return newSegment(row, flags);
}

function newSegment(row: usize, flags: i32): i32 {
  const why = writeSegment(Part.Attached, 0);
  if (why != RowsAbort.None) return why;
  st32(row + RowField.JsonMiddle, segment.at);
  st32(row + RowField.JsonMiddleLength, segment.length);
  st32(row + RowField.Flags, flags);
  return RowsAbort.None;
}
