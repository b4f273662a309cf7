// A `-ff` folder's JSON Lines the fast way. Each member file is converted by the core's record
// rows (api/jsonl-fast.ts), one member after another through one engine, each to its own stretch
// of one temporary file beside the output (named as the output's own temp file is, so what a run
// killed half-way leaves, the next run sweeps away); then the members' lines are merged by time as
// records are (merge.ts), read back a chunk at a time, each line's time read from its JSON text.
// Reading all members at once through the rows would hold an engine per member (its row ring and
// JSON ring: ~10 MB each on a long member), so a folder of a hundred processes would pass any
// memory budget; this way memory is one engine and a read buffer per member. The price: the JSON
// goes to disk once more (mostly the page cache) before the output is written.

import { closeSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import type { EngineName } from "../api/core.js";
import { jsonlChunks } from "../api/jsonl-fast.js";
import type { CoreEngine } from "../engine/core-engine.js";
import type { ParseCounts } from "../parser.js";
import { mergeByTime, type BatchSource, type TimeOf } from "./merge.js";

/** One record's JSON line, bytes [start, end) of `chunk` (newline included; the chunk was read
 *  for its batch alone), with what the merge reads. Offsets, not a view per line: the merge holds
 *  a batch of every member, and a view is an object of its own. */
export interface JsonLine {
  chunk: Buffer;
  start: number;
  end: number;
  /** The record's `time` (seconds; a `null` time is Infinity, as the record's was), if any. */
  time: number | undefined;
  /** Its `timestamp` is a clock time of day (has a `:`). */
  clock: boolean;
}

/** JSON lines' times, for mergeByTime. */
export const LINE_TIME: TimeOf<JsonLine> = { time: (l) => l.time, clock: (l) => l.clock };

const TIMESTAMP_KEY = Buffer.from('"timestamp":"');
const TIME_KEY = Buffer.from('","time":');
const DIAGNOSTIC = Buffer.from('{"type":"diagnostic"');

/** Whether the line is a diagnostic record. */
export function isDiagnosticLine(l: JsonLine): boolean {
  return l.end - l.start >= DIAGNOSTIC.length && l.chunk.compare(DIAGNOSTIC, 0, DIAGNOSTIC.length, l.start, l.start + DIAGNOSTIC.length) === 0;
}

/**
 * The time of the record whose JSON is `line`: the number after `"timestamp":"…","time":`. The
 * envelope's keys come before any argument, and a key's quotes cannot occur unescaped inside a
 * JSON string, so the first `"timestamp":"` is the record's own.
 */
export function lineTime(buf: Buffer, start: number, end: number): { time: number | undefined; clock: boolean } {
  const line = buf.subarray(start, end);
  const at = line.indexOf(TIMESTAMP_KEY);
  if (at < 0) return { time: undefined, clock: false };
  const textStart = at + TIMESTAMP_KEY.length;
  // a timestamp's text is digits, `:`, `.` and spaces: no escapes, so its closing quote is the next
  const close = line.indexOf(0x22, textStart);
  if (close < 0 || line.compare(TIME_KEY, 0, TIME_KEY.length, close, close + TIME_KEY.length) !== 0) {
    throw new Error(`strace-seq: internal: a record's timestamp is not followed by its time: ${line.toString("utf8", 0, 200)}`);
  }
  let e = close + TIME_KEY.length;
  const numberStart = e;
  while (e < line.length && line[e] !== 0x2c && line[e] !== 0x7d) e++;
  const text = line.toString("latin1", numberStart, e);
  let clock = false;
  for (let i = textStart; i < close; i++) if (line[i] === 0x3a) clock = true;
  return { time: text === "null" ? Infinity : Number(text), clock };
}

/** What the merge reads ahead of all members together, and the least it reads of one at a time (a
 *  folder of thousands of processes reads 1 KiB of each). */
const MERGE_READ_BYTES = 16 << 20;
const MIN_MEMBER_READ = 1 << 10;
const MAX_MEMBER_READ = 64 << 10;

/** Lines of merged output gathered before each write. */
const MERGED_WRITE_BYTES = 1 << 20;

/** What convertMembers reads with. */
export interface MemberOptions {
  engine: EngineName;
  coreEngine?: CoreEngine;
  onBytes?: (n: number) => void;
}

/**
 * The merged JSON Lines of a `-ff` folder's `members` (in pid order) by the core's rows: each
 * member to its own stretch of the temporary file `temp` (removed at the end), then merged by
 * time, handed to `write` about a MiB at a time. `keep` is asked about each line in the merged
 * order (the diagnostics' cap). Returns the members' counts added up.
 */
export async function convertMembers(
  members: readonly string[],
  temp: string,
  opts: MemberOptions,
  keep: (line: JsonLine) => boolean,
  write: (bytes: Buffer) => void,
): Promise<ParseCounts> {
  const counts: ParseCounts = { lines: 0, records: 0, diagnostics: 0, bytes: 0 };
  // one file for all members, each its own stretch: no open and close per member, which for a
  // folder of thousands of small ones cost more than converting them
  const fd = openSync(temp, "w+");
  try {
    const sources: MemberLines[] = [];
    // the merge holds a batch of every member: their reads share MERGE_READ_BYTES
    const readBytes = Math.max(MIN_MEMBER_READ, Math.min(MAX_MEMBER_READ, Math.floor(MERGE_READ_BYTES / members.length)));
    let end = 0;
    for (const m of members) {
      const w = await writeMemberLines(m, fd, opts);
      counts.lines += w.counts.lines;
      counts.records += w.counts.records;
      counts.diagnostics += w.counts.diagnostics;
      counts.bytes += w.counts.bytes;
      sources.push(new MemberLines(fd, end, end + w.bytes, readBytes));
      end += w.bytes;
    }
    // merged lines are copied into one buffer, handed out (and replaced: the writer may keep it)
    // when full
    let pending = Buffer.allocUnsafe(MERGED_WRITE_BYTES);
    let size = 0;
    for await (const batch of mergeByTime(sources, LINE_TIME)) {
      for (const line of batch) {
        if (!keep(line)) continue;
        const n = line.end - line.start;
        if (size + n > pending.length) {
          if (size > 0) write(pending.subarray(0, size));
          pending = Buffer.allocUnsafe(Math.max(MERGED_WRITE_BYTES, n));
          size = 0;
        }
        line.chunk.copy(pending, size, line.start, line.end);
        size += n;
      }
    }
    if (size > 0) write(pending.subarray(0, size));
  } finally {
    closeSync(fd);
    rmSync(temp, { force: true });
  }
  return counts;
}

/** Appends the JSON Lines of `file` (as `parse FILE` of a member alone gives them, with `file`
 *  keys) to the open file `fd` (synchronous writes: this runs in a conversion worker); returns the
 *  parse's counts and how many bytes it wrote. */
export async function writeMemberLines(file: string, fd: number, opts: MemberOptions): Promise<{ counts: ParseCounts; bytes: number }> {
  let bytes = 0;
  const chunks = jsonlChunks(file, { engine: opts.engine, coreEngine: opts.coreEngine, tagFile: true, onBytes: opts.onBytes, reuseBuffers: true });
  let step = await chunks.next();
  for (; !step.done; step = await chunks.next()) {
    for (let at = 0; at < step.value.length;) at += writeSync(fd, step.value, at);
    bytes += step.value.length;
  }
  return { counts: step.value, bytes };
}

/** One member's JSON Lines, bytes [start, end) of the open file `fd`, read back a chunk at a time
 *  (positional reads, synchronous) as lines with their times.
 *
 *  Each reuses one buffer, one array and its line objects from batch to batch (reusesBatches: the
 *  merge hands out what it holds before it asks again). A folder of thousands of processes keeps
 *  every member's batch while the others' calls come in between, long enough for V8 to move them to
 *  its old generation, where a fresh buffer and lines per read piled up as garbage until a full
 *  collection: 16,000 members (a real run's files, replicated) peaked at ~240 MB with a buffer per read. */
export class MemberLines implements BatchSource<JsonLine> {
  readonly reusesBatches = true;
  private at: number;
  /** The buffer read into; bytes [restStart, restEnd) are the part of a line the last read ended in. */
  private buf: Buffer = Buffer.alloc(0);
  private restStart = 0;
  private restEnd = 0;
  private readonly lines: JsonLine[] = [];
  /** Line objects made so far, reused by later batches. */
  private readonly pool: JsonLine[] = [];

  constructor(
    private readonly fd: number,
    start: number,
    private readonly end: number,
    private readonly chunkBytes: number,
  ) {
    this.at = start;
  }

  next(): Promise<JsonLine[] | null> {
    return Promise.resolve(this.read());
  }

  /** The next batch, synchronously (next() wraps it). */
  read(): JsonLine[] | null {
    const left = this.end - this.at;
    const rest = this.restEnd - this.restStart;
    if (left === 0) {
      // every line the core or the host writes ends in a newline
      if (rest > 0) throw new Error("strace-seq: internal: a member's JSON Lines end inside a line");
      return null;
    }
    // what fills the chunk after the carried bytes, but at least as much as is carried (so a line
    // longer than a chunk is copied a logarithmic number of times), and no more than what is left
    // (thousands of small members must not each pin a whole chunk)
    const want = Math.min(Math.max(this.chunkBytes - rest, rest), left);
    // a new buffer when this one is too small, or far larger than needed (it grew for a long line:
    // it must not stay that large for the member's other lines, with thousands of members held)
    if (rest + want > this.buf.length || this.buf.length > 4 * (rest + want)) {
      // (never from Node's shared 8 KiB pool: a small buffer held would keep a whole slab alive)
      const grown = Buffer.allocUnsafeSlow(rest + want);
      this.buf.copy(grown, 0, this.restStart, this.restEnd);
      this.buf = grown;
    } else {
      this.buf.copyWithin(0, this.restStart, this.restEnd);
    }
    const buf = this.buf;
    let got = 0;
    while (got < want) {
      const n = readSync(this.fd, buf, rest + got, want - got, this.at + got);
      if (n === 0) throw new Error("strace-seq: internal: a member's JSON Lines were cut short");
      got += n;
    }
    this.at += want;
    const filled = rest + want;
    const lines = this.lines;
    lines.length = 0;
    let s = 0;
    // (bytes past `filled` are an earlier read's)
    for (let nl = buf.indexOf(10, s); nl >= 0 && nl < filled; nl = buf.indexOf(10, s)) {
      const { time, clock } = lineTime(buf, s, nl + 1);
      let line = this.pool[lines.length];
      if (line === undefined) this.pool.push((line = { chunk: buf, start: s, end: nl + 1, time, clock }));
      else {
        line.chunk = buf;
        line.start = s;
        line.end = nl + 1;
        line.time = time;
        line.clock = clock;
      }
      lines.push(line);
      s = nl + 1;
    }
    this.restStart = s;
    this.restEnd = filled;
    return lines;
  }
}
