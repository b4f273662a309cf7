// JSON Lines as bytes, for the CLI's writers (Node: Buffer's direct UTF-8 writes avoid a view per
// record). Records with JSON arguments (model/record-json.ts) get those bytes spliced in.

import { argsInsertAt, RAW_ARGS, type RawArgsRecord } from "../model/record-json.js";
import type { TraceRecord } from "../model/record.js";

const ARGS_KEY = Buffer.from(',"args":[]');

/** Records in, one growing buffer of JSON Lines out; take() hands out what was added so far. */
export class JsonlWriter {
  private buf = Buffer.allocUnsafe(1 << 16);
  private pos = 0;

  add(rec: TraceRecord): void {
    const json = JSON.stringify(rec);
    const raw = (rec as RawArgsRecord)[RAW_ARGS];
    const rawLen = raw === undefined ? 0 : raw.e - raw.s;
    // UTF-16 code units take at most 3 UTF-8 bytes each
    this.reserve(json.length * 3 + rawLen + 1);
    const start = this.pos;
    const n = this.buf.write(json, start);
    this.pos += n;
    if (raw !== undefined && rawLen > 0) {
      // all ASCII (the usual case): the string index is the byte offset
      const at = n === json.length ? start + argsInsertAt(json) : this.argsKeyAt(start) + 9;
      this.buf.copyWithin(at + rawLen, at, this.pos);
      Buffer.prototype.copy.call(raw.b, this.buf, at, raw.s, raw.e);
      this.pos += rawLen;
    }
    this.buf[this.pos++] = 10;
  }

  /** Where the record written from `start` has its `,"args":[]` (see argsInsertAt). */
  private argsKeyAt(start: number): number {
    const at = this.buf.indexOf(ARGS_KEY, start);
    if (at < 0 || at >= this.pos) throw new Error("strace-seq: a record with JSON arguments has no empty args key");
    return at;
  }

  /** The bytes added since the last take(), in a buffer of their own. */
  take(): Buffer {
    const out = Buffer.from(this.buf.subarray(0, this.pos));
    this.pos = 0;
    return out;
  }

  get length(): number {
    return this.pos;
  }

  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }
}
