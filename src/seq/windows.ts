// Sliding windows over an encoded sequence (one code unit per symbol, see alphabet.ts).
//
// Convention for short sequences: a sequence of length L >= k has L - k + 1 windows; a
// sequence with 0 < L < k has exactly one short window, the whole sequence (so a tiny trace
// still says something and is never scored 0/0); an empty sequence has no windows. A short
// window never equals a full-length one, so it only matches an equally short training trace.
// ADFA-LD has no trace shorter than 75 calls, so the reference figures do not depend on this.

/** How many windows of length k a sequence of `length` symbols has (see the convention above). */
export function windowCount(length: number, k: number): number {
  if (length === 0) return 0;
  return length < k ? 1 : length - k + 1;
}

/** Calls `fn(key, start)` for every window; `key` is the k-code-unit substring. */
export function forEachWindow(encoded: string, k: number, fn: (key: string, start: number) => void): void {
  if (!(k >= 1)) throw new RangeError(`window length must be >= 1, got ${k}`);
  const n = encoded.length;
  if (n === 0) return;
  if (n < k) {
    fn(encoded, 0);
    return;
  }
  for (let i = 0; i + k <= n; i++) fn(encoded.substring(i, i + k), i);
}

/** The windows of a plain symbol sequence, for callers outside the models. */
export function windows<T>(symbols: readonly T[], k: number): T[][] {
  const out: T[][] = [];
  if (symbols.length === 0) return out;
  if (symbols.length < k) return [symbols.slice()];
  for (let i = 0; i + k <= symbols.length; i++) out.push(symbols.slice(i, i + k));
  return out;
}

/**
 * Counts of distinct windows over many sequences: stide's normal database. Memory grows
 * with the number of distinct windows, not with the amount of training data.
 */
export class WindowCounts {
  /** Occurrences by window key (k code units of encoded symbols). */
  readonly counts = new Map<string, number>();
  /** All windows added, with repetition. */
  total = 0;

  /** Counts windows of length `k`. */
  constructor(readonly k: number) {}

  /** Counts every window of an encoded sequence (one code unit per symbol). */
  addEncoded(encoded: string): void {
    const counts = this.counts;
    let added = 0;
    forEachWindow(encoded, this.k, (key) => {
      counts.set(key, (counts.get(key) ?? 0) + 1);
      added++;
    });
    this.total += added;
  }

  /** How many distinct windows. */
  get size(): number {
    return this.counts.size;
  }

  /** How often this window occurred (0 if never). */
  count(key: string): number {
    return this.counts.get(key) ?? 0;
  }
}
