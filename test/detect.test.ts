// The n-gram language model, call-set nearest neighbour, new-symbol detector, ensemble and
// cross-validated thresholds, checked against values worked out by hand from their
// definitions (src/detect/*.ts headers) and against each other (batch vs incremental).
import { describe, expect, it } from "vitest";
import { Ensemble, NewSymbol, Ngram, SetNN, Stide, createModel, modelFromJSON, type Model } from "../src/detect/index.js";
import { evaluate, thresholdFor, trainCalibrated } from "../src/eval/index.js";

const s = (text: string) => text.split(" ");
const roundTrip = (m: Model) => modelFromJSON(JSON.parse(JSON.stringify(m.toJSON())));

describe("Ngram (interpolated Kneser-Ney)", () => {
  it("order 1: discounted counts interpolated with the uniform distribution", () => {
    // a×2, b×1: n1 = 1, n2 = 1, D = 1/3; total 3, 2 types, V = 2 (+1 unseen)
    // P(a) = (2 − 1/3)/3 + (1/3 · 2/3)/3 = 17/27, P(b) = 8/27, P(unseen) = 2/27
    const m = new Ngram(1, { aggregate: "mean" }).train([s("a a b")]);
    expect(m.score(["a"]).score).toBeCloseTo(-Math.log(17 / 27), 12);
    expect(m.score(["b"]).score).toBeCloseTo(-Math.log(8 / 27), 12);
    expect(m.score(["zz"]).score).toBeCloseTo(-Math.log(2 / 27), 12);
    expect(m.score(["zz"])).toMatchObject({ mismatches: 1, windows: 1 });
  });

  it("order 2: continuation counts at the lower order", () => {
    // "a b a c" padded with one start marker S: bigrams Sa, ab, ba, ac (each once): n1 = 4,
    // n2 = 0, n1/(n1 + 2 n2) = 1 is not a discount, so D2 = 0.75. Lower order: continuation
    // counts N1+(• a) = 2 (S, b), N1+(• b) = 1, N1+(• c) = 1: n1 = 2, n2 = 1, D1 = 2/4;
    // their total is 4, 3 types, V = 3 (+1 unseen).
    const D = 0.75;
    const D1 = 0.5;
    const uni = (cc: number) => Math.max(cc - D1, 0) / 4 + ((D1 * 3) / 4) * (1 / 4);
    // after "a": c(ab) = 1, c(ac) = 1, c(a) = 2, T(a) = 2
    const pb = Math.max(1 - D, 0) / 2 + ((D * 2) / 2) * uni(1);
    const m = new Ngram(2, { aggregate: "mean" }).train([s("a b a c")]);
    const lone = m.score(["a"]).score; // after S: c(Sa) = 1, c(S) = 1, T(S) = 1
    expect(lone).toBeCloseTo(-Math.log((1 - D) / 1 + D * uni(2)), 12);
    const two = m.score(s("a b")).score * 2;
    expect(two - lone).toBeCloseTo(-Math.log(pb), 12);
  });

  it("gives a probability distribution over the alphabet and the unseen symbol", () => {
    const m = new Ngram(3, { aggregate: "mean" }).train([s("a b c a b d a c c b"), s("b b a d c a")]);
    for (const ctx of [s("a b"), s("c c"), s("d d"), s("x y")]) {
      const before = m.score(ctx).score * ctx.length;
      let total = 0;
      for (const w of ["a", "b", "c", "d", "never"]) total += Math.exp(-(m.score([...ctx, w]).score * (ctx.length + 1) - before));
      expect(total).toBeCloseTo(1, 10);
    }
  });

  it("scores the median (lower, to 1/256 nat), mean or max of the per-call NLLs", () => {
    const train = [s("a b c a b c a b d")];
    const probe = s("a b c x b c");
    const mean = new Ngram(3, { aggregate: "mean" }).train(train);
    const nll = probe.map((_, i) => mean.score(probe.slice(0, i + 1)).score * (i + 1) - (i === 0 ? 0 : mean.score(probe.slice(0, i)).score * i));
    const sorted = [...nll].sort((x, y) => x - y);
    const median = Math.floor(sorted[(sorted.length - 1) >> 1]! * 256) / 256;
    expect(new Ngram(3).train(train).score(probe).score).toBe(median);
    expect(new Ngram(3, { aggregate: "max" }).train(train).score(probe).score).toBeCloseTo(sorted[sorted.length - 1]!, 10);
  });

  it("the incremental scorer returns the batch score after every call", () => {
    const m = new Ngram(4).train([s("open read read close open read close"), s("open write close")]);
    const probe = s("open read write read close open mmap close");
    const sc = m.scorer();
    probe.forEach((sym, i) => expect(sc.push(sym)).toBe(m.score(probe.slice(0, i + 1)).score));
    expect(sc.result()).toEqual(m.score(probe));
  });

  it("rebuilds its lower orders from the top-order counts in JSON", () => {
    const m = new Ngram(3).train([s("a b c a b c a b d"), s("d c b a")]);
    const back = roundTrip(m) as Ngram;
    expect(back.grams).toEqual(m.grams);
    expect(back.hsum).toEqual(m.hsum);
    expect(back.htypes).toEqual(m.htypes);
  });
});

describe("SetNN", () => {
  it("scores the Jaccard distance to the nearest training call set", () => {
    const m = new SetNN().train([s("a b c a"), s("a d"), s("c a b")]);
    expect(m.size).toBe(2); // {a,b,c} once
    // {a, b, x}: vs {a,b,c} 2 / (3 + 3 − 2) = 1/2; vs {a,d} 1 / 4
    expect(m.score(s("a b x b"))).toMatchObject({ score: 0.5, mismatches: 1, windows: 4 });
    expect(m.score(s("d a")).score).toBe(0);
    expect(m.score(s("q")).score).toBe(1);
  });
});

describe("NewSymbol", () => {
  it("counts the distinct symbols never seen in training", () => {
    const m = new NewSymbol().train([s("a b c")]);
    expect(m.score(s("a x y x b"))).toEqual({ score: 2, mismatches: 3, windows: 5 });
    expect(m.score(s("c b a")).score).toBe(0);
  });
});

describe("Ensemble", () => {
  it("averages its members' z-scores", () => {
    const e = new Ensemble([new Stide(2), new SetNN()]).train([s("a b c"), s("a c")]);
    e.mean = [0.1, 0.2];
    e.sd = [0.5, 0.25];
    const r = e.score(s("a b d"));
    const [st, sn] = [new Stide(2).train([s("a b c"), s("a c")]).score(s("a b d")).score, 1 - 2 / 4];
    expect(r.components).toEqual([st, sn]);
    expect(r.score).toBeCloseTo(((st - 0.1) / 0.5 + (sn - 0.2) / 0.25) / 2, 12);
    expect((roundTrip(e) as Ensemble).score(s("a b d"))).toEqual(r);
  });
});

describe("calibrated thresholds", () => {
  it("thresholdFor leaves at most ⌊rate·n⌋ scores strictly above", () => {
    const xs = [0.1, 0.5, 0.3, 0.9, 0.7, 0.2, 0.4, 0.8, 0.6, 0.0];
    expect(thresholdFor(xs, 0)).toBe(0.9);
    expect(thresholdFor(xs, 0.1)).toBe(0.8);
    expect(thresholdFor(xs, 0.25)).toBe(0.7);
    expect(thresholdFor([1, 1, 1], 0.5)).toBe(1);
  });

  it("chooses the threshold from fold models that did not see the trace", async () => {
    const traces = [s("a b c d"), s("a b c e"), s("a b d c"), s("b c d a"), s("a c b d"), s("a b c d a")];
    const { model, heldOut } = await trainCalibrated(new Stide(2), () => traces, { folds: 3, falseAlarmRate: 0 });
    // by hand: fold f holds traces f and f + 3; its model trained on the other four
    const expected = traces.map((t, i) => new Stide(2).train(traces.filter((_, j) => j % 3 !== i % 3)).score(t).score);
    expect(heldOut).toEqual(expected);
    expect(model.threshold).toBe(Math.max(...expected));
    expect(model.falseAlarmRate).toBe(0);
    expect(model.size).toBe(new Stide(2).train(traces).size);
    const back = roundTrip(model);
    expect(back.threshold).toBe(model.threshold);
    expect(back.toJSON()).toMatchObject({ threshold: model.threshold, falseAlarmRate: 0 });
  });

  it("standardises an ensemble's members on the held-out scores", async () => {
    const traces = [s("a b c d"), s("a b c e"), s("a b d c"), s("b c d a"), s("a c b d"), s("a b c d a")];
    const { model } = await trainCalibrated(createModel("ensemble", 2) as Ensemble, () => traces, { folds: 2 });
    const held = traces.map((t, i) => {
      const fold = new Ngram(2).train(traces.filter((_, j) => j % 2 !== i % 2));
      return fold.score(t).score;
    });
    const mean = held.reduce((a, b) => a + b, 0) / held.length;
    expect(model.mean[0]).toBeCloseTo(mean, 12);
    const sd = Math.sqrt(held.reduce((a, b) => a + (b - mean) ** 2, 0) / (held.length - 1));
    expect(model.sd[0]).toBeCloseTo(sd, 12);
  });

  it("evaluate reports detection and false alarms at the stored threshold", async () => {
    const train = [s("a b c d"), s("a b c d"), s("a b c d a"), s("b c d a"), s("a b c d"), s("c d a b")];
    const r = await evaluate({
      model: new Stide(2),
      train,
      normal: [s("a b c d"), s("d a b c")],
      attack: [s("x y z"), s("a b c d")],
    });
    expect(r.threshold).toBeDefined();
    expect(r.scores.attack.map((t) => t.alarm)).toEqual([true, false]);
    expect(r.detectionAtThreshold).toBe(0.5);
    expect(r.falseAlarmAtThreshold).toBe(0);
  });
});
