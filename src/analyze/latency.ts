// Per-syscall latency from -T durations: total, min, max, mean and percentiles in bounded memory.
//
// Each syscall keeps its durations exactly until it has EXACT_CAP of them, so small traces (and
// every test fixture) get exact nearest-rank percentiles. Past the cap the values move into a
// log-bucketed histogram (the DDSketch mapping): bucket i holds durations in (γ^(i-1), γ^i] with
// γ = (1 + α) / (1 − α), and a percentile is reported as the bucket's midpoint 2γ^i / (γ + 1),
// which is within a relative error α = 1% of the true nearest-rank value. Zero durations (strace
// prints `<0.000000>`) have their own counter. Memory per syscall is bounded by EXACT_CAP numbers
// or by the number of distinct buckets (about 115 per factor of 10 between the shortest and the
// longest call: under 1,500 for 1 ns .. 10,000 s), never by the number of calls.
// total, min, max and mean are always exact.

/** Relative error of percentiles once a syscall has more than EXACT_CAP timed calls. */
export const LATENCY_RELATIVE_ERROR = 0.01;
/** Durations per syscall kept exactly before switching to the histogram. */
export const EXACT_CAP = 4096;

const GAMMA = (1 + LATENCY_RELATIVE_ERROR) / (1 - LATENCY_RELATIVE_ERROR);
const LOG_GAMMA = Math.log(GAMMA);

/** Latency of one syscall, in seconds. */
export interface LatencySummary {
  /** Calls that carried a -T duration. */
  timed: number;
  /** Sum of the durations. */
  total: number;
  /** Shortest duration (exact). */
  min: number;
  /** Longest duration (exact). */
  max: number;
  /** Average duration: `total / timed` (exact). */
  mean: number;
  /** Median: nearest-rank 50th percentile. */
  p50: number;
  /** Nearest-rank 99th percentile. */
  p99: number;
  /** Whether p50/p99 are exact (at most EXACT_CAP timed calls) or within LATENCY_RELATIVE_ERROR. */
  exact: boolean;
}

/** A DurationDigest as plain data (DurationDigest.state), to pass between processes and merge. */
export interface DigestState {
  count: number;
  nanos: number;
  min: number;
  max: number;
  exact: number[] | null;
  zeros: number;
  buckets: number[] | null;
  lo: number;
}

/** Whole nanoseconds of a duration in seconds: strace prints at most nanoseconds, so sums of
 *  these are exact (below 2^53 ns, 104 days) and come out the same in any order or grouping,
 *  as a file counted in parts must. */
export function nanosOf(seconds: number): number {
  return Math.round(seconds * 1e9);
}

/** The last bucket index computed for a few thousand durations (strace prints whole microseconds
 *  or nanoseconds, so a trace's durations repeat): a hit costs a compare where the logarithm cost
 *  ~4 % of `stats`. Direct-mapped by the duration in microseconds; the index is the same either way. */
const BUCKET_CACHE_SIZE = 4096;
const cachedDurations = new Float64Array(BUCKET_CACHE_SIZE).fill(NaN);
const cachedBuckets = new Int32Array(BUCKET_CACHE_SIZE);

/** The histogram bucket of a duration v > 0: i with v in (γ^(i-1), γ^i]. */
function bucketOf(v: number): number {
  const slot = (v * 1e6) & (BUCKET_CACHE_SIZE - 1);
  if (cachedDurations[slot] === v) return cachedBuckets[slot]!;
  const i = Math.ceil(Math.log(v) / LOG_GAMMA);
  cachedDurations[slot] = v;
  cachedBuckets[slot] = i;
  return i;
}

/** One syscall's durations: exact list, then histogram. */
export class DurationDigest {
  /** Durations added so far. */
  count = 0;
  /** Sum of the durations added, in whole nanoseconds (see nanosOf). */
  nanos = 0;
  /** Shortest duration added, in seconds (Infinity before the first). */
  min = Infinity;
  /** Longest duration added, in seconds (-Infinity before the first). */
  max = -Infinity;
  private exact: number[] | null = [];
  private zeros = 0;
  /** Histogram counts by bucket index - `lo` (dense: a Map lookup per call cost `stats` ~5%). */
  private buckets: number[] | null = null;
  private lo = 0;

  /** Sum of the durations added, in seconds. */
  get total(): number {
    return this.nanos / 1e9;
  }

  /** Records one duration in seconds; NaN and negative values are ignored. */
  add(seconds: number): void {
    if (!(seconds >= 0)) return; // NaN or negative: not a duration
    this.count++;
    this.nanos += nanosOf(seconds);
    if (seconds < this.min) this.min = seconds;
    if (seconds > this.max) this.max = seconds;
    if (this.exact) {
      this.exact.push(seconds);
      if (this.exact.length > EXACT_CAP) this.toBuckets();
    } else this.bucket(seconds);
  }

  /** The digest as plain data (a copy). */
  state(): DigestState {
    const { count, nanos, min, max, zeros, lo } = this;
    return { count, nanos, min, max, exact: this.exact && this.exact.slice(), zeros, buckets: this.buckets && this.buckets.slice(), lo };
  }

  /** Takes in the durations of another digest (its state()) as if they had been added here
   *  after this one's: the same counts, sums, extremes, exact list or histogram. */
  merge(o: DigestState): void {
    this.count += o.count;
    this.nanos += o.nanos;
    if (o.min < this.min) this.min = o.min;
    if (o.max > this.max) this.max = o.max;
    if (this.exact && o.exact) {
      for (const v of o.exact) this.exact.push(v);
      if (this.exact.length > EXACT_CAP) this.toBuckets();
      return;
    }
    if (this.exact) this.toBuckets();
    if (o.exact) for (const v of o.exact) this.bucket(v);
    else {
      this.zeros += o.zeros;
      const b = o.buckets as number[];
      for (let at = 0; at < b.length; at++) if (b[at]! > 0) this.countBucket(at + o.lo, b[at]!);
    }
  }

  private toBuckets(): void {
    const values = this.exact as number[];
    this.exact = null;
    this.buckets = [];
    for (const v of values) this.bucket(v);
  }

  private bucket(v: number): void {
    if (v === 0) {
      this.zeros++;
      return;
    }
    this.countBucket(bucketOf(v), 1);
  }

  private countBucket(i: number, n: number): void {
    const b = this.buckets as number[];
    if (b.length === 0) this.lo = i;
    else if (i < this.lo) {
      // a new shortest bucket: shift the counts up (at most a few thousand buckets, rarely)
      b.unshift(...new Array<number>(this.lo - i).fill(0));
      this.lo = i;
    }
    const at = i - this.lo;
    while (b.length <= at) b.push(0);
    b[at] += n;
  }

  /** Nearest-rank percentile (q in 0..1): the smallest duration with at least q of the calls at or below it. */
  quantile(q: number): number {
    return this.quantileOf(q, this.exact ? Float64Array.from(this.exact).sort() : null);
  }

  /** quantile(q), with the exact durations already sorted (null once they are bucketed). */
  private quantileOf(q: number, sorted: Float64Array | null): number {
    if (this.count === 0) return NaN;
    const rank = Math.max(1, Math.ceil(q * this.count));
    if (sorted) return sorted[rank - 1]!;
    let seen = this.zeros;
    if (seen >= rank) return 0;
    const b = this.buckets as number[];
    for (let at = 0; at < b.length; at++) {
      seen += b[at]!;
      // the bucket's midpoint, kept inside the exact min and max
      if (seen >= rank) return Math.min(this.max, Math.max(this.min, (2 * Math.pow(GAMMA, at + this.lo)) / (GAMMA + 1)));
    }
    return this.max;
  }

  /** The durations so far as a LatencySummary (mean and percentiles are NaN when none were added). */
  summary(): LatencySummary {
    // (sorted once for both percentiles: a typed array sorts numbers without a comparator)
    const sorted = this.exact ? Float64Array.from(this.exact).sort() : null;
    return {
      timed: this.count,
      total: this.total,
      min: this.min,
      max: this.max,
      mean: this.total / this.count,
      p50: this.quantileOf(0.5, sorted),
      p99: this.quantileOf(0.99, sorted),
      exact: this.exact !== null,
    };
  }
}

/** Latency per syscall name (or any key: a number, `name@pid`), fed one duration at a time. */
export class LatencyStats {
  private readonly digests = new Map<string | number, DurationDigest>();

  /** Records one call's -T duration in seconds. */
  add(key: string | number, seconds: number): void {
    this.digest(key).add(seconds);
  }

  /** The digest of `key` (created empty the first time), for callers that keep it per key. */
  digest(key: string | number): DurationDigest {
    let d = this.digests.get(key);
    if (!d) this.digests.set(key, (d = new DurationDigest()));
    return d;
  }

  /** Summary for one key, or undefined when it had no timed call. */
  get(key: string | number): LatencySummary | undefined {
    const d = this.digests.get(key);
    return d && d.count > 0 ? d.summary() : undefined;
  }

  /** Every key with timed calls. */
  keys(): (string | number)[] {
    return [...this.digests.keys()].filter((k) => (this.digests.get(k) as DurationDigest).count > 0);
  }

  /** Sum of all durations. */
  get total(): number {
    let ns = 0;
    for (const d of this.digests.values()) ns += d.nanos;
    return ns / 1e9;
  }
}
