// Train a model on normal traces, score held-out normal and attack traces, and summarise
// with the metrics in metrics.ts. A trace made of several sequences (processes, threads) is
// scored by pooling its sequences' results (model.ts poolResults: for stide, all mismatches
// over all windows) or, with aggregate "max", by its most anomalous sequence.

import { poolResults, type Model, type ScoreResult } from "../detect/model.js";
import { detectionAt, falseAlarmAt, rocAuc, rocPoints } from "./metrics.js";
import { alarmOf, sequencesOf, trainCalibrated, DEFAULT_FOLDS, type CalibrationOptions } from "./calibrate.js";

/** A trace: a bare sequence, or a file's sequences. */
export type TraceInput = readonly string[] | { file?: string; sequences: readonly (readonly string[])[] };
/** Traces, all at once or streamed. */
export type Source<T> = Iterable<T> | AsyncIterable<T>;
/** How a trace of several sequences is scored: pooled over them, or by its most anomalous one. */
export type Aggregate = "pooled" | "max";

/** What evaluate trains and scores. */
export interface EvaluateOptions {
  /** A model to train (a fresh one for a clean evaluation). */
  model: Model;
  /** Normal traces to train on; omitted = the model is already trained. An array or a
   *  function returning a fresh source can be read twice, which calibration needs. */
  train?: Source<TraceInput> | (() => Source<TraceInput>);
  /** Cross-validated alarm threshold on the training traces (calibrate.ts). Default: on when
   *  `train` can be read twice (an array of at least 5 traces, or a function), off for a
   *  one-shot stream. */
  calibration?: CalibrationOptions | false;
  /** Held-out normal traces to score. */
  normal: Source<TraceInput>;
  /** Attack traces to score. */
  attack: Source<TraceInput>;
  /** How a multi-sequence trace is scored. Default "pooled". */
  aggregate?: Aggregate;
  /** Called after each trace with the phase and the count so far. */
  onProgress?: (phase: "train" | "normal" | "attack", done: number) => void;
}

/** One trace's score, with its file when it had one. */
export interface TraceScore extends ScoreResult {
  /** The trace's file. */
  file?: string;
  /** With a calibrated model: whether any of the trace's sequences scores above the threshold. */
  alarm?: boolean;
}

/** An evaluation's figures: AUC, detection at fixed false-alarm rates, and every trace's score. */
export interface EvaluationResult {
  /** The model's kind. */
  model: string;
  /** Its window length. */
  k: number;
  /** ROC AUC, Mann-Whitney, ties half. */
  auc: number;
  /** Number of normal / attack traces scored. */
  normal: number;
  /** See `normal`. */
  attack: number;
  /** Detection rate at a false-alarm rate of at most 1%. */
  detectionAt1: number;
  /** Detection rate at a false-alarm rate of at most 5%. */
  detectionAt5: number;
  /** Detection rate at a false-alarm rate of at most 10%. */
  detectionAt10: number;
  /** The false-alarm rate needed to detect 90% of attacks. */
  falseAlarmAt90: number;
  /** With a calibrated model: its alarm threshold, in the model's score units. */
  threshold?: number;
  /** With a calibrated model: the false-alarm rate its threshold was chosen for. */
  targetFalseAlarm?: number;
  /** With a calibrated model: the share of attack traces that alarm (any sequence above the
   *  threshold). */
  detectionAtThreshold?: number;
  /** With a calibrated model: the share of normal traces that alarm. */
  falseAlarmAtThreshold?: number;
  /** Every scored trace, in input order. */
  scores: { normal: TraceScore[]; attack: TraceScore[] };
}

/** One trace's score: its sequences' results pooled, or (aggregate "max") its most anomalous
 *  sequence's; with `alarm` when the model is calibrated. */
export function scoreTrace(model: Model, trace: TraceInput, aggregate: Aggregate = "pooled"): TraceScore {
  const file = Array.isArray(trace) ? undefined : (trace as { file?: string }).file;
  return traceScoreOf(
    model,
    sequencesOf(trace).map((s) => model.score(s)),
    aggregate,
    file,
  );
}

/** A trace's score from its sequences' results (already scored): pooled or the worst, with
 *  `alarm` when the model is calibrated. */
export function traceScoreOf(model: Model, results: readonly ScoreResult[], aggregate: Aggregate = "pooled", file?: string): TraceScore {
  let out: TraceScore;
  if (aggregate === "max" && results.length > 0) {
    out = { ...results.reduce((a, b) => (b.score > a.score ? b : a)) };
  } else {
    out = poolResults(results);
  }
  if (file !== undefined) out.file = file;
  const alarm = alarmOf(model, results);
  if (alarm !== undefined) out.alarm = alarm;
  return out;
}

/** Trains the model (if `train` is given), scores normal and attack traces, and summarises them. */
export async function evaluate(opts: EvaluateOptions): Promise<EvaluationResult> {
  const { model, onProgress } = opts;
  const aggregate = opts.aggregate ?? "pooled";
  // by default an array of fewer traces than folds is trained on without a threshold
  const tooFew = opts.calibration === undefined && Array.isArray(opts.train) && opts.train.length < DEFAULT_FOLDS;
  const reiterable = (typeof opts.train === "function" || Array.isArray(opts.train)) && !tooFew;
  if (opts.train && reiterable && opts.calibration !== false) {
    const train = opts.train;
    const source = typeof train === "function" ? train : () => train;
    await trainCalibrated(model, source, {
      ...(opts.calibration ?? {}),
      onProgress: (phase, n) => {
        if (phase === "train") onProgress?.("train", n);
      },
    });
  } else if (opts.train) {
    if (opts.calibration) throw new RangeError("calibration needs training traces that can be read twice (an array or a function)");
    const train = typeof opts.train === "function" ? opts.train() : opts.train;
    let n = 0;
    for await (const t of train) {
      for (const s of sequencesOf(t)) model.add(s);
      onProgress?.("train", ++n);
    }
  }
  const scoreAll = async (src: Source<TraceInput>, phase: "normal" | "attack"): Promise<TraceScore[]> => {
    const out: TraceScore[] = [];
    for await (const t of src) {
      out.push(scoreTrace(model, t, aggregate));
      onProgress?.(phase, out.length);
    }
    return out;
  };
  const normal = await scoreAll(opts.normal, "normal");
  const attack = await scoreAll(opts.attack, "attack");
  const ns = normal.map((r) => r.score);
  const as = attack.map((r) => r.score);
  const points = rocPoints(ns, as);
  const share = (xs: TraceScore[]) => xs.filter((r) => r.alarm).length / xs.length;
  const calibrated =
    model.threshold === undefined
      ? {}
      : {
          threshold: model.threshold,
          targetFalseAlarm: model.falseAlarmRate,
          detectionAtThreshold: share(attack),
          falseAlarmAtThreshold: share(normal),
        };
  return {
    model: model.kind,
    k: model.k,
    auc: rocAuc(ns, as),
    normal: normal.length,
    attack: attack.length,
    detectionAt1: detectionAt(points, 0.01),
    detectionAt5: detectionAt(points, 0.05),
    detectionAt10: detectionAt(points, 0.1),
    falseAlarmAt90: falseAlarmAt(points, 0.9),
    ...calibrated,
    scores: { normal, attack },
  };
}
