// Worker thread: converts whole jobs, one at a time, as the pool hands them out. Each worker compiles
// its own WASM module (measured ~10 ms per build, negligible next to any real input), so nothing
// about the engine has to cross threads.

import { parentPort } from "node:worker_threads";
import { runJob, type JobOptions, type JobResult } from "./run-job.js";
import type { Job } from "./plan.js";

export type ToWorker = { id: number; job: Job; opts: JobOptions };
export type FromWorker =
  | { type: "progress"; id: number; bytes: number }
  | { type: "done"; id: number; result: JobResult }
  | { type: "error"; id: number; message: string };

const port = parentPort!;
/** Progress is posted at most every 4 MB: messages are cheap but not free. */
const PROGRESS_STEP = 4 << 20;

port.on("message", (msg: ToWorker) => {
  let pending = 0;
  const onBytes = (n: number) => {
    pending += n;
    if (pending >= PROGRESS_STEP) {
      port.postMessage({ type: "progress", id: msg.id, bytes: pending } satisfies FromWorker);
      pending = 0;
    }
  };
  runJob(msg.job, msg.opts, onBytes).then(
    (result) => {
      if (pending > 0) port.postMessage({ type: "progress", id: msg.id, bytes: pending } satisfies FromWorker);
      port.postMessage({ type: "done", id: msg.id, result } satisfies FromWorker);
    },
    (e: unknown) => {
      const err = e as NodeJS.ErrnoException;
      port.postMessage({ type: "error", id: msg.id, message: err?.message ?? String(e) } satisfies FromWorker);
    },
  );
});
