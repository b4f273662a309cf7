// A run that will read a large file on two cores starts the second core's thread first thing
// (part-thread.ts startPartThreadEarly), from a look at the command line alone: the command, its
// -j/--jobs, and whether an input is a plain file large enough to split. The thread's Node start
// then overlaps this thread's loading of its modules (measured on `stats` of 315 MB: the part's
// first trace byte read ~40-80 ms sooner). A wrong guess (an option's value taken for an input, a
// split the command turns down) leaves a thread that ends by itself. Imports nothing heavy: it
// runs before the commands' modules are loaded.

import { statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { SPLIT_MIN_BYTES, startPartThreadEarly } from "../api/part-thread.js";

/** Commands that split a large file unless told `-j 1`, and those that do only with `-j 2`. */
const SPLIT_BY_DEFAULT = new Set(["stats", "seq", "train", "score", "eval"]);
const SPLIT_WHEN_ASKED = new Set(["parse"]);

/** What splitLikely looks at besides the command line (the machine's, by default). */
export interface SplitGuessContext {
  cores: number;
  /** STRACE_SEQ_SPLIT_BYTES: the smallest file split (tests). */
  minBytes: number;
  /** A path's size when it is a regular file, else 0. */
  plainFileBytes(path: string): number;
}

/** Whether the command line `argv` (process.argv) will probably read a file in two parts. */
export function splitLikely(argv: readonly string[], ctx: SplitGuessContext): boolean {
  const command = argv[2] ?? "";
  const byDefault = SPLIT_BY_DEFAULT.has(command);
  if (!byDefault && !SPLIT_WHEN_ASKED.has(command)) return false;
  const args = argv.slice(3);
  const jobs = jobsAsked(args);
  if (!(jobs === undefined ? byDefault && ctx.cores > 1 : jobs > 1)) return false;
  return args.some((a) => !a.startsWith("-") && !a.endsWith(".gz") && ctx.plainFileBytes(a) >= ctx.minBytes);
}

/** Starts the part's thread now when process.argv is a run that will probably split. */
export function startThreadIfSplitting(): void {
  const env = process.env.STRACE_SEQ_SPLIT_BYTES;
  const ctx = { cores: availableParallelism(), minBytes: env ? Number(env) : SPLIT_MIN_BYTES, plainFileBytes };
  try {
    if (splitLikely(process.argv, ctx)) startPartThreadEarly();
  } catch {
    // (a guess never stops a run: a split that needs the thread makes one as before)
  }
}

/** The value of the last -j/--jobs in `args` (as commander reads them), or undefined. */
function jobsAsked(args: readonly string[]): number | undefined {
  let jobs: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") break;
    if (a === "-j" || a === "--jobs") jobs = Number(args[++i]);
    else if (a.startsWith("--jobs=")) jobs = Number(a.slice("--jobs=".length));
    else if (/^-j\d/.test(a)) jobs = Number(a.slice(2));
  }
  return jobs;
}

function plainFileBytes(path: string): number {
  try {
    const s = statSync(path);
    return s.isFile() ? s.size : 0;
  } catch {
    return 0;
  }
}
