// The one place live tracing reaches into the detectors, so that moving or extending them
// changes only this module's imports.

import { readFile } from "node:fs/promises";
import { createModel, modelFromJSON, type Model, type ModelKind, type ScoreResult, type SequenceScorer } from "../detect/index.js";
import { START } from "../seq/alphabet.js";

export type { Model, ModelKind, ScoreResult, SequenceScorer };
export { START, createModel };
export { runningScore, RECENT_CALLS, type RunningScore } from "../detect/running.js";

/** A model file read back, with the calibrated alert threshold it stores, if any. */
export interface LoadedModel {
  model: Model;
  /** `threshold` from the model JSON: a score in the model's own units above which a
   *  sequence is anomalous. Undefined when the file has none. */
  threshold?: number;
}

/** Reads a model written by `strace-seq train`; a bad file is an Error naming it. */
export async function loadModel(file: string): Promise<LoadedModel> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, "utf8"));
  } catch (e) {
    throw new Error(`cannot read model ${file}: ${(e as Error).message}`, { cause: e });
  }
  let model: Model;
  try {
    model = modelFromJSON(json);
  } catch (e) {
    throw new Error(`${file} is not a model written by strace-seq train (${(e as Error).message})`, { cause: e });
  }
  const threshold = storedThreshold(json);
  return threshold === undefined ? { model } : { model, threshold };
}

/** The calibrated score threshold a model file stores (`train` chooses it by cross-validation,
 *  src/eval/calibrate.ts). Version 1 t-stide files used `threshold` for their rare-window
 *  fraction (a training parameter, not a score; `rare` since version 2), so it is not read there. */
export function storedThreshold(json: unknown): number | undefined {
  const j = json as { model?: unknown; version?: unknown; threshold?: unknown } | null;
  if (!j || (j.model === "tstide" && j.version === 1)) return undefined;
  return typeof j.threshold === "number" && Number.isFinite(j.threshold) ? j.threshold : undefined;
}
