// Merging the per-pid files of a `-ff` run into one trace. Records are ordered by timestamp when the
// trace has them; within one file the order never changes. A record without a time (a diagnostic, a
// -k frame folded in, a trace without -t) sorts at its file's last seen time, so untimed traces come
// out concatenated in pid order (the tie-break), and untimed records stay next to their neighbours.
// Memory: one batch of records per member file, not whole files. The items merged are records
// (RecordSource) or JSON lines with their time read back (member-lines.ts): `TimeOf` tells the two.

import type { TraceRecord } from "../model/record.js";

/** A member file's items, a batch at a time (possibly empty); null at its end. */
export interface BatchSource<T> {
  next(): Promise<T[] | null>;
  /** next() may reuse the memory of the batch before it (its array, items and bytes): the merge
   *  then hands out what it gathered before asking, and its caller must be done with a merged batch
   *  before it asks for the next one. */
  readonly reusesBatches?: boolean;
}

/** What the merge reads of an item: its time in seconds (none: undefined), and whether that is a
 *  clock time of day (-t/-tt, the timestamp has a `:`), which may pass midnight. */
export interface TimeOf<T> {
  time(item: T): number | undefined;
  clock(item: T): boolean;
}

/** Records' times. */
export const RECORD_TIME: TimeOf<TraceRecord> = {
  time: (r) => r.time,
  clock: (r) => r.timestamp !== undefined && r.timestamp.indexOf(":") >= 0,
};

interface Head<T> {
  src: BatchSource<T>;
  batch: T[];
  at: number;
  /** Sort key of the current record. */
  key: number;
  /** Clock-of-day timestamps: the file's previous time and how many midnights it has passed. */
  lastClock?: number;
  day: number;
  /** Position in pid order: the tie-break. */
  order: number;
}

const DAY = 86400;

async function refill<T>(h: Head<T>): Promise<boolean> {
  for (;;) {
    const b = await h.src.next();
    if (b === null) return false;
    if (b.length > 0) {
      h.batch = b;
      h.at = 0;
      return true;
    }
  }
}

/** A record's sort key: its time, or the file's previous key when it has none. -t/-tt times are
 *  seconds since midnight: a time more than half a day before the file's previous one is on the
 *  next day, and so is a file's first time that is before the trace's start. */
function keyOf<T>(r: T, h: Head<T>, start: number, timing: TimeOf<T>): number {
  const time = timing.time(r);
  if (time === undefined) return h.key;
  if (!timing.clock(r)) return time;
  if (h.lastClock === undefined ? time < start : time < h.lastClock - DAY / 2) h.day++;
  h.lastClock = time;
  return time + h.day * DAY;
}

/** Where a run starts on the clock, from its files' first clock times: after the largest gap
 *  between them around the 24 h dial (so 23:59:59 comes before 00:00:01 of the same run). */
function clockStart(firsts: number[]): number {
  if (firsts.length === 0) return 0;
  const t = [...firsts].sort((a, b) => a - b);
  let start = t[0]!;
  let widest = t[0]! + DAY - t[t.length - 1]!;
  for (let i = 1; i < t.length; i++) {
    if (t[i]! - t[i - 1]! > widest) {
      widest = t[i]! - t[i - 1]!;
      start = t[i]!;
    }
  }
  return start;
}

/** Yields merged batches; `sources` are in pid order. */
export async function* mergeByTime<T>(sources: BatchSource<T>[], timing: TimeOf<T>): AsyncGenerator<T[]> {
  const heads: Head<T>[] = [];
  for (const src of sources) {
    const h: Head<T> = { src, batch: [], at: 0, key: -Infinity, day: 0, order: heads.length };
    if (await refill(h)) heads.push(h);
  }
  const firsts: number[] = [];
  for (const h of heads) {
    const r = h.batch.find((x) => timing.time(x) !== undefined);
    if (r !== undefined && timing.clock(r)) firsts.push(timing.time(r)!);
  }
  const start = clockStart(firsts);
  // (a heap, not a scan of every file per run: a -ff folder of a long-running server can hold
  // thousands of processes' files, and runs are short where their calls interleave)
  const due = new HeadHeap<T>();
  for (const h of heads) {
    h.key = keyOf(h.batch[0]!, h, start, timing);
    due.push(h);
  }
  let out: T[] = [];
  for (let h = due.pop(); h !== undefined; h = due.pop()) {
    // Take the whole run of this file that stays before the runner-up in one go: at or below its
    // key, and on a tie only while this file is earlier in pid order.
    const next = due.peek();
    for (;;) {
      out.push(h.batch[h.at++]!);
      if (h.at === h.batch.length) {
        if (out.length >= 4096 || (h.src.reusesBatches && out.length > 0)) {
          yield out;
          out = [];
        }
        if (!(await refill(h))) break;
      }
      h.key = keyOf(h.batch[h.at]!, h, start, timing);
      if (next !== undefined && before(next, h)) {
        due.push(h);
        break;
      }
    }
    if (out.length >= 4096) {
      yield out;
      out = [];
    }
  }
  if (out.length > 0) yield out;
}

/** Whether head `a` is due before head `b`: an earlier key, or the same key and earlier in pid order. */
function before<T>(a: Head<T>, b: Head<T>): boolean {
  return a.key < b.key || (a.key === b.key && a.order < b.order);
}

/** A binary min-heap of heads by `before`. */
class HeadHeap<T> {
  private readonly items: Head<T>[] = [];

  peek(): Head<T> | undefined {
    return this.items[0];
  }

  push(h: Head<T>): void {
    const items = this.items;
    let i = items.push(h) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h, items[parent]!)) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = h;
  }

  pop(): Head<T> | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= items.length) break;
      const r = l + 1;
      const c = r < items.length && before(items[r]!, items[l]!) ? r : l;
      if (!before(items[c]!, last)) break;
      items[i] = items[c]!;
      i = c;
    }
    items[i] = last;
    return top;
  }
}
