// What every detector shares: train on normal sequences (all at once or one at a time, so
// training streams), score one sequence, and round-trip through versioned JSON.

export type ModelKind = "stide" | "tstide" | "lookahead" | "markov";

export const MODEL_FORMAT = "strace-seq-model";
export const MODEL_VERSION = 1;

export interface ScoreResult {
  /** Higher = more anomalous. Stide/t-stide/lookahead: mismatch fraction in [0, 1];
   *  markov: mean negative log-likelihood per call (nats). */
  score: number;
  /** Windows (pairs, transitions) not accepted by the model. */
  mismatches: number;
  /** Windows (pairs, transitions) compared; the denominator of the mismatch fraction. */
  windows: number;
  /** Stide/t-stide: locality frame count (max mismatches in any `frame` consecutive windows). */
  lfc?: number;
  /** Stide/t-stide with `hamming`: max over windows of the minimal Hamming distance to a
   *  normal window, divided by k. */
  hamming?: number;
  /** True when the Hamming search hit its comparison budget (the value is then a lower bound). */
  hammingCapped?: boolean;
}

export interface ModelJSON {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_VERSION;
  model: ModelKind;
  k: number;
  /** Symbols in id order. */
  symbols: string[];
  /** How the training sequences were made (symbol mode, unit, input format), for `score`. */
  meta?: Record<string, unknown>;
  [field: string]: unknown;
}

export interface Model {
  readonly kind: ModelKind;
  /** Window length. */
  readonly k: number;
  meta: Record<string, unknown>;
  /** Adds one normal sequence. */
  add(sequence: readonly string[]): void;
  /** Adds many normal sequences; returns the model. */
  train(sequences: Iterable<readonly string[]>): this;
  score(sequence: readonly string[]): ScoreResult;
  toJSON(): ModelJSON;
}

/** Trains from a possibly asynchronous stream, one sequence in memory at a time. */
export async function trainFrom<M extends Model>(
  model: M,
  source: Iterable<readonly string[]> | AsyncIterable<readonly string[]>,
): Promise<M> {
  for await (const seq of source) model.add(seq);
  return model;
}

/** Pools several sequences' results into one (a trace made of several processes):
 *  mismatches and windows add up, the score is the windows-weighted mean (for the mismatch
 *  fractions that is total mismatches / total windows), lfc and hamming take the max. */
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
  if (lfc !== undefined) out.lfc = lfc;
  if (hamming !== undefined) out.hamming = hamming;
  if (capped) out.hammingCapped = true;
  return out;
}

export function checkHeader(json: unknown, kind: ModelKind): asserts json is ModelJSON {
  const j = json as Partial<ModelJSON> | null;
  if (!j || j.format !== MODEL_FORMAT) throw new Error(`not a ${MODEL_FORMAT} file`);
  if (j.version !== MODEL_VERSION) throw new Error(`unsupported model version ${String(j.version)}`);
  if (j.model !== kind) throw new Error(`expected a ${kind} model, got ${String(j.model)}`);
  if (!Number.isInteger(j.k) || (j.k as number) < 1) throw new Error(`bad window length ${String(j.k)}`);
  if (!Array.isArray(j.symbols)) throw new Error("model has no symbols");
}
