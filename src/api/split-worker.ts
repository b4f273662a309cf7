// The second part of a split `stats` (split-stats.ts), in its own process: counts the part it is
// sent, telling the first process at each cut whether it was quiet there, then sends its counts.

import { countPart, type PartJob, type SplitMessage } from "./split-stats.js";

const send = (m: SplitMessage) => process.send!(m);

// the first process gone (it read on to the end itself, or was stopped): nothing to do
process.on("disconnect", () => process.exit(0));

process.once("message", (job: PartJob) => {
  countPart(job, (cut, state) => send({ type: "cut", cut, state })).then(
    (result) => {
      const u = process.resourceUsage();
      send({ type: "done", result: { ...result, usage: { cpuSecs: (u.userCPUTime + u.systemCPUTime) / 1e6, maxRssKB: u.maxRSS } } });
    },
    (e: unknown) => send({ type: "error", message: e instanceof Error ? e.message : String(e) }),
  );
});
