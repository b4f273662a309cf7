// JSON writing: records already parsed (outside the timed loop) to JSONL, and bytes to JSONL end to
// end (parse + write, what `parse`/`convert` do), reported in MB/s of the trace, so the first cases
// add up with the other stages and the last ones compare the two ways arguments reach the JSON.

import b from "benny";
import { CASE_OPTIONS, CHUNK, dist, mbPerSecond } from "./common.mjs";

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
  /** Parse and write, one chunk's batch at a time. */
  const endToEnd = (opts) => async () => {
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
  };
  return b.suite(
    "JSON writing (records -> JSONL)",
    // ArgNode records: JSON.stringify walks every argument object
    b.add("ArgNode records, JSON.stringify + join", () => {
      let size = 0;
      for (let i = 0; i < records.length; i += 4096) size += records.slice(i, i + 4096).map((r) => JSON.stringify(r)).join("\n").length;
      return size;
    }, CASE_OPTIONS),
    b.add("ArgNode records, JsonlWriter (bytes)", () => write(records), CASE_OPTIONS),
    // what parse and convert write now: argument JSON written at scan time, spliced into the envelope
    b.add("scan-time argument JSON, JsonlWriter (bytes)", () => write(scanTime), CASE_OPTIONS),
    b.add("end to end: wasm, scan-time argument JSON", endToEnd({ engine: "wasm", argsJson: true }), CASE_OPTIONS),
    b.add("end to end: wasm, ArgNode records", endToEnd({ engine: "wasm" }), CASE_OPTIONS),
    b.add("end to end: ts engine, scan-time argument JSON", endToEnd({ engine: "ts", argsJson: true }), CASE_OPTIONS),
    b.complete(mbPerSecond(bytes.length / 1e6, rows)),
  );
}
