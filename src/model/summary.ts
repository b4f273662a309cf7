// -c / -C tables: `% time  seconds  usecs/call  calls  errors syscall` with right-aligned numeric
// columns. Columns are matched to the header by where they end, so optional columns (-w, -U) work.

import type { SummaryRecord, SummaryRow } from "./record.js";
import type { LineText } from "./stitch.js";

interface Column {
  name: string;
  end: number;
}

function headerColumns(header: string): Column[] {
  const cols: Column[] = [];
  // Header words are separated by runs of spaces; "% time" is one word with a single space.
  const words = header.replace(/^% time/, "%_time").split(/(\s+)/);
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
  // the syscall column is last by default, first with -U name,...
  const nameFirst = cols.length > 0 && cols[0].name === "syscall";
  const name = tokens.length ? tokens[nameFirst ? 0 : tokens.length - 1].text : "";
  const byName: Record<string, string> = {};
  for (const t of nameFirst ? tokens.slice(1) : tokens.slice(0, -1)) {
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
  if (lines[0].file !== undefined) rec.file = lines[0].file;
  let cols: Column[] = [];
  for (const l of lines) {
    const t = l.text;
    const mode = /^System call usage summary for (.*?) mode:/.exec(t);
    if (mode) {
      rec.mode = mode[1];
      continue;
    }
    if (t.startsWith("% time") || t.startsWith("syscall ")) {
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
