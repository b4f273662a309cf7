// One large plain file read on two cores: the machinery `stats` (split-stats.ts), the sequence
// commands (split-seq.ts) and JSON Lines (split-jsonl.ts) share. This thread reads from the start;
// a worker thread (split-worker.ts) reads from a little past a share of the file, cutting what it
// makes into segments at a few line starts past that point ("cuts") where its reading is quiet.
// This thread stops at the first cut where its reading is quiet too (nothing pending or held: the
// boundaries the rows hand over at, so a reading that starts there gives exactly the records that
// follow), with an owner for later -k frames in both readings or in neither; the second part's
// segments from that cut on are then taken in after this thread's records. A trace with no such
// cut (a call pending across all of them) is read on here to its end, as without a split.
//
// A thread rather than a process (as before): the two share one Node runtime and its loaded code,
// so a split run's peak RSS is ~60 MB less than two processes' added (315 MB: `stats` 162 -> 113,
// `parse -j 2` 227 -> 171 MB), and the part starts sooner.

import { rmSync } from "node:fs";
import { mkdtemp, open, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EngineName } from "./core.js";
import { countFile } from "./counting.js";
import type { StopInfo } from "./rows-first.js";
import type { ParseCounts } from "../parser.js";
import type { RowBatch, RowRecord } from "../model/row-parser.js";
import type { TraceRecord } from "../model/record.js";
import { keepPartThread, SPLIT_MIN_BYTES, takePartThread } from "./part-thread.js";

export { dropSpareThread, SPARE_IDLE_MS, spareThreadId, SPLIT_MIN_BYTES, startPartThreadEarly } from "./part-thread.js";

/** Distances past the share where cuts are placed: close ones for traces that are often quiet,
 *  farther ones for traces with calls pending for a while. */
export const CUT_DISTANCES = [0, 64 << 10, 256 << 10, 1 << 20, 4 << 20, 16 << 20];

/** What the second part makes (`stats`' counts, the sequences' events or JSON Lines) of `file`
 *  from `start` on, cut at `cuts`; or, with `files`, of those whole files in order (the later
 *  files of a list). */
export interface PartJob {
  want: "stats" | "seq" | "jsonl";
  file: string;
  files?: string[];
  engine?: EngineName;
  arch?: "x86_64" | "i386" | "x32" | "arm64";
  /** The calls whose arguments the full reading reads (CountOptions.argsFor, as names). */
  argsFor?: string[];
  start: number;
  cuts: number[];
  /** The file the part writes what it makes to (JSON Lines, or the sequences' events, which it
   *  then only says where they are), and with JSON whether every record names its input. */
  out?: string;
  tagFile?: boolean;
  /** Another split may follow in this run: the part's thread, once done, is kept for it. */
  keepThread?: boolean;
}

/** What the second part made from each cut where it was quiet (the first from `start`), how its
 *  reading stood at that cut, and its totals. */
export interface PartResult<S = unknown> {
  segments: { from: number; at: StopInfo; state: S }[];
  counts: ParseCounts;
}

/** How a reading stood at a cut: quiet, and whether with an owner for -k frames (StopInfo). */
export interface CutState {
  quiet: boolean;
  owner: boolean;
}

/** Runs a part; `onCut` is told, as the part passes each cut, how it stood there, and `onData`
 *  what the part sends as it goes (split-seq.ts's events). An aborted `signal` means its result
 *  is no longer wanted. */
export type PartRunner = (
  job: PartJob,
  onCut: (cut: number, state: CutState) => void,
  signal: AbortSignal,
  onData?: (data: unknown) => void,
) => Promise<PartResult>;

/** What a part makes of one segment's records: rows a batch at a time, the full reading's
 *  records one by one, and at the segment's end what goes into the result. */
export interface SegmentSink<S> {
  onRows(b: RowBatch): void;
  onRecord(r: TraceRecord | RowRecord): void;
  state(): S;
}

/** Reads a part of `job.file` (in whichever process runs it) into a new sink per segment, made
 *  knowing where the segment starts and how the reading stood there. */
export async function readPart<S>(
  job: PartJob,
  onCut: (cut: number, state: CutState) => void,
  sink: (from: number, at: StopInfo) => SegmentSink<S>,
): Promise<PartResult<S>> {
  const segments: PartResult<S>["segments"] = [];
  const zero: StopInfo = { quiet: true, offset: job.start, owner: false, lines: 0, records: 0, diagnostics: 0 };
  let from = job.start;
  let at = zero;
  let current = sink(from, at);
  const onStop = (cut: number, info: StopInfo): boolean => {
    onCut(cut, { quiet: info.quiet, owner: info.owner });
    if (info.quiet) {
      segments.push({ from, at, state: current.state() });
      from = cut;
      at = info;
      current = sink(from, at);
    }
    return false;
  };
  const argsFor = job.argsFor ? new Set(job.argsFor) : undefined;
  // (`current` is replaced at each quiet cut: the callbacks read the variable, not one object)
  const counts = await countFile(
    job.file,
    {
      engine: job.engine,
      arch: job.arch,
      argsFor: argsFor && ((name) => argsFor.has(name)),
      start: job.start,
      stops: job.cuts,
      onStop,
      onRows: (b) => current.onRows(b),
    },
    (r) => current.onRecord(r),
  );
  segments.push({ from, at, state: current.state() });
  return { segments, counts };
}

/** The second part in a worker thread (split-worker.ts): the thread a part that ended left, if
 *  any, else a new one. */
export const threadPart: PartRunner = (job, onCut, signal, onData) =>
  new Promise((resolve, reject) => {
    const worker = takePartThread();
    let settled = false;
    const settle = (keep: boolean): void => {
      settled = true;
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
      if (keep) keepPartThread(worker);
      else void worker.terminate();
    };
    const onMessage = (m: SplitMessage): void => {
      if (m.type === "cut") onCut(m.cut, m.state);
      else if (m.type === "data") onData?.(m.data);
      else {
        settle(m.type === "done" && job.keepThread === true);
        if (m.type === "done") resolve(m.result);
        else reject(new Error(m.message));
      }
    };
    const onError = (e: Error): void => {
      if (settled) return;
      settle(false);
      reject(e);
    };
    const onExit = (code: number): void => {
      if (!settled) reject(new Error(`the second part's thread ended (${code})`));
    };
    worker.on("message", onMessage);
    worker.on("error", onError);
    worker.on("exit", onExit);
    try {
      worker.postMessage(job);
    } catch (e) {
      // (a job that cannot be sent: the thread, waiting for it, would keep the process alive)
      settle(false);
      reject(e as Error);
      return;
    }
    signal.addEventListener("abort", () => {
      if (settled) return;
      settle(false);
      reject(new Error("not wanted"));
    });
  });

/** Messages of split-worker.ts. */
export type SplitMessage =
  { type: "cut"; cut: number; state: CutState } | { type: "data"; data: unknown } | { type: "done"; result: PartResult } | { type: "error"; message: string };

/** Where the parts of a split go; `share`, `distances`, `cuts` and `runPart` are for tests (where
 *  the cuts go, and the second part run in this thread). */
export interface SplitOptions {
  engine?: EngineName;
  arch?: PartJob["arch"];
  minBytes?: number;
  /** The share of the file this thread reads. */
  share?: number;
  distances?: readonly number[];
  /** The cuts themselves (line starts, increasing), instead of share and distances. */
  cuts?: number[];
  runPart?: PartRunner;
  /** Told the cut where the parts met, or undefined when this thread read the file to its end. */
  onMeet?: (cut: number | undefined) => void;
  /** Another split may follow in this run (a later large file of a list): the part's thread is
   *  then kept for it. Otherwise it ends with its part, so that its heap and its engine's memory
   *  do not stay for the rest of this reading (`parse -j 2` of one file peaked at 151 MB with
   *  the thread kept, 120 without). */
  keepThread?: boolean;
}

/** This thread's side of a split reading, once the second part has started. */
export interface Meeting {
  /** The stops for this thread's reading (RowsFirstOptions.stops and onStop). */
  cuts: number[];
  onStop: (cut: number, at: StopInfo) => Promise<boolean>;
  /** Where this reading stopped to meet the part, and how it stood there (undefined: it did not). */
  met(): { cut: number; at: StopInfo } | undefined;
  /** After this reading: the part's result (undefined when the readings did not meet, or the part
   *  failed), or its result's segments from the meeting cut on. */
  result(): Promise<{ segments: PartResult["segments"]; counts: ParseCounts } | undefined>;
  /** Stops the part (this reading failed). */
  abandon(): void;
}

/** This thread's reading of a split, the part stopped if it fails: an input error here ends the
 *  run, and the part is not waited for. */
export async function meetingReading<T>(split: Meeting, reading: Promise<T>): Promise<T> {
  try {
    return await reading;
  } catch (e) {
    split.abandon();
    throw e;
  }
}

/** meetingReading for a reading that yields as it goes. */
export async function* meetingChunks<T, R>(split: Meeting | undefined, reading: AsyncGenerator<T, R>): AsyncGenerator<T, R> {
  try {
    return yield* reading;
  } catch (e) {
    split?.abandon();
    throw e;
  }
}

/** What a kind of split asks of startSplit: this thread's share of the file, a cap on the part's
 *  bytes, and where the part's data goes as it comes (PartRunner). */
export interface SplitPlan {
  firstShare: number;
  maxPartBytes?: number;
  onData?: (data: unknown) => void;
}

/** Starts the second part of `file` and returns how this thread meets it; undefined (nothing
 *  started) when `file` is not a plain file of at least `minBytes`, or has no line to cut at. */
export async function startSplit(
  file: string,
  job: Omit<PartJob, "start" | "cuts" | "file">,
  opts: SplitOptions,
  plan: SplitPlan,
): Promise<Meeting | undefined> {
  if (file === "-" || file.endsWith(".gz")) return undefined;
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile() || info.size < (opts.minBytes ?? SPLIT_MIN_BYTES)) return undefined;
  const share = Math.max(opts.share ?? plan.firstShare, 1 - (plan.maxPartBytes ?? Infinity) / info.size);
  const cuts = opts.cuts ?? (await placeCuts(file, info.size, share, opts.distances ?? CUT_DISTANCES));
  if (cuts.length === 0) return undefined;
  const NOT_QUIET: CutState = { quiet: false, owner: false };
  const stateAt = new Map<number, CutState>();
  const waiting = new Map<number, (s: CutState) => void>();
  const known = (cut: number) => (stateAt.has(cut) ? Promise.resolve(stateAt.get(cut)!) : new Promise<CutState>((r) => waiting.set(cut, r)));
  const onCut = (cut: number, state: CutState) => {
    stateAt.set(cut, state);
    waiting.get(cut)?.(state);
    waiting.delete(cut);
  };
  const unwanted = new AbortController();
  const part = (opts.runPart ?? threadPart)(
    { ...job, file, start: cuts[0]!, cuts: cuts.slice(1), keepThread: opts.keepThread },
    onCut,
    unwanted.signal,
    plan.onData,
  );
  // (a failed part says no to every cut it has not passed)
  part
    .catch(() => undefined)
    .finally(() => {
      for (const [cut, r] of waiting) r(stateAt.get(cut) ?? NOT_QUIET);
      waiting.clear();
    });
  // Here: from the start, ending at the first cut where both readings are quiet, both with an
  // owner for -k frames or both without (the part, which starts at cuts[0] with nothing before
  // it, is quiet there without one). Frames after the cut then attach, or not, in both alike.
  let met: { cut: number; at: StopInfo } | undefined;
  const onStop = async (cut: number, at: StopInfo): Promise<boolean> => {
    if (!at.quiet || met !== undefined) return false;
    const theirs = cut === cuts[0] ? { quiet: true, owner: false } : await known(cut);
    if (!theirs.quiet || theirs.owner !== at.owner) return false;
    met = { cut, at };
    return true;
  };
  return {
    cuts,
    onStop,
    met: () => met,
    async result() {
      opts.onMeet?.(met?.cut);
      if (met === undefined) {
        unwanted.abort();
        await part.catch(() => undefined);
        return undefined;
      }
      const r = await part.catch(() => undefined);
      const first = r?.segments.findIndex((s) => s.from === met!.cut) ?? -1;
      return r && first >= 0 ? { segments: r.segments.slice(first), counts: r.counts } : undefined;
    },
    abandon: () => unwanted.abort(),
  };
}

/** Whether `file` can be read in two parts: a plain file (not stdin or `.gz`) of at least `min`
 *  bytes (startSplit asks the same; for a caller that must prepare before it). */
export async function splittable(file: string, min = SPLIT_MIN_BYTES): Promise<boolean> {
  if (file === "-" || file.endsWith(".gz")) return false;
  const info = await stat(file).catch(() => undefined);
  return info !== undefined && info.isFile() && info.size >= min;
}

/** A folder of its own in `parent` (default the system's temporary folder) for a part's file,
 *  removed with everything in it by `remove`; undefined if it cannot be made (read-only, gone). */
export async function partFolder(parent?: string): Promise<{ path: string; remove: () => Promise<void> } | undefined> {
  const path = await mkdtemp(join(parent ?? tmpdir(), ".strace-seq-part-")).catch(() => undefined);
  if (path === undefined) return undefined;
  removedAtExit(path);
  return {
    path,
    remove: async () => {
      await rm(path, { recursive: true, force: true });
      foldersLeft.delete(path);
    },
  };
}

/** Part folders not yet removed. A run cut short (`| head` closes the pipe: the CLI exits at
 *  once) removes them on its way out, so none is left behind. */
const foldersLeft = new Set<string>();
let exitHooked = false;

function removedAtExit(path: string): void {
  if (!exitHooked) {
    exitHooked = true;
    process.on("exit", () => {
      for (const p of foldersLeft) rmSync(p, { recursive: true, force: true });
    });
  }
  foldersLeft.add(path);
}

/** Line starts at `distances` past `share` of the file, each at a line that does not
 *  begin with a space or tab (a -k frame or dump line belongs to the line before it). */
export async function placeCuts(file: string, size: number, share: number, distances: readonly number[]): Promise<number[]> {
  const fh = await open(file, "r");
  try {
    const cuts: number[] = [];
    const buf = new Uint8Array(1 << 16);
    for (const d of distances) {
      let pos = Math.max(Math.floor(size * share) + d, cuts.length > 0 ? cuts[cuts.length - 1]! + 1 : 0);
      // the first line start at or after pos - 1's newline whose first byte is not blank
      let found = -1;
      let afterNewline = false;
      if (pos > 0) pos--; // (a line start is the byte after a newline)
      while (found < 0 && pos < size) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
        if (bytesRead === 0) break;
        for (let i = 0; i < bytesRead; i++) {
          const b = buf[i]!;
          if (afterNewline && b !== 0x20 && b !== 0x09 && b !== 0x0a) {
            found = pos + i;
            break;
          }
          afterNewline = b === 0x0a;
        }
        pos += bytesRead;
      }
      if (found < 0) break;
      if (cuts.length === 0 || found > cuts[cuts.length - 1]!) cuts.push(found);
    }
    return cuts;
  } finally {
    await fh.close();
  }
}
