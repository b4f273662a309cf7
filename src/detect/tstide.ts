// t-stide (Warrender, Forrest & Pearlmutter 1999): stide where rare training windows count
// as mismatches too. A window is rare when its training count is below `threshold` (default
// 0.001% = 1e-5) of all training windows; e.g. with ADFA-LD's 303,912 training windows of
// length 6 that is any window seen 3 times or fewer. The threshold is applied at scoring
// time, so adding more training data moves it.

import { checkHeader, type ModelJSON, type ModelKind } from "./model.js";
import { Stide, type StideOptions } from "./stide.js";

export interface TStideOptions extends StideOptions {
  /** Rare-window threshold as a fraction of all training windows. Default 1e-5. */
  threshold?: number;
}

export class TStide extends Stide {
  override readonly kind: ModelKind = "tstide";
  threshold: number;

  constructor(k: number, opts: TStideOptions = {}) {
    super(k, opts);
    this.threshold = opts.threshold ?? 1e-5;
  }

  protected override accepts(count: number): boolean {
    return count > 0 && count / this.db.total >= this.threshold;
  }

  protected override extraJSON(): Record<string, unknown> {
    return { threshold: this.threshold };
  }

  static override fromJSON(json: unknown): TStide {
    checkHeader(json, "tstide");
    const j = json as ModelJSON;
    const m = new TStide(j.k, { frame: j.frame as number | undefined, threshold: j.threshold as number | undefined });
    return Stide.load(m, j);
  }
}
