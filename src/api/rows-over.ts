// Reading an input through the core's record rows first (model/row-parser.ts), the fast way, and
// the full way from their last quiet point when they meet a line they do not model, skipping the
// records the rows already gave after it. An input that can be read from any offset (a plain
// file) is read again from that point; for a stream read once (stdin, `.gz`, a browser's File)
// the bytes since it are kept (a bounded replay), so they work too. Either way the consumer sees
// the records the full reading gives, once each, in order. Counting (counting.ts) and JSON Lines
// (jsonl-fast.ts, and the browser page's export) are its uses. No Node API here: rows-first.ts
// opens files for it.

import { createEngine, createParser, type EngineName } from "./core.js";
import { CoreEngine } from "../engine/core-engine.js";
import type { ParseCounts, ParserOptions } from "../parser.js";
import type { TraceRecord } from "../model/record.js";
import { RowParser, type QuietPoint, type RowParserOptions, type RowRecord } from "../model/row-parser.js";

/** An input that can be read from any offset: its chunks from an offset (the rows copy each into
 *  the core's memory, so they may be one reused buffer), and a fresh stream from an offset (the
 *  full reading's). */
export interface SeekableInput {
  name: string;
  pid?: number;
  seekable: true;
  chunksFrom(offset: number): AsyncIterator<Uint8Array>;
  readFrom(offset: number): AsyncIterator<Uint8Array>;
}

/** An input read once, from its start: fresh chunks (the replay keeps them as they are). */
export interface StreamInput {
  name: string;
  pid?: number;
  seekable: false;
  stream: AsyncIterator<Uint8Array>;
}

/** What rowsFirstOver reads: `name` is the file records name (ParserOptions.file), `pid` the pid
 *  of unprefixed lines (an `-ff` file's). */
export type RowsInput = SeekableInput | StreamInput;

/** Lines past the one the rows stopped at before the full reading may hand back to them (the
 *  first time; doubled each time). */
const HAND_BACK_LINES = 1024;

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
  /** Told where the full reading handed back to the rows (a plain file): offset and lines before. */
  onHandBack?: (at: { offset: number; line: number }) => void;
  /** Lines past the one the rows stopped at before the first hand-back (default 1024; small in
   *  tests and the fuzzer, so short inputs go back and forth too). */
  handBackLines?: number;
  /** A plain file read from this offset (a line start) on, as if it began there: lines are
   *  counted from it (a part of a file counted apart: split-stats.ts). */
  start?: number;
  /** Lines before `start` in the file, when a reading from there is to number lines as the whole
   *  file's reading does (JSON Lines of a part: split-jsonl.ts); default 0, counted from it. */
  startLine?: number;
  /** An earlier reading already wrote the record that names the schema (the first one). */
  stamped?: boolean;
  /** Line starts (input offsets, increasing) where the reading asks `onStop` whether to end: a
   *  plain file read by the rows only (the full reading passes them by). */
  stops?: readonly number[];
  /** Told at each stop the rows reach, once every byte before it has been read: whether the
   *  boundary is quiet (everything before it given, nothing held, so a reading that starts
   *  there gives the rest of the records exactly, given a stand-in owner for -k frames and
   *  dumps when `owner`), and the counts so far. Ending there (return true) is allowed only at
   *  a quiet stop. */
  onStop?: (stop: number, at: StopInfo) => boolean | Promise<boolean>;
}

/** What a reading had done at a stop (RowsFirstOptions.onStop). */
export interface StopInfo {
  quiet: boolean;
  /** Where a reading that starts at this boundary starts: the stop itself, or with JSON the start
   *  of the line before it (JSON rows hold the last call until the next line shows it has no
   *  frames, so the boundary they can start a reading at is before that call's line; the counts
   *  are those before it). */
  offset: number;
  /** A call or signal before the boundary would take -k frames and dumps that follow it
   *  (perhaps after exits and messages): a reading from there needs an owner for them. */
  owner: boolean;
  lines: number;
  records: number;
  diagnostics: number;
}

/** Reads `input`, rows first; rows go to `onRow` (or JSON to opts.rows.json.onJson), the full
 *  reading's records to `onRecord`. Pauses after each chunk read (so a consumer can pass on what
 *  it made so far, in bounded memory); its return value is the parse's counts.
 *
 *  A plain file goes back to the rows after a hand-over: the full reading stops at its first
 *  quiet boundary some lines past the one the rows stopped at (TraceParser handBack), and the
 *  rows start again there. The distance doubles with each hand-back, so a trace whose odd lines
 *  are frequent settles on the full reading. */
export async function* rowsFirstOver(
  input: RowsInput,
  opts: RowsFirstOptions,
  onRow: (r: RowRecord) => void,
  onRecord: (r: TraceRecord) => void,
): AsyncGenerator<void, ParseCounts> {
  const file = input.name;
  const pid = input.pid;
  const seekable = input.seekable;
  const engine = opts.coreEngine ?? (await createEngine(opts.engine));
  const told = { bytes: 0 };
  const tell = (end: number, n: number): void => {
    // each input byte is told once, however often it is read
    if (end > told.bytes) opts.onBytes?.(end - Math.max(end - n, told.bytes));
    told.bytes = Math.max(told.bytes, end);
  };
  /** Records and diagnostics given by the phases before the current one. */
  const given = { records: 0, diagnostics: 0 };
  /** Where the current phase starts: input offset and lines before it. */
  let base = { offset: opts.start ?? 0, line: opts.startLine ?? 0 };
  const stampedBefore = opts.stamped ?? false;
  const stops = seekable ? (opts.stops ?? []) : [];
  let nextStop = 0;
  let distance = opts.handBackLines ?? HAND_BACK_LINES;
  const stream = input.seekable ? undefined : input.stream;
  const kept = new Replay();
  for (;;) {
    // (the rows copy each chunk into the core's memory, so a plain file's reading reuses its buffers)
    const chunks = input.seekable ? input.chunksFrom(base.offset) : input.stream;
    let from: QuietPoint = { offset: 0, line: base.line, records: 0, diagnostics: 0, owner: false };
    let skip = 0;
    let read = base.offset;
    let stopLine = Infinity;
    if (engine instanceof CoreEngine) {
      // (the first record of any kind names the schema)
      const stamped = stampedBefore || given.records + given.diagnostics > 0;
      const json = opts.rows.json && stamped ? { ...opts.rows.json, stamp: new Uint8Array(0) } : opts.rows.json;
      const rows = new RowParser(engine, { ...opts.rows, json, pid, lineBase: base.line }, onRow);
      // (with JSON and stops: where the last whole line pushed starts, however it was cut in pushes)
      const lastLine = json && stops.length > 0 ? new LastLine(base.offset) : undefined;
      const most = opts.maxReplayBytes ?? MAX_REPLAY_BYTES;
      let ended = false;
      while (!rows.aborted) {
        const step = await chunks.next();
        if (step.done) {
          ended = true;
          break;
        }
        if (stream) kept.push(step.value);
        let chunk = step.value;
        // at each stop inside the chunk: the bytes before it, then the question
        let ending: StopInfo | undefined;
        while (nextStop < stops.length && stops[nextStop]! < read + chunk.length) {
          const stop = stops[nextStop++]!;
          if (stop < read) continue;
          const before = chunk.subarray(0, stop - read);
          if (before.length > 0 && !rows.push(before)) break;
          lastLine?.see(before, stop - before.length);
          tell(stop, before.length);
          read = stop;
          chunk = chunk.subarray(before.length);
          const q = rows.quiet;
          const info: StopInfo = json
            ? jsonStop(q, base.offset, lastLine!.prev, rows.counts.records, given)
            : {
                quiet: q.offset === stop - base.offset && q.records === rows.counts.records,
                offset: stop,
                owner: q.owner,
                lines: base.line + rows.counts.lines,
                records: given.records + rows.counts.records,
                diagnostics: given.diagnostics + rows.diagnosticsSoFar(),
              };
          if (!info.quiet) info.owner = false;
          if ((await opts.onStop?.(stop, info)) && info.quiet) {
            ending = info;
            break;
          }
        }
        if (rows.aborted) break;
        if (ending) {
          await chunks.return?.(undefined);
          // (with JSON, the call on the line before the stop is still held: a reading from the
          // boundary before that line writes it, so it is left unwritten here)
          if (json) return { lines: ending.lines, records: ending.records, diagnostics: ending.diagnostics, bytes: ending.offset };
          rows.end();
          return {
            lines: base.line + rows.counts.lines,
            records: given.records + rows.counts.records,
            diagnostics: given.diagnostics + rows.counts.diagnostics,
            bytes: read,
          };
        }
        read += chunk.length;
        tell(read, chunk.length);
        if (chunk.length > 0 && !rows.push(chunk)) break;
        lastLine?.see(chunk, read - chunk.length);
        kept.dropBefore(rows.quiet.offset);
        // no quiet point for too long: hand over now, while the bytes since the last one are kept
        if (stream && kept.bytes > most) break;
        yield;
      }
      if (ended && rows.end()) {
        if (given.records + given.diagnostics === 0 && base.offset === 0) opts.onPath?.("rows", from);
        return {
          lines: base.line + rows.counts.lines,
          records: given.records + rows.counts.records,
          diagnostics: given.diagnostics + rows.counts.diagnostics,
          bytes: base.offset + rows.counts.bytes,
        };
      }
      from = rows.quiet;
      stopLine = rows.abortLine;
      // the stand-in owner, then the records given after the quiet point
      skip = (from.owner ? 1 : 0) + rows.counts.records - from.records;
      given.records += from.records;
      given.diagnostics += from.diagnostics;
    }
    const at = base.offset + from.offset;
    if (base.offset === 0) opts.onPath?.("full", from);
    let source: AsyncIterable<Uint8Array>;
    if (stream) source = kept.thenRest(from.offset, chunks, (n) => tell((read += n), n));
    else {
      await chunks.return?.(undefined);
      source = { [Symbol.asyncIterator]: () => (input as SeekableInput).readFrom(at) };
    }
    const parser = await createParser({
      engine: opts.engine,
      ...opts.full,
      file,
      pid,
      // (the first record, which names the schema, was the rows' when they gave any before it)
      resume: at > 0 ? { line: from.line, owner: from.owner, stamped: stampedBefore || given.records + given.diagnostics > 0 } : undefined,
      // back to the rows, from a plain file, some way past the line they stopped at
      handBack: !stream && stopLine !== Infinity ? { after: stopLine + distance } : undefined,
    });
    const emit = (records: TraceRecord[]): void => {
      for (const r of records) {
        if (skip > 0 && r.type !== "diagnostic" && r.type !== "summary") {
          skip--;
          continue;
        }
        onRecord(r);
      }
    };
    let offset = at;
    for await (const chunk of source) {
      offset += chunk.length;
      if (!stream) tell(offset, chunk.length);
      emit(parser.push(chunk));
      // stops passed by the full reading are not quiet ones (its counts are not asked for)
      while (nextStop < stops.length && stops[nextStop]! < offset) {
        const stop = stops[nextStop++]!;
        if (stop >= at) await opts.onStop?.(stop, { quiet: false, offset: stop, owner: false, lines: NaN, records: NaN, diagnostics: NaN });
      }
      yield;
      if (parser.handBackAt) break;
    }
    const back = parser.handBackAt;
    if (!back) emit(parser.end());
    // the stand-in owner was counted as a record
    const owner = from.owner ? 1 : 0;
    given.records += parser.counts.records - owner;
    given.diagnostics += parser.counts.diagnostics;
    if (!back) {
      return { lines: parser.counts.lines, records: given.records, diagnostics: given.diagnostics, bytes: at + parser.counts.bytes };
    }
    base = { offset: at + back.offset, line: back.line };
    opts.onHandBack?.(base);
    distance *= 2;
  }
}

/** Where the last two lines of the bytes seen so far start: `prev` the last whole one (-1 before
 *  one is seen), `cur` the one in progress. */
class LastLine {
  prev = -1;
  constructor(private cur: number) {}

  /** Takes in `bytes`, which begin at input offset `at`. */
  see(bytes: Uint8Array, at: number): void {
    const last = bytes.lastIndexOf(0x0a);
    if (last < 0) return;
    const before = last > 0 ? bytes.lastIndexOf(0x0a, last - 1) : -1;
    this.prev = before >= 0 ? at + before + 1 : this.cur;
    this.cur = at + last + 1;
  }
}

/** A stop as JSON rows see it: quiet when their last quiet point is the start of the line before
 *  it (`lineStart`), with every record before that given: the one row then held is that line's
 *  call, which waited only for frames, and the stop's line is none (the cuts are at lines that do
 *  not begin with a blank). A reading from that line's start needs no stand-in owner. */
function jsonStop(q: QuietPoint, base: number, lineStart: number, given: number, before: { records: number; diagnostics: number }): StopInfo {
  return {
    quiet: lineStart >= 0 && base + q.offset === lineStart && q.records === given,
    offset: base + q.offset,
    owner: false,
    lines: q.line,
    records: before.records + q.records,
    diagnostics: before.diagnostics + q.diagnostics,
  };
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
