// The new-symbol detector: a call never seen in training (for argument-aware symbols, a call
// with an argument class the program never used: a new file, a new socket kind, an exec of a
// new program) is anomalous in itself. A sequence scores the number of distinct unseen
// symbols; `mismatches` counts the calls that carry one. With argument-aware symbols the
// symbols are per program (see seq/args.ts), so "never seen" means "never seen for this
// program".

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

/** The new-symbol detector: the score is the number of distinct symbols in a sequence that
 *  training never saw. */
export class NewSymbol implements Model {
  /** Which detector this is. */
  readonly kind = "newsym" as const;
  /** Symbols seen in training: the whole model. */
  readonly alphabet = new Alphabet();
  /** Free-form facts saved with the model (see Model.meta). */
  meta: Record<string, unknown> = {};
  /** Calibrated alarm threshold on the count of distinct unseen symbols (score > threshold
   *  alarms); undefined until calibrated. */
  threshold?: number;
  /** The target false-alarm rate the threshold was chosen for. */
  falseAlarmRate?: number;
  /** How the threshold was chosen (folds, traces), for the record. */
  calibration?: Record<string, unknown>;

  /** `k` is kept for the file format and the CLI's --window; the detector has no window. */
  constructor(readonly k: number = 1) {}

  /** An untrained new-symbol detector with the same k. */
  fresh(): NewSymbol {
    return new NewSymbol(this.k);
  }

  /** Adds one normal sequence's symbols to the alphabet. */
  add(sequence: readonly string[]): void {
    for (const s of sequence) this.alphabet.id(s);
  }

  /** Adds many normal sequences; returns the model. */
  train(sequences: Iterable<readonly string[]>): this {
    for (const s of sequences) this.add(s);
    return this;
  }

  /** How many distinct symbols training saw. */
  get size(): number {
    return this.alphabet.size;
  }

  /** The number of distinct unseen symbols in one sequence; mismatches count the calls carrying
   *  one. */
  score(sequence: readonly string[]): ScoreResult {
    const sc = this.scorer();
    for (const s of sequence) sc.push(s);
    return sc.result();
  }

  /** The unseen symbols of the calls pushed so far (at most the distinct ones are kept). */
  scorer(): SequenceScorer & { unseen: Set<string> } {
    const unseen = new Set<string>();
    let calls = 0;
    let mismatches = 0;
    return {
      unseen,
      push: (symbol) => {
        calls++;
        if (this.alphabet.lookup(symbol) === UNKNOWN) {
          mismatches++;
          unseen.add(symbol);
        }
        return unseen.size;
      },
      result: () => ({ score: unseen.size, mismatches, windows: calls }),
    };
  }

  /** The model as versioned JSON: the known symbols, plus any calibration. */
  toJSON(): ModelJSON {
    return {
      format: MODEL_FORMAT,
      version: MODEL_VERSION,
      model: this.kind,
      k: this.k,
      ...calibrationJSON(this),
      meta: this.meta,
      symbols: [...this.alphabet.symbols()],
    };
  }

  /** A new-symbol model from its toJSON() output; throws on a wrong header. */
  static fromJSON(json: unknown): NewSymbol {
    checkHeader(json, "newsym");
    const m = new NewSymbol(json.k);
    for (const s of json.symbols) m.alphabet.id(s);
    if (json.meta && typeof json.meta === "object") m.meta = json.meta as Record<string, unknown>;
    readCalibration(m, json);
    return m;
  }
}
