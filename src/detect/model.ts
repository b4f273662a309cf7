// What every detector shares: train on normal sequences (all at once or one at a time, so
// training streams), score one sequence, and round-trip through versioned JSON.

/** The detectors there are (the `model` field of a saved model). */
export type ModelKind = "stide" | "tstide" | "lookahead" | "markov" | "ngram" | "newsym" | "setnn" | "ensemble";

/** The `format` field of every saved model. */
export const MODEL_FORMAT = "strace-seq-model";
/** 2: a calibrated alarm `threshold` at the top level (t-stide's rare-window fraction moved to
 *  `rare`). Version 1 files are still read. */
export const MODEL_VERSION = 2;
const READABLE_VERSIONS: readonly number[] = [1, 2];

/** How anomalous one sequence (or, pooled, one trace) is. */
export interface ScoreResult {
  /** Higher = more anomalous. Stide/t-stide/lookahead: mismatch fraction in [0, 1];
   *  markov: mean negative log-likelihood per call (nats). */
  score: number;
  /** Windows (pairs, transitions) not accepted by the model. */
  mismatches: number;
  /** Windows (pairs, transitions) compared; the denominator of the mismatch fraction. */
  windows: number;
  /** Ensemble: each component's raw score, in component order. */
  components?: number[];
  /** Stide/t-stide: locality frame count (max mismatches in any `frame` consecutive windows). */
  lfc?: number;
  /** Stide/t-stide with `hamming`: max over windows of the minimal Hamming distance to a
   *  normal window, divided by k. */
  hamming?: number;
  /** True when the Hamming search hit its comparison budget (the value is then a lower bound). */
  hammingCapped?: boolean;
}

/** A saved model: a header every kind shares, then the kind's own fields. */
export interface ModelJSON {
  /** Always MODEL_FORMAT. */
  format: typeof MODEL_FORMAT;
  /** The file's version: MODEL_VERSION when written; versions 1 and 2 are read. */
  version: number;
  /** Which detector wrote the file. */
  model: ModelKind;
  /** Window length (n-gram order). */
  k: number;
  /** Symbols in id order. */
  symbols: string[];
  /** How the training sequences were made (symbol mode, unit, input format), for `score`. */
  meta?: Record<string, unknown>;
  /** Calibrated alarm threshold in the model's score units: a process (sequence) whose score
   *  is strictly above it raises an alarm (see src/eval/calibrate.ts). Absent = not calibrated. */
  threshold?: number;
  /** The false-alarm rate (share of normal traces) the threshold was chosen for. */
  falseAlarmRate?: number;
  [field: string]: unknown;
}

/**
 * Scores one sequence (one process) call by call, for live use: `push(symbol)` adds the next
 * call and returns the running score of everything pushed so far, in the model's score units
 * (the same number `score(sequence)` gives for the calls pushed). `result()` gives the full
 * ScoreResult. Memory stays bounded per scorer (a histogram, a ring, a set of distinct symbols).
 */
export interface SequenceScorer {
  /** Adds the next call's symbol; returns the running score of the calls pushed so far (the
   *  model's score units). */
  push(symbol: string): number;
  /** The full ScoreResult of the calls pushed so far. */
  result(): ScoreResult;
}

/** A detector: trained on normal sequences, it scores how unlike them a sequence is. */
export interface Model {
  /** Which detector this is. */
  readonly kind: ModelKind;
  /** Window length (n-gram order). */
  readonly k: number;
  /** Free-form facts saved with the model: how its training sequences were made (input format,
   *  symbol mode, sequence unit, exec splitting, learned path classes). */
  meta: Record<string, unknown>;
  /** Calibrated alarm threshold (score > threshold raises an alarm), when calibrated. */
  threshold?: number;
  /** The target false-alarm rate the threshold was chosen for. */
  falseAlarmRate?: number;
  /** How the threshold was chosen (folds, traces), for the record. */
  calibration?: Record<string, unknown>;
  /** An untrained model with the same settings (cross-validation trains one per fold). */
  fresh(): Model;
  /** An incremental scorer for one sequence, where the model has one (see SequenceScorer). */
  scorer?(): SequenceScorer;
  /** Adds one normal sequence. */
  add(sequence: readonly string[]): void;
  /** Adds many normal sequences; returns the model. */
  train(sequences: Iterable<readonly string[]>): this;
  /** Scores one sequence (unknown symbols count as never seen); training can go on afterwards. */
  score(sequence: readonly string[]): ScoreResult;
  /** The model as a versioned JSON object (modelFromJSON reads it back). */
  toJSON(): ModelJSON;
}

/** Trains from a possibly asynchronous stream, one sequence in memory at a time. */
export async function trainFrom<M extends Model>(model: M, source: Iterable<readonly string[]> | AsyncIterable<readonly string[]>): Promise<M> {
  for await (const seq of source) model.add(seq);
  return model;
}

/** Pools several sequences' results into one (a trace made of several processes):
 *  mismatches and windows add up, the score is the windows-weighted mean (for the mismatch
 *  fractions that is total mismatches / total windows), lfc and hamming take the max,
 *  ensemble member scores are windows-weighted means like the score. */
export function poolResults(results: readonly ScoreResult[]): ScoreResult {
  let mismatches = 0;
  let windows = 0;
  let weighted = 0;
  let lfc: number | undefined;
  let hamming: number | undefined;
  let capped = false;
  for (const r of results) {
    mismatches += r.mismatches;
    windows += r.windows;
    weighted += r.score * r.windows;
    if (r.lfc !== undefined) lfc = Math.max(lfc ?? 0, r.lfc);
    if (r.hamming !== undefined) hamming = Math.max(hamming ?? 0, r.hamming);
    if (r.hammingCapped) capped = true;
  }
  const out: ScoreResult = { score: windows === 0 ? 0 : weighted / windows, mismatches, windows };
  // an ensemble's member scores pool the same way as its score
  if (results.length > 0 && results.every((r) => r.components)) {
    out.components = results[0]!.components!.map((_, i) => {
      let w = 0;
      for (const r of results) w += r.components![i]! * r.windows;
      return windows === 0 ? results[0]!.components![i]! : w / windows;
    });
  }
  if (lfc !== undefined) out.lfc = lfc;
  if (hamming !== undefined) out.hamming = hamming;
  if (capped) out.hammingCapped = true;
  return out;
}

export function checkHeader(json: unknown, kind: ModelKind): asserts json is ModelJSON {
  const j = json as Partial<ModelJSON> | null;
  if (!j || j.format !== MODEL_FORMAT) throw new Error(`not a ${MODEL_FORMAT} file`);
  if (!READABLE_VERSIONS.includes(j.version as number)) throw new Error(`unsupported model version ${String(j.version)}`);
  if (j.model !== kind) throw new Error(`expected a ${kind} model, got ${String(j.model)}`);
  if (!Number.isInteger(j.k) || (j.k as number) < 1) throw new Error(`bad window length ${String(j.k)}`);
  if (!Array.isArray(j.symbols)) throw new Error("model has no symbols");
}

/** The calibration fields a model writes at the top level of its JSON (none when uncalibrated). */
export function calibrationJSON(m: Model): Record<string, unknown> {
  if (m.threshold === undefined) return {};
  const out: Record<string, unknown> = { threshold: m.threshold, falseAlarmRate: m.falseAlarmRate };
  if (m.calibration) out.calibration = m.calibration;
  return out;
}

/** Restores calibrationJSON's fields (version 2 files; t-stide's version 1 `threshold` was
 *  its rare-window fraction and is read by TStide). */
export function readCalibration(m: Model, json: ModelJSON): void {
  if (json.version < 2 || typeof json.threshold !== "number") return;
  m.threshold = json.threshold;
  if (typeof json.falseAlarmRate === "number") m.falseAlarmRate = json.falseAlarmRate;
  if (json.calibration && typeof json.calibration === "object") m.calibration = json.calibration as Record<string, unknown>;
}
