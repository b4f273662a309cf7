// The one sequential step: turns per-line records into events. It merges `<unfinished ...>` with
// `<... resumed>` per pid (stitch/halves.ts), joins calls split by interleaved output
// (stitch/split.ts), attaches -k stack frames and hex dumps to their call (stitch/attach.ts),
// gathers -c tables (stitch/tables.ts), and turns everything else into diagnostics. Output keeps
// input order (stitch/queue.ts): records after a pending unfinished call wait for it (up to a cap,
// so memory stays bounded), and a record is released only once no later line can still attach to it.

import { LineKind } from "../core/abi.js";
import type { BuiltLine } from "./lines.js";
import type { DiagnosticRecord, SyscallRecord, TraceRecord } from "./record.js";
import { codeFor, diagnostic } from "./diagnostics.js";
import { attachLine } from "./stitch/attach.js";
import { HalfMerger } from "./stitch/halves.js";
import type { LineText } from "./stitch/line-text.js";
import { ReleaseQueue } from "./stitch/queue.js";
import { SplitJoiner } from "./stitch/split.js";
import { TableGatherer } from "./stitch/tables.js";

export type { LineText } from "./stitch/line-text.js";

export interface StitchOptions {
  /** Merge unfinished/resumed halves and split lines into one record (default true). */
  merge?: boolean;
  /** Records held back behind a pending unfinished call before it is released out of order. */
  maxHeld?: number;
  /** Pending unfinished calls kept; beyond it the oldest is released as never resumed, with a diagnostic. */
  maxPending?: number;
}

export class Stitcher {
  private readonly merge: boolean;
  private readonly q: ReleaseQueue;
  private readonly halves: HalfMerger;
  private readonly split: SplitJoiner;
  private readonly table: TableGatherer;

  constructor(opts: StitchOptions = {}) {
    this.merge = opts.merge ?? true;
    this.q = new ReleaseQueue(opts.maxHeld ?? 65536);
    this.halves = new HalfMerger(this.q, this.merge, opts.maxPending ?? 100000);
    this.split = new SplitJoiner(this.q, this.halves, this.merge);
    this.table = new TableGatherer(this.q);
  }

  /** Feeds one line. */
  push(b: BuiltLine, t: LineText): void {
    this.pushLine(b, t);
    this.q.settle();
  }

  private pushLine(b: BuiltLine, t: LineText): void {
    const k = b.kind;
    // per line, frames and dumps attach only to the line right before them
    if (!this.merge && k !== LineKind.Stack && k !== LineKind.Dump) this.q.clearOwner();
    // a table goes on over blank lines (trailing ones are given back when it ends)
    if (this.table.open && k !== LineKind.Summary && k !== LineKind.Blank) this.table.flush();
    switch (k) {
      case LineKind.Stack:
      case LineKind.Dump:
        attachLine(this.q, k, t);
        return;
      case LineKind.Summary:
        if (!this.table.row(t, b.summary!)) this.foreign(t);
        return;
      case LineKind.Blank:
        if (!this.table.blank(t)) this.q.emit(diagnostic("blank-line", t, 1));
        return;
      case LineKind.Foreign:
        this.foreign(t);
        return;
      case LineKind.Cont:
        this.split.cont(b.record as SyscallRecord, t);
        return;
    }
    const rec = b.record!;
    // a message may be printed between the parts of a split call; anything else ends it
    if (k !== LineKind.Message) this.split.close();
    if (rec.type !== "syscall") {
      this.q.emit(rec);
      // -k frames after `+++ exited` belong to exit_group; per-line (no-merge) records keep them
      // on the line they follow so rendering gives the input back.
      if (rec.type === "signal" || (rec.type === "exit" && !this.merge)) this.q.setOwner(rec, this.q.tail());
      return;
    }
    if (k === LineKind.Open) {
      this.split.start(rec, b, t);
      return;
    }
    this.halves.call(rec, k === LineKind.Unfinished);
  }

  /** Adds a record that does not come from a line of its own (e.g. a numbering diagnostic). */
  pushRecord(rec: TraceRecord): void {
    this.q.emit(rec);
    this.q.settle();
  }

  /** Makes `rec` the owner of the -k frames and dumps that follow (a reading that starts mid-input,
   *  see ParserOptions.resume): it is queued like a call and released like one. */
  standInOwner(rec: SyscallRecord): void {
    this.q.emitOwner(rec);
  }

  /** Whether everything before `rec`'s line is released and nothing waits but `rec` itself, the
   *  owner of later frames (merging halves): a reading that starts at that line with an empty
   *  stitcher gives the same records from there on. */
  quietBefore(rec: TraceRecord): boolean {
    return this.merge && !this.table.open && !this.split.waiting && this.halves.idle && this.q.holdsOnly(rec);
  }

  /** Records released so far, in input order. */
  drain(): TraceRecord[] {
    return this.q.drain();
  }

  /** End of input: everything still pending is released (unfinished calls stay marked so). */
  end(): TraceRecord[] {
    if (this.table.open) this.table.flush();
    this.split.close();
    this.halves.releaseAll();
    return this.q.end();
  }

  /** A line that is not strace output, or could not be read. */
  private foreign(t: LineText): void {
    let d: DiagnosticRecord;
    if (this.split.waiting) d = diagnostic("program-output", t, 1, "program output between the parts of a split strace line");
    else if (t.last) {
      d = diagnostic("truncated-line", t, t.errColumn ?? 1, "the input ends in the middle of a line");
      (d.fmt ??= {}).unterminated = true;
    } else d = diagnostic(codeFor(t.errCode), t, t.errColumn ?? 1);
    this.q.emit(d);
  }
}
