// Feeding one trace's records to an analysis (tree, files, export): a file, stdin, or a `-ff`
// folder (its per-pid files merged by time, as convert does), read in bounded memory, with the
// usual count line on stderr.

import { readdir, stat } from "node:fs/promises";
import { parseFileBatches } from "../api/node.js";
import type { ParseCounts } from "../parser.js";
import type { TraceRecord } from "../model/record.js";
import { ffFolderMembers, ffMembers } from "../convert/plan.js";
import { RecordSource } from "../convert/source.js";
import { mergeByTime, RECORD_TIME } from "../convert/merge.js";
import { reportCounts, type CommonFlags } from "./common.js";
import { UsageError } from "./output.js";

/** Calls whose arguments the process analyses read (the others are parsed lean). */
export const PROCESS_CALLS = new Set(["fork", "vfork", "clone", "clone2", "clone3", "execve", "execveat"]);

/** Read size per member of a -ff folder, where many parsers are alive at once (as in convert). */
const FF_CHUNK = 64 << 10;

/** Batches of a -ff folder's records in time order, or null when `input` is not a folder. */
async function ffBatches(input: string, flags: CommonFlags, lean: object, totals: ParseCounts): Promise<AsyncIterable<TraceRecord[]> | null> {
  if (input === "-" || !(await stat(input)).isDirectory()) return null;
  const entries = (await readdir(input, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (!ffMembers(entries)) throw new UsageError(`${input} is a directory but not a -ff folder (files NAME.PID): give one trace or one -ff folder`);
  const members = await ffFolderMembers(
    input,
    entries.map((e) => e.name),
  );
  const sources = members.map(
    (m) => new RecordSource(m.path, { engine: flags.engine ?? "wasm", merge: true, tagFile: true, pid: m.pid, chunk: FF_CHUNK, ...lean }),
  );
  return (async function* () {
    yield* mergeByTime(sources, RECORD_TIME);
    for (const s of sources) {
      totals.lines += s.counts.lines;
      totals.records += s.counts.records;
      totals.diagnostics += s.counts.diagnostics;
      totals.bytes += s.counts.bytes;
    }
  })();
}

/** Parses `input` and hands every record to `each`; `full` asks for complete records (-y results,
 *  every argument, timestamp texts), else lean records with the arguments of process calls only. */
export async function analyseInput(
  input: string,
  flags: CommonFlags,
  full: boolean,
  each: (r: TraceRecord) => void,
  /** Runs after each batch of records, e.g. to write what they produced (backpressure). */
  afterBatch?: () => Promise<void>,
): Promise<ParseCounts> {
  const totals: ParseCounts = { lines: 0, records: 0, diagnostics: 0, bytes: 0 };
  const lean = full ? {} : { lean: true, argsFor: (name: string) => PROCESS_CALLS.has(name) };
  const batches =
    (await ffBatches(input, flags, lean, totals)) ??
    parseFileBatches(input, { engine: flags.engine, arch: flags.arch, ...lean, onEnd: (c) => Object.assign(totals, c) });
  let files = 1;
  for await (const batch of batches) {
    for (const r of batch) each(r);
    if (afterBatch) await afterBatch();
  }
  if (input !== "-" && (await stat(input)).isDirectory()) files = (await readdir(input)).length;
  reportCounts(flags, totals, files);
  return totals;
}
