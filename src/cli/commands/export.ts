// `strace-seq export --format perfetto`: a timeline for ui.perfetto.dev and chrome://tracing.

import { unlink } from "node:fs/promises";
import { Option, type Command } from "commander";
import { PerfettoExporter } from "../../analyze/perfetto.js";
import { analyseInput } from "../analysis-input.js";
import { archOption, engineOption, type CommonFlags } from "../common.js";
import { Output, UsageError } from "../output.js";

export function register(program: Command): void {
  program
    .command("export")
    .description("export a trace for other tools: --format perfetto gives Chrome/Perfetto trace-event JSON")
    .argument("[input]", "trace file, a -ff folder (merged by time), or - for stdin", "-")
    .addOption(
      new Option("--format <format>", "perfetto: Chrome trace-event JSON (a track per thread, a slice per call)").choices(["perfetto"]).makeOptionMandatory(),
    )
    .requiredOption("-o, --output <file>", "the JSON file to write (- for stdout)")
    .addOption(engineOption())
    .addOption(archOption())
    .option("-q, --quiet", "no summary on stderr")
    .action(async (input: string, flags: CommonFlags & { output: string; format: "perfetto" }) => {
      const out = new Output(flags.output);
      let pending: string[] = [];
      let first = true;
      const exporter = new PerfettoExporter((e) => {
        pending.push((first ? "\n" : ",\n") + JSON.stringify(e));
        first = false;
      });
      const flush = async () => {
        if (pending.length === 0) return;
        const text = pending.join("");
        pending = [];
        await out.write(text);
      };
      await out.write('{"traceEvents":[');
      // full records: their timestamp text gives exact microseconds (a double epoch time does not)
      await analyseInput(input, flags, true, (r) => exporter.add(r), flush);
      exporter.finish();
      await flush();
      const origin = exporter.timeOrigin !== undefined ? `,"otherData":{"timeOrigin":${JSON.stringify(exporter.timeOrigin)}}` : "";
      await out.write(`\n],"displayTimeUnit":"ms"${origin}}\n`);
      await out.close();
      if (exporter.untimed > 0 && exporter.timeOrigin === undefined) {
        if (flags.output !== "-") await unlink(flags.output).catch(() => undefined);
        throw new UsageError(`${input} has no timestamps: a timeline needs a trace recorded with strace -t, -tt or -ttt (and -T for durations)`);
      }
    });
}
