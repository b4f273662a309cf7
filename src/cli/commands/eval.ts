// `strace-seq eval --model KIND --window K --train DIR --normal DIR --attack DIR [--json]`:
// train on normal traces, score held-out normal and attack traces, print ROC AUC, detection
// at 1/5/10% false alarms and false alarms at 90% detection (conventions: src/eval/metrics.ts).

import { Option, type Command } from "commander";
import { evaluate, type Aggregate, type EvaluationResult } from "../../eval/evaluate.js";
import { listFiles, readTrace, type Trace, type TraceOptions } from "../../eval/sources.js";
import { progressBar, type Progress } from "../../eval/progress.js";
import { createModel, MODEL_KINDS, type ModelKind } from "../../detect/index.js";
import { inputOptions, out, traceOptions, type InputFlags } from "./seq.js";
import { fraction, positiveInt } from "../common.js";
import { UsageError } from "../output.js";

interface EvalFlags extends InputFlags {
  model: ModelKind;
  window: number;
  train: string[];
  normal: string[];
  attack: string[];
  json?: boolean;
  scores?: boolean;
  aggregate: Aggregate;
  threshold?: number;
}

async function* read(files: string[], opts: TraceOptions, progress: Progress, label: string): AsyncGenerator<Trace> {
  progress.phase(label, files.length);
  for (const [i, f] of files.entries()) {
    yield await readTrace(f, opts);
    progress.update(i + 1);
  }
}

const pct = (x: number) => (Number.isNaN(x) ? "n/a" : `${(100 * x).toFixed(1)}%`);

/** The human-readable summary. */
export function formatResult(r: EvaluationResult): string[] {
  return [
    `model          ${r.model} k=${r.k}`,
    `traces         ${r.normal} normal, ${r.attack} attack`,
    `ROC AUC        ${r.auc.toFixed(4)}`,
    `detection      ${pct(r.detectionAt1)} at 1% FA, ${pct(r.detectionAt5)} at 5% FA, ${pct(r.detectionAt10)} at 10% FA`,
    `false alarms   ${pct(r.falseAlarmAt90)} at 90% detection`,
  ];
}

export function register(program: Command): void {
  inputOptions(
    program
      .command("eval")
      .description("train on normal traces, then measure detection of attack traces against held-out normal ones")
      .addOption(new Option("--model <kind>", "detector").choices([...MODEL_KINDS]).default("stide"))
      .option("-w, --window <k>", "window length", positiveInt, 6)
      .requiredOption("--train <path...>", "normal traces to train on (files or directories)")
      .requiredOption("--normal <path...>", "held-out normal traces")
      .requiredOption("--attack <path...>", "attack traces")
      .option("--json", "print one JSON object")
      .option("--scores", "with --json: include every trace's score")
      .addOption(new Option("--aggregate <how>", "score of a multi-sequence file").choices(["pooled", "max"]).default("pooled"))
      .option("--threshold <fraction>", "t-stide rare-window threshold", fraction),
  ).action(async (flags: EvalFlags) => {
    const opts = traceOptions(flags);
    const model = createModel(flags.model, flags.window, flags.threshold === undefined ? {} : { threshold: flags.threshold });
    const [train, normal, attack] = await Promise.all([listFiles(flags.train), listFiles(flags.normal), listFiles(flags.attack)]);
    // an empty set would give NaN rates that look like results
    for (const [name, set] of [["--train", train], ["--normal", normal], ["--attack", attack]] as const) if (set.length === 0) throw new UsageError(`no input files in ${name}`);
    const progress = await progressBar();
    const r = await evaluate({
      model,
      aggregate: flags.aggregate,
      train: read(train, opts, progress, "train"),
      normal: read(normal, opts, progress, "normal"),
      attack: read(attack, opts, progress, "attack"),
    });
    progress.stop();
    if (flags.json) {
      const { scores, ...summary } = r;
      await out(JSON.stringify(flags.scores ? r : summary));
      void scores;
    } else {
      for (const line of formatResult(r)) await out(line);
    }
  });
}
