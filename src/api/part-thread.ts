// The second part's thread of a split reading (split-reading.ts), made and kept here: a module with
// no imports but Node's, so the command line can start the thread before it loads anything else
// (cli/early-thread.ts) and split-reading.ts takes that thread when its split begins.

import { Worker } from "node:worker_threads";

/** Inputs smaller than this are read in one part: the second part costs ~0.2 s to start,
 *  about what it saves on 50 MB (measured: the same wall time either way). */
export const SPLIT_MIN_BYTES = 64 << 20;

/** A part's thread not running a part, kept (not holding the process open) for the next split of
 *  this run: one that finished its part (a thread per large file of a list, each with its own
 *  heap and malloc arena, took `seq` of four 315 MB files to 190-240 MB, where one file needs
 *  ~136), or one started early. Ended after SPARE_IDLE_MS without a split, so a program that reads
 *  a large file now and then does not hold its heap. */
let spareThread: Worker | undefined;
let spareTimer: ReturnType<typeof setTimeout> | undefined;

/** How long a kept part's thread waits for the next split (a list's next large file starts its
 *  split well within this, once this thread has read its own share of the one before). */
export const SPARE_IDLE_MS = 5000;

/** The kept part's thread's id, if one is kept (for tests). */
export function spareThreadId(): number | undefined {
  return spareThread?.threadId;
}

/** Ends the kept part's thread, if any (another thread is about to need its memory). */
export function dropSpareThread(): void {
  const worker = spareThread;
  spareThread = undefined;
  clearTimeout(spareTimer);
  if (worker) void worker.terminate();
}

/** Starts a part's thread now, kept for the split this run is about to begin: the thread's own
 *  Node start (~90 ms idle, ~170 beside this thread's work) then runs while this thread loads its
 *  modules, reads its options and places the cuts, instead of after them. A guess that was wrong
 *  costs a start on a core that was idle; the thread ends after SPARE_IDLE_MS. */
export function startPartThreadEarly(): void {
  if (spareThread === undefined) keepPartThread(newPartThread());
}

/** The kept thread, or a new one, for a part about to run (it holds the process open until the
 *  part gives it back with keepPartThread or ends it). */
export function takePartThread(): Worker {
  const worker = spareThread ?? newPartThread();
  spareThread = undefined;
  clearTimeout(spareTimer);
  worker.ref();
  return worker;
}

/** Keeps a thread whose part is done for the next split (ended if one is kept already). */
export function keepPartThread(worker: Worker): void {
  if (spareThread !== undefined) {
    void worker.terminate();
    return;
  }
  worker.unref();
  spareThread = worker;
  clearTimeout(spareTimer);
  spareTimer = setTimeout(() => spareThread === worker && dropSpareThread(), SPARE_IDLE_MS);
  spareTimer.unref();
}

function newPartThread(): Worker {
  const worker = new Worker(new URL("./split-worker.js", import.meta.url));
  // (a kept thread that ends or fails while it waits is forgotten; while it runs a part, that
  // part's listeners report it)
  const forget = (): void => {
    if (spareThread === worker) spareThread = undefined;
  };
  worker.on("exit", forget);
  worker.on("error", forget);
  return worker;
}
