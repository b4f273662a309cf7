// A fixed set of worker processes pulling jobs from one queue. Jobs are whole files: a file is parsed
// start to end by one worker, so the parser's state never crosses processes.
//
// Processes rather than worker threads: V8 collects garbage on helper threads, so one job keeps
// ~1.2 cores busy, and threads of one process share those helpers. When the pool fills every core,
// each worker runs with --single-threaded-gc (a flag V8 takes only at start-up, for a whole
// process), so two jobs on two cores do not fight over GC threads; a smaller pool keeps V8's
// default and lets a job's collector use the idle cores.

import { fork, type ChildProcess } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import type { Job } from "./plan.js";
import type { JobOptions, JobResult } from "./run-job.js";
import type { FromWorker, ToWorker } from "./worker.js";

export interface PoolEvents {
  onBytes(n: number): void;
  onStart(job: Job): void;
  onDone(job: Job, result: JobResult): void;
  onError(job: Job, message: string): void;
}

/** Workers alive now, so a signal handler can stop them before removing their temp files. */
const live = new Set<ChildProcess>();

/** Kills every worker at once (they would otherwise finish their current job). */
export function killWorkers(): void {
  for (const c of live) c.kill("SIGKILL");
  live.clear();
}

export async function runPool(jobs: Job[], workers: number, opts: JobOptions, ev: PoolEvents): Promise<void> {
  // Largest first: the long files start early, so the last worker is not left with one big file.
  const queue = [...jobs].sort((a, b) => b.size - a.size);
  const n = Math.max(1, Math.min(workers, queue.length));
  if (queue.length === 0) return;
  const singleThreadedGc = n >= availableParallelism();
  await Promise.all(Array.from({ length: n }, () => drive(() => spawnWorker(singleThreadedGc), queue, opts, ev)));
}

function spawnWorker(singleThreadedGc: boolean): ChildProcess {
  const file = fileURLToPath(new URL("./worker.js", import.meta.url));
  const execArgv = singleThreadedGc ? [...process.execArgv, "--single-threaded-gc"] : process.execArgv;
  const child = fork(file, [], { execArgv, serialization: "advanced", stdio: ["ignore", "inherit", "inherit", "ipc"] });
  live.add(child);
  child.on("exit", () => live.delete(child));
  return child;
}

/** Feeds jobs to one worker until the queue is empty. A worker that dies mid-job (the kernel's
 *  out-of-memory killer, a crash) fails that job only: it is reported and a new worker takes the
 *  rest of the queue. */
async function drive(spawn: () => ChildProcess, queue: Job[], opts: JobOptions, ev: PoolEvents): Promise<void> {
  while (queue.length > 0) {
    const end = await runWorker(spawn(), queue, opts, ev);
    if (end.startFailed) throw new Error(`cannot start a worker process: ${end.how}`);
    if (end.job) ev.onError(end.job, `its worker process died (${end.how}); if the system ran out of memory, try fewer --jobs`);
  }
}

interface WorkerEnd {
  /** The job the worker was on when it died. */
  job?: Job;
  how?: string;
  /** The process could not be started (no point in trying another). */
  startFailed?: boolean;
}

/** Runs one worker until the queue is empty or the worker dies (then with the job it was on). */
function runWorker(worker: ChildProcess, queue: Job[], opts: JobOptions, ev: PoolEvents): Promise<WorkerEnd> {
  return new Promise((resolve) => {
    let current: Job | undefined;
    const next = () => {
      current = queue.shift();
      if (!current) {
        worker.disconnect();
        return;
      }
      ev.onStart(current);
      worker.send({ id: 0, job: current, opts } satisfies ToWorker);
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
    worker.on("exit", (code, signal) => resolve(current ? { job: current, how: signal ?? `exit code ${code}` } : {}));
    worker.on("error", (e) => {
      if (worker.pid === undefined) {
        // never started: put its job back for the error to name the run, not the job
        if (current) queue.unshift(current);
        resolve({ how: e.message, startFailed: true });
      }
    });
    next();
  });
}
