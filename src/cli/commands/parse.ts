// `strace-seq parse`: strace text to JSON Lines (or one JSON array), one record per event.

import { Option, type Command } from "commander";
import { dirname } from "node:path";
import { stat } from "node:fs/promises";
import { expandInputs, parseFileBatches } from "../../api/node.js";
import type { DiagnosticRecord } from "../../model/record.js";
import { formatDiagnostic } from "../../model/diagnostics.js";
import { Output, EXIT_STRICT, UsageError } from "../output.js";
import { archOption, engineOption, nonNegativeInt, positiveInt, reportCounts, type CommonFlags } from "../common.js";
import { toOmni } from "../../model/omni.js";
import { JsonlWriter } from "../../io/jsonl.js";
import { jsonlChunks } from "../../api/jsonl-fast.js";
import { jsonlSplitChunks } from "../../api/split-jsonl.js";
import { writeOverlapped } from "../../io/overlapped.js";
import { createEngine } from "../../api/core.js";
import { CoreEngine } from "../../engine/core-engine.js";
import type { TraceRecord } from "../../model/record.js";

interface ParseFlags extends CommonFlags {
  output?: string;
  format: "jsonl" | "json" | "omni" | "parquet";
  merge: boolean;
  strict?: boolean;
  maxDiagnostics?: number;
  jobs?: number;
}

export function register(program: Command): void {
  program
    .command("parse")
    .description("parse strace output into typed records (JSON Lines)")
    .argument("[inputs...]", "files, directories (recursive) or - for stdin", ["-"])
    .option("-o, --output <file>", "write here instead of stdout")
    .addOption(
      new Option(
        "--format <format>",
        "jsonl: one record per line; json: one array; omni: the seed's JSON array shape; parquet: one flat row per record (needs -o; docs/scale.md)",
      )
        .choices(["jsonl", "json", "omni", "parquet"])
        .default("jsonl"),
    )
    .addOption(engineOption())
    .addOption(archOption())
    .option("--no-merge", "one record per input line: keep unfinished/resumed halves and split lines apart")
    .option("--strict", "exit 1 if any line is not strace output or cannot be read")
    .option("--max-diagnostics <n>", "write at most N diagnostic records per input (all are still counted)", nonNegativeInt)
    .option("-q, --quiet", "no summary on stderr")
    .option(
      "-j, --jobs <n>",
      "threads: 2 writes the JSON Lines of the later part of a plain file of 64 MiB or more in a second thread (~1.5x faster; ~60 MB more memory, and up to ~1 GB of them on disk until this one is done, beside -o FILE or in the temporary folder); 1 (the default) reads in one",
      positiveInt,
    )
    .action(async (inputs: string[], flags: ParseFlags) => {
      const files = await expandInputs(inputs);
      if (flags.format === "parquet" && (flags.output === undefined || flags.output === "-"))
        throw new UsageError("--format parquet writes a binary file: give it with -o FILE");
      const out = new Output(flags.output);
      // (loaded only when asked for: the writer's library is slow to load)
      const parquet = flags.format === "parquet" ? new (await import("../../io/parquet.js")).ParquetRecordWriter((bytes) => out.write(bytes)) : undefined;
      const maxDiag = flags.maxDiagnostics ?? Infinity;
      // Two threads only when asked: the run then needs ~170-190 MB (one ~115), close to the 200
      // MB a run may take, and up to ~1 GB of JSON on disk while it lasts (stats and the sequence
      // commands split by default); and not when diagnostics are capped or kept (the second
      // thread writes every record it reads).
      const jobs = maxDiag === Infinity && !flags.strict ? (flags.jobs ?? 1) : 1;
      const splitMinBytes = process.env.STRACE_SEQ_SPLIT_BYTES ? Number(process.env.STRACE_SEQ_SPLIT_BYTES) : undefined;
      const tempDir = await besideOutput(flags.output);
      const firstDiagnostics: DiagnosticRecord[] = [];
      const totals = { lines: 0, records: 0, diagnostics: 0, bytes: 0 };
      let firstOut = true;
      const jsonl = new JsonlWriter();
      if (flags.format !== "jsonl" && !parquet) await out.write("[");
      // merged JSON Lines come the fast way (api/jsonl-fast.ts), one engine for every input
      const fast = flags.format === "jsonl" && flags.merge;
      const engine = fast ? await createEngine(flags.engine) : undefined;
      const count = (c: { lines: number; records: number; diagnostics: number; bytes: number }) => {
        totals.lines += c.lines;
        totals.records += c.records;
        totals.diagnostics += c.diagnostics;
        totals.bytes += c.bytes;
      };
      try {
        for (const [i, file] of files.entries()) {
          let written = 0;
          /** Whether to write a record: at most maxDiag diagnostics an input (the first few kept for --strict). */
          const keep = (rec: TraceRecord): boolean => {
            if (rec.type !== "diagnostic") return true;
            if (firstDiagnostics.length < 5) firstDiagnostics.push(rec);
            return written++ < maxDiag;
          };
          if (fast) {
            // (each buffer's write is done before the one after the next is asked for, so the buffers are reused)
            const how = {
              engine: flags.engine,
              coreEngine: engine instanceof CoreEngine ? engine : undefined,
              arch: flags.arch,
              tagFile: files.length > 1,
              reuseBuffers: true,
            };
            const chunks =
              jobs > 1
                ? jsonlSplitChunks(file, { ...how, jobs, split: { minBytes: splitMinBytes, keepThread: i < files.length - 1 }, tempDir })
                : jsonlChunks(file, { ...how, keep });
            count(await writeOverlapped(chunks, (b) => out.writeNow(b)));
            continue;
          }
          const batches = parseFileBatches(file, {
            engine: flags.engine,
            arch: flags.arch,
            merge: flags.merge,
            // Parquet rows always name their file, like convert's
            tagFile: files.length > 1 || parquet !== undefined,
            // JSONL splices argument JSON written at scan time; the other formats need ArgNodes
            argsJson: flags.format === "jsonl",
            onEnd: count,
          });
          for await (const batch of batches) {
            let text = "";
            for (const rec of batch) {
              if (!keep(rec)) continue;
              if (parquet) parquet.add(rec);
              else if (flags.format === "jsonl") jsonl.add(rec);
              else {
                const value = flags.format === "omni" ? toOmni(rec) : rec;
                if (value === undefined) continue;
                text += (firstOut ? "\n" : ",\n") + JSON.stringify(value);
                firstOut = false;
              }
            }
            if (parquet) await parquet.flushed();
            else await out.write(flags.format === "jsonl" ? jsonl.take() : text);
          }
        }
      } catch (e) {
        // an input that fails later must not take the records already parsed with it
        await out.close().catch(() => undefined);
        throw e;
      }
      if (parquet) await parquet.finish();
      else if (flags.format !== "jsonl") await out.write("\n]\n");
      await out.close();
      reportCounts(flags, totals, files.length);
      if (flags.strict && totals.diagnostics > 0) {
        for (const d of firstDiagnostics) process.stderr.write(formatDiagnostic(d) + "\n");
        process.exitCode = EXIT_STRICT;
      }
    });
}

/** Where a second thread's JSON Lines wait: beside an output file (the disk the user chose for
 *  them), else (stdout, a device such as /dev/null) the system's temporary folder. */
async function besideOutput(output: string | undefined): Promise<string | undefined> {
  if (output === undefined || output === "-") return undefined;
  const info = await stat(output).catch(() => undefined);
  return info === undefined || info.isFile() ? dirname(output) : undefined;
}
