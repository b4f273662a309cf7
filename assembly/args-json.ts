// Argument JSON for JSONL outputs, written from the last chunk's node table and input bytes into
// linear memory: the records' JavaScript side then builds no ArgNode objects and JSON.stringify
// never walks them. Where a token's text is already its JSON (a decimal number, most string
// literals) it is copied; everything else is converted byte by byte.
//
// The bytes must equal JSON.stringify(NodeReader.arg(i)) (src/model/nodes.ts) encoded as UTF-8,
// key order included; the corpus conformance check compares the two for every record. A line using
// anything this writer does not reproduce exactly (a float, a comment not in strace's `/* x */`
// form, an integer past 64 bits) is marked unwritten and the host builds its JSON itself.
//
// Output per line, in the spans table (ArgsJsonField cells): the byte range of the comma-joined
// arguments, the end of the first argument and the start of the last (for joining the arguments
// of a call's two halves), or Start = -1 when the line has no JSON here.

import { ArgsJsonField, LineField, LineKind, NodeField, NodeKind } from "../src/engine/abi";
import { ensureMemory, inputBase, linesBase, nodesBase, tablesEnd } from "./regions";

const NODE_BYTES: usize = NodeField.Stride << 2;

// @ts-ignore: decorator
@inline function kindOf(i: i32): i32 {
  return load<i32>(nodesBase + <usize>i * NODE_BYTES, NodeField.Kind << 2);
}
// @ts-ignore: decorator
@inline function startOf(i: i32): i32 {
  return load<i32>(nodesBase + <usize>i * NODE_BYTES, NodeField.Start << 2);
}
// @ts-ignore: decorator
@inline function endOf(i: i32): i32 {
  return load<i32>(nodesBase + <usize>i * NODE_BYTES, NodeField.End << 2);
}
// @ts-ignore: decorator
@inline function nextOf(i: i32): i32 {
  return load<i32>(nodesBase + <usize>i * NODE_BYTES, NodeField.Next << 2);
}
// @ts-ignore: decorator
@inline function inByte(p: i32): i32 {
  return <i32>load<u8>(inputBase + <usize>p);
}

// ---- the output cursor: writes past `outEnd` are dropped and counted, so one pass tells the host
// how much room a retry needs

let outBase: usize = 0;
let out: usize = 0;
let outEnd: usize = 0;
/** The current line uses something this writer does not reproduce. */
let unsupported: bool = false;

// @ts-ignore: decorator
@inline function put(c: i32): void {
  if (out < outEnd) store<u8>(out, <u8>c);
  out++;
}

function putLit(s: string): void {
  for (let i = 0; i < s.length; i++) put(s.charCodeAt(i));
}

function putDecimal(v: u64): void {
  if (v >= 10) putDecimal(v / 10);
  put(<i32>(v % 10) + 48);
}

const HEX = "0123456789abcdef";

/** One char code 0..255 inside a JSON string, as JSON.stringify writes it, in UTF-8. */
function putJsonChar(c: i32): void {
  if (c == 34) putLit('\\"');
  else if (c == 92) putLit("\\\\");
  else if (c >= 32 && c < 128) put(c);
  else if (c >= 128) {
    put(0xc0 | (c >> 6));
    put(0x80 | (c & 63));
  } else if (c == 8) putLit("\\b");
  else if (c == 9) putLit("\\t");
  else if (c == 10) putLit("\\n");
  else if (c == 12) putLit("\\f");
  else if (c == 13) putLit("\\r");
  else {
    putLit("\\u00");
    put(HEX.charCodeAt(c >> 4));
    put(HEX.charCodeAt(c & 15));
  }
}

/** Input bytes [s, e) as a JSON string (each byte one char, as the host's latin1 text). */
function putJsonString(s: i32, e: i32): void {
  put(34);
  for (let p = s; p < e; p++) putJsonChar(inByte(p));
  put(34);
}

// ---- values

function isHexDigit(c: i32): bool {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

function hexValue(c: i32): u64 {
  return <u64>(c <= 57 ? c - 48 : (c | 32) - 87);
}

const MAX_SAFE: u64 = 9007199254740991;

/** intValue(text) (nodes.ts) as JSON: a number when safe, else the decimal in quotes. Texts of
 *  other shapes, and values past 64 bits, are left to the host. */
function putIntValue(s: i32, e: i32): void {
  let p = s;
  const neg = inByte(p) == 45;
  if (neg) p++;
  const n = e - p;
  if (n <= 0) {
    unsupported = true;
    return;
  }
  let v: u64 = 0;
  if (n > 2 && inByte(p) == 48 && (inByte(p + 1) | 32) == 120) {
    if (n - 2 > 16) {
      unsupported = true;
      return;
    }
    for (let q = p + 2; q < e; q++) {
      if (!isHexDigit(inByte(q))) {
        unsupported = true;
        return;
      }
      v = (v << 4) | hexValue(inByte(q));
    }
  } else {
    let octal = n > 1 && inByte(p) == 48;
    for (let q = p; q < e; q++) {
      const c = inByte(q);
      if (c < 48 || c > 57) {
        unsupported = true;
        return;
      }
      if (c > 55) octal = false;
    }
    const radix: u64 = octal ? 8 : 10;
    for (let q = p; q < e; q++) {
      const d = <u64>(inByte(q) - 48);
      if (v > (<u64>0xffffffffffffffff - d) / radix) {
        unsupported = true;
        return;
      }
      v = v * radix + d;
    }
  }
  if (v <= MAX_SAFE) {
    if (neg && v != 0) put(45);
    putDecimal(v);
  } else {
    put(34);
    if (neg) put(45);
    putDecimal(v);
    put(34);
  }
}

/** The decoded value of the C string literal body [s, e) (text.ts decodeCString) as a JSON string. */
function putDecodedString(s: i32, e: i32): void {
  put(34);
  let p = s;
  while (p < e) {
    const c = inByte(p);
    if (c != 92 || p + 1 >= e) {
      putJsonChar(c);
      p++;
      continue;
    }
    const d = inByte(p + 1);
    p += 2;
    if (d == 110) putJsonChar(10);
    else if (d == 116) putJsonChar(9);
    else if (d == 114) putJsonChar(13);
    else if (d == 118) putJsonChar(11);
    else if (d == 102) putJsonChar(12);
    else if (d == 97) putJsonChar(7);
    else if (d == 98) putJsonChar(8);
    else if (d == 101) putJsonChar(27);
    else if (d == 120) {
      // up to two hex digits; none reads as 0
      let v = 0;
      let k = 0;
      while (p < e && k < 2 && isHexDigit(inByte(p))) {
        v = v * 16 + <i32>hexValue(inByte(p));
        p++;
        k++;
      }
      putJsonChar(v);
    } else if (d >= 48 && d <= 55) {
      // up to three octal digits, the first being d; the value wraps to a byte
      let v = d - 48;
      let k = 1;
      while (p < e && k < 3 && inByte(p) >= 48 && inByte(p) <= 55) {
        v = v * 8 + inByte(p) - 48;
        p++;
        k++;
      }
      putJsonChar(v & 255);
    } else {
      putJsonChar(d);
    }
  }
  put(34);
}

/** The span of a comment node's text when it has strace's ` x ` form (commentText gives it without
 *  its two spaces and no commentRaw); other forms are left to the host. */
function canonicalComment(i: i32): bool {
  const s = startOf(i);
  const e = endOf(i);
  if (e - s >= 2 && inByte(s) == 32 && inByte(e - 1) == 32) return true;
  unsupported = true;
  return false;
}

// ---- annotations: decor, deleted and comment keys in the order NodeReader.annotate first sets them

function putAnnotations(from: i32, end: i32): void {
  if (from >= end) return;
  // which node last set each key, and the order keys were first set in (three keys at most)
  let decor = -1;
  let deleted = -1;
  let comment = -1;
  let order = 0; // base-4 digits, least significant first: 1 decor, 2 deleted, 3 comment
  let shift = 0;
  for (let c = from; c < end; c = nextOf(c)) {
    const k = kindOf(c);
    if (k == NodeKind.Decor) {
      if (decor < 0) {
        order |= 1 << shift;
        shift += 2;
      }
      decor = c;
    } else if (k == NodeKind.Deleted) {
      if (deleted < 0) {
        order |= 2 << shift;
        shift += 2;
      }
      deleted = c;
    } else if (k == NodeKind.Comment) {
      if (!canonicalComment(c)) return;
      if (comment < 0) {
        order |= 3 << shift;
        shift += 2;
      }
      comment = c;
    }
  }
  while (order != 0) {
    const key = order & 3;
    order >>= 2;
    if (key == 1) {
      putLit(',"decor":');
      putJsonString(startOf(decor), endOf(decor));
    } else if (key == 2) {
      putLit(',"deleted":true');
    } else {
      putLit(',"comment":');
      putJsonString(startOf(comment) + 1, endOf(comment) - 1);
    }
  }
}

// ---- argument trees (NodeReader.arg, branch by branch)

function putArg(i: i32): void {
  const k = kindOf(i);
  const s = startOf(i);
  const e = endOf(i);
  if (k == NodeKind.Int) {
    putLit('{"kind":"int","text":');
    putJsonString(s, e);
    putLit(',"value":');
    putIntValue(s, e);
    putAnnotations(i + 1, nextOf(i));
    put(125);
  } else if (k == NodeKind.Str || k == NodeKind.StrTrunc) {
    const at = inByte(s) == 64;
    putLit('{"kind":"str","value":');
    putDecodedString(s + (at ? 2 : 1), e - 1);
    putLit(',"raw":');
    putJsonString(s, e);
    if (k == NodeKind.StrTrunc) putLit(',"truncated":true');
    if (at) putLit(',"at":true');
    putAnnotations(i + 1, nextOf(i));
    put(125);
  } else if (k == NodeKind.Ident) {
    putLit('{"kind":"ident","name":');
    putJsonString(s, e);
    putAnnotations(i + 1, nextOf(i));
    put(125);
  } else if (k == NodeKind.Elided) {
    putLit('{"kind":"elided"');
    putAnnotations(i + 1, nextOf(i));
    put(125);
  } else if (k == NodeKind.Comment) {
    if (!canonicalComment(i)) return;
    putLit('{"kind":"comment","text":');
    putJsonString(s + 1, e - 1);
    putAnnotations(i + 1, nextOf(i));
    put(125);
  } else if (k == NodeKind.Field) {
    putLit('{"kind":"field","name":');
    putJsonString(s, e);
    putLit(',"value":');
    putArg(i + 1);
    if (inByte(e) == 58) putLit(',"sep":":"');
    put(125);
  } else if (k == NodeKind.Change) {
    const first = i + 1;
    const second = nextOf(first);
    if (second >= nextOf(i)) {
      putLit('{"kind":"change","to":');
      putArg(first);
    } else {
      putLit('{"kind":"change","from":');
      putArg(first);
      putLit(',"to":');
      putArg(second);
    }
    if (!(e - s == 4 && inByte(s) == 32 && inByte(s + 1) == 61 && inByte(s + 2) == 62 && inByte(s + 3) == 32)) {
      putLit(',"op":');
      putJsonString(s, e);
    }
    put(125);
  } else if (k == NodeKind.Flags || k == NodeKind.Expr) {
    putFlagsOrExpr(i, k);
  } else if (k == NodeKind.Float) {
    unsupported = true; // Number(text) printed as JavaScript does: left to the host
  } else {
    putContainer(i, k);
  }
}

function putFlagsOrExpr(i: i32, k: i32): void {
  const end = nextOf(i);
  putLit(k == NodeKind.Expr ? '{"kind":"expr","terms":[' : '{"kind":"flags","items":[');
  let n = 0;
  for (let c = i + 1; c < end; c = nextOf(c)) {
    if (kindOf(c) == NodeKind.Op) continue;
    if (n++ > 0) put(44);
    putArg(c);
  }
  put(93);
  if (k == NodeKind.Expr) {
    putLit(',"ops":[');
    n = 0;
    for (let c = i + 1; c < end; c = nextOf(c)) {
      if (kindOf(c) != NodeKind.Op) continue;
      if (n++ > 0) put(44);
      putJsonString(startOf(c), endOf(c));
    }
    put(93);
  }
  put(125);
}

/** Calls, structs, sets and arrays: members are the children that start inside the node's own
 *  span, annotations the ones after. */
function putContainer(i: i32, k: i32): void {
  const s = startOf(i);
  const own = endOf(i);
  const first = i + 1;
  const end = nextOf(i);
  let membersEnd = first;
  while (membersEnd < end && startOf(membersEnd) < own) membersEnd = nextOf(membersEnd);
  if (k == NodeKind.Call) {
    // the name is the text before the first `(` (without one, all but the last byte, as slice(0, -1))
    let paren = s;
    while (paren < own && inByte(paren) != 40) paren++;
    putLit('{"kind":"call","name":');
    putJsonString(s, paren < own ? paren : own - 1);
    putLit(',"args":');
    putList(first, membersEnd, false, false);
  } else if (k == NodeKind.Struct) {
    putLit('{"kind":"struct","fields":');
    putList(first, membersEnd, false, false);
  } else if (k == NodeKind.Set || k == NodeKind.NegSet) {
    putLit('{"kind":"set","items":');
    putList(first, membersEnd, true, k == NodeKind.NegSet);
  } else if (k == NodeKind.Array) {
    putLit('{"kind":"array","items":');
    putList(first, membersEnd, false, false);
  } else {
    putLit('{"kind":"ident","name":');
    putJsonString(s, own);
    putAnnotations(first, end);
    put(125);
    return;
  }
  putAnnotations(membersEnd, end);
  put(125);
}

/** Children that are not items of a list (NodeReader.layout skips them). */
function skipped(k: i32): bool {
  return k == NodeKind.Sep || k == NodeKind.Glued || k == NodeKind.Resuming || k == NodeKind.Unfinished || k == NodeKind.Detached;
}

/** Whether separator node c is the list's canonical one (`, `, or ` ` in sets). */
function canonicalSep(c: i32, spaceSeparated: bool): bool {
  const s = startOf(c);
  const n = endOf(c) - s;
  if (spaceSeparated) return n == 1 && inByte(s) == 32;
  return n == 2 && inByte(s) == 44 && inByte(s + 1) == 32;
}

/** `[items]`, then `,"negated":true`, then `,"seps":{...}` for separators that are not canonical
 *  (or that come before the first item), keyed by the index of the item they precede. */
function putList(first: i32, end: i32, spaceSeparated: bool, negated: bool): void {
  put(91);
  let n = 0;
  for (let c = first; c < end; c = nextOf(c)) {
    if (skipped(kindOf(c))) continue;
    if (n++ > 0) put(44);
    putArg(c);
  }
  put(93);
  if (negated) putLit(',"negated":true');
  let items = 0;
  let pending = -1;
  let opened = false;
  for (let c = first; c < end; c = nextOf(c)) {
    const k = kindOf(c);
    if (k == NodeKind.Sep) {
      pending = c;
      continue;
    }
    if (skipped(k)) continue;
    if (pending >= 0 && (items == 0 || !canonicalSep(pending, spaceSeparated))) {
      putLit(opened ? ',"' : ',"seps":{"');
      opened = true;
      putDecimal(<u64>items);
      putLit('":');
      putJsonString(startOf(pending), endOf(pending));
    }
    pending = -1;
    items++;
  }
  if (opened) put(125);
}

// ---- lines

/** Writes the argument list of a call line; returns false when the line cannot be written here. */
function putLineArgs(args: i32, row: usize): bool {
  unsupported = false;
  const from = out;
  let firstEnd: usize = out;
  let lastStart: usize = out;
  let n = 0;
  const end = nextOf(args);
  for (let c = args + 1; c < end; c = nextOf(c)) {
    if (skipped(kindOf(c))) continue;
    if (n++ > 0) put(44);
    lastStart = out;
    putArg(c);
    if (n == 1) firstEnd = out;
    if (unsupported) return false;
  }
  store<i32>(row, <i32>(from - outBase), ArgsJsonField.Start << 2);
  store<i32>(row, <i32>(out - outBase), ArgsJsonField.End << 2);
  store<i32>(row, <i32>(firstEnd - outBase), ArgsJsonField.FirstEnd << 2);
  store<i32>(row, <i32>(lastStart - outBase), ArgsJsonField.LastStart << 2);
  return true;
}

function isCallKind(kind: i32): bool {
  return kind == LineKind.Call || kind == LineKind.Unfinished || kind == LineKind.Resumed || kind == LineKind.Open || kind == LineKind.Cont;
}

/** Where the last writeArgsJson put its spans table and its bytes. */
export let spansBase: usize = 0;
export let jsonBase: usize = 0;

/**
 * Writes the argument JSON of the last chunk's `lines` lines after the node table: a spans table
 * (ArgsJsonField.Stride cells a line), then at most `cap` bytes. Returns the bytes the whole chunk
 * needs (when more than `cap`, the output is incomplete and the host retries with room for it),
 * or -1 when memory cannot grow to hold them.
 */
export function writeArgsJson(lines: i32, cap: i32): i32 {
  spansBase = tablesEnd();
  jsonBase = spansBase + ((<usize>lines * (ArgsJsonField.Stride << 2) + 63) & ~(<usize>63));
  if (!ensureMemory(<u64>jsonBase + <u64>cap)) return -1;
  const spansAt = spansBase;
  const bytesAt = jsonBase;
  outBase = bytesAt;
  out = bytesAt;
  outEnd = bytesAt + <usize>cap;
  for (let l = 0; l < lines; l++) {
    const line = linesBase + <usize>l * (LineField.Stride << 2);
    const row = spansAt + <usize>l * (ArgsJsonField.Stride << 2);
    store<i32>(row, -1, ArgsJsonField.Start << 2);
    if (!isCallKind(load<i32>(line, LineField.Kind << 2))) continue;
    const nodeEnd = load<i32>(line, LineField.NodeEnd << 2);
    for (let i = load<i32>(line, LineField.NodeStart << 2); i < nodeEnd; i = nextOf(i)) {
      if (kindOf(i) != NodeKind.Args) continue;
      const mark = out;
      if (!putLineArgs(i, row)) {
        out = mark; // the host builds this line's JSON; its partial bytes are dropped
        store<i32>(row, -1, ArgsJsonField.Start << 2);
      }
      break;
    }
  }
  return <i32>(out - outBase);
}
