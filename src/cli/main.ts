#!/usr/bin/env node
// The strace-seq command line: one subcommand per module in ./commands.

import { Command, CommanderError } from "commander";
import { readFileSync } from "node:fs";
import { EXIT_USAGE, UsageError } from "./output.js";
import { startThreadIfSplitting } from "./early-thread.js";

// (first: a second core's thread for a large file starts while this one loads the rest)
startThreadIfSplitting();

// A reader that went away (`| head`) ends the run quietly, for every command; standard output
// that cannot be written (a full disk, `> /dev/full`) is one line and status 2, as `-o FILE` is.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(0);
  process.stderr.write(`strace-seq: cannot write standard output: ${e.message}\n`);
  process.exit(EXIT_USAGE);
});

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

const program = new Command()
  .name("strace-seq")
  .description("strace output to typed records and syscall sequence sets")
  .version(pkg.version)
  .showHelpAfterError()
  .exitOverride();

// Each command's module, loaded only when needed: a run of one command loads that command's
// modules alone (~40 ms less startup than all of them); help, a typo or no command loads all.
const COMMANDS: Record<string, () => Promise<{ register(program: Command): void }>> = {
  parse: () => import("./commands/parse.js"),
  convert: () => import("./commands/convert.js"),
  render: () => import("./commands/render.js"),
  stats: () => import("./commands/stats.js"),
  seq: () => import("./commands/seq.js"),
  train: () => import("./commands/train.js"),
  score: () => import("./commands/score.js"),
  eval: () => import("./commands/eval.js"),
  tree: () => import("./commands/tree.js"),
  files: () => import("./commands/files.js"),
  export: () => import("./commands/export.js"),
  trace: () => import("./commands/trace.js"),
};
const asked = process.argv[2];
const wanted = asked !== undefined && Object.hasOwn(COMMANDS, asked) ? [asked] : Object.keys(COMMANDS);
for (const name of wanted) (await COMMANDS[name]!()).register(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode === 0 ? 0 : EXIT_USAGE;
  } else {
    const err = e as NodeJS.ErrnoException;
    // output failures are UsageErrors by now, so a system or zlib error (it has a code) is the input's
    const msg = e instanceof UsageError ? err.message : typeof err.code === "string" ? `cannot read input: ${err.message}` : (err.stack ?? String(e));
    process.stderr.write(`strace-seq: ${msg}\n`);
    process.exitCode = EXIT_USAGE;
  }
}
