// `strace-seq train --model KIND --window K -o model.json NORMAL...`: learn normal behaviour
// from traces, streaming one file at a time, and store an alarm threshold chosen by
// cross-validation on the same traces; the model remembers how its inputs were read.

import { UsageError, writeOutputFile } from "../output.js";
import type { Command } from "commander";
import { listFiles } from "../../eval/sources.js";
import { progressBar } from "../../eval/progress.js";
import { inputOptions, traceOptions, type InputFlags } from "./seq.js";
import { learnPathClasses, modelFrom, modelOptions, trainOnFiles, type ModelFlags } from "./training.js";

interface TrainFlags extends InputFlags, ModelFlags {
  output: string;
}

export function register(program: Command): void {
  inputOptions(
    modelOptions(
      program
        .command("train")
        .description("train an anomaly model on normal traces and calibrate its alarm threshold")
        .argument("<normal...>", "normal trace files or directories, or - for stdin"),
    ).requiredOption("-o, --output <file>", "where to write the model (JSON)"),
  ).action(async (paths: string[], flags: TrainFlags) => {
    let opts = traceOptions(flags);
    const model = modelFrom(flags);
    const files = await listFiles(paths);
    const progress = await progressBar();
    opts = await learnPathClasses(files, opts, flags.minChildren, progress);
    model.meta = { inputFormat: opts.inputFormat, symbol: opts.symbol, by: opts.by, splitExec: opts.splitExec };
    if (opts.pathClasses) model.meta.pathClasses = opts.pathClasses;
    const sequences = await trainOnFiles(model, files, opts, flags, progress);
    progress.stop();
    if (sequences === 0) throw new UsageError(`no sequences to train on in ${paths.join(", ")}`);
    await writeOutputFile(flags.output, JSON.stringify(model.toJSON()) + "\n");
    process.stderr.write(
      `${flags.model} k=${flags.window}: ${files.length} files, ${sequences} sequences, ${model.threshold === undefined ? "no threshold" : `threshold ${model.threshold} for ${flags.falseAlarms} false alarms`} -> ${flags.output}\n`,
    );
  });
}
