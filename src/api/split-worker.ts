// The second part of a split reading (split-reading.ts), in its own process: reads the part it is
// sent (`stats` counts, sequence events or JSON Lines), telling the first process at each cut whether it was
// quiet there, then sends what it made.

import type { CutState, PartJob, PartResult, SplitMessage } from "./split-reading.js";
import { countPart } from "./split-stats.js";
import { seqPart } from "./split-seq.js";
import { jsonlPart } from "./split-jsonl.js";

const send = (m: SplitMessage) => process.send!(m);

// the first process gone (it read on to the end itself, or was stopped): nothing to do
process.on("disconnect", () => process.exit(0));

process.once("message", (job: PartJob) => {
  const onCut = (cut: number, state: CutState) => send({ type: "cut", cut, state });
  const run: Promise<PartResult> =
    job.want === "seq" ? seqPart(job, onCut, (data) => send({ type: "data", data })) : job.want === "jsonl" ? jsonlPart(job, onCut) : countPart(job, onCut);
  run.then(
    (result) => {
      const u = process.resourceUsage();
      send({ type: "done", result: { ...result, usage: { cpuSecs: (u.userCPUTime + u.systemCPUTime) / 1e6, maxRssKB: u.maxRSS } } });
    },
    (e: unknown) => send({ type: "error", message: e instanceof Error ? e.message : String(e) }),
  );
});
