// `strace-seq files`: per path, opens, failed opens by errno, bytes read and written, calls and time.

import { Option, type Command } from "commander";
import { FILE_COLUMNS, FileAccess, filesTable, type FileColumn } from "../../analyze/files.js";
import { analyseInput } from "../analysis-input.js";
import { archOption, engineOption, type CommonFlags } from "../common.js";
import { Output } from "../output.js";

export function register(program: Command): void {
  program
    .command("files")
    .description("per-file I/O: opens, failed opens by errno, bytes read and written, calls and -T time per path")
    .argument("[input]", "trace file, a -ff folder (merged by time), or - for stdin", "-")
    .option("--json", "JSON: {files: [{path, opens, failed, errnos, bytesRead, bytesWritten, calls, seconds}]}")
    .addOption(new Option("--sort <column>", "sort by this column (numbers largest first, path A to Z)").choices([...FILE_COLUMNS]).default("calls"))
    .option("-o, --output <file>", "write here instead of stdout")
    .addOption(engineOption())
    .addOption(archOption())
    .option("-q, --quiet", "no summary on stderr")
    .action(async (input: string, flags: CommonFlags & { json?: boolean; output?: string; sort: FileColumn }) => {
      const files = new FileAccess();
      await analyseInput(input, flags, true, (r) => files.add(r));
      const rows = files.result(flags.sort);
      const out = new Output(flags.output);
      await out.write(flags.json ? JSON.stringify({ files: rows }, null, 2) + "\n" : filesTable(rows));
      await out.close();
    });
}
