// JSON Lines both ways for test/rows-json*.test.ts: the fast way (`jsonlChunks`: the core's rows
// write records, the full reading takes over where they stop) and the full way (`parseFile` with
// JSON arguments + `recordJson`), as bytes, with the path the fast way took.

import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import { createEngine } from "../../src/api/core.js";
import { jsonlChunks, type JsonlOptions } from "../../src/api/jsonl-fast.js";
import { parseFileBatches } from "../../src/api/node.js";
import type { CoreEngine } from "../../src/engine/core-engine.js";
import { recordJson } from "../../src/model/record-json.js";
import { SCHEMA_ID, type TraceRecord } from "../../src/model/record.js";
import type { QuietPoint } from "../../src/model/row-parser.js";
import type { ParseCounts } from "../../src/parser.js";
import { REPO } from "./shared.js";

export const ENGINES = ["wasm", "ts"] as const;
export type Engine = (typeof ENGINES)[number];
export const OUT = path.join(REPO, "test-output", "rows-json");

/** A call line as strace lays it out: ` = ` at column 40 (at least one space before it). */
export const al = (head: string, result: string): string => `${head}${" ".repeat(Math.max(0, 39 - head.length))} = ${result}`;

/** One engine of each kind, reused from input to input as `parse` reuses its engine. */
const engines = new Map<Engine, Promise<CoreEngine>>();
export function coreEngine(engine: Engine): Promise<CoreEngine> {
  let e = engines.get(engine);
  if (!e) engines.set(engine, (e = createEngine(engine) as Promise<CoreEngine>));
  return e;
}

export function writeTrace(name: string, text: string | Uint8Array): string {
  mkdirSync(OUT, { recursive: true });
  const f = path.join(OUT, name);
  writeFileSync(f, text);
  return f;
}

/** Bytes as text one character a byte, so a comparison is byte for byte and a diff still reads. */
const bytesText = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.length).toString("latin1");

export interface FastResult {
  text: string;
  path: "rows" | "full" | undefined;
  from: QuietPoint | undefined;
  counts: ParseCounts;
}

export async function fastJsonl(file: string, engine: Engine, opts: Omit<JsonlOptions, "engine" | "onPath" | "coreEngine"> = {}): Promise<FastResult> {
  let via: "rows" | "full" | undefined;
  let from: QuietPoint | undefined;
  const parts: Buffer[] = [];
  const it = jsonlChunks(file, {
    ...opts,
    engine,
    coreEngine: await coreEngine(engine),
    onPath: (p, q) => {
      // told once per input
      expect(via).toBeUndefined();
      via = p;
      from = q;
    },
  });
  let step = await it.next();
  for (; !step.done; step = await it.next()) parts.push(step.value);
  return { text: bytesText(Buffer.concat(parts)), path: via, from, counts: step.value };
}

export async function fullJsonl(
  file: string,
  engine: Engine,
  tagFile = false,
  maxHeld?: number,
): Promise<{ text: string; counts: ParseCounts; records: TraceRecord[] }> {
  let text = "";
  let counts: ParseCounts | undefined;
  const records: TraceRecord[] = [];
  for await (const batch of parseFileBatches(file, { engine, argsJson: true, tagFile, maxHeld, onEnd: (c) => (counts = c) }))
    for (const r of batch) {
      text += recordJson(r) + "\n";
      records.push(r);
    }
  return { text: bytesText(Buffer.from(text, "utf8")), counts: counts!, records };
}

/** What the fast way must have done: rows alone, the full reading from the start, or the full
 *  reading from a quiet point after some records the rows wrote ("midway"). */
export type Expected = "rows" | "full" | "midway" | "any";

/**
 * Asserts the fast way's bytes and counts are the full way's, that it took the `expected` path,
 * and that the schema is named once, on the first record; returns the records (parsed back).
 */
export async function expectSameJsonl(
  file: string,
  engine: Engine,
  expected: Expected,
  opts: Omit<JsonlOptions, "engine" | "onPath" | "coreEngine"> = {},
): Promise<FastResult & { records: Record<string, unknown>[] }> {
  const fast = await fastJsonl(file, engine, opts);
  const full = await fullJsonl(file, engine, opts.tagFile, opts.maxHeld);
  expect(fast.text).toBe(full.text);
  expect({ lines: fast.counts.lines, records: fast.counts.records, diagnostics: fast.counts.diagnostics }).toEqual({
    lines: full.counts.lines,
    records: full.counts.records,
    diagnostics: full.counts.diagnostics,
  });
  if (expected === "rows") expect(fast.path, `${file}: rows alone`).toBe("rows");
  else if (expected === "full") {
    expect(fast.path, `${file}: the full reading`).toBe("full");
    expect(fast.from!.offset).toBe(0);
  } else if (expected === "midway") {
    expect(fast.path, `${file}: the full reading from a quiet point`).toBe("full");
    expect(fast.from!.offset).toBeGreaterThan(0);
    expect(fast.from!.records).toBeGreaterThan(0);
  }
  const records = Buffer.from(fast.text, "latin1")
    .toString("utf8")
    .split("\n")
    .slice(0, -1)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(records.length).toBeGreaterThan(0);
  expect(records[0]!.schema).toBe(SCHEMA_ID);
  expect(records.filter((r) => "schema" in r)).toHaveLength(1);
  return { ...fast, records };
}
