// Argument lists skipped instead of parsed, for consumers that read no arguments (record rows:
// `stats`, sequences by name). It accepts only the common shapes, where the argument grammar
// (args.ts) provably reads the list to the same end without an error or a Glued echo: strings, numbers, identifiers, `|` flags and `*`/`+`/`-` expressions of those,
// `...`, structs, arrays, `[A B]` and `~[...]` sets and calls (`makedev(...)`) of those,
// `key=value` fields, trailing `<path>` decorations, `(deleted)` and ` /* comments */`, `, `
// separators, and an ` <unfinished ...>`
// marker at the top level. On anything else it refuses (-1) and the caller parses the list as
// usual, so a line's kind, error and every node outside the argument list are the same either
// way; only the list's children are missing. The fuzzer and test/rows.test.ts compare the two
// readings.

import { Char, isDigit, isHex, isIdentChar, isIdentStart } from "../bytes.js";
import { at, cur, lit } from "./cursor.js";
import { opLength, scanCommentEnd, scanDecorEnd, scanStringEnd } from "./args.js";

/** Nesting the skipper follows before it leaves a list to the grammar (which allows far more): an
 *  item inside more lists than this is refused, so at most MAX_SKIP_DEPTH + 1 lists are open at once,
 *  two bits each in skipArgs' one i32. */
const MAX_SKIP_DEPTH: i32 = 15;

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

/** What the skipper reads next (skipArgs' states). */
const enum Next {
  /** `key=value` or a value (args.ts parseItem). */
  Item = 0,
  /** A term: a value's first, or one after an operator. */
  Term = 1,
  /** What may follow the term that ended: decorations, an operator, a separator or a closer. */
  AfterTerm = 2,
}

/** The closers of the open lists, two bits each, innermost lowest (one i32: at most 16 lists). */
const enum Closer {
  Paren = 1,
  Brace = 2,
  Bracket = 3,
}

function closerChar(code: i32): i32 {
  return code == Closer.Paren ? Char.RPAREN : code == Closer.Brace ? Char.RBRACE : Char.RBRACK;
}

/**
 * Where args.ts parseItems(p, `)`, top) would stop — the `)` or the marker — or -1 to refuse.
 *
 * One loop over three states with the open lists in a bit stack, rather than a function per
 * production calling the next: the list is read token by token either way, and the calls were the
 * cost (the shallow scan of 105 MB took 0.244 CPU-s with a function per production, 0.211 with
 * this loop, and 0.197 with a skipper that matched only quotes and parentheses). The productions
 * of args.ts this follows are the states' branches:
 *   item      = ident ":" (refused) | ident "(" digits ")=" (refused) | ident "=" term-chain
 *             | ident-term-chain | term-chain
 *   term      = string ["..."] | "{" list "}" | "[" list "]" | "~[" list "]" | "..."
 *             | number | ident [ "(" list ")" ]
 *   after     = decorations, then `|` or `*`/`+`/`-` (before a digit or identifier) and a term,
 *               then `, ` / `)` at the top; `, `, a closer, or (in `[...]`) a lone space inside
 */
export function skipArgs(p: i32): i32 {
  // (a refused list is read by the grammar from the same budget of decoration bytes: what the
  // skipper spent on it goes back)
  const budget = cur.decorBudget;
  const q = skipList(p);
  if (q < 0) cur.decorBudget = budget;
  return q;
}

/** skipArgs' reading; -1 to refuse. */
function skipList(p: i32): i32 {
  if (at(p) == Char.RPAREN || unfinishedAt(p)) return p;
  let q = p;
  let next = Next.Item;
  let open: i32 = 0; // Closer codes of the open lists
  let depth: i32 = 0; // how many: 0 is the call's own list
  while (true) {
    if (next == Next.Item) {
      if (depth > MAX_SKIP_DEPTH) return -1;
      next = Next.Term;
      if (isIdentStart(at(q))) {
        let r = q;
        while (isIdentChar(at(r))) r++;
        const c = at(r);
        // keys in the forms strace 4.x printed (`key:value`, `msg_name(0)=NULL`)
        if (c == Char.COLON) return -1;
        if (c == Char.LPAREN) {
          let d = r + 1;
          while (isDigit(at(d))) d++;
          if (d > r + 1 && at(d) == Char.RPAREN && at(d + 1) == Char.EQ) return -1;
          // (a call: its term is read from its name again)
        } else if (c == Char.EQ && at(r + 1) != Char.EQ) {
          q = r + 1;
        } else {
          // a plain identifier (`NULL`, `O_RDONLY`): the term read, its decorations and
          // operators follow
          q = r;
          next = Next.AfterTerm;
        }
      }
    }
    if (next == Next.Term) {
      const c = at(q);
      let opens: i32 = 0; // the Closer of a list the term opens at q
      if (c == Char.QUOTE) {
        if (skip.write && isDigit(at(q + 1))) return -1;
        q = scanStringEnd(q);
        if (q < 0) return -1;
        if (lit(q, "...")) q += 3;
      } else if (c == Char.LBRACE) {
        opens = Closer.Brace;
        q++;
      } else if (c == Char.LBRACK) {
        opens = Closer.Bracket;
        q++;
      } else if (c == Char.TILDE && at(q + 1) == Char.LBRACK) {
        opens = Closer.Bracket;
        q += 2;
      } else if (c == Char.DOT) {
        if (!lit(q, "...")) return -1;
        q += 3;
      } else if (isDigit(c) || (c == Char.MINUS && isDigit(at(q + 1)))) {
        if (c == Char.MINUS) q++;
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
        q++;
        while (isIdentChar(at(q))) q++;
        // a MAC address
        if (at(q) == Char.COLON) return -1;
        // a call `makedev(0x1, 0x3)`, `htons(47011)`
        if (at(q) == Char.LPAREN) {
          opens = Closer.Paren;
          q++;
        }
      } else {
        return -1;
      }
      if (opens != 0) {
        if (at(q) == closerChar(opens)) {
          q++; // empty: the term ends here
        } else {
          if (depth == MAX_SKIP_DEPTH + 1) return -1;
          open = (open << 2) | opens;
          depth++;
          next = Next.Item;
          continue;
        }
      }
    }
    // after a term (whatever `next` says now: every way on sets it): decorations, then an
    // operator and its term (the call only where one may start: most terms have none)
    let c = at(q);
    if (c == Char.LT || c == Char.LPAREN || (c == Char.SP && at(q + 1) == Char.SLASH)) {
      q = skipDecorations(q);
      if (q < 0) return -1;
      c = at(q);
    }
    const d = at(q + 1);
    if (c == Char.PIPE) {
      if (d == Char.PIPE) return -1;
      q++;
      next = Next.Term;
      continue;
    }
    if ((c == Char.STAR || c == Char.PLUS || c == Char.MINUS) && (isDigit(d) || isIdentStart(d))) {
      q++;
      next = Next.Term;
      continue;
    }
    // the value ended: a separator, or the closer of its list
    if (depth == 0) {
      if (c == Char.RPAREN) return q;
      if (c == Char.SP && unfinishedAt(q)) return q;
      if (c != Char.COMMA || d != Char.SP) return -1;
      q += 2;
      // `read(3,  <unfinished ...>`: the grammar keeps the separator and stops at the marker
      if (unfinishedAt(q)) return q;
      next = Next.Item;
      continue;
    }
    const closer = open & 3;
    if (c == closerChar(closer)) {
      // the list was a term: what may follow a term follows
      open = open >>> 2;
      depth--;
      q++;
      next = Next.AfterTerm;
    } else if (c == Char.COMMA && d == Char.SP) {
      q += 2;
      next = Next.Item;
    } else if (c == Char.SP && closer == Closer.Bracket && !joinsValues(q)) {
      // set members, `[HUP TERM]`
      q++;
      next = Next.Item;
    } else {
      return -1;
    }
  }
  return -1;
}

/** Whether the space at q goes on the value before it (args.ts parseValue: a spaced operator such
 *  as ` | ` or ` or `, or a ` => ` change) rather than separating set members. */
function joinsValues(q: i32): bool {
  return opLength(q) != 0 || lit(q, " => ") || lit(q, " -> ");
}

// Decorations after a term ending at q, as args.ts parsePostfix reads them: an fd's `<path>` (-y,
// `<TCP:[...]>` and nested `<...<char 1:3>>` under -yy), `(deleted)` and comments ` /* 10 vars */`.
// A `<` that starts anything else (`<<`, a marker) and any other `(` are the grammar's (-1).
function skipDecorations(q: i32): i32 {
  while (true) {
    const d = at(q);
    if (d == Char.LT) {
      if (at(q + 1) == Char.LT || lit(q, "<... ") || lit(q, "<unfinished") || lit(q, "<detached")) return -1;
      const e = scanDecorEnd(q + 1);
      if (e < 0) return -1;
      q = e + 1;
      continue;
    }
    if (d == Char.LPAREN) {
      if (!lit(q, "(deleted)")) return -1;
      q += 9;
      continue;
    }
    if (d != Char.SP || at(q + 1) != Char.SLASH) return q;
    if (at(q + 2) != Char.STAR) return -1;
    const r = scanCommentEnd(q + 3);
    if (r < 0) return -1;
    q = r + 2;
  }
  return q;
}
