// -c / -C tables: `% time  seconds  usecs/call  calls  errors syscall` by default, any columns in
// any order with -U; right-aligned numeric columns are matched to the header by where they end.

import type { SummaryRecord, SummaryRow } from "./record.js";
import type { LineText } from "./stitch.js";

interface Column {
  name: string;
  end: number;
}

/** The column names strace prints in a -c/-C table header (-U picks which, and their order). */
const COLUMN_NAMES = new Set(["% time", "seconds", "usecs/call", "calls", "errors", "syscall", "shortest", "longest"]);

/** A table header: two or more words, each a column name (`% time` counts as one). */
export function isSummaryHeader(text: string): boolean {
  const words = headerColumns(text);
  return words.length >= 2 && words.every((c) => COLUMN_NAMES.has(c.name));
}

function headerColumns(header: string): Column[] {
  const cols: Column[] = [];
  // Header words are separated by runs of spaces; "% time" is one word with a single space.
  const words = header.replace(/% time/g, "%_time").split(/( +)/);
  let pos = 0;
  for (const w of words) {
    if (w.trim()) cols.push({ name: w.replace("%_time", "% time"), end: pos + w.length });
    pos += w.length;
  }
  return cols;
}

function num(s: string | undefined): number | null {
  if (s === undefined || s === "") return null;
  const v = Number(s);
  return Number.isFinite(v) ? v : null;
}

function parseRow(line: string, cols: Column[]): SummaryRow {
  const tokens: { text: string; end: number }[] = [];
  const re = /\S+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line))) tokens.push({ text: m[0], end: m.index + m[0].length });
  // the syscall column may stand anywhere (-U): it is the one token that is not a number
  const at = tokens.findIndex((t) => !/^[\d.]+$/.test(t.text));
  const name = at >= 0 ? tokens[at].text : "";
  const byName: Record<string, string> = {};
  for (const t of tokens.filter((_, i) => i !== at)) {
    let best: Column | undefined;
    for (const c of cols) if (c.name !== "syscall" && (!best || Math.abs(c.end - t.end) < Math.abs(best.end - t.end))) best = c;
    if (best) byName[best.name] = t.text;
  }
  const row: SummaryRow = {
    syscall: name,
    percent: num(byName["% time"]),
    seconds: num(byName["seconds"] ?? byName["total"]),
    usecsPerCall: num(byName["usecs/call"]),
    calls: num(byName["calls"]) ?? 0,
    errors: num(byName["errors"]) ?? 0,
  };
  const known = new Set(["% time", "seconds", "usecs/call", "calls", "errors"]);
  for (const [k, v] of Object.entries(byName)) if (!known.has(k)) (row.extra ??= {})[k] = v;
  return row;
}

export function parseSummaryTable(lines: LineText[]): SummaryRecord {
  const rec: SummaryRecord = {
    type: "summary",
    pid: null,
    line: lines[0].line,
    columns: [],
    rows: [],
    text: lines.map((l) => l.text),
  };
  if (lines.length > 1) rec.endLine = lines[lines.length - 1].line;
  if (lines[0].crlf) rec.fmt = { crlf: true };
  if (lines[0].file !== undefined) rec.file = lines[0].file;
  let cols: Column[] = [];
  for (const l of lines) {
    const t = l.text;
    const mode = /^System call usage summary for (.*?) mode:/.exec(t);
    if (mode) {
      rec.mode = mode[1];
      continue;
    }
    if (isSummaryHeader(t)) {
      cols = headerColumns(t);
      rec.columns = cols.map((c) => c.name);
      continue;
    }
    if (t.startsWith("------") || t.trim() === "") continue;
    const row = parseRow(t, cols);
    if (row.syscall === "total") rec.total = row;
    else rec.rows.push(row);
  }
  return rec;
}
