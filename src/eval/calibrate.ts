// Calibrated alarms: train a model on normal traces and choose its alarm threshold by k-fold
// cross-validation on those same traces, so no attack data and no held-out set is needed.
//
//  1. Trace i goes to fold i mod F. One pass trains the final model on every trace and F fold
//     models, fold f on every trace outside fold f.
//  2. A second pass scores each trace's sequences with the model that did not see it. An
//     ensemble first standardises its members on these held-out scores (ensemble.ts).
//  3. A trace's held-out score is its worst sequence's (a trace alarms when any of its
//     processes does). With n traces and target false-alarm rate a, the threshold is the
//     (⌊a·n⌋ + 1)-th highest held-out score: at most ⌊a·n⌋ held-out normal traces score above it.
//
// Alarm rule everywhere: a process (sequence) raises an alarm when its score is strictly
// greater than the threshold; a trace alarms when any of its processes does.
//
// Memory: the final model, F fold models, and one or two numbers per training sequence. The
// training traces are read twice (`train` is a function returning a fresh source each time),
// so they stream from disk.

import { Ensemble } from "../detect/ensemble.js";
import type { Model, ScoreResult } from "../detect/model.js";
import type { Source, TraceInput } from "./evaluate.js";

/** Cross-validation folds when CalibrationOptions.folds is not given. */
export const DEFAULT_FOLDS = 5;
/** Target false-alarm rate (share of normal traces) when CalibrationOptions.falseAlarmRate is
 *  not given. */
export const DEFAULT_FALSE_ALARM_RATE = 0.01;

/** Options of trainCalibrated (and of evaluate's `calibration`). */
export interface CalibrationOptions {
  /** Cross-validation folds (2 or more). Default 5. */
  folds?: number;
  /** Target share of normal traces raising an alarm. Default 0.01. */
  falseAlarmRate?: number;
  /** Called after each trace of each pass. */
  onProgress?: (phase: "train" | "calibrate", done: number) => void;
}

export function sequencesOf(t: TraceInput): readonly (readonly string[])[] {
  return Array.isArray(t) ? [t as readonly string[]] : (t as { sequences: readonly (readonly string[])[] }).sequences;
}

/** The threshold that at most ⌊rate·n⌋ of `scores` exceed (strictly). */
export function thresholdFor(scores: readonly number[], rate: number): number {
  if (scores.length === 0) throw new RangeError("no held-out scores to choose a threshold from");
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`false-alarm rate must be from 0 to 1, got ${rate}`);
  const desc = Float64Array.from(scores).sort().reverse();
  return desc[Math.min(Math.floor(rate * desc.length), desc.length - 1)]!;
}

/**
 * Trains `model` (fresh) on the traces `train()` yields and sets its `threshold`,
 * `falseAlarmRate` and `calibration` by cross-validation (see the file header). Returns the
 * model and the held-out trace scores.
 */
export async function trainCalibrated<M extends Model>(
  model: M,
  train: () => Source<TraceInput>,
  opts: CalibrationOptions = {},
): Promise<{ model: M; heldOut: number[] }> {
  const F = opts.folds ?? DEFAULT_FOLDS;
  const rate = opts.falseAlarmRate ?? DEFAULT_FALSE_ALARM_RATE;
  if (!Number.isInteger(F) || F < 2) throw new RangeError(`cross-validation needs 2 or more folds, got ${F}`);
  const folds = Array.from({ length: F }, () => model.fresh());
  let n = 0;
  for await (const t of train()) {
    const own = n % F;
    for (const s of sequencesOf(t)) {
      model.add(s);
      for (let f = 0; f < F; f++) if (f !== own) folds[f]!.add(s);
    }
    n++; // not inside ?.(): an absent callback would skip the increment
    opts.onProgress?.("train", n);
  }
  if (n < F) throw new RangeError(`calibration needs at least ${F} training traces (one per fold), got ${n}`);
  // held-out results, kept as numbers: per trace, its sequences' scores (or member scores)
  const perTrace: ScoreResult[][] = [];
  let i = 0;
  for await (const t of train()) {
    const fm = folds[i % F]!;
    perTrace.push(sequencesOf(t).map((s) => slim(fm.score(s))));
    i++;
    opts.onProgress?.("calibrate", i);
  }
  if (model instanceof Ensemble) model.standardise(perTrace.flat());
  const heldOut: number[] = [];
  for (const results of perTrace) {
    if (results.length === 0) continue;
    let worst = -Infinity;
    for (const r of results) {
      const s = model instanceof Ensemble ? model.combine(r.components!) : r.score;
      if (s > worst) worst = s;
    }
    heldOut.push(worst);
  }
  model.threshold = thresholdFor(heldOut, rate);
  model.falseAlarmRate = rate;
  model.calibration = { folds: F, traces: heldOut.length, rule: "alarm when a process scores above threshold" };
  return { model, heldOut };
}

function slim(r: ScoreResult): ScoreResult {
  const out: ScoreResult = { score: r.score, mismatches: 0, windows: 0 };
  if (r.components) out.components = r.components;
  return out;
}

/** Whether a trace's sequences raise an alarm against the model's threshold (undefined when
 *  the model is not calibrated). */
export function alarmOf(model: Model, results: readonly ScoreResult[]): boolean | undefined {
  const t = model.threshold;
  if (t === undefined) return undefined;
  return results.some((r) => r.score > t);
}
