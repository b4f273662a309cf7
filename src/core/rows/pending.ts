// Unfinished calls waiting for their `<... resumed>` half, by pid: an open-addressing table in the
// rows block mapping a pid (or none, -1) to the sequence number of its row in the queue. Linear
// probing with backward-shift deletion, so no tombstones accumulate over a long trace.

import { ld32, st32 } from "../mem.js";
import { Cell, cell, pendingSlotAddr, PENDING_SLOTS, setCell } from "./layout.js";

/** Keys are pid + 2, so 0 marks an empty slot and -1 (no pid) is a key like any other. */
function home(key: i32): i32 {
  return (key * 7 + (key >>> 9)) & (PENDING_SLOTS - 1);
}

function find(pid: i32): i32 {
  const key = pid + 2;
  let slot = home(key);
  while (true) {
    const k = ld32(pendingSlotAddr(slot));
    if (k == 0 || k == key) return slot;
    slot = (slot + 1) & (PENDING_SLOTS - 1);
  }
  return -1;
}

/** The row sequence number pending for `pid`, or -1. */
export function pendingFor(pid: i32): i32 {
  const at = pendingSlotAddr(find(pid));
  return ld32(at) == 0 ? -1 : ld32(at + 4);
}

/** Sets `pid`'s pending row (there is none yet: callers remove the old one first). */
export function setPending(pid: i32, seq: i32): void {
  const at = pendingSlotAddr(find(pid));
  st32(at, pid + 2);
  st32(at + 4, seq);
  setCell(Cell.PendingCount, cell(Cell.PendingCount) + 1);
}

/** Removes `pid`'s pending row, if any. */
export function removePending(pid: i32): void {
  let hole = find(pid);
  if (ld32(pendingSlotAddr(hole)) == 0) return;
  setCell(Cell.PendingCount, cell(Cell.PendingCount) - 1);
  // backward shift: move later entries of the probe run into the hole when their home allows
  let slot = (hole + 1) & (PENDING_SLOTS - 1);
  while (true) {
    const k = ld32(pendingSlotAddr(slot));
    if (k == 0) break;
    const h = home(k);
    // the entry may move to `hole` if its home is not in the cyclic range (hole, slot]
    const stays = hole <= slot ? h > hole && h <= slot : h > hole || h <= slot;
    if (!stays) {
      st32(pendingSlotAddr(hole), k);
      st32(pendingSlotAddr(hole) + 4, ld32(pendingSlotAddr(slot) + 4));
      hole = slot;
    }
    slot = (slot + 1) & (PENDING_SLOTS - 1);
  }
  st32(pendingSlotAddr(hole), 0);
}

/** Forgets every pending row (the rows themselves are released by the caller). */
export function clearPending(): void {
  for (let s = 0; s < PENDING_SLOTS; s++) st32(pendingSlotAddr(s), 0);
  setCell(Cell.PendingCount, 0);
}

/** Moves every pending row's sequence number down by `by` (the queue renumbered: build.ts). */
export function shiftPending(by: i32): void {
  for (let s = 0; s < PENDING_SLOTS; s++) {
    const at = pendingSlotAddr(s);
    if (ld32(at) != 0) st32(at + 4, ld32(at + 4) - by);
  }
}
