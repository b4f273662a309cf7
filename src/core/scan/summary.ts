// -c / -C summary tables: the header, the dashed rules, the rows and the total line. Tested
// only after a line failed to read as anything else, so the common case pays nothing.

import { Char, isDigit, isIdentChar, isIdentStart } from "../bytes.js";
import { byteAt } from "../regions.js";
import { at, cur, lit, skipSpaces } from "./cursor.js";

/** -c/-C table lines: headers (every word a column name), `------` rules, `System call usage
 *  summary for ...`, and rows: numbers and one name (the syscall, or `total`) in any order, since
 *  -U picks the columns and their order. (The stitcher takes rows only inside a table.) */
export function isSummaryLine(p: i32): bool {
  const c0 = at(p);
  if ((c0 == Char.MINUS && lit(p, "------")) || (c0 == Char.UPPER_S && lit(p, "System call usage summary"))) return true;
  if (isSummaryHeader(p)) return true;
  let numeric = 0;
  let names = 0;
  let q = p;
  while (true) {
    q = skipSpaces(q);
    if (q >= cur.end) return numeric > 0 && names == 1;
    const s = q;
    let digits = 0;
    let other = 0;
    while (q < cur.end && byteAt(q) != Char.SP) {
      const c = byteAt(q);
      if (isDigit(c)) digits++;
      else if (c != Char.DOT) other++;
      q++;
    }
    if (other == 0 && digits > 0) {
      numeric++;
      continue;
    }
    if (!isIdentStart(byteAt(s))) return false;
    for (let i = s; i < q; i++) if (!isIdentChar(byteAt(i))) return false;
    if (++names > 1) return false;
  }
}

/** A table header: two or more words, each a column name strace prints (`% time` is one). */
export function isSummaryHeader(p: i32): bool {
  let q = skipSpaces(p);
  let words = 0;
  while (q < cur.end) {
    const n = columnNameLength(q);
    if (n == 0) return false;
    q = skipSpaces(q + n);
    words++;
  }
  return words >= 2;
}

/** Length of the column name at p (ending at a space or the line's end), else 0. */
export function columnNameLength(p: i32): i32 {
  let n = 0;
  const c = at(p);
  if (c == Char.PERCENT && lit(p, "% time")) n = 6;
  else if (c == Char.LOWER_S && lit(p, "seconds")) n = 7;
  else if (c == Char.LOWER_S && lit(p, "syscall")) n = 7;
  else if (c == Char.LOWER_S && lit(p, "shortest")) n = 8;
  else if (c == Char.LOWER_U && lit(p, "usecs/call")) n = 10;
  else if (c == Char.LOWER_C && lit(p, "calls")) n = 5;
  else if (c == Char.LOWER_E && lit(p, "errors")) n = 6;
  else if (c == Char.LOWER_L && lit(p, "longest")) n = 7;
  if (n == 0 || (p + n < cur.end && byteAt(p + n) != Char.SP)) return 0;
  return n;
}
