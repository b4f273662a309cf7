// JSON Lines of one file (`-`: stdin; `.gz`) the fast way: jsonl-over.ts with Node's buffers and
// JSON Lines writer.

import { fileInput } from "./rows-first.js";
import { jsonlOver, type ByteBuffers, type JsonlOptions } from "./jsonl-over.js";
import { JsonlWriter } from "../io/jsonl.js";
import type { ParseCounts } from "../parser.js";

export type { JsonlOptions } from "./jsonl-over.js";

const NODE_BUFFERS: ByteBuffers = { alloc: (bytes) => Buffer.allocUnsafe(bytes), whole: (buffer) => Buffer.from(buffer) };

/** The JSON Lines of `file`, merged as `parse` merges, a buffer after each chunk read; returns
 *  the parse's counts. */
export async function* jsonlChunks(file: string, opts: JsonlOptions = {}): AsyncGenerator<Buffer, ParseCounts> {
  // (opened when first asked for; the buffers handed out are NODE_BUFFERS': Buffers)
  return yield* jsonlOver(fileInput(file), opts, new JsonlWriter(), NODE_BUFFERS) as AsyncGenerator<Buffer, ParseCounts>;
}
