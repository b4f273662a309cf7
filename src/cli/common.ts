// Options and reporting shared by the parsing commands.

import { InvalidArgumentError, Option } from "commander";
import type { EngineName } from "../api/core.js";
import type { ParseCounts } from "../parser.js";

export interface CommonFlags {
  engine?: EngineName;
  quiet?: boolean;
  arch?: "x86_64" | "i386" | "x32" | "arm64";
}

export function archOption(): Option {
  return new Option("--arch <arch>", "architecture whose syscall numbers records get as `nr` (a process's `runs in 32 bit mode` switches it)")
    .choices(["x86_64", "i386", "x32", "arm64"])
    .default("x86_64");
}

export function engineOption(): Option {
  return new Option("--engine <engine>", "scanner engine (identical output)").choices(["wasm", "ts"]).default("wasm");
}

/** The one-line summary on stderr that accounts for every input line. */
export function reportCounts(flags: CommonFlags, c: ParseCounts, files: number): void {
  if (flags.quiet) return;
  const mb = c.bytes / 1e6;
  process.stderr.write(
    `strace-seq: ${files} file${files === 1 ? "" : "s"}, ${c.lines} lines, ${c.records} records, ${c.diagnostics} diagnostics (${mb.toFixed(1)} MB)\n`,
  );
}

/** Option value parsers: a bad value is a usage error naming the option (exit 2), not a stack trace. */
export function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive integer, got ${JSON.stringify(v)}`);
  return n;
}

export function nonNegativeInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`expected a whole number >= 0, got ${JSON.stringify(v)}`);
  return n;
}

export function fraction(v: string): number {
  const n = Number(v);
  if (v.trim() === "" || !(n >= 0 && n <= 1)) throw new InvalidArgumentError(`expected a number from 0 to 1, got ${JSON.stringify(v)}`);
  return n;
}
