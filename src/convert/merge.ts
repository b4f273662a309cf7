// Merging the per-pid files of a `-ff` run into one trace. Records are ordered by timestamp when the
// trace has them; within one file the order never changes. A record without a time (a diagnostic, a
// -k frame folded in, a trace without -t) sorts at its file's last seen time, so untimed traces come
// out concatenated in pid order (the tie-break), and untimed records stay next to their neighbours.
// Memory: one batch of records per member file, not whole files.

import type { TraceRecord } from "../model/record.js";
import type { RecordSource } from "./source.js";

interface Head {
  src: RecordSource;
  batch: TraceRecord[];
  at: number;
  /** Sort key of the current record. */
  key: number;
  /** Clock-of-day timestamps: the file's previous time and how many midnights it has passed. */
  lastClock?: number;
  day: number;
}

const DAY = 86400;

async function refill(h: Head): Promise<boolean> {
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
function keyOf(r: TraceRecord, h: Head, start: number): number {
  if (r.time === undefined) return h.key;
  if (r.timestamp === undefined || r.timestamp.indexOf(":") < 0) return r.time;
  if (h.lastClock === undefined ? r.time < start : r.time < h.lastClock - DAY / 2) h.day++;
  h.lastClock = r.time;
  return r.time + h.day * DAY;
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
export async function* mergeByTime(sources: RecordSource[]): AsyncGenerator<TraceRecord[]> {
  const heads: Head[] = [];
  for (const src of sources) {
    const h: Head = { src, batch: [], at: 0, key: -Infinity, day: 0 };
    if (await refill(h)) heads.push(h);
  }
  const firsts: number[] = [];
  for (const h of heads) {
    const r = h.batch.find((x) => x.time !== undefined);
    if (r?.timestamp?.includes(":")) firsts.push(r.time!);
  }
  const start = clockStart(firsts);
  for (const h of heads) h.key = keyOf(h.batch[0]!, h, start);
  let out: TraceRecord[] = [];
  while (heads.length > 0) {
    // Linear scan: a -ff folder has tens of files, and a heap would not pay for itself.
    let best = 0;
    for (let i = 1; i < heads.length; i++) if (heads[i]!.key < heads[best]!.key) best = i;
    const h = heads[best]!;
    // Take the whole run of this file that stays at or below the runner-up's key in one go.
    let limit = Infinity;
    for (let i = 0; i < heads.length; i++) if (i !== best && heads[i]!.key < limit) limit = heads[i]!.key;
    for (;;) {
      const r = h.batch[h.at++]!;
      out.push(r);
      if (h.at === h.batch.length) {
        if (out.length >= 4096) {
          yield out;
          out = [];
        }
        if (!(await refill(h))) {
          heads.splice(best, 1);
          break;
        }
      }
      const k = keyOf(h.batch[h.at]!, h, start);
      h.key = k;
      // Stop once another file's record is due; on a tie the earlier-pid file goes first.
      if (k > limit || (k === limit && !tieWins(heads, best, limit))) break;
    }
    if (out.length >= 4096) {
      yield out;
      out = [];
    }
  }
  if (out.length > 0) yield out;
}

/** On equal keys the file earlier in pid order goes first: `best` keeps going only if no earlier
 *  file has the same key. */
function tieWins(heads: Head[], best: number, key: number): boolean {
  for (let i = 0; i < best; i++) if (heads[i]!.key === key) return false;
  return true;
}
