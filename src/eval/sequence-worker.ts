// The second thread of files-sequences.ts: reads each file it is sent whole, as the first thread
// would (fileSequences), and sends its sequences back, symbols as indexes into a names table.

import { parentPort } from "node:worker_threads";
import { fileSequences } from "./sources.js";
import { encodeSequences, type WorkerJob, type WorkerReply } from "./files-sequences.js";
import type { Sequence } from "../seq/sequences.js";

const port = parentPort!;
const send = (m: WorkerReply) => port.postMessage(m);

// one file at a time, in the order they come
let queue = Promise.resolve();
port.on("message", (job: WorkerJob) => {
  queue = queue.then(async () => {
    try {
      const seqs: Sequence[] = [];
      for await (const s of fileSequences(job.file, job.opts)) seqs.push(s);
      send({ index: job.index, result: encodeSequences(seqs) });
    } catch (e) {
      send({ index: job.index, error: e instanceof Error ? e.message : String(e) });
    }
  });
});
