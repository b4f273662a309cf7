// Runs the sequence/detection commands (seq, train, score, eval) in-process, as a user would
// on the command line, and returns what they printed on stdout.
import { Command } from "commander";
import { vi } from "vitest";
import * as seqCmd from "../../src/cli/commands/seq.js";
import * as trainCmd from "../../src/cli/commands/train.js";
import * as scoreCmd from "../../src/cli/commands/score.js";
import * as evalCmd from "../../src/cli/commands/eval.js";

export async function runDetectCli(...args: string[]): Promise<string[]> {
  const program = new Command("strace-seq").exitOverride();
  for (const m of [seqCmd, trainCmd, scoreCmd, evalCmd]) m.register(program);
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    lines.push(
      ...String(chunk)
        .split("\n")
        .filter((l) => l !== ""),
    );
    return true;
  });
  const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  try {
    await program.parseAsync(["node", "strace-seq", ...args]);
  } finally {
    spy.mockRestore();
    err.mockRestore();
  }
  return lines;
}

export interface ScoredTrace {
  file: string;
  score: number;
  alarm: boolean;
  threshold: number;
  processes: { key: string; pid: number | null; score: number; alarm: boolean }[];
}

/** `score --model MODEL FILES...` parsed, by file basename. */
export async function scoreFiles(model: string, files: string[]): Promise<Map<string, ScoredTrace>> {
  const out = await runDetectCli("score", "--model", model, ...files);
  return new Map(out.map((l) => JSON.parse(l) as ScoredTrace).map((r) => [r.file.split("/").pop()!, r]));
}
