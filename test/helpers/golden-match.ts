// The golden cases' partial match (rule in test/cases/README.md) and a readable diff of mismatches.

/** Key prefix asserting a field is absent: `"!unfinished": true`. */
const ABSENT = "!";

function show(v: unknown): string {
  return v === undefined ? "(absent)" : JSON.stringify(v);
}

/** `{"$not": X}` in place of a value: any value but X (compared as JSON), e.g. `"errno":{"$not":null}`. */
function notPattern(expected: unknown): { value: unknown } | undefined {
  if (typeof expected !== "object" || expected === null || Array.isArray(expected)) return undefined;
  const keys = Object.keys(expected);
  return keys.length === 1 && keys[0] === "$not" ? { value: (expected as { $not: unknown }).$not } : undefined;
}

/** Mismatches of `actual` against `expected` under the partial rule, one `path: ...` line each. */
export function mismatches(expected: unknown, actual: unknown, path: string, out: string[]): string[] {
  const not = notPattern(expected);
  if (not) {
    if (actual === undefined || JSON.stringify(actual) === JSON.stringify(not.value))
      out.push(`${path}: expected anything but ${show(not.value)}, got ${show(actual)}`);
    return out;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) {
      out.push(`${path}: expected an array of ${expected.length}, got ${show(actual)}`);
      return out;
    }
    if (actual.length !== expected.length) out.push(`${path}: expected ${expected.length} items, got ${actual.length}: ${show(actual)}`);
    const n = Math.min(expected.length, actual.length);
    for (let i = 0; i < n; i++) mismatches(expected[i], actual[i], `${path}[${i}]`, out);
    return out;
  }
  if (typeof expected === "object" && expected !== null) {
    if (typeof actual !== "object" || actual === null || Array.isArray(actual)) {
      out.push(`${path}: expected an object, got ${show(actual)}`);
      return out;
    }
    const a = actual as Record<string, unknown>;
    for (const [key, want] of Object.entries(expected)) {
      if (key.startsWith(ABSENT)) {
        const k = key.slice(ABSENT.length);
        if (k in a) out.push(`${path}.${k}: expected absent, got ${show(a[k])}`);
        continue;
      }
      mismatches(want, a[key], `${path}.${key}`, out);
    }
    return out;
  }
  if (!Object.is(expected, actual)) out.push(`${path}: expected ${show(expected)}, got ${show(actual)}`);
  return out;
}

/** The whole comparison of a case's records: count and each record in order. Empty when they match. */
export function diffRecords(expected: Record<string, unknown>[], actual: object[]): string[] {
  const out: string[] = [];
  const n = Math.max(expected.length, actual.length);
  for (let i = 0; i < n; i++) {
    const want = expected[i];
    const got = actual[i];
    const at = `record ${i + 1}`;
    if (want === undefined) {
      out.push(`${at}: not expected, got ${JSON.stringify(got)}`);
      continue;
    }
    if (got === undefined) {
      out.push(`${at}: expected ${JSON.stringify(want)}, got no record`);
      continue;
    }
    const lines = mismatches(want, got, at, []);
    if (lines.length > 0) {
      out.push(...lines);
      out.push(`  expected ${JSON.stringify(want)}`);
      out.push(`  actual   ${JSON.stringify(got)}`);
    }
  }
  if (expected.length !== actual.length) out.unshift(`expected ${expected.length} records, got ${actual.length}`);
  return out;
}
