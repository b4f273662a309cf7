// Lookahead pairs (Forrest, Hofmeyr, Somayaji & Longstaff 1996): for each call and each
// offset j = 1..K, the pair (call, j, the call j positions later). A window of length k
// gives K = k - 1.

/**
 * Number of pairs a sequence of length L has: sum over positions of min(K, L-1-i).
 * For L > K this is the paper's K(L-K) + K(K-1)/2 (18 for L = 8, K = 3).
 */
export function lookaheadTotal(length: number, K: number): number {
  if (length <= 0) return 0;
  if (length > K) return K * (length - K) + (K * (K - 1)) / 2;
  return ((length - 1) * length) / 2;
}

/**
 * Calls `fn(key, i, j)` for every pair of an encoded sequence; `key` is three code units:
 * the earlier symbol, the offset j, the later symbol.
 */
export function forEachPair(encoded: string, K: number, fn: (key: string, i: number, j: number) => void): void {
  if (!(K >= 1)) throw new RangeError(`lookahead K must be >= 1, got ${K}`);
  const n = encoded.length;
  for (let i = 0; i < n; i++) {
    const a = encoded[i]!;
    const last = Math.min(K, n - 1 - i);
    for (let j = 1; j <= last; j++) fn(a + String.fromCharCode(j) + encoded[i + j]!, i, j);
  }
}

/** The pairs of a plain symbol sequence as [call, offset, later call]. */
export function lookaheadPairs<T>(symbols: readonly T[], K: number): Array<[T, number, T]> {
  const out: Array<[T, number, T]> = [];
  for (let i = 0; i < symbols.length; i++) {
    const last = Math.min(K, symbols.length - 1 - i);
    for (let j = 1; j <= last; j++) out.push([symbols[i]!, j, symbols[i + j]!]);
  }
  return out;
}
