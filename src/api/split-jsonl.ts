// JSON Lines of one large plain file on two cores (split-reading.ts): `parse`'s fast path. The
// second part writes the JSON Lines of the file's later part to a file of its own, noting where
// each segment (from a quiet cut on) starts in it; this thread writes its own from the start,
// and where the two readings meet it hands out the part's lines from that segment on. With JSON a
// cut is quiet at the start of the line before it (rows-first.ts jsonStop): the call there is
// written by the reading that goes on. A reading
// that starts at a quiet cut writes the same bytes as one that passed it (the rows hand over at
// those boundaries with byte-identical output: test/jsonl-digest.test.ts), given the same line
// numbers and the schema named once; so the part first counts the lines before its start, and
// this thread checks, where they meet, that both count the same lines before the cut.
//
// What it costs: a file of the part's JSON Lines (about 4 bytes per input byte) on disk, beside
// the output when that is a file; the part reads at most JSONL_PART_MAX_BYTES of input.

import { open } from "node:fs/promises";
import { join } from "node:path";
import { writeOverlapped } from "../io/overlapped.js";
import { jsonlChunks, type JsonlOptions } from "./jsonl-fast.js";
import { meetingChunks, partFolder, splittable, startSplit, type CutState, type PartJob, type PartResult, type SplitOptions } from "./split-reading.js";
import type { StopInfo } from "./rows-first.js";
import type { ParseCounts } from "../parser.js";

/** The share of the file this thread reads: about half, as the part starts ~0.2 s later and
 *  first counts the lines before its start, while this thread hands out the part's lines at
 *  the end (a copy of ~4 bytes per input byte). */
export const JSONL_FIRST_SHARE = 0.5;

/** The most input the second part reads: its JSON Lines wait on disk until this thread has
 *  written its own (~1 GB for 256 MiB of input). */
export const JSONL_PART_MAX_BYTES = 256 << 20;

/** Bytes a read of the part's file hands out at a time. */
const COPY_CHUNK = 2 << 20;

/** Where a segment of the part's JSON Lines starts in its file. */
interface SegmentStart {
  offset: number;
}

/** What jsonlSplitChunks reads with: jsonlChunks' options (no `keep`: the part writes every
 *  record), the split's, and where the part's file goes (default the system's temporary folder). */
export interface JsonlSplitOptions extends Omit<JsonlOptions, "keep" | "start" | "startLine" | "stamped" | "stops" | "onStop"> {
  split?: SplitOptions;
  tempDir?: string;
  /** Told, where the readings met, whether the part's lines were handed out (for tests: else the
   *  rest was read here). */
  onPartUsed?: (used: boolean) => void;
}

/** Lines (newline bytes) before `offset` in `file`. */
export async function linesBefore(file: string, offset: number): Promise<number> {
  const fh = await open(file, "r");
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    let lines = 0;
    for (let pos = 0; pos < offset;) {
      const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, offset - pos), pos);
      if (bytesRead === 0) break;
      const b = buf.subarray(0, bytesRead);
      for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) lines++;
      pos += bytesRead;
    }
    return lines;
  } finally {
    await fh.close();
  }
}

/** The part (in whichever thread runs it): the JSON Lines of `job.file` from `job.start` on,
 *  numbered as the whole file's reading numbers them, written to `job.out`, cut into segments
 *  at the quiet cuts. */
export async function jsonlPart(job: PartJob, onCut: (cut: number, state: CutState) => void): Promise<PartResult<SegmentStart>> {
  const startLine = await linesBefore(job.file, job.start);
  const out = await open(job.out!, "w");
  try {
    const segments: PartResult<SegmentStart>["segments"] = [];
    let from = job.start;
    let at: StopInfo = { quiet: true, offset: job.start, owner: false, lines: startLine, records: 0, diagnostics: 0 };
    let offset = 0;
    const onStop = (cut: number, info: StopInfo, jsonBytes: number): boolean => {
      onCut(cut, { quiet: info.quiet, owner: info.owner });
      if (info.quiet) {
        segments.push({ from, at, state: { offset } });
        from = cut;
        at = info;
        offset = jsonBytes;
      }
      return false;
    };
    const chunks = jsonlChunks(job.file, {
      engine: job.engine,
      arch: job.arch,
      tagFile: job.tagFile,
      start: job.start,
      startLine,
      stamped: true,
      stops: job.cuts,
      onStop,
      // (writeOverlapped awaits each write before the buffer after the next is asked for)
      reuseBuffers: true,
    });
    const counts = await writeOverlapped(chunks, (b) => out.write(b));
    segments.push({ from, at, state: { offset } });
    return { segments, counts };
  } finally {
    await out.close();
  }
}

/** jsonlChunks of `file` on two cores when it is a plain file of at least the split's minBytes
 *  (and `jobs` is 2 or more): the same buffers' bytes, the same counts. */
export async function* jsonlSplitChunks(file: string, opts: JsonlSplitOptions & { jobs?: number }): AsyncGenerator<Buffer, ParseCounts> {
  if ((opts.jobs ?? 1) < 2 || !(await splittable(file, opts.split?.minBytes))) return yield* jsonlChunks(file, opts);
  // (a folder that cannot take the part's file, read-only or gone: one thread, as with -j 1)
  const dir = await partFolder(opts.tempDir);
  if (dir === undefined) return yield* jsonlChunks(file, opts);
  try {
    const out = join(dir.path, "part.jsonl");
    const job = { want: "jsonl" as const, engine: opts.engine, arch: opts.arch, tagFile: opts.tagFile, out };
    const split = await startSplit(file, job, { ...opts.split, engine: opts.engine }, { firstShare: JSONL_FIRST_SHARE, maxPartBytes: JSONL_PART_MAX_BYTES });
    if (!split) return yield* jsonlChunks(file, opts);
    // (not at the part's start: JSON rows meet before the line that precedes a cut, which the
    // part reads only from its second cut on)
    const here = yield* meetingChunks(split, jsonlChunks(file, { ...opts, stops: split.cuts.slice(1), onStop: (stop, at) => split.onStop(stop, at) }));
    const met = split.met();
    const result = await split.result();
    if (met === undefined) return here;
    const first = result?.segments[0];
    // (the part counted the lines before its start itself: they must agree where the two meet;
    // and the part's lines never name the schema, so this reading must have written a record)
    const stamped = here.records + here.diagnostics > 0;
    const used = result !== undefined && first !== undefined && first.at.lines === met.at.lines && stamped;
    opts.onPartUsed?.(used);
    if (!used) {
      const rest = yield* jsonlChunks(file, { ...opts, start: met.at.offset, startLine: met.at.lines, stamped });
      return { lines: rest.lines, records: here.records + rest.records, diagnostics: here.diagnostics + rest.diagnostics, bytes: rest.bytes };
    }
    yield* fileChunks(out, (first.state as SegmentStart).offset);
    const c = result.counts;
    return {
      lines: c.lines,
      records: here.records + c.records - first.at.records,
      diagnostics: here.diagnostics + c.diagnostics - first.at.diagnostics,
      bytes: c.bytes,
    };
  } finally {
    await dir.remove();
  }
}

/** The bytes of `file` from `offset` on, a fresh buffer a read (the consumer may keep them). */
async function* fileChunks(file: string, offset: number): AsyncGenerator<Buffer> {
  const fh = await open(file, "r");
  try {
    for (let pos = offset; ;) {
      const buf = Buffer.allocUnsafe(COPY_CHUNK);
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) return;
      pos += bytesRead;
      yield buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
}
