// Sequences (`seq`, `train`, `score`, `eval`) of one large plain file on two cores
// (split-reading.ts). The second part cannot make sequences itself: which process a pid belongs to,
// which sequence is open and which pid unprefixed lines stand for all depend on what came before
// its cut. So it sends, for each record a SequenceBuilder reads (calls that are not a lone resumed
// half, and exits), the fields the builder reads with plain symbols (names or numbers): type, pid,
// name, return value, line, and whether a clone's arguments carry CLONE_THREAD. This thread feeds
// them to its builder after its own records, so the builder sees what one reading gives. The part
// sends them in chunks as it goes, so this thread takes them in while the part is still reading.
//
// Memory: the part writes its chunks of events (12 bytes a record, a few per hundred input bytes)
// to a file and sends where each is, so they wait on disk, not in this thread's memory, until its own
// reading is done; the part's share of the file is capped (SEQ_PART_MAX_BYTES), which bounds that
// file (~10 % of the part's bytes).

import { closeSync, openSync, readSync, writeSync } from "node:fs";
import { deserialize, serialize } from "node:v8";
import { readPart, type CutState, type Meeting, type PartJob, type PartResult } from "./split-reading.js";
import { countChunks } from "./counting.js";
import type { EngineName } from "./core.js";
import type { StopInfo } from "./rows-first.js";
import { RowField, RowFlag, RowKind } from "../core/abi.js";
import { blankRowRecord, NO_ARGS, ROW_I32, rowRet, THREAD_ARGS, type RowBatch, type RowRecord } from "../model/row-parser.js";
import type { TraceRecord } from "../model/record.js";
import { hasCloneThread } from "../seq/clone.js";
import { createsProcess } from "../model/unprefixed.js";

/** The share of the file this thread reads: less than `stats`' 0.55, because this thread also
 *  builds and writes every sequence, the part's records too. On the 315 MB bigtrace, least wall
 *  time of four interleaved runs: 0.55 1.70 s, 0.48 1.56, 0.42 1.50, 0.36 1.57 (the part's events
 *  wait on disk, so its share does not change this thread's memory). */
export const SEQ_FIRST_SHARE = 0.42;

/** The most input the second part reads: ~200 MB of events on disk at most. (Events held in
 *  memory, as they were before they went to a file, capped it at 192 MiB: ~20 MB in either
 *  process, and the part of a 1 GB file ~20 % of it instead of 58 %.) */
export const SEQ_PART_MAX_BYTES = 2 ** 31;

/** What the builder reads of some of a part's records, sent as the part goes: `i32` holds three
 *  numbers a record (head: name index << 3 | EventFlag bits; pid, -1 for none; line, counted from
 *  the part's start), `rets` the return values of the records flagged HasRet, in order. Name
 *  indexes count across the part's chunks, each bringing the names new in it. `from` and `at` are
 *  the segment the records are in (PartResult). */
export interface SeqEvents {
  from: number;
  at: StopInfo;
  names: string[];
  i32: Int32Array;
  rets: Float64Array;
  count: number;
}

const enum EventFlag {
  Exit = 1,
  CloneThread = 2,
  /** A return value follows in `rets`; without it the record's `ret` is null. */
  HasRet = 4,
}

/** Records a chunk of events holds (~100 KB). Small, as this thread replays a chunk before it
 *  passes on the sequences that completed: with 65,536 a chunk, the sequences completing in a
 *  burst grew its heap by ~20 MB (peak RSS 120-128 MB against 98-102 with 8,192, same speed). */
const CHUNK_EVENTS = 1 << 13;

/** Whether a SequenceBuilder reads this call's return value: the pid a fork or clone made
 *  (createsProcess), and execve's 0 (splitExec). Any other call's is left out (12 bytes a record
 *  instead of 20). */
const returnRead = (name: string): boolean => name === "execve" || createsProcess(name);

/** A part's events, made from rows (straight from their memory) and full records alike, sent a
 *  chunk at a time. */
class EventStream {
  private readonly ids = new Map<string, number>();
  private fresh: string[] = [];
  private i32 = new Int32Array(3 * CHUNK_EVENTS);
  private rets: number[] = [];
  private count = 0;
  private from = 0;
  private at: StopInfo | undefined;
  private sentOfSegment = false;
  /** Row name id -> event name index << 1 | whether its return is read, for the rows' current
   *  source (one RowParser's names). */
  private source: object | undefined;
  private rowNames: number[] = [];

  constructor(private readonly send: (events: SeqEvents) => void) {}

  /** A new segment starts: what the last one made is sent. */
  segment(from: number, at: StopInfo): void {
    this.flush();
    this.from = from;
    this.at = at;
    this.sentOfSegment = false;
  }

  onRows(b: RowBatch): void {
    if (b.source !== this.source) {
      this.source = b.source;
      this.rowNames = [];
    }
    for (let r = 0; r < b.count; r++) {
      const at = r * ROW_I32;
      const flags = b.i32[at]!;
      const kind = flags & RowFlag.KindMask;
      const pid = b.i32[at + (RowField.Pid >>> 2)]!;
      const line = b.i32[at + (RowField.Line >>> 2)]!;
      if (kind === RowKind.Exit) this.add(0, EventFlag.Exit, pid, line, null);
      else if (kind === RowKind.Syscall && !(flags & RowFlag.Resumed)) {
        const id = b.i32[at + (RowField.Name >>> 2)]!;
        let name = this.rowNames[id];
        if (name === undefined) {
          const text = id < 0 ? "" : b.names[id]!;
          name = this.rowNames[id] = (this.nameIndex(text) << 1) | (returnRead(text) ? 1 : 0);
        }
        this.add(name >>> 1, flags & RowFlag.CloneThread ? EventFlag.CloneThread : 0, pid, line, name & 1 ? rowRet(b, r) : null);
      }
    }
  }

  onRecord(rec: TraceRecord | RowRecord): void {
    const pid = rec.pid ?? -1;
    if (rec.type === "exit") this.add(0, EventFlag.Exit, pid, rec.line, null);
    else if (rec.type === "syscall" && !rec.resumed) {
      // (the full reading reads arguments of the clone family only: argsFor)
      const thread = rec.args.some(hasCloneThread);
      // (a decimal string beyond 2^53 goes as none: what the builder reads is a pid or execve's 0)
      const ret = returnRead(rec.name) && typeof rec.ret === "number" ? rec.ret : null;
      this.add(this.nameIndex(rec.name), thread ? EventFlag.CloneThread : 0, pid, rec.line, ret);
    }
  }

  /** Sends the events not yet sent (the part's end, or a segment's): at least one chunk a segment,
   *  empty or not, so the first thread learns where the segment it meets the part at starts. */
  flush(): void {
    if (!this.at || (this.count === 0 && this.sentOfSegment)) return;
    this.send({
      from: this.from,
      at: this.at,
      names: this.fresh,
      i32: this.i32.slice(0, 3 * this.count),
      rets: Float64Array.from(this.rets),
      count: this.count,
    });
    this.fresh = [];
    this.rets = [];
    this.count = 0;
    this.sentOfSegment = true;
  }

  private nameIndex(name: string): number {
    let i = this.ids.get(name);
    if (i === undefined) {
      i = this.ids.size;
      this.ids.set(name, i);
      this.fresh.push(name);
    }
    return i;
  }

  private add(name: number, bits: number, pid: number, line: number, ret: number | null): void {
    const at = 3 * this.count++;
    if (ret !== null) {
      bits |= EventFlag.HasRet;
      this.rets.push(ret);
    }
    this.i32[at] = (name << 3) | bits;
    this.i32[at + 1] = pid;
    this.i32[at + 2] = line;
    if (this.count === CHUNK_EVENTS) this.flush();
  }
}

/** Where a chunk of events is in the part's file (PartJob.out), sent instead of the chunk. */
export interface SpilledEvents {
  offset: number;
  length: number;
}

/** Reads a part, sending its events to `onData` as it goes (in whichever thread runs it): with
 *  `job.out`, each chunk written there and only where it is sent. The result holds the segments'
 *  bounds only. */
export async function seqPart(
  job: PartJob,
  onCut: (cut: number, state: CutState) => void,
  onData: (events: SeqEvents | SpilledEvents) => void,
): Promise<PartResult<null>> {
  const fd = job.out === undefined ? undefined : openSync(job.out, "w");
  let offset = 0;
  const send = (ev: SeqEvents): void => {
    if (fd === undefined) return onData(ev);
    const bytes = serialize(ev);
    writeSync(fd, bytes);
    onData({ offset, length: bytes.length });
    offset += bytes.length;
  };
  try {
    const stream = new EventStream(send);
    const result = await readPart(job, onCut, (from, at) => {
      stream.segment(from, at);
      return { onRows: (b) => stream.onRows(b), onRecord: (r) => stream.onRecord(r), state: () => null };
    });
    stream.flush();
    return result;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Feeds `push` the records of `ev`, as one reused lean record, names from `names` (all the part's
 *  so far), lines moved by `lineShift` (the lines before the part's start). */
export function replayEvents(ev: SeqEvents, names: readonly string[], lineShift: number, push: (rec: TraceRecord) => void): void {
  const rec = blankRowRecord();
  let ret = 0;
  for (let e = 0; e < ev.count; e++) {
    const head = ev.i32[3 * e]!;
    const pid = ev.i32[3 * e + 1]!;
    rec.type = head & EventFlag.Exit ? "exit" : "syscall";
    rec.pid = pid < 0 ? null : pid;
    rec.name = head & EventFlag.Exit ? "" : names[head >>> 3]!;
    rec.ret = head & EventFlag.HasRet ? ev.rets[ret++]! : null;
    rec.line = ev.i32[3 * e + 2]! + lineShift;
    rec.args = head & EventFlag.CloneThread ? THREAD_ARGS : NO_ARGS;
    push(rec as unknown as TraceRecord);
  }
}

/** The second part's events, or where they are in its file, kept as they come until this
 *  process's reading is done; `ended` once the part ended (true) or failed (false). */
export class PartEvents {
  /** The chunks in the order they came (take() clears each). */
  readonly chunks: (SeqEvents | SpilledEvents)[] = [];
  private wake: (() => void) | undefined;
  private fd: number | undefined;
  /** Undefined while the part runs. */
  ended: boolean | undefined;

  /** `file`: the part's file of events (PartJob.out), read back as its chunks are taken. */
  constructor(private readonly file?: string) {}

  /** A chunk came (PartRunner's onData). */
  add(ev: SeqEvents | SpilledEvents): void {
    this.chunks.push(ev);
    this.wake?.();
  }

  /** The part ended, or failed. */
  end(ok: boolean): void {
    this.ended = ok;
    this.wake?.();
  }

  /** Resolves when a chunk comes or the part ends. */
  next(): Promise<void> {
    return new Promise((r) => (this.wake = r));
  }

  /** Chunk `i`, read back from the part's file if it was written there; it is let go here. */
  take(i: number): SeqEvents {
    const c = this.chunks[i]!;
    this.chunks[i] = undefined as unknown as SeqEvents;
    if (!("length" in c)) return c;
    this.fd ??= openSync(this.file!, "r");
    const bytes = Buffer.allocUnsafe(c.length);
    if (readSync(this.fd, bytes, 0, c.length, c.offset) !== c.length) throw new Error(`the second part's events in ${this.file} are cut short`);
    return deserialize(bytes) as SeqEvents;
  }

  /** Lets go of the part's file. */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** After this thread's reading of a split file: the records from where it met the second part to
 *  the end, from the part's events as they come, or, if the part failed, read here from that
 *  cut past the events already taken in (nothing when the readings did not meet: this one went
 *  to the end). Pauses after each chunk. */
export async function* restOfSplit(
  file: string,
  split: Meeting,
  events: PartEvents,
  engine: EngineName | undefined,
  argsFor: (name: string) => boolean,
  push: (rec: TraceRecord) => void,
): AsyncGenerator<void> {
  const met = split.met();
  void split.result().then((r) => events.end(r !== undefined));
  if (met === undefined) return;
  const names: string[] = [];
  let taken = 0;
  // lines are counted from each reading's start: the part's are moved past the lines before it
  let lineShift: number | undefined;
  for (let i = 0; ;) {
    if (i === events.chunks.length) {
      if (events.ended !== undefined) break;
      await events.next();
      continue;
    }
    const ev = events.take(i++);
    for (const n of ev.names) names.push(n);
    if (ev.from < met.cut) continue;
    // (the first chunk from here on is of the segment that starts at the cut: every segment sends one)
    lineShift ??= met.at.lines - ev.at.lines;
    replayEvents(ev, names, lineShift, push);
    taken += ev.count;
    yield;
  }
  if (events.ended) return;
  // (the records after the cut a reading from there gives are the part's, in the same order: those
  // already taken in are passed over)
  let skip = taken;
  const rest = (rec: TraceRecord | RowRecord) => {
    if (skip > 0 && (rec.type === "exit" || (rec.type === "syscall" && !rec.resumed))) {
      skip--;
      return;
    }
    rec.line += met.at.lines;
    push(rec as TraceRecord);
  };
  yield* countChunks(file, { engine, argsFor, start: met.cut }, rest);
}
