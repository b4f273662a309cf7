// The JSON of -k frames and hex dump lines on the record they follow, as the stitcher attaches them
// (src/model/stitch/attach.ts): a frame's text without its ` > `, or a dump's whole line, appended
// to the record's `stack` (or `dump`) array, and `endLine` moved to the line's number.
//
// A record's attached lines are one segment of the rows' JSON ring, always in the form a whole
// call's record ends with: `,"stack":["a","b"],"endLine":N`. Each new line overwrites the tail
// `],"endLine":N` and writes it again after the new item, so the segment grows in place while it
// is the ring's newest; when a record was written after it (frames printed after an `+++ exited`
// line go to the last call), it moves to the ring's tail (attach.ts). A merged call's rest
// already ends with `,"endLine":R`: its later frames come after that key, and those attached
// while it was pending before its result keys (mergeHalves' order); json-ring.ts releaseJson
// writes the parts in that order, from the same bytes.

import { Char } from "../bytes.js";
import { put, putBytes, putJsonString, putLit, putSmallDecimal } from "../json/out.js";
import { ld8 } from "../mem.js";
import { byteAt } from "../regions.js";

/** The line being attached (fields of one object: see scan/cursor.ts for why). */
export namespace attaching {
  /** The text the record keeps: input bytes [start, end). */
  export let start: i32 = 0;
  export let end: i32 = 0;
  export let dump: bool = false;
  export let number: i32 = 0;
  /** Moving the record's segment: its row, the address of its bytes (json-ring.ts sets it as
   *  it writes) and how many up to the tail's `]` (0: a first line). */
  export let movedRow: usize = 0;
  export let movedFrom: usize = 0;
  export let movedLength: i32 = 0;
  /** False when a moved segment takes no new line, only a new endLine (json-ring.ts
   *  moveAttached). */
  export let adding: bool = true;
}

/** Length of `,"endLine":`. */
const END_LINE_KEY: i32 = 11;

/** Whether the host's text of input bytes [s, e) is one char per byte: ASCII (text.ts outputText
 *  decodes anything else as UTF-8, which the core does not model). */
export function attachableText(s: i32, e: i32): bool {
  for (let p = s; p < e; p++) if (byteAt(p) > Char.DEL) return false;
  return true;
}

/** A record's attached segment, new at the output cursor: with a first line,
 *  `,"stack":["text"],"endLine":N`; else the segment moved (attaching.moved*) and the line added. */
export function putAttachedSegment(): void {
  if (attaching.movedLength > 0) {
    putBytes(attaching.movedFrom, attaching.movedLength);
    if (attaching.adding) putNextAttached();
    else putEndLine();
    return;
  }
  putLit(attaching.dump ? ',"dump":[' : ',"stack":[');
  putJsonString(attaching.start, attaching.end);
  putEndLine();
}

/** A later attached line, at the output cursor (where the segment's tail was): `,"text"` and the
 *  tail again. */
export function putNextAttached(): void {
  put(Char.COMMA);
  putJsonString(attaching.start, attaching.end);
  putEndLine();
}

function putEndLine(): void {
  put(Char.RBRACK);
  putLit(',"endLine":');
  putSmallDecimal(attaching.number);
}

/** Length of the `,"endLine":N` that the `length` bytes at `at` end with. */
export function endLineLength(at: usize, length: i32): i32 {
  let digits = 0;
  while (digits < length) {
    const c = ld8(at + <usize>(length - 1 - digits));
    if (c < Char.DIGIT_0 || c > Char.DIGIT_9) break;
    digits++;
  }
  return END_LINE_KEY + digits;
}
