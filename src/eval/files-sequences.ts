// The sequences of a list of files, on two cores: this thread and a worker thread
// (sequence-worker.ts) each take the next file not yet taken and read it whole (fileSequences),
// and the files' sequences come out in list order. Files are independent (each has its own
// sequence builder), so a file's sequences are the same in either thread. At most LOOKAHEAD
// files are read ahead of the one due out, so memory holds a few files' sequences, not the list's.
// A large file (STREAM_MIN_BYTES) is never read ahead: held whole, its sequences alone would pass
// the memory bound. In its turn it is read here, its sequences streamed as they complete (and
// split over two cores itself, split-seq.ts), while the readers wait; they take the files after
// it once it is out.
// One file, or `-` among them, or jobs 1: each file is read here in turn, its sequences streamed
// as they complete (and a large plain file may be read on two cores itself: split-seq.ts).

import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { dropSpareThread, SPLIT_MIN_BYTES } from "../api/split-reading.js";
import { fileSequences, type Trace, type TraceOptions } from "./sources.js";
import type { Sequence } from "../seq/sequences.js";

/** One file's sequences as the worker sends them: symbols as indexes into `names`. */
export interface EncodedSequences {
  names: string[];
  sequences: { key: string; pid: number | null; line: number; file?: string; ids: Int32Array }[];
}

/** A job for the worker and its reply. */
export type WorkerJob = { index: number; file: string; opts: TraceOptions };
export type WorkerReply = { index: number; result: EncodedSequences } | { index: number; error: string };

/** Lists smaller than this are read in one thread: the second costs ~0.2 s to start. */
const PARALLEL_MIN_BYTES = 32 << 20;

/** Files read ahead of the one due out. */
const LOOKAHEAD = 3;

/** Files of at least this size are read in their turn, not ahead: the split's threshold, as such
 *  a file is read on two cores by itself. */
const STREAM_MIN_BYTES = SPLIT_MIN_BYTES;

/** Each file's sequences, in list order: `sequences` must be read before the next file's. */
export async function* filesSequences(files: readonly string[], opts: TraceOptions): AsyncGenerator<{ file: string; sequences: AsyncIterable<Sequence> }> {
  const sizes = await sizesOf(files, opts);
  if (!sizes) {
    for (const file of files) yield { file, sequences: fileSequences(file, opts) };
    return;
  }
  const local: TraceOptions = { ...opts, jobs: 1 };
  const streamed = sizes.map((n) => n >= (opts.streamMinBytes ?? STREAM_MIN_BYTES));
  const results: (Promise<Sequence[]> | undefined)[] = [];
  const settle: ((r: Promise<Sequence[]>) => void)[] = [];
  for (let i = 0; i < files.length; i++) {
    if (streamed[i]) {
      results.push(undefined);
      settle.push(() => undefined);
      continue;
    }
    const r = new Promise<Sequence[]>((res) => settle.push(res));
    // (a file's error is thrown when its turn comes, not when it happens)
    r.catch(() => undefined);
    results.push(r);
  }
  let taken = 0;
  let due = 0;
  let stopped = false;
  let waiters: (() => void)[] = [];
  const wakeAll = () => {
    const w = waiters;
    waiters = [];
    for (const r of w) r();
  };
  /** The next file to read, once it is at most LOOKAHEAD ahead of the one due out; none past a
   *  streamed file until that file is out. */
  const take = async (): Promise<number | undefined> => {
    for (;;) {
      if (stopped || taken >= files.length) return undefined;
      if (streamed[taken] && due > taken) taken++;
      else if (streamed[taken] || taken > due + LOOKAHEAD) await new Promise<void>((r) => waiters.push(r));
      else return taken++;
    }
  };
  const readHere = async (i: number): Promise<Sequence[]> => {
    const out: Sequence[] = [];
    for await (const s of fileSequences(files[i]!, local)) out.push(s);
    return out;
  };
  const worker = new SequenceWorker();
  // this thread's reader and the worker's each take files until none is left
  const reader = async (read: (i: number) => Promise<Sequence[]>) => {
    for (let i = await take(); i !== undefined; i = await take()) {
      const r = read(i);
      settle[i]!(r);
      await r.catch(() => undefined);
    }
  };
  // (a file the worker failed on, or could not read as it ended, is read here, where its error is
  // reported)
  const readers = [reader(readHere), reader((i) => worker.read(i, files[i]!, local).catch(() => (stopped ? [] : readHere(i))))];
  try {
    for (; due < files.length; due++, wakeAll()) {
      const file = files[due]!;
      if (streamed[due]) {
        // (the worker has nothing to do until this file is out; its heap would add to the split's)
        worker.pause();
        // (a later file may be split too: the part's thread is kept for it)
        yield { file, sequences: fileSequences(file, { ...opts, split: { ...opts.split, keepThread: due < files.length - 1 } }) };
        continue;
      }
      const seqs = await results[due]!;
      results[due] = undefined;
      yield { file, sequences: arrayIterable(seqs) };
    }
  } finally {
    stopped = true;
    wakeAll();
    worker.close();
    await Promise.all(readers);
  }
}

/** Each file as a Trace (its sequences' symbols), in list order. */
export async function* readTraces(files: readonly string[], opts: TraceOptions): AsyncGenerator<Trace> {
  for await (const { file, sequences } of filesSequences(files, opts)) {
    const seqs: string[][] = [];
    for await (const s of sequences) seqs.push(s.symbols);
    yield { file, sequences: seqs };
  }
}

async function* arrayIterable<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

/** The files' sizes (sizeOf) when the list is to be read on two cores: jobs above 1, two or more
 *  plain files, no stdin, and at least PARALLEL_MIN_BYTES (opts.split.minBytes for tests) in all;
 *  nothing that only this process can do (learning path classes calls back into it). */
async function sizesOf(files: readonly string[], opts: TraceOptions): Promise<number[] | undefined> {
  if ((opts.jobs ?? 1) < 2 || files.length < 2 || files.includes("-") || opts.learnPaths || opts.onCall) return undefined;
  const sizes: number[] = [];
  for (const f of files) sizes.push(await sizeOf(f));
  return sizes.reduce((a, b) => a + b, 0) >= (opts.split?.minBytes ?? PARALLEL_MIN_BYTES) ? sizes : undefined;
}

/** A plain file's size, or a `-ff` folder's (its files' sizes: listFiles gives such a folder as
 *  one trace); 0 for a file that is not there (its error comes when it is read). */
async function sizeOf(file: string): Promise<number> {
  const info = await stat(file).catch(() => undefined);
  if (info?.isFile()) return info.size;
  if (!info?.isDirectory()) return 0;
  const entries = await readdir(file, { withFileTypes: true }).catch(() => []);
  let bytes = 0;
  for (const e of entries) if (e.isFile()) bytes += (await stat(join(file, e.name)).catch(() => undefined))?.size ?? 0;
  return bytes;
}

/** Symbols as indexes into a names table, for a message. */
export function encodeSequences(seqs: readonly Sequence[]): EncodedSequences {
  const ids = new Map<string, number>();
  const names: string[] = [];
  const sequences = seqs.map((s) => {
    const a = new Int32Array(s.symbols.length);
    for (let j = 0; j < a.length; j++) {
      const sym = s.symbols[j]!;
      let id = ids.get(sym);
      if (id === undefined) {
        id = names.length;
        names.push(sym);
        ids.set(sym, id);
      }
      a[j] = id;
    }
    return { key: s.key, pid: s.pid, line: s.line, file: s.file, ids: a };
  });
  return { names, sequences };
}

function decodeSequences(e: EncodedSequences): Sequence[] {
  return e.sequences.map((s) => {
    const seq: Sequence = { key: s.key, pid: s.pid, symbols: Array.from(s.ids, (id) => e.names[id]!), line: s.line };
    if (s.file !== undefined) seq.file = s.file;
    return seq;
  });
}

/** The second thread, started on its first file and kept for the rest, or until paused (a later
 *  file starts another). */
class SequenceWorker {
  private worker: Worker | undefined;
  private readonly waiting = new Map<number, { resolve: (s: Sequence[]) => void; reject: (e: Error) => void }>();

  private closed = false;

  read(index: number, file: string, opts: TraceOptions): Promise<Sequence[]> {
    // (a reader may come back with a file after the list is closed: it reads nothing)
    if (this.closed) return Promise.reject(new Error("the list was closed"));
    const worker = this.start();
    return new Promise((resolve, reject) => {
      this.waiting.set(index, { resolve, reject });
      worker.postMessage({ index, file, opts: { ...opts, split: undefined } } satisfies WorkerJob);
    });
  }

  /** Ends the thread for good; its pending reads fail. */
  close(): void {
    this.closed = true;
    this.pause();
  }

  /** Ends the thread until the next read; its pending reads fail. */
  pause(): void {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    this.failAll("the second thread was closed");
    void worker.terminate();
  }

  private failAll(why: string): void {
    for (const w of this.waiting.values()) w.reject(new Error(why));
    this.waiting.clear();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    // (small files after a large one: the large file's part thread, kept for another split, would
    // add its heap to this one's)
    dropSpareThread();
    const worker = new Worker(new URL("./sequence-worker.js", import.meta.url));
    worker.on("message", (m: WorkerReply) => {
      const w = this.waiting.get(m.index);
      if (!w) return;
      this.waiting.delete(m.index);
      if ("error" in m) w.reject(new Error(m.error));
      else w.resolve(decodeSequences(m.result));
    });
    // (a closed thread's exit, which comes later, must not fail a new thread's reads)
    worker.on("error", (e) => this.worker === worker && this.failAll(e.message));
    worker.on("exit", (code) => this.worker === worker && this.failAll(`the second thread ended (${code})`));
    this.worker = worker;
    return worker;
  }
}
