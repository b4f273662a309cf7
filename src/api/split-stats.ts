// `stats` on two cores (split-reading.ts): one large plain file counted from the start here and
// from a little past half-way in a second thread, whose counts from the cut where the parts met
// are merged in (TraceStats.merge: integer sums, names in first-seen order, so the result is what
// one reading gives); if the second part fails, the rest is read here from that cut. A list of
// files is shared at a file boundary instead (countFilesSplit).

import { stat } from "node:fs/promises";
import { mapBounded } from "../io/bounded.js";
import { addCounts, countStats } from "./counting.js";
import type { ParseCounts } from "../parser.js";
import type { TraceRecord } from "../model/record.js";
import { TraceStats, type StatsState } from "../model/stats.js";
import {
  meetingReading,
  threadPart,
  readPart,
  SPLIT_MIN_BYTES,
  startSplit,
  type CutState,
  type PartJob,
  type PartResult,
  type SplitOptions,
} from "./split-reading.js";

export { type PartRunner, type SplitOptions } from "./split-reading.js";

/** The share of the file this thread counts: a little over half, as the second thread starts
 *  ~0.2 s later (Node, the modules and the WASM module compiled again). */
const FIRST_SHARE = 0.55;

/** Counts a part (in whichever thread runs it): segments of `stats` state. */
export async function countPart(job: PartJob, onCut: (cut: number, state: CutState) => void): Promise<PartResult<StatsState>> {
  if (job.files) {
    const stats = new TraceStats();
    const counts = await countFiles(job.files, stats, job);
    return { segments: [{ from: 0, at: { quiet: true, offset: 0, owner: false, lines: 0, records: 0, diagnostics: 0 }, state: stats.state() }], counts };
  }
  return readPart(job, onCut, () => {
    const stats = new TraceStats();
    return { onRows: (b) => stats.addRows(b), onRecord: (r) => stats.add(r as TraceRecord), state: () => stats.state() };
  });
}

/** Counts `file` into `stats` in two parts when it is a plain file of at least `minBytes`;
 *  undefined (nothing counted) when it is not one. */
export async function countSplit(file: string, stats: TraceStats, opts: SplitOptions): Promise<ParseCounts | undefined> {
  const split = await startSplit(file, { want: "stats", engine: opts.engine, arch: opts.arch }, opts, { firstShare: FIRST_SHARE });
  if (!split) return undefined;
  const here = await meetingReading(split, countStats(file, stats, { engine: opts.engine, arch: opts.arch, stops: split.cuts, onStop: split.onStop }));
  const met = split.met();
  const result = await split.result();
  if (met === undefined) return here;
  if (!result) {
    const rest = await countStats(file, stats, { engine: opts.engine, arch: opts.arch, start: met.cut });
    return { lines: here.lines + rest.lines, records: here.records + rest.records, diagnostics: here.diagnostics + rest.diagnostics, bytes: rest.bytes };
  }
  for (const s of result.segments) stats.merge(s.state as StatsState);
  const before = result.segments[0]!.at;
  const c = result.counts;
  return {
    lines: here.lines + c.lines - before.lines,
    records: here.records + c.records - before.records,
    diagnostics: here.diagnostics + c.diagnostics - before.diagnostics,
    bytes: c.bytes,
  };
}

/** Counts whole files in order into `stats`; the summed counts. */
async function countFiles(files: readonly string[], stats: TraceStats, opts: { engine?: PartJob["engine"]; arch?: PartJob["arch"] }): Promise<ParseCounts> {
  const sum: ParseCounts = { lines: 0, records: 0, diagnostics: 0, bytes: 0 };
  for (const f of files) addCounts(sum, await countStats(f, stats, opts));
  return sum;
}

/** Counts a list of files into `stats` on two cores: the first files (about FIRST_SHARE of the
 *  bytes) here, the rest in a second thread, whose counts are merged after these (whole files
 *  on each side, so no cut is needed, and compressed files split as well as plain ones).
 *  Undefined (nothing counted) for fewer than two files, under `minBytes` in all, stdin among
 *  them, or one file holding more than half the bytes (countSplit does better with it). */
export async function countFilesSplit(files: string[], stats: TraceStats, opts: SplitOptions): Promise<ParseCounts | undefined> {
  if (files.length < 2 || files.includes("-")) return undefined;
  const sizes = await mapBounded(files, (f) =>
    stat(f).then(
      (s) => (s.isFile() ? s.size : NaN),
      () => NaN,
    ),
  );
  const total = sizes.reduce((a, b) => a + b, 0);
  // (NaN: a file that is not there or not a file: one reading reports it; a loop, not
  // Math.max(...sizes), which throws past ~100,000 arguments)
  const largest = sizes.reduce((a, b) => (b > a ? b : a), 0);
  if (!(total >= (opts.minBytes ?? SPLIT_MIN_BYTES)) || largest * 2 > total) return undefined;
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
  const part = (opts.runPart ?? threadPart)(
    { want: "stats", file: files[k]!, files: files.slice(k), engine: opts.engine, arch: opts.arch, start: 0, cuts: [] },
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
  // (the second thread failed: its files are read here, where an input error is reported)
  const rest = result ? result.counts : await countFiles(files.slice(k), stats, opts);
  if (result) stats.merge(result.segments[0]!.state as StatsState);
  return addCounts(here, rest);
}
