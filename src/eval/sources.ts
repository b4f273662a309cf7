// Traces on disk -> sequences: directories walked recursively, each file read as strace
// text (through the parser API) or as an ADFA-LD number file. One file is in memory at a
// time, so training and scoring stream over any amount of data.

import { parseFileBatches } from "../api/node.js";
import { countChunks } from "../api/counting.js";
import type { RowRecord } from "../model/row-parser.js";
import { ffFolderMembers, ffMembers } from "../convert/plan.js";
import { mergeByTime, RECORD_TIME } from "../convert/merge.js";
import { RecordSource } from "../convert/source.js";
import type { TraceRecord } from "../model/record.js";
import type { EngineName } from "../api/core.js";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { readAdfa } from "../io/adfa.js";
import { SequenceBuilder, type Sequence, type SequenceOptions } from "../seq/sequences.js";
import { meetingChunks, partFolder, splittable, startSplit, type SplitOptions } from "../api/split-reading.js";
import { PartEvents, restOfSplit, SEQ_FIRST_SHARE, SEQ_PART_MAX_BYTES, type SeqEvents, type SpilledEvents } from "../api/split-seq.js";

/** What an input file is: strace output, or an ADFA-LD trace (syscall numbers separated by spaces). */
export type InputFormat = "strace" | "adfa";

/** How readTrace reads a file and makes its sequences. */
export interface TraceOptions extends Omit<SequenceOptions, "file"> {
  // pathClasses / learnPaths (symbol "args") come from SequenceOptions
  /** Default "strace". */
  inputFormat?: InputFormat;
  /** Scanner engine for strace inputs (default wasm). */
  engine?: EngineName;
  /** 2: a large plain file's sequences are read on two cores (split-seq.ts; default 1). */
  jobs?: number;
  /** Where the parts of such a file go (tests: the smallest file split, cuts, the part run here). */
  split?: SplitOptions;
  /** In a list read on two cores, a file of at least this many bytes is read in its turn, its
   *  sequences streamed, not held (files-sequences.ts; default 64 MiB, the split's; tests). */
  streamMinBytes?: number;
}

/** One input file's sequences (one for ADFA-LD and per-trace; one per thread/process otherwise). */
export interface Trace {
  /** The input file. */
  file: string;
  /** Its sequences' symbols. */
  sequences: string[][];
}

/** Files under `paths` (files as given, directories walked recursively, hidden entries
 *  skipped), each directory's files in sorted order so runs are reproducible. */
export async function listFiles(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (p: string): Promise<void> => {
    if (p === "-") {
      out.push(p); // stdin
      return;
    }
    const st = await stat(p);
    if (!st.isDirectory()) {
      out.push(p);
      return;
    }
    const dirents = (await readdir(p, { withFileTypes: true })).filter((e) => !e.name.startsWith("."));
    // a `-ff` folder is one trace (its files are the processes of one run), as convert reads it
    if (ffMembers(dirents)) {
      out.push(p);
      return;
    }
    const entries = dirents.map((e) => e.name).sort();
    for (const e of entries) await walk(join(p, e));
  };
  for (const p of paths) await walk(p);
  return out;
}

/** Calls whose arguments sequences read when symbols are plain names or numbers: the clone
 *  family (CLONE_THREAD decides thread vs process). Other symbol modes read every call's. */
const ARGS_FOR_GROUPING = new Set(["clone", "clone2", "clone3"]);

function argsFilter(symbol: string | undefined): ((name: string) => boolean) | undefined {
  const plain = symbol === undefined || symbol === "name" || symbol === "nr" || symbol === "nr32";
  return plain ? (name) => ARGS_FOR_GROUPING.has(name) : undefined;
}

/** The sequences of one file. */
export async function* fileSequences(file: string, opts: TraceOptions = {}): AsyncGenerator<Sequence> {
  if ((opts.inputFormat ?? "strace") === "adfa") {
    const symbols = await readAdfa(file, opts.symbol ?? "nr32");
    if (symbols.length > 0) yield { key: "trace", pid: null, symbols, line: 1, file };
    return;
  }
  const seqOpts: SequenceOptions = {
    by: opts.by,
    symbol: opts.symbol,
    splitExec: opts.splitExec,
    file,
    pathClasses: opts.pathClasses,
    learnPaths: opts.learnPaths,
  };
  // Lean records, with arguments only where sequences read them; fed a chunk's batch at a time
  // (an await per record cost more than building the record).
  const builder = new SequenceBuilder(seqOpts);
  const argsFor = argsFilter(opts.symbol);
  const folder = file !== "-" && (await stat(file)).isDirectory();
  if (argsFor && !folder) {
    // plain symbols read names and CLONE_THREAD only: the core's record rows carry both
    let done: Sequence[] = [];
    const push = (rec: TraceRecord | RowRecord) => {
      for (const d of builder.push(rec as TraceRecord)) done.push(d);
    };
    // (the part's events wait in a file of its own: a folder that cannot be made means one thread)
    const dir = (opts.jobs ?? 1) > 1 && (await splittable(file, opts.split?.minBytes)) ? await partFolder() : undefined;
    const out = dir && join(dir.path, "part.events");
    const events = new PartEvents(out);
    const plan = { firstShare: SEQ_FIRST_SHARE, maxPartBytes: SEQ_PART_MAX_BYTES, onData: (d: unknown) => events.add(d as SeqEvents | SpilledEvents) };
    const job = { want: "seq" as const, engine: opts.engine, argsFor: [...ARGS_FOR_GROUPING], out };
    try {
      const split = dir ? await startSplit(file, job, { ...opts.split, engine: opts.engine }, plan) : undefined;
      // this reading, to the end or to where it meets the second part, then the rest from that part
      const reading = async function* (): AsyncGenerator<void> {
        yield* meetingChunks(split, countChunks(file, { engine: opts.engine, argsFor, stops: split?.cuts, onStop: split?.onStop }, push));
        if (split) yield* restOfSplit(file, split, events, opts.engine, argsFor, push);
      };
      for await (const _ of reading()) {
        void _;
        if (done.length > 0) {
          yield* done;
          done = [];
        }
      }
    } finally {
      events.close();
      await dir?.remove();
    }
    yield* done;
    yield* builder.finish();
    return;
  }
  const batches = folder ? ffBatches(file, opts.engine, argsFor) : parseFileBatches(file, { engine: opts.engine, lean: true, argsFor });
  for await (const batch of batches) {
    for (const rec of batch) for (const done of builder.push(rec)) yield done;
  }
  yield* builder.finish();
}

/** The records of a `-ff` folder's files, merged by time as convert merges them. */
async function* ffBatches(dir: string, engine: EngineName | undefined, argsFor: ((name: string) => boolean) | undefined): AsyncGenerator<TraceRecord[]> {
  const members = await ffFolderMembers(
    dir,
    (await readdir(dir)).filter((n) => !n.startsWith(".")),
  );
  const sources = members.map(
    (m) => new RecordSource(m.path, { engine: engine ?? "wasm", merge: true, tagFile: true, pid: m.pid, chunk: 1 << 16, lean: true, argsFor }),
  );
  yield* mergeByTime(sources, RECORD_TIME);
}

/** One file's (or `-ff` folder's) sequences, read in bounded memory with lean records. */
export async function readTrace(file: string, opts: TraceOptions = {}): Promise<Trace> {
  const seqs: string[][] = [];
  for await (const s of fileSequences(file, opts)) seqs.push(s.symbols);
  return { file, sequences: seqs };
}

/** Every file under `paths` as a Trace, lazily. */
export async function* traces(paths: readonly string[], opts: TraceOptions = {}): AsyncGenerator<Trace> {
  for (const f of await listFiles(paths)) yield await readTrace(f, opts);
}

/** Every sequence of every file under `paths`, lazily (for training). */
export async function* pathSequences(paths: readonly string[], opts: TraceOptions = {}): AsyncGenerator<string[]> {
  for (const f of await listFiles(paths)) for await (const s of fileSequences(f, opts)) yield s.symbols;
}
