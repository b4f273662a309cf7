// Worker process: converts whole jobs, one at a time, as the pool hands them out. Each worker compiles
// its own WASM module (measured ~10 ms per build, negligible next to any real input), so nothing
// about the engine has to cross processes.

import { runJob, type JobOptions, type JobResult } from "./run-job.js";
import type { Job } from "./plan.js";

export type ToWorker = { id: number; job: Job; opts: JobOptions };
export type FromWorker =
  { type: "progress"; id: number; bytes: number } | { type: "done"; id: number; result: JobResult } | { type: "error"; id: number; message: string };

// The pool gone (killed, or done and disconnected): stop, so no job of an abandoned run goes on
// writing next to a later one. The IPC channel's close is seen only when the event loop gets a
// turn, which a job reading buffered input may not give it for a while; a changed parent pid
// (a SIGKILLed pool's workers are re-parented) is checked before every write and rename.
const poolPid = process.ppid;
process.on("disconnect", () => process.exit(0));
const stopIfOrphaned = () => {
  if (process.ppid !== poolPid) process.exit(0);
};
/** Progress is posted at most every 4 MB: messages are cheap but not free. */
const PROGRESS_STEP = 4 << 20;

const send = (m: FromWorker) => process.send!(m);

process.on("message", (msg: ToWorker) => {
  let pending = 0;
  const onBytes = (n: number) => {
    pending += n;
    if (pending >= PROGRESS_STEP) {
      send({ type: "progress", id: msg.id, bytes: pending });
      pending = 0;
    }
  };
  runJob(msg.job, msg.opts, onBytes, stopIfOrphaned).then(
    (result) => {
      if (pending > 0) send({ type: "progress", id: msg.id, bytes: pending });
      send({ type: "done", id: msg.id, result });
    },
    (e: unknown) => {
      const err = e as NodeJS.ErrnoException;
      send({ type: "error", id: msg.id, message: err?.message ?? String(e) });
    },
  );
});
