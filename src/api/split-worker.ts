// The second part of a split reading (split-reading.ts), in a worker thread of its own: reads the
// part it is sent (`stats` counts, sequence events or JSON Lines), telling the first thread at each
// cut whether it was quiet there, then sends what it made.

import { parentPort } from "node:worker_threads";
import type { CutState, PartJob, PartResult, SplitMessage } from "./split-reading.js";
import { countPart } from "./split-stats.js";
import { seqPart } from "./split-seq.js";
import { jsonlPart } from "./split-jsonl.js";

const port = parentPort!;
const send = (m: SplitMessage) => port.postMessage(m);

// (one job at a time; the thread may be kept for the next split: split-reading.ts threadPart)
port.on("message", (job: PartJob) => {
  const onCut = (cut: number, state: CutState) => send({ type: "cut", cut, state });
  const run: Promise<PartResult> =
    job.want === "seq" ? seqPart(job, onCut, (data) => send({ type: "data", data })) : job.want === "jsonl" ? jsonlPart(job, onCut) : countPart(job, onCut);
  run.then(
    (result) => send({ type: "done", result }),
    (e: unknown) => send({ type: "error", message: e instanceof Error ? e.message : String(e) }),
  );
});
