#!/usr/bin/env node
// A stand-alone `convert` entry (dist/convert/cli.js) with the same exit handling as the main CLI:
// lets the command be used and tested before and independently of its registration in cli/main.ts.

import { Command, CommanderError } from "commander";
import { register } from "../cli/commands/convert.js";
import { EXIT_USAGE, UsageError } from "../cli/output.js";

const program = new Command().name("strace-seq").exitOverride();
register(program);
try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exitCode = e.exitCode === 0 ? 0 : EXIT_USAGE;
  else {
    const err = e as NodeJS.ErrnoException;
    const msg = e instanceof UsageError ? err.message : err.code === "ENOENT" || err.code === "EACCES" ? `cannot read input: ${err.message}` : (err.stack ?? String(e));
    process.stderr.write(`strace-seq: ${msg}\n`);
    process.exitCode = EXIT_USAGE;
  }
}
