// The TS engine's heap grows by copying (src/core/mem.ts growMemory), and reading the old heap
// makes its pages resident: an input's first reservations (the rows' block with its JSON ring,
// then the first chunk's tables, then a little more) must cost one growth, not one each, or a
// TS `parse` peaks at twice the memory it uses.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createEngine } from "../src/api/core.js";
import type { CoreEngine } from "../src/engine/core-engine.js";
import { RowParser } from "../src/model/row-parser.js";

const SEED = join(__dirname, "../../shared/corpus/strace-6.1/pipeline_tt_T_f.strace");

describe("the TS engine's heap", () => {
  it("grows once for the JSON rows of an input read 1 MiB at a time", async () => {
    const seed = readFileSync(SEED);
    const input = Buffer.concat(Array.from({ length: Math.ceil(4e6 / seed.length) }, () => seed));
    const engine = (await createEngine("ts")) as CoreEngine;
    // a growth is a new heap: ArrayBuffers of a MiB and more made while the input is read
    const grown: number[] = [];
    const original = globalThis.ArrayBuffer;
    globalThis.ArrayBuffer = new Proxy(original, {
      construct(target, args: [number]) {
        const b = new target(...args);
        if (b.byteLength >= 1 << 20) grown.push(b.byteLength);
        return b;
      },
    });
    let json = 0;
    try {
      const p = new RowParser(engine, { json: { arch: "x86_64", stamp: new Uint8Array(0), onJson: (b) => (json += b.length) } }, () => undefined);
      for (let at = 0; at < input.length; at += 1 << 20) p.push(input.subarray(at, at + (1 << 20)));
      p.end();
    } finally {
      globalThis.ArrayBuffer = original;
    }
    expect(json).toBeGreaterThan(3 * input.length);
    expect(grown.length).toBe(1);
  });
});
