// t-stide (Warrender, Forrest & Pearlmutter 1999): stide where rare training windows count
// as mismatches too. A window is rare when its training count is below `rare` (default
// 0.001% = 1e-5) of all training windows; e.g. with ADFA-LD's 303,912 training windows of
// length 6 that is any window seen 3 times or fewer. The fraction is applied at scoring
// time, so adding more training data moves it. (Model files before version 2 called it
// `threshold`; that name now means the calibrated alarm threshold every model has.)

import { checkHeader, type ModelJSON, type ModelKind } from "./model.js";
import { Stide, type StideOptions } from "./stide.js";

/** Options of t-stide: stide's plus the rare-window fraction. */
export interface TStideOptions extends StideOptions {
  /** Rare-window fraction of all training windows. Default 1e-5. */
  rare?: number;
  /** @deprecated the former name of `rare`. */
  threshold?: number;
}

/** t-stide: stide where windows whose training count is below `rare` of all training windows
 *  count as mismatches too. */
export class TStide extends Stide {
  /** Which detector this is. */
  override readonly kind: ModelKind = "tstide";
  /** Rare-window fraction. */
  rare: number;

  /** An empty model of window length `k` (a positive integer; RangeError otherwise); `rare`
   *  defaults to 1e-5. */
  constructor(k: number, opts: TStideOptions = {}) {
    super(k, opts);
    this.rare = opts.rare ?? opts.threshold ?? 1e-5;
  }

  /** An untrained t-stide with the same settings, `rare` included. */
  override fresh(): TStide {
    return new TStide(this.k, { frame: this.frame, hamming: this.hamming, hammingBudget: this.hammingBudget, rare: this.rare });
  }

  protected override accepts(count: number): boolean {
    return count > 0 && count / this.db.total >= this.rare;
  }

  protected override extraJSON(): Record<string, unknown> {
    return { rare: this.rare };
  }

  /** A t-stide model from its toJSON() output (a version 1 file's `threshold` is read as
   *  `rare`); throws on a wrong header or shape. */
  static override fromJSON(json: unknown): TStide {
    checkHeader(json, "tstide");
    const j = json as ModelJSON;
    // version 1 files kept the rare-window fraction in `threshold`
    const rare = (j.version < 2 ? j.threshold : j.rare) as number | undefined;
    const m = new TStide(j.k, { frame: j.frame as number | undefined, rare });
    return Stide.load(m, j);
  }
}
