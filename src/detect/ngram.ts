// An n-gram language model over calls with interpolated Kneser-Ney smoothing (Kneser & Ney
// 1995; the interpolated form of Chen & Goodman 1999, "An empirical study of smoothing
// techniques for language modeling"). Order N = the window length.
//
//   highest order:  P(w | h) = max(c(hw) − D_N, 0) / c(h)  +  D_N · T(h) / c(h) · P(w | h')
//   lower orders:   same with c replaced by continuation counts N1+(• g), the number of
//                   distinct calls seen just before g
//   order 1:        interpolates with the uniform 1 / (V + 1), the +1 for any unseen symbol
//
// h' is h without its first call, T(h) the number of distinct calls seen after h, and a history
// never seen backs off entirely to the lower order. Discounts D_m = n1 / (n1 + 2 n2) from each
// order's count-of-counts (0.75 when undefined). Sequences are padded with N − 1 start markers,
// so every call is predicted. A call's score is its negative log-likelihood (nats); a sequence
// scores the median (default), mean or max of those. The median is taken over NLLs rounded
// down to 1/256 nat (capped at 32 nats), the same in batch scoring and in the incremental
// scorer, which keeps a bounded histogram per process instead of every value.
//
// Counts are kept incrementally (a new n-gram raises the continuation count of its suffix, and
// so on down while the suffix is new), so training streams; memory grows with distinct n-grams.

import { Alphabet, START, codesToString, stringToCodes } from "../seq/alphabet.js";
import {
  calibrationJSON,
  checkHeader,
  readCalibration,
  MODEL_FORMAT,
  MODEL_VERSION,
  type Model,
  type ModelJSON,
  type ScoreResult,
  type SequenceScorer,
} from "./model.js";

/** How the n-gram model turns a sequence's per-call NLLs into its score: their median, mean or
 *  max. */
export type NgramAggregate = "median" | "mean" | "max";
/** Every NgramAggregate, for listing and validating. */
export const NGRAM_AGGREGATES: readonly NgramAggregate[] = ["median", "mean", "max"];

/** Options of the n-gram model. */
export interface NgramOptions {
  /** How a sequence's per-call NLLs become its score. Default "median". */
  aggregate?: NgramAggregate;
}

const BINS_PER_NAT = 256;
const NBINS = 32 * BINS_PER_NAT;
const CACHE_LIMIT = 1 << 20;

/** An order-k n-gram model with interpolated Kneser-Ney smoothing; the score is the median
 *  (default), mean or max negative log-likelihood per call (nats). */
export class Ngram implements Model {
  /** Which detector this is. */
  readonly kind = "ngram" as const;
  /** Symbols seen in training, with their ids. */
  readonly alphabet = new Alphabet();
  /** Length-N keys: n-gram counts; shorter keys: continuation counts. */
  readonly grams = new Map<string, number>();
  /** History -> total count (or continuation count) of what followed it. */
  readonly hsum = new Map<string, number>();
  /** History -> number of distinct calls that followed it. */
  readonly htypes = new Map<string, number>();
  /** Free-form facts saved with the model (see Model.meta). */
  meta: Record<string, unknown> = {};
  /** Calibrated alarm threshold on the aggregated NLL in nats (score > threshold alarms);
   *  undefined until calibrated. */
  threshold?: number;
  /** The target false-alarm rate the threshold was chosen for. */
  falseAlarmRate?: number;
  /** How the threshold was chosen (folds, traces), for the record. */
  calibration?: Record<string, unknown>;
  /** How per-call NLLs become a sequence's score (NgramOptions.aggregate, default "median"). */
  aggregate: NgramAggregate;
  private readonly pad: string;
  private discounts: Float64Array | null = null;
  /** NLL by context + call, filled while scoring (traces repeat their n-grams); cleared by
   *  training and when it grows past CACHE_LIMIT entries. */
  private readonly cache = new Map<string, number>();

  /** An empty model of order `k`; RangeError unless `k` is a positive integer and the aggregate
   *  is known. */
  constructor(
    readonly k: number,
    opts: NgramOptions = {},
  ) {
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`n-gram order must be a positive integer, got ${k}`);
    this.aggregate = opts.aggregate ?? "median";
    if (!NGRAM_AGGREGATES.includes(this.aggregate)) throw new RangeError(`unknown n-gram aggregate ${JSON.stringify(this.aggregate)}`);
    this.pad = String.fromCharCode(START).repeat(k - 1);
  }

  /** An untrained n-gram model with the same order and aggregate. */
  fresh(): Ngram {
    return new Ngram(this.k, { aggregate: this.aggregate });
  }

  /** Counts one normal sequence's n-grams (start-padded). */
  add(sequence: readonly string[]): void {
    const s = this.pad + this.alphabet.encode(sequence, true);
    for (let i = this.k - 1; i < s.length; i++) this.count(s.substring(i - this.k + 1, i + 1), 1);
    this.discounts = null;
    this.cache.clear();
  }

  /** Adds many normal sequences; returns the model. */
  train(sequences: Iterable<readonly string[]>): this {
    for (const s of sequences) this.add(s);
    return this;
  }

  /** Adds n occurrences of a length-N gram, cascading new types into continuation counts. */
  private count(gram: string, n: number): void {
    let key = gram;
    let by = n;
    for (;;) {
      const before = this.grams.get(key) ?? 0;
      this.grams.set(key, before + by);
      const h = key.substring(0, key.length - 1);
      this.hsum.set(h, (this.hsum.get(h) ?? 0) + by);
      if (before !== 0) return;
      this.htypes.set(h, (this.htypes.get(h) ?? 0) + 1);
      // a new type: its suffix has one more distinct left neighbour
      if (key.length === 1) return;
      key = key.substring(1);
      by = 1;
    }
  }

  /** Distinct n-grams of the top order. */
  get size(): number {
    let n = 0;
    for (const key of this.grams.keys()) if (key.length === this.k) n++;
    return n;
  }

  private discountsByOrder(): Float64Array {
    if (this.discounts) return this.discounts;
    const n1 = new Float64Array(this.k + 1);
    const n2 = new Float64Array(this.k + 1);
    for (const [key, c] of this.grams) {
      if (c === 1) n1[key.length]!++;
      else if (c === 2) n2[key.length]!++;
    }
    const d = new Float64Array(this.k + 1);
    for (let m = 1; m <= this.k; m++) {
      const v = n1[m]! / (n1[m]! + 2 * n2[m]!);
      d[m] = v > 0 && v < 1 ? v : 0.75;
    }
    return (this.discounts = d);
  }

  /** P(w | context), context = the N − 1 codes before w (start markers included). */
  private prob(context: string, w: string, d: Float64Array): number {
    let p = 1 / (this.alphabet.size + 1);
    const N = this.k;
    for (let m = 1; m <= N; m++) {
      const h = context.substring(N - m);
      const tot = this.hsum.get(h) ?? 0;
      if (tot === 0) continue;
      const c = this.grams.get(h + w) ?? 0;
      const D = d[m]!;
      p = Math.max(c - D, 0) / tot + ((D * (this.htypes.get(h) ?? 0)) / tot) * p;
    }
    return p;
  }

  /** An incremental scorer for one sequence (one process): push each call's symbol. */
  scorer(): NgramScorer {
    return new NgramScorer(this);
  }

  /** Internal to NgramScorer: for `key` = N − 1 context codes + the call's code, the call's
   *  NLL, negated minus one when the n-gram was never seen in training (one cache lookup). */
  step(key: string): number {
    let v = this.cache.get(key);
    if (v === undefined) {
      const nll = -Math.log(this.prob(key.substring(0, this.k - 1), key.substring(this.k - 1), this.discountsByOrder()));
      v = this.grams.has(key) ? nll : -nll - 1;
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(key, v);
    }
    return v;
  }

  /** The aggregated per-call NLL (nats; the median rounded down to 1/256 nat) of one sequence;
   *  mismatches count calls whose n-gram training never saw. */
  score(sequence: readonly string[]): ScoreResult {
    // the scorer's arithmetic, with keys cut from one encoded string (no concatenation per call)
    const sc = this.scorer();
    const s = this.pad + this.alphabet.encode(sequence, false);
    for (let i = this.k - 1; i < s.length; i++) sc.record(this.step(s.substring(i - this.k + 1, i + 1)));
    return sc.result();
  }

  /** The model as versioned JSON: top-order n-grams as symbol-id arrays (start marker -1) with
   *  counts, plus any calibration; lower orders are rebuilt on reading. */
  toJSON(): ModelJSON {
    const grams: number[][] = [];
    const counts: number[] = [];
    for (const [key, c] of this.grams) {
      if (key.length !== this.k) continue; // lower orders are rebuilt from the top order
      grams.push(stringToCodes(key).map((x) => (x === START ? -1 : x)));
      counts.push(c);
    }
    return {
      format: MODEL_FORMAT,
      version: MODEL_VERSION,
      model: this.kind,
      k: this.k,
      ...calibrationJSON(this),
      smoothing: "interpolated-kneser-ney",
      aggregate: this.aggregate,
      meta: this.meta,
      symbols: [...this.alphabet.symbols()],
      grams,
      counts,
    };
  }

  /** An n-gram model from its toJSON() output; throws on a wrong header or shape. */
  static fromJSON(json: unknown): Ngram {
    checkHeader(json, "ngram");
    const m = new Ngram(json.k, { aggregate: (json.aggregate as NgramAggregate | undefined) ?? "median" });
    for (const s of json.symbols) m.alphabet.id(s);
    const grams = json.grams as number[][];
    const counts = json.counts as number[];
    if (!Array.isArray(grams) || !Array.isArray(counts) || grams.length !== counts.length) {
      throw new Error("ngram grams/counts missing or of different lengths");
    }
    for (let i = 0; i < grams.length; i++) {
      if (grams[i]!.length !== m.k) throw new Error(`ngram ${i} does not have ${m.k} symbols`);
      m.count(codesToString(grams[i]!.map((x) => (x === -1 ? START : x))), counts[i]!);
    }
    if (json.meta && typeof json.meta === "object") m.meta = json.meta as Record<string, unknown>;
    readCalibration(m, json);
    return m;
  }
}

/**
 * Scores one sequence call by call with bounded memory: `push(symbol)` returns the running
 * score (median, mean or max NLL so far, as the model's `aggregate` says); `result()` gives
 * the same ScoreResult `Ngram.score` gives for the calls pushed.
 */
export class NgramScorer implements SequenceScorer {
  private context: string;
  private readonly hist = new Uint32Array(NBINS);
  private n = 0;
  private sum = 0;
  private max = 0;
  private mismatches = 0;
  /** Running lower median: its bin, and how many values lie in lower bins. */
  private medBin = 0;
  private below = 0;

  /** A scorer for one new sequence against `model`, its history the start markers. */
  constructor(private readonly model: Ngram) {
    this.context = String.fromCharCode(START).repeat(model.k - 1);
  }

  /** Adds the next call's symbol; returns the running score (median, mean or max NLL so far, in
   *  nats). */
  push(symbol: string): number {
    const m = this.model;
    const key = this.context + String.fromCharCode(m.alphabet.lookup(symbol));
    if (m.k > 1) this.context = key.substring(1);
    this.record(m.step(key));
    return this.current();
  }

  /** Adds one call's step value (Ngram.step) to the running statistics. */
  record(v: number): void {
    const seen = v >= 0;
    const nll = seen ? v : -v - 1;
    if (!seen) this.mismatches++;
    const bin = Math.min(Math.floor(nll * BINS_PER_NAT), NBINS - 1);
    this.hist[bin]!++;
    this.n++;
    this.sum += nll;
    if (nll > this.max) this.max = nll;
    if (this.n === 1) {
      this.medBin = bin;
      this.below = 0;
    } else {
      if (bin < this.medBin) this.below++;
      const rank = (this.n - 1) >> 1;
      while (rank < this.below) this.below -= this.hist[--this.medBin]!;
      while (rank >= this.below + this.hist[this.medBin]!) this.below += this.hist[this.medBin++]!;
    }
  }

  private current(): number {
    if (this.n === 0) return 0;
    switch (this.model.aggregate) {
      case "mean":
        return this.sum / this.n;
      case "max":
        return this.max;
      default:
        return this.medBin / BINS_PER_NAT;
    }
  }

  /** The ScoreResult `Ngram.score` gives for the calls pushed so far. */
  result(): ScoreResult {
    return { score: this.current(), mismatches: this.mismatches, windows: this.n };
  }
}
