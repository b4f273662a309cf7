// Argument lists skipped instead of parsed, for consumers that read no arguments (record rows:
// `stats`, sequences by name). It accepts only the common shapes, where the argument grammar
// (args.ts) provably reads the list to the same end without an error, a Glued echo or a
// decoration: strings, numbers, identifiers, `|` flags, `...`, structs and arrays of those,
// `key=value` fields, `, ` separators, and an ` <unfinished ...>` marker at the top level. On
// anything else it refuses (-1) and the caller parses the list as usual, so a line's kind, error
// and every node outside the argument list are the same either way; only the list's children
// are missing. The fuzzer and test/rows.test.ts compare the two readings.

import { Char, isDigit, isHex, isIdentChar, isIdentStart } from "../bytes.js";
import { at, cur, lit } from "./cursor.js";
import { scanStringEnd } from "./args.js";

/** Nesting the skipper follows before it leaves a list to the grammar (which allows far more). */
const MAX_SKIP_DEPTH: i32 = 32;

/** Whether the call being scanned may have its list skipped: not `write` (whose count may have
 *  taken in echoed output, args.ts splitCountEcho) and not the clone family (sequences read
 *  CLONE_THREAD from its arguments, rows/line.ts). */
export function maySkipArgs(): bool {
  const s = cur.callNameStart;
  const n = cur.callNameEnd - s;
  if (n == 5 && lit(s, "write")) return false;
  if ((n == 5 || n == 6) && lit(s, "clone")) return false;
  return true;
}

/** ` <unfinished ...>` at p (the only marker the skipper takes; others are left to the grammar). */
function unfinishedAt(p: i32): bool {
  return at(p) == Char.SP && at(p + 1) == Char.LT && lit(p + 1, "<unfinished ...>");
}

/** Where args.ts parseItems(p, `)`, top) would stop — the `)` or the marker — or -1 to refuse. */
export function skipArgs(p: i32): i32 {
  if (at(p) == Char.RPAREN || unfinishedAt(p)) return p;
  let q = p;
  while (true) {
    q = skipItem(q, 0);
    if (q < 0) return -1;
    const c = at(q);
    if (c == Char.RPAREN) return q;
    if (c == Char.SP && unfinishedAt(q)) return q;
    if (c != Char.COMMA || at(q + 1) != Char.SP) return -1;
    q += 2;
    // `read(3,  <unfinished ...>`: the grammar keeps the separator and stops at the marker
    if (unfinishedAt(q)) return q;
  }
  return -1;
}

/** Items of a `{...}` or `[...]` up to `closer` (comma-separated only: `[A B]` sets are refused). */
function skipList(p: i32, closer: i32, depth: i32): i32 {
  if (at(p) == closer) return p;
  let q = p;
  while (true) {
    q = skipItem(q, depth);
    if (q < 0) return -1;
    const c = at(q);
    if (c == closer) return q;
    if (c != Char.COMMA || at(q + 1) != Char.SP) return -1;
    q += 2;
  }
  return -1;
}

/** `key=value` or a value (args.ts parseItem), refusing keys in the forms strace 4.x printed. */
function skipItem(p: i32, depth: i32): i32 {
  if (isIdentStart(at(p))) {
    let q = p;
    while (isIdentChar(at(q))) q++;
    const c = at(q);
    if (c == Char.LPAREN || c == Char.COLON) return -1;
    if (c == Char.EQ && at(q + 1) != Char.EQ) return skipValue(q + 1, depth);
  }
  return skipValue(p, depth);
}

/** A term, or terms joined by `|`; followed by what may end a value in a list. */
function skipValue(p: i32, depth: i32): i32 {
  if (depth > MAX_SKIP_DEPTH) return -1;
  let q = skipTerm(p, depth);
  if (q < 0) return -1;
  while (at(q) == Char.PIPE) {
    if (at(q + 1) == Char.PIPE) return -1;
    q = skipTerm(q + 1, depth);
    if (q < 0) return -1;
  }
  const c = at(q);
  // (anything else may be an operator, a `=>` change, a decoration or echoed output)
  if (c == Char.COMMA || c == Char.RPAREN || c == Char.RBRACE || c == Char.RBRACK || c == Char.SP) return q;
  return -1;
}

function skipTerm(p: i32, depth: i32): i32 {
  const c = at(p);
  let q: i32;
  if (c == Char.QUOTE) {
    q = scanStringEnd(p);
    if (q < 0) return -1;
    if (lit(q, "...")) q += 3;
  } else if (c == Char.LBRACE || c == Char.LBRACK) {
    const r = skipList(p + 1, c == Char.LBRACE ? Char.RBRACE : Char.RBRACK, depth + 1);
    if (r < 0) return -1;
    q = r + 1;
  } else if (c == Char.DOT) {
    if (!lit(p, "...")) return -1;
    q = p + 3;
  } else if (isDigit(c) || (c == Char.MINUS && isDigit(at(p + 1)))) {
    q = c == Char.MINUS ? p + 1 : p;
    if (at(q) == Char.DIGIT_0 && (at(q + 1) == Char.LOWER_X || at(q + 1) == Char.UPPER_X)) {
      q += 2;
      while (isHex(at(q))) q++;
    } else {
      while (isDigit(at(q))) q++;
    }
    // fractions, dates and MAC addresses are other tokens
    const d = at(q);
    if (d == Char.DOT || d == Char.SLASH || d == Char.COLON) return -1;
  } else if (isIdentStart(c)) {
    q = p + 1;
    while (isIdentChar(at(q))) q++;
    // a call `makedev(...)` or a MAC address
    if (at(q) == Char.LPAREN || at(q) == Char.COLON) return -1;
  } else {
    return -1;
  }
  // decorations (`<path>`, `(deleted)`, ` /* comment */`) are the grammar's
  const d = at(q);
  if (d == Char.LT || d == Char.LPAREN || (d == Char.SP && at(q + 1) == Char.SLASH)) return -1;
  return q;
}
