// Anomaly detectors over syscall sequences, and their JSON round trip.
import { Lookahead } from "./lookahead.js";
import { Markov } from "./markov.js";
import { Stide, type StideOptions } from "./stide.js";
import { TStide, type TStideOptions } from "./tstide.js";
import { MODEL_FORMAT, type Model, type ModelKind } from "./model.js";

export { Stide, TStide, Lookahead, Markov, type StideOptions, type TStideOptions };
export {
  MODEL_FORMAT,
  MODEL_VERSION,
  poolResults,
  trainFrom,
  type Model,
  type ModelJSON,
  type ModelKind,
  type ScoreResult,
} from "./model.js";

export const MODEL_KINDS: readonly ModelKind[] = ["stide", "tstide", "lookahead", "markov"];

export interface CreateOptions extends TStideOptions {}

/** A fresh, untrained model of `kind` with window length k. */
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
    default:
      throw new Error(`unknown model kind ${JSON.stringify(kind)}`);
  }
}
