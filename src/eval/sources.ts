// Traces on disk -> sequences: directories walked recursively, each file read as strace
// text (through the parser API) or as an ADFA-LD number file. One file is in memory at a
// time, so training and scoring stream over any amount of data.

import { parseFileBatches } from "../api/node.js";
import type { EngineName } from "../api/core.js";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { readAdfa } from "../io/adfa.js";
import { SequenceBuilder, type Sequence, type SequenceOptions } from "../seq/sequences.js";

export type InputFormat = "strace" | "adfa";

export interface TraceOptions extends Omit<SequenceOptions, "file"> {
  /** Default "strace". */
  inputFormat?: InputFormat;
  /** Scanner engine for strace inputs (default wasm). */
  engine?: EngineName;
}

/** One input file's sequences (one for ADFA-LD and per-trace; one per thread/process otherwise). */
export interface Trace {
  file: string;
  sequences: string[][];
}

/** Files under `paths` (files as given, directories walked recursively, hidden entries
 *  skipped), each directory's files in sorted order so runs are reproducible. */
export async function listFiles(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (p: string): Promise<void> => {
    const st = await stat(p);
    if (!st.isDirectory()) {
      out.push(p);
      return;
    }
    const entries = (await readdir(p)).filter((e) => !e.startsWith(".")).sort();
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
  const seqOpts: SequenceOptions = { by: opts.by, symbol: opts.symbol, splitExec: opts.splitExec, file };
  // Lean records, with arguments only where sequences read them; fed a chunk's batch at a time
  // (an await per record cost more than building the record).
  const builder = new SequenceBuilder(seqOpts);
  for await (const batch of parseFileBatches(file, { engine: opts.engine, lean: true, argsFor: argsFilter(opts.symbol) })) {
    for (const rec of batch) for (const done of builder.push(rec)) yield done;
  }
  yield* builder.finish();
}

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
