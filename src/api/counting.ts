// Records for counting consumers (`stats`, sequences by name), the fast way where it applies: a file is read through
// the core's record rows (model/row-parser.ts), and if they meet a line they do not model, the
// rest is read the full way from their last quiet point, skipping the records the rows already
// gave after it. Either way the consumer sees the records a lean TraceParser gives, once each,
// in order, and the same counts.

import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import { createEngine, parseBatches, type EngineName } from "./core.js";
import { openInput, pidFromFileName } from "./node.js";
import { CoreEngine } from "../engine/core-engine.js";
import { gunzip, holdErrors, READ_CHUNK } from "../io/input.js";
import type { ParseCounts } from "../parser.js";
import type { TraceRecord } from "../model/record.js";
import { RowParser, type QuietPoint, type RowRecord } from "../model/row-parser.js";

/** What countFile reads. */
export interface CountOptions {
  engine?: EngineName;
  /** The full reading's argsFor (ParserOptions); rows give no arguments but CLONE_THREAD (RowRecord.args). */
  argsFor?: (name: string) => boolean;
  arch?: "x86_64" | "i386" | "x32" | "arm64";
  /** Told how the file was read: by rows alone, or the full way from a quiet point on. */
  onPath?: (path: "rows" | "full", from: QuietPoint) => void;
}

/** Feeds every record of `file` (diagnostics and tables too where it was read the full way; rows
 *  carry neither) to `onRecord`, which must not keep the object; returns the parse's counts. */
export async function countFile(file: string, opts: CountOptions, onRecord: (r: TraceRecord | RowRecord) => void): Promise<ParseCounts> {
  const it = countChunks(file, opts, onRecord);
  let step = await it.next();
  while (!step.done) step = await it.next();
  return step.value;
}

/** countFile, pausing after each chunk read (so a consumer can pass on what the records made
 *  so far, in bounded memory); its return value is the parse's counts. */
export async function* countChunks(file: string, opts: CountOptions, onRecord: (r: TraceRecord | RowRecord) => void): AsyncGenerator<void, ParseCounts> {
  const pid = file === "-" ? undefined : pidFromFileName(file.replace(/\.gz$/, ""));
  let from: QuietPoint = { offset: 0, line: 0, records: 0, diagnostics: 0, owner: false };
  let skip = 0;
  // stdin cannot be read again, so it is read the full way at once
  if (file !== "-") {
    const engine = await createEngine(opts.engine);
    if (engine instanceof CoreEngine) {
      const rows = new RowParser(engine, { pid }, onRecord);
      const input = openInput(file);
      for await (const chunk of input) {
        if (!rows.push(chunk as Uint8Array)) break;
        yield;
      }
      input.destroy();
      if (!rows.aborted && rows.end()) {
        opts.onPath?.("rows", from);
        return rows.counts;
      }
      from = rows.quiet;
      // the stand-in owner, then the records given after the quiet point
      skip = (from.owner ? 1 : 0) + rows.counts.records - from.records;
    }
  }
  opts.onPath?.("full", from);
  let counts: ParseCounts = { lines: 0, records: 0, diagnostics: 0, bytes: 0 };
  const source = from.offset > 0 ? openInputAt(file, from.offset) : openInput(file);
  const batches = parseBatches(source, {
    engine: opts.engine,
    arch: opts.arch,
    file,
    pid,
    lean: true,
    argsFor: opts.argsFor ?? (() => false),
    resume: from.offset > 0 ? { line: from.line, owner: from.owner } : undefined,
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

/** The file's bytes from `offset` on (of the decompressed bytes, for `.gz`). */
function openInputAt(file: string, offset: number): AsyncIterable<Uint8Array> {
  if (!file.endsWith(".gz")) return holdErrors(createReadStream(file, { start: offset, highWaterMark: READ_CHUNK }));
  return dropBytes(gunzip(holdErrors(createReadStream(file, { highWaterMark: READ_CHUNK }))), offset);
}

async function* dropBytes(source: Readable, n: number): AsyncGenerator<Uint8Array> {
  let left = n;
  for await (const chunk of source) {
    const c = chunk as Uint8Array;
    if (left >= c.length) {
      left -= c.length;
      continue;
    }
    yield left > 0 ? c.subarray(left) : c;
    left = 0;
  }
}
