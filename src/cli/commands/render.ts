// `strace-seq render`: JSON Lines records back to strace text.

import { createInterface } from "node:readline";
import type { Command } from "commander";
import { openInput } from "../../api/node.js";
import { TextRenderer } from "../../model/render.js";
import type { TraceRecord } from "../../model/record.js";
import { Output, UsageError } from "../output.js";

export function register(program: Command): void {
  program
    .command("render")
    .description("turn JSON Lines records back into strace text (byte for byte with parse --no-merge)")
    .argument("[input]", "JSON Lines file, or - for stdin", "-")
    .option("-o, --output <file>", "write here instead of stdout")
    .action(async (input: string, flags: { output?: string }) => {
      const out = new Output(flags.output);
      const rl = createInterface({ input: openInput(input), crlfDelay: Infinity });
      const text = new TextRenderer();
      let n = 0;
      for await (const line of rl) {
        n++;
        if (line.trim() === "") continue;
        if (n === 1 && line.trim() === "[") throw new UsageError(`${input}:1:1: render reads JSON Lines (parse's default --format jsonl), not a JSON array`);
        let rec: TraceRecord;
        try {
          rec = JSON.parse(line) as TraceRecord;
        } catch (e) {
          throw new UsageError(`${input}:${n}:1: not a JSON record (${(e as Error).message})`);
        }
        if (typeof rec !== "object" || rec === null || typeof rec.type !== "string")
          throw new UsageError(`${input}:${n}:1: not a strace-seq record (no "type")`);
        await out.write(text.next(rec));
      }
      await out.write(text.end());
      await out.close();
    });
}
