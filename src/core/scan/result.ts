// What follows a call's arguments: ` = ret` with its decoration, errno and message, the
// `(...)` trailers (INJECTED, Timeout, ...), the -T duration, and ` <unfinished ...>`.

import { ErrCode, LineKind, NodeKind } from "../abi.js";
import { Char, isDigit, isHex, isUpperIdentChar } from "../bytes.js";
import { leaf } from "../nodes.js";
import { byteAt } from "../regions.js";
import { markerLength, scanCommentEnd, scanDecorEnd, scanStringEnd } from "./args.js";
import { at, cur, fail, lit, skipSpaces } from "./cursor.js";

export function finishUnfinished(q: i32): bool {
  const s = at(q) == Char.SP ? q + 1 : q;
  const n = markerLength(s);
  if (n == 0) return fail(ErrCode.Unexpected, q) >= 0;
  leaf(lit(s, "<detached ...>") ? NodeKind.Detached : NodeKind.Unfinished, q, s + n);
  q = s + n;
  if (at(q) == Char.RPAREN) return scanResult(q + 1); // legacy `<unfinished ...>)` forms
  if (skipSpaces(q) < cur.end) return fail(ErrCode.Unexpected, q) >= 0;
  cur.kind = LineKind.Unfinished;
  return true;
}

/** After `)`: `<pad>= ret[<decor>] [ERRNO (msg)] [(aux)]... [<duration>]`. */
export function scanResult(p: i32): bool {
  let q = p;
  while (at(q) == Char.SP) q++;
  if (q == p || at(q) != Char.EQ || at(q + 1) != Char.SP) {
    // `exit(0) <unfinished ...>`-style or a bare `)`: only the unfinished marker may follow.
    if (markerLength(q) > 0) return finishUnfinished(q > p ? q - 1 : q);
    return fail(ErrCode.BadReturn, q) >= 0;
  }
  leaf(NodeKind.Pad, p, q);
  q += 2;
  const rs = q;
  q = retEnd(rs);
  if (q < 0) return fail(ErrCode.BadReturn, rs) >= 0;
  leaf(NodeKind.Ret, rs, q);
  if (at(q) == Char.LT) {
    const d = scanDecorEnd(q + 1);
    if (d < 0) return fail(ErrCode.Unexpected, q) >= 0;
    leaf(NodeKind.RetDecor, q + 1, d);
    q = d + 1;
    if (lit(q, "(deleted)")) {
      leaf(NodeKind.Deleted, q, q + 9);
      q += 9;
    }
  }
  // (only the first parenthesis after the value can be an unnamed errno)
  let sawErrno = false;
  while (true) {
    if (q >= cur.end) break;
    if (at(q) != Char.SP) return fail(ErrCode.BadReturn, q) >= 0;
    const s = q + 1;
    const c = at(s);
    if (c >= Char.UPPER_A && c <= Char.UPPER_Z) {
      let r = s;
      while (isUpperIdentChar(at(r))) r++;
      leaf(NodeKind.Errno, s, r);
      sawErrno = true;
      q = r;
      if (at(q) == Char.SP && at(q + 1) == Char.LPAREN) {
        const m = scanParenEnd(q + 2);
        if (m < 0) return fail(ErrCode.Unbalanced, q + 1) >= 0;
        leaf(NodeKind.ErrMsg, q + 2, m);
        q = m + 1;
      }
      continue;
    }
    if (c == Char.LPAREN) {
      const m = scanParenEnd(s + 1);
      if (m < 0) return fail(ErrCode.Unbalanced, s) >= 0;
      // `= -1 (errno 4000)`: an error strace has no name for is still the call's errno
      leaf(!sawErrno && isUnnamedErrno(s + 1, m) ? NodeKind.Errno : NodeKind.Aux, s + 1, m);
      sawErrno = true;
      q = m + 1;
      continue;
    }
    if (c == Char.LT) {
      if (lit(s, "<unavailable>")) {
        leaf(NodeKind.Unavailable, s, s + 13);
        q = s + 13;
        continue;
      }
      let r = s + 1;
      while (isDigit(at(r)) || at(r) == Char.DOT) r++;
      if (r == s + 1 || at(r) != Char.GT) return fail(ErrCode.BadReturn, s) >= 0;
      leaf(NodeKind.Duration, s + 1, r);
      q = r + 1;
      continue;
    }
    if (c == Char.SLASH && at(s + 1) == Char.STAR) {
      const r = scanCommentEnd(s + 2);
      if (r < 0) return fail(ErrCode.Unexpected, s) >= 0;
      leaf(NodeKind.Comment, s + 2, r);
      q = r + 2;
      continue;
    }
    if (c == Char.SP || c == 0) {
      // trailing spaces
      if (skipSpaces(q) >= cur.end) break;
    }
    return fail(ErrCode.BadReturn, s) >= 0;
  }
  cur.kind = LineKind.Call;
  return true;
}

/** The end of the return value that starts at `rs` (`?`, a decimal or `0x` hex number, signed or
 *  not); -1 when there is none (scan/row-line.ts reads it the same way). */
export function retEnd(rs: i32): i32 {
  let q = rs;
  if (at(q) == Char.QMARK) return q + 1;
  if (at(q) == Char.MINUS) q++;
  if (at(q) == Char.DIGIT_0 && at(q + 1) == Char.LOWER_X) {
    q += 2;
    while (isHex(at(q))) q++;
  } else {
    while (isDigit(at(q))) q++;
  }
  return q == rs || (q == rs + 1 && at(rs) == Char.MINUS) ? -1 : q;
}

/** Index of the `)` closing a parenthesis opened just before `p` (nested parens and brackets allowed). */
/** `errno N` in [s, e): how strace prints an error number it has no name for. */
export function isUnnamedErrno(s: i32, e: i32): bool {
  if (e - s < 7 || !lit(s, "errno ")) return false;
  for (let i = s + 6; i < e; i++) if (!isDigit(at(i))) return false;
  return true;
}

export function scanParenEnd(p: i32): i32 {
  let d = 0;
  for (let q = p; q < cur.end; q++) {
    const c = byteAt(q);
    if (c == Char.QUOTE) {
      q = scanStringEnd(q);
      if (q < 0) return -1;
      q--;
      continue;
    }
    if (c == Char.LPAREN || c == Char.LBRACK || c == Char.LBRACE) d++;
    else if (c == Char.RBRACK || c == Char.RBRACE) d--;
    else if (c == Char.RPAREN) {
      if (d == 0) return q;
      d--;
    }
  }
  return -1;
}
