// Argument JSON written straight from the node table and the input bytes, for JSONL outputs:
// no ArgNode objects and no generic JSON.stringify walk over them. Where a token's text already
// is the JSON value (a decimal integer, a string literal using only escapes JSON shares with C)
// its bytes are copied as they are.
//
// The output must equal JSON.stringify(reader.arg(i)) byte for byte, key order included (the
// corpus conformance check and test/arg-json.test.ts compare the two), so every branch below
// mirrors NodeReader.arg and builds its keys in the order that method creates them.

import { ArgsJsonField, NodeKind } from "../engine/abi.js";
import type { ArgsJsonTable } from "../engine/types.js";
import { ownRawArgs, rawArgsFromItems, type RawArgs } from "./record-json.js";
import { commentText, intValue, type NodeReader } from "./nodes.js";
import { decodeCString, latin1 } from "./text.js";
import { intern } from "./intern.js";

const BACKSLASH = 92;
const QUOTE = 34;
const AT = 64;

/** A call line's arguments (item nodes) as JSON: the engine's bytes when it wrote them for this
 *  line (copied out when `own`: a half that may wait long for its other half must not keep the
 *  whole chunk's table alive), else written here. */
export function rawArgs(r: NodeReader, items: number[], table: ArgsJsonTable | undefined, row: number, own: boolean): RawArgs {
  const o = row * ArgsJsonField.Stride;
  if (table !== undefined && table.spans[o + ArgsJsonField.Start] >= 0) {
    const sp = table.spans;
    const raw: RawArgs = { b: table.bytes, s: sp[o + ArgsJsonField.Start], e: sp[o + ArgsJsonField.End], firstEnd: sp[o + ArgsJsonField.FirstEnd], lastStart: sp[o + ArgsJsonField.LastStart] };
    return own ? ownRawArgs(raw) : raw;
  }
  return rawArgsFromItems(items.map((c) => argJson(r, c)));
}

/** The JSON text of the argument subtree rooted at node i (as JSON.stringify(r.arg(i)) writes it). */
export function argJson(r: NodeReader, i: number): string {
  const k = r.kind(i);
  switch (k) {
    case NodeKind.Int: {
      const text = r.word(i);
      return closeWithAnnotations('{"kind":"int","text":' + quotedWord(r, i) + ',"value":' + intJson(text), r, i + 1, r.next(i));
    }
    case NodeKind.Float: {
      const text = r.text(i);
      return closeWithAnnotations('{"kind":"float","text":' + JSON.stringify(text) + ',"value":' + JSON.stringify(Number(text)), r, i + 1, r.next(i));
    }
    case NodeKind.Str:
    case NodeKind.StrTrunc: {
      let s = '{"kind":"str",' + strJson(r.bytes, r.start(i), r.end(i));
      if (k === NodeKind.StrTrunc) s += ',"truncated":true';
      if (r.bytes[r.start(i)] === AT) s += ',"at":true';
      return closeWithAnnotations(s, r, i + 1, r.next(i));
    }
    case NodeKind.Ident:
      return closeWithAnnotations('{"kind":"ident","name":' + quotedWord(r, i), r, i + 1, r.next(i));
    case NodeKind.Elided:
      return closeWithAnnotations('{"kind":"elided"', r, i + 1, r.next(i));
    case NodeKind.Comment:
      return commentJson(r, i);
    case NodeKind.Field: {
      let s = '{"kind":"field","name":' + quotedWord(r, i) + ',"value":' + argJson(r, i + 1);
      if (r.bytes[r.end(i)] === 58) s += ',"sep":":"';
      return s + "}";
    }
    case NodeKind.Change: {
      const first = i + 1;
      const second = r.next(first);
      let s = second >= r.next(i) ? '{"kind":"change","to":' + argJson(r, first) : '{"kind":"change","from":' + argJson(r, first) + ',"to":' + argJson(r, second);
      const op = r.text(i);
      if (op !== " => ") s += ',"op":' + JSON.stringify(op);
      return s + "}";
    }
    case NodeKind.Flags:
    case NodeKind.Expr: {
      const end = r.next(i);
      let terms = "";
      let ops = "";
      for (let c = i + 1; c < end; c = r.next(c)) {
        if (r.kind(c) !== NodeKind.Op) terms += (terms === "" ? "" : ",") + argJson(r, c);
        else if (k === NodeKind.Expr) ops += (ops === "" ? "" : ",") + JSON.stringify(r.text(c));
      }
      return k === NodeKind.Expr ? '{"kind":"expr","terms":[' + terms + '],"ops":[' + ops + "]}" : '{"kind":"flags","items":[' + terms + "]}";
    }
    default:
      return containerJson(r, i, k);
  }
}

/** Calls, structs, sets and arrays: members are the children starting inside the brackets,
 *  annotations the ones after. */
function containerJson(r: NodeReader, i: number, k: number): string {
  const own = r.end(i);
  const first = i + 1;
  const end = r.next(i);
  let membersEnd = first;
  while (membersEnd < end && r.start(membersEnd) < own) membersEnd = r.next(membersEnd);
  let s: string;
  if (k === NodeKind.Call) {
    const text = r.text(i);
    s = '{"kind":"call","name":' + JSON.stringify(text.slice(0, text.indexOf("("))) + ',"args":' + listJson(r, first, membersEnd, ", ");
  } else if (k === NodeKind.Struct) {
    s = '{"kind":"struct","fields":' + listJson(r, first, membersEnd, ", ");
  } else if (k === NodeKind.Set || k === NodeKind.NegSet) {
    s = '{"kind":"set","items":' + listJson(r, first, membersEnd, " ", k === NodeKind.NegSet);
  } else if (k === NodeKind.Array) {
    s = '{"kind":"array","items":' + listJson(r, first, membersEnd, ", ");
  } else {
    // (an unexpected kind reads as an identifier whose annotations are all its children)
    return closeWithAnnotations('{"kind":"ident","name":' + JSON.stringify(r.text(i)), r, first, end);
  }
  return closeWithAnnotations(s, r, membersEnd, end);
}

/** `[items]` and, when the separators are not canonical, `,"seps":{...}`; `negated` sits between. */
function listJson(r: NodeReader, first: number, end: number, canonicalSep: string, negated = false): string {
  const lay = r.layout(first, end, canonicalSep);
  let s = "[" + itemsJson(r, lay.items) + "]";
  if (negated) s += ',"negated":true';
  if (lay.seps) s += ',"seps":' + JSON.stringify(lay.seps);
  return s;
}

/** The JSON of each item node, comma-joined (the inside of an array). */
export function itemsJson(r: NodeReader, items: number[]): string {
  let s = "";
  for (let n = 0; n < items.length; n++) s += (n === 0 ? "" : ",") + argJson(r, items[n]);
  return s;
}

/** Closes an object whose keys so far are in `head`, adding the annotations among nodes [from, end). */
function closeWithAnnotations(head: string, r: NodeReader, from: number, end: number): string {
  if (from >= end) return head + "}";
  const keys: string[] = [];
  const values: string[] = [];
  collectAnnotations(r, from, end, keys, values);
  return head + "," + pairs(keys, values, 0) + "}";
}

/** `decor`, `deleted`, `comment`, `commentRaw` in the order annotate() first sets each key (a
 *  repeated key keeps its first place and takes the later value), appended to keys/values. */
function collectAnnotations(r: NodeReader, from: number, end: number, keys: string[], values: string[]): void {
  for (let c = from; c < end; c = r.next(c)) {
    const k = r.kind(c);
    if (k === NodeKind.Decor) setKey(keys, values, "decor", JSON.stringify(r.text(c)));
    else if (k === NodeKind.Deleted) setKey(keys, values, "deleted", "true");
    else if (k === NodeKind.Comment) {
      const t = commentText(r.text(c));
      setKey(keys, values, "comment", JSON.stringify(t.text));
      if (t.raw !== undefined) setKey(keys, values, "commentRaw", JSON.stringify(t.raw));
    }
  }
}

function setKey(keys: string[], values: string[], key: string, value: string): void {
  const at = keys.indexOf(key);
  if (at >= 0) values[at] = value;
  else {
    keys.push(key);
    values.push(value);
  }
}

function pairs(keys: string[], values: string[], from: number): string {
  let s = "";
  for (let n = from; n < keys.length; n++) s += (n === 0 ? '"' : ',"') + keys[n] + '":' + values[n];
  return s;
}

/** A comment node: its own `commentRaw` key may be overwritten in place by an annotation. */
function commentJson(r: NodeReader, i: number): string {
  const c = commentText(r.text(i));
  const keys = ["kind", "text"];
  const values = ['"comment"', JSON.stringify(c.text)];
  if (c.raw !== undefined) setKey(keys, values, "commentRaw", JSON.stringify(c.raw));
  collectAnnotations(r, i + 1, r.next(i), keys, values);
  return "{" + pairs(keys, values, 0) + "}";
}

/** A decimal integer's text is its JSON; other forms (hex, octal, big, `-0`) go through intValue. */
function intJson(text: string): string {
  const n = text.length;
  const d0 = text.charCodeAt(0) === 45 ? 1 : 0;
  if (n - d0 >= 1 && n - d0 <= 15 && (text.charCodeAt(d0) !== 48 || n - d0 === 1) && !(d0 === 1 && text.charCodeAt(1) === 48)) {
    let digits = true;
    for (let j = d0; j < n; j++) {
      const c = text.charCodeAt(j);
      if (c < 48 || c > 57) {
        digits = false;
        break;
      }
    }
    if (digits) return text;
  }
  return JSON.stringify(intValue(text));
}

/** `"value":..,"raw":..` of the string literal at bytes [s, e) (quotes included, maybe a leading `@`). */
function strJson(b: Uint8Array, s: number, e: number): string {
  const q = b[s] === AT ? s + 1 : s;
  // A body of printable ASCII whose escapes are ones JSON shares with C is its own JSON value.
  // (character literals such as 'S' are strings too: not their own JSON)
  let plain = b[q] === QUOTE && b[e - 1] === QUOTE;
  let backslashes = false;
  for (let j = q + 1; plain && j < e - 1; j++) {
    const c = b[j];
    if (c < 32 || c > 126) {
      plain = false;
      break;
    }
    if (c === BACKSLASH) {
      backslashes = true;
      const d = j + 1 < e - 1 ? b[j + 1] : 0;
      if (d === 110 || d === 116 || d === 114 || d === 102 || d === 98 || d === QUOTE || d === BACKSLASH) j++;
      else {
        plain = false;
        break;
      }
    }
  }
  if (plain) {
    const literal = latin1(b, q, e);
    const raw = !backslashes ? '"' + (q > s ? "@" : "") + '\\"' + literal.slice(1, -1) + '\\""' : JSON.stringify(q > s ? "@" + literal : literal);
    return '"value":' + literal + ',"raw":' + raw;
  }
  const raw = latin1(b, s, e);
  return '"value":' + JSON.stringify(decodeCString(raw.slice(q > s ? 2 : 1, raw.length - 1))) + ',"raw":' + JSON.stringify(raw);
}

/** The JSON string of a short repeated token (a flag, field name or number), cached with it. */
function quotedWord(r: NodeReader, i: number): string {
  const w = intern(r.bytes, r.start(i), r.end(i));
  let j = quoted.get(w);
  if (j === undefined) {
    j = JSON.stringify(w);
    if (quoted.size >= QUOTED_MAX) quoted.clear();
    quoted.set(w, j);
  }
  return j;
}

const QUOTED_MAX = 8192;
const quoted = new Map<string, string>();
