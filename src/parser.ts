// The push core every adapter shares: bytes in, records out, in bounded memory. It carries the
// partial last line between chunks, numbers lines, and turns each engine batch into records.

import { LineField, LineKind } from "./engine/abi.js";
import type { Engine } from "./engine/types.js";
import { buildLine, type LinePosition } from "./model/lines.js";
import { NodeReader } from "./model/nodes.js";
import { SCHEMA_ID, type DiagnosticRecord, type SyscallRecord, type TraceRecord } from "./model/record.js";
import { Stitcher, type LineText, type StitchOptions } from "./model/stitch.js";
import { latin1, utf8Text, isAscii } from "./model/text.js";
import { SyscallNumbering } from "./model/numbering.js";
import { diagnostic } from "./model/diagnostics.js";

export interface ParserOptions extends StitchOptions {
  /** Source name put on diagnostics (and on every record with `tagFile`). */
  file?: string;
  /** Put `file` on every record, not only diagnostics. */
  tagFile?: boolean;
  /** Pid of a `-ff` per-process file (taken from its `.PID` suffix). */
  pid?: number;
  /** Build arguments only for calls this accepts (others get `args: []`): for consumers such as
   *  `stats` that never read them. Default: every call. */
  argsFor?: (name: string) => boolean;
  /** Architecture for `nr` (default x86_64; `[ Process PID=N runs in 32 bit mode. ]` switches a process). */
  arch?: "x86_64" | "i386" | "x32" | "arm64";
}

export interface ParseCounts {
  lines: number;
  records: number;
  diagnostics: number;
  bytes: number;
}

/** Text kinds the stitcher reads whole (the others never need their line as a string). */
const NEEDS_TEXT = new Set<number>([LineKind.Foreign, LineKind.Stack, LineKind.Dump, LineKind.Summary, LineKind.Blank, LineKind.Cont, LineKind.Open]);

export class TraceParser {
  readonly counts: ParseCounts = { lines: 0, records: 0, diagnostics: 0, bytes: 0 };
  /** The unfinished last line, in pieces (`carry` is the first piece, or null when none). */
  private carry: Uint8Array | null = null;
  private carryParts: Uint8Array[] = [];
  private carryLength = 0;
  private readonly stitcher: Stitcher;
  private readonly numbering: SyscallNumbering;
  private readonly pos: LinePosition;
  private ended = false;
  private stamped = false;
  private readonly scratch: LineText = { line: 0, text: "" };

  constructor(
    private readonly engine: Engine,
    private readonly opts: ParserOptions = {},
  ) {
    this.stitcher = new Stitcher(opts);
    this.numbering = new SyscallNumbering(opts.arch ?? "x86_64");
    this.pos = { line: 0, defaultPid: opts.pid ?? null, argsFor: opts.argsFor };
    if (opts.file !== undefined && opts.tagFile) this.pos.file = opts.file;
  }

  get engineName(): "wasm" | "ts" {
    return this.engine.name;
  }

  /** Feeds a chunk; returns the records completed so far. */
  push(chunk: Uint8Array): TraceRecord[] {
    if (this.ended) throw new Error("strace-seq: push() after end()");
    this.counts.bytes += chunk.length;
    // A line longer than a chunk: keep the pieces until a newline arrives, then join them once,
    // so a 100 MB line fed in small chunks costs linear, not quadratic, copying.
    if (this.carry && chunk.indexOf(10) < 0) {
      this.carryParts.push(chunk.slice());
      this.carryLength += chunk.length;
      return [];
    }
    let buf = chunk;
    if (this.carry) {
      buf = new Uint8Array(this.carryLength + chunk.length);
      let off = 0;
      for (const part of this.carryParts) {
        buf.set(part, off);
        off += part.length;
      }
      buf.set(chunk, off);
      this.carry = null;
      this.carryParts = [];
      this.carryLength = 0;
    }
    const rest = this.scanAll(buf, false);
    if (rest < buf.length) this.setCarry(buf.slice(rest));
    return this.collect(this.stitcher.drain());
  }

  /** Ends the input; returns the remaining records. */
  end(): TraceRecord[] {
    if (this.ended) return [];
    this.ended = true;
    if (this.carry) {
      const buf = new Uint8Array(this.carryLength);
      let off = 0;
      for (const part of this.carryParts) {
        buf.set(part, off);
        off += part.length;
      }
      this.carry = null;
      this.carryParts = [];
      this.scanAll(buf, true);
    }
    return this.collect(this.stitcher.end());
  }

  private setCarry(piece: Uint8Array): void {
    this.carry = piece;
    this.carryParts = [piece];
    this.carryLength = piece.length;
  }

  private collect(recs: TraceRecord[]): TraceRecord[] {
    // every output names the schema (and so its version) on its first record
    if (!this.stamped && recs.length > 0) {
      recs[0].schema = SCHEMA_ID;
      this.stamped = true;
    }
    for (const r of recs) {
      if (r.type === "diagnostic") this.counts.diagnostics++;
      else this.counts.records++;
    }
    return recs;
  }

  /** Scans every whole line of buf (all of it when final); returns the offset scanned up to. */
  private scanAll(buf: Uint8Array, final: boolean): number {
    let off = 0;
    while (off < buf.length) {
      const view = off === 0 ? buf : buf.subarray(off);
      const batch = this.engine.scan(view, final);
      if (batch.lineCount === 0) break;
      const reader = new NodeReader(batch.nodes, batch.bytes);
      const L = batch.lines;
      for (let i = 0; i < batch.lineCount; i++) {
        const o = i * LineField.Stride;
        const start = L[o + LineField.Start];
        const end = L[o + LineField.End];
        const kind = L[o + LineField.Kind];
        this.pos.line++;
        this.counts.lines++;
        const built = buildLine(reader, kind, L[o + LineField.NodeStart], L[o + LineField.NodeEnd], start, end, this.pos);
        if (built.record?.type === "syscall") {
          const d = this.numbering.number(built.record as SyscallRecord);
          if (d) this.pushDiagnostic(d, built.record.line);
        } else if (built.record?.type === "message") {
          this.numbering.observe(built.record);
        }
        let text: LineText;
        if (NEEDS_TEXT.has(kind)) {
          const s = isAscii(batch.bytes, start, end) ? latin1(batch.bytes, start, end) : utf8Text(batch.bytes, start, end);
          text = { line: this.pos.line, text: s };
          const err = L[o + LineField.Err];
          if (err !== 0) {
            text.errCode = err;
            text.errColumn = L[o + LineField.ErrAt] - start + 1;
          }
          if (final && i === batch.lineCount - 1 && view[view.length - 1] !== 10) text.last = true;
        } else {
          // the stitcher reads no text from these lines: one shared object saves an allocation per line
          text = this.scratch;
          text.line = this.pos.line;
        }
        if (this.opts.file !== undefined) text.file = this.opts.file;
        this.stitcher.push(built, text);
        if (built.echoes) {
          // program output inside the argument list: reported here; the record keeps it for render
          for (const [s, e] of built.echoes) {
            const d = diagnostic("program-output", { line: this.pos.line, file: this.opts.file, text: utf8Text(batch.bytes, s, e) }, s - start + 1, "program output printed into the middle of a strace line");
            d.fmt = { inline: true };
            this.stitcher.pushRecord(d);
          }
        }
      }
      if (batch.consumed === 0) break;
      off += batch.consumed;
    }
    return off;
  }

  private pushDiagnostic(d: DiagnosticRecord, line: number): void {
    d.line = line;
    if (this.opts.file !== undefined) d.file = this.opts.file;
    this.stitcher.pushRecord(d);
  }
}
