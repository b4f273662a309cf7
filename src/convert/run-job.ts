// Converting one job (file, -ff folder or stdin) to its JSONL output. Runs inside a worker for files
// and folders, on the main thread for stdin (a worker cannot read the process's stdin).

import { formatDiagnostic } from "../model/diagnostics.js";
import type { DiagnosticRecord, TraceRecord } from "../model/record.js";
import { createEngine, type EngineName } from "../api/core.js";
import { jsonlChunks } from "../api/jsonl-fast.js";
import { CoreEngine } from "../engine/core-engine.js";
import { AtomicFile, tempPathFor } from "./atomic.js";
import { mergeByTime, RECORD_TIME } from "./merge.js";
import type { Job } from "./plan.js";
import { RecordSource } from "./source.js";
import { JsonlWriter } from "../io/jsonl.js";
import { READ_CHUNK } from "../io/input.js";
import type { ParseCounts } from "../parser.js";
import { convertMembers, isDiagnosticLine } from "./member-lines.js";

export interface JobOptions {
  engine: EngineName;
  merge: boolean;
  /** Write at most this many diagnostic records per output (all are counted). */
  maxDiagnostics: number;
  /** Output format (default jsonl); parquet outputs get the input's path in their `file` column. */
  format?: "jsonl" | "parquet";
}

export interface JobResult {
  lines: number;
  records: number;
  diagnostics: number;
  bytes: number;
  /** The first few diagnostics, formatted, for --strict's report. */
  firstDiagnostics: string[];
}

/** Per member of a -ff folder: many parsers (and WASM instances sized to the chunk) live at once. */
const FF_CHUNK = 64 << 10;

/** One engine per process and kind for the fast JSON Lines path (it starts afresh per input). */
const engines = new Map<EngineName, Promise<CoreEngine | undefined>>();
function sharedEngine(name: EngineName): Promise<CoreEngine | undefined> {
  let e = engines.get(name);
  if (!e) {
    e = createEngine(name).then((x) => (x instanceof CoreEngine ? x : undefined));
    engines.set(name, e);
  }
  return e;
}

/** Converts one job. `beforeWrite` runs before every write to the output and before it is renamed
 *  into place (a worker stops there once its pool is gone). */
export async function runJob(job: Job, opts: JobOptions, onBytes?: (n: number) => void, beforeWrite?: () => void): Promise<JobResult> {
  const out = new AtomicFile(job.output);
  const result: JobResult = { lines: 0, records: 0, diagnostics: 0, bytes: 0, firstDiagnostics: [] };
  let written = 0;
  const jsonl = new JsonlWriter();
  const parquet = opts.format === "parquet";
  // the sink writes synchronously, so each row group reaches the temp file as it is encoded
  // (loaded only when asked for: the writer's library is slow to load)
  const rows = parquet
    ? new (await import("../io/parquet.js")).ParquetRecordWriter((bytes) => (beforeWrite?.(), out.write(bytes)), { defaultFile: job.input })
    : undefined;
  /** Whether to write a record: at most maxDiagnostics diagnostics (the first few kept for --strict). */
  const keep = (r: TraceRecord): boolean => {
    if (r.type !== "diagnostic") return true;
    if (result.firstDiagnostics.length < 5) result.firstDiagnostics.push(formatDiagnostic(r));
    return written++ < opts.maxDiagnostics;
  };
  const emit = (recs: TraceRecord[]) => {
    if (recs.length === 0) return;
    for (const r of recs) {
      if (!keep(r)) continue;
      if (rows) rows.add(r);
      else jsonl.add(r);
    }
    // One buffer per batch keeps the writer's part list short.
    if (jsonl.length > 0) {
      beforeWrite?.();
      out.write(jsonl.take());
    }
  };
  try {
    if (job.kind === "ff" && !parquet && opts.merge) {
      // JSON Lines the fast way, member by member, then merged by time (member-lines.ts)
      const engine = await sharedEngine(opts.engine);
      const members = job.members.map((m) => m.path);
      const counts = await convertMembers(
        members,
        tempPathFor(job.output, "members"),
        { engine: opts.engine, coreEngine: engine, onBytes },
        (line) => {
          if (!isDiagnosticLine(line)) return true;
          if (result.firstDiagnostics.length < 5)
            result.firstDiagnostics.push(formatDiagnostic(JSON.parse(line.chunk.toString("utf8", line.start, line.end)) as DiagnosticRecord));
          return written++ < opts.maxDiagnostics;
        },
        (bytes) => {
          beforeWrite?.();
          out.write(bytes);
        },
      );
      addCounts(result, counts);
    } else if (job.kind === "ff") {
      // Like `parse DIR`: several files, so every record says which file it came from.
      const sources = job.members.map(
        (m) => new RecordSource(m.path, { engine: opts.engine, merge: opts.merge, tagFile: true, pid: m.pid, chunk: FF_CHUNK, onBytes, argsJson: !parquet }),
      );
      for await (const batch of mergeByTime(sources, RECORD_TIME)) emit(batch);
      for (const s of sources) add(result, s);
    } else if (!parquet && opts.merge) {
      // merged JSON Lines the fast way: the core writes the records it models (api/jsonl-fast.ts)
      const m = job.members[0]!;
      const engine = await sharedEngine(opts.engine);
      const chunks = jsonlChunks(m.path, { engine: opts.engine, coreEngine: engine, keep, onBytes, reuseBuffers: true });
      let step = await chunks.next();
      for (; !step.done; step = await chunks.next()) {
        beforeWrite?.();
        out.writeNow(step.value);
      }
      addCounts(result, step.value);
    } else {
      const m = job.members[0]!;
      const src = new RecordSource(m.path, {
        engine: opts.engine,
        merge: opts.merge,
        tagFile: false,
        pid: m.pid,
        chunk: READ_CHUNK,
        onBytes,
        argsJson: !parquet,
      });
      for (let b = await src.next(); b !== null; b = await src.next()) emit(b);
      add(result, src);
    }
    await rows?.finish();
    beforeWrite?.();
    out.commit();
  } catch (e) {
    out.abort();
    throw e;
  }
  return result;
}

function add(r: JobResult, s: RecordSource): void {
  addCounts(r, s.counts);
}

function addCounts(r: ParseCounts, c: ParseCounts): void {
  r.lines += c.lines;
  r.records += c.records;
  r.diagnostics += c.diagnostics;
  r.bytes += c.bytes;
}
