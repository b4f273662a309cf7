// Reading an input (file, `.gz`, stdin) through the core's record rows first (model/row-parser.ts),
// the fast way, and the full way from their last quiet point when they meet a line they do not
// model, skipping the records the rows already gave after it. A plain file is read again from that
// point; for stdin and `.gz` the bytes since it are kept (a bounded replay), so they work too. Either way the consumer sees
// the records the full reading gives, once each, in order. Counting (counting.ts) and JSON Lines
// (jsonl-fast.ts) are its two uses.

import { createReadStream, statSync } from "node:fs";
import { createEngine, parseBatches, type EngineName } from "./core.js";
import { openInput, pidFromFileName } from "./node.js";
import { holdErrors, READ_CHUNK } from "../io/input.js";
import { CoreEngine } from "../engine/core-engine.js";
import type { ParseCounts, ParserOptions } from "../parser.js";
import type { TraceRecord } from "../model/record.js";
import { RowParser, type QuietPoint, type RowParserOptions, type RowRecord } from "../model/row-parser.js";

/** Bytes of stdin or a `.gz` file kept since the rows' last quiet point. Past it (no quiet point
 *  for that long: a call pending across that much trace), the full reading takes over there, so
 *  memory stays bounded. (A plain file keeps nothing: it is read again from the quiet point.) */
const MAX_REPLAY_BYTES = 32 << 20;

/** How to read one input. */
export interface RowsFirstOptions {
  engine?: EngineName;
  /** An engine to reuse (rowsReset starts each input afresh); else one is made. */
  coreEngine?: CoreEngine;
  /** The rows' options (JSON or not); the pid defaults to an `-ff` file name's. */
  rows: Omit<RowParserOptions, "pid">;
  /** The full reading's options (file and pid are added). */
  full: ParserOptions;
  /** Told how the input was read: by rows alone, or the full way from a quiet point on. */
  onPath?: (path: "rows" | "full", from: QuietPoint) => void;
  /** Bytes kept for a hand-over (default 32 MiB; smaller in tests). */
  maxReplayBytes?: number;
  /** Told each chunk's size as it is read (once each, a replay not counted again). */
  onBytes?: (n: number) => void;
}

/** Reads `file`, rows first; rows go to `onRow` (or JSON to opts.rows.json.onJson), the full
 *  reading's records to `onRecord`. Pauses after each chunk read (so a consumer can pass on what
 *  it made so far, in bounded memory); its return value is the parse's counts. */
export async function* rowsFirst(
  file: string,
  opts: RowsFirstOptions,
  onRow: (r: RowRecord) => void,
  onRecord: (r: TraceRecord) => void,
): AsyncGenerator<void, ParseCounts> {
  const pid = file === "-" ? undefined : pidFromFileName(file.replace(/\.gz$/, ""));
  const seekable = isPlainFile(file);
  const input = openInput(file);
  const chunks = (input as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  const kept = new Replay();
  let from: QuietPoint = { offset: 0, line: 0, records: 0, diagnostics: 0, owner: false };
  let skip = 0;
  /** Bytes read so far (by the rows). */
  let read = 0;
  const engine = opts.coreEngine ?? (await createEngine(opts.engine));
  if (engine instanceof CoreEngine) {
    const rows = new RowParser(engine, { ...opts.rows, pid }, onRow);
    const most = opts.maxReplayBytes ?? MAX_REPLAY_BYTES;
    let ended = false;
    while (!rows.aborted) {
      const step = await chunks.next();
      if (step.done) {
        ended = true;
        break;
      }
      if (!seekable) kept.push(step.value);
      read += step.value.length;
      opts.onBytes?.(step.value.length);
      if (!rows.push(step.value)) break;
      kept.dropBefore(rows.quiet.offset);
      // no quiet point for too long: hand over now, while the bytes since the last one are kept
      if (!seekable && kept.bytes > most) break;
      yield;
    }
    if (ended && rows.end()) {
      opts.onPath?.("rows", from);
      return rows.counts;
    }
    from = rows.quiet;
    // the stand-in owner, then the records given after the quiet point
    skip = (from.owner ? 1 : 0) + rows.counts.records - from.records;
  }
  opts.onPath?.("full", from);
  let counts: ParseCounts = { lines: 0, records: 0, diagnostics: 0, bytes: 0 };
  let source: AsyncIterable<Uint8Array>;
  if (seekable) {
    input.destroy();
    source = readFrom(file, from.offset, read, opts.onBytes);
  } else source = kept.thenRest(from.offset, chunks, opts.onBytes);
  const batches = parseBatches(source, {
    engine: opts.engine,
    ...opts.full,
    file,
    pid,
    // (the first record, which names the schema, was the rows' when they gave any before it)
    resume: from.offset > 0 ? { line: from.line, owner: from.owner, stamped: from.records > 0 } : undefined,
    onEnd: (c) => (counts = c),
  });
  for await (const batch of batches) {
    for (const r of batch) {
      if (skip > 0 && r.type !== "diagnostic" && r.type !== "summary") {
        skip--;
        continue;
      }
      onRecord(r);
    }
    yield;
  }
  return {
    lines: counts.lines,
    records: from.records + counts.records - (from.owner ? 1 : 0),
    diagnostics: from.diagnostics + counts.diagnostics,
    bytes: from.offset + counts.bytes,
  };
}

/** Whether `file` is a regular file read as it is (so it can be read again from an offset). */
function isPlainFile(file: string): boolean {
  if (file === "-" || file.endsWith(".gz")) return false;
  try {
    return statSync(file).isFile();
  } catch {
    return false; // (openInput reports it)
  }
}

/** `file` from byte `offset` on; `onBytes` hears of the bytes past `counted` only (read before). */
async function* readFrom(file: string, offset: number, counted: number, onBytes?: (n: number) => void): AsyncGenerator<Uint8Array> {
  let at = offset;
  for await (const chunk of holdErrors(createReadStream(file, { start: offset, highWaterMark: READ_CHUNK })) as AsyncIterable<Uint8Array>) {
    const end = at + chunk.length;
    if (end > counted) onBytes?.(end - Math.max(at, counted));
    at = end;
    yield chunk;
  }
}

/** The input's chunks from some offset on, kept for a hand-over (chunks are not copied: the
 *  streams hand out a new buffer each time). */
class Replay {
  private chunks: Uint8Array[] = [];
  private head = 0;
  /** Input offset of chunks[head]. */
  private start = 0;
  bytes = 0;

  push(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.bytes += chunk.length;
  }

  /** Forgets the chunks that end at or before `offset`. */
  dropBefore(offset: number): void {
    while (this.head < this.chunks.length && this.start + this.chunks[this.head]!.length <= offset) {
      const n = this.chunks[this.head]!.length;
      this.start += n;
      this.bytes -= n;
      this.head++;
    }
    if (this.head > 64 && this.head * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
  }

  /** The kept bytes from `offset` on, then the rest of the input. */
  async *thenRest(offset: number, rest: AsyncIterator<Uint8Array>, onBytes?: (n: number) => void): AsyncGenerator<Uint8Array> {
    let at = this.start;
    for (let i = this.head; i < this.chunks.length; i++) {
      const c = this.chunks[i]!;
      if (at + c.length > offset) yield offset > at ? c.subarray(offset - at) : c;
      at += c.length;
    }
    this.chunks = [];
    for (let step = await rest.next(); !step.done; step = await rest.next()) {
      onBytes?.(step.value.length);
      yield step.value;
    }
  }
}
