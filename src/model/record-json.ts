// Records whose arguments were written as JSON at scan time (ParserOptions.argsJson): by the core
// (either engine) into one byte table per chunk (src/core/json/args.ts), else (shapes the core's
// writer leaves to the host) JSON.stringify of each ArgNode, which is by definition the text the
// core's writer must match. The JSONL writer (src/io/jsonl.ts) splices those bytes into each
// record's JSON, so JSON.stringify only walks the record's envelope.

import { ArgsJsonField } from "../core/abi.js";
import type { ArgsJsonTable } from "../engine/types.js";
import type { NodeReader } from "./nodes.js";
import type { SyscallRecord, TraceRecord } from "./record.js";

/** A call's arguments as JSON: `b[s, e)` holds the comma-joined items (the inside of the array);
 *  the first item ends at firstEnd and the last starts at lastStart (to join two halves). */
export interface RawArgs {
  b: Uint8Array;
  s: number;
  e: number;
  firstEnd: number;
  lastStart: number;
}

/** Where such a record keeps its RawArgs. A symbol key, so JSON.stringify leaves it out and the
 *  record's own `args` stays an empty array. */
export const RAW_ARGS: unique symbol = Symbol("strace-seq.rawArgs");

export type RawArgsRecord = SyscallRecord & { [RAW_ARGS]?: RawArgs };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A call line's arguments (item nodes) as JSON: the engine's bytes when it wrote them for this
 *  line (copied out when `own`: a half that may wait long for its other half must not keep the
 *  whole chunk's table alive), else from the ArgNodes. */
export function rawArgs(r: NodeReader, items: number[], table: ArgsJsonTable | undefined, row: number, own: boolean): RawArgs {
  const o = row * ArgsJsonField.Stride;
  if (table !== undefined && table.spans[o + ArgsJsonField.Start] >= 0) {
    const sp = table.spans;
    const raw: RawArgs = {
      b: table.bytes,
      s: sp[o + ArgsJsonField.Start],
      e: sp[o + ArgsJsonField.End],
      firstEnd: sp[o + ArgsJsonField.FirstEnd],
      lastStart: sp[o + ArgsJsonField.LastStart],
    };
    return own ? ownRawArgs(raw) : raw;
  }
  return rawArgsFromItems(items.map((c) => JSON.stringify(r.arg(c))));
}

/** RawArgs from the JSON text of each item. */
export function rawArgsFromItems(items: string[]): RawArgs {
  const b = encoder.encode(items.join(","));
  return { b, s: 0, e: b.length, firstEnd: utf8Length(items[0]), lastStart: b.length - utf8Length(items[items.length - 1]) };
}

/** A copy of `a` in its own buffer: for a half that may wait long for its other half, so it does
 *  not keep a whole chunk's table alive. */
export function ownRawArgs(a: RawArgs): RawArgs {
  return { b: a.b.slice(a.s, a.e), s: 0, e: a.e - a.s, firstEnd: a.firstEnd - a.s, lastStart: a.lastStart - a.s };
}

/** UTF-8 bytes TextEncoder writes for s (a lone surrogate becomes U+FFFD, 3 bytes). */
function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

const OPEN_CHANGE = encoder.encode('{"kind":"change","to":');
const FROM_KEY = encoder.encode(',"from":');

function startsWith(b: Uint8Array, at: number, prefix: Uint8Array): boolean {
  if (at + prefix.length > b.length) return false;
  for (let i = 0; i < prefix.length; i++) if (b[at + i] !== prefix[i]) return false;
  return true;
}

/** One buffer from byte pieces [buffer, start, end]. */
function concat(pieces: [Uint8Array, number, number][]): Uint8Array {
  let n = 0;
  for (const [, s, e] of pieces) n += e - s;
  const out = new Uint8Array(n);
  let at = 0;
  for (const [b, s, e] of pieces) {
    out.set(b.subarray(s, e), at);
    at += e - s;
  }
  return out;
}

const COMMA = encoder.encode(",");
const CLOSE = encoder.encode("}");

/** The arguments of a call's second part after the first's (stitch.ts joinArgs on JSON): a leading
 *  ` => x` without a `from` completes the first part's last argument, which joinArgs does by
 *  spreading the change and then setting `from`, so that key comes last. */
export function joinRawArgs(a: RawArgs | undefined, b: RawArgs | undefined): RawArgs | undefined {
  if (b === undefined || b.e === b.s) return a;
  if (a === undefined || a.e === a.s) return b;
  if (startsWith(b.b, b.s, OPEN_CHANGE)) {
    const lastLen = a.e - a.lastStart;
    const mergedLen = b.firstEnd - 1 - b.s + FROM_KEY.length + lastLen + 1;
    const out = concat([
      [a.b, a.s, a.lastStart],
      [b.b, b.s, b.firstEnd - 1],
      [FROM_KEY, 0, FROM_KEY.length],
      [a.b, a.lastStart, a.e],
      [CLOSE, 0, 1],
      [b.b, b.firstEnd, b.e],
    ]);
    const head = a.lastStart - a.s;
    const single = b.firstEnd === b.e;
    return {
      b: out,
      s: 0,
      e: out.length,
      firstEnd: a.firstEnd === a.e ? head + mergedLen : a.firstEnd - a.s,
      lastStart: single ? head : out.length - (b.e - b.lastStart),
    };
  }
  const out = concat([
    [a.b, a.s, a.e],
    [COMMA, 0, 1],
    [b.b, b.s, b.e],
  ]);
  return { b: out, s: 0, e: out.length, firstEnd: a.firstEnd - a.s, lastStart: out.length - (b.e - b.lastStart) };
}

/** Moves the JSON arguments of a call's second part onto the first (merged) record. */
export function joinRecordRawArgs(into: SyscallRecord, from: SyscallRecord): void {
  const b = (from as RawArgsRecord)[RAW_ARGS];
  if (b === undefined) return;
  (into as RawArgsRecord)[RAW_ARGS] = joinRawArgs((into as RawArgsRecord)[RAW_ARGS], b);
}

/** The record's JSON text, the same JSON.stringify gives for its ArgNode form. */
export function recordJson(rec: TraceRecord): string {
  const raw = (rec as RawArgsRecord)[RAW_ARGS];
  const json = JSON.stringify(rec);
  if (raw === undefined) return json;
  const at = argsInsertAt(json);
  return json.slice(0, at) + decoder.decode(raw.b.subarray(raw.s, raw.e)) + json.slice(at);
}

/** Index just inside the record's own `"args":[]`. The first `,"args":[]` is that key: inside a
 *  JSON string every `"` is escaped, so the text cannot occur in an earlier field's value, and
 *  nested objects all come after it. */
export function argsInsertAt(json: string): number {
  const at = json.indexOf(',"args":[]');
  if (at < 0) throw new Error("strace-seq: a record with JSON arguments has no empty args key");
  return at + 9;
}
