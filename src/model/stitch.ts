// The one sequential step: turns per-line records into events. It merges `<unfinished ...>` with
// `<... resumed>` per pid, joins calls split by interleaved output, attaches -k stack frames and
// hex dumps to their call, gathers -c tables, and turns everything else into diagnostics.
// Output keeps input order: records after a pending unfinished call wait for it (up to a cap, so
// memory stays bounded), and a record is released only once no later line can still attach to it.

import { ErrCode, LineKind } from "../core/abi.js";
import type { BuiltLine } from "./lines.js";
import type { ArgNode, DiagnosticRecord, ExitRecord, SignalRecord, SummaryRecord, SyscallRecord, TraceRecord } from "./record.js";
import { isSummaryHeader, parseSummaryTable } from "./summary.js";
import { diagnostic, type DiagnosticCode } from "./diagnostics.js";
import { joinRecordRawArgs } from "./record-json.js";

export interface StitchOptions {
  /** Merge unfinished/resumed halves and split lines into one record (default true). */
  merge?: boolean;
  /** Records held back behind a pending unfinished call before it is released out of order. */
  maxHeld?: number;
  /** Pending unfinished calls kept; beyond it the oldest is released as never resumed, with a diagnostic. */
  maxPending?: number;
}

/** A queue slot: a finished record, or a call whose other half has not arrived yet. */
interface Slot {
  rec: TraceRecord;
  ready: boolean;
  /** The pending or open call this slot waits for, so an early release can unhook it in O(1). */
  held?: Held;
}

/** A call waiting for its other half, and the queue slot that keeps its place (null once released). */
interface Held {
  rec: SyscallRecord;
  slot: Slot | null;
}

/** What the stitcher knows about the physical line it is given. */
export interface LineText {
  line: number;
  file?: string;
  /** The whole line, for diagnostics and tables. */
  text: string;
  /** 1-based column where reading failed, when it did. */
  errColumn?: number;
  errCode?: number;
  /** The line had no newline and ended the input. */
  last?: boolean;
  /** The line ended with `\r\n`. */
  crlf?: boolean;
}

/** An unprefixed resume looks through at most this many pending calls for its start. */
const UNPREFIXED_SEARCH = 64;

export class Stitcher {
  private readonly merge: boolean;
  private readonly maxHeld: number;
  private readonly maxPending: number;
  private queue: Slot[] = [];
  private head = 0;
  /** Unfinished calls by pid, with their queue slot (or null once released out of order). */
  private pending = new Map<number | null, Held>();
  /** Records released and not yet handed out by drain(). */
  private out: TraceRecord[] = [];
  /** A call cut off at the end of its line, waiting for its continuation. */
  private open: Held | null = null;
  /** The record later -k frames and hex dumps belong to, and its queue slot (held until the
   *  next call or signal, since frames may follow an exit line). */
  private lastCall: SyscallRecord | SignalRecord | ExitRecord | null = null;
  private lastSlot: Slot | null = null;
  /** The latest unfinished call, which a headless continuation (`strace -z`) resumes. */
  private lastUnfinished: SyscallRecord | null = null;
  private table: { lines: LineText[] } | null = null;

  constructor(opts: StitchOptions = {}) {
    this.merge = opts.merge ?? true;
    this.maxHeld = opts.maxHeld ?? 65536;
    this.maxPending = opts.maxPending ?? 100000;
  }

  /** Feeds one line. */
  push(b: BuiltLine, t: LineText): void {
    this.pushLine(b, t);
    this.settle();
  }

  private pushLine(b: BuiltLine, t: LineText): void {
    const k = b.kind;
    // per line, frames and dumps attach only to the line right before them
    if (!this.merge && k !== LineKind.Stack && k !== LineKind.Dump) this.lastCall = this.lastSlot = null;
    if (k !== LineKind.Summary && this.table && !(k === LineKind.Blank && this.table)) this.flushTable();
    switch (k) {
      case LineKind.Stack:
      case LineKind.Dump:
        this.attach(k, t);
        return;
      case LineKind.Summary:
        // a row-shaped line outside a table is not one (program output that happens to look like it)
        if (!this.table && !isTableStart(t.text)) {
          this.foreign(t);
          return;
        }
        // each personality's table (`System call usage summary for 32 bit mode:`) is its own record
        if (this.table && t.text.startsWith("System call usage summary")) this.flushTable();
        (this.table ??= { lines: [] }).lines.push(t);
        return;
      case LineKind.Blank:
        if (this.table) {
          this.table.lines.push(t);
          return;
        }
        this.emit(diagnostic("blank-line", t, 1));
        return;
      case LineKind.Foreign:
        this.foreign(t);
        return;
      case LineKind.Cont:
        this.cont(b.record as SyscallRecord, t);
        return;
    }
    const rec = b.record!;
    if (k !== LineKind.Message && this.open) this.closeOpen();
    if (rec.type !== "syscall") {
      this.emit(rec);
      // -k frames after `+++ exited` belong to exit_group; per-line (no-merge) records keep them
      // on the line they follow so rendering gives the input back.
      if (rec.type === "signal" || (rec.type === "exit" && !this.merge)) this.setLast(rec, this.queue[this.queue.length - 1]);
      return;
    }
    if (k === LineKind.Open) {
      this.startOpen(rec, b, t);
      return;
    }
    this.call(rec, k === LineKind.Unfinished);
  }

  /** Adds a record that does not come from a line of its own (e.g. a numbering diagnostic). */
  pushRecord(rec: TraceRecord): void {
    this.emit(rec);
    this.settle();
  }

  /** Records released so far, in input order. */
  drain(): TraceRecord[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  /** Moves finished records from the head of the queue to the output. Runs after every line, so
   *  what is released (and in which order) never depends on how the input was chunked. */
  private settle(): void {
    // Nothing from the record that may still receive stack frames or a dump onwards leaves yet.
    while (this.head < this.queue.length && this.queue[this.head] !== this.lastSlot && this.queue[this.head].ready) this.out.push(this.queue[this.head++].rec);
    // A call blocked for very long: release what waits behind it; it follows when it resumes.
    while (this.queue.length - this.head > this.maxHeld) {
      const s = this.queue[this.head++];
      if (s === this.lastSlot) this.lastCall = this.lastSlot = null;
      if (s.ready) this.out.push(s.rec);
      else if (s.held) s.held.slot = null;
    }
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  /** A waiting call is complete: it takes its reserved place, or comes now if that was released. */
  private finish(h: Held, rec: SyscallRecord): void {
    if (h.slot) {
      h.slot.rec = rec;
      h.slot.ready = true;
      h.slot.held = undefined;
    } else {
      this.queue.push({ rec, ready: true });
    }
  }

  /** Reserves a queue place for a call that waits for its other half. */
  private hold(rec: SyscallRecord, ready = false): Held {
    const slot: Slot = { rec, ready };
    const h: Held = { rec, slot };
    if (!ready) slot.held = h;
    this.queue.push(slot);
    return h;
  }

  private setLast(rec: SyscallRecord | SignalRecord | ExitRecord, slot: Slot): void {
    this.lastCall = rec;
    this.lastSlot = slot;
  }

  /** End of input: everything still pending is released (unfinished calls stay marked so). */
  end(): TraceRecord[] {
    if (this.table) this.flushTable();
    if (this.open) this.closeOpen();
    for (const h of this.pending.values()) this.finish(h, h.rec);
    this.pending.clear();
    const out = this.drain();
    while (this.head < this.queue.length) out.push(this.queue[this.head++].rec);
    this.queue = [];
    this.head = 0;
    return out;
  }

  // ---- calls

  private call(rec: SyscallRecord, unfinished: boolean): void {
    if (!this.merge) {
      if (unfinished) this.lastUnfinished = rec;
      this.emitLast(rec);
      return;
    }
    if (rec.resumed) {
      const key = this.pendingKeyFor(rec);
      const p = key === undefined ? undefined : this.pending.get(key);
      if (key !== undefined && p) {
        this.pending.delete(key);
        if (p.rec.pid === null) p.rec.pid = rec.pid;
        const merged = mergeHalves(p.rec, rec);
        if (merged.unfinished) {
          // resumed and cut again (legacy `<... x resumed> <unfinished ...>`)
          p.rec = merged;
          if (p.slot) p.slot.rec = merged;
          this.pending.set(merged.pid, p);
          if (p.slot) this.setLast(merged, p.slot);
          return;
        }
        const reserved = p.slot;
        this.finish(p, merged);
        this.setLast(merged, reserved ?? this.queue[this.queue.length - 1]);
        return;
      }
      // A resumed half whose start we never saw (attached mid-call): kept as it is.
      this.emitLast(rec);
      return;
    }
    if (unfinished && !rec.detached) {
      const old = this.pending.get(rec.pid);
      if (old) this.releasePending(rec.pid, old);
      if (this.pending.size >= this.maxPending) {
        const [pid, oldest] = this.pending.entries().next().value as [number | null, Held];
        this.releasePending(pid, oldest);
        this.emit(diagnostic("too-many-pending", { line: oldest.rec.line, file: oldest.rec.file, text: "" }, 1, `more than ${this.maxPending} unfinished calls pending; released the oldest`));
      }
      const h = this.hold(rec);
      this.pending.set(rec.pid, h);
      this.setLast(rec, h.slot!);
      this.lastUnfinished = rec;
      return;
    }
    this.emitLast(rec);
  }

  /** The pending call a resumed half completes: the one of its pid, by name. `strace -f` writing
   *  to stderr prints no `[pid N]` while only one process is traced, so a call begun without a
   *  prefix may be resumed with one, and the other way round: a prefixed resume takes an
   *  unprefixed call of its name, and an unprefixed resume the only pending call of its name. */
  private pendingKeyFor(rec: SyscallRecord): number | null | undefined {
    const same = (h: Held | undefined) => h !== undefined && (rec.name === "" || h.rec.name === rec.name);
    if (same(this.pending.get(rec.pid))) return rec.pid;
    if (rec.pid !== null) return same(this.pending.get(null)) ? null : undefined;
    if (rec.name === "" || this.pending.size > UNPREFIXED_SEARCH) return undefined;
    let found: number | null | undefined;
    for (const [pid, h] of this.pending) {
      if (h.rec.name !== rec.name) continue;
      if (found !== undefined) return undefined; // more than one: no guessing
      found = pid;
    }
    return found;
  }

  private emitLast(rec: SyscallRecord): void {
    const slot: Slot = { rec, ready: true };
    this.queue.push(slot);
    this.setLast(rec, slot);
  }

  private releasePending(pid: number | null, h: Held): void {
    this.pending.delete(pid);
    this.finish(h, h.rec);
  }

  // ---- lines split by interleaved output

  private startOpen(rec: SyscallRecord, b: BuiltLine, t: LineText): void {
    const h = this.hold(rec, !this.merge);
    this.setLast(rec, h.slot!);
    this.open = h;
    if (b.glued) {
      this.gluedText(b.glued, t);
      // per line, a frame or dump after the glued text cannot go back before it: let it stand alone
      if (!this.merge) this.lastCall = this.lastSlot = null;
    }
  }

  /** The text glued after the cut: a strace message becomes a message record, anything else a diagnostic. */
  private gluedText(span: [number, number], t: LineText): void {
    const col = t.text.length - (span[1] - span[0]) + 1;
    const text = t.text.slice(col - 1);
    const m = /strace: (?:Process (\d+) (attached|detached)|(.*))$/.exec(text);
    if (m) {
      const rec: TraceRecord = {
        type: "message",
        pid: m[1] ? Number(m[1]) : null,
        line: t.line,
        kind: m[2] === "attached" ? "attached" : m[2] === "detached" ? "detached" : "strace",
        text,
        fmt: t.crlf ? { glued: true, crlf: true } : { glued: true },
      };
      if (t.file !== undefined) rec.file = t.file;
      this.emit(rec);
      return;
    }
    const d = diagnostic("program-output", t, col, "program output printed into the middle of a strace line");
    d.text = text;
    (d.fmt ??= {}).glued = true;
    this.emit(d);
  }

  private cont(rec: SyscallRecord, t: LineText): void {
    const o = this.open;
    if (!o) {
      // `strace -z` prints a resumed half without its `<... name resumed>` head or pid: it
      // continues the most recent unfinished call.
      const u = this.lastUnfinished;
      if (u && (!this.merge || this.pending.get(u.pid)?.rec === u)) {
        rec.name = u.name;
        rec.pid = u.pid;
        rec.resumed = true;
        const fmt = (rec.fmt ??= {});
        fmt.cont = true;
        if (rec.pid !== null) fmt.pidStyle = "none";
        this.lastUnfinished = null;
        this.call(rec, false);
        return;
      }
      this.emit(diagnostic("orphan-continuation", t, 1, "continuation of a call whose first part is missing"));
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
      this.emitLast(rec);
      return;
    }
    const merged = joinSplit(o.rec, rec);
    o.rec = merged;
    if (o.slot) {
      o.slot.rec = merged;
      this.setLast(merged, o.slot);
    }
    if (merged.unfinished && !merged.detached) {
      const old = this.pending.get(merged.pid);
      if (old) this.releasePending(merged.pid, old);
      this.pending.set(merged.pid, o);
      return;
    }
    this.finish(o, merged);
  }

  /** An open call whose continuation never came (the trace ended, or strace moved on). */
  private closeOpen(): void {
    const o = this.open!;
    this.open = null;
    if (this.merge) {
      o.rec.unfinished = true;
      o.rec.truncated = true;
    }
    this.finish(o, o.rec);
  }

  // ---- attachments, tables, diagnostics

  private attach(k: number, t: LineText): void {
    const rec = this.lastCall;
    if (!rec) {
      this.emit(diagnostic(k === LineKind.Stack ? "orphan-stack-frame" : "orphan-dump", t, 1, "no call precedes this line"));
      return;
    }
    if (k === LineKind.Stack) (rec.stack ??= []).push(t.text.slice(3));
    else if (rec.type !== "syscall") (rec.dump ??= []).push(t.text);
    else (rec.dump ??= []).push(t.text);
    rec.endLine = Math.max(rec.endLine ?? rec.line, t.line);
  }

  private flushTable(): void {
    const lines = this.table!.lines;
    this.table = null;
    // trailing blank lines belong to whatever follows
    let n = lines.length;
    while (n > 0 && lines[n - 1].text.trim() === "") n--;
    if (n > 0) this.emit(parseSummaryTable(lines.slice(0, n)) as SummaryRecord);
    for (const t of lines.slice(n)) this.emit(diagnostic("blank-line", t, 1));
    this.lastCall = this.lastSlot = null;
  }

  private foreign(t: LineText): void {
    let d: DiagnosticRecord;
    if (this.open) d = diagnostic("program-output", t, 1, "program output between the parts of a split strace line");
    else if (t.last) {
      d = diagnostic("truncated-line", t, t.errColumn ?? 1, "the input ends in the middle of a line");
      (d.fmt ??= {}).unterminated = true;
    }
    else d = diagnostic(codeFor(t.errCode), t, t.errColumn ?? 1);
    this.emit(d);
  }

  private emit(rec: TraceRecord): void {
    this.queue.push({ rec, ready: true });
  }
}

function isTableStart(text: string): boolean {
  return isSummaryHeader(text) || text.startsWith("------") || text.startsWith("System call usage summary");
}

/** The diagnostic code for why the scanner could not read a line. */
function codeFor(err: number | undefined): DiagnosticCode {
  switch (err) {
    case ErrCode.UnterminatedString:
      return "unterminated-string";
    case ErrCode.Unbalanced:
      return "unbalanced";
    case ErrCode.Unexpected:
      return "unexpected-text";
    case ErrCode.TooDeep:
      return "too-deep";
    case ErrCode.BadReturn:
      return "bad-return";
    default:
      return "not-strace";
  }
}

/** Arguments of a second part appended to the first; a leading ` => x` completes the last one. */
function joinArgs(a: ArgNode[], b: ArgNode[]): ArgNode[] {
  // most resumed halves (and every lean one) add nothing: keep the first half's array
  if (b.length === 0) return a;
  if (b.length > 0 && b[0].kind === "change" && b[0].from === undefined && a.length > 0) {
    const last = a[a.length - 1];
    return [...a.slice(0, -1), { ...b[0], from: last }, ...b.slice(1)];
  }
  return a.concat(b);
}

/** Copies the result part of the second half onto the first (field by field: a loop over names
 *  makes every access megamorphic, and this runs for every merged call). */
function takeResult(into: SyscallRecord, from: SyscallRecord): void {
  into.ret = from.ret;
  into.errno = from.errno;
  if (from.retText !== undefined) into.retText = from.retText;
  if (from.retDecor !== undefined) into.retDecor = from.retDecor;
  if (from.retDeleted !== undefined) into.retDeleted = from.retDeleted;
  if (from.errmsg !== undefined) into.errmsg = from.errmsg;
  if (from.aux !== undefined) into.aux = from.aux;
  if (from.duration !== undefined) into.duration = from.duration;
  if (from.durationText !== undefined) into.durationText = from.durationText;
  if (from.unavailable !== undefined) into.unavailable = from.unavailable;
  if (from.retComment !== undefined) into.retComment = from.retComment;
  if (from.retCommentRaw !== undefined) into.retCommentRaw = from.retCommentRaw;
  if (from.detached !== undefined) into.detached = from.detached;
}

/** The first half becomes the merged record, in place: the stitcher owns it until it is released,
 *  and copying every merged call cost more than parsing it. Its half-only fields are cleared
 *  (set undefined, which JSON leaves out; `delete` would make V8 fall back to slow objects). */
function becomeWhole(h: SyscallRecord, args: ArgNode[]): SyscallRecord {
  h.args = args;
  if (h.unfinished !== undefined) h.unfinished = undefined;
  if (h.fmt !== undefined) h.fmt = undefined;
  return h;
}

/** The last line of a merged call's first half, when that half spanned several lines (a cut
 *  call and its continuation, -k frames): `endLine` then only tells where the resumed half ends.
 *  Kept aside so the record's JSON stays as it is; `--color` needs it (model/color.ts). */
export const firstHalfEnd = new WeakMap<SyscallRecord, number>();

/** One record from `<unfinished ...>` and `<... resumed>` halves. */
export function mergeHalves(u: SyscallRecord, r: SyscallRecord): SyscallRecord {
  if (u.endLine !== undefined) firstHalfEnd.set(u, u.endLine);
  joinRecordRawArgs(u, r);
  const m = becomeWhole(u, joinArgs(u.args, r.args));
  takeResult(m, r);
  if (r.unfinished) m.unfinished = true;
  if (r.time !== undefined) m.endTime = r.time;
  if (r.timestamp !== undefined) m.endTimestamp = r.timestamp;
  m.resumedLine = r.line;
  m.endLine = Math.max(r.endLine ?? r.line, u.endLine ?? u.line);
  if (r.stack) m.stack = (m.stack ?? []).concat(r.stack);
  if (r.dump) m.dump = (m.dump ?? []).concat(r.dump);
  return m;
}

/** One record from a call cut at the end of its line and the line that continues it. */
function joinSplit(o: SyscallRecord, c: SyscallRecord): SyscallRecord {
  joinRecordRawArgs(o, c);
  const m = becomeWhole(o, joinArgs(o.args, c.args));
  takeResult(m, c);
  if (c.unfinished) m.unfinished = true;
  m.endLine = c.endLine ?? c.line;
  return m;
}
