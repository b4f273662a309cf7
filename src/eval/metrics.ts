// Detection metrics from two score lists (higher score = more anomalous).
//
// Threshold convention: a trace raises an alarm when its score is >= t. For a threshold t,
//   false-alarm rate FA(t) = share of normal traces with score >= t,
//   detection rate   DR(t) = share of attack traces with score >= t.
// Candidate thresholds are every observed score plus +Infinity (nothing flagged), so
// every achievable operating point is considered and none is interpolated.
//   detectionAt(a)  = max DR(t) over t with FA(t) <= a
//   falseAlarmAt(d) = min FA(t) over t with DR(t) >= d
// ROC AUC is the Mann-Whitney statistic: the probability that a random attack trace scores
// above a random normal one, ties counting one half.
// All are O(n log n) (one sort each).

/** One point of a ROC curve: flag every trace scoring at least `threshold`. */
export interface OperatingPoint {
  /** The score at or above which a trace is flagged. */
  threshold: number;
  /** Fraction of normal traces flagged. */
  falseAlarm: number;
  /** Fraction of attack traces flagged. */
  detection: number;
}

function sortedAsc(xs: readonly number[]): Float64Array {
  for (const x of xs) if (Number.isNaN(x)) throw new RangeError("NaN score");
  return Float64Array.from(xs).sort();
}

/** ROC AUC with ties counted half. NaN when either list is empty. */
export function rocAuc(normal: readonly number[], attack: readonly number[]): number {
  if (normal.length === 0 || attack.length === 0) return NaN;
  const n = sortedAsc(normal);
  const a = sortedAsc(attack);
  // For each attack score: normals strictly below + half the normals equal.
  let below = 0;
  let upTo = 0;
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    while (below < n.length && n[below]! < x) below++;
    if (upTo < below) upTo = below;
    while (upTo < n.length && n[upTo]! <= x) upTo++;
    sum += below + (upTo - below) / 2;
  }
  return sum / (n.length * a.length);
}

/** Every operating point, from the strictest threshold (+Infinity) to the loosest. */
export function rocPoints(normal: readonly number[], attack: readonly number[]): OperatingPoint[] {
  const n = sortedAsc(normal);
  const a = sortedAsc(attack);
  const thresholds = [...new Set([...n, ...a])].sort((x, y) => y - x);
  const points: OperatingPoint[] = [{ threshold: Infinity, falseAlarm: 0, detection: 0 }];
  // Walk thresholds downwards, counting scores >= t from the top of each sorted list.
  let ni = n.length;
  let ai = a.length;
  for (const t of thresholds) {
    while (ni > 0 && n[ni - 1]! >= t) ni--;
    while (ai > 0 && a[ai - 1]! >= t) ai--;
    points.push({
      threshold: t,
      falseAlarm: n.length === 0 ? 0 : (n.length - ni) / n.length,
      detection: a.length === 0 ? 0 : (a.length - ai) / a.length,
    });
  }
  return points;
}

/** The best detection rate among operating points whose false-alarm rate is at most `falseAlarm`. */
export function detectionAt(points: readonly OperatingPoint[], falseAlarm: number): number {
  let best = 0;
  for (const p of points) if (p.falseAlarm <= falseAlarm && p.detection > best) best = p.detection;
  return best;
}

/** NaN when no threshold reaches the detection rate (never, with +Inf..min covered, unless empty). */
export function falseAlarmAt(points: readonly OperatingPoint[], detection: number): number {
  let best = NaN;
  for (const p of points) if (p.detection >= detection && !(p.falseAlarm >= best)) best = p.falseAlarm;
  return best;
}
