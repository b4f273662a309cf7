// The push core every adapter shares: bytes in, records out, in bounded memory. It carries the
// partial last line between chunks, numbers lines, and turns each engine batch into records.

import { LineField, LineKind } from "./core/abi.js";
import type { Engine, ScanBatch } from "./engine/types.js";
import { LineFeeder } from "./feeder.js";
import { buildLine, type BuiltLine, type LinePosition } from "./model/lines.js";
import { NodeReader } from "./model/nodes.js";
import { SCHEMA_ID, type DiagnosticRecord, type SyscallRecord, type TraceRecord } from "./model/record.js";
import { Stitcher, type LineText, type StitchOptions } from "./model/stitch.js";
import { outputText, utf8Text } from "./model/text.js";
import { SyscallNumbering } from "./model/numbering.js";
import { diagnostic } from "./model/diagnostics.js";
import { ColorStripper } from "./model/color.js";

/** Options of TraceParser (and so of every parse function): what records carry and how halves are merged. */
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
  /** Lean records for counting consumers (`stats`, sequences): the same records, diagnostics and
   *  order, but calls carry only pid, line, time, name, halves, ret, errno, duration and the
   *  arguments argsFor asks for; no `fmt` layout, timestamp text, comm, ip, decorations, comments
   *  or siginfo, and no `nr`. Such records cannot be rendered back. */
  lean?: boolean;
  /** Arguments written as JSON text at scan time (see model/record-json.ts) instead of ArgNode
   *  trees: calls keep `args: []` and recordJson() gives the same JSON as JSON.stringify of the
   *  ArgNode form. For JSONL writers, which never look at an argument. */
  argsJson?: boolean;
  /** Start the reading mid-input, at a quiet point of the record rows (model/row-parser.ts):
   *  lines are numbered on from `line`, and with `owner` a stand-in record (type syscall, name "")
   *  comes first, owning -k frames and dumps until the next call, as the call before would;
   *  `stamped`: the records before `line` were given, the first of them naming the schema, so no
   *  record of this reading does. */
  resume?: { line: number; owner: boolean; stamped?: boolean };
  /** Stop at the first quiet boundary after line `after` (see TraceParser.handBackAt): a reading
   *  that took over from the record rows hands back to them there. */
  handBack?: { after: number };
  /** Architecture for `nr` (default x86_64; `[ Process PID=N runs in 32 bit mode. ]` switches a process). */
  arch?: "x86_64" | "i386" | "x32" | "arm64";
}

/** What a parse has seen so far. */
export interface ParseCounts {
  /** Input lines read. */
  lines: number;
  /** Records produced, diagnostics not included. */
  records: number;
  /** Diagnostic records produced. */
  diagnostics: number;
  /** Input bytes read. */
  bytes: number;
}

/** Text kinds the stitcher reads whole (the others never need their line as a string). */
const NEEDS_TEXT = new Set<number>([LineKind.Foreign, LineKind.Stack, LineKind.Dump, LineKind.Summary, LineKind.Blank, LineKind.Cont, LineKind.Open]);

/** The push parser every adapter shares: bytes in (any chunking), records out in input order, in bounded memory. Chunking never changes the records. */
export class TraceParser {
  /** Running counts, final after end(). */
  readonly counts: ParseCounts = { lines: 0, records: 0, diagnostics: 0, bytes: 0 };
  private readonly feeder: LineFeeder;
  private readonly stitcher: Stitcher;
  private readonly numbering: SyscallNumbering;
  private readonly pos: LinePosition;
  private ended = false;
  private stamped = false;
  private readonly scratch: LineText = { line: 0, text: "" };
  /** strace 7.x `--color` sequences are taken out before the scanner and put back as `fmt.sgr`. */
  private readonly color = new ColorStripper();

  /** Takes an engine (see createEngine; createParser does both) and the options. */
  constructor(
    private readonly engine: Engine,
    private readonly opts: ParserOptions = {},
  ) {
    this.stitcher = new Stitcher(opts);
    this.numbering = new SyscallNumbering(opts.arch ?? "x86_64");
    this.pos = { line: 0, defaultPid: opts.pid ?? null, argsFor: opts.argsFor, lean: opts.lean, argsJson: opts.argsJson, argsTable: undefined, row: 0 };
    this.feeder = new LineFeeder(engine, (batch, lastOpen) => this.lines(batch, lastOpen));
    if (opts.file !== undefined && opts.tagFile) this.pos.file = opts.file;
    if (opts.resume) {
      this.pos.line = opts.resume.line;
      if (opts.resume.stamped) this.stamped = true;
      this.counts.lines = opts.resume.line;
      if (opts.resume.owner) this.stitcher.standInOwner({ type: "syscall", pid: null, line: opts.resume.line, name: "", args: [], ret: null, errno: null });
    }
  }

  /** With the handBack option: where this reading stopped, once it has: the input offset (of the
   *  bytes this parser was given) and line count before a line that made one whole call or signal
   *  while nothing else waited (the stitcher empty but for it, no personality switched, no colour).
   *  Every record before that line has been given; that line's record has not, and nothing after. */
  handBackAt: { offset: number; line: number } | undefined;

  /** The engine scanning the input. */
  get engineName(): "wasm" | "ts" {
    return this.engine.name;
  }

  /** Feeds a chunk; returns the records completed so far. */
  push(chunk: Uint8Array): TraceRecord[] {
    if (this.ended) throw new Error("strace-seq: push() after end()");
    if (this.handBackAt) return [];
    this.feeder.push(this.color.strip(chunk, this.pos.line));
    this.counts.bytes = this.feeder.bytes + this.color.removed;
    return this.collect(this.stitcher.drain());
  }

  /** Ends the input; returns the remaining records. */
  end(): TraceRecord[] {
    if (this.ended) return [];
    this.ended = true;
    const held = this.color.flush();
    if (held) this.feeder.push(held);
    this.feeder.end();
    this.counts.bytes = this.feeder.bytes + this.color.removed;
    return this.collect(this.stitcher.end());
  }

  private collect(recs: TraceRecord[]): TraceRecord[] {
    this.color.attach(recs, this.opts.lean);
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

  /** Builds each line of a batch and hands it to the stitcher. */
  private lines(batch: ScanBatch, lastOpen: boolean): void {
    // (first: writing the JSON may move WASM memory, which renews the batch's views)
    if (this.opts.argsJson) this.pos.argsTable = this.engine.argsJson?.(batch);
    if (this.handBackAt) return;
    const reader = new NodeReader(batch.nodes, batch.bytes);
    const L = batch.lines;
    for (let i = 0; i < batch.lineCount; i++) {
      const o = i * LineField.Stride;
      const start = L[o + LineField.Start];
      const end = L[o + LineField.End];
      const kind = L[o + LineField.Kind];
      this.pos.line++;
      this.pos.row = i;
      this.counts.lines++;
      const built = buildLine(reader, kind, L[o + LineField.NodeStart], L[o + LineField.NodeEnd], start, end, this.pos);
      // a lean call needs no `nr`; only a printed -n number can still yield a diagnostic
      let numberDiagnostic = false;
      if (built.record?.type === "syscall" && (!this.pos.lean || built.record.fmt?.scno !== undefined)) {
        const d = this.numbering.number(built.record as SyscallRecord);
        if (d) this.pushDiagnostic(d, built.record.line);
        numberDiagnostic = d !== undefined;
      } else if (built.record?.type === "message") {
        this.numbering.observe(built.record);
      }
      let text: LineText;
      if (NEEDS_TEXT.has(kind)) {
        const s = outputText(batch.bytes, start, end);
        text = { line: this.pos.line, text: s };
        const err = L[o + LineField.Err];
        if (err !== 0) {
          text.errCode = err;
          text.errColumn = L[o + LineField.ErrAt] - start + 1;
        }
        if (lastOpen && i === batch.lineCount - 1) text.last = true;
        if (batch.bytes[end] === 13) text.crlf = true;
      } else {
        // the stitcher reads no text from these lines: one shared object saves an allocation per line
        text = this.scratch;
        text.line = this.pos.line;
      }
      if (this.opts.file !== undefined) text.file = this.opts.file;
      // the input's last line had no newline: render leaves it off too
      if (lastOpen && i === batch.lineCount - 1 && built.record) (built.record.fmt ??= {}).unterminated = true;
      // a \r\n line end; on a line cut by glued text, the text after the cut carries it
      if (built.record && !built.glued && batch.bytes[end] === 13) (built.record.fmt ??= {}).crlf = true;
      // program output before the line's prefix: reported first; the record keeps it for render
      if (built.lead) this.pushOutput(batch.bytes, built.lead, start, "program output printed before a strace line");
      this.stitcher.push(built, text);
      // (not before a line that has given a diagnostic already: the rows would read it again)
      if (
        this.opts.handBack &&
        this.pos.line > this.opts.handBack.after &&
        (kind === LineKind.Call || kind === LineKind.Signal) &&
        !numberDiagnostic &&
        this.quietBefore(built)
      ) {
        this.handBackAt = { offset: this.feeder.scanned + start, line: this.pos.line - 1 };
        this.counts.lines = this.pos.line - 1;
        return;
      }
      // program output inside the argument list: reported after the call; the record keeps it for render
      if (built.echoes) for (const span of built.echoes) this.pushOutput(batch.bytes, span, start, "program output printed into the middle of a strace line");
    }
  }

  /** Whether the boundary before the line just pushed is one a reading can start at afresh (see
   *  handBackAt). */
  private quietBefore(built: BuiltLine): boolean {
    return (
      built.record !== undefined &&
      built.echoes === undefined &&
      built.lead === undefined &&
      built.glued === undefined &&
      this.color.removed === 0 &&
      this.numbering.idle &&
      this.stitcher.quietBefore(built.record)
    );
  }

  /** A program-output diagnostic for text the line's record also keeps (so render skips it). */
  private pushOutput(bytes: Uint8Array, [s, e]: [number, number], lineStart: number, message: string): void {
    const d = diagnostic("program-output", { line: this.pos.line, file: this.opts.file, text: utf8Text(bytes, s, e) }, s - lineStart + 1, message);
    d.fmt = { inline: true };
    this.stitcher.pushRecord(d);
  }

  /** A diagnostic about a line that is already a record (e.g. nr-mismatch): render skips it. */
  private pushDiagnostic(d: DiagnosticRecord, line: number): void {
    d.line = line;
    d.fmt = { inline: true };
    if (this.opts.file !== undefined) d.file = this.opts.file;
    this.stitcher.pushRecord(d);
  }
}
