// `stats` on two cores. For one large plain file, this process counts from the start, and a
// second one (split-worker.ts) counts from a little past half-way, cutting its counts into
// segments at a few line starts past that point ("cuts") where its reading is quiet. This
// process stops at the first cut where its reading is quiet too (nothing pending or held: the
// boundaries the rows hand over at, so a reading that starts there gives exactly the records
// that follow), with an owner for later -k frames in both readings or in neither; the second
// part's segments from that cut on are merged in (TraceStats.merge: integer sums, names in
// first-seen order, so the result is what one reading gives). A trace with no such cut (a call
// pending across all of them) is read on here to its end, as without a split; if the second
// part fails, the rest is read here from the cut. A list of files is shared at a file boundary
// instead (countFilesSplit).

import { fork } from "node:child_process";
import { open, stat } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { EngineName } from "./core.js";
import { addCounts, countFile, countStats } from "./counting.js";
import type { StopInfo } from "./rows-first.js";
import type { ParseCounts } from "../parser.js";
import type { TraceRecord } from "../model/record.js";
import { TraceStats, type StatsState } from "../model/stats.js";

/** Inputs smaller than this are counted in one part: a second process costs ~0.2 s to start,
 *  about what it saves on 50 MB (measured: the same wall time either way). */
export const SPLIT_MIN_BYTES = 64 << 20;

/** The share of the file this process counts: a little over half, as the second process starts
 *  ~0.2 s later (Node, the modules and the WASM module compiled again). */
const FIRST_SHARE = 0.55;

/** Distances past FIRST_SHARE of the file where cuts are placed: close ones for traces that are
 *  often quiet, farther ones for traces with calls pending for a while. */
const CUT_DISTANCES = [0, 64 << 10, 256 << 10, 1 << 20, 4 << 20, 16 << 20];

/** What the second part counts: `file` from `start` on, cut at `cuts`; or, with `files`, those
 *  whole files in order (the later files of a list). */
export interface PartJob {
  file: string;
  files?: string[];
  engine?: EngineName;
  arch?: "x86_64" | "i386" | "x32" | "arm64";
  start: number;
  cuts: number[];
}

/** The second part's counts: a segment from each cut where it was quiet (the first from
 *  `start`), what it had counted when it reached each of those cuts, and its totals. */
export interface PartResult {
  segments: { from: number; at: StopInfo; stats: StatsState }[];
  counts: ParseCounts;
  /** The second process's own CPU seconds and peak resident set (split-worker.ts sets them). */
  usage?: PartUsage;
}

/** What a second process used. */
export interface PartUsage {
  cpuSecs: number;
  maxRssKB: number;
}

/** The usage of every second process that finished in this process so far (for bench/e2e.mjs,
 *  which measures a whole `stats` run: its own resource usage does not include a child's). */
export const partUsage: PartUsage[] = [];

/** How a reading stood at a cut: quiet, and whether with an owner for -k frames (StopInfo). */
export interface CutState {
  quiet: boolean;
  owner: boolean;
}

/** Runs a part; `onCut` is told, as the part passes each cut, how it stood there. An aborted
 *  `signal` means its result is no longer wanted. */
export type PartRunner = (job: PartJob, onCut: (cut: number, state: CutState) => void, signal: AbortSignal) => Promise<PartResult>;

/** Counts a part (in whichever process runs it). */
export async function countPart(job: PartJob, onCut: (cut: number, state: CutState) => void): Promise<PartResult> {
  const segments: PartResult["segments"] = [];
  const zero: StopInfo = { quiet: true, owner: false, lines: 0, records: 0, diagnostics: 0 };
  let from = job.start;
  let at = zero;
  let stats = new TraceStats();
  if (job.files) {
    const counts = await countFiles(job.files, stats, job);
    return { segments: [{ from: 0, at: zero, stats: stats.state() }], counts };
  }
  const onStop = (cut: number, info: StopInfo): boolean => {
    onCut(cut, { quiet: info.quiet, owner: info.owner });
    if (info.quiet) {
      segments.push({ from, at, stats: stats.state() });
      from = cut;
      at = info;
      stats = new TraceStats();
    }
    return false;
  };
  // (`stats` is replaced at each quiet cut: the sinks read the variable, not one object)
  const counts = await countFile(
    job.file,
    { engine: job.engine, arch: job.arch, start: job.start, stops: job.cuts, onStop, onRows: (b) => stats.addRows(b) },
    (r) => stats.add(r as TraceRecord),
  );
  segments.push({ from, at, stats: stats.state() });
  return { segments, counts };
}

/** The second part in a child process (split-worker.ts). */
export const forkedPart: PartRunner = (job, onCut, signal) =>
  new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL("./split-worker.js", import.meta.url)), [], {
      serialization: "advanced",
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let settled = false;
    child.on("message", (m: SplitMessage) => {
      if (m.type === "cut") onCut(m.cut, m.state);
      else {
        settled = true;
        child.disconnect();
        if (m.type === "done") {
          if (m.result.usage) partUsage.push(m.result.usage);
          resolve(m.result);
        } else reject(new Error(m.message));
      }
    });
    child.on("error", (e) => {
      if (!settled) reject(e);
    });
    child.on("exit", (code, signal) => {
      if (!settled) reject(new Error(`the second part's process ended (${signal ?? code})`));
    });
    child.send(job);
    signal.addEventListener("abort", () => {
      if (settled) return;
      settled = true;
      child.kill("SIGKILL");
      reject(new Error("not wanted"));
    });
  });

/** Messages of split-worker.ts. */
export type SplitMessage = { type: "cut"; cut: number; state: CutState } | { type: "done"; result: PartResult } | { type: "error"; message: string };

/** How countSplit reads; `share`, `distances`, `cuts` and `runPart` are for tests (where the
 *  cuts go, and the second part counted in this process). */
export interface SplitOptions {
  engine?: EngineName;
  arch?: PartJob["arch"];
  minBytes?: number;
  share?: number;
  distances?: readonly number[];
  /** The cuts themselves (line starts, increasing), instead of share and distances. */
  cuts?: number[];
  runPart?: PartRunner;
  /** Told the cut where the parts met, or undefined when this process read the file to its end. */
  onMeet?: (cut: number | undefined) => void;
}

/** Counts `file` into `stats` in two parts when it is a plain file of at least `minBytes`;
 *  undefined (nothing counted) when it is not one. */
export async function countSplit(file: string, stats: TraceStats, opts: SplitOptions): Promise<ParseCounts | undefined> {
  if (file === "-" || file.endsWith(".gz")) return undefined;
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile() || info.size < (opts.minBytes ?? SPLIT_MIN_BYTES)) return undefined;
  const cuts = opts.cuts ?? (await placeCuts(file, info.size, opts.share ?? FIRST_SHARE, opts.distances ?? CUT_DISTANCES));
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
  const job: PartJob = { file, engine: opts.engine, arch: opts.arch, start: cuts[0]!, cuts: cuts.slice(1) };
  const unwanted = new AbortController();
  const part = (opts.runPart ?? forkedPart)(job, onCut, unwanted.signal);
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
  let met: number | undefined;
  const onStop = async (cut: number, at: StopInfo): Promise<boolean> => {
    if (!at.quiet || met !== undefined) return false;
    const theirs = cut === cuts[0] ? { quiet: true, owner: false } : await known(cut);
    if (!theirs.quiet || theirs.owner !== at.owner) return false;
    met = cut;
    return true;
  };
  let here: ParseCounts;
  try {
    here = await countStats(file, stats, { engine: opts.engine, arch: opts.arch, stops: cuts, onStop });
  } catch (e) {
    // (an input error here ends the run: the part is not waited for)
    unwanted.abort();
    throw e;
  }
  opts.onMeet?.(met);
  if (met === undefined) {
    unwanted.abort();
    await part.catch(() => undefined);
    return here;
  }
  const result = await part.catch(() => undefined);
  const first = result?.segments.findIndex((s) => s.from === met) ?? -1;
  if (!result || first < 0) {
    const rest = await countStats(file, stats, { engine: opts.engine, arch: opts.arch, start: met });
    return { lines: here.lines + rest.lines, records: here.records + rest.records, diagnostics: here.diagnostics + rest.diagnostics, bytes: rest.bytes };
  }
  const segs = result.segments.slice(first);
  for (const s of segs) stats.merge(s.stats);
  const before = segs[0]!.at;
  const c = result.counts;
  return {
    lines: here.lines + c.lines - before.lines,
    records: here.records + c.records - before.records,
    diagnostics: here.diagnostics + c.diagnostics - before.diagnostics,
    bytes: c.bytes,
  };
}

/** Counts whole files in order into `stats`; the summed counts. */
async function countFiles(files: readonly string[], stats: TraceStats, opts: { engine?: EngineName; arch?: PartJob["arch"] }): Promise<ParseCounts> {
  const sum: ParseCounts = { lines: 0, records: 0, diagnostics: 0, bytes: 0 };
  for (const f of files) addCounts(sum, await countStats(f, stats, opts));
  return sum;
}

/** Counts a list of files into `stats` on two cores: the first files (about FIRST_SHARE of the
 *  bytes) here, the rest in a second process, whose counts are merged after these (whole files
 *  on each side, so no cut is needed, and compressed files split as well as plain ones).
 *  Undefined (nothing counted) for fewer than two files, under `minBytes` in all, stdin among
 *  them, or one file holding more than half the bytes (countSplit does better with it). */
export async function countFilesSplit(files: string[], stats: TraceStats, opts: SplitOptions): Promise<ParseCounts | undefined> {
  if (files.length < 2 || files.includes("-")) return undefined;
  const sizes = await Promise.all(
    files.map((f) =>
      stat(f).then(
        (s) => (s.isFile() ? s.size : NaN),
        () => NaN,
      ),
    ),
  );
  const total = sizes.reduce((a, b) => a + b, 0);
  // (NaN: a file that is not there or not a file: one reading reports it)
  if (!(total >= (opts.minBytes ?? SPLIT_MIN_BYTES)) || Math.max(...sizes) * 2 > total) return undefined;
  // the first k files: those whose bytes come closest to the share counted here
  const want = total * (opts.share ?? FIRST_SHARE);
  let k = 1;
  let best = Infinity;
  for (let i = 1, here = sizes[0]!; i < files.length; here += sizes[i++]!) {
    if (Math.abs(here - want) < best) {
      best = Math.abs(here - want);
      k = i;
    }
  }
  const unwanted = new AbortController();
  const part = (opts.runPart ?? forkedPart)(
    { file: files[k]!, files: files.slice(k), engine: opts.engine, arch: opts.arch, start: 0, cuts: [] },
    () => undefined,
    unwanted.signal,
  );
  let here: ParseCounts;
  try {
    here = await countFiles(files.slice(0, k), stats, opts);
  } catch (e) {
    unwanted.abort();
    throw e;
  }
  const result = await part.catch(() => undefined);
  // (the second process failed: its files are read here, where an input error is reported)
  const rest = result ? result.counts : await countFiles(files.slice(k), stats, opts);
  if (result) stats.merge(result.segments[0]!.stats);
  return addCounts(here, rest);
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
