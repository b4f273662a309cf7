// The record-row stage's memory: one fixed block at the heap base, before the scan regions, since
// unlike them it holds state from one chunk to the next (pending unfinished calls, rows waiting
// behind them, interned names). Fixed sizes keep it small and allocation-free; an input that
// needs more (more distinct names, pending calls or held rows than these) is read the full way
// instead (RowsAbort.Capacity). All state is in this block, none in module variables, so several
// TS engines sharing this module's code each keep their own (they switch heaps, not variables).

import { RowField } from "../abi.js";
import { heapBase, ld32, st32 } from "../mem.js";

/** Scalar cells of the block (i32 each). */
export const enum Cell {
  /** Sequence numbers of the first unreleased row and one past the last row (ring index = seq % RING). */
  Head = 0,
  Tail = 1,
  PendingCount = 2,
  NameCount = 3,
  ArenaUsed = 4,
  /** 0 until the first record, then 1 when it had a pid, 2 when not. */
  PidMode = 5,
  Abort = 6,
  DefaultPid = 7,
  MaxHeld = 8,
  MaxPending = 9,
  /** Diagnostic records made so far (blank lines). */
  Diagnostics = 10,
  /** Rows written to the output by the last buildRows call. */
  OutCount = 11,
  /** Line (of the last batch) where the stage aborted. */
  AbortLine = 12,
  /** The last quiet point of the last batch (see build.ts): the line after it (-1: none), the
   *  rows released before it in that batch, the diagnostics counted by then, whether a frames' owner was
   *  held then. */
  QuietLine = 16,
  QuietOut = 17,
  QuietDiagnostics = 18,
  QuietOwner = 19,
  QuietOffset = 20,
  /** Lines of the input before the current batch (rows carry absolute line numbers). */
  LineBase = 21,
  /** 1 when rows also carry their record's JSON (rowsReset's `json`). */
  JsonMode = 22,
  /** The JSON ring (json-ring.ts): offset of the oldest live byte, where the next segment goes,
   *  and 1 while the live bytes wrap past the ring's end. */
  RingHead = 23,
  RingTail = 24,
  RingWrapped = 25,
  /** 1 once the first record's JSON (which carries the schema) was released. */
  Stamped = 26,
  /** Lengths of the host's texts (hostTextAddr): `,"file":...` and `,"schema":...`. */
  FileKeyLength = 27,
  StampLength = 28,
  /** JSON bytes the last buildRows released (at json-ring.ts jsonOutBase). */
  JsonOutLength = 29,
  /** With JSON: the batch line where buildRows stopped for the host to number new names (see
   *  buildRows), and 1 while it waits for that. */
  NextLine = 30,
  NeedNames = 31,
  /** The row later -k frames and dumps belong to (the last call or signal, or the call a resumed
   *  half completed), -1 for none. With JSON it and the rows after it stay queued, as in the
   *  stitcher's queue, since such lines would change its JSON (they stop the rows). */
  OwnerSeq = 32,
  /** The first row the host's stitcher still holds (its queue's head, stitch/queue.ts settle):
   *  rows before Head are given, and those from here to Head wait there behind the frames' owner.
   *  Its hold-back cap counts from here (build.ts settleQueue). */
  QueueHead = 33,
  /** Pending calls the hold-back cap released from their queue place (see DETACHED_AT). */
  DetachedCount = 34,
  /** Bytes in use in the aside area (json-ring.ts setAside). */
  AsideUsed = 35,
  /** While the ring's live bytes wrap: where the older ones end (json-ring.ts unwrap). */
  RingWrapEnd = 36,
  Count = 64,
}

/** Hash slots of the name table (names and errnos), each `id + 1` or 0. */
export const NAME_SLOTS: i32 = 4096;
/** Distinct names kept; (arena offset, length) per id. */
export const NAME_MAX: i32 = 2048;
export const ARENA_BYTES: i32 = 32768;
/** Longest name interned (syscall and errno names are short). */
export const NAME_MAX_LENGTH: i32 = 64;
/** Hash slots of the pending-call table, each (pid key, row seq); at most PENDING_CAP in use. */
export const PENDING_SLOTS: i32 = 8192;
export const PENDING_CAP: i32 = 4096;
/** Rows the queue holds (a power of two): more than the stitcher's hold-back cap (65,536 records
 *  by default, StitchOptions.maxHeld), so rows wait behind a pending call as long as records do. */
export const RING: i32 = 131072;
/** Pending calls kept aside after the hold-back cap released their place (each a row and its
 *  sequence number), in that order; beyond it, Capacity. */
export const DETACHED_CAP: i32 = 256;
export const DETACHED_BYTES: i32 = RowField.Bytes + 8;
/** The host's texts for JSON records: a file key and the schema stamp. */
export const HOST_TEXT_BYTES: i32 = 4096;
export const enum HostText {
  FileKey = 0,
  Stamp = 1,
}

const CELLS_BYTES: i32 = Cell.Count * 4;
const NAME_SLOTS_AT: i32 = CELLS_BYTES;
const NAME_TABLE_AT: i32 = NAME_SLOTS_AT + NAME_SLOTS * 4;
const ARENA_AT: i32 = NAME_TABLE_AT + NAME_MAX * 8;
const PENDING_AT: i32 = ARENA_AT + ARENA_BYTES;
const RING_AT: i32 = PENDING_AT + PENDING_SLOTS * 8;
/** Syscall number of each name id for JSON records' `nr` (-1: none, NR_UNKNOWN: not given yet). */
const NR_AT: i32 = RING_AT + RING * RowField.Bytes;
const HOST_TEXT_AT: i32 = NR_AT + NAME_MAX * 4;
const DETACHED_AT: i32 = HOST_TEXT_AT + 2 * HOST_TEXT_BYTES;
/** Size of the block (a multiple of 64). */
export const ROWS_BLOCK_BYTES: i32 = DETACHED_AT + ((DETACHED_CAP * DETACHED_BYTES + 63) & ~63);

/** blockBase() once worked out (fields of one object: see scan/cursor.ts for why). */
namespace block {
  export let base: usize = 0;
}

/** Start of the block: the heap base, 64-aligned. */
export function blockBase(): usize {
  const b = heapBase();
  const r = b % 64;
  return r == 0 ? b : b + (64 - r);
}

/** Works out blockBase() for the cells and rows below (the heap base does not move once the
 *  start function has run). regions.ts plan() calls it, which every reserve() and requiredBytes()
 *  runs, and rowsReset() again before it writes a cell, so no row work reads a stale base. */
export function fixBlockBase(): void {
  block.base = blockBase();
}

export function cell(c: i32): i32 {
  return ld32(block.base + <usize>(c * 4));
}

export function setCell(c: i32, v: i32): void {
  st32(block.base + <usize>(c * 4), v);
}

export function nameSlotAddr(slot: i32): usize {
  return block.base + <usize>(NAME_SLOTS_AT + slot * 4);
}

/** (arena offset, length) of name `id`. */
export function nameEntryAddr(id: i32): usize {
  return block.base + <usize>(NAME_TABLE_AT + id * 8);
}

export function arenaAddr(offset: i32): usize {
  return block.base + <usize>(ARENA_AT + offset);
}

/** (pid key, row seq) of pending slot `slot`. */
export function pendingSlotAddr(slot: i32): usize {
  return block.base + <usize>(PENDING_AT + slot * 8);
}

/** Row `seq` in the queue ring. */
export function ringRowAddr(seq: i32): usize {
  return block.base + <usize>(RING_AT + (seq & (RING - 1)) * RowField.Bytes);
}

/** The syscall number cell of name `id`. */
export function nameNrAddr(id: i32): usize {
  return block.base + <usize>(NR_AT + id * 4);
}

/** Where host text `which` (HostText) is kept. */
export function hostTextAddr(which: i32): usize {
  return block.base + <usize>(HOST_TEXT_AT + which * HOST_TEXT_BYTES);
}

/** The row of detached call `k` (0 = released first); its sequence number follows the row. */
export function detachedRowAddr(k: i32): usize {
  return block.base + <usize>(DETACHED_AT + k * DETACHED_BYTES);
}
