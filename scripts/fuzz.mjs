#!/usr/bin/env node
// Fuzz campaign against dist/: mutated real corpus lines and randomly generated strace-like lines go
// through both engines, whole and in random chunks; any broken invariant is minimised and saved as
// fixtures/fuzz/<hash>.strace with a <hash>.json note. Exit 1 when anything failed.
//
//   npm run fuzz -- --seconds 300 [--seed N] [--workers 2] [--corpus DIR] [--out DIR] [--max-saved 40] [--dist DIR]
//   (--dist: a copy of dist/ to test, so a rebuild during a long campaign cannot mix versions;
//    --default-options: never vary maxHeld/maxPending/merge, which a third of the cases do otherwise)
//
// Invariants checked per input:
//   * no exception escapes parse (either engine, any chunking)
//   * every input line 1..N is covered by a record (line..endLine, resumedLine) or a diagnostic,
//     and counts.lines == N
//   * WASM and TS records are deep-equal
//   * random chunk boundaries (and 1-byte chunks for small inputs) give the same records
//   * JSON Lines with argument JSON written at scan time (what parse and convert write), chunked,
//     equal JSON.stringify of the ArgNode records
//   * no single input takes longer than --hang-ms (the watchdog kills the worker and saves it)

import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

function args() {
  const a = process.argv.slice(2);
  const o = { seconds: 60, seed: Date.now() % 2 ** 31, workers: 2, corpus: join(ROOT, "../shared/corpus"), out: join(ROOT, "fixtures/fuzz"), maxSaved: 40, hangMs: 20000, dist: join(ROOT, "dist"), options: true };
  for (let i = 0; i < a.length; i++) {
    const k = a[i];
    if (k === "--seconds") o.seconds = Number(a[++i]);
    else if (k === "--seed") o.seed = Number(a[++i]);
    else if (k === "--workers") o.workers = Number(a[++i]);
    else if (k === "--corpus") o.corpus = a[++i];
    else if (k === "--out") o.out = a[++i];
    else if (k === "--max-saved") o.maxSaved = Number(a[++i]);
    else if (k === "--hang-ms") o.hangMs = Number(a[++i]);
    else if (k === "--dist") o.dist = a[++i];
    else if (k === "--default-options") o.options = false;
    else if (k === "--help" || k === "-h") {
      console.log("usage: node scripts/fuzz.mjs [--seconds N] [--seed N] [--workers N] [--corpus DIR] [--out DIR] [--max-saved N] [--hang-ms N] [--dist DIR] [--default-options]");
      process.exit(0);
    } else {
      console.error(`fuzz: unknown option ${k}`);
      process.exit(2);
    }
  }
  return o;
}

// ---------------------------------------------------------------- PRNG and corpus

function rng(seed) {
  let s = seed >>> 0 || 1;
  const next = () => {
    // mulberry32
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  return { next, int, pick: (arr) => arr[int(arr.length)], chance: (p) => next() < p };
}

function walk(dir) {
  const out = [];
  for (const f of readdirSync(dir).sort()) {
    const p = join(dir, f);
    const st = statSync(p);
    if (st.isDirectory()) out.push(...walk(p));
    else if (st.size > 0 && !f.endsWith(".md") && !f.endsWith(".tsv")) out.push(p);
  }
  return out;
}

/** Files as arrays of line byte-arrays (each without its newline). */
function loadCorpus(dir) {
  const files = [];
  for (const p of walk(dir)) {
    const buf = readFileSync(p);
    if (buf.length > 4 * 1024 * 1024) continue;
    const lines = [];
    let s = 0;
    for (let i = 0; i < buf.length; i++) {
      if (buf[i] === 10) {
        lines.push(buf.subarray(s, i));
        s = i + 1;
      }
    }
    if (s < buf.length) lines.push(buf.subarray(s));
    if (lines.length) files.push({ path: p, lines });
  }
  return files;
}

// ---------------------------------------------------------------- input generation

const enc = new TextEncoder();
const BRACKETS = [0x28, 0x29, 0x5b, 0x5d, 0x7b, 0x7d, 0x3c, 0x3e, 0x22, 0x27, 0x5c];
const INTERESTING = ["<unfinished ...>", "<... ", " resumed>", " = ", " = -1 ENOENT (No such file or directory)", "\"", "\\", "(", ")", "[", "]", "{", "}", "...", "/*", "*/", "+++ exited with 0 +++", "--- SIGCHLD {si_signo=SIGCHLD} ---", "[pid 42] ", "42 ", "strace: Process 42 attached", " > ", " | 00000  ", "=>", "0x", "-", " ", "\t", "\r", "\0", "\xff", "% time"];
const BAD_UTF8 = [[0xff], [0xc3], [0xe2, 0x82], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x80]];

function concatLines(lines, finalNewline) {
  let n = 0;
  for (const l of lines) n += l.length + 1;
  const out = new Uint8Array(n);
  let o = 0;
  for (const l of lines) {
    out.set(l, o);
    o += l.length;
    out[o++] = 10;
  }
  return finalNewline ? out : out.subarray(0, Math.max(0, n - 1));
}

function splice(line, at, del, ins) {
  at = Math.min(at, line.length);
  del = Math.max(0, Math.min(del, line.length - at));
  const out = new Uint8Array(line.length - del + ins.length);
  out.set(line.subarray(0, at));
  out.set(ins, at);
  out.set(line.subarray(at + del), at + ins.length);
  return out;
}

/** One mutation of one line. */
function mutateLine(r, line) {
  const at = () => r.int(line.length + 1);
  switch (r.int(14)) {
    case 0: {
      // byte flip
      if (!line.length) return line;
      const c = line.slice();
      c[r.int(c.length)] ^= 1 << r.int(8);
      return c;
    }
    case 1:
      return line.subarray(0, at()); // truncation
    case 2: {
      // delete a bracket/quote
      const idx = [];
      for (let i = 0; i < line.length; i++) if (BRACKETS.includes(line[i])) idx.push(i);
      if (!idx.length) return line;
      return splice(line, r.pick(idx), 1, new Uint8Array(0));
    }
    case 3: {
      // duplicate a bracket/quote
      const idx = [];
      for (let i = 0; i < line.length; i++) if (BRACKETS.includes(line[i])) idx.push(i);
      if (!idx.length) return line;
      const i = r.pick(idx);
      return splice(line, i, 0, line.subarray(i, i + 1));
    }
    case 4: {
      const bytes = new Uint8Array(1 + r.int(8));
      for (let i = 0; i < bytes.length; i++) bytes[i] = r.int(256);
      return splice(line, at(), r.chance(0.3) ? r.int(4) : 0, bytes.filter((b) => b !== 10));
    }
    case 5:
      return splice(line, at(), 0, new Uint8Array(1 + r.int(3))); // NULs
    case 6:
      return splice(line, at(), 0, Uint8Array.from(r.pick(BAD_UTF8)));
    case 7:
      return splice(line, line.length, 0, Uint8Array.of(13)); // CRLF
    case 8: {
      // long line: repeat a segment
      const a = r.int(line.length + 1);
      const b = Math.min(line.length, a + 1 + r.int(40));
      const seg = line.subarray(a, b);
      if (!seg.length) return line;
      const times = r.chance(0.1) ? 2000 + r.int(20000) : 2 + r.int(200);
      const rep = new Uint8Array(seg.length * times);
      for (let i = 0; i < times; i++) rep.set(seg, i * seg.length);
      return splice(line, b, 0, rep);
    }
    case 9:
      return splice(line, at(), 0, enc.encode(r.pick(INTERESTING).replace(/\n/g, "")));
    case 10: {
      // delete a range
      const a = at();
      return splice(line, a, Math.min(line.length - a, 1 + r.int(20)), new Uint8Array(0));
    }
    case 11: {
      // deep nesting
      const d = 1 + r.int(r.chance(0.1) ? 5000 : 60);
      const open = r.pick(["(", "[", "{", "<", "\""]);
      const close = { "(": ")", "[": "]", "{": "}", "<": ">", "\"": "\"" }[open];
      return splice(line, at(), 0, enc.encode(open.repeat(d) + (r.chance(0.5) ? close.repeat(d) : "")));
    }
    case 12: {
      // change the pid prefix or number
      const s = Buffer.from(line).toString("latin1");
      const t = s.replace(/\d+/, () => String(r.pick([0, 1, 42, 4294967295, 2 ** 53, -1, 1e20])));
      return Buffer.from(t, "latin1");
    }
    default:
      return line.subarray(r.int(line.length + 1)); // strip a prefix
  }
}

const NAMES = ["read", "write", "openat", "close", "clone", "wait4", "futex", "execve", "mmap", "ioctl", "restart_syscall", "exit_group", "x"];
function genArg(r, depth) {
  if (depth > 4) return String(r.int(100));
  switch (r.int(10)) {
    case 0:
      return `"${r.pick(["abc", "\\x00\\377", "a\\\"b", "", "\\n"])}"${r.chance(0.2) ? "..." : ""}`;
    case 1:
      return `[${Array.from({ length: r.int(4) }, () => genArg(r, depth + 1)).join(r.pick([", ", " "]))}]`;
    case 2:
      return `{${Array.from({ length: r.int(4) }, () => `f${r.int(9)}=${genArg(r, depth + 1)}`).join(", ")}${r.chance(0.3) ? ", ..." : ""}}`;
    case 3:
      return r.pick(["O_RDONLY|O_CLOEXEC", "NULL", "AT_FDCWD", "~[KILL STOP]", "..."]);
    case 4:
      return `0x${r.int(1e9).toString(16)}`;
    case 5:
      return `${r.int(9)}<${r.pick(["/etc/passwd", "TCP:[1]", "pipe:[3]", ">"])}>`;
    case 6:
      return `makedev(${r.int(9)}, ${r.int(9)})`;
    case 7:
      return `[${r.int(9)} => ${r.int(9)}]`;
    case 8:
      return `/* ${r.int(9)} entries */`;
    default:
      return String(r.int(1000) - 10);
  }
}
function genLine(r, pids) {
  const pid = r.pick(pids);
  const pre = r.pick(["", `${pid} `, `[pid ${pid}] `, `${pid}  12:00:0${r.int(10)}.123456 `, `${r.int(100)}.${r.int(1e6)} `]);
  const name = r.pick(NAMES);
  const args = Array.from({ length: r.int(5) }, () => genArg(r, 0)).join(", ");
  switch (r.int(9)) {
    case 0:
      return `${pre}${name}(${args} <unfinished ...>`;
    case 1:
      return `${pre}<... ${name} resumed>${args ? ", " + args : ""}) = ${r.int(5)}`;
    case 2:
      return `${pre}--- SIGCHLD {si_signo=SIGCHLD, si_pid=${pid}} ---`;
    case 3:
      return `${pre}+++ exited with ${r.int(256)} +++`;
    case 4:
      return `${pre}${name}(${args}`; // split line (Open)
    case 5:
      return r.pick(["", " > /lib/libc.so.6(read+0x10) [0x1234]", " | 00000  61 62 63  abc |", "garbage", "% time     seconds  usecs/call     calls    errors syscall", "------ ----------- ----------- --------- --------- ----------------"]);
    case 6:
      return `${pre}${name}(${args}) = -1 ${r.pick(["ENOENT (No such file or directory)", "ERESTARTSYS (To be restarted if SA_RESTART is set)", "EAGAIN"])}`;
    case 7:
      return `strace: Process ${pid} ${r.pick(["attached", "detached"])}`;
    default:
      return `${pre}${name}(${args}) = ${r.pick(["0", "?", "0x7f00", "3</x>", String(r.int(1e6))])}${r.chance(0.2) ? ` <0.0000${r.int(10)}>` : ""}`;
  }
}

const TOKENS = ["read(", "write(", "<... read resumed>", " <unfinished ...>", ")", " = ", "0", "-1", " ENOENT (No such file or directory)", "[", "]", "{", "}",
  '"', '\\"', "\\", ", ", "=", "=>", "...", "/*", "*/", "<", ">", "|", "~", "123 ", "[pid 7] ", "+++ exited with 0 +++", "--- SIGCHLD {si_signo=SIGCHLD} ---",
  "strace: Process 7 attached", " > /lib/x.so(f+0x1) [0x1]", " | 00000  61 62  ab |", "\n", "\n", "\r\n", "\0", "?", "0x7f", "12:00:00.000001 ", "<0.000010>", "% time", "------ ---", "[ Process PID=7 runs in 32 bit mode. ]"];

function makeInput(r, corpus) {
  if (r.chance(0.15)) return enc.encode(Array.from({ length: r.int(60) }, () => r.pick(TOKENS)).join(""));
  const mode = r.int(10);
  let lines;
  if (mode < 7) {
    // a window of a real file
    const f = r.pick(corpus);
    const n = 1 + r.int(r.chance(0.2) ? 200 : 30);
    const s = r.int(Math.max(1, f.lines.length - n + 1));
    lines = f.lines.slice(s, s + n);
    if (r.chance(0.2)) {
      // mix lines of another file
      const g = r.pick(corpus);
      for (let k = 0; k < 1 + r.int(5); k++) lines.splice(r.int(lines.length + 1), 0, r.pick(g.lines));
    }
  } else if (mode < 9) {
    const pids = Array.from({ length: 1 + r.int(4) }, () => 100 + r.int(50));
    lines = Array.from({ length: 1 + r.int(40) }, () => enc.encode(genLine(r, pids)));
  } else {
    // pure random bytes
    const b = new Uint8Array(r.int(600));
    for (let i = 0; i < b.length; i++) b[i] = r.chance(0.7) ? 32 + r.int(95) : r.int(256);
    return b;
  }
  const muts = r.int(mode < 7 ? 6 : 3);
  for (let k = 0; k < muts && lines.length; k++) {
    const i = r.int(lines.length);
    lines[i] = mutateLine(r, lines[i]);
  }
  if (r.chance(0.1)) {
    // duplicate or drop lines
    const i = r.int(lines.length);
    if (r.chance(0.5)) lines.splice(i, 0, lines[i]);
    else lines.splice(i, 1);
  }
  if (r.chance(0.05)) lines = lines.map((l) => splice(l, l.length, 0, Uint8Array.of(13)));
  return concatLines(lines, !r.chance(0.15));
}

// ---------------------------------------------------------------- checking

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
function check(ctx, input, r, opts = ctx.opts ?? {}) {
  const { api, wasm, ts } = ctx;
  const n = countLines(input);
  const results = {};
  for (const [name, eng] of [["wasm", wasm], ["ts", ts]]) {
    try {
      results[name] = runParse(api, eng(), input, null, opts);
    } catch (e) {
      return { kind: `exception-${name}`, detail: String(e?.stack ?? e).slice(0, 600), sig: `exception-${name}:${String(e?.message ?? e).replace(/\d+/g, "N").slice(0, 80)}` };
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
    for (const [name, eng] of [["wasm", wasm], ["ts", ts]]) {
      let res;
      try {
        res = runParse(api, eng(), input, cuts, opts);
      } catch (e) {
        return { kind: `exception-chunked-${name}`, detail: String(e?.stack ?? e).slice(0, 600), sig: `exception-chunked-${name}:${String(e?.message ?? e).replace(/\d+/g, "N").slice(0, 80)}`, cuts };
      }
      if (key(res.recs) !== kw) return { kind: "chunking-changes-result", detail: `${name} cuts=${cuts.length > 20 ? "1-byte chunks" : cuts.join(",")}: ${firstDiff(results.wasm.recs, res.recs)}`, sig: `chunking-${name}`, cuts };
    }
  }
  const jsonFail = checkJsonl(ctx, input, results.wasm.recs, chunkings.find((c) => c) ?? [], opts);
  if (jsonFail) return jsonFail;
  return null;
}

/** The JSONL writers' bytes against JSON.stringify of the ArgNode records. */
function checkJsonl(ctx, input, expected, cuts, opts) {
  const want = expected.map((x) => JSON.stringify(x) + "\n").join("");
  for (const [name, eng] of [["wasm", ctx.wasm], ["ts", ctx.ts]]) {
    let got;
    try {
      const w = new ctx.JsonlWriter();
      for (const x of runParse(ctx.api, eng(), input, cuts, { ...opts, argsJson: true }).recs) w.add(x);
      got = w.take().toString("utf8");
    } catch (e) {
      return { kind: `exception-jsonl-${name}`, detail: String(e?.stack ?? e).slice(0, 600), sig: `exception-jsonl-${name}:${String(e?.message ?? e).replace(/\d+/g, "N").slice(0, 80)}` };
    }
    if (got !== want) {
      let i = 0;
      while (i < got.length && got[i] === want[i]) i++;
      return { kind: "jsonl-differs", detail: `${name} at ${i}: ${JSON.stringify(got.slice(Math.max(0, i - 120), i + 80))} vs ${JSON.stringify(want.slice(Math.max(0, i - 120), i + 80))}`, sig: `jsonl-${name}` };
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
function minimise(ctx, input, fail, budgetMs) {
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
    for (let i = 0; i + chunk <= lines.length && Date.now() - t0 < budgetMs; ) {
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
    for (let i = 0; i + chunk <= cur.length && Date.now() - t0 < budgetMs; ) {
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
    for (const [name, eng] of [["wasm", ctx.wasm], ["ts", ctx.ts]]) {
      let res;
      try {
        res = runParse(ctx.api, eng(), b, cuts, opts);
      } catch (e) {
        return { kind: `exception-chunked-${name}`, detail: String(e?.message ?? e), sig: "x", cuts };
      }
      if (key(res.recs) !== kw) return { kind: "chunking-changes-result", detail: `${name} cuts=${cuts.length > 20 ? "1-byte chunks" : cuts.join(",")}`, sig: "x", cuts };
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

// ---------------------------------------------------------------- worker

async function workerMain() {
  const { seed, corpus: corpusDir, deadline, dist, optionsToo } = workerData;
  const api = await import(join(dist, "index.js"));
  const { TsEngine } = await import(join(dist, "engine/ts-engine.js"));
  const { JsonlWriter } = await import(join(dist, "io/jsonl.js"));
  const wasmEngine = await api.createEngine("wasm");
  const tsEngine = new TsEngine();
  // Engines are stateless between scans apart from table sizes; fresh ones now and then catch state leaks.
  let uses = 0;
  let w = wasmEngine;
  const freshWasm = await Promise.all(Array.from({ length: 4 }, () => api.createEngine("wasm")));
  const ctx = { api, JsonlWriter, wasm: () => (++uses % 50 === 0 ? freshWasm[uses % 4] : w), ts: () => tsEngine };
  const corpus = loadCorpus(corpusDir);
  const r = rng(seed);
  let cases = 0;
  const seen = new Set();
  while (Date.now() < deadline) {
    const input = makeInput(r, corpus);
    // a third of the cases run with non-default parser options (small caps, no merging)
    ctx.opts = {};
    if (optionsToo && r.chance(0.33)) {
      if (r.chance(0.5)) ctx.opts.maxHeld = 1 + r.int(8);
      if (r.chance(0.5)) ctx.opts.maxPending = 1 + r.int(4);
      if (r.chance(0.3)) ctx.opts.merge = false;
    }
    parentPort.postMessage({ type: "case", input });
    cases++;
    const fail = check(ctx, input, r);
    if (fail && Object.keys(ctx.opts).length) fail.sig += ` opts:${Object.keys(ctx.opts).sort().join(",")}`;
    if (fail && !seen.has(fail.sig)) {
      seen.add(fail.sig);
      parentPort.postMessage({ type: "minimising" });
      const m = minimise(ctx, input, fail, 30000);
      parentPort.postMessage({ type: "fail", input: m.input, original: input, fail: { kind: m.fail.kind, detail: m.fail.detail, cuts: m.fail.cuts, options: { ...ctx.opts } }, sig: fail.sig });
    } else if (fail) parentPort.postMessage({ type: "dup", sig: fail.sig });
    if (cases % 200 === 0) parentPort.postMessage({ type: "progress", cases });
  }
  parentPort.postMessage({ type: "done", cases });
}

// ---------------------------------------------------------------- main

function save(outDir, input, note) {
  mkdirSync(outDir, { recursive: true });
  const hash = createHash("sha256").update(input).digest("hex").slice(0, 16);
  const p = join(outDir, `${hash}.strace`);
  if (!existsSync(p)) {
    writeFileSync(p, input);
    writeFileSync(join(outDir, `${hash}.json`), JSON.stringify({ ...note, bytes: input.length, found: new Date().toISOString() }, null, 2) + "\n");
  }
  return p;
}

async function main() {
  const o = args();
  if (!existsSync(join(o.dist, "index.js"))) {
    console.error("fuzz: dist/ is missing; run npm run build first");
    process.exit(2);
  }
  const deadline = Date.now() + o.seconds * 1000;
  console.log(`fuzz: seed ${o.seed}, ${o.workers} worker(s), ${o.seconds} s, corpus ${o.corpus}, dist ${o.dist}`);
  let total = 0;
  let failures = 0;
  let saved = 0;
  const sigs = new Map();
  const runWorker = (seed) =>
    new Promise((resolve) => {
      const w = new Worker(fileURLToPath(import.meta.url), { workerData: { seed, corpus: o.corpus, deadline, dist: o.dist, optionsToo: o.options }, resourceLimits: { maxOldGenerationSizeMb: 4096 } });
      let last = null;
      let lastAt = Date.now();
      let cases = 0;
      let minimising = false;
      const timer = setInterval(() => {
        if (!minimising && Date.now() - lastAt > o.hangMs) {
          failures++;
          const p = save(o.out, last ?? new Uint8Array(0), { kind: "hang", detail: `no answer in ${o.hangMs} ms`, seed });
          console.log(`HANG  ${p}`);
          clearInterval(timer);
          w.terminate();
          // start over with a new seed so the campaign continues
          resolve(cases);
        }
      }, 500);
      w.on("message", (m) => {
        lastAt = Date.now();
        if (m.type === "case") {
          last = m.input;
          cases++;
          minimising = false;
        } else if (m.type === "fail") {
          minimising = false;
          failures++;
          sigs.set(m.sig, (sigs.get(m.sig) ?? 0) + 1);
          if (saved < o.maxSaved) {
            saved++;
            const p = save(o.out, m.input, { ...m.fail, seed, originalBytes: m.original.length, cuts: m.fail.cuts && m.fail.cuts.length > 20 ? "1-byte chunks" : m.fail.cuts });
            console.log(`FAIL  ${m.fail.kind}  ${p}\n      ${String(m.fail.detail).split("\n")[0].slice(0, 300)}`);
          }
        } else if (m.type === "dup") {
          failures++;
          sigs.set(m.sig, (sigs.get(m.sig) ?? 0) + 1);
        } else if (m.type === "minimising") {
          minimising = true;
        }
      });
      w.on("error", (e) => {
        failures++;
        const p = save(o.out, last ?? new Uint8Array(0), { kind: "worker-crash", detail: String(e?.stack ?? e).slice(0, 800), seed });
        console.log(`CRASH ${p}: ${String(e?.message ?? e)}`);
        clearInterval(timer);
        resolve(cases);
      });
      w.on("exit", () => {
        clearInterval(timer);
        resolve(cases);
      });
    });
  const loops = Array.from({ length: o.workers }, async (_, i) => {
    let seed = o.seed + i * 7919;
    while (Date.now() < deadline - 1000) {
      total += await runWorker(seed);
      seed += 104729;
    }
  });
  await Promise.all(loops);
  console.log(`fuzz: ${total} inputs, ${failures} failing (${sigs.size} distinct), ${saved} saved to ${o.out}`);
  for (const [s, c] of sigs) console.log(`  ${c}\t${s}`);
  process.exit(failures > 0 ? 1 : 0);
}

if (isMainThread) await main();
else await workerMain();
