// Feeding one trace's records to an analysis (tree, files, export): the input as a file or stdin,
// read in bounded memory, with the usual count line on stderr.

import { parseFileBatches } from "../api/node.js";
import type { ParseCounts } from "../parser.js";
import type { TraceRecord } from "../model/record.js";
import { reportCounts, type CommonFlags } from "./common.js";

/** Calls whose arguments the process analyses read (the others are parsed lean). */
export const PROCESS_CALLS = new Set(["fork", "vfork", "clone", "clone2", "clone3", "execve", "execveat"]);

/** Parses `input` and hands every record to `each`; `full` asks for complete records (-y results,
 *  every argument), else lean records with the arguments of process calls only. */
export async function analyseInput(
  input: string,
  flags: CommonFlags,
  full: boolean,
  each: (r: TraceRecord) => void,
  /** Runs after each batch of records, e.g. to write what they produced (backpressure). */
  afterBatch?: () => Promise<void>,
): Promise<ParseCounts> {
  const totals: ParseCounts = { lines: 0, records: 0, diagnostics: 0, bytes: 0 };
  const batches = parseFileBatches(input, {
    engine: flags.engine,
    arch: flags.arch,
    ...(full ? {} : { lean: true, argsFor: (name: string) => PROCESS_CALLS.has(name) }),
    onEnd: (c) => Object.assign(totals, c),
  });
  for await (const batch of batches) {
    for (const r of batch) each(r);
    if (afterBatch) await afterBatch();
  }
  reportCounts(flags, totals, 1);
  return totals;
}
