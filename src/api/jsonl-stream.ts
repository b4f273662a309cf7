// JSON Lines of a stream of trace bytes (a browser's File, any ByteSource) the fast way: what
// `strace-seq parse` writes for that input, byte for byte (jsonl-over.ts), with plain Uint8Arrays
// and the records' JSON text (no Node API: the browser page's export uses it).

import { chunksOf, type ByteSource, type EngineName } from "./core.js";
import { jsonlOver, type ByteBuffers, type RecordLines } from "./jsonl-over.js";
import type { Arch } from "../knowledge/index.js";
import type { TraceRecord } from "../model/record.js";
import { recordJson } from "../model/record-json.js";
import type { ParseCounts } from "../parser.js";

/** How jsonlStream reads its input: the options `parse` gives each of its inputs. */
export interface JsonlStreamOptions {
  /** `wasm` (default) or the pure-TypeScript `ts` engine: the same bytes either way. */
  engine?: EngineName;
  /** The syscall table for the records' `nr` (default x86_64). */
  arch?: Arch;
  /** The input's name, which diagnostics carry, and every record when `tagFile`. */
  file?: string;
  /** Every record names `file` (as `parse` does for several inputs). */
  tagFile?: boolean;
  /** The pid of lines without one (an `-ff` file's: `parse` takes it from a NAME.PID file name). */
  pid?: number;
}

const PLAIN_BUFFERS: ByteBuffers = { alloc: (bytes) => new Uint8Array(bytes), whole: (buffer) => new Uint8Array(buffer) };

const encoder = new TextEncoder();

/** The full reading's records (where the rows hand over) as JSON Lines text, encoded when taken. */
class TextRecordLines implements RecordLines {
  private parts: string[] = [];
  private size = 0;

  add(rec: TraceRecord): void {
    const line = recordJson(rec) + "\n";
    this.parts.push(line);
    this.size += line.length;
  }

  take(): Uint8Array {
    const bytes = encoder.encode(this.parts.join(""));
    this.parts = [];
    this.size = 0;
    return bytes;
  }

  get length(): number {
    return this.size;
  }
}

/** The JSON Lines `parse` writes for the input `source` (read once, from its start; each chunk a
 *  buffer of its own, as streams give them), a buffer of its own after each chunk read; returns
 *  the parse's counts. */
export async function* jsonlStream(source: ByteSource, opts: JsonlStreamOptions = {}): AsyncGenerator<Uint8Array, ParseCounts> {
  const chunks = chunksOf(source);
  const stream = Symbol.asyncIterator in chunks ? chunks[Symbol.asyncIterator]() : fromSync(chunks[Symbol.iterator]());
  return yield* jsonlOver(
    { name: opts.file ?? "", pid: opts.pid, seekable: false, stream },
    { engine: opts.engine, arch: opts.arch, tagFile: opts.tagFile },
    new TextRecordLines(),
    PLAIN_BUFFERS,
  );
}

async function* fromSync(it: Iterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  for (let step = it.next(); !step.done; step = it.next()) yield step.value;
}
