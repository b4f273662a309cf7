// Argument lists skipped instead of parsed, for consumers that read no arguments (record rows:
// `stats`, sequences by name). It accepts only the common shapes, where the argument grammar
// (args.ts) provably reads the list to the same end without an error, a Glued echo or a
// decoration: strings, numbers, identifiers, `|` flags and `*`/`+`/`-` expressions of those,
// `...`, structs, arrays, `[A B]` and `~[...]` sets and calls (`makedev(...)`) of those,
// `key=value` fields, trailing ` /* comments */`, `, ` separators, and an ` <unfinished ...>`
// marker at the top level. On anything else it refuses (-1) and the caller parses the list as
// usual, so a line's kind, error and every node outside the argument list are the same either
// way; only the list's children are missing. The fuzzer and test/rows.test.ts compare the two
// readings.

import { Char, isDigit, isHex, isIdentChar, isIdentStart } from "../bytes.js";
import { at, cur, lit } from "./cursor.js";
import { opLength, scanCommentEnd, scanStringEnd } from "./args.js";

/** Nesting the skipper follows before it leaves a list to the grammar (which allows far more). */
const MAX_SKIP_DEPTH: i32 = 32;

/** The skip under way (fields of one object: see cursor.ts for why). */
namespace skip {
  /** The call is `write`: its count may have taken in echoed output (echoes.ts splitCountEcho),
   *  which the grammar looks for only when a string's data starts with a digit, so a `write`
   *  whose strings all start otherwise is skipped and the others are refused. */
  export let write: bool = false;
}

/** Whether the call being scanned may have its list skipped: not the clone family (sequences
 *  read CLONE_THREAD from its arguments, rows/line.ts). */
export function maySkipArgs(): bool {
  const s = cur.callNameStart;
  const n = cur.callNameEnd - s;
  if ((n == 5 || n == 6) && lit(s, "clone")) return false;
  skip.write = n == 5 && lit(s, "write");
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

/** Items of a `{...}`, `[...]` or call `(...)` up to `closer`: separated by `, `, or inside
 *  brackets by single spaces (`[HUP TERM]`), as args.ts parseItemsAfterFirst reads them. */
function skipList(p: i32, closer: i32, depth: i32): i32 {
  if (at(p) == closer) return p;
  let q = p;
  while (true) {
    q = skipItem(q, depth);
    if (q < 0) return -1;
    const c = at(q);
    if (c == closer) return q;
    if (c == Char.COMMA && at(q + 1) == Char.SP) q += 2;
    else if (c == Char.SP && closer == Char.RBRACK && !joinsValues(q)) q += 1;
    else return -1;
  }
  return -1;
}

/** Whether the space at q goes on the value before it (args.ts parseValue: a spaced operator such
 *  as ` | ` or ` or `, or a ` => ` change) rather than separating set members. */
function joinsValues(q: i32): bool {
  return opLength(q) != 0 || lit(q, " => ") || lit(q, " -> ");
}

/** `key=value` or a value (args.ts parseItem), refusing keys in the forms strace 4.x printed
 *  (`key:value`, `msg_name(0)=NULL`). */
function skipItem(p: i32, depth: i32): i32 {
  if (depth > MAX_SKIP_DEPTH) return -1;
  if (isIdentStart(at(p))) {
    let q = p;
    while (isIdentChar(at(q))) q++;
    const c = at(q);
    if (c == Char.COLON) return -1;
    if (c == Char.LPAREN) {
      let r = q + 1;
      while (isDigit(at(r))) r++;
      if (r > q + 1 && at(r) == Char.RPAREN && at(r + 1) == Char.EQ) return -1;
    } else if (c == Char.EQ && at(q + 1) != Char.EQ) {
      return skipValue(q + 1, depth);
    } else {
      // a plain identifier (`NULL`, `O_RDONLY`): the term skipTerm would read again, so its
      // decorations and operators follow from here
      return skipOperators(skipDecorations(q), depth);
    }
  }
  return skipValue(p, depth);
}

/** A term, or terms joined by `|`, `*`, `+` or `-` (args.ts opLength's unspaced one-byte
 *  operators); followed by what may end a value in a list. */
function skipValue(p: i32, depth: i32): i32 {
  return skipOperators(skipTerm(p, depth), depth);
}

/** The rest of a value whose first term ends at q (-1: refused). */
function skipOperators(q: i32, depth: i32): i32 {
  if (q < 0) return -1;
  while (true) {
    const c = at(q);
    const d = at(q + 1);
    if (c == Char.PIPE) {
      if (d == Char.PIPE) return -1;
    } else if (!((c == Char.STAR || c == Char.PLUS || c == Char.MINUS) && (isDigit(d) || isIdentStart(d)))) {
      break;
    }
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
    if (skip.write && isDigit(at(p + 1))) return -1;
    q = scanStringEnd(p);
    if (q < 0) return -1;
    if (lit(q, "...")) q += 3;
  } else if (c == Char.LBRACE || c == Char.LBRACK || (c == Char.TILDE && at(p + 1) == Char.LBRACK)) {
    const open = c == Char.TILDE ? p + 1 : p;
    const r = skipList(open + 1, c == Char.LBRACE ? Char.RBRACE : Char.RBRACK, depth + 1);
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
    // a MAC address
    if (at(q) == Char.COLON) return -1;
    // a call `makedev(0x1, 0x3)`, `htons(47011)`
    if (at(q) == Char.LPAREN) {
      const r = skipList(q + 1, Char.RPAREN, depth + 1);
      if (r < 0) return -1;
      q = r + 1;
    }
  } else {
    return -1;
  }
  return skipDecorations(q);
}

// Decorations after a term ending at q (args.ts parsePostfix): comments ` /* 10 vars */` are
// passed over; `<path>` and `(deleted)` are the grammar's (-1).
function skipDecorations(q: i32): i32 {
  while (true) {
    const d = at(q);
    if (d == Char.LT || d == Char.LPAREN) return -1;
    if (d != Char.SP || at(q + 1) != Char.SLASH) return q;
    if (at(q + 2) != Char.STAR) return -1;
    const r = scanCommentEnd(q + 3);
    if (r < 0) return -1;
    q = r + 2;
  }
  return q;
}
