// strace 7.x `--color=always`: a coloured trace gives the records of the same trace without
// colour, and `--no-merge | render` gives the coloured bytes back. The fixtures in
// fixtures/color/ were made with strace 7.2 built from source (see fixtures/README.md).

import { describe, expect, it } from "vitest";
import ajv2020 from "ajv/dist/2020.js";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseAll } from "../src/conformance/check.js";
import { TsEngine } from "../src/engine/ts-engine.js";
import { createWasmEngine } from "../src/engine/wasm-engine.js";
import type { Engine } from "../src/engine/types.js";
import { TraceParser } from "../src/parser.js";
import { renderRecords } from "../src/model/render.js";
import type { DiagnosticRecord, SyscallRecord, TraceRecord } from "../src/model/record.js";

const DIR = path.join(import.meta.dirname, "..", "fixtures", "color");
const coloured = readdirSync(DIR, { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".color.strace") || /prog_ff_color\/prog\.\d+$/.test(f))
  .map((f) => path.join(DIR, f))
  .sort();
const pairs = coloured.filter((f) => f.endsWith(".color.strace") && path.basename(f).startsWith("det"));

const latin1 = new TextDecoder("latin1");
// ESC [ params m, built from its code so the pattern holds no control character
const SGR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

/** The uncoloured text, made independently of the module under test: a plain regex. */
function stripped(bytes: Uint8Array): Uint8Array {
  return Uint8Array.from(latin1.decode(bytes).replace(SGR, ""), (c) => c.charCodeAt(0));
}

/** A record without its colour layout (and without `fmt` when nothing else is left); a
 *  diagnostic's column is counted in its own line, so it is compared apart (sameColumn). */
function withoutSgr(r: TraceRecord): unknown {
  const copy = structuredClone(r) as TraceRecord;
  if (copy.fmt) {
    delete copy.fmt.sgr;
    if (Object.values(copy.fmt).every((v) => v === undefined)) delete copy.fmt;
  }
  if (copy.type === "diagnostic") delete (copy as Partial<DiagnosticRecord>).column;
  return copy;
}

/** The coloured diagnostic's column names the character the plain one's names, after the same text. */
function expectSameColumn(coloured: DiagnosticRecord, plain: DiagnosticRecord, colouredLine: string): void {
  const plainLine = colouredLine.replace(SGR, "");
  expect(colouredLine.slice(0, coloured.column - 1).replace(SGR, "")).toBe(plainLine.slice(0, plain.column - 1));
  expect(colouredLine[coloured.column - 1]).toBe(plainLine[plain.column - 1]);
}

const engines: [string, () => Promise<Engine>][] = [
  ["ts", async () => new TsEngine()],
  ["wasm", () => createWasmEngine()],
];

function inputLines(bytes: Uint8Array): string[] {
  const text = latin1.decode(bytes);
  return (text.endsWith("\n") ? text.slice(0, -1) : text).split("\n");
}

describe("strace --color=always traces", () => {
  it("the fixtures are coloured", () => {
    expect(coloured.length).toBeGreaterThanOrEqual(10);
    for (const f of coloured) expect(readFileSync(f).includes(0x1b)).toBe(true);
  });

  describe.each(engines)("%s engine", (_name, make) => {
    it.each(coloured)("%s: the records of the trace without its colour, line numbers included", async (file) => {
      const engine = await make();
      const bytes = new Uint8Array(readFileSync(file));
      const plain = stripped(bytes);
      for (const merge of [true, false]) {
        const got = parseAll(engine, bytes, file, merge);
        const want = parseAll(engine, plain, file, merge);
        expect(got.map(withoutSgr)).toEqual(want.map(withoutSgr));
        const lines = inputLines(bytes);
        got.forEach((r, i) => {
          if (r.type === "diagnostic") expectSameColumn(r, want[i] as DiagnosticRecord, lines[r.line - 1]);
        });
        // and the colour is really kept, not dropped
        expect(got.some((r) => r.fmt?.sgr !== undefined)).toBe(true);
      }
    });

    it.each(coloured)("%s: parse --no-merge | render gives the coloured bytes back", async (file) => {
      const bytes = new Uint8Array(readFileSync(file));
      const rendered = [...renderRecords(parseAll(await make(), bytes, file, false))].join("");
      expect(rendered).toBe(latin1.decode(bytes));
    });

    it.each(coloured)("%s: no coloured line is a not-strace diagnostic", async (file) => {
      const bytes = new Uint8Array(readFileSync(file));
      const lines = inputLines(bytes);
      const recs = parseAll(await make(), bytes, file, true);
      const diags = recs.filter((r): r is DiagnosticRecord => r.type === "diagnostic");
      // (program output printed into a coloured call line is reported, the call kept whole)
      for (const d of diags) if (lines[d.line - 1].includes("\x1b")) expect(d).toMatchObject({ code: "program-output", fmt: { inline: true } });
      // every coloured line belongs to a record that carries its sequences
      const carried = new Set<number>();
      for (const r of recs) for (const m of r.fmt?.sgr ?? []) carried.add(r.line + m.line);
      lines.forEach((l, i) => {
        if (l.includes("\x1b")) expect(carried.has(i + 1)).toBe(true);
      });
    });
  });

  it.each(pairs)("%s: the records of a separate run without --color (all but execve's environment address)", async (file) => {
    const engine = await createWasmEngine();
    const plainFile = file.replace(".color.strace", ".plain.strace");
    const mask = (r: TraceRecord): unknown => {
      const c = withoutSgr(r) as TraceRecord;
      // the run's stack (and so the envp pointer) moves with strace's own environment
      if (c.type === "syscall" && c.name === "execve") c.args[2] = { kind: "elided" };
      return c;
    };
    const got = parseAll(engine, new Uint8Array(readFileSync(file)), "t", true);
    const want = parseAll(engine, new Uint8Array(readFileSync(plainFile)), "t", true);
    expect(got.map(mask)).toEqual(want.map(mask));
    const calls = got.filter((r): r is SyscallRecord => r.type === "syscall");
    expect(calls.find((c) => c.errno === "ENOENT")).toMatchObject({ name: "openat", ret: -1, errmsg: "No such file or directory" });
    expect(got.find((r) => r.type === "signal")).toMatchObject({ signal: "SIGUSR1" });
    expect(got.find((r) => r.type === "exit")).toMatchObject({ how: "exited", code: 4 });
  });

  it("the records, sequences included, validate against schema/record.schema.json", () => {
    // ajv is CommonJS: under NodeNext the default import is typed as the module, whose `default` is the class.
    type AjvClass = typeof ajv2020.default;
    const Ajv2020: AjvClass = (ajv2020 as unknown as { default?: AjvClass }).default ?? (ajv2020 as unknown as AjvClass);
    const schema = JSON.parse(readFileSync(path.join(import.meta.dirname, "..", "schema", "record.schema.json"), "utf8"));
    const validate = new Ajv2020({ strict: true, allowUnionTypes: true }).compile(schema);
    let withSgr = 0;
    for (const file of coloured) {
      for (const merge of [true, false]) {
        for (const r of parseAll(new TsEngine(), new Uint8Array(readFileSync(file)), file, merge)) {
          if (!validate(JSON.parse(JSON.stringify(r)))) throw new Error(`${file}:${r.line}: ${JSON.stringify(validate.errors)}`);
          if (r.fmt?.sgr) withSgr++;
        }
      }
    }
    expect(withSgr).toBeGreaterThan(500);
  });

  it("a sequence cut by any chunk boundary gives the same records", async () => {
    const file = path.join(DIR, "prog_tt_T_f_stderr.color.strace");
    const bytes = new Uint8Array(readFileSync(file));
    const engine = new TsEngine();
    const whole = JSON.stringify(parseAll(engine, bytes, file, true));
    for (const chunk of [1, 2, 3, 4, 5, 7, 11]) expect(JSON.stringify(parseAll(engine, bytes, file, true, chunk))).toBe(whole);
  });

  it("colour starting in the middle of the input, mid-line, is numbered and placed right", () => {
    const text = 'close(3)                                = 0\nwrite(1, "x", 1) = 1\n\x1b[33mclose\x1b[0m(\x1b[35m4\x1b[0m\x1b[0m)\x1b[0m = \x1b[32m0\x1b[0m\n';
    const bytes = new TextEncoder().encode(text);
    // the first chunk ends inside line 2, before any ESC
    const p = new TraceParser(new TsEngine(), { merge: false });
    const recs = [...p.push(bytes.subarray(0, 50)), ...p.push(bytes.subarray(50)), ...p.end()];
    expect(recs.map((r) => r.line)).toEqual([1, 2, 3]);
    expect(recs[0].fmt?.sgr).toBeUndefined();
    expect(recs[2]).toMatchObject({ type: "syscall", name: "close", ret: 0 });
    // close(4) = 0, with each sequence before the byte it preceded
    const E = "\x1b[";
    expect(recs[2].fmt?.sgr).toEqual([
      { line: 0, at: [0, 5, 6, 7, 7, 8, 11, 12], seq: [E + "33m", E + "0m", E + "35m", E + "0m", E + "0m", E + "0m", E + "32m", E + "0m"] },
    ]);
    expect([...renderRecords(recs)].join("")).toBe(text);
    expect(p.counts.bytes).toBe(bytes.length);
  });

  it("a diagnostic on a coloured line keeps the line as printed, with its column counted in it", () => {
    // a line of strace's coloured form cut inside its string (as a killed tracer leaves it)
    const line = '\x1b[33mwrite\x1b[0m(\x1b[35m1\x1b[0m, \x1b[35m"abc';
    const text = line + "\n" + "\x1b[33mgetpid\x1b[0m(\x1b[35m\x1b[0m\x1b[0m)\x1b[0m = \x1b[32m7\x1b[0m\n";
    const recs = parseAll(new TsEngine(), new TextEncoder().encode(text), "t", false);
    const d = recs.find((r): r is DiagnosticRecord => r.type === "diagnostic");
    expect(d).toBeDefined();
    expect(d!.text).toBe(line);
    const plainD = parseAll(new TsEngine(), stripped(new TextEncoder().encode(text)), "t", false).find((r): r is DiagnosticRecord => r.type === "diagnostic")!;
    expect(d!.code).toBe(plainD.code);
    expect(plainD.column).toBeGreaterThan(1);
    expectSameColumn(d!, plainD, line);
    expect([...renderRecords(recs)].join("")).toBe(text);
  });

  it("coloured program output in a stderr capture stays a not-strace diagnostic and renders back", () => {
    const text = "\x1b[0m\x1b[01;34mdir\x1b[0m  file\n\x1b[33mgetpid\x1b[0m(\x1b[35m\x1b[0m\x1b[0m)\x1b[0m = \x1b[32m7\x1b[0m\n";
    const recs = parseAll(new TsEngine(), new TextEncoder().encode(text), "t", false);
    expect(recs[0]).toMatchObject({ type: "diagnostic", code: "not-strace", text: "\x1b[0m\x1b[01;34mdir\x1b[0m  file" });
    expect(recs[1]).toMatchObject({ type: "syscall", name: "getpid", ret: 7 });
    expect([...renderRecords(recs)].join("")).toBe(text);
  });

  it("an ESC that starts no SGR sequence is left in the text, in whole input or byte by byte", () => {
    const text = 'write(1, "a", 1) = 1\n\x1b(B\x1b[Kplain output\n';
    for (const chunk of [0, 1]) {
      const recs = parseAll(new TsEngine(), new TextEncoder().encode(text), "t", false, chunk);
      expect(recs[1]).toMatchObject({ type: "diagnostic", text: "\x1b(B\x1b[Kplain output" });
      expect([...renderRecords(recs)].join("")).toBe(text);
    }
  });

  it("a sequence the input ends in the middle of is kept as text", () => {
    const text = "\x1b[33mgetpid\x1b[0m() = \x1b[32m7\x1b[0m\n\x1b[3";
    for (const chunk of [0, 1, 2]) {
      const p = new TraceParser(new TsEngine(), { merge: false });
      const bytes = new TextEncoder().encode(text);
      const recs: TraceRecord[] = [];
      if (chunk === 0) recs.push(...p.push(bytes));
      else for (let i = 0; i < bytes.length; i += chunk) recs.push(...p.push(bytes.subarray(i, i + chunk)));
      recs.push(...p.end());
      expect(recs[0]).toMatchObject({ type: "syscall", name: "getpid", ret: 7 });
      expect(recs[1]).toMatchObject({ type: "diagnostic", line: 2, text: "\x1b[3" });
      expect([...renderRecords(recs)].join("")).toBe(text);
      expect(p.counts.bytes).toBe(bytes.length);
    }
  });

  it("lean records of a coloured trace equal those of the trace without colour", () => {
    const file = path.join(DIR, "prog_f.color.strace");
    const bytes = new Uint8Array(readFileSync(file));
    const lean = (b: Uint8Array) => {
      const p = new TraceParser(new TsEngine(), { lean: true });
      return [...p.push(b), ...p.end()];
    };
    const got = lean(bytes);
    expect(got).toEqual(lean(stripped(bytes)));
    expect(got.filter((r) => r.type === "syscall").length).toBeGreaterThan(20);
  });
});

describe("SGR sequences put anywhere into any bundled fixture", () => {
  const FIXTURES = path.join(import.meta.dirname, "..", "fixtures");
  const files = readdirSync(FIXTURES, { recursive: true, encoding: "utf8" })
    .filter((f) => (f.endsWith(".strace") || /\.\d+$/.test(f)) && !f.startsWith("color"))
    .map((f) => path.join(FIXTURES, f));
  const utf8 = new TextEncoder();
  const SEQS = ["\x1b[0m", "\x1b[33m", "\x1b[1;31m", "\x1b[38;5;82m", "\x1b[m"].map((s) => utf8.encode(s));

  /** A seeded generator, so a failure names a reproducible case. */
  function rng(seed: number): () => number {
    let x = seed >>> 0 || 1;
    return () => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) / 2 ** 32;
    };
  }

  /** The bytes with sequences before about one ASCII byte in eight (never between `\r` and `\n`). */
  function colour(bytes: Uint8Array, seed: number): Uint8Array {
    const rand = rng(seed);
    const out: number[] = [];
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      if (b < 0x80 && !(b === 10 && bytes[i - 1] === 13) && rand() < 0.125) out.push(...SEQS[Math.floor(rand() * SEQS.length)]);
      out.push(b);
    }
    return Uint8Array.from(out);
  }

  const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);

  it.each(files)("%s: the records of the fixture, and the coloured bytes back", (file) => {
    const plain = new Uint8Array(readFileSync(file));
    const engine = new TsEngine();
    // a fixture whose own round trip is not exact in UTF-8 (program output in another encoding) is left out
    const plainBack = utf8.encode([...renderRecords(parseAll(engine, plain, file, false))].join(""));
    if (!same(plainBack, plain)) return;
    for (const seed of [1, 2, 3]) {
      const bytes = colour(plain, seed);
      for (const merge of [true, false]) {
        const norm = (r: TraceRecord) => {
          const c = withoutSgr(r) as TraceRecord;
          if (c.type === "diagnostic") c.text = c.text.replace(SGR, "");
          return c;
        };
        const got = parseAll(engine, bytes, file, merge, 61);
        const want = parseAll(engine, plain, file, merge);
        expect(got.map(norm)).toEqual(want.map(norm));
        const lines = inputLines(bytes);
        got.forEach((r, i) => {
          if (r.type === "diagnostic") expectSameColumn(r, want[i] as DiagnosticRecord, lines[r.line - 1]);
        });
      }
      const back = utf8.encode([...renderRecords(parseAll(engine, bytes, file, false, 61))].join(""));
      expect(same(back, bytes)).toBe(true);
    }
  });
});
