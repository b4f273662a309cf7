// JSON Lines of one input the fast way: the core writes each record's JSON with its record row
// (src/core/rows/json.ts), and where the rows stop, the full reading's records are written as
// usual (rows-over.ts), so the bytes are those of `parse` either way. No Node API here: jsonl-fast.ts
// gives it a file and Node's buffers, the browser page a File's stream (src/browser.ts).

import type { EngineName } from "./core.js";
import { rowsFirstOver, type RowsFirstOptions, type RowsInput, type StopInfo } from "./rows-over.js";
import type { CoreEngine } from "../engine/core-engine.js";
import type { Arch } from "../knowledge/index.js";
import { SCHEMA_ID, type TraceRecord } from "../model/record.js";
import type { QuietPoint } from "../model/row-parser.js";
import type { ParseCounts } from "../parser.js";

const encoder = new TextEncoder();
const STAMP = encoder.encode(`,"schema":${JSON.stringify(SCHEMA_ID)}`);
const ignoreRow = (): void => undefined;

/** The full reading's records as JSON Lines (io/jsonl.ts JsonlWriter in Node): take() hands out
 *  what was added since the last take, in bytes of their own. */
export interface RecordLines {
  add(rec: TraceRecord): void;
  take(): Uint8Array;
  readonly length: number;
}

/** How buffers are made: Node's uninitialised Buffers, or plain Uint8Arrays in a browser. */
export interface ByteBuffers {
  alloc(bytes: number): Uint8Array;
  /** A view of all of `buffer` (a buffer handed out whole, handed back to be filled again). */
  whole(buffer: ArrayBufferLike): Uint8Array;
}

/** What jsonlOver (and jsonlChunks) read and write. */
export interface JsonlOptions {
  engine?: EngineName;
  /** An engine to reuse from one input to the next. */
  coreEngine?: CoreEngine;
  arch?: Arch;
  /** Every record names its file (ParserOptions.tagFile). */
  tagFile?: boolean;
  /** Whether to write a record of the full reading (diagnostics can be capped); default all. */
  keep?: (r: TraceRecord) => boolean;
  onPath?: (path: "rows" | "full", from: QuietPoint) => void;
  maxReplayBytes?: number;
  /** Told each chunk's size as it is read (progress). */
  onBytes?: (n: number) => void;
  /** The caller is done with each buffer handed out by the time it asks for the one after the
   *  next (its write may run while the next buffer is made, and is awaited before asking again):
   *  the buffers are then reused, where fresh ones cost the kernel's page faults on every new
   *  2 MiB (~15 % of `parse`'s CPU time). */
  reuseBuffers?: boolean;
  /** Told where the full reading handed back to the core's rows (rows-first.ts). */
  onHandBack?: (at: { offset: number; line: number }) => void;
  /** See RowsFirstOptions.handBackLines. */
  handBackLines?: number;
  /** The stitcher's hold-back cap (StitchOptions.maxHeld), for the rows and the full reading alike
   *  (small in tests). */
  maxHeld?: number;
  /** A part of a plain file (split-jsonl.ts): see RowsFirstOptions. */
  start?: number;
  startLine?: number;
  stamped?: boolean;
  stops?: RowsFirstOptions["stops"];
  /** As RowsFirstOptions.onStop, also told how many bytes of JSON Lines this reading has made
   *  before the stop (handed out or not yet). */
  onStop?: (stop: number, at: StopInfo, jsonBytes: number) => boolean | Promise<boolean>;
}

/** The JSON Lines of `input`, merged as `parse` merges, a buffer after each chunk read; returns
 *  the parse's counts. */
export async function* jsonlOver(input: RowsInput, opts: JsonlOptions, out: RecordLines, buffers: ByteBuffers): AsyncGenerator<Uint8Array, ParseCounts> {
  // the core's lines are copied out of its memory once, into large buffers handed out whole
  const lines = new Gathered(buffers);
  const arch = opts.arch ?? "x86_64";
  const fileKey = opts.tagFile ? encoder.encode(`,"file":${JSON.stringify(input.name)}`) : undefined;
  const keep = opts.keep;
  const onStop = opts.onStop;
  let handedOut = 0;
  const it = rowsFirstOver(
    input,
    {
      engine: opts.engine,
      coreEngine: opts.coreEngine,
      rows: { json: { arch, stamp: STAMP, fileKey, onJson: (bytes) => lines.add(bytes) }, maxHeld: opts.maxHeld },
      full: { arch, argsJson: true, tagFile: opts.tagFile, maxHeld: opts.maxHeld },
      onPath: opts.onPath,
      maxReplayBytes: opts.maxReplayBytes,
      onBytes: opts.onBytes,
      onHandBack: opts.onHandBack,
      handBackLines: opts.handBackLines,
      start: opts.start,
      startLine: opts.startLine,
      stamped: opts.stamped,
      stops: opts.stops,
      onStop: onStop && ((stop, at) => onStop(stop, at, handedOut + lines.pending + out.length)),
    },
    ignoreRow,
    (r) => {
      if (keep === undefined || keep(r)) out.add(r);
    },
  );
  // the buffer handed out before the latest: reused once the caller asks for the next one
  let previous: Uint8Array | undefined;
  let step = await it.next();
  for (;;) {
    // (the rows' lines so far come before the full reading's records of the same step)
    for (const b of lines.take(step.done === true || out.length > 0)) {
      handedOut += b.length;
      yield b;
      if (opts.reuseBuffers) {
        if (previous) lines.release(previous);
        previous = b;
      }
    }
    if (out.length > 0) {
      const b = out.take();
      handedOut += b.length;
      yield b;
    }
    if (step.done) return step.value;
    step = await it.next();
  }
}

/** Buffers handed out at least this large (but the first few and the last), so a writer gets few
 *  large writes. */
const GATHER_BYTES = 2 << 20;
/** The first buffer's size; each next one doubles up to GATHER_BYTES, so a small input (a `-ff`
 *  folder's member: convert reads thousands in turn) does not allocate 2 MiB. */
const FIRST_GATHER_BYTES = 64 << 10;

/** Bytes copied out of the core's memory into buffers of GATHER_BYTES, each handed out once full:
 *  one copy, instead of a buffer per batch joined again by the writer. */
class Gathered {
  private buf: Uint8Array;
  private fill = 0;
  private full: Uint8Array[] = [];
  /** Buffers of GATHER_BYTES handed back (release), to fill again. */
  private free: Uint8Array[] = [];
  /** Bytes added and not yet taken. */
  pending = 0;

  constructor(private readonly buffers: ByteBuffers) {
    this.buf = buffers.alloc(FIRST_GATHER_BYTES);
  }

  add(bytes: Uint8Array): void {
    if (this.fill + bytes.length > this.buf.length) {
      if (this.fill > 0) this.full.push(this.buf.subarray(0, this.fill));
      this.buf = this.fresh(Math.max(Math.min(GATHER_BYTES, this.buf.length * 2), bytes.length));
      this.fill = 0;
    }
    this.buf.set(bytes, this.fill);
    this.fill += bytes.length;
    this.pending += bytes.length;
  }

  /** The full buffers, and with `all` the one being filled too (it is not written to again). */
  take(all: boolean): Uint8Array[] {
    const out = this.full;
    this.full = [];
    for (const b of out) this.pending -= b.length;
    if (all && this.fill > 0) {
      out.push(this.buf.subarray(0, this.fill));
      this.pending -= this.fill;
      this.buf = this.fresh(Math.min(GATHER_BYTES, this.buf.length * 2));
      this.fill = 0;
    }
    return out;
  }

  /** A buffer take() handed out, which its taker no longer reads. */
  release(b: Uint8Array): void {
    // (each buffer of GATHER_BYTES is its own ArrayBuffer: Node pools only those below 4 KiB)
    if (b.byteOffset === 0 && b.buffer.byteLength === GATHER_BYTES && this.free.length < MAX_FREE) this.free.push(this.buffers.whole(b.buffer));
  }

  private fresh(bytes: number): Uint8Array {
    return (bytes === GATHER_BYTES && this.free.pop()) || this.buffers.alloc(bytes);
  }
}

/** Released buffers kept: two are handed out at a time (one being written, the latest), and one
 *  is being filled. */
const MAX_FREE = 3;
