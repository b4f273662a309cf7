// `strace-seq convert` with its worker processes killed mid-job (SIGKILL, as the out-of-memory
// killer would), once a given temp file has bytes in it: for tests that a dead worker fails its
// job alone and leaves no temp file behind.

import { spawn } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { expect } from "vitest";

/** Runs `node cli convert ...args`, kills its workers once `temp` is non-empty; returns the exit
 *  status and stderr. */
export async function convertKilledAt(cli: string, args: string[], temp: string): Promise<{ status: number | null; stderr: string }> {
  const child = spawn(process.execPath, [cli, "convert", ...args], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  const deadline = Date.now() + 60_000;
  let killed = false;
  while (!killed && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 10));
    if (!existsSync(temp) || statSync(temp).size === 0) continue;
    const workers = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
    for (const w of workers) process.kill(Number(w), "SIGKILL");
    killed = workers.length > 0;
  }
  expect(killed, `a worker writing ${temp}`).toBe(true);
  return { status: await exited, stderr };
}
