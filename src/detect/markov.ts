// An order-(k-1) Markov chain over calls: P(call | the k-1 calls before it), estimated from
// training counts with add-one (Laplace) smoothing over V = (training symbols + 1) outcomes,
// the +1 standing for every symbol never seen in training:
//
//     P(s | c) = (count(c, s) + 1) / (count(c) + V)
//
// Each sequence is padded in front with k-1 start markers, so the first calls are predicted
// from a short history and every call of every trace is scored. A trace scores the mean
// negative log-likelihood per call in nats; `mismatches` counts calls whose transition
// (context, call) never occurred in training; `windows` is the number of calls.

import { Alphabet, START, codesToString, stringToCodes } from "../seq/alphabet.js";
import { calibrationJSON, checkHeader, readCalibration, MODEL_FORMAT, MODEL_VERSION, type Model, type ModelJSON, type ScoreResult } from "./model.js";

/** An order-(k-1) Markov chain over calls with add-one smoothing; the score is the mean negative
 *  log-likelihood per call (nats). */
export class Markov implements Model {
  /** Which detector this is. */
  readonly kind = "markov" as const;
  /** Symbols seen in training, with their ids. */
  readonly alphabet = new Alphabet();
  /** k code units (context + call) -> count. */
  readonly transitions = new Map<string, number>();
  /** k-1 code units -> count of transitions out of that context. */
  readonly contexts = new Map<string, number>();
  /** Free-form facts saved with the model (see Model.meta). */
  meta: Record<string, unknown> = {};
  /** Calibrated alarm threshold on the mean NLL per call in nats (score > threshold alarms);
   *  undefined until calibrated. */
  threshold?: number;
  /** The target false-alarm rate the threshold was chosen for. */
  falseAlarmRate?: number;
  /** How the threshold was chosen (folds, traces), for the record. */
  calibration?: Record<string, unknown>;
  private readonly pad: string;

  /** An empty chain predicting each call from the k-1 before it (k a positive integer;
   *  RangeError otherwise). */
  constructor(readonly k: number) {
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`window length must be a positive integer, got ${k}`);
    this.pad = String.fromCharCode(START).repeat(k - 1);
  }

  /** An untrained chain with the same k. */
  fresh(): Markov {
    return new Markov(this.k);
  }

  /** Counts one normal sequence's transitions (start-padded). */
  add(sequence: readonly string[]): void {
    const s = this.pad + this.alphabet.encode(sequence, true);
    for (let i = this.k - 1; i < s.length; i++) this.count(s.substring(i - this.k + 1, i + 1), 1);
  }

  private count(key: string, n: number): void {
    this.transitions.set(key, (this.transitions.get(key) ?? 0) + n);
    const ctx = key.substring(0, key.length - 1);
    this.contexts.set(ctx, (this.contexts.get(ctx) ?? 0) + n);
  }

  /** Adds many normal sequences; returns the model. */
  train(sequences: Iterable<readonly string[]>): this {
    for (const s of sequences) this.add(s);
    return this;
  }

  /** Mean negative log-likelihood per call (nats) of one sequence; mismatches count its
   *  transitions training never saw. */
  score(sequence: readonly string[]): ScoreResult {
    const s = this.pad + this.alphabet.encode(sequence, false);
    const V = this.alphabet.size + 1;
    let nll = 0;
    let mismatches = 0;
    for (let i = this.k - 1; i < s.length; i++) {
      const key = s.substring(i - this.k + 1, i + 1);
      const c = this.transitions.get(key) ?? 0;
      if (c === 0) mismatches++;
      const ctx = this.contexts.get(key.substring(0, key.length - 1)) ?? 0;
      nll -= Math.log((c + 1) / (ctx + V));
    }
    const windows = sequence.length;
    return { score: windows === 0 ? 0 : nll / windows, mismatches, windows };
  }

  /** The model as versioned JSON: transitions as symbol-id arrays (start marker -1) with counts,
   *  plus any calibration. */
  toJSON(): ModelJSON {
    const transitions: number[][] = [];
    const counts: number[] = [];
    for (const [key, c] of this.transitions) {
      // The start marker is written as -1 so the file does not depend on the code unit chosen.
      transitions.push(stringToCodes(key).map((x) => (x === START ? -1 : x)));
      counts.push(c);
    }
    return {
      format: MODEL_FORMAT,
      version: MODEL_VERSION,
      model: this.kind,
      k: this.k,
      ...calibrationJSON(this),
      smoothing: "laplace",
      meta: this.meta,
      symbols: [...this.alphabet.symbols()],
      transitions,
      counts,
    };
  }

  /** A Markov model from its toJSON() output; throws on a wrong header or shape. */
  static fromJSON(json: unknown): Markov {
    checkHeader(json, "markov");
    const m = new Markov(json.k);
    for (const s of json.symbols) m.alphabet.id(s);
    const t = json.transitions as number[][];
    const counts = json.counts as number[];
    if (!Array.isArray(t) || !Array.isArray(counts) || t.length !== counts.length) {
      throw new Error("markov transitions/counts missing or of different lengths");
    }
    for (let i = 0; i < t.length; i++) m.count(codesToString(t[i]!.map((x) => (x === -1 ? START : x))), counts[i]!);
    if (json.meta && typeof json.meta === "object") m.meta = json.meta as Record<string, unknown>;
    readCalibration(m, json);
    return m;
  }
}
