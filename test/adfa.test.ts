// ADFA-LD official split: train on Training_Data_Master, normal = Validation_Data_Master,
// attack = every Attack_Data_Master trace; each trace scored by the fraction of its
// k-windows absent from training. Reference figures: /work/shared/ids/README.md.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { markdownTable, runAdfa } from "../src/cli/eval-adfa.js";
import { parseAdfa, readAdfa, adfaSymbols } from "../src/io/adfa.js";
import { evaluate, listFiles, traces, rocAuc } from "../src/eval/index.js";
import { Ensemble, Ngram, Stide, TStide, createModel } from "../src/detect/index.js";
import { SHARED } from "./helpers/shared.js";
import { runDetectCli } from "./helpers/detect-cli.js";

const ROOT = process.env.ADFA_LD ?? SHARED + "/ids/ADFA-LD";
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
  const load = async (dir: string) => Promise.all((await listFiles([dir])).map(async (f) => parseAdfa(await readFile(f, "utf8"), f).map(String)));

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

  it("n-gram (Kneser-Ney) ≥ 0.85, call-set neighbour ≥ 0.85, their ensemble ≥ 0.87; calibrated alarms", async () => {
    // one calibrated ensemble run: its members' raw scores give the members' own AUCs
    const model = createModel("ensemble", 6) as Ensemble;
    const r = await evaluate({ model, train, normal, attack });
    const member = (i: number) =>
      rocAuc(
        r.scores.normal.map((t) => t.components![i]!),
        r.scores.attack.map((t) => t.components![i]!),
      );
    expect(model.members.map((m) => m.kind)).toEqual(["ngram", "setnn"]);
    expect(member(0)).toBeGreaterThanOrEqual(0.85);
    expect(member(1)).toBeGreaterThanOrEqual(0.85);
    expect(r.auc).toBeGreaterThanOrEqual(0.87);
    expect(r.auc).toBeGreaterThan(Math.max(member(0), member(1)));
    // the member alone scores what the ensemble's member did
    const ngram = new Ngram(6).train(train);
    for (const i of [0, 100, 200]) expect(ngram.score(attack[i]!).score).toBe(r.scores.attack[i]!.components![0]);
    // the threshold was chosen on training data only: rates on the test traces are reported
    expect(r.threshold).toBe(model.threshold);
    expect(r.targetFalseAlarm).toBe(0.01);
    expect(r.detectionAtThreshold).toBe(r.scores.attack.filter((t) => t.score > model.threshold!).length / attack.length);
    expect(r.falseAlarmAtThreshold).toBe(r.scores.normal.filter((t) => t.score > model.threshold!).length / normal.length);
  }, 120_000);

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

  it.each([3, 4, 5, 6, 7, 8])(
    "stide k=%i agrees with a naive reimplementation trace by trace",
    (k) => {
      const ref = naiveStide(k, train);
      const model = new Stide(k).train(train);
      expect(model.size).toBe(ref.size);
      // Every attack trace and every 4th normal one, compared exactly.
      const sample = [...attack, ...normal.filter((_, i) => i % 4 === 0)];
      for (const t of sample) expect(model.score(t).score).toBe(ref.score(t));
      const ns = normal.map((t) => model.score(t).score);
      const as = attack.map((t) => model.score(t).score);
      expect(rocAuc(ns, as)).toBeCloseTo(naiveAuc(normal.map(ref.score), attack.map(ref.score)), 12);
    },
    30_000,
  );
});

describe.skipIf(!haveAdfa)("CLI commands on ADFA-LD input", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "strace-seq-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Runs `strace-seq ARGS` in-process and returns what it printed on stdout. */
  const run = runDetectCli;

  it("seq prints ADFA-style lines and the window set", async () => {
    const [file] = await listFiles([TRAIN]);
    const [line] = await run("seq", "--input-format", "adfa", file!);
    expect(line).toBe((await readFile(file!, "utf8")).trim().split(/\s+/).join(" "));
    const named = await run("seq", "--input-format", "adfa", "--symbol", "name", file!);
    expect(named[0]!.split(" ")[0]).toBe("close"); // i386 6
    const set = await run("seq", "--input-format", "adfa", "--window", "6", "--format", "csv", TRAIN);
    expect(set[0]).toBe("window,count");
    expect(set.length - 1).toBe(59_885);
  });

  it("train writes a model that score and eval agree with", async () => {
    const model = join(dir, "stide6.json");
    await run("train", "--model", "stide", "-w", "6", "--input-format", "adfa", "-o", model, TRAIN);
    const json = JSON.parse(await readFile(model, "utf8"));
    expect(json).toMatchObject({ format: "strace-seq-model", version: 2, model: "stide", k: 6 });
    expect(json.windows).toHaveLength(59_885);
    // score reads inputs the way the model was trained (meta: adfa, nr32).
    const scored = (await run("score", "--model", model, join(ATTACK, "Adduser_1"))).map((l) => JSON.parse(l));
    expect(scored.length).toBeGreaterThan(0);
    expect(Object.keys(scored[0]).slice(0, 4)).toEqual(["file", "score", "mismatches", "windows"]);
    const ref = new Stide(6).train(await Promise.all((await listFiles([TRAIN])).map((f) => readAdfa(f))));
    expect(scored[0].score).toBe(ref.score(await readAdfa(scored[0].file)).score);

    const [out] = await run(
      "eval",
      "--model",
      "stide",
      "-w",
      "6",
      "--input-format",
      "adfa",
      "--train",
      TRAIN,
      "--normal",
      NORMAL,
      "--attack",
      ATTACK,
      "--json",
    );
    const r = JSON.parse(out!);
    expect(r).toMatchObject({ model: "stide", k: 6, normal: 4372, attack: 746 });
    expect(r.auc.toFixed(3)).toBe("0.827");
    expect(r.falseAlarmAt90.toFixed(3)).toBe("0.267");
  }, 60_000);

  it("the table script formats rows for lookahead and markov", async () => {
    const load = async (d: string) => Promise.all((await listFiles([d])).map((f) => readAdfa(f)));
    const split = { train: await load(TRAIN), normal: await load(NORMAL), attack: await load(ATTACK) };
    const rows = await runAdfa(split, [
      ["lookahead", 6],
      ["markov", 6],
    ]);
    expect(rows.map((r) => r.model)).toEqual(["lookahead", "markov"]);
    for (const r of rows) expect(r.threshold).toBeDefined();
    for (const r of rows) expect(r.auc).toBeGreaterThan(0.5);
    const table = markdownTable(rows);
    expect(table[0]).toMatch(/^\| model \| k \|/);
    expect(table).toHaveLength(4);
  }, 60_000);
});
