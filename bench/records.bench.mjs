// Record materialisation: TraceParser end to end (scan, build, stitch), records dropped, no output;
// full records and the lean ones stats and sequences read.

import b from "benny";
import { CASE_OPTIONS, CHUNK, dist, mbPerSecond } from "./common.mjs";

function parseAll(parser, bytes) {
  let n = 0;
  for (let off = 0; off < bytes.length; off += CHUNK) n += parser.push(bytes.subarray(off, off + CHUNK)).length;
  return n + parser.end().length;
}

export async function recordsSuite(bytes, rows) {
  const { createParser } = await dist("api/core.js");
  // A fresh parser per pass (it is single-use); engines compile once per process and are reused.
  await createParser({ engine: "wasm" });
  const run = (opts) => async () => parseAll(await createParser(opts), bytes);
  return b.suite(
    "records (TraceParser, no output)",
    b.add("wasm (auto flavor)", run({ engine: "wasm" }), CASE_OPTIONS),
    b.add("wasm scalar", run({ engine: "wasm", wasm: { flavor: "scalar" } }), CASE_OPTIONS),
    b.add("ts engine", run({ engine: "ts" }), CASE_OPTIONS),
    // what stats and the sequence commands parse: the same records, counted fields only
    b.add("wasm, lean (stats/seq)", run({ engine: "wasm", lean: true, argsFor: () => false }), CASE_OPTIONS),
    b.add("ts engine, lean (stats/seq)", run({ engine: "ts", lean: true, argsFor: () => false }), CASE_OPTIONS),
    b.complete(mbPerSecond(bytes.length / 1e6, rows)),
  );
}
