// JSON writing, reported in MB/s of the trace: bytes to JSONL end to end (parse + write, what
// `parse`/`convert` do) per engine and per way the arguments reach the JSON; and writing alone,
// records parsed outside the timed loop. The end-to-end suite runs first and keeps nothing: the
// second holds two record sets (~0.5 GB of objects) whose garbage collection would slow the first.

import b from "benny";
import { CASE_OPTIONS, CHUNK, dist, mbPerSecond } from "./common.mjs";

/** Parse and write, one chunk's batch at a time, as the CLI does. */
async function endToEnd(createParser, JsonlWriter, bytes, opts) {
  const p = await createParser(opts);
  const w = new JsonlWriter();
  let size = 0;
  const add = (recs) => {
    for (const r of recs) w.add(r);
    size += w.take().length;
  };
  for (let off = 0; off < bytes.length; off += CHUNK) add(p.push(bytes.subarray(off, off + CHUNK)));
  add(p.end());
  return size;
}

export async function jsonEndToEndSuite(bytes, rows) {
  const { createParser } = await dist("api/core.js");
  const { JsonlWriter } = await dist("io/jsonl.js");
  const run = (opts) => () => endToEnd(createParser, JsonlWriter, bytes, opts);
  return b.suite(
    "JSONL end to end (bytes -> records -> JSONL bytes)",
    // what parse and convert do: argument JSON written at scan time, spliced into the envelope
    b.add("wasm, scan-time argument JSON", run({ engine: "wasm", argsJson: true }), CASE_OPTIONS),
    b.add("wasm, argument trees + JSON.stringify", run({ engine: "wasm" }), CASE_OPTIONS),
    b.add("ts engine, scan-time argument JSON", run({ engine: "ts", argsJson: true }), CASE_OPTIONS),
    b.complete(mbPerSecond(bytes.length / 1e6, rows)),
  );
}

export async function jsonSuite(bytes, rows) {
  const { parse, createParser } = await dist("api/core.js");
  const { JsonlWriter } = await dist("io/jsonl.js");
  const records = (await parse(bytes)).records;
  const scanTime = [];
  {
    const p = await createParser({ engine: "wasm", argsJson: true });
    for (let off = 0; off < bytes.length; off += CHUNK) scanTime.push(...p.push(bytes.subarray(off, off + CHUNK)));
    scanTime.push(...p.end());
  }
  const write = (recs) => {
    const w = new JsonlWriter();
    let size = 0;
    for (let i = 0; i < recs.length; i++) {
      w.add(recs[i]);
      if (w.length >= 1 << 20) size += w.take().length;
    }
    return size + w.take().length;
  };
  return b.suite(
    "JSON writing alone (records -> JSONL)",
    // argument trees: JSON.stringify walks every argument object
    b.add(
      "argument trees, JSON.stringify + join",
      () => {
        let size = 0;
        for (let i = 0; i < records.length; i += 4096)
          size += records
            .slice(i, i + 4096)
            .map((r) => JSON.stringify(r))
            .join("\n").length;
        return size;
      },
      CASE_OPTIONS,
    ),
    b.add("argument trees, JsonlWriter (bytes)", () => write(records), CASE_OPTIONS),
    b.add("scan-time argument JSON, JsonlWriter (bytes)", () => write(scanTime), CASE_OPTIONS),
    b.complete(mbPerSecond(bytes.length / 1e6, rows)),
  );
}
