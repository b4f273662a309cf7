// Train a model on normal traces, score held-out normal and attack traces, and summarise
// with the metrics in metrics.ts. A trace made of several sequences (processes, threads) is
// scored by pooling its sequences' results (model.ts poolResults: for stide, all mismatches
// over all windows) or, with aggregate "max", by its most anomalous sequence.

import { poolResults, type Model, type ScoreResult } from "../models/model.js";
import { detectionAt, falseAlarmAt, rocAuc, rocPoints } from "./metrics.js";

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
  /** Normal traces to train on; omitted = the model is already trained. */
  train?: Source<TraceInput>;
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
  /** Every scored trace, in input order. */
  scores: { normal: TraceScore[]; attack: TraceScore[] };
}

function sequencesOf(t: TraceInput): readonly (readonly string[])[] {
  return Array.isArray(t) ? [t as readonly string[]] : (t as { sequences: readonly (readonly string[])[] }).sequences;
}

/** One trace's score: its sequences' results pooled, or (aggregate "max") its most anomalous sequence's. */
export function scoreTrace(model: Model, trace: TraceInput, aggregate: Aggregate = "pooled"): TraceScore {
  const results = sequencesOf(trace).map((s) => model.score(s));
  let out: TraceScore;
  if (aggregate === "max" && results.length > 0) {
    out = { ...results.reduce((a, b) => (b.score > a.score ? b : a)) };
  } else {
    out = poolResults(results);
  }
  const file = Array.isArray(trace) ? undefined : (trace as { file?: string }).file;
  if (file !== undefined) out.file = file;
  return out;
}

/** Trains the model (if `train` is given), scores normal and attack traces, and summarises them. */
export async function evaluate(opts: EvaluateOptions): Promise<EvaluationResult> {
  const { model, onProgress } = opts;
  const aggregate = opts.aggregate ?? "pooled";
  if (opts.train) {
    let n = 0;
    for await (const t of opts.train) {
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
    scores: { normal, attack },
  };
}
