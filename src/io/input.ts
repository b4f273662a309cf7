// Opening inputs as Node streams so that a failure (a missing or unreadable file, a corrupt .gz)
// ends the reading with that error instead of escaping as an unhandled 'error' event.

import { Readable, pipeline, type Transform } from "node:stream";
import { createGunzip } from "node:zlib";
import { open } from "node:fs/promises";

/** Keeps an error the stream emits before anyone iterates it from crashing the process; the
 *  stream stays errored, so its async iterator still throws it. */
export function holdErrors<T extends Readable>(stream: T): T {
  stream.on("error", () => {});
  return stream;
}

/** Bytes read from a file at a time. 256 KiB rather than 1 MiB: as fast (the per-chunk work is
 *  small next to a chunk's lines), and fewer records alive at once: `parse` of 100 MB peaked at
 *  168 MB RSS instead of 226–238 MB, `stats` at 96–108 MB instead of 123–132 MB. */
export const READ_CHUNK = 1 << 18;

/** `raw` (through `taps`) decompressed; an error in any stage ends the result with that error,
 *  zlib's (which name no file: `invalid block type`) prefixed with `name`. */
export function gunzip(raw: Readable, name: string, chunkSize?: number, ...taps: Transform[]): Readable {
  const out = createGunzip(chunkSize === undefined ? {} : { chunkSize });
  // (before any other listener, so every reader sees the named message)
  out.prependListener("error", (e: NodeJS.ErrnoException) => {
    if (typeof e.code === "string" && e.code.startsWith("Z_") && !e.message.startsWith(name)) e.message = `${name}: ${e.message} (a damaged gzip stream)`;
  });
  // pipeline destroys every stage with the first error; the returned last stage carries it
  return holdErrors(pipeline([raw, ...taps, out], () => {}) as unknown as Readable);
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/**
 * `raw`'s bytes, decompressed when they begin with gzip's magic bytes (1f 8b): for stdin, whose
 * name says nothing (`zcat` is not needed: `strace-seq stats - < trace.gz`). strace's text never
 * begins with 0x1f. `chunkSize` sizes gunzip's output chunks; `onRaw` sees each raw chunk.
 */
export function sniffGzip(raw: Readable, chunkSize?: number, onRaw?: (n: number) => void): Readable {
  async function* bytes(): AsyncGenerator<Uint8Array> {
    const it = raw[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
    const head: Uint8Array[] = [];
    let have = 0;
    while (have < 2) {
      const r = await it.next();
      if (r.done) break;
      onRaw?.(r.value.length);
      head.push(r.value);
      have += r.value.length;
    }
    const first = head.length === 1 ? head[0]! : Buffer.concat(head);
    async function* rest(): AsyncGenerator<Uint8Array> {
      if (first.length > 0) yield first;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        onRaw?.(r.value.length);
        yield r.value;
      }
    }
    if (first.length >= 2 && first[0] === GZIP_MAGIC_0 && first[1] === GZIP_MAGIC_1)
      yield* gunzip(Readable.from(rest(), { objectMode: false }), "stdin", chunkSize);
    else yield* rest();
  }
  return holdErrors(Readable.from(bytes(), { objectMode: false }));
}

/** A plain file's bytes from `offset` on, READ_CHUNK at a time into two buffers used in turn:
 *  the next read runs while the caller works on this chunk, and nothing is allocated per chunk
 *  (a stream's fresh buffer per chunk cost `stats` ~2-4 % in garbage collection). Each chunk is
 *  valid only until the next one is asked for: for consumers that copy what they keep (record
 *  rows copy into the core's memory). */
export async function* reusedChunks(file: string, offset: number): AsyncGenerator<Uint8Array> {
  const fh = await open(file, "r");
  // (the second buffer is made when a full first chunk shows there may be more: a small file,
  // such as a -ff member, needs one)
  const bufs: Uint8Array[] = [new Uint8Array(READ_CHUNK)];
  let pos = offset;
  let turn = 0;
  let next: Promise<{ bytesRead: number }> | undefined = fh.read(bufs[0]!, 0, READ_CHUNK, pos);
  try {
    for (;;) {
      const { bytesRead }: { bytesRead: number } = await next;
      next = undefined;
      if (bytesRead === 0) return;
      const mine = turn;
      const chunk = bufs[mine]!.subarray(0, bytesRead);
      pos += bytesRead;
      if (bytesRead === READ_CHUNK) {
        turn ^= 1;
        bufs[turn] ??= new Uint8Array(READ_CHUNK);
        next = fh.read(bufs[turn]!, 0, READ_CHUNK, pos);
      }
      yield chunk;
      // a short read is (nearly always) the end of a regular file: one more read makes sure, into
      // this chunk's buffer, free now that the caller asked for the next
      next ??= fh.read(bufs[mine]!, 0, READ_CHUNK, pos);
    }
  } finally {
    // (a caller that stops early leaves a read in flight: let it end before the file closes)
    await next?.catch(() => undefined);
    await fh.close();
  }
}
