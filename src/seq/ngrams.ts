// n-gram counts over plain symbol sequences: the sequence-set view for export and inspection.
// Models keep their own encoded tables; this is the readable one (keys joined by a space).

import { windows } from "./windows.js";

/** Options of ngramCounts. */
export interface NgramOptions {
  /** Count the short whole-sequence window of sequences shorter than n (windows.ts). Default true. */
  short?: boolean;
}

/** Distinct n-grams with counts, keyed by the symbols joined with a single space. */
export function ngramCounts(sequences: Iterable<readonly string[]>, n: number, opts: NgramOptions = {}): Map<string, number> {
  const counts = new Map<string, number>();
  for (const seq of sequences) {
    if (seq.length < n && opts.short === false) continue;
    for (const w of windows(seq, n)) {
      const key = w.join(" ");
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}
