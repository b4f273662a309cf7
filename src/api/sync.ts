// Synchronous parsing, with the pure-TypeScript engine (WASM compilation is asynchronous): a
// module of its own, so that only its users load the TS build (api/core.ts loads it on demand).

import { TsEngine } from "../engine/ts-engine.js";
import { toBytes, type ParseOptions } from "./core.js";
import { TraceParser } from "../parser.js";
import { Trace } from "../model/trace.js";

/** Synchronous parse with the pure-TypeScript engine (WASM compilation is asynchronous). */
export function parseSync(input: string | Uint8Array, opts: Omit<ParseOptions, "engine"> = {}): Trace {
  const p = new TraceParser(new TsEngine(), opts);
  const records = p.push(toBytes(input));
  for (const r of p.end()) records.push(r);
  return new Trace(records, p.counts);
}
