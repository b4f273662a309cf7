// `strace-seq tree`: the process tree of a trace, as text or JSON.

import type { Command } from "commander";
import { ProcessTree } from "../../analyze/tree.js";
import { analyseInput } from "../analysis-input.js";
import { archOption, engineOption, type CommonFlags } from "../common.js";
import { Output } from "../output.js";

export function register(program: Command): void {
  program
    .command("tree")
    .description("the process tree: fork/clone/execve, executables and argv, exit status, calls and time per process")
    .argument("[input]", "trace file, a -ff folder (merged by time), or - for stdin", "-")
    .option("--json", "JSON: {tasks: [{pid, ppid, thread, tgid, exe, argv, execs, exit, calls, errors, seconds, start, end, children}]}")
    .option("-o, --output <file>", "write here instead of stdout")
    .addOption(engineOption())
    .addOption(archOption())
    .option("-q, --quiet", "no summary on stderr")
    .action(async (input: string, flags: CommonFlags & { json?: boolean; output?: string }) => {
      const tree = new ProcessTree();
      await analyseInput(input, flags, false, (r) => tree.add(r));
      const out = new Output(flags.output);
      await out.write(flags.json ? JSON.stringify(tree, null, 2) + "\n" : tree.text());
      await out.close();
    });
}
