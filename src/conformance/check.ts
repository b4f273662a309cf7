// The corpus conformance check behind `npm run conformance` and test/corpus.test.ts: for one file,
// both engines, merged and per-line, with the accounting, agreement and round-trip guarantees.

import { readFile } from "node:fs/promises";
import { TraceParser } from "../parser.js";
import { TsEngine } from "../engine/ts-engine.js";
import type { Engine } from "../engine/types.js";
import type { TraceRecord, SummaryRecord } from "../model/record.js";
import { renderRecords } from "../model/render.js";
import { returned } from "../model/stats.js";
import { JsonlWriter } from "../io/jsonl.js";
import { pidFromFileName } from "../api/node.js";

const utf8 = new TextDecoder();

export interface FileReport {
  file: string;
  lines: number;
  records: number;
  diagnostics: number;
  /** Line numbers no record or diagnostic accounts for. */
  unaccounted: number[];
  /** The engines disagreed (first differing record index), or -1. */
  engineMismatch: number;
  /** Chunked parsing gave different records (first differing index), or -1. */
  chunkMismatch: number;
  /** JSONL from argument JSON written at scan time (argsJson, WASM engine when given, chunked)
   *  differs from JSON.stringify of the records (first differing index, merged then per line), or -1. */
  jsonMismatch: number;
  /** Input lines the --no-merge round trip did not reproduce exactly (line numbers). */
  roundTripMismatches: number[];
  /** -C tables whose per-syscall calls/errors differ from the parsed records (syscall names). */
  summaryMismatches: string[];
  /** Diagnostics by code, with a sample line each. */
  diagnosticCodes: Record<string, { count: number; sample: string; line: number }>;
}

export function parseAll(engine: Engine, bytes: Uint8Array, file: string, merge: boolean, chunk = 0, argsJson = false): TraceRecord[] {
  const p = new TraceParser(engine, { file, merge, pid: pidFromFileName(file), argsJson });
  const out: TraceRecord[] = [];
  if (chunk <= 0) out.push(...p.push(bytes));
  else for (let i = 0; i < bytes.length; i += chunk) out.push(...p.push(bytes.subarray(i, i + chunk)));
  out.push(...p.end());
  return out;
}

/** Line numbers covered by a record: line..endLine, plus the resumed half of a merged call. */
export function coveredLines(records: TraceRecord[], lineCount: number): number[] {
  const seen = new Uint8Array(lineCount + 2);
  for (const r of records) {
    const end = r.endLine ?? r.line;
    for (let l = r.line; l <= end && l <= lineCount; l++) seen[l] = 1;
    if (r.type === "syscall" && r.resumedLine !== undefined) seen[r.resumedLine] = 1;
  }
  const missing: number[] = [];
  for (let l = 1; l <= lineCount; l++) if (!seen[l]) missing.push(l);
  return missing;
}

function firstDifference(a: TraceRecord[], b: TraceRecord[], json: (r: TraceRecord) => string = JSON.stringify): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] === undefined || b[i] === undefined || JSON.stringify(a[i]) !== json(b[i])) return i;
  return -1;
}

function inputLines(bytes: Uint8Array): string[] {
  let text = new TextDecoder("latin1").decode(bytes);
  if (text.endsWith("\n")) text = text.slice(0, -1);
  return text.split("\n");
}

export async function checkFile(file: string, wasm: Engine | null, chunk = 4096): Promise<FileReport> {
  const bytes = new Uint8Array(await readFile(file));
  const ts = new TsEngine();
  const merged = parseAll(ts, bytes, file, true);
  const perLine = parseAll(ts, bytes, file, false);
  const lines = inputLines(bytes);
  const lineCount = bytes.length === 0 ? 0 : lines.length;
  const report: FileReport = {
    file,
    lines: lineCount,
    records: merged.filter((r) => r.type !== "diagnostic").length,
    diagnostics: merged.filter((r) => r.type === "diagnostic").length,
    unaccounted: [...new Set([...coveredLines(merged, lineCount), ...coveredLines(perLine, lineCount)])],
    engineMismatch: -1,
    chunkMismatch: firstDifference(merged, parseAll(ts, bytes, file, true, chunk)),
    jsonMismatch: -1,
    roundTripMismatches: [],
    summaryMismatches: [],
    diagnosticCodes: {},
  };
  if (wasm) {
    report.engineMismatch = firstDifference(merged, parseAll(wasm, bytes, file, true));
    if (report.engineMismatch < 0) report.engineMismatch = firstDifference(perLine, parseAll(wasm, bytes, file, false));
  }
  // the bytes the JSONL writers write, record by record
  const jsonEngine = wasm ?? ts;
  const writer = new JsonlWriter();
  const written = (r: TraceRecord) => {
    writer.add(r);
    return utf8.decode(writer.take()).slice(0, -1);
  };
  report.jsonMismatch = firstDifference(merged, parseAll(jsonEngine, bytes, file, true, chunk, true), written);
  if (report.jsonMismatch < 0) report.jsonMismatch = firstDifference(perLine, parseAll(jsonEngine, bytes, file, false, 0, true), written);
  for (const r of merged) {
    if (r.type !== "diagnostic") continue;
    const d = (report.diagnosticCodes[r.code] ??= { count: 0, sample: r.text.slice(0, 160), line: r.line });
    d.count++;
  }
  // --no-merge | render must give the input back, line for line (in latin1, as bytes).
  const rendered = [...renderRecords(perLine)].join("");
  const back = rendered.endsWith("\n") ? rendered.slice(0, -1).split("\n") : rendered.split("\n");
  for (let i = 0; i < Math.max(lines.length, back.length) && lineCount > 0; i++) {
    if (toLatin1(back[i]) !== lines[i]) report.roundTripMismatches.push(i + 1);
  }
  // and the input's last newline, or its absence
  if (lineCount > 0 && rendered.endsWith("\n") !== (bytes[bytes.length - 1] === 10) && !report.roundTripMismatches.includes(lineCount))
    report.roundTripMismatches.push(lineCount);
  report.summaryMismatches = summaryCheck(merged);
  return report;
}

/** Program output in a stderr capture may be UTF-8; the input lines are compared as latin1 bytes. */
function toLatin1(s: string | undefined): string | undefined {
  if (s === undefined) return s;
  // render's text goes out as UTF-8 (program output is decoded as UTF-8; strace's own text is ASCII)
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return new TextDecoder("latin1").decode(new TextEncoder().encode(s));
  return s;
}

/** For -C traces: strace's own table against counts from the parsed records. A process that
 *  changed personality gets one table per mode (`System call usage summary for 32 bit mode:`),
 *  and a -o file may lose the announcement that tells its calls apart, so rows for the same
 *  syscall are summed over the tables (which also covers -A runs appended to one file). */
export function summaryCheck(records: TraceRecord[]): string[] {
  const tables = records.filter((r): r is SummaryRecord => r.type === "summary");
  if (tables.length === 0 || !records.some((r) => r.type === "syscall")) return [];
  const counts = new Map<string, { calls: number; errors: number }>();
  for (const r of records) {
    if (r.type !== "syscall" || !returned(r)) continue;
    const c = counts.get(r.name) ?? { calls: 0, errors: 0 };
    c.calls++;
    if (r.errno !== null) c.errors++;
    counts.set(r.name, c);
  }
  // -U may leave out either column; compare what the tables show
  const hasCalls = tables.every((t) => t.columns.includes("calls"));
  const hasErrors = tables.every((t) => t.columns.includes("errors"));
  if (!hasCalls && !hasErrors) return [];
  const rows = new Map<string, { calls: number; errors: number }>();
  for (const t of tables) {
    for (const row of t.rows) {
      const sum = rows.get(row.syscall) ?? { calls: 0, errors: 0 };
      sum.calls += row.calls;
      sum.errors += row.errors;
      rows.set(row.syscall, sum);
    }
  }
  // -Z / -z print only failed / successful calls while the table counts them all; the output does
  // not say so, but a trace whose every call failed (succeeded) while the table has successes
  // (failures) was filtered that way
  const recs = [...counts.values()];
  const table = [...rows.values()];
  let printed: "all" | "failed" | "successful" = "all";
  if (hasCalls && hasErrors) {
    if (recs.every((c) => c.errors === c.calls) && table.some((r) => r.calls > r.errors)) printed = "failed";
    else if (recs.every((c) => c.errors === 0) && table.some((r) => r.errors > 0)) printed = "successful";
  }
  const bad: string[] = [];
  // a call the records count that no table row has (the tables' total then differs too)
  for (const [name, c] of counts) if (!rows.has(name) && c.calls > 0 && printed === "all") bad.push(`${name}: no table row, records ${c.calls}/${c.errors}`);
  for (const [name, row] of rows) {
    const want =
      printed === "failed" ? { calls: row.errors, errors: row.errors } : printed === "successful" ? { calls: row.calls - row.errors, errors: 0 } : row;
    const c = counts.get(name) ?? { calls: 0, errors: 0 };
    if ((want.calls > 0 && !counts.has(name)) || (hasCalls && c.calls !== want.calls) || (hasErrors && c.errors !== want.errors)) {
      bad.push(`${name}: table ${row.calls}/${row.errors}${printed === "all" ? "" : ` (only ${printed} calls printed)`}, records ${c.calls}/${c.errors}`);
    }
  }
  return bad;
}
