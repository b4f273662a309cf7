// `strace-seq score --model model.json TRACE...`: one JSON line per trace file,
// {"file","score","mismatches","windows",...}. Inputs are read the way the model's training
// data was (its meta, including learned path classes) unless flags say otherwise. A model with
// a calibrated threshold adds "alarm" (any process scores above the threshold) and
// "processes": [{"key","pid","line","score","alarm"}].

import { readFile } from "node:fs/promises";
import { Option, type Command } from "commander";
import { traceScoreOf, type Aggregate } from "../../eval/evaluate.js";
import { listFiles } from "../../eval/sources.js";
import { filesSequences } from "../../eval/files-sequences.js";
import { progressBar } from "../../eval/progress.js";
import { modelFromJSON, Stide } from "../../detect/index.js";
import { inputOptions, out, traceOptions, type InputFlags } from "./seq.js";
import { UsageError } from "../output.js";

interface ScoreFlags extends InputFlags {
  model: string;
  aggregate: Aggregate;
  hamming?: boolean;
}

export function register(program: Command): void {
  inputOptions(
    program
      .command("score")
      .description("score traces against a trained model (JSON Lines)")
      .argument("<trace...>", "trace files or directories, or - for stdin")
      .requiredOption("-m, --model <file>", "model written by `train`")
      .addOption(
        new Option("--aggregate <how>", "a file of several sequences: pooled windows, or its worst sequence").choices(["pooled", "max"]).default("pooled"),
      )
      .option("--hamming", "stide/t-stide: also the normalised minimal Hamming distance (slow)"),
  ).action(async (paths: string[], flags: ScoreFlags) => {
    const model = await readModel(flags.model);
    if (flags.hamming && model instanceof Stide) model.hamming = true;
    const opts = traceOptions(flags, model.meta);
    const classes = model.meta.pathClasses;
    if (opts.symbol === "args" && classes && typeof classes === "object") opts.pathClasses = classes as Record<string, string[]>;
    const threshold = model.threshold;
    const files = await listFiles(paths);
    const progress = await progressBar();
    progress.phase("score", files.length);
    let i = 0;
    for await (const { file, sequences } of filesSequences(files, opts)) {
      const seqs = [];
      for await (const s of sequences) seqs.push(s);
      const results = seqs.map((s) => model.score(s.symbols));
      const r = traceScoreOf(model, results, flags.aggregate, file);
      if (threshold === undefined) {
        await out(JSON.stringify({ file, ...r }));
      } else {
        const processes = seqs.map((s, j) => ({ key: s.key, pid: s.pid, line: s.line, score: results[j]!.score, alarm: results[j]!.score > threshold }));
        await out(JSON.stringify({ file, ...r, alarm: r.alarm ?? false, threshold, processes }));
      }
      progress.update(++i);
    }
    progress.stop();
  });
}

/** The model saved by `train`; anything else is a usage error naming the file. */
async function readModel(file: string): Promise<ReturnType<typeof modelFromJSON>> {
  const text = await readFile(file, "utf8");
  try {
    return modelFromJSON(JSON.parse(text));
  } catch (e) {
    throw new UsageError(`${file} is not a model written by strace-seq train (${(e as Error).message})`);
  }
}
