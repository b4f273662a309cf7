// --resume: an output counts as done when it exists and is at least as new as every input it was
// made from (a re-recorded trace is converted again).

import { stat } from "node:fs/promises";
import type { Job } from "./plan.js";

export async function isUpToDate(job: Job): Promise<boolean> {
  if (job.kind === "stdin") return false;
  try {
    const out = await stat(job.output);
    return job.members.every((m) => out.mtimeMs >= m.mtimeMs);
  } catch {
    return false;
  }
}
