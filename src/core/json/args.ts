// Argument JSON for JSON Lines outputs, written from the chunk's node table and input bytes into
// linear memory after the tables: the records' JavaScript side then builds no ArgNode objects and
// JSON.stringify never walks them. Where a token's text is already its JSON (a decimal number,
// most string literals) it is copied; everything else is converted byte by byte.
//
// The bytes must equal JSON.stringify(NodeReader.arg(i)) (src/model/nodes.ts) encoded as UTF-8,
// key order included; the corpus conformance check compares the two for every record. A line using
// anything this writer does not reproduce exactly (a float, a comment not in strace's `/* x */`
// form, an integer past 64 bits) is marked unwritten and the host builds its JSON itself.
//
// Output per line, in the spans table (ArgsJsonField cells): the byte range of the comma-joined
// arguments, the end of the first argument and the start of the last (for joining the arguments
// of a call's two halves), or Start = -1 when the line has no JSON here.

import { ArgsJsonField, LineField, LineKind, NodeKind } from "../abi.js";
import { Char } from "../bytes.js";
import { output, put, putBytes, putIntValue, putJsonString, putLit, putSmallDecimal, putStringValueAndRaw, startOutput } from "./out.js";
import { ld32, st32 } from "../mem.js";
import { nodeEnd, nodeKind, nodeNext, nodeStart } from "../nodes.js";
import { byteAt, ensureMemory, regions, tablesEnd } from "../regions.js";

/** The span of a comment node's text when it has strace's ` x ` form (commentText gives it without
 *  its two spaces and no commentRaw); other forms are left to the host. */
export function canonicalComment(i: i32): bool {
  const s = nodeStart(i);
  const e = nodeEnd(i);
  if (e - s >= 2 && byteAt(s) == Char.SP && byteAt(e - 1) == Char.SP) return true;
  output.unsupported = true;
  return false;
}

// ---- annotations: decor, deleted and comment keys in the order NodeReader.annotate first sets them

export function putAnnotations(from: i32, end: i32): void {
  if (from >= end) return;
  // which node last set each key, and the order keys were first set in (three keys at most)
  let decor = -1;
  let deleted = -1;
  let comment = -1;
  let order = 0; // base-4 digits, least significant first: 1 decor, 2 deleted, 3 comment
  let shift = 0;
  for (let c = from; c < end; c = nodeNext(c)) {
    const k = nodeKind(c);
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
      putJsonString(nodeStart(decor), nodeEnd(decor));
    } else if (key == 2) {
      putLit(',"deleted":true');
    } else {
      putLit(',"comment":');
      putJsonString(nodeStart(comment) + 1, nodeEnd(comment) - 1);
    }
  }
}

// ---- argument trees (NodeReader.arg, branch by branch)

export function putArg(i: i32): void {
  const k = nodeKind(i);
  const s = nodeStart(i);
  const e = nodeEnd(i);
  if (k == NodeKind.Int) {
    putLit('{"kind":"int","text":');
    putJsonString(s, e);
    putLit(',"value":');
    putIntValue(s, e);
    putAnnotations(i + 1, nodeNext(i));
    put(Char.RBRACE);
  } else if (k == NodeKind.Str || k == NodeKind.StrTrunc) {
    const at = byteAt(s) == Char.AT;
    putLit('{"kind":"str","value":');
    putStringValueAndRaw(s, e, s + (at ? 2 : 1));
    if (k == NodeKind.StrTrunc) putLit(',"truncated":true');
    if (at) putLit(',"at":true');
    putAnnotations(i + 1, nodeNext(i));
    put(Char.RBRACE);
  } else if (k == NodeKind.Ident) {
    putLit('{"kind":"ident","name":');
    putJsonString(s, e);
    putAnnotations(i + 1, nodeNext(i));
    put(Char.RBRACE);
  } else if (k == NodeKind.Elided) {
    putLit('{"kind":"elided"');
    putAnnotations(i + 1, nodeNext(i));
    put(Char.RBRACE);
  } else if (k == NodeKind.Comment) {
    if (!canonicalComment(i)) return;
    putLit('{"kind":"comment","text":');
    putJsonString(s + 1, e - 1);
    putAnnotations(i + 1, nodeNext(i));
    put(Char.RBRACE);
  } else if (k == NodeKind.Field) {
    putLit('{"kind":"field","name":');
    putJsonString(s, e);
    putLit(',"value":');
    putArg(i + 1);
    if (byteAt(e) == Char.COLON) putLit(',"sep":":"');
    put(Char.RBRACE);
  } else if (k == NodeKind.Change) {
    const first = i + 1;
    const second = nodeNext(first);
    if (second >= nodeNext(i)) {
      putLit('{"kind":"change","to":');
      putArg(first);
    } else {
      putLit('{"kind":"change","from":');
      putArg(first);
      putLit(',"to":');
      putArg(second);
    }
    putChangeOp(i);
    put(Char.RBRACE);
  } else if (k == NodeKind.Flags || k == NodeKind.Expr) {
    putFlagsOrExpr(i, k);
  } else if (k == NodeKind.Float) {
    output.unsupported = true; // Number(text) printed as JavaScript does: left to the host
  } else {
    putContainer(i, k);
  }
}

/** A change's ` => ` as its `op` when it is spelled otherwise. */
function putChangeOp(i: i32): void {
  const s = nodeStart(i);
  const e = nodeEnd(i);
  if (!(e - s == 4 && byteAt(s) == Char.SP && byteAt(s + 1) == Char.EQ && byteAt(s + 2) == Char.GT && byteAt(s + 3) == Char.SP)) {
    putLit(',"op":');
    putJsonString(s, e);
  }
}

/** A change with only its `to` (a resumed half's ` => x`, node `i`) completing an argument whose
 *  JSON is the `fromLength` bytes at `fromAt`: stitch/combine.ts joinArgs adds it as `from`, last. */
export function putJoinedChange(i: i32, fromAt: usize, fromLength: i32): void {
  putLit('{"kind":"change","to":');
  putArg(i + 1);
  putChangeOp(i);
  putLit(',"from":');
  putBytes(fromAt, fromLength);
  put(Char.RBRACE);
}

export function putFlagsOrExpr(i: i32, k: i32): void {
  const end = nodeNext(i);
  putLit(k == NodeKind.Expr ? '{"kind":"expr","terms":[' : '{"kind":"flags","items":[');
  let n = 0;
  for (let c = i + 1; c < end; c = nodeNext(c)) {
    if (nodeKind(c) == NodeKind.Op) continue;
    if (n++ > 0) put(Char.COMMA);
    putArg(c);
  }
  put(Char.RBRACK);
  if (k == NodeKind.Expr) {
    putLit(',"ops":[');
    n = 0;
    for (let c = i + 1; c < end; c = nodeNext(c)) {
      if (nodeKind(c) != NodeKind.Op) continue;
      if (n++ > 0) put(Char.COMMA);
      putJsonString(nodeStart(c), nodeEnd(c));
    }
    put(Char.RBRACK);
  }
  put(Char.RBRACE);
}

/** Calls, structs, sets and arrays: members are the children that start inside the node's own
 *  span, annotations the ones after. */
export function putContainer(i: i32, k: i32): void {
  const s = nodeStart(i);
  const own = nodeEnd(i);
  const first = i + 1;
  const end = nodeNext(i);
  let membersEnd = first;
  while (membersEnd < end && nodeStart(membersEnd) < own) membersEnd = nodeNext(membersEnd);
  if (k == NodeKind.Call) {
    // the name is the text before the first `(` (without one, all but the last byte, as slice(0, -1))
    let paren = s;
    while (paren < own && byteAt(paren) != Char.LPAREN) paren++;
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
    put(Char.RBRACE);
    return;
  }
  putAnnotations(membersEnd, end);
  put(Char.RBRACE);
}

/** Children that are not items of a list (NodeReader.layout skips them). */
export function skipped(k: i32): bool {
  return k == NodeKind.Sep || k == NodeKind.Glued || k == NodeKind.Resuming || k == NodeKind.Unfinished || k == NodeKind.Detached;
}

/** Whether separator node c is the list's canonical one (`, `, or ` ` in sets). */
export function canonicalSep(c: i32, spaceSeparated: bool): bool {
  const s = nodeStart(c);
  const n = nodeEnd(c) - s;
  if (spaceSeparated) return n == 1 && byteAt(s) == Char.SP;
  return n == 2 && byteAt(s) == Char.COMMA && byteAt(s + 1) == Char.SP;
}

/** `[items]`, then `,"negated":true`, then `,"seps":{...}` for separators that are not canonical
 *  (or that come before the first item), keyed by the index of the item they precede. */
export function putList(first: i32, end: i32, spaceSeparated: bool, negated: bool): void {
  put(Char.LBRACK);
  let n = 0;
  for (let c = first; c < end; c = nodeNext(c)) {
    if (skipped(nodeKind(c))) continue;
    if (n++ > 0) put(Char.COMMA);
    putArg(c);
  }
  put(Char.RBRACK);
  if (negated) putLit(',"negated":true');
  if (putOddSeps(first, end, spaceSeparated, false)) put(Char.RBRACE);
}

/**
 * The separators of the list [first, end) a layout keeps (NodeReader.layout: not canonical, or
 * before the first item) as JSON members `"index":"text"` after `,"seps":{` (after `,"fmt":{"seps":{`
 * when `openFmt`), and returns whether there were any (the caller then closes the object). The
 * node of a separator after the last item, if any, is left in `trailingSep`.
 */
export function putOddSeps(first: i32, end: i32, spaceSeparated: bool, openFmt: bool): bool {
  let items = 0;
  let pending = -1;
  let opened = false;
  for (let c = first; c < end; c = nodeNext(c)) {
    const k = nodeKind(c);
    if (k == NodeKind.Sep) {
      pending = c;
      continue;
    }
    if (skipped(k)) continue;
    if (pending >= 0 && (items == 0 || !canonicalSep(pending, spaceSeparated))) {
      putLit(opened ? ',"' : openFmt ? ',"fmt":{"seps":{"' : ',"seps":{"');
      opened = true;
      putSmallDecimal(items);
      putLit('":');
      putJsonString(nodeStart(pending), nodeEnd(pending));
    }
    pending = -1;
    items++;
  }
  trailingSep = pending;
  return opened;
}

/** See putOddSeps. */
export let trailingSep: i32 = -1;

// ---- lines

/** Writes the argument list of a call line; returns false when the line cannot be written here. */
export function putLineArgs(args: i32, row: usize): bool {
  output.unsupported = false;
  const from = output.at;
  let firstEnd: usize = output.at;
  let lastStart: usize = output.at;
  let n = 0;
  const end = nodeNext(args);
  for (let c = args + 1; c < end; c = nodeNext(c)) {
    if (skipped(nodeKind(c))) continue;
    if (n++ > 0) put(Char.COMMA);
    lastStart = output.at;
    putArg(c);
    if (n == 1) firstEnd = output.at;
    if (output.unsupported) return false;
  }
  st32(row + ArgsJsonField.Start * 4, <i32>(from - output.base));
  st32(row + ArgsJsonField.End * 4, <i32>(output.at - output.base));
  st32(row + ArgsJsonField.FirstEnd * 4, <i32>(firstEnd - output.base));
  st32(row + ArgsJsonField.LastStart * 4, <i32>(lastStart - output.base));
  return true;
}

export function isCallKind(kind: i32): bool {
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
  const spansBytes = lines * ArgsJsonField.Stride * 4;
  jsonBase = spansBase + <usize>(spansBytes + ((64 - (spansBytes % 64)) % 64));
  if (!ensureMemory(<u64>jsonBase + <u64>cap)) return -1;
  startOutput(jsonBase, cap);
  for (let l = 0; l < lines; l++) {
    const line = regions.linesBase + <usize>(l * LineField.Stride * 4);
    const row = spansBase + <usize>(l * ArgsJsonField.Stride * 4);
    st32(row + ArgsJsonField.Start * 4, -1);
    if (!isCallKind(ld32(line + LineField.Kind * 4))) continue;
    const nodeEnd = ld32(line + LineField.NodeEnd * 4);
    for (let i = ld32(line + LineField.NodeStart * 4); i < nodeEnd; i = nodeNext(i)) {
      if (nodeKind(i) != NodeKind.Args) continue;
      const mark = output.at;
      if (!putLineArgs(i, row)) {
        output.at = mark; // the host builds this line's JSON; its partial bytes are dropped
        st32(row + ArgsJsonField.Start * 4, -1);
      }
      break;
    }
  }
  return <i32>(output.at - output.base);
}
