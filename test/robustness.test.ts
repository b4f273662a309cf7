// Property-based robustness: mutated real corpus lines (byte flips, truncation, deleted/duplicated
// brackets and quotes, random bytes, NULs, invalid UTF-8, CRLF, very long lines) through both
// engines. Invariants: no exception escapes, every input line is accounted for by a record or a
// diagnostic, the engines give deep-equal records, and chunk boundaries never change the result.
// Runs are bounded (numRuns) so the file stays well under 60 s; scripts/fuzz.mjs runs longer campaigns.

import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { TraceParser, type ParserOptions } from "../src/parser.js";
import { TsEngine } from "../src/engine/ts-engine.js";
import { createWasmEngine } from "../src/engine/wasm-engine.js";
import type { Engine } from "../src/engine/types.js";
import type { TraceRecord } from "../src/model/record.js";
import { parse, parseStream } from "../src/api/core.js";
import { parseSync } from "../src/api/sync.js";
import { parseFile } from "../src/api/node.js";
import { Readable } from "node:stream";
import { assertAccounted, countLines } from "./helpers/accounting.js";
import { TraceStats } from "../src/model/stats.js";
import { sequencesSync } from "../src/seq/sequences.js";
import { SHARED, walk as walkAll } from "./helpers/shared.js";
import { JsonlWriter } from "../src/io/jsonl.js";

const CORPUS = SHARED + "/corpus";
const SEED = Number(process.env.ROBUSTNESS_SEED ?? 20261128);

/** Corpus traces (not its notes). */
function walk(dir: string): string[] {
  return walkAll(dir).filter((p) => !/\.(md|tsv)$/.test(p));
}

/** A deterministic sample of corpus lines (every k-th file, a few lines of each), without newlines. */
function sampleLines(max: number): Uint8Array[] {
  const files = walk(CORPUS);
  const out: Uint8Array[] = [];
  const step = Math.max(1, Math.floor(files.length / 300));
  for (let i = 0; i < files.length && out.length < max; i += step) {
    const buf = readFileSync(files[i]!);
    if (buf.length > 2_000_000) continue;
    let s = 0;
    let k = 0;
    for (let j = 0; j <= buf.length && k < 8; j++) {
      if (j === buf.length || buf[j] === 10) {
        if (j > s && (k++ % 2 === 0 || j - s > 200)) out.push(new Uint8Array(buf.subarray(s, j)));
        s = j + 1;
      }
    }
  }
  return out;
}

const enc = new TextEncoder();
const LINES = sampleLines(1500);

let wasm: Engine;
const ts = new TsEngine();

beforeAll(async () => {
  wasm = await createWasmEngine();
});

/** Parses `input` cut at `cuts` (offsets), with a fresh parser over a shared engine. */
function run(engine: Engine, input: Uint8Array, cuts: number[] = [], opts: ParserOptions = {}): { records: TraceRecord[]; lines: number } {
  const p = new TraceParser(engine, opts);
  const records: TraceRecord[] = [];
  let prev = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    if (c > prev && c < input.length) {
      records.push(...p.push(input.slice(prev, c)));
      prev = c;
    }
  }
  records.push(...p.push(input.slice(prev)));
  records.push(...p.end());
  return { records, lines: p.counts.lines };
}

/** All four invariants for one input; `cuts` are extra chunkings to compare against the whole parse. */
function checkAll(input: Uint8Array, chunkings: number[][] = [], opts: ParserOptions = {}): void {
  const w = run(wasm, input, [], opts);
  const t = run(ts, input, [], opts);
  const n = countLines(input);
  expect(w.lines).toBe(n);
  expect(t.lines).toBe(n);
  assertAccounted(n, w.records, "wasm");
  assertAccounted(n, t.records, "ts");
  expect(t.records).toStrictEqual(w.records);
  for (const cuts of chunkings) {
    expect(run(wasm, input, cuts, opts).records).toStrictEqual(w.records);
    expect(run(ts, input, cuts, opts).records).toStrictEqual(w.records);
  }
}

function oneByteCuts(len: number): number[] {
  return Array.from({ length: len }, (_, i) => i + 1);
}

function join_(lines: Uint8Array[], finalNewline: boolean): Uint8Array {
  const total = lines.reduce((a, l) => a + l.length + 1, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const l of lines) {
    out.set(l, o);
    o += l.length;
    out[o++] = 10;
  }
  return finalNewline ? out : out.subarray(0, Math.max(0, total - 1));
}

function splice(line: Uint8Array, at: number, del: number, ins: ArrayLike<number>): Uint8Array {
  at = Math.min(at, line.length);
  del = Math.max(0, Math.min(del, line.length - at));
  const out = new Uint8Array(line.length - del + ins.length);
  out.set(line.subarray(0, at));
  out.set(ins, at);
  out.set(line.subarray(at + del), at + ins.length);
  return out;
}

const BRACKETS = new Set([0x28, 0x29, 0x5b, 0x5d, 0x7b, 0x7d, 0x3c, 0x3e, 0x22, 0x5c]);
const BAD_UTF8 = [[0xff], [0xc3], [0xe2, 0x82], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0x80], [0xf4, 0x90, 0x80, 0x80]];

type Mutation =
  | { m: "flip"; at: number; bit: number }
  | { m: "truncate"; at: number }
  | { m: "delBracket"; which: number }
  | { m: "dupBracket"; which: number }
  | { m: "bytes"; at: number; bytes: number[] }
  | { m: "nul"; at: number; n: number }
  | { m: "utf8"; at: number; which: number }
  | { m: "crlf" }
  | { m: "long"; at: number; len: number; times: number }
  | { m: "nest"; at: number; depth: number; open: string; close: boolean };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ m: fc.constant("flip" as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ m: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ m: fc.constant("delBracket" as const), which: fc.nat() }),
  fc.record({ m: fc.constant("dupBracket" as const), which: fc.nat() }),
  fc.record({
    m: fc.constant("bytes" as const),
    at: fc.nat(),
    bytes: fc.array(
      fc.integer({ min: 0, max: 255 }).filter((b) => b !== 10),
      { minLength: 1, maxLength: 8 },
    ),
  }),
  fc.record({ m: fc.constant("nul" as const), at: fc.nat(), n: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ m: fc.constant("utf8" as const), at: fc.nat(), which: fc.nat() }),
  fc.constant({ m: "crlf" as const }),
  fc.record({ m: fc.constant("long" as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }), times: fc.integer({ min: 2, max: 3000 }) }),
  fc.record({
    m: fc.constant("nest" as const),
    at: fc.nat(),
    depth: fc.integer({ min: 1, max: 300 }),
    open: fc.constantFrom("(", "[", "{", "<", '"'),
    close: fc.boolean(),
  }),
);

const CLOSE: Record<string, string> = { "(": ")", "[": "]", "{": "}", "<": ">", '"': '"' };

function applyMutation(line: Uint8Array, mu: Mutation): Uint8Array {
  const at = (x: number) => x % (line.length + 1);
  const brackets = () => {
    const idx: number[] = [];
    for (let i = 0; i < line.length; i++) if (BRACKETS.has(line[i]!)) idx.push(i);
    return idx;
  };
  switch (mu.m) {
    case "flip": {
      if (line.length === 0) return line;
      const c = line.slice();
      const i = mu.at % c.length;
      c[i] = c[i]! ^ (1 << mu.bit);
      if (c[i] === 10) c[i] = 11; // a flip to "\n" would only add a line; keep it one line
      return c;
    }
    case "truncate":
      return line.subarray(0, at(mu.at));
    case "delBracket": {
      const idx = brackets();
      return idx.length ? splice(line, idx[mu.which % idx.length]!, 1, []) : line;
    }
    case "dupBracket": {
      const idx = brackets();
      if (!idx.length) return line;
      const i = idx[mu.which % idx.length]!;
      return splice(line, i, 0, [line[i]!]);
    }
    case "bytes":
      return splice(line, at(mu.at), 0, mu.bytes);
    case "nul":
      return splice(line, at(mu.at), 0, new Array(mu.n).fill(0));
    case "utf8":
      return splice(line, at(mu.at), 0, BAD_UTF8[mu.which % BAD_UTF8.length]!);
    case "crlf":
      return splice(line, line.length, 0, [13]);
    case "long": {
      const a = at(mu.at);
      const seg = line.subarray(a, Math.min(line.length, a + mu.len));
      if (!seg.length) return line;
      const rep = new Uint8Array(seg.length * mu.times);
      for (let i = 0; i < mu.times; i++) rep.set(seg, i * seg.length);
      return splice(line, a + seg.length, 0, rep);
    }
    case "nest":
      return splice(line, at(mu.at), 0, enc.encode(mu.open.repeat(mu.depth) + (mu.close ? CLOSE[mu.open]!.repeat(mu.depth) : "")));
  }
}

const lineArb = fc.integer({ min: 0, max: LINES.length - 1 }).map((i) => LINES[i]!);

/** 1..12 corpus lines, a few mutated, optional final newline, plus random cut points. */
const inputArb = fc
  .record({
    lines: fc.array(fc.tuple(lineArb, fc.array(mutationArb, { maxLength: 3 })), { minLength: 1, maxLength: 12 }),
    finalNewline: fc.boolean(),
    cuts: fc.array(fc.nat(), { maxLength: 8 }),
  })
  .map(({ lines, finalNewline, cuts }) => {
    const input = join_(
      lines.map(([l, ms]) => ms.reduce(applyMutation, l)),
      finalNewline,
    );
    return { input, cuts: cuts.map((c) => c % (input.length + 1)) };
  });

const show = (b: Uint8Array) => JSON.stringify(Buffer.from(b).toString("latin1"));

describe("robustness: mutated corpus lines through both engines", () => {
  it("sample of corpus lines is non-trivial", () => {
    expect(LINES.length).toBeGreaterThan(500);
  });

  it("no exception, every line accounted for, engines agree, chunking never matters", () => {
    fc.assert(
      fc.property(inputArb, ({ input, cuts }) => {
        const chunkings = [cuts];
        if (input.length <= 300) chunkings.push(oneByteCuts(input.length));
        checkAll(input, chunkings);
      }),
      { numRuns: 1000, seed: SEED },
    );
  });

  it("1-byte chunks on small mutated inputs", () => {
    fc.assert(
      fc.property(
        fc.tuple(lineArb, fc.array(mutationArb, { minLength: 1, maxLength: 4 }), lineArb).filter(([a, , b]) => a.length + b.length < 600),
        ([a, ms, b]) => {
          const input = join_([ms.reduce(applyMutation, a), b], true);
          if (input.length > 1500) return;
          checkAll(input, [oneByteCuts(input.length)]);
        },
      ),
      { numRuns: 150, seed: SEED + 1 },
    );
  });

  it("random bytes (mostly printable, some control and high bytes, NULs, CR, LF)", () => {
    const byteArb = fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 32, max: 126 }) },
      { weight: 1, arbitrary: fc.constantFrom(0, 9, 10, 13, 0x80, 0xc3, 0xff) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) },
    );
    fc.assert(
      fc.property(fc.array(byteArb, { maxLength: 400 }), fc.array(fc.nat(), { maxLength: 6 }), (bytes, cuts) => {
        const input = Uint8Array.from(bytes);
        checkAll(input, [cuts.map((c) => c % (input.length + 1)), oneByteCuts(input.length)]);
      }),
      { numRuns: 600, seed: SEED + 2 },
    );
  });

  it("strace-shaped token soup (brackets, quotes, markers) stays within the invariants", () => {
    // the fuzzer's token list (scripts/fuzz/tokens.json)
    const tokens = JSON.parse(readFileSync(new URL("../scripts/fuzz/tokens.json", import.meta.url), "utf8")) as string[];
    const tok = fc.constantFrom(...tokens);
    fc.assert(
      fc.property(fc.array(tok, { maxLength: 60 }), fc.array(fc.nat(), { maxLength: 6 }), (toks, cuts) => {
        const input = enc.encode(toks.join(""));
        const chunkings = [cuts.map((c) => c % (input.length + 1))];
        if (input.length <= 300) chunkings.push(oneByteCuts(input.length));
        checkAll(input, chunkings);
      }),
      { numRuns: 1000, seed: SEED + 3 },
    );
  });

  it("truncation at every offset of a selection of lines (alone, and followed by another line)", () => {
    // long, bracket-rich lines and the shapes with markers
    const chosen = [...LINES]
      .filter((l) => l.length > 40)
      .sort((a, b) => b.length - a.length)
      .filter((_, i) => i % 37 === 0)
      .slice(0, 20);
    const markers = LINES.filter((l) => /unfinished|resumed|\+\+\+|---|strace:/.test(Buffer.from(l).toString("latin1"))).slice(0, 10);
    const next = enc.encode("close(3) = 0\n");
    let cases = 0;
    for (const line of [...chosen, ...markers]) {
      const cap = Math.min(line.length, 400);
      for (let k = 0; k <= cap; k++) {
        const prefix = line.subarray(0, k);
        try {
          checkAll(prefix);
          checkAll(join_([prefix], true));
          const withNext = new Uint8Array(prefix.length + 1 + next.length);
          withNext.set(prefix);
          withNext[prefix.length] = 10;
          withNext.set(next, prefix.length + 1);
          checkAll(withNext, [[prefix.length], [prefix.length + 1]]);
        } catch (e) {
          throw new Error(`prefix ${show(prefix)}: ${(e as Error).message}`, { cause: e });
        }
        cases++;
      }
    }
    expect(cases).toBeGreaterThan(1000);
  });

  it("a whole corpus file with CRLF endings: engines agree, lines accounted, chunking irrelevant", () => {
    const files = walk(CORPUS).filter((p) => statSync(p).size < 200_000);
    for (const p of files.filter((_, i) => i % 97 === 0).slice(0, 12)) {
      const text = readFileSync(p, "latin1").replace(/\n/g, "\r\n");
      const input = Uint8Array.from(Buffer.from(text, "latin1"));
      try {
        checkAll(input, [[1, 2, 3, input.length >> 1], Array.from({ length: 64 }, (_, i) => Math.floor((input.length * i) / 64))]);
      } catch (e) {
        throw new Error(`${p} (CRLF): ${(e as Error).message}`, { cause: e });
      }
    }
  });
});

describe("robustness: lean records on mutated input", () => {
  /** The fields counting consumers read, per record, in order. */
  const projection = (recs: TraceRecord[]) =>
    recs.map((r) => {
      if (r.type !== "syscall") return [r.type, r.pid, r.line, r.type === "diagnostic" ? r.code : (r.time ?? null)];
      return [r.type, r.pid, r.line, r.name, r.ret, r.errno, r.time ?? null, r.duration ?? null, r.resumed ?? false, r.unfinished ?? false];
    });

  it("give the same records, in the same order, with the same counted fields, stats and sequences as full records", () => {
    fc.assert(
      fc.property(inputArb, ({ input, cuts }) => {
        const full = run(wasm, input);
        const lean = run(ts, input, cuts, { lean: true, argsFor: (name) => name.startsWith("clone") });
        expect(projection(lean.records)).toStrictEqual(projection(full.records));
        const stats = (recs: TraceRecord[]) => {
          const s = new TraceStats();
          for (const r of recs) s.add(r);
          return s.result({ lines: 0, records: 0, diagnostics: 0, bytes: 0 });
        };
        expect(stats(lean.records)).toStrictEqual(stats(full.records));
        for (const by of ["process", "thread"] as const) {
          expect(sequencesSync(lean.records, { by, splitExec: true })).toStrictEqual(sequencesSync(full.records, { by, splitExec: true }));
        }
      }),
      { numRuns: 500, seed: SEED },
    );
  });
});

describe("robustness: JSON Lines from scan-time argument JSON on mutated input", () => {
  const jsonl = (recs: TraceRecord[]) => {
    const w = new JsonlWriter();
    for (const r of recs) w.add(r);
    return w.take().toString("utf8");
  };

  it("the WASM engine's argument JSON (merged and per line, chunked) gives the bytes JSON.stringify gives for ArgNode records", () => {
    fc.assert(
      fc.property(inputArb, ({ input, cuts }) => {
        const expected = (merge: boolean) =>
          run(ts, input, [], { merge })
            .records.map((r) => JSON.stringify(r) + "\n")
            .join("");
        for (const merge of [true, false]) {
          expect(jsonl(run(wasm, input, cuts, { merge, argsJson: true }).records)).toBe(expected(merge));
          expect(jsonl(run(ts, input, cuts, { merge, argsJson: true }).records)).toBe(expected(merge));
        }
      }),
      { numRuns: 500, seed: SEED },
    );
  });
});

describe("robustness: the public API reports bad sources instead of crashing or dropping them", () => {
  it("a missing file ends the iteration with its error (either engine, plain or .gz)", async () => {
    for (const engine of ["wasm", "ts"] as const) {
      for (const file of ["/nonexistent/x.strace", "/nonexistent/x.strace.gz"]) {
        const read = async () => {
          for await (const r of parseFile(file, { engine })) void r;
        };
        await expect(read()).rejects.toMatchObject({ code: "ENOENT" });
      }
    }
  });

  it("text chunks (a stream with an encoding) are parsed, not dropped; a non-text input is refused", async () => {
    const recs: TraceRecord[] = [];
    for await (const r of parseStream(Readable.from(["close(3) = 0\nclo", "se(4) = 0\n"]))) recs.push(r);
    expect(recs.map((r) => r.type === "syscall" && r.args[0])).toMatchObject([{ value: 3 }, { value: 4 }]);
    await expect(parse(42 as unknown as string)).rejects.toThrow(TypeError);
  });
});

describe("robustness: the public API never throws on bad bytes", () => {
  const samples: Uint8Array[] = [
    new Uint8Array(0),
    Uint8Array.of(0),
    Uint8Array.of(10),
    Uint8Array.of(13),
    Uint8Array.of(13, 10, 13, 10),
    Uint8Array.of(0xff, 0xfe, 0xfd, 10, 0xc3),
    enc.encode('read(3, "\\'),
    enc.encode("<... resumed>\n<unfinished ...>\n"),
    enc.encode("(".repeat(100_000)),
    enc.encode("[pid"),
  ];
  it.each(samples.map((s) => [show(s).slice(0, 40), s] as const))("parse/parseSync/parseStream on %s", async (_, input) => {
    const n = countLines(input);
    for (const engine of ["wasm", "ts"] as const) {
      const t = await parse(input, { engine });
      assertAccounted(n, t.records, engine);
      const streamed: TraceRecord[] = [];
      const chunks = Array.from({ length: input.length }, (_, i) => input.subarray(i, i + 1)).slice(0, 2000);
      const rest = input.length > 2000 ? [input.subarray(2000)] : [];
      for await (const r of parseStream([...chunks, ...rest], { engine })) streamed.push(r);
      expect(streamed).toStrictEqual([...t.records]);
    }
    const s = parseSync(input);
    assertAccounted(n, s.records, "parseSync");
  });
});

// Inputs saved by scripts/fuzz.mjs (fixtures/fuzz/<hash>.strace, with a <hash>.json note): each must
// satisfy every invariant, whole, in 1-byte chunks (when small) and cut once at every offset (when small).
describe("robustness: saved fuzz findings (fixtures/fuzz)", () => {
  const dir = join(import.meta.dirname, "..", "fixtures", "fuzz");
  let files: string[] = [];
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith(".strace"))
      .sort();
  } catch {
    /* no findings saved */
  }
  it("replays the saved findings", () => {
    expect(files.length).toBeGreaterThan(0);
  });
  it.each(files)("%s", (f) => {
    const input = new Uint8Array(readFileSync(join(dir, f)));
    const chunkings: number[][] = [];
    if (input.length <= 2000) {
      chunkings.push(oneByteCuts(input.length));
      for (let i = 1; i < input.length; i++) chunkings.push([i]);
    } else chunkings.push([input.length >> 1], [1, 2, 3, 4096, 65536]);
    // the note may name parser options the finding needs (e.g. a small maxHeld)
    let opts: ParserOptions = {};
    try {
      opts = (JSON.parse(readFileSync(join(dir, f.replace(/\.strace$/, ".json")), "utf8")) as { options?: ParserOptions }).options ?? {};
    } catch {
      /* no note */
    }
    const lineCuts: number[] = [];
    for (let i = 0; i < input.length - 1; i++) if (input[i] === 10) lineCuts.push(i + 1);
    chunkings.push(lineCuts);
    checkAll(input, chunkings, opts);
  });
});
