// `strace-seq eval --model KIND --window K --train DIR --normal DIR --attack DIR [--json]`:
// train on normal traces (and calibrate the alarm threshold by cross-validation on them),
// score held-out normal and attack traces, print ROC AUC, detection at 1/5/10% false alarms,
// false alarms at 90% detection (conventions: src/eval/metrics.ts) and the detection and
// false-alarm rates at the calibrated threshold.

import type { Command } from "commander";
import { evaluate, type Aggregate, type EvaluationResult } from "../../eval/evaluate.js";
import { listFiles, type Trace, type TraceOptions } from "../../eval/sources.js";
import { readTraces } from "../../eval/files-sequences.js";
import { progressBar, type Progress } from "../../eval/progress.js";
import { Option } from "commander";
import { inputOptions, out, traceOptions, type InputFlags } from "./seq.js";
import { learnPathClasses, modelFrom, modelOptions, type ModelFlags } from "./training.js";
import { UsageError } from "../output.js";

interface EvalFlags extends InputFlags, ModelFlags {
  train: string[];
  normal: string[];
  attack: string[];
  json?: boolean;
  scores?: boolean;
  aggregate: Aggregate;
}

async function* read(files: string[], opts: TraceOptions, progress: Progress, label: string): AsyncGenerator<Trace> {
  progress.phase(label, files.length);
  let i = 0;
  for await (const t of readTraces(files, opts)) {
    yield t;
    progress.update(++i);
  }
}

const pct = (x: number) => (Number.isNaN(x) ? "n/a" : `${(100 * x).toFixed(1)}%`);

/** The human-readable summary. */
export function formatResult(r: EvaluationResult): string[] {
  const lines = [
    `model          ${r.model} k=${r.k}`,
    `traces         ${r.normal} normal, ${r.attack} attack`,
    `ROC AUC        ${r.auc.toFixed(4)}`,
    `detection      ${pct(r.detectionAt1)} at 1% FA, ${pct(r.detectionAt5)} at 5% FA, ${pct(r.detectionAt10)} at 10% FA`,
    `false alarms   ${pct(r.falseAlarmAt90)} at 90% detection`,
  ];
  if (r.threshold !== undefined) {
    lines.push(
      `threshold      ${r.threshold} (chosen for ${pct(r.targetFalseAlarm ?? NaN)} false alarms by cross-validation on the training traces)`,
      `at threshold   ${pct(r.detectionAtThreshold ?? NaN)} detection, ${pct(r.falseAlarmAtThreshold ?? NaN)} false alarms`,
    );
  }
  return lines;
}

export function register(program: Command): void {
  inputOptions(
    modelOptions(program.command("eval").description("train on normal traces, then measure detection of attack traces against held-out normal ones"))
      .requiredOption("--train <path...>", "normal traces to train on (files or directories)")
      .requiredOption("--normal <path...>", "held-out normal traces")
      .requiredOption("--attack <path...>", "attack traces")
      .option("--json", "print one JSON object")
      .option("--scores", "with --json: include every trace's score")
      .addOption(new Option("--aggregate <how>", "score of a multi-sequence file").choices(["pooled", "max"]).default("pooled")),
  ).action(async (flags: EvalFlags) => {
    let opts = traceOptions(flags);
    const model = modelFrom(flags);
    const [train, normal, attack] = await Promise.all([listFiles(flags.train), listFiles(flags.normal), listFiles(flags.attack)]);
    // an empty set would give NaN rates that look like results
    for (const [name, set] of [
      ["--train", train],
      ["--normal", normal],
      ["--attack", attack],
    ] as const)
      if (set.length === 0) throw new UsageError(`no input files in ${name}`);
    const progress = await progressBar();
    opts = await learnPathClasses(train, opts, flags.minChildren, progress);
    // calibration reads the training traces twice; with fewer files than folds (or stdin) it is skipped
    const calibrate = train.length >= flags.folds && !train.includes("-");
    let pass = 0;
    const r = await evaluate({
      model,
      aggregate: flags.aggregate,
      train: calibrate ? () => read(train, opts, progress, ++pass === 1 ? "train" : "calibrate") : read(train, opts, progress, "train"),
      calibration: calibrate ? { folds: flags.folds, falseAlarmRate: flags.falseAlarms } : false,
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
