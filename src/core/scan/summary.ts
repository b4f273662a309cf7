// -c / -C summary tables: the title of a personality's table, the header, the dashed rules, the
// rows and the total line, each read into nodes (abi.ts NodeKind.Summary*) so the host builds
// the table record from spans, not by re-reading the text. Tested only after a line failed to
// read as anything else, so the common case pays nothing. Which column a row's number belongs to
// is the host's call (stitch/tables.ts): it needs the header, a line read earlier.

import { NodeKind } from "../abi.js";
import { Char, isDigit, isIdentChar, isIdentStart } from "../bytes.js";
import { close, leaf, nodes, open, setKind } from "../nodes.js";
import { byteAt } from "../regions.js";
import { at, cur, lit, skipSpaces } from "./cursor.js";

/** `System call usage summary` and ` for ` after it: where the mode starts. */
const TITLE_LENGTH: i32 = 25;
const TITLE_MODE_AT: i32 = TITLE_LENGTH + 5;

/**
 * Reads the line at p (its start) as a -c/-C table line and appends its node: a title, a rule, a
 * header (every word a column name), or a row (numbers and one name, the syscall or `total`, in
 * any order, since -U picks the columns and their order). Returns false, with no nodes added,
 * when it is none of these. (The stitcher takes rows only inside a table.)
 */
export function scanSummaryLine(p: i32): bool {
  const c0 = at(p);
  if (c0 == Char.MINUS && lit(p, "------")) {
    leaf(NodeKind.SummaryRule, p, cur.end);
    return true;
  }
  if (c0 == Char.UPPER_S && lit(p, "System call usage summary")) {
    scanTitle(p);
    return true;
  }
  return scanHeader(p) || scanRow(p);
}

/** `System call usage summary for 32 bit mode:`: the mode is the text up to the first ` mode:`. */
function scanTitle(p: i32): void {
  const title = open(NodeKind.SummaryTitle, p);
  if (lit(p + TITLE_LENGTH, " for ")) {
    const s = p + TITLE_MODE_AT;
    for (let q = s; q < cur.end && byteAt(q) != Char.CR; q++) {
      if (byteAt(q) == Char.SP && lit(q, " mode:")) {
        leaf(NodeKind.Personality, s, q);
        break;
      }
    }
  }
  close(title, cur.end);
}

/** A table header: two or more words, each a column name strace prints (`% time` is one). */
function scanHeader(p: i32): bool {
  const mark = nodes.count;
  const header = open(NodeKind.SummaryHeader, p);
  let q = skipSpaces(p);
  let words = 0;
  while (q < cur.end) {
    const n = columnNameLength(q);
    if (n == 0) break;
    leaf(NodeKind.SummaryColumn, q, q + n);
    q = skipSpaces(q + n);
    words++;
  }
  if (q < cur.end || words < 2) {
    nodes.count = mark;
    return false;
  }
  close(header, cur.end);
  return true;
}

/** Length of the column name at p (ending at a space or the line's end), else 0. */
function columnNameLength(p: i32): i32 {
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
  // strace 7's wall-clock columns (-w with --summary-columns)
  else if (c == Char.LOWER_W && lit(p, "wall-total")) n = 10;
  else if (c == Char.LOWER_W && (lit(p, "wall-min") || lit(p, "wall-max") || lit(p, "wall-avg"))) n = 8;
  if (n == 0 || (p + n < cur.end && byteAt(p + n) != Char.SP)) return 0;
  return n;
}

/** A row: space-separated words, at least one a number (digits and dots) and exactly one a name. */
function scanRow(p: i32): bool {
  const mark = nodes.count;
  const row = open(NodeKind.SummaryRow, p);
  let numbers = 0;
  let names = 0;
  let q = skipSpaces(p);
  while (q < cur.end) {
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
      leaf(NodeKind.SummaryCell, s, q);
      numbers++;
    } else if (isName(s, q) && ++names == 1) {
      leaf(NodeKind.SummaryName, s, q);
      if (q - s == 5 && lit(s, "total")) setKind(row, NodeKind.SummaryTotal);
    } else {
      nodes.count = mark;
      return false;
    }
    q = skipSpaces(q);
  }
  if (numbers == 0 || names != 1) {
    nodes.count = mark;
    return false;
  }
  close(row, cur.end);
  return true;
}

/** Whether [s, e) is an identifier (a syscall name such as `syscall_0x1d8`, or `total`). */
function isName(s: i32, e: i32): bool {
  if (!isIdentStart(byteAt(s))) return false;
  for (let i = s; i < e; i++) if (!isIdentChar(byteAt(i))) return false;
  return true;
}
