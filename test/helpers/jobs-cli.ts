// The CLI run with `-j 1` and `-j 2`, every input large enough to be read on two cores
// (STRACE_SEQ_SPLIT_BYTES=1), for tests that two threads give what one gives.

import { spawnSync } from "node:child_process";
import { expect } from "vitest";

export const CLI = new URL("../../dist/cli/main.js", import.meta.url).pathname;

/** `strace-seq CMD -j JOBS REST...` for args [CMD, ...REST], with `env` added. */
export function runWithJobs(jobs: string, args: string[], env: Record<string, string> = {}) {
  const [cmd, ...rest] = args;
  return spawnSync("node", [CLI, cmd!, "-j", jobs, ...rest], {
    encoding: "utf8",
    env: { ...process.env, STRACE_SEQ_SPLIT_BYTES: "1", ...env },
    maxBuffer: 1 << 28,
    // (spawnSync blocks vitest's own timeout: a run that never ends must end here, and fail)
    timeout: 120_000,
  });
}

/** Asserts `-j 2` exits 0 with the same stdout and stderr as `-j 1`; returns that stdout. */
export function sameWithJobs(args: string[], env: Record<string, string> = {}): string {
  const one = runWithJobs("1", args, env);
  const two = runWithJobs("2", args, env);
  expect(one.status, one.stderr).toBe(0);
  expect(two.status, two.stderr).toBe(0);
  expect(two.stdout, args.join(" ")).toBe(one.stdout);
  expect(two.stderr).toBe(one.stderr);
  return one.stdout;
}
