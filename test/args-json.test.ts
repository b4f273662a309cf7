// Argument JSON written at scan time (ParserOptions.argsJson, used by `parse` and `convert` for
// JSON Lines): the WASM engine writes it from the node table (src/core/json/args.ts), the host
// stringifies the typed arguments of what that leaves out (src/model/record-json.ts), and the JSONL bytes must equal
// JSON.stringify of the ArgNode records. The whole corpus is compared in corpus.test.ts and
// mutated lines in robustness.test.ts; this file checks the paths between the two writers.

import { beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { TraceParser, type ParserOptions } from "../src/parser.js";
import { TsEngine } from "../src/engine/ts-engine.js";
import { createWasmEngine } from "../src/engine/wasm-engine.js";
import type { ArgsJsonTable, Engine, ScanBatch } from "../src/engine/types.js";
import { LineField, LineKind } from "../src/core/abi.js";
import type { TraceRecord } from "../src/model/record.js";
import { RAW_ARGS, recordJson, type RawArgsRecord } from "../src/model/record-json.js";
import { JsonlWriter } from "../src/io/jsonl.js";

let wasm: Engine;
beforeAll(async () => {
  wasm = await createWasmEngine();
});

function parseWith(engine: Engine, text: string | Uint8Array, opts: ParserOptions = {}, chunk = 0): TraceRecord[] {
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  const p = new TraceParser(engine, opts);
  const out: TraceRecord[] = [];
  if (chunk <= 0) out.push(...p.push(bytes));
  else for (let i = 0; i < bytes.length; i += chunk) out.push(...p.push(bytes.subarray(i, i + chunk)));
  out.push(...p.end());
  return out;
}

function jsonl(recs: TraceRecord[]): string {
  const w = new JsonlWriter();
  for (const r of recs) w.add(r);
  return w.take().toString("utf8");
}

const reference = (text: string | Uint8Array, merge = true) =>
  parseWith(new TsEngine(), text, { merge })
    .map((r) => JSON.stringify(r) + "\n")
    .join("");

/** Call lines of each batch whose JSON the WASM engine wrote itself, and those it left to the host. */
function wasmCoverage(text: Uint8Array): { written: number; left: number } {
  const counts = { written: 0, left: 0 };
  const spy: Engine = {
    name: "wasm",
    scan: (chunk, final) => wasm.scan(chunk, final),
    argsJson: (batch: ScanBatch): ArgsJsonTable | undefined => {
      const t = wasm.argsJson!(batch)!;
      for (let i = 0; i < batch.lineCount; i++) {
        const kind = batch.lines[i * LineField.Stride + LineField.Kind];
        if (kind !== LineKind.Call && kind !== LineKind.Unfinished && kind !== LineKind.Resumed) continue;
        if (t.spans[i * 4] >= 0) counts.written++;
        else counts.left++;
      }
      return t;
    },
  };
  parseWith(spy, text, { argsJson: true });
  return counts;
}

describe("argument JSON written at scan time", () => {
  const trace = readFileSync("fixtures/sigs_tt_T_f.strace");

  it("the WASM engine writes the arguments of every call line of a real -f trace itself, and the JSONL equals JSON.stringify", () => {
    const { written, left } = wasmCoverage(trace);
    expect(written).toBeGreaterThan(100);
    expect(left).toBe(0);
    for (const chunk of [0, 997]) expect(jsonl(parseWith(wasm, trace, { argsJson: true }, chunk))).toBe(reference(trace));
    expect(jsonl(parseWith(wasm, trace, { argsJson: true, merge: false }))).toBe(reference(trace, false));
  });

  it("shapes the WASM writer leaves to the host (a float, a comment not in `/* x */` form, an integer past 64 bits) come out the same", () => {
    const text = [
      "1234  sched_foo(1.5, 0x1) = 0",
      "1234  foo(3 /*odd*/, {a=0x1ffffffffffffffffff}) = 0",
      "1234  bar(-0, 0777, 089, 18446744073709551615, -9007199254740993) = 0",
      "1234  ioctl(3, TCGETS, {c_cc='S'}) = 0",
      "",
    ].join("\n");
    const { written, left } = wasmCoverage(new TextEncoder().encode(text));
    expect(left).toBe(2); // the float line and the comment / 70-bit line
    expect(written).toBe(2); // numbers that JSON must write differently from their text, and a char literal
    expect(jsonl(parseWith(wasm, text, { argsJson: true }))).toBe(reference(text));
    expect(jsonl(parseWith(new TsEngine(), text, { argsJson: true }))).toBe(reference(text));
  });

  it("joins a call's halves, including a `=> {...}` that completes the first half's last argument", () => {
    const text = [
      "4423  clone3({flags=CLONE_VM|CLONE_THREAD, child_tid=0x7f3f, parent_tid=0x7f3f, exit_signal=0, stack=0x7f3e, stack_size=0x7fff00, tls=0x7f3f} <unfinished ...>",
      "4426  set_robust_list(0x7f3f8, 24 <unfinished ...>",
      "4423  <... clone3 resumed> => {parent_tid=[4426]}, 88) = 4426",
      "4426  <... set_robust_list resumed>) = 0",
      "4423  read(3,  <unfinished ...>",
      '4426  write(1, "x", 1) = 1',
      '4423  <... read resumed>"abc\\n", 4096) = 4',
      "",
    ].join("\n");
    const recs = parseWith(wasm, text, { argsJson: true });
    expect(jsonl(recs)).toBe(reference(text));
    const clone = recs.find((r) => r.type === "syscall" && r.name === "clone3")!;
    expect(JSON.parse(recordJson(clone)).args[0]).toMatchObject({ kind: "change", from: { kind: "struct" }, to: { kind: "struct" } });
  });

  it("a call left unfinished keeps its own copy of its argument JSON, not its chunk's whole table", () => {
    // (a half may wait for its other half across many chunks; each would otherwise stay alive)
    const lines = ["7  read(3,  <unfinished ...>"];
    for (let i = 0; i < 2000; i++) lines.push(`8  write(1, "${"y".repeat(40)}", 40) = 40`);
    const text = lines.join("\n") + "\n";
    const recs = parseWith(wasm, text, { argsJson: true });
    const read = recs.find((r) => r.type === "syscall" && r.name === "read") as RawArgsRecord;
    expect(read.unfinished).toBe(true);
    expect(read[RAW_ARGS]!.b.length).toBeLessThan(100);
    const write = recs.find((r) => r.type === "syscall" && r.name === "write") as RawArgsRecord;
    expect(write[RAW_ARGS]!.b.length).toBeGreaterThan(100_000); // the chunk's table, shared
    expect(jsonl(recs)).toBe(reference(text));
  });

  it("with no memory left for the JSON table under the engine's limit, the host writes the JSON, the same", async () => {
    // 400 kB holds the scan tables for this input but not its argument JSON as well
    const tight = await createWasmEngine({ maxMemoryBytes: 400_000 });
    const batch = tight.scan(trace, true);
    expect(batch.lineCount).toBeGreaterThan(100);
    expect(tight.argsJson!(batch)).toBeUndefined();
    expect(jsonl(parseWith(await createWasmEngine({ maxMemoryBytes: 400_000 }), trace, { argsJson: true }))).toBe(reference(trace));
  });

  it("a record whose JSON has non-ASCII text before the arguments (a file name) gets them in the right place", () => {
    const opts = { file: "tränce/ß.strace", tagFile: true };
    const text = '1  openat(AT_FDCWD, "/tmp/x", O_RDONLY) = 3\n';
    const expected = parseWith(new TsEngine(), text, opts)
      .map((r) => JSON.stringify(r) + "\n")
      .join("");
    expect(jsonl(parseWith(wasm, text, { ...opts, argsJson: true }))).toBe(expected);
  });

  it("records of the other formats keep ArgNode arguments (argsJson only on request)", () => {
    const [rec] = parseWith(wasm, '1  write(1, "hi", 2) = 2\n');
    expect(rec.type === "syscall" && rec.args.length).toBe(3);
    expect((rec as RawArgsRecord)[RAW_ARGS]).toBeUndefined();
  });
});

describe("argument JSON through the public API", () => {
  it("parse(text, { argsJson: true }) with recordJson gives what JSON.stringify gives for parse(text)", async () => {
    const { parse, recordJson: publicRecordJson } = await import("../src/index.js");
    const text = readFileSync("fixtures/net_yy_f.strace", "utf8");
    const typed = (await parse(text)).records.map((r) => JSON.stringify(r));
    const fast = await parse(text, { argsJson: true });
    expect(fast.records.map(publicRecordJson)).toEqual(typed);
    expect(fast.syscalls.every((c) => c.record.args.length === 0)).toBe(true);
  });
});
