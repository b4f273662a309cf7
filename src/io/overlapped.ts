// Writing the buffers of a generator that reuses them (api/jsonl-over.ts reuseBuffers) while it
// makes the next: awaiting each write before asking for the next buffer left the thread idle for
// every write's round trip through Node's thread pool (~15 % of `parse`'s wall time to /dev/null).

/** Writes each buffer `chunks` hands out with `write`, each write running while the next buffer is
 *  made. One write at a time (a file handle's writes without a position must not overlap), and
 *  each is done before the buffer after the next is asked for, so a buffer is reused only once its
 *  write is done; returns the generator's value. */
export async function writeOverlapped<R>(chunks: AsyncGenerator<Uint8Array, R>, write: (b: Uint8Array) => Promise<unknown>): Promise<R> {
  let writing: Promise<unknown> | undefined;
  for (;;) {
    const step = await chunks.next();
    await writing;
    if (step.done) return step.value;
    writing = write(step.value);
    // (a write that fails is reported where it is awaited; unawaited only when reading failed first)
    writing.catch(() => undefined);
  }
}
