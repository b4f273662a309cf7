// One scanned line → the record it stands for on its own (the `--no-merge` view). Merging halves,
// attaching stack frames and hex dumps, and collecting summary tables happen later, in stitch.ts.

import { LineKind, NodeKind } from "../core/abi.js";
import type { ArgNode, ExitRecord, LineFormat, MessageRecord, RecordBase, SignalRecord, SyscallRecord, TraceRecord } from "./record.js";
import { NodeReader, commentText } from "./nodes.js";
import { durationAt, intValueAt, timestampSecondsAt } from "./ints.js";
import { ALIGN_COLUMN, renderPrefix } from "./render.js";
import { latin1, outputText } from "./text.js";
import { intern } from "./intern.js";
import { RAW_ARGS, rawArgs, type RawArgsRecord } from "./record-json.js";
import type { ArgsJsonTable } from "../engine/types.js";
import { readSummaryLine, type SummaryLine } from "./summary.js";

/** Where a line sits in its input. */
export interface LinePosition {
  line: number;
  file?: string;
  /** Pid that applies when the line has none (from an `-ff` file name). */
  defaultPid?: number | null;
  /** Build `args` only for calls this accepts (others get `[]`; continuation lines, whose name is
   *  not known yet, always keep theirs); all calls when absent. */
  argsFor?: (name: string) => boolean;
  /** Lean records (see ParserOptions.lean): no layout, texts or annotations. */
  lean?: boolean;
  /** Arguments as JSON under RAW_ARGS instead of ArgNodes (see ParserOptions.argsJson). */
  argsJson?: boolean;
  /** With argsJson: the engine's JSON for this batch, if it wrote one, and this line's row in it. */
  argsTable?: ArgsJsonTable;
  row?: number;
}

/** What the stitcher needs beyond the record. */
export interface BuiltLine {
  kind: number;
  record?: TraceRecord;
  /** Text glued onto the end of a call line: a strace message or program output. */
  glued?: GluedText;
  /** Byte spans of program output printed between a call's arguments (kept in fmt.echoes too). */
  echoes?: [number, number][];
  /** Byte span of program output printed before the line's prefix (kept in fmt.prefix too). */
  lead?: [number, number];
  /** What a -c/-C table line says (LineKind.Summary). */
  summary?: SummaryLine;
}

/** Prefix node kinds are numbered Pid..Relative in abi.ts (a range test instead of a set lookup per node). */
function isPrefixKind(k: number): boolean {
  return k >= NodeKind.Pid && k <= NodeKind.Relative;
}

export function buildLine(r: NodeReader, kind: number, nodeStart: number, nodeEnd: number, lineStart: number, lineEnd: number, pos: LinePosition): BuiltLine {
  if (kind === LineKind.Summary) return { kind, summary: readSummaryLine(r, nodeStart, lineStart) };
  if (kind === LineKind.Blank || kind === LineKind.Foreign || kind === LineKind.Dump || kind === LineKind.Stack) {
    return { kind };
  }
  const base: RecordBase = { type: "syscall", pid: pos.defaultPid ?? null, line: pos.line };
  if (pos.file !== undefined) base.file = pos.file;
  const fmt: LineFormat = {};
  let sawPid = false;
  let prefixEnd = lineStart;
  let i = nodeStart;
  let lead: [number, number] | undefined;
  if (i < nodeEnd && r.kind(i) === NodeKind.Lead) {
    lead = [r.start(i), r.end(i)];
    prefixEnd = r.end(i);
    i = r.next(i);
  }
  // -- prefix
  for (; i < nodeEnd && isPrefixKind(r.kind(i)); i = r.next(i)) {
    const k = r.kind(i);
    if (k === NodeKind.PidBracket) {
      base.pid = smallInt(r.bytes, r.start(i + 1), r.end(i + 1));
      if (r.next(i) > i + 2 && r.kind(i + 2) === NodeKind.Comm && !pos.lean) base.comm = r.text(i + 2);
      fmt.pidStyle = "bracket";
      sawPid = true;
      prefixEnd = r.end(i);
    } else if (k === NodeKind.Pid) {
      base.pid = smallInt(r.bytes, r.start(i), r.end(i));
      sawPid = true;
      prefixEnd = r.end(i);
    } else if (k === NodeKind.Comm) {
      if (!pos.lean) base.comm = r.text(i);
      prefixEnd = r.end(i) + 1;
    } else if (k === NodeKind.Time) {
      if (!pos.lean) base.timestamp = r.text(i);
      base.time = timestampSecondsAt(r.bytes, r.start(i), r.end(i));
      prefixEnd = r.end(i);
    } else if (k === NodeKind.Relative) {
      if (!pos.lean) base.relativeText = r.text(i);
      base.relative = timestampSecondsAt(r.bytes, r.start(i), r.end(i));
      prefixEnd = r.end(i) + 1;
    } else if (k === NodeKind.Ip) {
      if (!pos.lean) base.ip = r.text(i);
      prefixEnd = r.end(i) + 1;
    } else {
      fmt.scno = r.text(i);
      prefixEnd = r.end(i) + 1;
    }
  }
  if (!sawPid && base.pid !== null) fmt.pidStyle = "none";
  let bodyStart = prefixEnd;
  while (bodyStart < lineEnd && r.bytes[bodyStart] === 32) bodyStart++;
  if (kind === LineKind.Cont) bodyStart = lineStart;

  let record: TraceRecord;
  let glued: GluedText | undefined;
  let echoes: [number, number][] | undefined;
  if (kind === LineKind.Signal) {
    const rec = base as SignalRecord;
    rec.type = "signal";
    rec.signal = "";
    for (; i < nodeEnd; i = r.next(i)) {
      const k = r.kind(i);
      if (k === NodeKind.Stopped) rec.stopped = true;
      else if (k === NodeKind.Signal) rec.signal = intern(r.bytes, r.start(i), r.end(i));
      else if (k === NodeKind.SigInfo && !pos.lean) rec.info = r.arg(i + 1);
      else if (k === NodeKind.MsgText) rec.text = r.text(i);
    }
    record = rec;
  } else if (kind === LineKind.Exit) {
    const rec = base as ExitRecord;
    rec.type = "exit";
    rec.how = "exited";
    for (; i < nodeEnd; i = r.next(i)) {
      const k = r.kind(i);
      if (k === NodeKind.ExitCode) rec.code = Number(r.text(i));
      else if (k === NodeKind.Killed) rec.how = "killed";
      else if (k === NodeKind.Signal) rec.signal = intern(r.bytes, r.start(i), r.end(i));
      else if (k === NodeKind.Core) rec.core = true;
      else if (k === NodeKind.Superseded) {
        rec.how = "superseded";
        rec.byPid = Number(r.text(i + 1));
      }
    }
    record = rec;
  } else if (kind === LineKind.Message) {
    const rec = base as MessageRecord;
    rec.type = "message";
    rec.kind = "strace";
    rec.text = latin1(r.bytes, bodyStart, lineEnd);
    for (; i < nodeEnd; i = r.next(i)) {
      const k = r.kind(i);
      if (k === NodeKind.Attached || k === NodeKind.Detached) rec.kind = k === NodeKind.Attached ? "attached" : "detached";
      else if (k === NodeKind.Personality) {
        rec.kind = "personality";
        rec.mode = r.text(i);
      }
      // the pid the message is about (`Process 123 attached`, `PID=123`), a child of the scanner's node
      if (r.next(i) > i + 1 && r.kind(i + 1) === NodeKind.Pid) rec.pid = Number(r.text(i + 1));
    }
    fmt.pidStyle = undefined;
    record = rec;
  } else if (pos.lean) {
    const rec = asCall(base);
    const built: BuiltLine = { kind, record: rec, glued: undefined, echoes: undefined, lead };
    leanCall(r, rec, i, nodeEnd, pos, built);
    // the stitcher and the numbering read these two
    if (kind === LineKind.Cont) fmt.cont = true;
    if (fmt.scno !== undefined || fmt.cont) rec.fmt = fmt;
    return built;
  } else {
    const rec = asCall(base);
    const trailers: string[] = [];
    for (; i < nodeEnd; i = r.next(i)) {
      const k = r.kind(i);
      switch (k) {
        case NodeKind.Name:
          rec.name = intern(r.bytes, r.start(i), r.end(i));
          break;
        case NodeKind.ResumedHead:
          rec.resumed = true;
          if (r.next(i) > i + 1) rec.name = r.text(i + 1);
          break;
        case NodeKind.Args: {
          const { items, seps, tail, echoes: e } = r.layout(i + 1, r.next(i), ", ");
          // consumers that never read arguments (stats, most sequences) skip building them
          if (items.length > 0 && wantsArgs(pos, rec.name)) {
            if (pos.argsJson)
              (rec as RawArgsRecord)[RAW_ARGS] = rawArgs(r, items, pos.argsTable, pos.row ?? 0, kind === LineKind.Unfinished || kind === LineKind.Open);
            else rec.args = items.map((c) => r.arg(c));
          }
          if (seps) fmt.seps = seps;
          if (tail !== undefined) fmt.tail = tail;
          if (e) {
            echoes = e.map((x) => [x.start, x.end] as [number, number]);
            fmt.echoes = e.map((x) => ({ after: x.after, text: outputText(r.bytes, x.start, x.end) }));
          }
          if (r.next(i) > i + 1 && r.kind(i + 1) === NodeKind.Resuming) {
            const t = r.text(i + 1);
            rec.resuming = t.slice(5, t.length - 5);
          }
          break;
        }
        case NodeKind.Unfinished:
        case NodeKind.Detached: {
          const t = r.text(i);
          if (k === NodeKind.Detached) rec.detached = true;
          else if (t.indexOf("<pid changed to") >= 0) rec.detached = true;
          rec.unfinished = true;
          if (t !== " <unfinished ...>") fmt.marker = t;
          break;
        }
        case NodeKind.Pad: {
          // strace pads `= ` to column 40 (or -a N); keep the width only when it is not that.
          const col = r.start(i) - lineStart;
          const pad = r.end(i) - r.start(i);
          if (pad !== (col < ALIGN_COLUMN ? ALIGN_COLUMN - col : 1)) fmt.pad = pad;
          break;
        }
        case NodeKind.Ret: {
          const t = r.text(i);
          if (t === "?") rec.ret = null;
          else rec.ret = intValueAt(r.bytes, r.start(i), r.end(i));
          if (t !== String(rec.ret)) rec.retText = t;
          break;
        }
        case NodeKind.RetDecor:
          rec.retDecor = r.text(i);
          break;
        case NodeKind.Deleted:
          rec.retDeleted = true;
          break;
        case NodeKind.Errno:
          rec.errno = intern(r.bytes, r.start(i), r.end(i));
          trailers.push("errno");
          break;
        case NodeKind.ErrMsg:
          rec.errmsg = intern(r.bytes, r.start(i), r.end(i));
          break;
        case NodeKind.Aux:
          (rec.aux ??= []).push(r.text(i));
          trailers.push("aux");
          break;
        case NodeKind.Duration:
          rec.durationText = r.text(i);
          rec.duration = Number(rec.durationText);
          trailers.push("duration");
          break;
        case NodeKind.Unavailable:
          rec.unavailable = true;
          trailers.push("unavailable");
          break;
        case NodeKind.Comment: {
          const c = commentText(r.text(i));
          rec.retComment = c.text;
          if (c.raw !== undefined) rec.retCommentRaw = c.raw;
          trailers.push("comment");
          break;
        }
        case NodeKind.Glued:
          glued = gluedText(r, i);
          break;
      }
    }
    if (rec.unfinished && trailers.length + (rec.retText !== undefined || rec.ret !== null ? 1 : 0) > 0) fmt.markerThenResult = true;
    // old straces left spaces after the result
    let last = bodyStart;
    for (let j = nodeStart; j < nodeEnd; j = r.next(j)) if (r.end(j) > last) last = r.end(j);
    if (kind === LineKind.Call || kind === LineKind.Resumed || kind === LineKind.Cont) {
      let q = last;
      while (q < lineEnd && r.bytes[q] === 32) q++;
      if (q === lineEnd && q > last) fmt.trailing = latin1(r.bytes, last, lineEnd);
    }
    if (kind === LineKind.Open) fmt.open = true;
    if (kind === LineKind.Cont) fmt.cont = true;
    const order = canonicalOrder(trailers);
    if (order) fmt.order = order;
    record = rec;
  }
  if (pos.lean) {
    if (fmt.scno !== undefined) record.fmt = fmt;
    return { kind, record, glued, echoes, lead };
  }
  // Keep whatever layout the typed fields cannot reproduce (no `delete`: it slows every later access).
  if (!sameText(renderPrefix(record, fmt), r.bytes, lineStart, bodyStart)) fmt.prefix = latin1(r.bytes, lineStart, bodyStart);
  if (hasValues(fmt)) record.fmt = fmt;
  return { kind, record, glued, echoes, lead };
}

/** The record base as a call with no name, arguments or result yet (fields in JSON order). */
function asCall(base: RecordBase): SyscallRecord {
  const rec = base as SyscallRecord;
  rec.type = "syscall";
  rec.name = "";
  rec.args = [];
  rec.ret = null;
  rec.errno = null;
  return rec;
}

/** Lean calls without arguments share this one (frozen: nothing may add to it). */
const NO_ARGS: ArgNode[] = Object.freeze([]) as unknown as ArgNode[];
const UNFINISHED_MARKER_LENGTH = " <unfinished ...>".length;

/** The call fields counting consumers read (name, halves, result, errno, duration), and the
 *  arguments only where pos.argsFor asks; program output inside the arguments is still found.
 *  Reads numbers straight from the bytes: this runs for every call. */
function leanCall(r: NodeReader, rec: SyscallRecord, i: number, nodeEnd: number, pos: LinePosition, out: BuiltLine): void {
  rec.args = NO_ARGS;
  for (; i < nodeEnd; i = r.next(i)) {
    switch (r.kind(i)) {
      case NodeKind.Name:
        rec.name = intern(r.bytes, r.start(i), r.end(i));
        break;
      case NodeKind.ResumedHead:
        rec.resumed = true;
        if (r.next(i) > i + 1) rec.name = intern(r.bytes, r.start(i + 1), r.end(i + 1));
        break;
      case NodeKind.Args: {
        const end = r.next(i);
        if (end > i + 1 && wantsArgs(pos, rec.name)) rec.args = r.layout(i + 1, end, ", ").items.map((c) => r.arg(c));
        for (let c = i + 1; c < end; c = r.next(c)) if (r.kind(c) === NodeKind.Glued) (out.echoes ??= []).push([r.start(c), r.end(c)]);
        break;
      }
      case NodeKind.Unfinished:
      case NodeKind.Detached:
        if (r.kind(i) === NodeKind.Detached) rec.detached = true;
        else if (r.end(i) - r.start(i) !== UNFINISHED_MARKER_LENGTH && r.text(i).indexOf("<pid changed to") >= 0) rec.detached = true;
        rec.unfinished = true;
        break;
      case NodeKind.Ret:
        rec.ret = retValue(r.bytes, r.start(i), r.end(i));
        break;
      case NodeKind.Errno:
        rec.errno = intern(r.bytes, r.start(i), r.end(i));
        break;
      case NodeKind.Duration:
        rec.duration = durationAt(r.bytes, r.start(i), r.end(i));
        break;
      case NodeKind.Glued:
        out.glued = gluedText(r, i);
        break;
    }
  }
}

/** Whether to build a call's arguments. A continuation line does not know its call's name
 *  yet (the stitcher gives it), so it keeps them: they may belong to a call that wants them. */
function wantsArgs(pos: LinePosition, name: string): boolean {
  return pos.argsFor === undefined || name === "" || pos.argsFor(name);
}

/** A return value's number (intValueAt), or null for `?`. */
function retValue(b: Uint8Array, s: number, e: number): number | string | null {
  if (e - s === 1 && b[s] === 63) return null; // `?`
  return intValueAt(b, s, e);
}

function hasValues(o: object): boolean {
  for (const k in o) if ((o as Record<string, unknown>)[k] !== undefined) return true;
  return false;
}

function smallInt(b: Uint8Array, s: number, e: number): number {
  let v = 0;
  for (let i = s; i < e; i++) v = v * 10 + (b[i] - 48);
  return v;
}

function sameText(s: string, b: Uint8Array, start: number, end: number): boolean {
  if (s.length !== end - start) return false;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== b[start + i]) return false;
  return true;
}

const TRAILER_RANK: Record<string, number> = { errno: 0, aux: 1, unavailable: 2, comment: 3, duration: 4 };

/** The trailer order when it is not errno → aux… → unavailable → comment → duration. */
function canonicalOrder(trailers: string[]): string[] | undefined {
  for (let i = 1; i < trailers.length; i++) if (TRAILER_RANK[trailers[i]] < TRAILER_RANK[trailers[i - 1]]) return trailers;
  return undefined;
}

export type { ArgNode };

/** Text glued after a cut call (the scanner's Glued node): its span, and what it says when it is
 *  a strace message (the node's child: Attached, Detached or MsgText, and the pid). */
export interface GluedText {
  start: number;
  end: number;
  /** Undefined for program output. */
  message?: { kind: "attached" | "detached" | "strace"; pid: number | null };
}

function gluedText(r: NodeReader, i: number): GluedText {
  const g: GluedText = { start: r.start(i), end: r.end(i) };
  if (r.next(i) > i + 1) {
    const k = r.kind(i + 1);
    const pid = r.next(i + 1) > i + 2 && r.kind(i + 2) === NodeKind.Pid ? Number(r.text(i + 2)) : null;
    g.message = { kind: k === NodeKind.Attached ? "attached" : k === NodeKind.Detached ? "detached" : "strace", pid };
  }
  return g;
}
