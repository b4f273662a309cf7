// Record rows from the scanner's tables: the stitcher's work for counting consumers (`stats`), on
// integers in linear memory. Each call, signal, exit or message line becomes a row in a queue;
// `<unfinished ...>` rows wait there per pid for their `<... resumed>` half, which completes them
// in place, and rows leave in queue order, so they come out in the order the host's stitcher
// (src/model/stitch.ts) releases the same records, with the same fields.
//
// It models the common lines only. At a line it does not (RowsAbort), it stops for the rest of the
// input, and the host reads that input the full way, skipping the records rows already gave: the
// rows made before are exactly the first records of the full reading, since both release in input
// order and a row leaves only once nothing later can change it.

import { LineField, LineKind, RowField, RowFlag, RowKind, RowsAbort } from "../abi.js";
import { copyBytes, ld32, st32, stf64 } from "../mem.js";
import { Char } from "../bytes.js";
import { byteAt, ensureMemory, regions, tablesEnd } from "../regions.js";
import { attachLine, moveAttached } from "./attach.js";
import { forgetShape, headHasArgs, headPart, Part, resumedPart } from "./json.js";
import { attaching } from "./json-attached.js";
import { adding, clearAdding, clearRing, dropAside, freeBefore, JSON_AREA_BYTES, putBack, releaseJson, segment, setAside, writeSegment } from "./json-ring.js";
import {
  blockBase,
  Cell,
  cell,
  fixBlockBase,
  DETACHED_BYTES,
  DETACHED_CAP,
  detachedRowAddr,
  PENDING_CAP,
  ringRowAddr,
  RING,
  ROWS_BLOCK_BYTES,
  setCell,
} from "./layout.js";
import { line, readLine } from "./line.js";
import { clearNames, nameNr, NR_UNKNOWN } from "./names.js";
import { clearPending, pendingFor, removePending, setPending, shiftPending } from "./pending.js";

/** Starts a new input: no rows, names or pending calls. `defaultPid` is the pid of unprefixed lines
 *  (an `-ff` file's), -1 for none; maxHeld/maxPending are the stitcher's caps (StitchOptions);
 *  `json` 1: rows also carry their record's JSON (json.ts; the host then defines the syscall
 *  names' numbers and its texts before the first batch). False when memory cannot hold the block. */
export function rowsReset(defaultPid: i32, maxHeld: i32, maxPending: i32, json: i32): bool {
  fixBlockBase();
  const end = <u64>blockBase() + <u64>ROWS_BLOCK_BYTES + (json != 0 ? <u64>JSON_AREA_BYTES : 0);
  if (!ensureMemory(end)) return false;
  for (let c = 0; c < Cell.Count; c++) setCell(c, 0);
  setCell(Cell.DefaultPid, defaultPid);
  setCell(Cell.MaxHeld, maxHeld);
  setCell(Cell.MaxPending, maxPending);
  setCell(Cell.JsonMode, json != 0 ? 1 : 0);
  clearPending();
  clearNames();
  clearRing();
  setCell(Cell.OwnerSeq, -1);
  clearAdding();
  return true;
}

/** Where buildRows writes the JSON of the rows it releases (with JSON): after the rows' room. */
export function jsonOutBase(): usize {
  return rowsOutBase() + <usize>((regions.lineCap + RING) * RowField.Bytes);
}

/** Where buildRows writes the rows it releases: after the scan's tables, 64-aligned. */
export function rowsOutBase(): usize {
  return tablesEnd();
}

/**
 * Makes rows from the last scan's first `lineCount` lines and releases what may leave; with
 * `final`, the input has ended and pending calls leave as never resumed. Returns the number of
 * rows written at rowsOutBase(): final records, also when the stage aborted on a later line
 * (Cell.Abort then says why; it stays aborted until rowsReset).
 *
 * With JSON, a call whose name the host has not numbered yet (`nr` comes from its syscall tables)
 * stops the batch there (Cell.NeedNames): the host numbers the new names and calls again with the
 * same arguments, and the batch goes on from that line.
 *
 * It also notes the batch's last quiet point: a line boundary where no row waits and the
 * stitcher's queue would hold at most the owner of later -k frames. The host's full reading can
 * start there with an empty stitcher (given a stand-in owner), instead of at the input's start.
 */
export function buildRows(lineCount: i32, final: i32): i32 {
  setCell(Cell.OutCount, 0);
  setCell(Cell.JsonOutLength, 0);
  setCell(Cell.QuietLine, -1);
  if (cell(Cell.Abort) != RowsAbort.None) return 0;
  const room = lineCount + RING;
  if (!ensureMemory(<u64>rowsOutBase() + <u64>room * <u64>RowField.Bytes)) {
    abort(RowsAbort.Capacity, 0);
    return 0;
  }
  const defaultPid = cell(Cell.DefaultPid);
  const json = cell(Cell.JsonMode) != 0;
  const from = cell(Cell.NextLine);
  setCell(Cell.NeedNames, 0);
  setCell(Cell.NextLine, 0);
  for (let i = from; i < lineCount; i++) {
    const row = regions.linesBase + <usize>(i * LineField.Stride * 4);
    const kind = ld32(row + LineField.Kind * 4);
    if (json && (kind == LineKind.Stack || kind == LineKind.Dump)) {
      // -k frames and dumps go on their owner's JSON (attach.ts); without an owner
      // they are a diagnostic, whose JSON is the host's
      const owner = cell(Cell.OwnerSeq);
      if (owner < 0) return abort(RowsAbort.Json, i);
      const why = attach(kind, row, i);
      if (why != RowsAbort.None) return abort(why, i);
      continue;
    }
    if (kind == LineKind.Blank || kind == LineKind.Foreign || kind == LineKind.Stack || kind == LineKind.Dump) {
      // diagnostics are records the JSON writer leaves to the host
      if (json) return abort(RowsAbort.Json, i);
      // a blank line, or text that is not strace's (a Foreign line carries why in Err), is one
      // diagnostic; -k frames and dumps attach to the frames' owner, or are one without it
      if (kind == LineKind.Blank || kind == LineKind.Foreign || cell(Cell.OwnerSeq) < 0) {
        setCell(Cell.Diagnostics, cell(Cell.Diagnostics) + 1);
        // it takes a place in the stitcher's queue as records do (so the hold-back cap counts it)
        if (!pushSkip() || !settleQueue(false)) return abort(RowsAbort.Capacity, i);
        release(false, false);
      }
      noteQuiet(i + 1, lineCount);
      continue;
    }
    if (ld32(row + LineField.Err * 4) != 0) return abort(RowsAbort.LineShape, i);
    if (
      kind != LineKind.Call &&
      kind != LineKind.Unfinished &&
      kind != LineKind.Resumed &&
      kind != LineKind.Signal &&
      kind != LineKind.Exit &&
      kind != LineKind.Message
    ) {
      return abort(RowsAbort.LineShape, i);
    }
    line.kind = kind;
    line.first = ld32(row + LineField.NodeStart * 4);
    line.last = ld32(row + LineField.NodeEnd * 4);
    line.start = ld32(row + LineField.Start * 4);
    line.end = ld32(row + LineField.End * 4);
    line.number = cell(Cell.LineBase) + i + 1;
    forgetShape();
    if (json && !endsInNewline(line.end)) return abort(RowsAbort.Json, i);
    const why = readLine(kind, line.first, line.last, defaultPid);
    if (why != RowsAbort.None) return abort(why, i);
    if (json && line.name >= 0 && nameNr(line.name) == NR_UNKNOWN) {
      setCell(Cell.NextLine, i);
      setCell(Cell.NeedNames, 1);
      return cell(Cell.OutCount);
    }
    // the stitcher guesses pids when prefixed and unprefixed records mix: not modelled here
    const mode = line.pid < 0 ? 2 : 1;
    if (cell(Cell.PidMode) == 0) setCell(Cell.PidMode, mode);
    else if (cell(Cell.PidMode) != mode) return abort(RowsAbort.MixedPids, i);
    const why2 = place(line.number, json);
    if (why2 != RowsAbort.None) return abort(why2, i);
    if (!settleQueue(json) || !release(json, false)) return abort(RowsAbort.Capacity, i);
    if (json) noteQuietBefore(i);
    else noteQuiet(i + 1, lineCount);
  }
  setCell(Cell.LineBase, cell(Cell.LineBase) + lineCount);
  renumberQueue();
  if (final != 0) {
    // never resumed: every pending call leaves as it is, in its place, or after the rest when the
    // hold-back cap released its place (in the order they began: stitch/halves.ts releaseAll)
    for (let s = cell(Cell.Head); s < cell(Cell.Tail); s++) st32(ringRowAddr(s), ld32(ringRowAddr(s)) | RowFlag.Ready);
    while (cell(Cell.DetachedCount) > 0) {
      if (!pushDetached(0, json)) return abort(RowsAbort.Capacity, lineCount);
    }
    clearPending();
    if (!release(json, true)) return abort(RowsAbort.Capacity, lineCount);
  }
  return cell(Cell.OutCount);
}

/** Whether the line ending at `end` ends in a plain `\n`: one ending in `\r\n`, or ending the
 *  input without one, keeps that in its record (fmt), which the host writes. */
function endsInNewline(end: i32): bool {
  return end < regions.inputLength && byteAt(end) == Char.LF;
}

/** With JSON: the -k frame or dump line `i` (its line table row at `row`) onto its owner's JSON. */
function attach(kind: i32, row: usize, i: i32): i32 {
  const start = ld32(row + LineField.Start * 4);
  const end = ld32(row + LineField.End * 4);
  if (!endsInNewline(end)) return RowsAbort.Json;
  // a frame keeps its text after ` > ` (stitch/attach.ts), a dump line all of it
  attaching.start = kind == LineKind.Stack ? start + 3 : start;
  attaching.end = end;
  attaching.dump = kind == LineKind.Dump;
  attaching.number = cell(Cell.LineBase) + i + 1;
  return attachLine(ringRowAddr(cell(Cell.OwnerSeq)));
}

/** Queues the line just read, or completes the pending call it resumes; with `json`, writes the
 *  record's JSON (or the resumed half's part of it) first. */
function place(lineNumber: i32, json: bool): i32 {
  const pid = line.pid;
  if (line.resumed) {
    let seq = pendingFor(pid);
    // (a call whose queue place the hold-back cap released is kept aside: settleQueue)
    const aside = seq >= 0 && seq < cell(Cell.QueueHead) ? detachedIndex(seq) : -1;
    const started = aside >= 0 ? detachedRowAddr(aside) : seq >= 0 ? ringRowAddr(seq) : 0;
    if (started != 0 && ld32(started + RowField.Name) == line.name) {
      removePending(pid);
      if (aside >= 0) {
        // it comes now, after the rest (the stitcher's queue finish)
        if (!pushDetached(aside, json)) return RowsAbort.Capacity;
        seq = cell(Cell.Tail) - 1;
      }
      const at = ringRowAddr(seq);
      if (json) {
        const why = writeSegment(Part.Resumed, at);
        if (why != RowsAbort.None) return why;
        st32(at + RowField.JsonRest, segment.at);
        st32(at + RowField.JsonRestLength, segment.length);
        // (a resumed ` => x` took the head's last argument: the head ends before it)
        if (resumedPart.tookLastArg) st32(at + RowField.JsonHeadLength, ld32(at + RowField.JsonResultAt));
        st32(at + RowField.JsonResultAt, resumedPart.resultAt);
        const flags = ld32(at + RowField.Flags) | RowFlag.Merged;
        st32(at + RowField.Flags, flags);
        if ((flags & RowFlag.AttachedEarly) != 0) {
          const why2 = moveAttached(at, line.number);
          if (why2 != RowsAbort.None) return why2;
        }
      }
      // the merged call now owns later frames (stitch/halves.ts setOwner)
      setCell(Cell.OwnerSeq, seq);
      completeRow(at);
      return RowsAbort.None;
    }
    // a resumed half whose start was never seen (attached mid-call) is a record of its own
    line.flags |= RowFlag.Resumed;
    return json ? pushWithJson(true) : push(true, lineNumber);
  }
  // (only a line ending in the marker waits: `name(... <unfinished ...>) = ?`, as old straces
  // print a call cut by its process's end, is a whole call, as in the stitcher)
  if (line.kind == LineKind.Unfinished) {
    const old = pendingFor(pid);
    if (old >= 0) {
      // a new call of the same pid: the old one will never be resumed; it leaves in its place, or
      // now if the hold-back cap released that
      removePending(pid);
      if (old < cell(Cell.QueueHead)) {
        if (!pushDetached(detachedIndex(old), json)) return RowsAbort.Capacity;
      } else st32(ringRowAddr(old), ld32(ringRowAddr(old)) | RowFlag.Ready);
    }
    if (cell(Cell.PendingCount) >= PENDING_CAP || cell(Cell.PendingCount) >= cell(Cell.MaxPending) - 1) return RowsAbort.Capacity;
    const why = json ? pushWithJson(false) : push(false, lineNumber);
    if (why == RowsAbort.None) setPending(pid, cell(Cell.Tail) - 1);
    return why;
  }
  return json ? pushWithJson(true) : push(true, lineNumber);
}

/** push, after writing the line's JSON: its whole record, or for an unfinished call the head and
 *  the ending it has if never resumed. */
function pushWithJson(ready: bool): i32 {
  clearAdding();
  const why = writeSegment(ready ? Part.Whole : Part.Head, 0);
  if (why != RowsAbort.None) return why;
  adding.head = segment.at;
  adding.headLength = segment.length;
  adding.lastArgAt = headPart.lastArgAt;
  if (!ready) {
    if (headHasArgs()) adding.flags = RowFlag.ArgsInHead;
    // (in this order: the head's segment stays the row's oldest, json-ring.ts freeBefore)
    const why2 = writeSegment(Part.Middle, 0);
    if (why2 != RowsAbort.None) return why2;
    adding.middle = segment.at;
    adding.middleLength = segment.length;
    const why3 = writeSegment(Part.Unresumed, 0);
    if (why3 != RowsAbort.None) return why3;
    adding.rest = segment.at;
    adding.restLength = segment.length;
  }
  return push(ready, line.number);
}

/** The stitcher's settle after a line (stitch/queue.ts): its head passes what is ready up to the
 *  frames' owner; then, past its hold-back cap, it releases the oldest it holds, ready or not
 *  (the owner's place too: later frames then have none). A pending call so released is kept
 *  aside and comes at the end when it leaves. False when that does not fit. */
function settleQueue(json: bool): bool {
  let q = cell(Cell.QueueHead);
  const tail = cell(Cell.Tail);
  const head = cell(Cell.Head);
  // (rows before Head were given: ready)
  while (q < tail && q != cell(Cell.OwnerSeq) && (q < head || (ld32(ringRowAddr(q)) & RowFlag.Ready) != 0)) q++;
  while (tail - q > cell(Cell.MaxHeld)) {
    if (q == cell(Cell.OwnerSeq)) setCell(Cell.OwnerSeq, -1);
    if (q >= head && (ld32(ringRowAddr(q)) & RowFlag.Ready) == 0 && !detach(q, json)) return false;
    q++;
  }
  setCell(Cell.QueueHead, q);
  return true;
}

/** Keeps pending row `seq` aside, with its JSON (its ring place is passed as a Skip). */
function detach(seq: i32, json: bool): bool {
  const n = cell(Cell.DetachedCount);
  if (n >= DETACHED_CAP) return false;
  const at = ringRowAddr(seq);
  const to = detachedRowAddr(n);
  copyBytes(to, at, RowField.Bytes);
  st32(to + RowField.Bytes, seq);
  if (json && !setAside(to)) return false;
  setCell(Cell.DetachedCount, n + 1);
  st32(at + RowField.Flags, RowFlag.Ready | RowFlag.Skip);
  return true;
}

/** Index of the call kept aside with sequence number `seq`. */
function detachedIndex(seq: i32): i32 {
  for (let k = 0; k < cell(Cell.DetachedCount); k++) if (ld32(detachedRowAddr(k) + RowField.Bytes) == seq) return k;
  return -1;
}

/** The ring is sized for the hold-back cap, yet the queue is mostly a few rows long: once its
 *  sequence numbers pass RENUMBER_AT while it is short, it moves back to the ring's start, so
 *  only that part of the ring is used (and resident) unless a call is pending for long. */
const RENUMBER_AT: i32 = 16384;
const RENUMBER_MOST: i32 = 1024;

function renumberQueue(): void {
  // (with JSON, rows the stitcher gave may still wait for a later batch's release budget:
  // RELEASE_JSON_BYTES. Head is then behind QueueHead, and the rows from Head on move too)
  const from = cell(Cell.Head) < cell(Cell.QueueHead) ? cell(Cell.Head) : cell(Cell.QueueHead);
  const tail = cell(Cell.Tail);
  // (a call kept aside is known by a sequence number below the queue's head: none may be)
  if (from < RENUMBER_AT || tail - from > RENUMBER_MOST || cell(Cell.DetachedCount) != 0) return;
  // (one block, unless the rows wrap past the ring's end)
  if ((from & (RING - 1)) + (tail - from) > RING) return;
  copyBytes(ringRowAddr(0), ringRowAddr(from), <usize>((tail - from) * RowField.Bytes));
  setCell(Cell.QueueHead, cell(Cell.QueueHead) - from);
  setCell(Cell.Head, cell(Cell.Head) - from);
  setCell(Cell.Tail, tail - from);
  if (cell(Cell.OwnerSeq) >= 0) setCell(Cell.OwnerSeq, cell(Cell.OwnerSeq) - from);
  shiftPending(from);
}

/** Appends call `k` kept aside as a new row, ready (never resumed, unless the caller completes
 *  it), with its JSON back in the ring, and forgets it there. */
function pushDetached(k: i32, json: bool): bool {
  const tail = cell(Cell.Tail);
  if (tail - cell(Cell.Head) >= RING - 1) return false;
  const at = ringRowAddr(tail);
  const from = detachedRowAddr(k);
  copyBytes(at, from, RowField.Bytes);
  st32(at + RowField.Flags, ld32(at + RowField.Flags) | RowFlag.Ready);
  setCell(Cell.Tail, tail + 1);
  const n = cell(Cell.DetachedCount) - 1;
  if (json) {
    if (!putBack(at)) return false;
    dropAside(from, detachedRowAddr(k + 1), n - k, DETACHED_BYTES);
  }
  copyBytes(detachedRowAddr(k), detachedRowAddr(k + 1), <usize>((n - k) * DETACHED_BYTES));
  setCell(Cell.DetachedCount, n);
  return true;
}

/** Queues a diagnostic's place (no record row). */
function pushSkip(): bool {
  const tail = cell(Cell.Tail);
  if (tail - cell(Cell.Head) >= RING - 1) return false;
  st32(ringRowAddr(tail) + RowField.Flags, RowFlag.Ready | RowFlag.Skip);
  setCell(Cell.Tail, tail + 1);
  return true;
}

/** Appends the line as a new row; calls and signals own later -k frames and dumps (exits and
 *  messages wait behind their owner). */
function push(ready: bool, lineNumber: i32): i32 {
  const tail = cell(Cell.Tail);
  if (tail - cell(Cell.Head) >= RING - 1) return RowsAbort.Capacity;
  const at = ringRowAddr(tail);
  st32(at + RowField.Flags, line.flags | adding.flags | (ready ? RowFlag.Ready : 0));
  st32(at + RowField.Pid, line.pid);
  st32(at + RowField.Name, line.name);
  st32(at + RowField.Errno, line.errno);
  stf64(at + RowField.Time, (line.flags & RowFlag.HasTime) != 0 ? line.time : 0);
  stf64(at + RowField.Duration, (line.flags & RowFlag.HasDuration) != 0 ? line.duration : 0);
  stf64(at + RowField.Ret, line.ret);
  st32(at + RowField.Line, lineNumber);
  st32(at + RowField.JsonHead, adding.head);
  st32(at + RowField.JsonHeadLength, adding.headLength);
  st32(at + RowField.JsonRest, adding.rest);
  st32(at + RowField.JsonRestLength, adding.restLength);
  st32(at + RowField.JsonMiddle, adding.middle);
  st32(at + RowField.JsonMiddleLength, adding.middleLength);
  st32(at + RowField.JsonResultAt, adding.lastArgAt);
  clearAdding();
  setCell(Cell.Tail, tail + 1);
  const kind = line.flags & RowFlag.KindMask;
  if (kind == RowKind.Syscall || kind == RowKind.Signal) setCell(Cell.OwnerSeq, tail);
  return RowsAbort.None;
}

/** A pending call takes its resumed half's result, as the stitcher's mergeHalves does: return
 *  value and errno always, the duration when the half has one; time and name stay the first's. */
function completeRow(at: usize): void {
  const had = ld32(at + RowField.Flags);
  // (the merged call's arguments are both halves': CLONE_THREAD in either counts)
  let flags = (had & ~(RowFlag.Returned | RowFlag.HasDuration)) | RowFlag.Ready | (line.flags & (RowFlag.Returned | RowFlag.CloneThread));
  if ((line.flags & RowFlag.HasDuration) != 0) {
    flags |= RowFlag.HasDuration;
    stf64(at + RowField.Duration, line.duration);
  } else flags |= had & RowFlag.HasDuration;
  st32(at + RowField.Flags, flags);
  st32(at + RowField.Errno, line.errno);
  stf64(at + RowField.Ret, line.ret);
}

/** JSON released by one batch, at most (but at the input's end): when the hold-back cap first
 *  passes a long-pending call, the records behind it (up to 65,536, ~26 MB of JSON) leave a few
 *  MiB a batch instead of at once, so the output area and the host's copy stay small. */
const RELEASE_JSON_BYTES: i32 = 4 << 20;

/** Moves ready rows from the head of the queue to the output (and their JSON, with `json`, up to
 *  the frames' owner and RELEASE_JSON_BYTES unless `all`); false when memory cannot grow for the JSON (the rows before
 *  that one are out). */
function release(json: bool, all: bool): bool {
  let head = cell(Cell.Head);
  const tail = cell(Cell.Tail);
  let out = cell(Cell.OutCount);
  const base = rowsOutBase();
  const jsonOut = json ? jsonOutBase() : 0;
  let ok = true;
  while (head < tail) {
    const at = ringRowAddr(head);
    const flags = ld32(at + RowField.Flags);
    if ((flags & RowFlag.Ready) == 0) break;
    if (json && !all && (head == cell(Cell.OwnerSeq) || cell(Cell.JsonOutLength) >= RELEASE_JSON_BYTES)) break;
    if ((flags & RowFlag.Skip) == 0) {
      if (json && !releaseJson(at, jsonOut)) {
        ok = false;
        break;
      }
      // (with JSON the host reads the JSON only)
      if (!json) copyRow(base + <usize>(out * RowField.Bytes), at);
      out++;
    }
    head++;
  }
  setCell(Cell.Head, head);
  setCell(Cell.OutCount, out);
  if (json) {
    if (head == tail) clearRing();
    else freeBefore(ringRowAddr(head));
  }
  return ok;
}

function copyRow(dst: usize, src: usize): void {
  // (as i32 cells: a Float64Array store may change the bits of a NaN, and the i32 fields are not
  // doubles; the JSON segments' cells after Line are the core's own)
  for (let k = 0; k < RowField.JsonHead; k += 4) st32(dst + <usize>k, ld32(src + <usize>k));
}

/** With JSON: notes the boundary before line `i` as quiet if the only queued row is the one that
 *  line made whole (the owner, which waits for possible frames): the full reading can start there,
 *  reading that line again, with an empty stitcher. */
function noteQuietBefore(i: i32): void {
  const head = cell(Cell.Head);
  if (cell(Cell.Tail) - head != 1 || cell(Cell.PendingCount) != 0) return;
  const at = ringRowAddr(head);
  if ((ld32(at + RowField.Flags) & RowFlag.Ready) == 0 || ld32(at + RowField.Line) != line.number) return;
  setCell(Cell.QuietLine, i);
  setCell(Cell.QuietOffset, line.start);
  setCell(Cell.QuietOut, cell(Cell.OutCount));
  setCell(Cell.QuietDiagnostics, cell(Cell.Diagnostics));
  setCell(Cell.QuietOwner, 0);
}

/** Notes the boundary before line `next` as quiet if it is one: every row given, no call pending,
 *  and the stitcher's queue empty or holding only the frames' owner. */
function noteQuiet(next: i32, lineCount: i32): void {
  if (cell(Cell.Tail) != cell(Cell.Head) || cell(Cell.PendingCount) != 0) return;
  const held = cell(Cell.Tail) - cell(Cell.QueueHead);
  if (held > 1 || (held == 1 && cell(Cell.OwnerSeq) != cell(Cell.QueueHead))) return;
  setCell(Cell.QuietLine, next);
  // where that line starts in the chunk (-1 past the batch's last line: the host knows where it ended)
  setCell(Cell.QuietOffset, next < lineCount ? ld32(regions.linesBase + <usize>(next * LineField.Stride * 4) + LineField.Start * 4) : -1);
  setCell(Cell.QuietOut, cell(Cell.OutCount));
  setCell(Cell.QuietDiagnostics, cell(Cell.Diagnostics));
  setCell(Cell.QuietOwner, cell(Cell.OwnerSeq) >= 0 ? 1 : 0);
}

function abort(why: i32, lineIndex: i32): i32 {
  setCell(Cell.Abort, why);
  setCell(Cell.AbortLine, lineIndex);
  return cell(Cell.OutCount);
}
