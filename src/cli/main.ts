#!/usr/bin/env node
// The strace-seq command line: one subcommand per module in ./commands.

import { Command, CommanderError } from "commander";
import { readFileSync } from "node:fs";
import { register as registerParse } from "./commands/parse.js";
import { register as registerRender } from "./commands/render.js";
import { register as registerStats } from "./commands/stats.js";
import { register as registerSeq } from "./commands/seq.js";
import { register as registerTrain } from "./commands/train.js";
import { register as registerScore } from "./commands/score.js";
import { register as registerEval } from "./commands/eval.js";
import { register as registerConvert } from "./commands/convert.js";
import { register as registerTree } from "./commands/tree.js";
import { register as registerFiles } from "./commands/files.js";
import { register as registerExport } from "./commands/export.js";
import { register as registerTrace } from "./commands/trace.js";
import { EXIT_USAGE, UsageError } from "./output.js";

// A reader that went away (`| head`) ends the run quietly, for every command.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(0);
  throw e;
});

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

const program = new Command()
  .name("strace-seq")
  .description("strace output to typed records and syscall sequence sets")
  .version(pkg.version)
  .showHelpAfterError()
  .exitOverride();

for (const register of [
  registerParse,
  registerConvert,
  registerRender,
  registerStats,
  registerSeq,
  registerTrain,
  registerScore,
  registerEval,
  registerTree,
  registerFiles,
  registerExport,
  registerTrace,
])
  register(program);

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
