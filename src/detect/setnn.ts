// Nearest neighbour over call sets: a trace is reduced to the set of distinct calls it makes,
// and scores its Jaccard distance to the closest training trace's set,
//
//     d(A, B) = 1 − |A ∩ B| / |A ∪ B|,     score = min over training sets B of d(A, B)
//
// Calls never seen in training count in |A ∪ B| and never in |A ∩ B|. This is the
// "bag of system calls" view (Kang, Fuller & Honavar 2005) with the nearest-neighbour rule of
// Liao & Vemuri 2002, on sets rather than frequencies. Order is ignored, so it complements the
// window and n-gram models. Training keeps each distinct set once (as sorted ids; bit sets
// are rebuilt lazily for scoring), so memory grows with distinct sets, and a trace is scored
// in O(distinct training sets × alphabet / 32).

import { Alphabet, UNKNOWN } from "../seq/alphabet.js";
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

/** Nearest neighbour over call sets: the score is the Jaccard distance, in [0, 1], from a
 *  sequence's set of distinct calls to the closest training sequence's. */
export class SetNN implements Model {
  /** Which detector this is. */
  readonly kind = "setnn" as const;
  /** Symbols seen in training, with their ids. */
  readonly alphabet = new Alphabet();
  /** Distinct training sets, keyed by their sorted ids joined with commas. */
  readonly sets = new Map<string, number[]>();
  /** Free-form facts saved with the model (see Model.meta). */
  meta: Record<string, unknown> = {};
  /** Calibrated alarm threshold on the Jaccard distance (score > threshold alarms); undefined
   *  until calibrated. */
  threshold?: number;
  /** The target false-alarm rate the threshold was chosen for. */
  falseAlarmRate?: number;
  /** How the threshold was chosen (folds, traces), for the record. */
  calibration?: Record<string, unknown>;
  private bits: { words: number; sets: Uint32Array; sizes: Uint32Array } | null = null;

  /** `k` is kept for the file format and the CLI's --window; sets have no window. */
  constructor(readonly k: number = 1) {}

  /** An untrained set-NN model with the same k. */
  fresh(): SetNN {
    return new SetNN(this.k);
  }

  /** Adds one normal sequence's set of distinct calls (each distinct set kept once; an empty
   *  sequence adds nothing). */
  add(sequence: readonly string[]): void {
    const ids = [...new Set(sequence.map((s) => this.alphabet.id(s)))].sort((a, b) => a - b);
    if (ids.length === 0) return;
    const key = ids.join(",");
    if (!this.sets.has(key)) {
      this.sets.set(key, ids);
      this.bits = null;
    }
  }

  /** Adds many normal sequences; returns the model. */
  train(sequences: Iterable<readonly string[]>): this {
    for (const s of sequences) this.add(s);
    return this;
  }

  /** How many distinct training sets are kept. */
  get size(): number {
    return this.sets.size;
  }

  private bitSets(): { words: number; sets: Uint32Array; sizes: Uint32Array } {
    if (this.bits) return this.bits;
    const words = Math.max(1, Math.ceil(this.alphabet.size / 32));
    const sets = new Uint32Array(words * this.sets.size);
    const sizes = new Uint32Array(this.sets.size);
    let i = 0;
    for (const ids of this.sets.values()) {
      for (const id of ids) sets[i * words + (id >>> 5)]! |= 1 << (id & 31);
      sizes[i++] = ids.length;
    }
    return (this.bits = { words, sets, sizes });
  }

  /** Min Jaccard distance from a set (bits over known ids, `known` of them, plus `unknown`
   *  distinct unseen calls) to the training sets; 1 with no training sets. */
  distance(query: Uint32Array, known: number, unknown: number): number {
    const { words, sets, sizes } = this.bitSets();
    let best = 1;
    for (let i = 0; i < sizes.length; i++) {
      let inter = 0;
      for (let w = 0; w < words; w++) inter += popcount(query[w]! & sets[i * words + w]!);
      const union = known + unknown + sizes[i]! - inter;
      const d = union === 0 ? 0 : 1 - inter / union;
      if (d < best) best = d;
    }
    return best;
  }

  /** Min Jaccard distance from one sequence's call set to the training sets (1 with none; 0 for
   *  an empty sequence); mismatches count calls training never saw. */
  score(sequence: readonly string[]): ScoreResult {
    const sc = this.scorer();
    for (const s of sequence) sc.push(s);
    return sc.result();
  }

  /** Incremental: the distance is recomputed only when the set grows (a new distinct call). */
  scorer(): SequenceScorer {
    const query = new Uint32Array(this.bitSets().words);
    const seen = new Set<string>();
    let known = 0;
    let unknown = 0;
    let calls = 0;
    let unknownCalls = 0;
    let current = 1;
    return {
      push: (symbol) => {
        calls++;
        const id = this.alphabet.lookup(symbol);
        if (id === UNKNOWN) unknownCalls++;
        if (!seen.has(symbol)) {
          seen.add(symbol);
          if (id === UNKNOWN) unknown++;
          else {
            known++;
            query[id >>> 5]! |= 1 << (id & 31);
          }
          current = this.distance(query, known, unknown);
        }
        return current;
      },
      result: () => ({ score: calls === 0 ? 0 : current, mismatches: unknownCalls, windows: calls }),
    };
  }

  /** The model as versioned JSON: the distinct sets as sorted symbol-id arrays, plus any
   *  calibration. */
  toJSON(): ModelJSON {
    return {
      format: MODEL_FORMAT,
      version: MODEL_VERSION,
      model: this.kind,
      k: this.k,
      ...calibrationJSON(this),
      meta: this.meta,
      symbols: [...this.alphabet.symbols()],
      sets: [...this.sets.values()],
    };
  }

  /** A set-NN model from its toJSON() output; throws on a wrong header or shape, or a set with
   *  an id outside the symbols. */
  static fromJSON(json: unknown): SetNN {
    checkHeader(json, "setnn");
    const m = new SetNN(json.k);
    for (const s of json.symbols) m.alphabet.id(s);
    const sets = json.sets as number[][];
    if (!Array.isArray(sets)) throw new Error("setnn model has no sets");
    for (const ids of sets) {
      if (!Array.isArray(ids) || ids.some((id) => !(Number.isInteger(id) && id >= 0 && id < m.alphabet.size)))
        throw new Error("setnn set with an id outside the symbols");
      m.sets.set(ids.join(","), ids);
    }
    if (json.meta && typeof json.meta === "object") m.meta = json.meta as Record<string, unknown>;
    readCalibration(m, json);
    return m;
  }
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
