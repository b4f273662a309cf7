// One input file as a pull source of record batches, with raw-byte progress. The parser is driven
// directly (push/end) rather than through parseStream so records arrive as arrays, not one
// async-iterator step each.

import { createReadStream } from "node:fs";
import { gunzip, holdErrors, sniffGzip } from "../io/input.js";
import { Transform, type Readable } from "node:stream";
import { createParser, type EngineName, type TraceParser } from "../api/core.js";
import type { ParseCounts } from "../parser.js";
import type { TraceRecord } from "../model/record.js";

export interface SourceOptions {
  engine: EngineName;
  merge: boolean;
  tagFile: boolean;
  pid?: number;
  /** Read size; small for ff members, where many parsers are alive at once. */
  chunk: number;
  /** Called with the number of raw (on-disk) bytes read since the last call. */
  onBytes?: (n: number) => void;
  /** Lean records (ParserOptions.lean), with arguments only where argsFor says. */
  lean?: boolean;
  argsFor?: (name: string) => boolean;
  /** Arguments as JSON text (ParserOptions.argsJson), for JSONL writers. */
  argsJson?: boolean;
}

/** Opens path (or stdin for "-"), counting raw bytes before any decompression. */
function open(file: string, chunk: number, onBytes?: (n: number) => void): AsyncIterable<Uint8Array> {
  if (file === "-") return sniffGzip(holdErrors(process.stdin), chunk, onBytes);
  const raw: Readable = holdErrors(createReadStream(file, { highWaterMark: chunk }));
  if (!file.endsWith(".gz")) return counted(raw, onBytes);
  // Counted before gunzip through a pipe (not a "data" listener, which would switch the stream to
  // flowing mode and race the iterator), so progress is in on-disk bytes like the total.
  const tap = new Transform({
    transform(b: Buffer, _enc, cb) {
      onBytes?.(b.length);
      cb(null, b);
    },
  });
  return gunzip(raw, file, chunk, tap);
}

async function* counted(src: AsyncIterable<Uint8Array>, onBytes?: (n: number) => void): AsyncGenerator<Uint8Array> {
  for await (const b of src) {
    onBytes?.(b.length);
    yield b;
  }
}

export class RecordSource {
  private parser: TraceParser | undefined;
  private readonly chunks: AsyncIterator<Uint8Array>;
  private finished = false;

  constructor(
    readonly file: string,
    private readonly opts: SourceOptions,
  ) {
    this.chunks = open(file, opts.chunk, opts.onBytes)[Symbol.asyncIterator]();
  }

  get counts(): ParseCounts {
    return this.parser?.counts ?? { lines: 0, records: 0, diagnostics: 0, bytes: 0 };
  }

  /** The next batch of records (possibly empty), or null at the end of the input. */
  async next(): Promise<TraceRecord[] | null> {
    if (this.finished) return null;
    this.parser ??= await createParser({
      engine: this.opts.engine,
      merge: this.opts.merge,
      file: this.file === "-" ? undefined : this.file,
      tagFile: this.opts.tagFile,
      pid: this.opts.pid,
      lean: this.opts.lean,
      argsFor: this.opts.argsFor,
      argsJson: this.opts.argsJson,
    });
    const step = await this.chunks.next();
    if (step.done) {
      this.finished = true;
      return this.parser.end();
    }
    return this.parser.push(step.value);
  }
}
