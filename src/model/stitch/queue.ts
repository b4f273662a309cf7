// The stitcher's output queue. Records leave in input order: records after a call waiting for its
// other half wait for it (up to a cap, so memory stays bounded), and a record is released only
// once no later line can still attach to it (-k frames and hex dumps follow their call).

import type { ExitRecord, SignalRecord, SyscallRecord, TraceRecord } from "../record.js";

/** A record that -k stack frames and hex dump lines printed after it belong to. */
export type FrameOwner = SyscallRecord | SignalRecord | ExitRecord;

/** A queue slot: a finished record, or a call whose other half has not arrived yet. */
export interface Slot {
  rec: TraceRecord;
  ready: boolean;
  /** The pending or open call this slot waits for, so an early release can unhook it in O(1). */
  held?: Held;
}

/** A call waiting for its other half, and the queue slot that keeps its place (null once released). */
export interface Held {
  rec: SyscallRecord;
  slot: Slot | null;
}

export class ReleaseQueue {
  private slots: Slot[] = [];
  private head = 0;
  /** Records released and not yet handed out by drain(). */
  private out: TraceRecord[] = [];
  /** The record later -k frames and hex dumps belong to, and its slot (held until the next call
   *  or signal, since frames may follow an exit line). */
  private owner: FrameOwner | null = null;
  private ownerSlot: Slot | null = null;

  /** @param maxHeld records held back behind a waiting call before they are released ahead of it */
  constructor(private readonly maxHeld: number) {}

  /** Queues a finished record. */
  emit(rec: TraceRecord): void {
    this.slots.push({ rec, ready: true });
  }

  /** Queues a finished call that later frames and dumps attach to. */
  emitOwner(rec: SyscallRecord): void {
    const slot: Slot = { rec, ready: true };
    this.slots.push(slot);
    this.setOwner(rec, slot);
  }

  /** Reserves a place for a call that waits for its other half (`ready` when it may leave as it is). */
  hold(rec: SyscallRecord, ready = false): Held {
    const slot: Slot = { rec, ready };
    const h: Held = { rec, slot };
    if (!ready) slot.held = h;
    this.slots.push(slot);
    return h;
  }

  /** A waiting call is complete: it takes its reserved place, or comes now if that was released. */
  finish(h: Held, rec: SyscallRecord): void {
    if (h.slot) {
      h.slot.rec = rec;
      h.slot.ready = true;
      h.slot.held = undefined;
    } else {
      this.slots.push({ rec, ready: true });
    }
  }

  /** The most recently queued slot. */
  tail(): Slot {
    return this.slots[this.slots.length - 1];
  }

  /** The record later frames and dumps attach to, if any. */
  get frameOwner(): FrameOwner | null {
    return this.owner;
  }

  setOwner(rec: FrameOwner, slot: Slot): void {
    this.owner = rec;
    this.ownerSlot = slot;
  }

  /** Later frames and dumps attach to nothing (they become diagnostics). */
  clearOwner(): void {
    this.owner = this.ownerSlot = null;
  }

  /** Moves finished records from the head of the queue to the output. Runs after every line, so
   *  what is released (and in which order) never depends on how the input was chunked. */
  settle(): void {
    // Nothing from the record that may still receive stack frames or a dump onwards leaves yet.
    while (this.head < this.slots.length && this.slots[this.head] !== this.ownerSlot && this.slots[this.head].ready) this.out.push(this.slots[this.head++].rec);
    // A call blocked for very long: release what waits behind it; it follows when it resumes.
    while (this.slots.length - this.head > this.maxHeld) {
      const s = this.slots[this.head++];
      if (s === this.ownerSlot) this.clearOwner();
      if (s.ready) this.out.push(s.rec);
      else if (s.held) s.held.slot = null;
    }
    if (this.head > 4096 && this.head * 2 > this.slots.length) {
      this.slots = this.slots.slice(this.head);
      this.head = 0;
    }
  }

  /** Whether `rec` is the only record not released yet, as the owner of later frames. */
  holdsOnly(rec: TraceRecord): boolean {
    return this.slots.length - this.head === 1 && this.slots[this.head] === this.ownerSlot && this.ownerSlot.rec === rec && this.ownerSlot.ready;
  }

  /** Records released so far, in input order. */
  drain(): TraceRecord[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  /** End of input: what was released, then everything still queued (waiting calls must have been
   *  finished first). */
  end(): TraceRecord[] {
    const out = this.drain();
    while (this.head < this.slots.length) out.push(this.slots[this.head++].rec);
    this.slots = [];
    this.head = 0;
    return out;
  }
}
