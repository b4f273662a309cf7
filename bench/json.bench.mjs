// JSON writing alone: records already parsed (outside the timed loop) to JSONL text, reported in MB/s
// of the trace they came from, so it adds up with the other stages.

import b from "benny";
import { CASE_OPTIONS, dist, mbPerSecond } from "./common.mjs";

export async function jsonSuite(bytes, rows) {
  const { parse } = await dist("api/core.js");
  const trace = await parse(bytes);
  const records = trace.records;
  return b.suite(
    "JSON writing (records -> JSONL text)",
    // What convert does: one JSON.stringify per record, joined per batch.
    b.add("JSON.stringify + join", () => {
      let size = 0;
      for (let i = 0; i < records.length; i += 4096) size += records.slice(i, i + 4096).map((r) => JSON.stringify(r)).join("\n").length;
      return size;
    }, CASE_OPTIONS),
    // What parse's Output does: one string per record plus "\n", collected into ~1 MB joins.
    b.add("stringify + '\\n' per record, 1 MB joins", () => {
      let parts = [];
      let size = 0;
      let total = 0;
      for (const r of records) {
        const s = JSON.stringify(r) + "\n";
        parts.push(s);
        size += s.length;
        if (size >= 1 << 20) {
          total += parts.join("").length;
          parts = [];
          size = 0;
        }
      }
      return total + parts.join("").length;
    }, CASE_OPTIONS),
    b.complete(mbPerSecond(bytes.length / 1e6, rows)),
  );
}
