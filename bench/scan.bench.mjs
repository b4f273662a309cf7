// Stage 1 alone: the scanners' scan() over a real trace, no records built. WASM SIMD vs WASM scalar
// vs the pure-TypeScript engine; the tables are produced and dropped.

import b from "benny";
import { CASE_OPTIONS, CHUNK, dist, mbPerSecond } from "./common.mjs";

/** Feeds the buffer in 1 MB windows the way TraceParser does, without the carry copy. */
function scanAll(engine, bytes) {
  let off = 0;
  let lines = 0;
  while (off < bytes.length) {
    const end = Math.min(bytes.length, off + CHUNK);
    const batch = engine.scan(bytes.subarray(off, end), end === bytes.length);
    lines += batch.lineCount;
    if (batch.consumed === 0) break;
    off += batch.consumed;
  }
  return lines;
}

export async function scanSuite(bytes, rows) {
  const { createWasmEngine } = await dist("engine/wasm-engine.js");
  const { TsEngine } = await dist("engine/ts-engine.js");
  const simd = await createWasmEngine({ flavor: "simd" });
  const scalar = await createWasmEngine({ flavor: "scalar" });
  const ts = new TsEngine();
  return b.suite(
    "scan (stage 1 only)",
    b.add("wasm simd", () => scanAll(simd, bytes), CASE_OPTIONS),
    b.add("wasm scalar", () => scanAll(scalar, bytes), CASE_OPTIONS),
    b.add("ts engine", () => scanAll(ts, bytes), CASE_OPTIONS),
    b.complete(mbPerSecond(bytes.length / 1e6, rows)),
  );
}
