// Lookahead pairs (Forrest, Hofmeyr, Somayaji & Longstaff 1996). With window length k the
// model remembers, for every call in training, which call followed it at each offset
// j = 1..K (K = k - 1). A test trace's pairs that were never seen are mismatches; the score
// is mismatches over the pairs the trace has, K(L-K) + K(K-1)/2 for length L > K (the
// paper's normalisation). The paper's example (K = 3): 4 mismatches of 18, 22%.

import { Alphabet, codesToString, stringToCodes } from "../seq/alphabet.js";
import { forEachPair, lookaheadTotal } from "../seq/lookahead.js";
import { calibrationJSON, checkHeader, readCalibration, MODEL_FORMAT, MODEL_VERSION, type Model, type ModelJSON, type ScoreResult } from "./model.js";

/** Lookahead pairs: which call followed which at each offset 1..k-1; the score is the fraction
 *  of a sequence's pairs never seen in training, in [0, 1]. */
export class Lookahead implements Model {
  /** Which detector this is. */
  readonly kind = "lookahead" as const;
  /** Symbols seen in training, with their ids. */
  readonly alphabet = new Alphabet();
  /** Pair keys: earlier symbol id, offset, later symbol id (three code units). */
  readonly pairs = new Set<string>();
  /** Free-form facts saved with the model (see Model.meta). */
  meta: Record<string, unknown> = {};
  /** Calibrated alarm threshold on the mismatch fraction (score > threshold alarms); undefined
   *  until calibrated. */
  threshold?: number;
  /** The target false-alarm rate the threshold was chosen for. */
  falseAlarmRate?: number;
  /** How the threshold was chosen (folds, traces), for the record. */
  calibration?: Record<string, unknown>;
  /** Largest offset a pair spans: k - 1. */
  readonly K: number;

  /** An empty model of window length `k` (an integer of at least 2; RangeError otherwise). */
  constructor(readonly k: number) {
    if (!Number.isInteger(k) || k < 2) throw new RangeError(`lookahead needs a window length >= 2, got ${k}`);
    this.K = k - 1;
  }

  /** An untrained lookahead model with the same k. */
  fresh(): Lookahead {
    return new Lookahead(this.k);
  }

  /** Adds one normal sequence's pairs. */
  add(sequence: readonly string[]): void {
    forEachPair(this.alphabet.encode(sequence, true), this.K, (key) => this.pairs.add(key));
  }

  /** Adds many normal sequences; returns the model. */
  train(sequences: Iterable<readonly string[]>): this {
    for (const s of sequences) this.add(s);
    return this;
  }

  /** How many distinct pairs training saw. */
  get size(): number {
    return this.pairs.size;
  }

  /** Mismatching pairs over all pairs of one sequence. */
  score(sequence: readonly string[]): ScoreResult {
    const encoded = this.alphabet.encode(sequence, false);
    let mismatches = 0;
    forEachPair(encoded, this.K, (key) => {
      if (!this.pairs.has(key)) mismatches++;
    });
    const windows = lookaheadTotal(encoded.length, this.K);
    return { score: windows === 0 ? 0 : mismatches / windows, mismatches, windows };
  }

  /** The model as versioned JSON: pairs as symbol-id triples, plus any calibration. */
  toJSON(): ModelJSON {
    return {
      format: MODEL_FORMAT,
      version: MODEL_VERSION,
      model: this.kind,
      k: this.k,
      ...calibrationJSON(this),
      meta: this.meta,
      symbols: [...this.alphabet.symbols()],
      pairs: [...this.pairs].map(stringToCodes),
    };
  }

  /** A lookahead model from its toJSON() output; throws on a wrong header or shape. */
  static fromJSON(json: unknown): Lookahead {
    checkHeader(json, "lookahead");
    const m = new Lookahead(json.k);
    for (const s of json.symbols) m.alphabet.id(s);
    const pairs = json.pairs as number[][];
    if (!Array.isArray(pairs)) throw new Error("lookahead model has no pairs");
    for (const p of pairs) m.pairs.add(codesToString(p));
    if (json.meta && typeof json.meta === "object") m.meta = json.meta as Record<string, unknown>;
    readCalibration(m, json);
    return m;
  }
}
