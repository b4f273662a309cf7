// The argument grammar: lists, values, terms and their postfix decorations. Recursive descent,
// every nesting level counted against MAX_DEPTH; node kinds in abi.ts NodeKind.

import { ErrCode, MAX_DEPTH, NodeKind } from "../abi.js";
import { Char, isDigit, isHex, isIdentChar, isIdentStart } from "../bytes.js";
import { close, extendToEnd, leaf, nodeKind, nodeNext, nodes, open, setKind, setSpan, wrap } from "../nodes.js";
import { quoteOrEscape } from "../mem.js";
import { byteAt, regions } from "../regions.js";
import { at, cur, fail, lit } from "./cursor.js";
import { echoedOutputAt, isWrite, splitCountEcho } from "./echoes.js";

/** Decoration scanning per line: this many bytes per byte of the line, plus a floor. */
const DECOR_BUDGET_PER_BYTE: i32 = 8;
const DECOR_BUDGET_MIN: i32 = 65536;
/** Lines at least this long get the largest i32 budget instead (8 * this + the floor < 2^31). */
const DECOR_BUDGET_LINE_CAP: i32 = 0x0ffe0000;

/** Gives a line of `len` bytes its decoration budget (kept below 2^31: WASM computes in i32). */
export function startDecorBudget(len: i32): void {
  cur.decorBudget = len < DECOR_BUDGET_LINE_CAP ? len * DECOR_BUDGET_PER_BYTE + DECOR_BUDGET_MIN : 0x7fffffff;
}

/** Items separated by `, ` (or single spaces inside `[...]` sets) until `closer`.
 *  At the top level of a call (`top`), also stops at an unfinished marker or the end of the line.
 *  Returns the position of the closer / marker / line end, or -1. */
export function parseItems(p: i32, closer: i32, top: bool): i32 {
  if (at(p) == closer) return p;
  if (top) {
    if (p >= cur.end) return p;
    if (markerAt(p)) return p;
  }
  const q = parseItem(p);
  if (q < 0) return -1;
  return parseItemsAfterFirst(q, closer, top);
}

export function parseItemsAfterFirst(p: i32, closer: i32, top: bool): i32 {
  let q = p;
  // Which separator this list used (1 comma, 2 space): tells `[a, b]` arrays from `[A B]` sets.
  let sep = 0;
  while (true) {
    const c = at(q);
    if (c == closer) {
      cur.listSep = sep;
      // `write(1, "12345", 512345)`: echoed digits ran on from the count
      if (top && isWrite()) {
        const r = splitCountEcho(q, true);
        if (r > q) return r;
      }
      return q;
    }
    if (top && q >= cur.end) return q;
    if (c == Char.COMMA) {
      if (sep == 0) sep = 1;
      const canonical = at(q + 1) == Char.SP;
      const s = canonical ? q + 2 : q + 1;
      // A trailing separator before the end of the line or an unfinished marker is kept as a
      // Sep node, so the renderer can put it back.
      if (top && (s >= cur.end || markerAt(s))) {
        leaf(NodeKind.Sep, q, s);
        return s;
      }
      if (!canonical) leaf(NodeKind.Sep, q, s);
      q = parseItem(s);
      if (q < 0) return -1;
      continue;
    }
    if (c == Char.SP) {
      if (top && markerAt(q)) return q;
      if (closer == Char.RBRACK) {
        if (sep == 0) sep = 2;
        q = parseItem(q + 1);
        if (q < 0) return -1;
        continue;
      }
    }
    if (top) {
      const n = echoedOutputAt(q);
      if (n > 0) {
        leaf(NodeKind.Glued, q, q + n);
        q += n;
        continue;
      }
      // `write(2, "0.3: 1: ", 80.3: 1: )`: the echo began with digits the count took in
      const r = splitCountEcho(q, false);
      if (r > q) {
        q = r;
        continue;
      }
    }
    if (q >= cur.end) return fail(ErrCode.Unbalanced, q);
    return fail(ErrCode.Unexpected, q);
  }
}

/** ` <unfinished ...>` or ` <detached ...>` at p. */
export function markerAt(p: i32): bool {
  return at(p) == Char.SP && markerLength(p + 1) > 0;
}

/** Length of `<unfinished ...>`, `<detached ...>` or `<pid changed to N ...>` at p, else 0. */
export function markerLength(p: i32): i32 {
  if (at(p) != Char.LT) return 0;
  if (lit(p, "<unfinished ...>")) return 16;
  if (lit(p, "<detached ...>")) return 14;
  if (lit(p, "<unfinished ... exit status ")) {
    // strace 4.x: the process exited while the call was blocked
    let q = p + 28;
    if (at(q) == Char.MINUS) q++;
    while (isDigit(at(q))) q++;
    if (at(q) == Char.GT) return q + 1 - p;
  }
  if (lit(p, "<pid changed to ")) {
    let q = p + 16;
    while (isDigit(at(q))) q++;
    if (lit(q, " ...>")) return q + 5 - p;
  }
  return 0;
}

/** `key=value` or a value. */
export function parseItem(p: i32): i32 {
  // -X raw can print an empty value (`statx(-100, "a", , 0xfff, ...)`): an Ident with an empty span.
  const c0 = at(p);
  if (c0 == Char.COMMA) {
    leaf(NodeKind.Ident, p, p);
    return p;
  }
  if (isIdentStart(at(p))) {
    let q = p;
    while (isIdentChar(at(q))) q++;
    // strace 4.x: `msg_name(0)=NULL`, a key with its length in parentheses
    if (at(q) == Char.LPAREN) {
      let r = q + 1;
      while (isDigit(at(r))) r++;
      if (r > q + 1 && at(r) == Char.RPAREN && at(r + 1) == Char.EQ && at(r + 2) != Char.EQ) q = r + 1;
    }
    // `key=value`; strace 4.x also wrote `key:value` (`{entry_number:-1 -> 6, ...}`), which an
    // all-hex key would confuse with a MAC address, so those stay values
    if ((at(q) == Char.EQ && at(q + 1) != Char.EQ) || (at(q) == Char.COLON && at(q + 1) != Char.COLON && !allHex(p, q))) {
      const f = open(NodeKind.Field, p);
      setSpan(f, p, q);
      const v = parseValue(q + 1);
      if (v < 0) return -1;
      extendToEnd(f);
      return v;
    }
  }
  const root = nodes.count;
  const q = parseValue(p);
  if (q < 0 || c0 != Char.LBRACK || at(q) != Char.EQ || at(q + 1) == Char.EQ) return q;
  // a designated array element `[IPV4_DEVCONF_FORWARDING-1]=0`: a field keyed by the bracket text
  nodes.count = root;
  const f = open(NodeKind.Field, p);
  setSpan(f, p, q);
  const v = parseValue(q + 1);
  if (v < 0) return -1;
  extendToEnd(f);
  return v;
}

/** term (op term)* [=> value]. Operators: `|` makes a Flags node; others an Expr node. */
export function parseValue(p: i32): i32 {
  if (++cur.depth > MAX_DEPTH) return fail(ErrCode.TooDeep, p);
  const first = nodes.count;
  let q = parseTerm(p);
  if (q < 0) return -1;
  let container = -1;
  let allPipes = true;
  while (true) {
    const n = opLength(q);
    if (n == 0) break;
    if (container < 0) {
      container = wrap(first, NodeKind.Flags, p);
      if (container < 0) return fail(ErrCode.TooDeep, q);
    }
    if (!(n == 1 && at(q) == Char.PIPE)) {
      allPipes = false;
      leaf(NodeKind.Op, q, q + n);
    } else {
      leaf(NodeKind.Op, q, q + 1);
    }
    q = parseTerm(q + n);
    if (q < 0) return -1;
  }
  if (container >= 0) {
    close(container, q);
    if (!allPipes) setKind(container, NodeKind.Expr);
  }
  // `old => new`; strace 4.x printed `old -> new`
  if (at(q) == Char.SP && (lit(q, " => ") || lit(q, " -> "))) {
    const ch = wrap(first, NodeKind.Change, q);
    if (ch < 0) return fail(ErrCode.TooDeep, q);
    const r = parseValue(q + 4);
    if (r < 0) return -1;
    close(ch, r);
    setSpan(ch, q, q + 4);
    q = r;
  }
  cur.depth--;
  return q;
}

/** Length of a binary operator at p, or 0. Spaced operators carry their spaces. */
export function opLength(p: i32): i32 {
  const c = at(p);
  // what usually follows a term: a separator or a closing bracket
  if (c == Char.COMMA || c == Char.RPAREN || c == Char.RBRACE || c == Char.RBRACK || c == 0) return 0;
  if (c == Char.PIPE) return at(p + 1) == Char.PIPE ? 0 : 1;
  if (c == Char.LT && at(p + 1) == Char.LT) return 2;
  if (c == Char.GT && at(p + 1) == Char.GT) return 2;
  if (c == Char.AMP && at(p + 1) == Char.AMP) return 2;
  if (c == Char.EQ && at(p + 1) == Char.EQ) return 2;
  if (c == Char.BANG && at(p + 1) == Char.EQ) return 2;
  // `8192*1024`, `SKF_LL_OFF+4`; but not `5*** stack smashing` (program output glued after an argument).
  if ((c == Char.STAR || c == Char.PLUS || c == Char.MINUS) && (isDigit(at(p + 1)) || isIdentStart(at(p + 1)))) return 1;
  if (c != Char.SP) return 0;
  // ioctl numbers strace cannot tell apart: `HIDIOCGRDESCSIZE or HIDIOCGVERSION`
  if (at(p + 1) == Char.LOWER_O && lit(p, " or ") && at(p + 4) != Char.SP) return 4;
  const d = at(p + 1);
  const d2 = at(p + 2);
  if (d2 == Char.SP) {
    if (
      d == Char.PIPE ||
      d == Char.AMP ||
      d == Char.QMARK ||
      d == Char.COLON ||
      d == Char.PLUS ||
      d == Char.MINUS ||
      d == Char.STAR ||
      d == Char.SLASH ||
      d == Char.LT ||
      d == Char.GT
    )
      return 3;
  }
  if (at(p + 3) == Char.SP) {
    if ((d == Char.AMP && d2 == Char.AMP) || (d == Char.PIPE && d2 == Char.PIPE) || (d == Char.EQ && d2 == Char.EQ) || (d == Char.BANG && d2 == Char.EQ))
      return 4;
    if ((d == Char.LT && (d2 == Char.LT || d2 == Char.EQ)) || (d == Char.GT && (d2 == Char.GT || d2 == Char.EQ))) return 4;
  }
  return 0;
}

export function parseTerm(p: i32): i32 {
  const c = at(p);
  const root = nodes.count;
  let q: i32;
  if (c == Char.QUOTE || (c == Char.AT && at(p + 1) == Char.QUOTE)) {
    const s = c == Char.AT ? p + 1 : p;
    const e = scanStringEnd(s);
    if (e < 0) return fail(ErrCode.UnterminatedString, p);
    if (lit(e, "...")) {
      leaf(NodeKind.StrTrunc, p, e);
      q = e + 3;
    } else {
      leaf(NodeKind.Str, p, e);
      q = e;
    }
  } else if (c == Char.LBRACK || (c == Char.TILDE && at(p + 1) == Char.LBRACK)) {
    const s = c == Char.TILDE ? p + 1 : p;
    const n = open(c == Char.TILDE ? NodeKind.NegSet : NodeKind.Array, p);
    if (++cur.depth > MAX_DEPTH) return fail(ErrCode.TooDeep, p);
    const firstChild = nodes.count;
    cur.listSep = 0;
    const r = parseItems(s + 1, Char.RBRACK, false);
    if (r < 0) return -1;
    cur.depth--;
    close(n, r + 1);
    if (c != Char.TILDE) {
      const kids = countChildren(n);
      // `[HUP TERM]` is a set; so is a single symbolic member `[ABRT]`.
      if (kids > 1 && cur.listSep == 2) setKind(n, NodeKind.Set);
      else if (kids == 1 && nodeKind(firstChild) == NodeKind.Ident) setKind(n, NodeKind.Set);
    }
    q = r + 1;
  } else if (c == Char.LBRACE) {
    const n = open(NodeKind.Struct, p);
    if (++cur.depth > MAX_DEPTH) return fail(ErrCode.TooDeep, p);
    const r = parseItems(p + 1, Char.RBRACE, false);
    if (r < 0) return -1;
    cur.depth--;
    close(n, r + 1);
    q = r + 1;
  } else if (c == Char.DOT && lit(p, "...")) {
    leaf(NodeKind.Elided, p, p + 3);
    q = p + 3;
  } else if (isDigit(c) || (c == Char.MINUS && isDigit(at(p + 1)))) {
    q = p;
    if (c == Char.MINUS) q++;
    let kind = NodeKind.Int;
    if (at(q) == Char.DIGIT_0 && (at(q + 1) == Char.LOWER_X || at(q + 1) == Char.UPPER_X)) {
      q += 2;
      while (isHex(at(q))) q++;
    } else {
      while (isDigit(at(q))) q++;
      if (at(q) == Char.DOT && isDigit(at(q + 1))) {
        q++;
        while (isDigit(at(q))) q++;
        kind = NodeKind.Float;
      } else if (c != Char.MINUS && isHex(at(q))) {
        // (a letter: the digits stopped) a MAC address whose first byte starts with a digit
        // (`8a:dd:0f:75:b9:2b`): the colon test below takes it from the byte's end
        let r = q;
        while (isHex(at(r))) r++;
        if (at(r) == Char.COLON && isHex(at(r + 1))) q = r;
      }
    }
    if (at(q) == Char.SLASH && isDigit(at(q + 1)) && c != Char.MINUS) {
      // strace 4.x dates: `st_atime=2013/03/05-16:39:01`
      while (isDigit(at(q)) || at(q) == Char.SLASH || at(q) == Char.COLON || at(q) == Char.MINUS || at(q) == Char.DOT) q++;
      kind = NodeKind.Ident;
    } else if (at(q) == Char.COLON && isHex(at(q + 1)) && c != Char.MINUS) {
      // colon-separated hex such as a MAC address `00:00:00:00:00:00`: a symbolic literal
      while (isHex(at(q)) || at(q) == Char.COLON) q++;
      kind = NodeKind.Ident;
    }
    // a letter right after a number ends the token; the list decides (it may be echoed output)
    leaf(kind, p, q);
  } else if (c == Char.APOSTROPHE) {
    // a C character literal `'Q'`, kept as a string node
    let r = p + 1;
    while (r < cur.end && byteAt(r) != Char.APOSTROPHE) r += byteAt(r) == Char.BACKSLASH ? 2 : 1;
    if (r >= cur.end) return fail(ErrCode.UnterminatedString, p);
    leaf(NodeKind.Str, p, r + 1);
    q = r + 1;
  } else if (isIdentStart(c) || ((c == Char.AMP || c == Char.BANG || c == Char.MINUS || c == Char.TILDE) && isIdentStart(at(p + 1)))) {
    // `&sin6_addr`, `!PR_TAGGED_ADDR_ENABLE`, `-EFAULT`: a prefix operator stays part of the name
    q = p + 1;
    while (isIdentChar(at(q))) q++;
    if (at(q) == Char.COLON && isHex(at(q + 1)) && allHex(p, q)) {
      // a MAC address starting with a letter: `d2:42:ee:34:9c:97`
      while (isHex(at(q)) || at(q) == Char.COLON) q++;
      leaf(NodeKind.Ident, p, q);
      return parsePostfix(root, q);
    }
    if (at(q) == Char.LPAREN) {
      const n = open(NodeKind.Call, p);
      if (++cur.depth > MAX_DEPTH) return fail(ErrCode.TooDeep, p);
      const r = parseItems(q + 1, Char.RPAREN, false);
      if (r < 0) return -1;
      cur.depth--;
      close(n, r + 1);
      return parsePostfix(n, r + 1);
    }
    leaf(NodeKind.Ident, p, q);
  } else if (c == Char.PIPE && at(p + 1) != Char.PIPE) {
    // `|0x100`: a flag set whose symbolic part printed empty (-X raw); the empty Ident starts it.
    leaf(NodeKind.Ident, p, p);
    return p;
  } else if (c == Char.SLASH && at(p + 1) == Char.STAR) {
    // a standalone comment item: legacy `getdents(3, /* 10 entries */, 4096)`
    const r = scanCommentEnd(p + 2);
    if (r < 0) return fail(ErrCode.Unexpected, p);
    leaf(NodeKind.Comment, p + 2, r);
    const after = r + 2;
    // `/* bytes 16..23 */ "\x90..."`: a comment introducing the value that follows it.
    if (at(after) == Char.SP && startsValue(at(after + 1))) {
      leaf(NodeKind.Sep, after, after + 1);
      return parseValue(after + 1);
    }
    return after;
  } else if (c == Char.QMARK) {
    // `???`: strace could not decode the value
    q = p;
    while (at(q) == Char.QMARK) q++;
    leaf(NodeKind.Ident, p, q);
  } else if (c == Char.LT && lit(p, "<... ")) {
    let r = p + 5;
    while (r < cur.end && !lit(r, " ...>")) r++;
    if (r >= cur.end) return fail(ErrCode.Unexpected, p);
    leaf(NodeKind.Resuming, p, r + 5);
    return r + 5;
  } else {
    if (p >= cur.end) return fail(ErrCode.Unbalanced, p);
    return fail(ErrCode.Unexpected, p);
  }
  return parsePostfix(root, q);
}

/** Decorations after a term: `<path>` (-y), `(deleted)`, ` /* comment *\/`. They become
 *  trailing children of the term so the term's subtree covers them (start >= the term's end). */
export function parsePostfix(term: i32, q: i32): i32 {
  while (true) {
    const c = at(q);
    if (c == Char.LT && at(q + 1) != Char.LT && !lit(q, "<... ") && !lit(q, "<unfinished") && !lit(q, "<detached")) {
      const d = scanDecorEnd(q + 1);
      if (d < 0) return fail(ErrCode.Unexpected, q);
      leaf(NodeKind.Decor, q + 1, d);
      extendToEnd(term);
      q = d + 1;
      continue;
    }
    if (c == Char.LPAREN && lit(q, "(deleted)")) {
      leaf(NodeKind.Deleted, q, q + 9);
      extendToEnd(term);
      q += 9;
      continue;
    }
    if (c == Char.SP && at(q + 1) == Char.SLASH && at(q + 2) == Char.STAR) {
      const r = scanCommentEnd(q + 3);
      if (r < 0) return fail(ErrCode.Unexpected, q);
      leaf(NodeKind.Comment, q + 3, r);
      extendToEnd(term);
      q = r + 2;
      continue;
    }
    return q;
  }
}

export function allHex(s: i32, e: i32): bool {
  for (let i = s; i < e; i++) if (!isHex(byteAt(i))) return false;
  return true;
}

export function startsValue(c: i32): bool {
  return (
    c == Char.QUOTE ||
    c == Char.LBRACK ||
    c == Char.LBRACE ||
    c == Char.TILDE ||
    c == Char.AT ||
    c == Char.QMARK ||
    c == Char.MINUS ||
    isDigit(c) ||
    isIdentStart(c)
  );
}

/** Index just after the closing quote of a string starting at p, or -1. */
export function scanStringEnd(p: i32): i32 {
  let q = p + 1;
  while (q < cur.end) {
    q = quoteOrEscape(regions.inputBase, q, cur.end);
    if (q >= cur.end) return -1;
    if (byteAt(q) == Char.BACKSLASH) {
      q += 2;
      continue;
    }
    return q + 1;
  }
  return -1;
}

/** Index of the `*` of the closing `*\/` of a comment whose body starts at p, or -1. */
export function scanCommentEnd(p: i32): i32 {
  for (let q = p; q + 1 < cur.end; q++) if (byteAt(q) == Char.STAR && byteAt(q + 1) == Char.SLASH) return q;
  return -1;
}

/** Index of the `>` closing a decoration whose text starts at p. strace escapes `<`/`>` inside
 *  paths, but socket decorations like `TCP:[1.2.3.4:5->6.7.8.9:10]` contain `->` inside brackets. */
export function scanDecorEnd(p: i32): i32 {
  const r = scanDecorEndWith(p, true);
  // a -Y comm such as `foo\33[2Jbar` has an unbalanced `[`: fall back to plain angle counting
  return r >= 0 ? r : scanDecorEndWith(p, false);
}

export function scanDecorEndWith(p: i32, countBrackets: bool): i32 {
  let brackets = 0;
  let angles = 0;
  for (let q = p; q < cur.end; q++) {
    if (--cur.decorBudget < 0) return -1;
    const c = byteAt(q);
    if (countBrackets && c == Char.LBRACK) brackets++;
    else if (countBrackets && c == Char.RBRACK) brackets--;
    else if (brackets <= 0) {
      // -yy nests: `7</dev/null<char 1:3>>`
      if (c == Char.LT) angles++;
      else if (c == Char.GT) {
        if (angles == 0) return q;
        angles--;
      }
    }
  }
  return -1;
}

export function countChildren(n: i32): i32 {
  let count = 0;
  const end = nodeNext(n);
  for (let i = n + 1; i < end; i = nodeNext(i)) count++;
  return count;
}
