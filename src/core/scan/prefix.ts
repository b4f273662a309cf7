// The line prefix: pid (`[pid  N]`, `N`, `N<comm>` under -Y), timestamps in every -t/-tt/-ttt
// and --timestamps form, `(+ 0.000123)` under -r, `[ip]` under -i and `[nr]` under -n.

import { ErrCode, NodeKind } from "../abi.js";
import { Char, isDigit, isHex } from "../bytes.js";
import { digitsValue } from "../literals.js";
import { close, leaf, open } from "../nodes.js";
import { byteAt } from "../regions.js";
import { at, cur, fail, lit, skipSpaces } from "./cursor.js";

/** Reads pid, -Y comm, timestamp, -i pointer and -n number. Returns where the body starts. */
export function scanPrefix(p: i32): i32 {
  if (at(p) == Char.LBRACK && lit(p, "[pid")) {
    const br = open(NodeKind.PidBracket, p);
    let q = skipSpaces(p + 4);
    const ds = q;
    while (isDigit(at(q))) q++;
    // pids have at most 7 digits (pid_max is 4194304); anything longer is not a pid
    if (q == ds || q - ds > 7 || (at(q) != Char.RBRACK && at(q) != Char.LT)) return fail(ErrCode.Unexpected, q);
    leaf(NodeKind.Pid, ds, q);
    cur.pid = digitsValue(ds, q);
    if (at(q) == Char.LT) {
      // -Y with -f: `[pid 1234<comm>]`
      const close = commClose(q, Char.RBRACK);
      if (close < 0) return fail(ErrCode.Unexpected, q);
      leaf(NodeKind.Comm, q + 1, close);
      q = close + 1;
    }
    q++;
    close(br, q);
    if (at(q) != Char.SP) return fail(ErrCode.Unexpected, q);
    p = q + 1;
  } else if (isDigit(at(p))) {
    let q = p;
    while (isDigit(at(q))) q++;
    const c = at(q);
    // Pids have at most 7 digits; a longer leading number is a -ttt / unix-seconds timestamp.
    if (q - p <= 7 && (c == Char.SP || c == Char.LT)) {
      leaf(NodeKind.Pid, p, q);
      cur.pid = digitsValue(p, q);
      if (c == Char.LT) {
        // -Y: `1234<comm>`
        const close = commClose(q, Char.SP);
        if (close < 0) return fail(ErrCode.Unexpected, q);
        leaf(NodeKind.Comm, q + 1, close);
        q = close + 1;
      }
      p = skipSpaces(q);
    }
  }
  // Timestamps: -t/-tt `HH:MM:SS[.frac]`, -ttt/unix `SECS[.frac]`, -r right-aligned `  SECS[.frac]`.
  {
    const s = skipSpaces(p);
    let q = s;
    while (isDigit(at(q))) q++;
    if (q > s) {
      let ok = false;
      if (at(q) == Char.COLON) {
        q++;
        while (isDigit(at(q)) || at(q) == Char.COLON) q++;
        ok = true;
      }
      if (at(q) == Char.DOT && isDigit(at(q + 1))) {
        q++;
        while (isDigit(at(q))) q++;
        ok = true;
      } else if (!ok) {
        // whole seconds: unix seconds without a fraction, or -r with precision:s (`     0`); no
        // body starts with a digit, so a number here is always a timestamp
        ok = true;
      }
      if (ok && at(q) == Char.SP) {
        leaf(NodeKind.Time, s, q);
        p = q + 1;
        // -t with -r: `(+     0.000243) `, the time since the previous line
        if (at(p) == Char.LPAREN && at(p + 1) == Char.PLUS) {
          const rs = skipSpaces(p + 2);
          let r = rs;
          while (isDigit(at(r)) || at(r) == Char.DOT) r++;
          if (r > rs && at(r) == Char.RPAREN && at(r + 1) == Char.SP) {
            leaf(NodeKind.Relative, rs, r);
            p = r + 2;
          }
        }
      }
    }
  }
  // -i `[00007f..]` / `[????????????????]` and -n `[ 257]` / `[???]`, in that order.
  while (at(p) == Char.LBRACK) {
    let q = p + 1;
    let spaces = 0;
    while (q < cur.end && byteAt(q) != Char.RBRACK && byteAt(q) != Char.LBRACK) {
      const c = byteAt(q);
      if (c == Char.SP) spaces++;
      else if (!isHex(c) && c != Char.QMARK) return p;
      q++;
    }
    if (at(q) != Char.RBRACK || at(q + 1) != Char.SP) return p;
    const len = q - (p + 1);
    if (len == 0) return p;
    // Instruction pointers are zero-padded to 8 or 16 digits; -n numbers are padded with spaces.
    leaf(spaces == 0 && (len == 8 || len == 16) ? NodeKind.Ip : NodeKind.Scno, p + 1, q);
    p = q + 2;
  }
  return p;
}

/** The `>` closing a -Y comm whose `<` is at q: the first `>` followed by `after`. A comm is at
 *  most 15 bytes, escaped up to four each (`\33`), and may itself contain `>`. -1 if none. */
export function commClose(q: i32, after: i32): i32 {
  for (let r = q + 1; r < cur.end && r <= q + 65; r++) if (byteAt(r) == Char.GT && at(r + 1) == after) return r;
  return -1;
}
