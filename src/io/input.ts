// Opening inputs as Node streams so that a failure (a missing or unreadable file, a corrupt .gz)
// ends the reading with that error instead of escaping as an unhandled 'error' event.

import { pipeline, type Readable, type Transform } from "node:stream";
import { createGunzip } from "node:zlib";

/** Keeps an error the stream emits before anyone iterates it from crashing the process; the
 *  stream stays errored, so its async iterator still throws it. */
export function holdErrors<T extends Readable>(stream: T): T {
  stream.on("error", () => {});
  return stream;
}

/** `raw` (through `taps`) decompressed; an error in any stage ends the result with that error. */
export function gunzip(raw: Readable, chunkSize?: number, ...taps: Transform[]): Readable {
  const out = createGunzip(chunkSize === undefined ? {} : { chunkSize });
  // pipeline destroys every stage with the first error; the returned last stage carries it
  return holdErrors(pipeline([raw, ...taps, out], () => {}) as unknown as Readable);
}
