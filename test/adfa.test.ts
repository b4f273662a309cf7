// ADFA-LD official split: train on Training_Data_Master, normal = Validation_Data_Master,
// attack = every Attack_Data_Master trace; each trace scored by the fraction of its
// k-windows absent from training. Reference figures: /work/shared/ids/README.md.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseAdfa, readAdfa, adfaSymbols } from "../src/io/adfa.js";
import { evaluate, listFiles, traces, rocAuc } from "../src/eval/index.js";
import { Stide, TStide } from "../src/models/index.js";

const ROOT = process.env.ADFA_LD ?? "/work/shared/ids/ADFA-LD";
const TRAIN = join(ROOT, "Training_Data_Master");
const NORMAL = join(ROOT, "Validation_Data_Master");
const ATTACK = join(ROOT, "Attack_Data_Master");
const haveAdfa = existsSync(TRAIN);

describe("ADFA-LD files", () => {
  it("parses whitespace-separated i386 numbers, tolerating a trailing space and newlines", () => {
    expect(parseAdfa("6 6 63 6 42 \n120 \n")).toEqual([6, 6, 63, 6, 42, 120]);
    expect(parseAdfa("  ")).toEqual([]);
  });

  it("rejects text that is not syscall numbers", () => {
    expect(() => parseAdfa("3 read 5", "x.txt")).toThrow(/x\.txt.*"read"/);
  });

  it("keeps the file's own numbers as symbols under nr32", () => {
    expect(adfaSymbols([3, 5, 252], "nr32")).toEqual(["3", "5", "252"]);
  });

  it("maps i386 numbers to names (and to x86_64 numbers) through the project's table", () => {
    expect(adfaSymbols([3, 5, 168, 252], "name")).toEqual(["read", "open", "poll", "exit_group"]);
    expect(adfaSymbols([3, 5, 252], "nr")).toEqual(["0", "2", "231"]);
    expect(adfaSymbols([9999], "name")).toEqual(["i386:9999"]);
  });

  it.skipIf(!haveAdfa)("reads a real file", async () => {
    const [first] = await listFiles([TRAIN]);
    const seq = await readAdfa(first!);
    expect(seq.length).toBeGreaterThan(70);
    expect(seq.every((s) => /^\d+$/.test(s))).toBe(true);
  });
});

describe.skipIf(!haveAdfa)("ADFA-LD official split", () => {
  // Loaded once: each trace as its symbol list, in file order.
  let train: string[][];
  let normal: string[][];
  let attack: string[][];
  const load = async (dir: string) =>
    Promise.all((await listFiles([dir])).map(async (f) => parseAdfa(await readFile(f, "utf8"), f).map(String)));

  beforeAll(async () => {
    [train, normal, attack] = await Promise.all([load(TRAIN), load(NORMAL), load(ATTACK)]);
  }, 60_000);

  it("has the documented trace and call counts", () => {
    expect([train.length, normal.length, attack.length]).toEqual([833, 4372, 746]);
    const calls = [...train, ...normal, ...attack].reduce((n, t) => n + t.length, 0);
    expect(calls).toBe(2_747_550);
  });

  it("stide k=6 reproduces the reference: 59,885 distinct windows, AUC 0.827", async () => {
    const model = new Stide(6);
    const adfa = { inputFormat: "adfa" as const };
    const r = await evaluate({
      model,
      train: traces([TRAIN], adfa),
      normal: traces([NORMAL], adfa),
      attack: traces([ATTACK], adfa),
    });
    expect(model.size).toBe(59_885);
    expect(model.db.total).toBe(303_912);
    expect([r.normal, r.attack]).toEqual([4372, 746]);
    expect(r.auc.toFixed(3)).toBe("0.827");
    expect(r.auc).toBeCloseTo(0.8273, 4);
    expect(r.detectionAt5.toFixed(3)).toBe("0.218");
    expect(r.detectionAt10.toFixed(3)).toBe("0.375");
    expect(r.falseAlarmAt90.toFixed(3)).toBe("0.267");
  }, 60_000);

  it("t-stide k=6 reproduces the reference AUC 0.818", () => {
    const model = new TStide(6).train(train);
    const ns = normal.map((t) => model.score(t).score);
    const as = attack.map((t) => model.score(t).score);
    expect(rocAuc(ns, as).toFixed(3)).toBe("0.818");
  });

  // A deliberately naive stide: windows as space-joined strings in a Set.
  function naiveStide(k: number, trainSet: string[][]) {
    const db = new Set<string>();
    for (const t of trainSet) for (let i = 0; i + k <= t.length; i++) db.add(t.slice(i, i + k).join(" "));
    const score = (t: string[]) => {
      let miss = 0;
      let n = 0;
      for (let i = 0; i + k <= t.length; i++, n++) if (!db.has(t.slice(i, i + k).join(" "))) miss++;
      return miss / n;
    };
    return { size: db.size, score };
  }
  function naiveAuc(ns: number[], as: number[]) {
    let s = 0;
    for (const a of as) for (const n of ns) s += a > n ? 1 : a === n ? 0.5 : 0;
    return s / (ns.length * as.length);
  }

  it.each([3, 4, 5, 6, 7, 8])("stide k=%i agrees with a naive reimplementation trace by trace", (k) => {
    const ref = naiveStide(k, train);
    const model = new Stide(k).train(train);
    expect(model.size).toBe(ref.size);
    // Every attack trace and every 4th normal one, compared exactly.
    const sample = [...attack, ...normal.filter((_, i) => i % 4 === 0)];
    for (const t of sample) expect(model.score(t).score).toBe(ref.score(t));
    const ns = normal.map((t) => model.score(t).score);
    const as = attack.map((t) => model.score(t).score);
    expect(rocAuc(ns, as)).toBeCloseTo(naiveAuc(normal.map(ref.score), attack.map(ref.score)), 12);
  }, 30_000);
});
