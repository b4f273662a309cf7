// The line scanner's cursor: the current line's bounds, the results the driver stores in its
// line row (kind, pid, error and where it happened), the call being scanned (for the echo checks),
// the nesting depth and decoration budget of the argument grammar, and the byte helpers every
// grammar module reads through. Offsets are relative to the chunk at regions.inputBase.
//
// The state is one object's fields rather than module variables: on the TS target, V8 optimises
// field access on a constant object far better than access to mutable module bindings (measured
// 3x on the scanner's byte loop), and on the WASM target a field is one load either way.

import { Char } from "../bytes.js";
import { ld8 } from "../mem.js";
import { byteAt, regions } from "../regions.js";

export namespace cur {
  /** End of the current line (exclusive): reads at or past it see 0. */
  export let end: i32 = 0;
  /** Results of the last scanLine call (abi.ts LineKind, ErrCode). */
  export let kind: i32 = 0;
  export let pid: i32 = -1;
  export let err: i32 = 0;
  export let errAt: i32 = 0;
  /** First node of the line being scanned. */
  export let firstNode: i32 = 0;
  /** The Args node of the call being scanned (for the echo checks). */
  export let argsNode: i32 = 0;
  /** Span of the name of the call being scanned (for the echo checks of `write`). */
  export let callNameStart: i32 = 0;
  export let callNameEnd: i32 = 0;
  /** Nesting depth of the value being parsed; every level passes `++depth > MAX_DEPTH`. */
  export let depth: i32 = 0;
  /** Separator kind of the list parseItemsAfterFirst last finished (see there). */
  export let listSep: i32 = 0;
  /** Bytes decoration scans may still read on this line. A scan that finds no `>` runs to the end
   *  of the line, and text such as `[5<pipe:[3] x([4 => 1], [5<pipe:...` repeated would start one
   *  per segment: past this budget (several times the line, far above any real line's need) a
   *  decoration does not close, so a line's work stays linear in its length. */
  export let decorBudget: i32 = 0;
  /** Skip argument lists where shallow.ts can (scanChunk's `shallow`: the caller reads no arguments). */
  export let shallow: bool = false;
  /** Read the common call lines straight into their rows' fields (row-line.ts; scanChunk's rows mode). */
  export let rowLines: bool = false;
}

/** The byte at `p`, or 0 at and past the line's end. */
export function at(p: i32): i32 {
  return p < cur.end ? ld8(regions.inputBase + <usize>p) : 0;
}

/** Whether the line holds the ASCII literal `s` at `p`. */
export function lit(p: i32, s: string): bool {
  const n = s.length;
  if (p + n > cur.end) return false;
  for (let i = 0; i < n; i++) if (byteAt(p + i) != s.charCodeAt(i)) return false;
  return true;
}

/** Records the first error of the line (later ones keep it); returns -1 for `return fail(...)`. */
export function fail(code: i32, p: i32): i32 {
  if (cur.err == 0) {
    cur.err = code;
    cur.errAt = p;
  }
  return -1;
}

export function skipSpaces(p: i32): i32 {
  while (p < cur.end && byteAt(p) == Char.SP) p++;
  return p;
}
