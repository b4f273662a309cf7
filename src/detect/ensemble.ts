// An ensemble: several models trained on the same sequences, each score turned into a z-score
// with the mean and standard deviation of that model's scores on held-out training traces
// (cross-validation, src/eval/calibrate.ts), and the z-scores averaged:
//
//     score = (1/M) Σ_i (s_i − μ_i) / σ_i
//
// so models on different scales (a median NLL in nats, a Jaccard distance) weigh alike and
// "how unusual compared with normal traces the model did not train on" is what adds up.
// Before calibration μ = 0 and σ = 1 (the raw scores are averaged). Default members: the
// n-gram model (order k) and call-set nearest neighbour.

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

/** An ensemble: the score is the mean over its members of their standardised scores (s − μ) / σ,
 *  with μ and σ from held-out normal scores (0 and 1 until calibrated). */
export class Ensemble implements Model {
  /** Which detector this is. */
  readonly kind = "ensemble" as const;
  /** Free-form facts saved with the model (see Model.meta); members' own meta is not saved. */
  meta: Record<string, unknown> = {};
  /** Calibrated alarm threshold on the ensemble score, a mean z-score (score > threshold
   *  alarms); undefined until calibrated. */
  threshold?: number;
  /** The target false-alarm rate the threshold was chosen for. */
  falseAlarmRate?: number;
  /** How the threshold was chosen (folds, traces), for the record. */
  calibration?: Record<string, unknown>;
  /** Per member: mean μ of its held-out normal scores (0 before standardise()). */
  mean: number[];
  /** Per member: standard deviation σ of its held-out normal scores (1 before standardise(), and
   *  when they were all equal). */
  sd: number[];

  /** An ensemble of `members` (at least one; RangeError otherwise) with μ = 0 and σ = 1; `k`,
   *  for the file format, defaults to the first member's. */
  constructor(
    readonly members: Model[],
    readonly k: number = members[0]?.k ?? 1,
  ) {
    if (members.length === 0) throw new RangeError("an ensemble needs at least one model");
    this.mean = members.map(() => 0);
    this.sd = members.map(() => 1);
  }

  /** An untrained, unstandardised ensemble of fresh members (same kinds and settings). */
  fresh(): Ensemble {
    return new Ensemble(
      this.members.map((m) => m.fresh()),
      this.k,
    );
  }

  /** Adds one normal sequence to every member. */
  add(sequence: readonly string[]): void {
    for (const m of this.members) m.add(sequence);
  }

  /** Adds many normal sequences; returns the model. */
  train(sequences: Iterable<readonly string[]>): this {
    for (const s of sequences) this.add(s);
    return this;
  }

  /** Sets each member's μ and σ from its scores on held-out normal sequences (ScoreResults
   *  of an ensemble, with `components`). A σ of 0 (all equal) becomes 1. */
  standardise(heldOut: readonly ScoreResult[]): void {
    const n = heldOut.length;
    if (n === 0) return;
    this.members.forEach((_, i) => {
      let sum = 0;
      for (const r of heldOut) sum += r.components![i]!;
      const mean = sum / n;
      let ss = 0;
      for (const r of heldOut) ss += (r.components![i]! - mean) ** 2;
      const sd = Math.sqrt(ss / Math.max(1, n - 1));
      this.mean[i] = mean;
      this.sd[i] = sd > 0 ? sd : 1;
    });
  }

  /** The ensemble score of the members' raw scores. */
  combine(components: readonly number[]): number {
    let z = 0;
    for (let i = 0; i < components.length; i++) z += (components[i]! - this.mean[i]!) / this.sd[i]!;
    return z / components.length;
  }

  /** The ensemble score of one sequence, with each member's raw score in `components`;
   *  mismatches and windows are the first member's. */
  score(sequence: readonly string[]): ScoreResult {
    const results = this.members.map((m) => m.score(sequence));
    const components = results.map((r) => r.score);
    return {
      score: this.combine(components),
      mismatches: results[0]!.mismatches,
      windows: results[0]!.windows,
      components,
    };
  }

  /** Incremental scoring; needs every member to have a scorer. */
  scorer(): SequenceScorer {
    const scorers = this.members.map((m) => {
      if (!m.scorer) throw new Error(`${m.kind} has no incremental scorer`);
      return m.scorer();
    });
    const components = scorers.map(() => 0);
    return {
      push: (symbol) => {
        scorers.forEach((s, i) => (components[i] = s.push(symbol)));
        return this.combine(components);
      },
      result: () => {
        const results = scorers.map((s) => s.result());
        const raw = results.map((r) => r.score);
        return { score: this.combine(raw), mismatches: results[0]!.mismatches, windows: results[0]!.windows, components: raw };
      },
    };
  }

  /** The model as versioned JSON: μ, σ and each member's own JSON (without its meta), plus any
   *  calibration. */
  toJSON(): ModelJSON {
    return {
      format: MODEL_FORMAT,
      version: MODEL_VERSION,
      model: this.kind,
      k: this.k,
      ...calibrationJSON(this),
      meta: this.meta,
      symbols: [],
      mean: this.mean,
      sd: this.sd,
      members: this.members.map((m) => {
        const j = m.toJSON();
        delete j.meta; // the ensemble's meta says how inputs are read
        return j;
      }),
    };
  }

  /** An ensemble from its toJSON() output, each member read by `load`; throws on a wrong header
   *  or shape. */
  static fromJSON(json: unknown, load: (member: unknown) => Model): Ensemble {
    checkHeader(json, "ensemble");
    const members = json.members as unknown[];
    if (!Array.isArray(members) || members.length === 0) throw new Error("ensemble has no members");
    const m = new Ensemble(members.map(load), json.k);
    const mean = json.mean as number[];
    const sd = json.sd as number[];
    if (!Array.isArray(mean) || !Array.isArray(sd) || mean.length !== members.length || sd.length !== members.length) {
      throw new Error("ensemble mean/sd missing or not one per member");
    }
    m.mean = mean.slice();
    m.sd = sd.slice();
    if (json.meta && typeof json.meta === "object") m.meta = json.meta as Record<string, unknown>;
    readCalibration(m, json);
    return m;
  }
}
