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
import { ld32, st32, stf64 } from "../mem.js";
import { ensureMemory, regions, tablesEnd } from "../regions.js";
import { blockBase, Cell, cell, PENDING_CAP, ringRowAddr, RING, ROWS_BLOCK_BYTES, setCell } from "./layout.js";
import { line, readLine } from "./line.js";
import { clearNames } from "./names.js";
import { clearPending, pendingFor, removePending, setPending } from "./pending.js";

/** Starts a new input: no rows, names or pending calls. `defaultPid` is the pid of unprefixed lines
 *  (an `-ff` file's), -1 for none; maxHeld/maxPending are the stitcher's caps (StitchOptions).
 *  False when memory cannot hold the block. */
export function rowsReset(defaultPid: i32, maxHeld: i32, maxPending: i32): bool {
  if (!ensureMemory(<u64>blockBase() + <u64>ROWS_BLOCK_BYTES)) return false;
  for (let c = 0; c < Cell.Count; c++) setCell(c, 0);
  setCell(Cell.DefaultPid, defaultPid);
  setCell(Cell.MaxHeld, maxHeld);
  setCell(Cell.MaxPending, maxPending);
  clearPending();
  clearNames();
  return true;
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
 * It also notes the batch's last quiet point: a line boundary where no row waits and the
 * stitcher's queue would hold at most the owner of later -k frames. The host's full reading can
 * start there with an empty stitcher (given a stand-in owner), instead of at the input's start.
 */
export function buildRows(lineCount: i32, final: i32): i32 {
  setCell(Cell.OutCount, 0);
  setCell(Cell.QuietLine, -1);
  if (cell(Cell.Abort) != RowsAbort.None) return 0;
  const room = lineCount + RING;
  if (!ensureMemory(<u64>rowsOutBase() + <u64>room * <u64>RowField.Bytes)) {
    abort(RowsAbort.Capacity, 0);
    return 0;
  }
  const defaultPid = cell(Cell.DefaultPid);
  for (let i = 0; i < lineCount; i++) {
    const row = regions.linesBase + <usize>(i * LineField.Stride * 4);
    const kind = ld32(row + LineField.Kind * 4);
    if (kind == LineKind.Blank || kind == LineKind.Foreign || kind == LineKind.Stack || kind == LineKind.Dump) {
      // a blank line, or text that is not strace's (a Foreign line carries why in Err), is one
      // diagnostic; -k frames and dumps attach to the last call or signal, or are one without it
      const diagnostic = kind == LineKind.Blank || kind == LineKind.Foreign || cell(Cell.HasOwner) == 0;
      if (diagnostic && !countDiagnostic()) return abort(RowsAbort.Capacity, i);
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
    const why = readLine(kind, ld32(row + LineField.NodeStart * 4), ld32(row + LineField.NodeEnd * 4), defaultPid);
    if (why != RowsAbort.None) return abort(why, i);
    // the stitcher guesses pids when prefixed and unprefixed records mix: not modelled here
    const mode = line.pid < 0 ? 2 : 1;
    if (cell(Cell.PidMode) == 0) setCell(Cell.PidMode, mode);
    else if (cell(Cell.PidMode) != mode) return abort(RowsAbort.MixedPids, i);
    const why2 = place(cell(Cell.LineBase) + i + 1);
    if (why2 != RowsAbort.None) return abort(why2, i);
    // calls and signals become the owner of later -k frames; exits and messages wait behind it
    if ((line.flags & RowFlag.KindMask) == RowKind.Exit || (line.flags & RowFlag.KindMask) == RowKind.Message) {
      if (!waitBehindOwner()) return abort(RowsAbort.Capacity, i);
    } else {
      setCell(Cell.SinceOwner, 0);
      setCell(Cell.HasOwner, 1);
    }
    release();
    noteQuiet(i + 1, lineCount);
  }
  setCell(Cell.LineBase, cell(Cell.LineBase) + lineCount);
  if (final != 0) {
    // never resumed: every pending call leaves as it is, in its place
    for (let s = cell(Cell.Head); s < cell(Cell.Tail); s++) st32(ringRowAddr(s), ld32(ringRowAddr(s)) | RowFlag.Ready);
    clearPending();
    release();
  }
  return cell(Cell.OutCount);
}

/** Queues the line just read, or completes the pending call it resumes. */
function place(lineNumber: i32): i32 {
  const pid = line.pid;
  if (line.resumed) {
    const seq = pendingFor(pid);
    if (seq >= 0 && ld32(ringRowAddr(seq) + RowField.Name) == line.name) {
      // the stitcher releases rows behind a call pending this long ahead of it: not modelled
      if (cell(Cell.Tail) - seq >= heldLimit()) return RowsAbort.Capacity;
      removePending(pid);
      completeRow(ringRowAddr(seq));
      return RowsAbort.None;
    }
    // a resumed half whose start was never seen (attached mid-call) is a record of its own
    line.flags |= RowFlag.Resumed;
    return push(true, lineNumber);
  }
  if (line.unfinished) {
    const old = pendingFor(pid);
    if (old >= 0) {
      // a new call of the same pid: the old one will never be resumed
      removePending(pid);
      st32(ringRowAddr(old), ld32(ringRowAddr(old)) | RowFlag.Ready);
    }
    if (cell(Cell.PendingCount) >= PENDING_CAP || cell(Cell.PendingCount) >= cell(Cell.MaxPending) - 1) return RowsAbort.Capacity;
    const why = push(false, lineNumber);
    if (why == RowsAbort.None) setPending(pid, cell(Cell.Tail) - 1);
    return why;
  }
  return push(true, lineNumber);
}

/** The stitcher's hold-back cap, kept clear of: rows never wait that long here. */
function heldLimit(): i32 {
  const most = cell(Cell.MaxHeld) - 2;
  return most < RING ? most : RING;
}

/** Counts a diagnostic record; false when the stitcher's queue could come near its cap. */
function countDiagnostic(): bool {
  setCell(Cell.Diagnostics, cell(Cell.Diagnostics) + 1);
  // behind a pending call it waits in the stitcher's queue until the call leaves
  if (cell(Cell.Tail) != cell(Cell.Head)) setCell(Cell.HeldDiagnostics, cell(Cell.HeldDiagnostics) + 1);
  return waitBehindOwner();
}

/** The stitcher keeps the owner of later -k frames (the last call or signal) in its queue, and
 *  whatever follows it waits there too: counted, so its queue never reaches the hold-back cap
 *  either, where it would release records out of order. */
function waitBehindOwner(): bool {
  const n = cell(Cell.SinceOwner) + 1;
  setCell(Cell.SinceOwner, n);
  return cell(Cell.Tail) - cell(Cell.Head) + cell(Cell.HeldDiagnostics) + n + 2 < heldLimit();
}

/** Appends the line as a new row. */
function push(ready: bool, lineNumber: i32): i32 {
  const tail = cell(Cell.Tail);
  if (tail - cell(Cell.Head) >= heldLimit()) return RowsAbort.Capacity;
  const at = ringRowAddr(tail);
  st32(at + RowField.Flags, line.flags | (ready ? RowFlag.Ready : 0));
  st32(at + RowField.Pid, line.pid);
  st32(at + RowField.Name, line.name);
  st32(at + RowField.Errno, line.errno);
  stf64(at + RowField.Time, (line.flags & RowFlag.HasTime) != 0 ? line.time : 0);
  stf64(at + RowField.Duration, (line.flags & RowFlag.HasDuration) != 0 ? line.duration : 0);
  stf64(at + RowField.Ret, line.ret);
  st32(at + RowField.Line, lineNumber);
  setCell(Cell.Tail, tail + 1);
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

/** Moves ready rows from the head of the queue to the output. */
function release(): void {
  let head = cell(Cell.Head);
  const tail = cell(Cell.Tail);
  let out = cell(Cell.OutCount);
  const base = rowsOutBase();
  while (head < tail) {
    const at = ringRowAddr(head);
    if ((ld32(at + RowField.Flags) & RowFlag.Ready) == 0) break;
    copyRow(base + <usize>(out * RowField.Bytes), at);
    out++;
    head++;
  }
  setCell(Cell.Head, head);
  setCell(Cell.OutCount, out);
  if (head == tail) setCell(Cell.HeldDiagnostics, 0);
}

function copyRow(dst: usize, src: usize): void {
  // (as i32 cells: a Float64Array store may change the bits of a NaN, and the i32 fields are not doubles)
  for (let k = 0; k < RowField.Bytes; k += 4) st32(dst + <usize>k, ld32(src + <usize>k));
}

/** Notes the boundary before line `next` as quiet if it is one. */
function noteQuiet(next: i32, lineCount: i32): void {
  if (cell(Cell.Tail) != cell(Cell.Head)) return;
  if (cell(Cell.HasOwner) != 0 && cell(Cell.SinceOwner) != 0) return;
  setCell(Cell.QuietLine, next);
  // where that line starts in the chunk (-1 past the batch's last line: the host knows where it ended)
  setCell(Cell.QuietOffset, next < lineCount ? ld32(regions.linesBase + <usize>(next * LineField.Stride * 4) + LineField.Start * 4) : -1);
  setCell(Cell.QuietOut, cell(Cell.OutCount));
  setCell(Cell.QuietDiagnostics, cell(Cell.Diagnostics));
  setCell(Cell.QuietOwner, cell(Cell.HasOwner));
}

function abort(why: i32, lineIndex: i32): i32 {
  setCell(Cell.Abort, why);
  setCell(Cell.AbortLine, lineIndex);
  return cell(Cell.OutCount);
}
