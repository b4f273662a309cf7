// Scores a sequence while it grows, one call at a time, giving after every call the score the
// model's own `score()` gives for the sequence so far (live tracing's alerts and LiveScorer both
// score through this), in O(k) (or O(k²) for lookahead) per call
// rather than rescoring the whole prefix. test/live-scoring.test.ts checks every prefix against
// `score()`.

import { START } from "../seq/alphabet.js";
import type { Model, ScoreResult, SequenceScorer } from "./model.js";

/** A running score of one growing sequence. */
export interface RunningScore {
  /** Appends a call's symbol; returns the score of the sequence so far. */
  push(symbol: string): ScoreResult;
  /** The last k symbols (the window the latest call completed). */
  window(): string[];
}

/** Models this module has no exact incremental form for are scored over this many recent
 *  calls (an approximation: the score of the recent past, not of the whole prefix). */
export const RECENT_CALLS = 256;

/** A running scorer for `model`'s kind. */
export function runningScore(model: Model): RunningScore {
  switch (model.kind) {
    case "stide":
    case "tstide":
      return new WindowScore(model);
    case "lookahead":
      return new PairScore(model);
    case "markov":
      return new MarkovScore(model as unknown as MarkovLike);
    default:
      // the model's own incremental scorer (n-gram, set-NN, new-symbol, ensemble), else the
      // recent calls rescored
      return model.scorer ? new ModelScorer(model) : new RecentScore(model);
  }
}

/** The last `n` symbols, kept in a ring. */
class Recent {
  private readonly ring: string[];
  private next = 0;
  length = 0;

  constructor(private readonly n: number) {
    this.ring = new Array<string>(n);
  }

  push(s: string): void {
    this.ring[this.next] = s;
    this.next = (this.next + 1) % this.n;
    this.length++;
  }

  /** The last `m` (≤ n) symbols, oldest first. */
  last(m: number): string[] {
    const have = Math.min(m, this.length, this.n);
    const out = new Array<string>(have);
    for (let i = 0; i < have; i++) out[i] = this.ring[(this.next - have + i + this.n * 2) % this.n]!;
    return out;
  }
}

/** stide / t-stide: a sequence shorter than k is one short window (seq/windows.ts), so until
 *  it reaches k the prefix is scored whole; after that each call adds the one window it ends,
 *  judged by the model itself (its accept rule stays the model's). */
class WindowScore implements RunningScore {
  private readonly recent: Recent;
  private mismatches = 0;
  private windows = 0;

  constructor(private readonly model: Model) {
    this.recent = new Recent(model.k);
  }

  push(symbol: string): ScoreResult {
    const k = this.model.k;
    this.recent.push(symbol);
    const r = this.model.score(this.recent.last(k));
    if (this.recent.length <= k) {
      this.mismatches = r.mismatches;
      this.windows = 1;
    } else {
      this.mismatches += r.mismatches;
      this.windows++;
    }
    return { score: this.mismatches / this.windows, mismatches: this.mismatches, windows: this.windows };
  }

  window(): string[] {
    return this.recent.last(this.model.k);
  }
}

/** Lookahead pairs: a new call adds the pairs from each of the K calls before it; their
 *  mismatches are those of the last K+1 calls less those of the K calls before the new one. */
class PairScore implements RunningScore {
  private readonly recent: Recent;
  private mismatches = 0;
  private readonly K: number;

  constructor(private readonly model: Model) {
    this.K = model.k - 1;
    this.recent = new Recent(model.k);
  }

  push(symbol: string): ScoreResult {
    const before = this.recent.last(this.K);
    this.recent.push(symbol);
    const withNew = this.recent.last(this.K + 1);
    this.mismatches += this.model.score(withNew).mismatches - (before.length < 2 ? 0 : this.model.score(before).mismatches);
    const L = this.recent.length;
    const K = this.K;
    const windows = L > K ? K * (L - K) + (K * (K - 1)) / 2 : ((L - 1) * L) / 2;
    return { score: windows === 0 ? 0 : this.mismatches / windows, mismatches: this.mismatches, windows };
  }

  window(): string[] {
    return this.recent.last(this.model.k);
  }
}

/** What the Markov scorer reads of the model (its public tables). */
interface MarkovLike extends Model {
  readonly alphabet: { size: number; lookup(s: string): number };
  readonly transitions: Map<string, number>;
  readonly contexts: Map<string, number>;
}

/** Markov: each call adds its negative log-likelihood given the k-1 calls before it (start
 *  markers before the first), the same terms `score()` sums; the score is their mean. */
class MarkovScore implements RunningScore {
  private context: string;
  private readonly recent: Recent;
  private nll = 0;
  private mismatches = 0;
  private calls = 0;

  constructor(private readonly model: MarkovLike) {
    this.context = String.fromCharCode(START).repeat(model.k - 1);
    this.recent = new Recent(model.k);
  }

  push(symbol: string): ScoreResult {
    const m = this.model;
    this.recent.push(symbol);
    const key = this.context + String.fromCharCode(m.alphabet.lookup(symbol));
    const c = m.transitions.get(key) ?? 0;
    if (c === 0) this.mismatches++;
    const ctx = m.contexts.get(this.context) ?? 0;
    this.nll -= Math.log((c + 1) / (ctx + m.alphabet.size + 1));
    this.context = key.substring(1);
    this.calls++;
    return { score: this.nll / this.calls, mismatches: this.mismatches, windows: this.calls };
  }

  window(): string[] {
    return this.recent.last(this.model.k);
  }
}

/** Any other model: the score of the last RECENT_CALLS calls, rescored per call. */
class RecentScore implements RunningScore {
  private readonly recent = new Recent(RECENT_CALLS);

  constructor(private readonly model: Model) {}

  push(symbol: string): ScoreResult {
    this.recent.push(symbol);
    return this.model.score(this.recent.last(RECENT_CALLS));
  }

  window(): string[] {
    return this.recent.last(this.model.k);
  }
}

/** A model's own incremental scorer (src/detect: SequenceScorer), with the window kept here. */
class ModelScorer implements RunningScore {
  private readonly scorer: SequenceScorer;
  private readonly recent: Recent;

  constructor(private readonly model: Model) {
    this.scorer = model.scorer!();
    this.recent = new Recent(Math.max(model.k, 1));
  }

  push(symbol: string): ScoreResult {
    this.recent.push(symbol);
    this.scorer.push(symbol);
    return this.scorer.result();
  }

  window(): string[] {
    return this.recent.last(this.model.k);
  }
}
