// Merging `<unfinished ...>` with `<... resumed>`: unfinished calls wait per pid, in their queue
// place, for the half that completes them.

import type { SyscallRecord } from "../record.js";
import { diagnostic } from "../diagnostics.js";
import { mergeHalves } from "./combine.js";
import type { Held, ReleaseQueue } from "./queue.js";

/** An unprefixed resume looks through at most this many pending calls for its start. */
const UNPREFIXED_SEARCH = 64;

export class HalfMerger {
  /** Unfinished calls by pid, with their queue slot (or null once released out of order). */
  private pending = new Map<number | null, Held>();
  /** The latest unfinished call, which a headless continuation (`strace -z`) resumes. */
  private lastUnfinished: SyscallRecord | null = null;

  constructor(
    private readonly q: ReleaseQueue,
    private readonly merge: boolean,
    private readonly maxPending: number,
  ) {}

  /** A whole call, an unfinished one (it waits) or a resumed one (it completes the one it resumes). */
  call(rec: SyscallRecord, unfinished: boolean): void {
    if (!this.merge) {
      if (unfinished) this.lastUnfinished = rec;
      this.q.emitOwner(rec);
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
          if (p.slot) this.q.setOwner(merged, p.slot);
          return;
        }
        const reserved = p.slot;
        this.q.finish(p, merged);
        this.q.setOwner(merged, reserved ?? this.q.tail());
        return;
      }
      // A resumed half whose start we never saw (attached mid-call): kept as it is.
      this.q.emitOwner(rec);
      return;
    }
    if (unfinished && !rec.detached) {
      const old = this.pending.get(rec.pid);
      if (old) this.release(rec.pid, old);
      if (this.pending.size >= this.maxPending) {
        const [pid, oldest] = this.pending.entries().next().value as [number | null, Held];
        this.release(pid, oldest);
        this.q.emit(
          diagnostic(
            "too-many-pending",
            { line: oldest.rec.line, file: oldest.rec.file, text: "" },
            1,
            `more than ${this.maxPending} unfinished calls pending; released the oldest`,
          ),
        );
      }
      const h = this.q.hold(rec);
      this.pending.set(rec.pid, h);
      this.q.setOwner(rec, h.slot!);
      this.lastUnfinished = rec;
      return;
    }
    this.q.emitOwner(rec);
  }

  /** No call waits for its other half. */
  get idle(): boolean {
    return this.pending.size === 0;
  }

  /** `strace -z` prints a resumed half without its `<... name resumed>` head or pid: it continues
   *  the most recent unfinished call, if that still waits. False when there is none. */
  resumeHeadless(rec: SyscallRecord): boolean {
    const u = this.lastUnfinished;
    if (!u || (this.merge && this.pending.get(u.pid)?.rec !== u)) return false;
    rec.name = u.name;
    rec.pid = u.pid;
    rec.resumed = true;
    const fmt = (rec.fmt ??= {});
    fmt.cont = true;
    if (rec.pid !== null) fmt.pidStyle = "none";
    this.lastUnfinished = null;
    this.call(rec, false);
    return true;
  }

  /** A joined split call that is still unfinished waits for its resume like any other. */
  park(h: Held): void {
    const old = this.pending.get(h.rec.pid);
    if (old) this.release(h.rec.pid, old);
    this.pending.set(h.rec.pid, h);
  }

  /** End of input: every call still waiting is released, marked unfinished. */
  releaseAll(): void {
    for (const h of this.pending.values()) this.q.finish(h, h.rec);
    this.pending.clear();
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

  private release(pid: number | null, h: Held): void {
    this.pending.delete(pid);
    this.q.finish(h, h.rec);
  }
}
