// A fixed set of worker threads pulling jobs from one queue. Jobs are whole files: a file is parsed
// start to end by one worker, so the parser's state never crosses threads.

import { Worker } from "node:worker_threads";
import type { Job } from "./plan.js";
import type { JobOptions, JobResult } from "./run-job.js";
import type { FromWorker, ToWorker } from "./worker.js";

export interface PoolEvents {
  onBytes(n: number): void;
  onStart(job: Job): void;
  onDone(job: Job, result: JobResult): void;
  onError(job: Job, message: string): void;
}

export async function runPool(jobs: Job[], workers: number, opts: JobOptions, ev: PoolEvents): Promise<void> {
  // Largest first: the long files start early, so the last worker is not left with one big file.
  const queue = [...jobs].sort((a, b) => b.size - a.size);
  const n = Math.max(1, Math.min(workers, queue.length));
  const url = new URL("./worker.js", import.meta.url);
  await Promise.all(Array.from({ length: n }, () => drive(new Worker(url), queue, opts, ev)));
}

function drive(worker: Worker, queue: Job[], opts: JobOptions, ev: PoolEvents): Promise<void> {
  return new Promise((resolve, reject) => {
    let current: Job | undefined;
    const next = () => {
      current = queue.shift();
      if (!current) {
        void worker.terminate().then(() => resolve());
        return;
      }
      ev.onStart(current);
      worker.postMessage({ id: 0, job: current, opts } satisfies ToWorker);
    };
    worker.on("message", (m: FromWorker) => {
      if (m.type === "progress") ev.onBytes(m.bytes);
      else if (m.type === "done") {
        ev.onDone(current!, m.result);
        next();
      } else {
        ev.onError(current!, m.message);
        next();
      }
    });
    // A crashed worker (out of memory, a bug) fails the run rather than hanging it.
    worker.on("error", reject);
    next();
  });
}
