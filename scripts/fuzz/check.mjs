// Fuzz checks: one input through both engines, whole and chunked, against the invariants listed in
// scripts/fuzz.mjs; a failing input is minimised while it still fails the same way.

function countLines(b) {
  let n = 0;
  for (let i = 0; i < b.length; i++) if (b[i] === 10) n++;
  if (b.length && b[b.length - 1] !== 10) n++;
  return n;
}

function canon(v) {
  if (Array.isArray(v)) return v.map(canon);
  if (v && typeof v === "object") {
    const o = {};
    for (const k of Object.keys(v).sort()) if (v[k] !== undefined) o[k] = canon(v[k]);
    return o;
  }
  return v;
}
const key = (recs) => JSON.stringify(canon(recs));

function splitPoints(r, len, oneByte) {
  if (oneByte) return Array.from({ length: len }, (_, i) => i + 1);
  const pts = new Set();
  const k = 1 + r.int(8);
  for (let i = 0; i < k; i++) pts.add(r.int(len + 1));
  return [...pts].sort((a, b) => a - b);
}

function runParse(api, engine, input, cuts, opts = {}) {
  const p = new api.TraceParser(engine, opts);
  const recs = [];
  let prev = 0;
  for (const c of cuts ?? []) {
    if (c > prev && c < input.length) {
      for (const x of p.push(input.slice(prev, c))) recs.push(x);
      prev = c;
    }
  }
  for (const x of p.push(input.slice(prev))) recs.push(x);
  for (const x of p.end()) recs.push(x);
  return { recs, counts: { ...p.counts } };
}

function coverageMissing(n, recs) {
  const diff = new Int32Array(n + 2);
  let bad = null;
  const mark = (a, b, r) => {
    if (!Number.isInteger(a) || !Number.isInteger(b) || a < 1 || b < a || b > n) {
      bad ??= `record out of range: ${JSON.stringify({ type: r.type, line: r.line, endLine: r.endLine })}`;
      return;
    }
    diff[a]++;
    diff[b + 1]--;
  };
  for (const r of recs) {
    mark(r.line, r.endLine ?? r.line, r);
    if (r.resumedLine !== undefined) mark(r.resumedLine, r.resumedLine, r);
  }
  const missing = [];
  let run = 0;
  for (let i = 1; i <= n; i++) {
    run += diff[i];
    if (run <= 0 && missing.length < 10) missing.push(i);
  }
  if (bad) return bad;
  return missing.length ? `lines not covered: ${missing.join(",")}` : null;
}

/** Returns null when all invariants hold, else { kind, detail }. */
export function check(ctx, input, r, opts = ctx.opts ?? {}) {
  const { api, wasm, ts } = ctx;
  const n = countLines(input);
  const results = {};
  for (const [name, eng] of [
    ["wasm", wasm],
    ["ts", ts],
  ]) {
    try {
      results[name] = runParse(api, eng(), input, null, opts);
    } catch (e) {
      return {
        kind: `exception-${name}`,
        detail: String(e?.stack ?? e).slice(0, 600),
        sig: `exception-${name}:${String(e?.message ?? e)
          .replace(/\d+/g, "N")
          .slice(0, 80)}`,
      };
    }
  }
  for (const name of ["wasm", "ts"]) {
    const res = results[name];
    if (res.counts.lines !== n) return { kind: "line-count", detail: `${name}: counts.lines ${res.counts.lines}, input has ${n}`, sig: `line-count-${name}` };
    const miss = coverageMissing(n, res.recs);
    if (miss) return { kind: "lost-line", detail: `${name}: ${miss}`, sig: `lost-line-${name}` };
  }
  const kw = key(results.wasm.recs);
  if (kw !== key(results.ts.recs)) return { kind: "engines-differ", detail: firstDiff(results.wasm.recs, results.ts.recs), sig: "engines-differ" };
  const chunkings = [];
  if (r) {
    chunkings.push(splitPoints(r, input.length, false));
    if (input.length <= 400) chunkings.push(splitPoints(r, input.length, true));
  } else chunkings.push(null);
  for (const cuts of chunkings) {
    if (!cuts) continue;
    for (const [name, eng] of [
      ["wasm", wasm],
      ["ts", ts],
    ]) {
      let res;
      try {
        res = runParse(api, eng(), input, cuts, opts);
      } catch (e) {
        return {
          kind: `exception-chunked-${name}`,
          detail: String(e?.stack ?? e).slice(0, 600),
          sig: `exception-chunked-${name}:${String(e?.message ?? e)
            .replace(/\d+/g, "N")
            .slice(0, 80)}`,
          cuts,
        };
      }
      if (key(res.recs) !== kw)
        return {
          kind: "chunking-changes-result",
          detail: `${name} cuts=${cuts.length > 20 ? "1-byte chunks" : cuts.join(",")}: ${firstDiff(results.wasm.recs, res.recs)}`,
          sig: `chunking-${name}`,
          cuts,
        };
    }
  }
  const jsonFail = checkJsonl(ctx, input, results.wasm.recs, chunkings.find((c) => c) ?? [], opts);
  if (jsonFail) return jsonFail;
  // JSON Lines written by the core's rows (what `parse` writes) merge halves as the full reading does
  if (opts.merge !== false && ctx.rowsJsonStamp) {
    const fastFail = checkRowsJsonl(ctx, input, results.wasm.recs, chunkings.find((c) => c) ?? [], opts);
    if (fastFail) return fastFail;
  }
  // record rows always merge halves (stats and sequences read merged records)
  if (opts.merge !== false) {
    const rowsFail = checkRows(ctx, input, chunkings.find((c) => c) ?? [], opts);
    if (rowsFail) return rowsFail;
  }
  return null;
}

/** What counting consumers read of a record, as text. */
function counted(r) {
  if (r.type !== "syscall") return JSON.stringify([r.type, r.pid, r.time, r.line]);
  const returned = r.ret !== null || r.errno !== null;
  const thread = (r.args ?? []).some((a) => JSON.stringify(a).includes('"CLONE_THREAD"'));
  return JSON.stringify([
    r.type,
    r.pid,
    r.time,
    r.name,
    returned,
    r.errno,
    r.duration,
    r.line,
    r.resumed ?? false,
    r.type === "syscall" && /^clone[23]?$/.test(r.name) ? thread : null,
  ]);
}

/** Record rows (src/core/rows) against lean records: the rows, and after they stop the full
 *  reading from their last quiet point (as src/api/counting.ts does), must give the same counted
 *  records in the same order, and the same counts. */
function checkRows(ctx, input, cuts, opts) {
  const lean = { ...opts, lean: true, argsFor: (name) => /^clone[23]?$/.test(name) };
  const want = runParse(ctx.api, ctx.wasm(), input, null, lean);
  const wantRecs = want.recs.filter((r) => r.type !== "diagnostic" && r.type !== "summary").map(counted);
  for (const [name, eng] of [
    ["wasm", ctx.wasm],
    ["ts", ctx.ts],
  ]) {
    let got;
    let counts;
    try {
      const e = eng();
      got = [];
      const rows = new ctx.RowParser(e, { maxHeld: opts.maxHeld, maxPending: opts.maxPending }, (r) => got.push(counted(r)));
      let prev = 0;
      for (const c of [...cuts.filter((c) => c > 0 && c < input.length), input.length]) {
        if (c > prev && !rows.push(input.slice(prev, c))) break;
        prev = Math.max(prev, c);
      }
      if (!rows.aborted && rows.end()) counts = rows.counts;
      else {
        const q = rows.quiet;
        got.length = q.records;
        const rest = runParse(ctx.api, eng(), input.slice(q.offset), null, { ...lean, resume: q.offset > 0 ? { line: q.line, owner: q.owner } : undefined });
        const recs = rest.recs.filter((r) => r.type !== "diagnostic" && r.type !== "summary");
        for (const r of recs.slice(q.offset > 0 && q.owner ? 1 : 0)) got.push(counted(r));
        counts = {
          lines: rest.counts.lines,
          records: q.records + rest.counts.records - (q.offset > 0 && q.owner ? 1 : 0),
          diagnostics: q.diagnostics + rest.counts.diagnostics,
        };
      }
    } catch (e) {
      return {
        kind: `exception-rows-${name}`,
        detail: String(e?.stack ?? e).slice(0, 600),
        sig: `exception-rows-${name}:${String(e?.message ?? e)
          .replace(/\d+/g, "N")
          .slice(0, 80)}`,
      };
    }
    const i = got.findIndex((g, k) => g !== wantRecs[k]);
    if (i >= 0 || got.length !== wantRecs.length) {
      const at = i >= 0 ? i : Math.min(got.length, wantRecs.length);
      return { kind: "rows-differ", detail: `${name} record ${at}: ${got[at]} vs ${wantRecs[at]}`, sig: `rows-${name}` };
    }
    const c = { lines: want.counts.lines, records: want.counts.records, diagnostics: want.counts.diagnostics };
    if (counts.lines !== c.lines || counts.records !== c.records || counts.diagnostics !== c.diagnostics) {
      return { kind: "rows-counts-differ", detail: `${name}: ${JSON.stringify(counts)} vs ${JSON.stringify(c)}`, sig: `rows-counts-${name}` };
    }
  }
  return null;
}

/** JSON Lines the way src/api/rows-first.ts + jsonl-fast.ts write them, in memory and cut at
 *  `cuts`: the core's rows write records (RowParser with `json`) until they stop; the full reading
 *  then goes on from their last quiet point (`resume`), skipping the stand-in owner and the records
 *  the rows already wrote after it. The bytes must be JSON.stringify of the full reading's records.
 *  (scripts/fuzz.mjs also runs the real jsonlChunks on a file: checkJsonlFile.) */
function checkRowsJsonl(ctx, input, expected, cuts, opts) {
  const want = expected.map((x) => JSON.stringify(x) + "\n").join("");
  for (const [name, eng] of [
    ["wasm", ctx.wasm],
    ["ts", ctx.ts],
  ]) {
    let got;
    try {
      const e = eng();
      // the rows' JSON Lines come first (copied out of the core's memory), then the full reading's
      const lines = [];
      const w = new ctx.JsonlWriter();
      const json = { arch: "x86_64", stamp: ctx.rowsJsonStamp, onJson: (b) => lines.push(Buffer.from(b)) };
      const rows = new ctx.RowParser(e, { maxHeld: opts.maxHeld, maxPending: opts.maxPending, json }, () => undefined);
      let prev = 0;
      for (const c of [...cuts.filter((c) => c > 0 && c < input.length), input.length]) {
        if (c > prev && !rows.push(input.slice(prev, c))) break;
        prev = Math.max(prev, c);
      }
      if (rows.aborted || !rows.end()) {
        const q = rows.quiet;
        let skip = (q.owner ? 1 : 0) + rows.counts.records - q.records;
        const resume = q.offset > 0 ? { line: q.line, owner: q.owner, stamped: q.records > 0 } : undefined;
        const rest = runParse(ctx.api, eng(), input.slice(q.offset), null, { ...opts, argsJson: true, resume });
        for (const r of rest.recs) {
          if (skip > 0 && r.type !== "diagnostic" && r.type !== "summary") {
            skip--;
            continue;
          }
          w.add(r);
        }
      }
      got = Buffer.concat([...lines, w.take()]).toString("utf8");
    } catch (e) {
      return {
        kind: `exception-rows-jsonl-${name}`,
        detail: String(e?.stack ?? e).slice(0, 600),
        sig: `exception-rows-jsonl-${name}:${String(e?.message ?? e)
          .replace(/\d+/g, "N")
          .slice(0, 80)}`,
      };
    }
    if (got !== want) return { kind: "rows-jsonl-differs", detail: `${name} ${textDiff(got, want)}`, sig: `rows-jsonl-${name}` };
    // the next input on the same engine (parse reads many) starts afresh, whatever this one left
    const leak = probeAfter(ctx, eng());
    if (leak) return { kind: "rows-jsonl-state-leak", detail: `${name}: the next input's JSON ${leak}`, sig: `rows-jsonl-leak-${name}` };
  }
  return null;
}

/** A small input with every kind of part the rows write (a whole call, an unfinished call's
 *  head, its resumed half), read after a fuzz input on the same engine. */
const PROBE = new TextEncoder().encode(
  [
    "1     getpid()                          = 1",
    "2     read(0,  <unfinished ...>",
    "1     getppid()                         = 0",
    '2     <... read resumed>"x", 1)          = 1',
    "",
  ].join("\n"),
);

/** The probe's JSON by the rows on `e` against its full reading's; a diff, or null when equal. */
function probeAfter(ctx, e) {
  const lines = [];
  const rows = new ctx.RowParser(e, { json: { arch: "x86_64", stamp: ctx.rowsJsonStamp, onJson: (b) => lines.push(Buffer.from(b)) } }, () => undefined);
  if (!rows.push(PROBE) || !rows.end()) return "was not written by the rows";
  const got = Buffer.concat(lines).toString("utf8");
  const want = runParse(ctx.api, e, PROBE, null, {})
    .recs.map((x) => JSON.stringify(x) + "\n")
    .join("");
  return got === want ? null : textDiff(got, want);
}

/** The real entry points (src/api/jsonl-fast.ts jsonlChunks on `input` written to `file`, and
 *  jsonl-stream.ts jsonlStream on its bytes), both engines, against the full reading's (parseFile +
 *  recordJson); null when equal. Async, so it
 *  runs beside check() (default options only: jsonlChunks takes no caps). */
export async function checkJsonlFile(ctx, input, file) {
  for (const [name, eng] of [
    ["wasm", ctx.wasm],
    ["ts", ctx.ts],
  ]) {
    let got;
    let want = "";
    try {
      // (read from the file, as parse reads it: diagnostics then name the file)
      for await (const r of ctx.api.parseFile(file, { engine: name, argsJson: true })) want += ctx.recordJson(r) + "\n";
      const parts = [];
      // (handing back to the rows one line past where they stopped: short inputs go back and forth)
      for await (const b of ctx.jsonlChunks(file, { engine: name, coreEngine: eng(), handBackLines: 1 })) parts.push(b);
      got = Buffer.concat(parts).toString("utf8");
    } catch (e) {
      return { kind: `exception-jsonl-file-${name}`, detail: String(e?.stack ?? e).slice(0, 600), sig: `exception-jsonl-file-${name}` };
    }
    if (got !== want) return { kind: "jsonl-file-differs", detail: `${name} ${textDiff(got, want)}`, sig: `jsonl-file-${name}` };
    // the same input as a stream read once (src/api/jsonl-stream.ts, the page's export), in
    // 13-byte pieces: the bytes since the rows' last quiet point are kept for a hand-over
    try {
      const pieces = [];
      for (let at = 0; at < input.length; at += 13) pieces.push(input.subarray(at, at + 13));
      const parts = [];
      const lines = ctx.jsonlStream(pieces, { engine: name, file });
      for (let step = await lines.next(); !step.done; step = await lines.next()) parts.push(step.value);
      got = Buffer.concat(parts).toString("utf8");
    } catch (e) {
      return { kind: `exception-jsonl-stream-${name}`, detail: String(e?.stack ?? e).slice(0, 600), sig: `exception-jsonl-stream-${name}` };
    }
    if (got !== want) return { kind: "jsonl-stream-differs", detail: `${name} ${textDiff(got, want)}`, sig: `jsonl-stream-${name}` };
  }
  return null;
}

/** One or two line starts of `input` past its first line, increasing; null for fewer than two. */
function randomCuts(input, r) {
  const starts = [];
  for (let i = input.indexOf(10) + 1; i > 0 && i < input.length; i = input.indexOf(10, i) + 1) starts.push(i);
  if (starts.length < 2) return null;
  const a = starts[r.int(starts.length)];
  const b = starts[r.int(starts.length)];
  return a === b ? [a] : [Math.min(a, b), Math.max(a, b)];
}

/** `stats` of `input` (written to `file`) counted in two parts (src/api/split-stats.ts, the
 *  second part in this process) cut at two random line starts, against one reading's; null
 *  when equal. */
export async function checkSplitStats(ctx, input, file, r) {
  const cuts = randomCuts(input, r);
  if (!cuts) return null;
  const engine = r.chance(0.5) ? "wasm" : "ts";
  try {
    const one = await ctx.collectStats([file], { engine, jobs: 1 });
    const want = JSON.stringify(one.stats.result(one.totals));
    const stats = new ctx.TraceStats();
    const totals = await ctx.countSplit(file, stats, { engine, minBytes: 1, cuts, runPart: ctx.countPart });
    const got = JSON.stringify(stats.result(totals));
    if (got !== want) return { kind: "split-stats-differ", detail: `${engine} cuts ${cuts}: ${textDiff(got, want)}`, sig: "split-stats" };
  } catch (e) {
    return { kind: "exception-split-stats", detail: String(e?.stack ?? e).slice(0, 600), sig: "exception-split-stats" };
  }
  return null;
}

/** JSON Lines of `input` (written to `file`) in two parts (src/api/split-jsonl.ts, the second
 *  part in this process, its file in `dir`) cut at three random line starts, against one
 *  reading's bytes and counts; null when equal. */
export async function checkSplitJsonl(ctx, input, file, dir, r) {
  const a = randomCuts(input, r);
  const b = randomCuts(input, r);
  if (!a || !b) return null;
  const cuts = [...new Set([...a, ...b])].sort((x, y) => x - y);
  const engine = r.chance(0.5) ? "wasm" : "ts";
  const read = async (opts) => {
    const parts = [];
    const it = ctx.jsonlSplitChunks(file, { engine, ...opts });
    let step = await it.next();
    for (; !step.done; step = await it.next()) parts.push(step.value);
    return Buffer.concat(parts).toString("latin1") + JSON.stringify(step.value);
  };
  try {
    const want = await read({ jobs: 1 });
    const got = await read({ jobs: 2, split: { minBytes: 1, cuts, runPart: ctx.jsonlPart }, tempDir: dir });
    if (got !== want) return { kind: "split-jsonl-differ", detail: `${engine} cuts ${cuts}: ${textDiff(got, want)}`, sig: "split-jsonl" };
  } catch (e) {
    return { kind: "exception-split-jsonl", detail: String(e?.stack ?? e).slice(0, 600), sig: "exception-split-jsonl" };
  }
  return null;
}

/** Where two texts part, with some context. */
function textDiff(got, want) {
  let i = 0;
  while (i < got.length && got[i] === want[i]) i++;
  return `at ${i}: ${JSON.stringify(got.slice(Math.max(0, i - 120), i + 80))} vs ${JSON.stringify(want.slice(Math.max(0, i - 120), i + 80))}`;
}

/** The JSONL writers' bytes against JSON.stringify of the ArgNode records. */
function checkJsonl(ctx, input, expected, cuts, opts) {
  const want = expected.map((x) => JSON.stringify(x) + "\n").join("");
  for (const [name, eng] of [
    ["wasm", ctx.wasm],
    ["ts", ctx.ts],
  ]) {
    let got;
    try {
      const w = new ctx.JsonlWriter();
      for (const x of runParse(ctx.api, eng(), input, cuts, { ...opts, argsJson: true }).recs) w.add(x);
      got = w.take().toString("utf8");
    } catch (e) {
      return {
        kind: `exception-jsonl-${name}`,
        detail: String(e?.stack ?? e).slice(0, 600),
        sig: `exception-jsonl-${name}:${String(e?.message ?? e)
          .replace(/\d+/g, "N")
          .slice(0, 80)}`,
      };
    }
    if (got !== want) {
      let i = 0;
      while (i < got.length && got[i] === want[i]) i++;
      return {
        kind: "jsonl-differs",
        detail: `${name} at ${i}: ${JSON.stringify(got.slice(Math.max(0, i - 120), i + 80))} vs ${JSON.stringify(want.slice(Math.max(0, i - 120), i + 80))}`,
        sig: `jsonl-${name}`,
      };
    }
  }
  return null;
}

function firstDiff(a, b) {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = JSON.stringify(canon(a[i]));
    const y = JSON.stringify(canon(b[i]));
    if (x !== y) return `record ${i}: ${String(x).slice(0, 400)} vs ${String(y).slice(0, 400)}`;
  }
  return `lengths ${a.length} vs ${b.length}`;
}

/** Shrinks a failing input while the same failure kind persists: drop lines, then bytes. */
export function minimise(ctx, input, fail, budgetMs) {
  const t0 = Date.now();
  const still = (b) => {
    try {
      // chunking failures are reproduced with 1-byte chunks and the failing cuts
      const f = check(ctx, b, null) ?? (fail.kind.startsWith("chunking") || fail.kind.startsWith("exception-chunked") ? checkChunks(ctx, b) : null);
      return f && f.kind === fail.kind ? f : null;
    } catch {
      return null;
    }
  };
  let cur = input;
  let last = fail;
  // lines
  let lines = splitKeep(cur);
  for (let chunk = Math.max(1, lines.length >> 1); chunk >= 1 && Date.now() - t0 < budgetMs; chunk >>= 1) {
    for (let i = 0; i + chunk <= lines.length && Date.now() - t0 < budgetMs;) {
      const cand = joinKeep([...lines.slice(0, i), ...lines.slice(i + chunk)]);
      const f = still(cand);
      if (f) {
        lines = [...lines.slice(0, i), ...lines.slice(i + chunk)];
        cur = cand;
        last = f;
      } else i += chunk;
    }
  }
  // bytes
  for (let chunk = Math.max(1, cur.length >> 2); chunk >= 1 && Date.now() - t0 < budgetMs; chunk >>= 1) {
    for (let i = 0; i + chunk <= cur.length && Date.now() - t0 < budgetMs;) {
      const cand = new Uint8Array(cur.length - chunk);
      cand.set(cur.subarray(0, i));
      cand.set(cur.subarray(i + chunk), i);
      const f = still(cand);
      if (f) {
        cur = cand;
        last = f;
      } else i += chunk;
    }
  }
  return { input: cur, fail: last };
}

function checkChunks(ctx, b) {
  const opts = ctx.opts ?? {};
  const kw = key(runParse(ctx.api, ctx.wasm(), b, null, opts).recs);
  const cutsets = [Array.from({ length: b.length }, (_, i) => i + 1)];
  for (let i = 1; i < b.length; i++) cutsets.push([i]);
  for (const cuts of cutsets) {
    for (const [name, eng] of [
      ["wasm", ctx.wasm],
      ["ts", ctx.ts],
    ]) {
      let res;
      try {
        res = runParse(ctx.api, eng(), b, cuts, opts);
      } catch (e) {
        return { kind: `exception-chunked-${name}`, detail: String(e?.message ?? e), sig: "x", cuts };
      }
      if (key(res.recs) !== kw)
        return { kind: "chunking-changes-result", detail: `${name} cuts=${cuts.length > 20 ? "1-byte chunks" : cuts.join(",")}`, sig: "x", cuts };
    }
  }
  return null;
}

function splitKeep(b) {
  const out = [];
  let s = 0;
  for (let i = 0; i < b.length; i++) {
    if (b[i] !== 10) continue;
    out.push(b.subarray(s, i + 1));
    s = i + 1;
  }
  if (s < b.length) out.push(b.subarray(s));
  return out;
}
function joinKeep(parts) {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Sequences of `input` (written to `file`) read in two parts (src/api/split-seq.ts, the second
 *  part in this process) cut at two random line starts, against one reading's; null when equal. */
export async function checkSplitSeq(ctx, input, file, r) {
  const cuts = randomCuts(input, r);
  if (!cuts) return null;
  const engine = r.chance(0.5) ? "wasm" : "ts";
  const by = ["process", "thread", "trace"][r.int(3)];
  const splitExec = r.chance(0.3);
  const runPart = (job, onCut, _signal, onData) => ctx.seqPart(job, onCut, (e) => onData?.(e));
  const read = async (opts) => {
    const out = [];
    for await (const s of ctx.fileSequences(file, { engine, by, splitExec, ...opts })) out.push(s);
    return JSON.stringify(out);
  };
  try {
    const want = await read({ jobs: 1 });
    const got = await read({ jobs: 2, split: { minBytes: 1, cuts, runPart } });
    if (got !== want) return { kind: "split-seq-differ", detail: `${engine} by ${by} cuts ${cuts}: ${textDiff(got, want)}`, sig: "split-seq" };
  } catch (e) {
    return { kind: "exception-split-seq", detail: String(e?.stack ?? e).slice(0, 600), sig: "exception-split-seq" };
  }
  return null;
}
