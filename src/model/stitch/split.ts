// Joining calls split by interleaved output: strace cuts a call at the end of its line when other
// text (a message, program output) is written into it, and prints the rest on a later line.

import type { BuiltLine, GluedText } from "../lines.js";
import type { SyscallRecord, TraceRecord } from "../record.js";
import { diagnostic } from "../diagnostics.js";
import { joinSplit } from "./combine.js";
import type { HalfMerger } from "./halves.js";
import type { LineText } from "./line-text.js";
import type { Held, ReleaseQueue } from "./queue.js";

export class SplitJoiner {
  /** A call cut off at the end of its line, waiting for its continuation. */
  private open: Held | null = null;

  constructor(
    private readonly q: ReleaseQueue,
    private readonly halves: HalfMerger,
    private readonly merge: boolean,
  ) {}

  /** A call is cut off and waits for its continuation. */
  get waiting(): boolean {
    return this.open !== null;
  }

  /** A call cut at the end of its line, maybe with text glued after the cut. */
  start(rec: SyscallRecord, b: BuiltLine, t: LineText): void {
    const h = this.q.hold(rec, !this.merge);
    this.q.setOwner(rec, h.slot!);
    this.open = h;
    if (b.glued) {
      this.q.emit(gluedRecord(b.glued, t));
      // per line, a frame or dump after the glued text cannot go back before it: let it stand alone
      if (!this.merge) this.q.clearOwner();
    }
  }

  /** A line continuing a cut call (or, with none open, a `strace -z` headless resume). */
  cont(rec: SyscallRecord, t: LineText): void {
    const o = this.open;
    if (!o) {
      if (!this.halves.resumeHeadless(rec)) this.q.emit(diagnostic("orphan-continuation", t, 1, "continuation of a call whose first part is missing"));
      return;
    }
    this.open = null;
    if (!this.merge) {
      rec.name = o.rec.name;
      rec.pid = o.rec.pid;
      // the continuation line itself printed no prefix
      const fmt = (rec.fmt ??= {});
      fmt.cont = true;
      if (rec.pid !== null) fmt.pidStyle = "none";
      this.q.emitOwner(rec);
      return;
    }
    const merged = joinSplit(o.rec, rec);
    o.rec = merged;
    if (o.slot) {
      o.slot.rec = merged;
      this.q.setOwner(merged, o.slot);
    }
    if (merged.unfinished && !merged.detached) {
      this.halves.park(o);
      return;
    }
    this.q.finish(o, merged);
  }

  /** The open call's continuation never came (the trace ended, or strace moved on). */
  close(): void {
    const o = this.open;
    if (!o) return;
    this.open = null;
    if (this.merge) {
      o.rec.unfinished = true;
      o.rec.truncated = true;
    }
    this.q.finish(o, o.rec);
  }
}

/** The text glued after the cut: a strace message becomes a message record, anything else a
 *  diagnostic (the scanner said which, lines.ts GluedText). */
function gluedRecord(g: GluedText, t: LineText): TraceRecord {
  const col = t.text.length - (g.end - g.start) + 1;
  const text = t.text.slice(col - 1);
  if (g.message) {
    const rec: TraceRecord = {
      type: "message",
      pid: g.message.pid,
      line: t.line,
      kind: g.message.kind,
      text,
      fmt: t.crlf ? { glued: true, crlf: true } : { glued: true },
    };
    if (t.file !== undefined) rec.file = t.file;
    return rec;
  }
  const d = diagnostic("program-output", t, col, "program output printed into the middle of a strace line");
  d.text = text;
  (d.fmt ??= {}).glued = true;
  return d;
}
