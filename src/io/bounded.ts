// Asynchronous work over long lists with a bound on how much is in flight. A `-ff` folder of
// 16,000 processes stat'ed with one Promise.all held 16,000 file-system requests at once: the CLI's
// resident memory reached ~135 MB before it had read a byte of trace (32 at a time: ~75 MB, no
// slower, as the thread pool runs four at a time anyway).

/** Requests kept in flight: several times libuv's default pool of four threads. */
export const IN_FLIGHT = 32;

/** `fn` of every item, in the items' order, with at most `limit` calls unsettled at once. The
 *  first rejection rejects the whole; no call starts after it (those started run to their end). */
export async function mapBounded<T, R>(items: readonly T[], fn: (item: T, index: number) => Promise<R>, limit = IN_FLIGHT): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const lane = async (): Promise<void> => {
    while (next < items.length && !failed) {
      const i = next++;
      try {
        out[i] = await fn(items[i]!, i);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}
