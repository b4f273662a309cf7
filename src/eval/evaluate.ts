// Train a model on normal traces, score held-out normal and attack traces, and summarise
// with the metrics in metrics.ts. A trace made of several sequences (processes, threads) is
// scored by pooling its sequences' results (model.ts poolResults: for stide, all mismatches
// over all windows) or, with aggregate "max", by its most anomalous sequence.

import { poolResults, type Model, type ScoreResult } from "../detect/model.js";
import { detectionAt, falseAlarmAt, rocAuc, rocPoints } from "./metrics.js";

/** A trace: a bare sequence, or a file's sequences. */
export type TraceInput = readonly string[] | { file?: string; sequences: readonly (readonly string[])[] };
export type Source<T> = Iterable<T> | AsyncIterable<T>;
export type Aggregate = "pooled" | "max";

export interface EvaluateOptions {
  /** A model to train (a fresh one for a clean evaluation). */
  model: Model;
  /** Normal traces to train on; omitted = the model is already trained. */
  train?: Source<TraceInput>;
  normal: Source<TraceInput>;
  attack: Source<TraceInput>;
  aggregate?: Aggregate;
  /** Called after each trace with the phase and the count so far. */
  onProgress?: (phase: "train" | "normal" | "attack", done: number) => void;
}

export interface TraceScore extends ScoreResult {
  file?: string;
}

export interface EvaluationResult {
  model: string;
  k: number;
  /** ROC AUC, Mann-Whitney, ties half. */
  auc: number;
  /** Number of normal / attack traces scored. */
  normal: number;
  attack: number;
  detectionAt1: number;
  detectionAt5: number;
  detectionAt10: number;
  falseAlarmAt90: number;
  scores: { normal: TraceScore[]; attack: TraceScore[] };
}

function sequencesOf(t: TraceInput): readonly (readonly string[])[] {
  return Array.isArray(t) ? [t as readonly string[]] : (t as { sequences: readonly (readonly string[])[] }).sequences;
}

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
