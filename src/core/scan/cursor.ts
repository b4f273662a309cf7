// The line scanner's cursor: the current line's bounds, the results the driver stores in its
// line row (kind, pid, error and where it happened), the call being scanned (for the echo checks)
// and the byte helpers every grammar module reads through. Offsets are relative to the chunk at
// regions.inputBase. Other modules change this state only through the setters below.

import { SP } from "../bytes.js";
import { byteAt } from "../regions.js";

/** End of the current line (exclusive): reads at or past it see 0. */
export let lineEnd: i32 = 0;
/** Results of the last scanLine call (abi.ts LineKind, ErrCode). */
export let lineKind: i32 = 0;
export let linePid: i32 = -1;
export let lineErr: i32 = 0;
export let lineErrAt: i32 = 0;
/** First node of the line being scanned. */
export let lineFirstNode: i32 = 0;
/** The Args node of the call being scanned (for the echo checks). */
export let argsNode: i32 = 0;
/** Span of the name of the call being scanned (for the echo checks of `write`). */
export let callNameStart: i32 = 0;
export let callNameEnd: i32 = 0;

export function setLineEnd(v: i32): void {
  lineEnd = v;
}
export function setLineKind(v: i32): void {
  lineKind = v;
}
export function setLinePid(v: i32): void {
  linePid = v;
}
export function setLineErr(v: i32): void {
  lineErr = v;
}
export function setLineErrAt(v: i32): void {
  lineErrAt = v;
}
export function setLineFirstNode(v: i32): void {
  lineFirstNode = v;
}
export function setArgsNode(v: i32): void {
  argsNode = v;
}
export function setCallName(start: i32, end: i32): void {
  callNameStart = start;
  callNameEnd = end;
}

/** The byte at `p`, or 0 at and past the line's end. */
export function at(p: i32): i32 {
  return p < lineEnd ? byteAt(p) : 0;
}

/** Whether the line holds the ASCII literal `s` at `p`. */
export function lit(p: i32, s: string): bool {
  const n = s.length;
  if (p + n > lineEnd) return false;
  for (let i = 0; i < n; i++) if (byteAt(p + i) != s.charCodeAt(i)) return false;
  return true;
}

/** Records the first error of the line (later ones keep it); returns -1 for `return fail(...)`. */
export function fail(code: i32, p: i32): i32 {
  if (lineErr == 0) {
    lineErr = code;
    lineErrAt = p;
  }
  return -1;
}

export function skipSpaces(p: i32): i32 {
  while (p < lineEnd && byteAt(p) == SP) p++;
  return p;
}
