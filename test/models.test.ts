// Each model's score pinned on small sequences worked out by hand, JSON round trips, and
// the evaluation metrics on tiny score lists.
import { describe, expect, it } from "vitest";
import { Lookahead, Markov, Stide, TStide, createModel, modelFromJSON, poolResults, trainFrom, type Model } from "../src/detect/index.js";
import { detectionAt, evaluate, falseAlarmAt, rocAuc, rocPoints, scoreTrace } from "../src/eval/index.js";

const s = (text: string) => text.split(" ");
const roundTrip = (m: Model) => modelFromJSON(JSON.parse(JSON.stringify(m.toJSON())));

describe("Stide", () => {
  it("scores the fraction of windows missing from the normal database", () => {
    const m = new Stide(3).train([s("a b c d")]); // {abc, bcd}
    expect(m.size).toBe(2);
    expect(m.score(s("a b c d"))).toMatchObject({ score: 0, mismatches: 0, windows: 2, lfc: 0 });
    expect(m.score(s("a b c e"))).toMatchObject({ score: 0.5, mismatches: 1, windows: 2, lfc: 1 });
    // Unseen symbol z: every window containing it mismatches.
    expect(m.score(s("z a b c d"))).toMatchObject({ mismatches: 1, windows: 3 });
  });

  it("gives a trace shorter than k one whole-trace window", () => {
    const m = new Stide(3).train([s("x y")]);
    expect(m.score(s("x y"))).toMatchObject({ score: 0, windows: 1 });
    expect(m.score(s("x z"))).toMatchObject({ score: 1, windows: 1 });
    expect(m.score([])).toMatchObject({ score: 0, windows: 0 });
    // A short window never matches a full-length one.
    expect(new Stide(2).train([s("x y z")]).score(s("x"))).toMatchObject({ score: 1 });
  });

  it("counts the locality frame: most mismatches in `frame` consecutive windows", () => {
    const m = new Stide(2).train([s("a a a a")]); // {aa}
    // windows ab ba aa ab ba: mismatch pattern 1 1 0 1 1
    expect(m.score(s("a b a a b a"))).toMatchObject({ mismatches: 4, windows: 5, lfc: 4 });
    m.frame = 2;
    expect(m.score(s("a b a a b a")).lfc).toBe(2);
    m.frame = 3;
    expect(m.score(s("a b a a b a")).lfc).toBe(2);
  });

  it("computes Hofmeyr's normalised minimal Hamming distance when asked", () => {
    const m = new Stide(3, { hamming: true }).train([s("a b c d")]);
    expect(m.score(s("a b c d")).hamming).toBe(0);
    expect(m.score(s("b c e")).hamming).toBeCloseTo(1 / 3); // bce vs bcd
    expect(m.score(s("a x y")).hamming).toBeCloseTo(2 / 3); // axy vs abc
    expect(m.score(s("x y z")).hamming).toBe(1);
    m.hammingBudget = 1;
    const capped = m.score(s("x y z q"));
    expect(capped.hammingCapped).toBe(true);
  });
});

describe("TStide", () => {
  it("counts windows rarer than the threshold as mismatches", () => {
    const train = [s("a a a a b")]; // aa x3, ab x1, total 4
    const t = new TStide(2, { threshold: 0.3 }).train(train); // ab = 0.25 < 0.3: rare
    expect(t.score(s("a a b"))).toMatchObject({ score: 0.5, mismatches: 1, windows: 2 });
    expect(new Stide(2).train(train).score(s("a a b")).score).toBe(0);
    expect(new TStide(2, { threshold: 0.25 }).train(train).score(s("a a b")).score).toBe(0);
  });

  it("defaults to 0.001% of all training windows", () => {
    expect(new TStide(6).rare).toBe(1e-5);
    expect(new TStide(6, { rare: 0.3 }).rare).toBe(0.3);
  });
});

describe("Lookahead", () => {
  // Forrest, Hofmeyr, Somayaji & Longstaff 1996, the worked example: window 4 (K = 3).
  const normal = s("open read mmap mmap open getrlimit mmap close");
  const test = s("open read mmap open open getrlimit mmap close");

  it("reproduces the paper: 4 mismatches of 18 possible pairs, 22%", () => {
    const m = new Lookahead(4).train([normal]);
    const r = m.score(test);
    expect(r.mismatches).toBe(4);
    expect(r.windows).toBe(18);
    expect(Math.round(r.score * 100)).toBe(22);
    expect(m.score(normal)).toMatchObject({ mismatches: 0, windows: 18, score: 0 });
  });

  it("normalises short traces by the pairs they have", () => {
    const m = new Lookahead(4).train([normal]);
    expect(m.score(s("open read"))).toMatchObject({ windows: 1, mismatches: 0 });
    expect(m.score(s("read open"))).toMatchObject({ windows: 1, mismatches: 1, score: 1 });
  });
});

describe("Markov", () => {
  it("scores mean negative log-likelihood with add-one smoothing and start padding", () => {
    // Alphabet {a, b}: V = 3. Transitions (^, a) and (a, b), each context seen once.
    const m = new Markov(2).train([s("a b")]);
    expect(m.score(s("a b")).score).toBeCloseTo(Math.log(2)); // 2/4, 2/4
    const aa = m.score(s("a a")); // 2/4, then (0+1)/(1+3)
    expect(aa.score).toBeCloseTo((Math.log(2) + Math.log(4)) / 2);
    expect(aa).toMatchObject({ mismatches: 1, windows: 2 });
    expect(m.score(s("c")).score).toBeCloseTo(Math.log(4)); // unseen symbol: 1/(1+3)
  });
});

describe("serialisation", () => {
  const data = [s("a b c d a b"), s("b c d e")];
  const probes = [s("a b c d"), s("a c b d e"), s("q")];
  for (const kind of ["stide", "tstide", "lookahead", "markov", "ngram", "newsym", "setnn", "ensemble"] as const) {
    it(`${kind} round-trips through versioned JSON with identical scores`, () => {
      const m = createModel(kind, 3).train(data);
      m.meta = { symbol: "name" };
      const json = m.toJSON();
      expect(json).toMatchObject({ format: "strace-seq-model", version: 2, model: kind, k: 3 });
      const back = roundTrip(m);
      expect(back.kind).toBe(kind);
      expect(back.meta).toEqual({ symbol: "name" });
      for (const p of probes) expect(back.score(p)).toEqual(m.score(p));
    });
  }

  it("rejects other formats and versions", () => {
    const json = new Stide(3).train(data).toJSON();
    expect(() => modelFromJSON({ ...json, version: 3 })).toThrow(/version/);
    expect(() => modelFromJSON({ ...json, format: "x" })).toThrow(/strace-seq-model/);
    expect(() => Stide.fromJSON({ ...json, model: "markov" })).toThrow(/stide/);
  });

  it("keeps t-stide's rare-window fraction", () => {
    const t = new TStide(2, { rare: 0.3 }).train([s("a a a a b")]);
    expect(t.toJSON()).toMatchObject({ rare: 0.3 });
    expect(t.toJSON().threshold).toBeUndefined(); // uncalibrated: no alarm threshold
    expect((roundTrip(t) as TStide).rare).toBe(0.3);
    expect(roundTrip(t).score(s("a a b")).score).toBe(0.5);
  });

  it("reads version 1 files, where t-stide's rare fraction was called threshold", () => {
    const v2 = new TStide(2, { rare: 0.3 }).train([s("a a a a b")]).toJSON();
    const { rare, ...rest } = v2;
    const v1 = { ...rest, version: 1, threshold: rare };
    const back = modelFromJSON(v1) as TStide;
    expect(back.rare).toBe(0.3);
    expect(back.threshold).toBeUndefined();
    expect(back.score(s("a a b")).score).toBe(0.5);
  });
});

describe("streaming training", () => {
  it("trains from an async iterable the same as from an array", async () => {
    async function* gen() {
      yield s("a b c d");
      yield s("c d e f");
    }
    const a = await trainFrom(new Stide(2), gen());
    const b = new Stide(2).train([s("a b c d"), s("c d e f")]);
    expect(a.size).toBe(b.size);
    expect(a.score(s("a b d e"))).toEqual(b.score(s("a b d e")));
  });
});

describe("metrics", () => {
  it("ROC AUC counts ties as half (Mann-Whitney)", () => {
    // attack 0: 0.5+0.5+0 ; attack 1: 1+1+0.5 ; attack 2: 3  -> 6.5 / 9
    expect(rocAuc([0, 0, 1], [0, 1, 2])).toBeCloseTo(6.5 / 9);
    expect(rocAuc([0, 1], [2, 3])).toBe(1);
    expect(rocAuc([5, 5], [5])).toBe(0.5);
    expect(rocAuc([2, 3], [0, 1])).toBe(0);
  });

  it("reads operating points with alarm = score >= threshold", () => {
    const normal = [0, 0, 0, 0, 0, 0, 0, 0, 0.2, 0.5]; // 10 normal
    const attack = [0.1, 0.3, 0.5, 0.6]; // 4 attack
    const pts = rocPoints(normal, attack);
    // t = 0.6: FA 0, DR 0.25; t = 0.5: FA 0.1, DR 0.5; t = 0.3: FA 0.1, DR 0.75
    expect(detectionAt(pts, 0)).toBe(0.25);
    expect(detectionAt(pts, 0.1)).toBe(0.75);
    expect(detectionAt(pts, 0.15)).toBe(0.75); // t = 0.2 would add a false alarm (FA 0.2)
    expect(detectionAt(pts, 0.2)).toBe(1); // t = 0.1: FA 0.2, every attack
    // 100% detection needs t = 0.1: normals >= 0.1 are 0.2 and 0.5
    expect(falseAlarmAt(pts, 1)).toBe(0.2);
    expect(falseAlarmAt(pts, 0.5)).toBe(0.1);
  });

  it("pools several sequences of one trace: all mismatches over all windows", () => {
    expect(
      poolResults([
        { score: 0.5, mismatches: 1, windows: 2, lfc: 1 },
        { score: 0, mismatches: 0, windows: 6, lfc: 0 },
      ]),
    ).toEqual({ score: 0.125, mismatches: 1, windows: 8, lfc: 1 });
    const m = new Stide(2).train([s("a b")]);
    const trace = { file: "t", sequences: [s("a b"), s("b a b")] };
    expect(scoreTrace(m, trace)).toMatchObject({ file: "t", mismatches: 1, windows: 3 });
    expect(scoreTrace(m, trace, "max").score).toBe(0.5);
  });

  it("evaluate trains, scores and summarises", async () => {
    const r = await evaluate({
      model: new Stide(2),
      train: [s("a b a b")],
      normal: [s("a b a"), s("b a b")],
      attack: [s("a a b"), s("b b b")],
    });
    expect(r).toMatchObject({ model: "stide", k: 2, auc: 1, normal: 2, attack: 2, detectionAt1: 1, falseAlarmAt90: 0 });
  });
});
