// `strace-seq train --model KIND --window K -o model.json NORMAL...`: learn normal behaviour
// from traces, streaming one file at a time; the model remembers how its inputs were read.

import { UsageError, writeOutputFile } from "../output.js";
import { Option, type Command } from "commander";
import { fileSequences, listFiles } from "../../eval/sources.js";
import { progressBar } from "../../eval/progress.js";
import { createModel, MODEL_KINDS, type ModelKind } from "../../detect/index.js";
import { inputOptions, traceOptions, type InputFlags } from "./seq.js";
import { fraction, positiveInt } from "../common.js";

interface TrainFlags extends InputFlags {
  model: ModelKind;
  window: number;
  output: string;
  threshold?: number;
}

export function register(program: Command): void {
  inputOptions(
    program
      .command("train")
      .description("train an anomaly model on normal traces")
      .argument("<normal...>", "normal trace files or directories, or - for stdin")
      .addOption(new Option("--model <kind>", "detector").choices([...MODEL_KINDS]).default("stide"))
      .option("-w, --window <k>", "window length", positiveInt, 6)
      .requiredOption("-o, --output <file>", "where to write the model (JSON)")
      .option("--threshold <fraction>", "t-stide rare-window threshold (default 0.00001)", fraction),
  ).action(async (paths: string[], flags: TrainFlags) => {
    const opts = traceOptions(flags);
    const model = createModel(flags.model, flags.window, flags.threshold === undefined ? {} : { threshold: flags.threshold });
    model.meta = { inputFormat: opts.inputFormat, symbol: opts.symbol, by: opts.by, splitExec: opts.splitExec };
    const files = await listFiles(paths);
    const progress = await progressBar();
    progress.phase("train", files.length);
    let sequences = 0;
    for (const [i, file] of files.entries()) {
      for await (const seq of fileSequences(file, opts)) {
        model.add(seq.symbols);
        sequences++;
      }
      progress.update(i + 1);
    }
    progress.stop();
    if (sequences === 0) throw new UsageError(`no sequences to train on in ${paths.join(", ")}`);
    await writeOutputFile(flags.output, JSON.stringify(model.toJSON()) + "\n");
    process.stderr.write(`${flags.model} k=${flags.window}: ${files.length} files, ${sequences} sequences -> ${flags.output}\n`);
  });
}
