// Where the shared read-only data lives: `../shared` beside the project root (as in CI), or
// STRACE_SEQ_SHARED. Tests that need it fail under CI when it is missing instead of skipping.

import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const SHARED = process.env.STRACE_SEQ_SHARED ?? path.resolve(REPO, "../shared");

if (process.env.CI && !existsSync(SHARED)) throw new Error(`the shared data folder is missing: ${SHARED} (set STRACE_SEQ_SHARED)`);

/** Every file below dir, recursively, in sorted order. */
export function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = path.join(dir, f);
      return statSync(p).isDirectory() ? walk(p) : [p];
    });
}
