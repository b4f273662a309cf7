// stide (Forrest et al. 1996; Warrender, Forrest & Pearlmutter 1999): the normal database
// is the set of distinct length-k windows of the training traces; a test window is a
// mismatch when the database lacks it, and a trace scores the fraction of its windows that
// mismatch. Short traces follow the windows.ts convention (one whole-trace window).
//
// Also reported:
//  - lfc, the locality frame count: the most mismatches in any `frame` (default 20)
//    consecutive windows, which separates bursts (attacks) from scattered noise;
//  - optionally (hamming: true) Hofmeyr's normalised minimal Hamming distance: for each
//    mismatching window the smallest Hamming distance to an accepted database window, the
//    maximum over the trace, divided by k. Windows of different lengths are k apart. This is
//    a scan of the database per distinct mismatching window, so it is off by default and
//    bounded by `hammingBudget` window comparisons per trace (then `hammingCapped` is set and
//    the value is a lower bound). Two prunings keep it cheap: a comparison stops once it
//    cannot beat the best distance found, and a window's scan stops once it cannot raise
//    the trace's maximum.

import { Alphabet, stringToCodes, codesToString } from "../seq/alphabet.js";
import { WindowCounts, forEachWindow } from "../seq/windows.js";
import {
  calibrationJSON,
  checkHeader,
  readCalibration,
  MODEL_FORMAT,
  MODEL_VERSION,
  type Model,
  type ModelJSON,
  type ModelKind,
  type ScoreResult,
  type SequenceScorer,
} from "./model.js";

/** Options of stide and t-stide. */
export interface StideOptions {
  /** Locality frame length. Default 20. */
  frame?: number;
  /** Compute the normalised minimal Hamming distance. Default false. */
  hamming?: boolean;
  /** Max window comparisons per scored trace for the Hamming search. Default 5e7. */
  hammingBudget?: number;
}

/** stide: a window is normal when training saw it; the score is the fraction of a sequence's
 *  windows that are not, in [0, 1]. */
export class Stide implements Model {
  /** Which detector this is. */
  readonly kind: ModelKind = "stide";
  /** Symbols seen in training, with their ids. */
  readonly alphabet = new Alphabet();
  /** The normal database: distinct training windows with their counts. */
  readonly db: WindowCounts;
  /** Free-form facts saved with the model (see Model.meta). */
  meta: Record<string, unknown> = {};
  /** Calibrated alarm threshold on the mismatch fraction (score > threshold alarms); undefined
   *  until calibrated. */
  threshold?: number;
  /** The target false-alarm rate the threshold was chosen for. */
  falseAlarmRate?: number;
  /** How the threshold was chosen (folds, traces), for the record. */
  calibration?: Record<string, unknown>;
  /** Locality frame length in windows (StideOptions.frame, default 20). */
  frame: number;
  /** Whether score() computes the normalised minimal Hamming distance. */
  hamming: boolean;
  /** Window comparisons per scored sequence before the Hamming search stops (default 5e7). */
  hammingBudget: number;
  /** Accepted windows as an array, rebuilt lazily for the Hamming scan. */
  private accepted: string[] | null = null;

  /** An empty model of window length `k`; RangeError unless `k` and `opts.frame` are positive
   *  integers. */
  constructor(
    readonly k: number,
    opts: StideOptions = {},
  ) {
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`window length must be a positive integer, got ${k}`);
    this.db = new WindowCounts(k);
    this.frame = opts.frame ?? 20;
    if (!Number.isInteger(this.frame) || this.frame < 1) throw new RangeError(`frame must be a positive integer`);
    this.hamming = opts.hamming ?? false;
    this.hammingBudget = opts.hammingBudget ?? 5e7;
  }

  /** An untrained stide with the same k, frame and Hamming settings. */
  fresh(): Stide {
    return new Stide(this.k, { frame: this.frame, hamming: this.hamming, hammingBudget: this.hammingBudget });
  }

  /** Adds one normal sequence's windows to the database. */
  add(sequence: readonly string[]): void {
    this.db.addEncoded(this.alphabet.encode(sequence, true));
    this.accepted = null;
  }

  /** Adds many normal sequences; returns the model. */
  train(sequences: Iterable<readonly string[]>): this {
    for (const s of sequences) this.add(s);
    return this;
  }

  /** Number of distinct windows in the normal database. */
  get size(): number {
    return this.db.size;
  }

  /** Whether a window with this training count is normal. stide: seen at all. */
  protected accepts(count: number): boolean {
    return count > 0;
  }

  /** Mismatch fraction, locality frame count and (with `hamming`) the normalised Hamming
   *  distance of one sequence. */
  score(sequence: readonly string[]): ScoreResult {
    const encoded = this.alphabet.encode(sequence, false);
    const frame = this.frame;
    // Ring buffer of the last `frame` mismatch flags, for the sliding count.
    const recent = new Uint8Array(frame);
    let inFrame = 0;
    let lfc = 0;
    let mismatches = 0;
    let windows = 0;
    const missed = new Set<string>();
    forEachWindow(encoded, this.k, (key) => {
      const bad = !this.accepts(this.db.count(key));
      if (bad) {
        mismatches++;
        if (this.hamming) missed.add(key);
      }
      const slot = windows % frame;
      inFrame += (bad ? 1 : 0) - recent[slot]!;
      recent[slot] = bad ? 1 : 0;
      if (inFrame > lfc) lfc = inFrame;
      windows++;
    });
    const out: ScoreResult = { score: windows === 0 ? 0 : mismatches / windows, mismatches, windows, lfc };
    if (this.hamming) Object.assign(out, this.maxMinHamming(missed));
    return out;
  }

  /** Incremental stide score (mismatch fraction so far) for live use; short sequences follow
   *  windows.ts only in `score`: before k calls the running score is 0. */
  scorer(): SequenceScorer {
    const k = this.k;
    let window = "";
    let mismatches = 0;
    let windows = 0;
    return {
      push: (symbol) => {
        window += String.fromCharCode(this.alphabet.lookup(symbol));
        if (window.length > k) window = window.substring(1);
        if (window.length === k) {
          windows++;
          if (!this.accepts(this.db.count(window))) mismatches++;
        }
        return windows === 0 ? 0 : mismatches / windows;
      },
      result: () => ({ score: windows === 0 ? 0 : mismatches / windows, mismatches, windows }),
    };
  }

  private maxMinHamming(missed: Set<string>): { hamming: number; hammingCapped?: true } {
    const k = this.k;
    if (missed.size === 0) return { hamming: 0 };
    this.accepted ??= [...this.db.counts].filter(([, c]) => this.accepts(c)).map(([key]) => key);
    const normal = this.accepted;
    let budget = this.hammingBudget;
    let max = 0;
    for (const w of missed) {
      let best = k;
      for (let n = 0; n < normal.length && best > max; n++) {
        if (budget-- <= 0) return { hamming: max / k, hammingCapped: true };
        const v = normal[n]!;
        if (v.length !== w.length) continue;
        let d = 0;
        for (let i = 0; i < w.length && d < best; i++) if (w.charCodeAt(i) !== v.charCodeAt(i)) d++;
        if (d < best) best = d;
      }
      if (best > max) max = best;
    }
    return { hamming: max / k };
  }

  /** The model as versioned JSON: windows as symbol-id arrays with their counts, plus any
   *  calibration. */
  toJSON(): ModelJSON {
    const windows: number[][] = [];
    const counts: number[] = [];
    for (const [key, c] of this.db.counts) {
      windows.push(stringToCodes(key));
      counts.push(c);
    }
    return {
      format: MODEL_FORMAT,
      version: MODEL_VERSION,
      model: this.kind,
      k: this.k,
      ...calibrationJSON(this),
      frame: this.frame,
      ...this.extraJSON(),
      meta: this.meta,
      total: this.db.total,
      symbols: [...this.alphabet.symbols()],
      windows,
      counts,
    };
  }

  protected extraJSON(): Record<string, unknown> {
    return {};
  }

  /** A stide model from its toJSON() output; throws on a wrong header or shape. */
  static fromJSON(json: unknown): Stide {
    checkHeader(json, "stide");
    return Stide.load(new Stide(json.k, { frame: json.frame as number | undefined }), json);
  }

  /** Fills a fresh model's alphabet and database from its JSON. */
  protected static load<M extends Stide>(m: M, json: ModelJSON): M {
    for (const s of json.symbols) m.alphabet.id(s);
    const windows = json.windows as number[][];
    const counts = json.counts as number[];
    if (!Array.isArray(windows) || !Array.isArray(counts) || windows.length !== counts.length) {
      throw new Error("model windows/counts missing or of different lengths");
    }
    for (let i = 0; i < windows.length; i++) m.db.counts.set(codesToString(windows[i]!), counts[i]!);
    m.db.total = typeof json.total === "number" ? json.total : counts.reduce((a, b) => a + b, 0);
    if (json.meta && typeof json.meta === "object") m.meta = json.meta as Record<string, unknown>;
    readCalibration(m, json);
    return m;
  }
}
