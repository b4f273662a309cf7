// A line read straight into its record row's fields, for the row stage alone (scanChunk's rows
// mode): `stats` and sequences read a call's pid, time, name, return, errno and duration, and the
// usual reading writes a node for each part, then the row stage walks those nodes and reads the
// same bytes again for the numbers. Here one pass over the line's bytes gives the numbers, and
// one entry (abi.ts RowLineField) holds them for rows/line.ts.
//
// It takes only the most common shape, `[pid] [time] name(args) = ret[<path>] [ERRNO (msg)]
// [(aux)]... [<duration>]`, its ` <unfinished ...>` form and `<... name resumed>args) = ret ...`, and only where
// every step is the one the scanner's own takes (prefix.ts, line.ts scanBody, call.ts, result.ts,
// the argument list skipped by shallow.ts) and the fields are the ones rows/line.ts reads from the
// nodes. Anything else — another prefix (`-i`, `-n`, `-Y`, `-r`), an argument list
// the skipper leaves to the grammar, a second errno or duration, a shape rows/line.ts refuses — is
// false, with nothing written, and the line is scanned as usual. The row stage then gives the same
// rows either way: test/rows.test.ts and the fuzzer compare the rows with the full reading's records.

import { LineKind, NodeKind, ROW_LINE_SLOTS, RowFlag, RowLineBit, RowLineField } from "../abi.js";
import { Char, isDigit, isIdentChar, isIdentStart, isUpperIdentChar } from "../bytes.js";
import { CHUNK_BYTES, decimalSecondsIn, digitsValue, retValue, timestampSecondsIn } from "../literals.js";
import { st32, stf64 } from "../mem.js";
import { appendEntry } from "../nodes.js";
import { at, cur, lit, skipSpaces } from "./cursor.js";
import { scanDecorEnd, startDecorBudget } from "./args.js";
import { isUnnamedErrno, retEnd, scanParenEnd } from "./result.js";
import { maySkipArgs, skipArgs } from "./shallow.js";

/** ` <unfinished ...>`, the only marker taken (what shallow.ts skipArgs stops at). */
const UNFINISHED_MARKER_LENGTH: i32 = 17;

/**
 * Reads the line [start, end) into a RowLine entry and sets the line's kind and pid (cur) as the
 * scanner would; false, with nothing written, when the line is not of the shape taken here.
 */
export function readRowLine(start: i32, end: i32): bool {
  cur.end = end;
  // (the same budget of decoration bytes as the scanner's reading of the line: line.ts)
  startDecorBudget(end - start);
  cur.err = 0;
  cur.errAt = 0;
  let pid = -1;
  let bits = 0;
  let time: f64 = 0;
  let duration: f64 = 0;
  let ret: f64 = NaN;
  let p = start;
  // -- the prefix, as prefix.ts reads it: `[pid N] ` or `N ` and spaces, then a timestamp
  const c0 = at(p);
  if (c0 == Char.LBRACK) {
    if (!lit(p, "[pid")) return false;
    let q = skipSpaces(p + 4);
    const ds = q;
    while (isDigit(at(q))) q++;
    if (q == ds || q - ds > 7 || at(q) != Char.RBRACK || at(q + 1) != Char.SP) return false;
    pid = digitsValue(ds, q);
    p = q + 2;
  } else if (isDigit(c0)) {
    let q = p;
    while (isDigit(at(q))) q++;
    if (q - p <= 7) {
      // (`N<comm>` under -Y is the scanner's)
      if (at(q) == Char.LT) return false;
      if (at(q) == Char.SP) {
        pid = digitsValue(p, q);
        p = skipSpaces(q);
      }
    }
  } else if (!isIdentStart(c0) && c0 != Char.LT) {
    return false;
  }
  const s = skipSpaces(p);
  let q = s;
  while (isDigit(at(q))) q++;
  if (q > s) {
    if (at(q) == Char.COLON) {
      q++;
      while (isDigit(at(q)) || at(q) == Char.COLON) q++;
    }
    if (at(q) == Char.DOT && isDigit(at(q + 1))) {
      q++;
      while (isDigit(at(q))) q++;
    }
    if (at(q) != Char.SP) return false;
    time = timestampSecondsIn(CHUNK_BYTES, s, q);
    bits |= RowFlag.HasTime;
    p = q + 1;
    // (`(+ 0.000243) ` under -t -r, `[ip]` under -i, `[nr]` under -n: the scanner's)
    if (at(p) == Char.LBRACK || (at(p) == Char.LPAREN && at(p + 1) == Char.PLUS)) return false;
  } else if (at(p) == Char.LBRACK) {
    return false;
  }
  // -- the body: `name(` or `<... name resumed>`
  let nameStart = p;
  let nameEnd: i32;
  const c = at(p);
  if (c == Char.LT) {
    if (!lit(p, "<... ")) return false;
    q = p + 5;
    nameStart = q;
    while (isIdentChar(at(q))) q++;
    // (a headless resume, and what may follow the head other than the arguments, are the scanner's)
    if (q == nameStart || at(q) != Char.SP || !lit(q + 1, "resumed>")) return false;
    nameEnd = q;
    p = q + 9;
    if (at(p) == Char.SP || at(p) == Char.LT) return false;
    bits |= RowLineBit.Resumed;
  } else if (isIdentStart(c)) {
    q = p;
    while (isIdentChar(at(q))) q++;
    if (at(q) != Char.LPAREN) return false;
    nameEnd = q;
    p = q + 1;
  } else {
    return false;
  }
  cur.callNameStart = nameStart;
  cur.callNameEnd = nameEnd;
  if (!maySkipArgs()) return false;
  const argsEnd = skipArgs(p);
  if (argsEnd < 0) return false;
  let errnoStart = -1;
  let errnoEnd = -1;
  if (at(argsEnd) != Char.RPAREN) {
    // skipArgs stopped at ` <unfinished ...>`; a resumed half cut again is the scanner's
    const m = argsEnd + UNFINISHED_MARKER_LENGTH;
    if ((bits & RowLineBit.Resumed) != 0 || at(m) == Char.RPAREN || skipSpaces(m) < end) return false;
    bits |= RowLineBit.Unfinished;
  } else {
    // -- the result, as result.ts scanResult reads it
    const r0 = argsEnd + 1;
    let r = r0;
    while (at(r) == Char.SP) r++;
    if (r == r0 || at(r) != Char.EQ || at(r + 1) != Char.SP) return false;
    r += 2;
    const rs = r;
    r = retEnd(rs);
    if (r < 0) return false;
    if (!(r == rs + 1 && at(rs) == Char.QMARK)) {
      bits |= RowFlag.Returned;
      ret = retValue(rs, r);
    }
    // an fd's `<path>`, and `(deleted)` after it
    if (at(r) == Char.LT) {
      const d = scanDecorEnd(r + 1);
      if (d < 0) return false;
      r = d + 1;
      if (lit(r, "(deleted)")) r += 9;
    }
    let sawErrno = false;
    while (r < end) {
      if (at(r) != Char.SP) return false;
      const t = r + 1;
      const d = at(t);
      if (d >= Char.UPPER_A && d <= Char.UPPER_Z) {
        if (errnoStart >= 0) return false;
        r = t;
        while (isUpperIdentChar(at(r))) r++;
        errnoStart = t;
        errnoEnd = r;
        sawErrno = true;
        bits |= RowFlag.Returned;
        if (at(r) == Char.SP && at(r + 1) == Char.LPAREN) {
          const m = scanParenEnd(r + 2);
          if (m < 0) return false;
          r = m + 1;
        }
      } else if (d == Char.LPAREN) {
        // `(INJECTED)`, `(Timeout)`, `(flags ...)`; `(errno 4000)` first is an errno, the scanner's
        const m = scanParenEnd(t + 1);
        if (m < 0 || (!sawErrno && isUnnamedErrno(t + 1, m))) return false;
        sawErrno = true;
        r = m + 1;
      } else if (d == Char.LT) {
        if ((bits & RowFlag.HasDuration) != 0) return false;
        let u = t + 1;
        while (isDigit(at(u)) || at(u) == Char.DOT) u++;
        // (`<unavailable>` fails here too: the scanner's)
        if (u == t + 1 || at(u) != Char.GT) return false;
        duration = decimalSecondsIn(CHUNK_BYTES, t + 1, u);
        // (a duration that is not a number: the row stage stops there, rows/line.ts)
        if (duration != duration) return false;
        bits |= RowFlag.HasDuration;
        r = u + 1;
      } else if (skipSpaces(r) >= end) {
        break; // trailing spaces
      } else {
        return false;
      }
    }
  }
  const e = appendEntry(NodeKind.RowLine, nameStart, nameEnd, ROW_LINE_SLOTS);
  if (e != 0) {
    st32(e + RowLineField.ErrnoStart, errnoStart);
    st32(e + RowLineField.ErrnoEnd, errnoEnd);
    st32(e + RowLineField.Bits, bits);
    st32(e + RowLineField.Pid, pid);
    stf64(e + RowLineField.Time, time);
    stf64(e + RowLineField.Duration, duration);
    stf64(e + RowLineField.Ret, ret);
  }
  cur.kind = (bits & RowLineBit.Unfinished) != 0 ? LineKind.Unfinished : (bits & RowLineBit.Resumed) != 0 ? LineKind.Resumed : LineKind.Call;
  cur.pid = pid;
  return true;
}
