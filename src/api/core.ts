// The public parsing API, browser-safe: one push core (TraceParser) behind whole-input,
// streaming and async-iterable adapters. Engine choice is an option; output is identical.

import type { Engine } from "../engine/types.js";
import { createWasmEngine, type WasmOptions } from "../engine/wasm-engine.js";
import { TraceParser, type ParseCounts, type ParserOptions } from "../parser.js";
import type { TraceRecord } from "../model/record.js";
import { Trace } from "../model/trace.js";

/** The scanner engine: `wasm` (AssemblyScript, the default) or `ts` (pure TypeScript, synchronous to create). */
export type EngineName = "wasm" | "ts";

/** Options of parse, parseStream and createParser: the parser's options plus the engine. */
export interface ParseOptions extends ParserOptions {
  /** `wasm` (default) or the pure-TypeScript `ts` engine; both give identical records. */
  engine?: EngineName;
  /** WASM options (flavor, memory limit). */
  wasm?: WasmOptions;
}

/** A scanner engine by name; throws RangeError for an unknown name. */
export async function createEngine(name: EngineName = "wasm", wasm?: WasmOptions): Promise<Engine> {
  // (the TS build is loaded when asked for: ~8 ms of every WASM run's start otherwise)
  if (name === "ts") return new (await import("../engine/ts-engine.js")).TsEngine();
  if (name !== "wasm") throw new RangeError(`strace-seq: unknown engine "${String(name)}" (use "wasm" or "ts")`);
  return createWasmEngine(wasm);
}

/** A push parser (TraceParser) on a new engine, for callers that feed chunks themselves. */
export async function createParser(opts: ParseOptions = {}): Promise<TraceParser> {
  return new TraceParser(await createEngine(opts.engine, opts.wasm), opts);
}

const encoder = new TextEncoder();

/** Strace text as bytes: a string encoded as UTF-8, bytes as they are. */
export function toBytes(input: string | Uint8Array): Uint8Array {
  if (typeof input === "string") return encoder.encode(input);
  if (input instanceof Uint8Array) return input;
  throw new TypeError(`strace-seq: expected strace text as a string or a Uint8Array, got ${input === null ? "null" : typeof input}`);
}

/** A stream chunk as bytes: Node streams with an encoding (or Readable.from(strings)) give strings. */
function chunkBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === "string") return encoder.encode(chunk);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new TypeError(`strace-seq: a stream gave a chunk that is neither text nor bytes (${chunk === null ? "null" : typeof chunk})`);
}

/** Parses a whole trace held in memory. */
export async function parse(input: string | Uint8Array, opts: ParseOptions = {}): Promise<Trace> {
  const p = await createParser(opts);
  const records = p.push(toBytes(input));
  for (const r of p.end()) records.push(r);
  return new Trace(records, p.counts);
}

/** Where streamed input comes from: a Node Readable or any (async) iterable of byte chunks, or a web ReadableStream. */
export type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array> | ReadableStream<Uint8Array>;

/** Reads a WHATWG stream with getReader(), which every browser has (async iteration is newer). */
async function* readerChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      if (value) yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

export function chunksOf(source: ByteSource): AsyncIterable<Uint8Array> | Iterable<Uint8Array> {
  if (typeof (source as ReadableStream).getReader === "function") return readerChunks(source as ReadableStream<Uint8Array>);
  return source as AsyncIterable<Uint8Array>;
}

/** Records from a stream of byte chunks, one array per chunk: the fast form for consumers that
 *  handle many records at once (an async step per record costs more than parsing a short line). */
export async function* parseBatches(source: ByteSource, opts: ParseOptions & { onEnd?: (c: ParseCounts) => void } = {}): AsyncGenerator<TraceRecord[]> {
  // A Node stream may fail (a missing file) while the engine compiles: that must end this
  // iteration with the error, not the process.
  const emitter = source as unknown as { on?: (event: string, listener: () => void) => void; getReader?: unknown };
  if (typeof emitter.on === "function" && typeof emitter.getReader !== "function") emitter.on("error", () => {});
  const p = await createParser(opts);
  for await (const chunk of chunksOf(source)) {
    const recs = p.push(chunkBytes(chunk));
    if (recs.length > 0) yield recs;
  }
  const last = p.end();
  if (last.length > 0) yield last;
  opts.onEnd?.(p.counts);
}

/** Records from a stream of byte chunks (a Node Readable, a web ReadableStream, any async iterable),
 *  in bounded memory. `onEnd` receives the final counts. */
export async function* parseStream(source: ByteSource, opts: ParseOptions & { onEnd?: (c: ParseCounts) => void } = {}): AsyncGenerator<TraceRecord> {
  for await (const batch of parseBatches(source, opts)) yield* batch;
}

export { TraceParser };
export type { ParseCounts, ParserOptions };
