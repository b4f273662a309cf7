// Records for counting consumers (`stats`, sequences by name), the fast way where it applies: the
// core's record rows first, then the full lean reading from their last quiet point if they meet
// a line they do not model (rows-first.ts). Either way the consumer sees the records a lean
// TraceParser gives, once each, in order, and the same counts.

import type { EngineName } from "./core.js";
import type { ParseCounts } from "../parser.js";
import type { TraceRecord } from "../model/record.js";
import type { QuietPoint, RowBatch, RowRecord } from "../model/row-parser.js";
import type { TraceStats } from "../model/stats.js";
import { rowsFirst, type RowsFirstOptions } from "./rows-first.js";

/** What countFile reads. */
export interface CountOptions {
  engine?: EngineName;
  /** The full reading's argsFor (ParserOptions); rows give no arguments but CLONE_THREAD (RowRecord.args). */
  argsFor?: (name: string) => boolean;
  arch?: "x86_64" | "i386" | "x32" | "arm64";
  /** Told how the input was read: by rows alone, or the full way from a quiet point on. */
  onPath?: (path: "rows" | "full", from: QuietPoint) => void;
  /** Bytes kept for a hand-over (default 32 MiB; smaller in tests). */
  maxReplayBytes?: number;
  /** Told where the full reading handed back to the rows (rows-first.ts). */
  onHandBack?: (at: { offset: number; line: number }) => void;
  /** See RowsFirstOptions.handBackLines. */
  handBackLines?: number;
  /** The rows a batch at a time (RowParserOptions.onRows) instead of as records to `onRecord`. */
  onRows?: (batch: RowBatch) => void;
  /** See RowsFirstOptions: a plain file read from an offset, and stops to end at. */
  start?: RowsFirstOptions["start"];
  stops?: RowsFirstOptions["stops"];
  onStop?: RowsFirstOptions["onStop"];
  /** The stitcher's hold-back cap (StitchOptions.maxHeld), for the rows and the full reading alike
   *  (small in tests, so the records it releases ahead of a pending call are exercised). */
  maxHeld?: number;
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
export function countChunks(file: string, opts: CountOptions, onRecord: (r: TraceRecord | RowRecord) => void): AsyncGenerator<void, ParseCounts> {
  return rowsFirst(
    file,
    {
      engine: opts.engine,
      rows: { onRows: opts.onRows, maxHeld: opts.maxHeld },
      full: { arch: opts.arch, lean: true, argsFor: opts.argsFor ?? (() => false), maxHeld: opts.maxHeld },
      onPath: opts.onPath,
      maxReplayBytes: opts.maxReplayBytes,
      onHandBack: opts.onHandBack,
      handBackLines: opts.handBackLines,
      start: opts.start,
      stops: opts.stops,
      onStop: opts.onStop,
    },
    onRecord,
    onRecord,
  );
}

/** Counts `file` into `stats`: rows a batch at a time (TraceStats.addRows), the full reading's
 *  records one by one; returns the parse's counts. */
export function countStats(file: string, stats: TraceStats, opts: Omit<CountOptions, "onRows">): Promise<ParseCounts> {
  return countFile(file, { ...opts, onRows: (b) => stats.addRows(b) }, (r) => stats.add(r as TraceRecord));
}

/** Adds `c` into `sum`, field by field (counts of inputs read one after another). */
export function addCounts(sum: ParseCounts, c: ParseCounts): ParseCounts {
  sum.lines += c.lines;
  sum.records += c.records;
  sum.diagnostics += c.diagnostics;
  sum.bytes += c.bytes;
  return sum;
}
