// Shared by the benny suites: the input buffer, dist/ imports, and MB/s from benny's ops/s.

import { existsSync, readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const dist = (p) => import(pathToFileURL(path.join(root, "dist", p)).href);

/** A real `-f -tt -T` trace of about `size` (bigtrace.py replicates the corpus), cached in /tmp. */
export function traceBuffer(size = "20M") {
  const file = process.env.BENCH_INPUT ?? `/tmp/strace-seq-bench-${size.toLowerCase()}.strace`;
  if (!existsSync(file)) {
    const g = spawnSync("python3", [new URL("../../shared/tools/bigtrace.py", import.meta.url).pathname, "--size", size, "--out", file], { stdio: "inherit" });
    if (g.status !== 0) throw new Error("bigtrace.py failed");
  }
  return { file, bytes: new Uint8Array(readFileSync(file)) };
}

/** The parser's chunking: 1 MB reads. */
export const CHUNK = 1 << 20;

/** Few samples: one operation is a whole 20 MB pass, so variance across samples is small already. */
export const CASE_OPTIONS = { minSamples: 3, maxTime: 2 };

/** A benny `complete` handler printing MB/s for `mbPerOp` megabytes processed per operation. */
export function mbPerSecond(mbPerOp, into) {
  return (summary) => {
    for (const r of summary.results) {
      const row = { suite: summary.name, case: r.name, mbps: r.ops * mbPerOp, margin: r.margin };
      into?.push(row);
      console.log(`  ${r.name}: ${row.mbps.toFixed(1)} MB/s (±${r.margin}%)`);
    }
  };
}
