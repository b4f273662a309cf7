// Anomaly detectors over syscall sequences, and their JSON round trip.
import { Ensemble } from "./ensemble.js";
import { Lookahead } from "./lookahead.js";
import { Markov } from "./markov.js";
import { NewSymbol } from "./newsym.js";
import { Ngram, type NgramAggregate } from "./ngram.js";
import { SetNN } from "./setnn.js";
import { Stide, type StideOptions } from "./stide.js";
import { TStide, type TStideOptions } from "./tstide.js";
import { MODEL_FORMAT, type Model, type ModelKind } from "./model.js";

export { Stide, TStide, Lookahead, Markov, Ngram, NewSymbol, SetNN, Ensemble, type StideOptions, type TStideOptions, type NgramAggregate };
export { LiveScorer, type ProcessScore } from "./live.js";
export { runningScore, RECENT_CALLS, type RunningScore } from "./running.js";
export { NgramScorer, NGRAM_AGGREGATES, type NgramOptions as NgramModelOptions } from "./ngram.js";
export {
  MODEL_FORMAT,
  MODEL_VERSION,
  poolResults,
  trainFrom,
  type Model,
  type ModelJSON,
  type ModelKind,
  type ScoreResult,
  type SequenceScorer,
} from "./model.js";

/** Every ModelKind, for listing and validating. */
export const MODEL_KINDS: readonly ModelKind[] = ["stide", "tstide", "lookahead", "markov", "ngram", "newsym", "setnn", "ensemble"];
/** Members of `--model ensemble` unless told otherwise. */
export const DEFAULT_ENSEMBLE: readonly ModelKind[] = ["ngram", "setnn"];

/** Options of createModel: stide's and t-stide's, the n-gram aggregate, and the ensemble's
 *  members; each model reads the ones that apply to it. */
export interface CreateOptions extends TStideOptions {
  /** n-gram: how per-call NLLs become a sequence's score. */
  aggregate?: NgramAggregate;
  /** ensemble: its members (default ngram + setnn); each gets the same k and options. */
  members?: readonly ModelKind[];
}

/** A fresh, untrained model of `kind` with window length (order) k. */
export function createModel(kind: ModelKind, k: number, opts: CreateOptions = {}): Model {
  switch (kind) {
    case "stide":
      return new Stide(k, opts);
    case "tstide":
      return new TStide(k, opts);
    case "lookahead":
      return new Lookahead(k);
    case "markov":
      return new Markov(k);
    case "ngram":
      return new Ngram(k, opts);
    case "newsym":
      return new NewSymbol(k);
    case "setnn":
      return new SetNN(k);
    case "ensemble": {
      const members = opts.members ?? DEFAULT_ENSEMBLE;
      if (members.includes("ensemble")) throw new RangeError("an ensemble cannot contain an ensemble");
      return new Ensemble(
        members.map((m) => createModel(m, k, opts)),
        k,
      );
    }
    default:
      throw new RangeError(`unknown model ${JSON.stringify(kind)}; expected one of ${MODEL_KINDS.join(", ")}`);
  }
}

/** Any model from its `toJSON()` output (parsed), dispatching on the `model` field. */
export function modelFromJSON(json: unknown): Model {
  const kind = (json as { model?: unknown; format?: unknown } | null)?.model;
  if ((json as { format?: unknown } | null)?.format !== MODEL_FORMAT) throw new Error(`not a ${MODEL_FORMAT} file`);
  switch (kind) {
    case "stide":
      return Stide.fromJSON(json);
    case "tstide":
      return TStide.fromJSON(json);
    case "lookahead":
      return Lookahead.fromJSON(json);
    case "markov":
      return Markov.fromJSON(json);
    case "ngram":
      return Ngram.fromJSON(json);
    case "newsym":
      return NewSymbol.fromJSON(json);
    case "setnn":
      return SetNN.fromJSON(json);
    case "ensemble":
      return Ensemble.fromJSON(json, (member) => {
        if ((member as { model?: unknown } | null)?.model === "ensemble") throw new Error("nested ensemble");
        return modelFromJSON(member);
      });
    default:
      throw new Error(`unknown model kind ${JSON.stringify(kind)}`);
  }
}
