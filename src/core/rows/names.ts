// Interned names for record rows: syscall and errno names as small integer ids, so rows carry
// numbers and the host decodes each distinct name once (rowsNameStart/rowsNameLength in index.ts).
// Open addressing over a fixed table in the rows block; -1 when it is full (the stage aborts).

import { copyBytes, ld32, ld8, st32 } from "../mem.js";
import { regions } from "../regions.js";
import { arenaAddr, ARENA_BYTES, Cell, cell, NAME_MAX, NAME_MAX_LENGTH, NAME_SLOTS, nameEntryAddr, nameNrAddr, nameSlotAddr, setCell } from "./layout.js";

/** The id of the name at chunk bytes [s, e), adding it when new; -1 when the tables are full. */
export function internName(s: i32, e: i32): i32 {
  return internAt(regions.inputBase + <usize>s, e - s);
}

/** The id of the `n` bytes at `at`, adding them when new; -1 when the tables are full. */
export function internAt(at: usize, n: i32): i32 {
  if (n <= 0 || n > NAME_MAX_LENGTH) return -1;
  // a hash that stays below 2^27, so it is the same integer arithmetic on both targets
  let h = n;
  for (let i = 0; i < n; i++) h = (h * 31 + ld8(at + <usize>i)) & 0x3fffff;
  let slot = h & (NAME_SLOTS - 1);
  while (true) {
    const v = ld32(nameSlotAddr(slot));
    if (v == 0) return addName(slot, at, n);
    if (sameName(v - 1, at, n)) return v - 1;
    slot = (slot + 1) & (NAME_SLOTS - 1);
  }
  return -1;
}

function sameName(id: i32, bytes: usize, n: i32): bool {
  const entry = nameEntryAddr(id);
  if (ld32(entry + 4) != n) return false;
  const at = arenaAddr(ld32(entry));
  for (let i = 0; i < n; i++) if (ld8(at + <usize>i) != ld8(bytes + <usize>i)) return false;
  return true;
}

function addName(slot: i32, bytes: usize, n: i32): i32 {
  const id = cell(Cell.NameCount);
  const used = cell(Cell.ArenaUsed);
  // (the slot table stays at most half full, so probing stays short)
  if (id >= NAME_MAX || id * 2 >= NAME_SLOTS || used + n > ARENA_BYTES) return -1;
  copyBytes(arenaAddr(used), bytes, <usize>n);
  st32(nameEntryAddr(id), used);
  st32(nameEntryAddr(id) + 4, n);
  st32(nameNrAddr(id), NR_UNKNOWN);
  st32(nameSlotAddr(slot), id + 1);
  setCell(Cell.NameCount, id + 1);
  setCell(Cell.ArenaUsed, used + n);
  return id;
}

/** Forgets every name (a new input). */
export function clearNames(): void {
  for (let s = 0; s < NAME_SLOTS; s++) st32(nameSlotAddr(s), 0);
  setCell(Cell.NameCount, 0);
  setCell(Cell.ArenaUsed, 0);
}

/** Where name `id`'s bytes are, and how many. */
export function namePtr(id: i32): usize {
  return arenaAddr(ld32(nameEntryAddr(id)));
}

export function nameLength(id: i32): i32 {
  return ld32(nameEntryAddr(id) + 4);
}

/** A name's syscall number before the host gave it (rowsSetNr). */
export const NR_UNKNOWN: i32 = -2;

/** The syscall number the host gave name `id` (rowsSetNr): -1 for none, NR_UNKNOWN before. */
export function nameNr(id: i32): i32 {
  return ld32(nameNrAddr(id));
}

export function setNameNr(id: i32, nr: i32): void {
  st32(nameNrAddr(id), nr);
}
