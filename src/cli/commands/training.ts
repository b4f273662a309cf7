// What `train` and `eval` share: learning argument path classes (pass 1, --symbol args), then
// training and calibrating a model over files read twice (calibrate.ts), with progress.

import { Option, type Command } from "commander";
import { createModel, MODEL_KINDS, NGRAM_AGGREGATES, type Model, type ModelKind, type NgramAggregate } from "../../detect/index.js";
import { fileSequences, type Trace, type TraceOptions } from "../../eval/sources.js";
import { filesSequences, readTraces } from "../../eval/files-sequences.js";
import { trainCalibrated, DEFAULT_FALSE_ALARM_RATE, DEFAULT_FOLDS } from "../../eval/calibrate.js";
import { PathClassLearner, DEFAULT_MIN_CHILDREN } from "../../seq/args.js";
import type { Progress } from "../../eval/progress.js";
import { fraction, positiveInt } from "../common.js";
import { UsageError } from "../output.js";

export interface ModelFlags {
  model: ModelKind;
  window: number;
  threshold?: number;
  rare?: number;
  ngramScore?: NgramAggregate;
  members?: string;
  falseAlarms: number;
  folds: number;
  minChildren: number;
}

/** --model, --window, the model settings and the calibration settings. */
export function modelOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option("--model <kind>", "detector").choices([...MODEL_KINDS]).default("stide"))
    .option("-w, --window <k>", "window length (n-gram order)", positiveInt, 6)
    .option("--rare <fraction>", "t-stide rare-window fraction (default 0.00001)", fraction)
    .addOption(new Option("--threshold <fraction>", "former name of --rare").argParser(fraction).hideHelp())
    .addOption(new Option("--ngram-score <how>", "n-gram: a sequence's score from its per-call NLLs").choices([...NGRAM_AGGREGATES]))
    .option("--members <kinds>", "ensemble members, comma-separated (default ngram,setnn)")
    .option("--false-alarms <rate>", "target false-alarm rate for the stored alarm threshold", fraction, DEFAULT_FALSE_ALARM_RATE)
    .option("--folds <n>", "cross-validation folds for the threshold", positiveInt, DEFAULT_FOLDS)
    .option("--min-children <n>", "--symbol args: a directory with this many distinct children in training becomes DIR/*", positiveInt, DEFAULT_MIN_CHILDREN);
}

export function modelFrom(flags: ModelFlags): Model {
  let members: ModelKind[] | undefined;
  if (flags.members !== undefined) {
    members = flags.members.split(",").map((m) => m.trim()) as ModelKind[];
    const bad = members.find((m) => !MODEL_KINDS.includes(m) || m === "ensemble");
    if (bad !== undefined || members.length === 0)
      throw new UsageError(`--members: unknown model ${JSON.stringify(bad ?? "")} (one of ${MODEL_KINDS.filter((m) => m !== "ensemble").join(", ")})`);
  }
  const rare = flags.rare ?? flags.threshold;
  if (flags.folds < 2) throw new UsageError(`--folds must be 2 or more, got ${flags.folds}`);
  return createModel(flags.model, flags.window, { rare, aggregate: flags.ngramScore, members });
}

/** --symbol args: learns the per-program path classes from the training files (pass 1). */
export async function learnPathClasses(files: string[], opts: TraceOptions, minChildren: number, progress: Progress): Promise<TraceOptions> {
  if (opts.symbol !== "args" || opts.inputFormat === "adfa") return opts;
  if (files.includes("-")) throw new UsageError("--symbol args reads the training traces twice (path classes, then the model): give files, not -");
  const learner = new PathClassLearner(minChildren);
  progress.phase("paths", files.length);
  for (const [i, file] of files.entries()) {
    for await (const _ of fileSequences(file, { ...opts, learnPaths: learner })) void _;
    progress.update(i + 1);
  }
  return { ...opts, pathClasses: learner.classes() };
}

/** Trains `model` on the files and stores its cross-validated threshold; returns the sequence count. */
export async function trainOnFiles(model: Model, files: string[], opts: TraceOptions, flags: ModelFlags, progress: Progress): Promise<number> {
  let sequences = 0;
  if (files.length < flags.folds || files.includes("-")) {
    // cross-validation needs a file per fold and a second read: train without a threshold
    progress.phase("train", files.length);
    let i = 0;
    for await (const file of filesSequences(files, opts)) {
      for await (const s of file.sequences) {
        model.add(s.symbols);
        sequences++;
      }
      progress.update(++i);
    }
    process.stderr.write(`strace-seq: no alarm threshold stored: calibration needs ${flags.folds} or more training files (--folds), read twice (not -)\n`);
    return sequences;
  }
  let pass = 0;
  const source = async function* (): AsyncGenerator<Trace> {
    pass++;
    progress.phase(pass === 1 ? "train" : "calibrate", files.length);
    let i = 0;
    for await (const t of readTraces(files, opts)) {
      if (pass === 1) sequences += t.sequences.length;
      yield t;
      progress.update(++i);
    }
  };
  await trainCalibrated(model, source, { folds: flags.folds, falseAlarmRate: flags.falseAlarms });
  return sequences;
}
