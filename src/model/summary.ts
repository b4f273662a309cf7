// -c / -C tables: `% time  seconds  usecs/call  calls  errors syscall` by default, any columns in
// any order with -U. The scanner reads each table line into nodes (src/core/scan/summary.ts:
// title, rule, header columns, row cells and name); readSummaryLine keeps what a line's nodes say
// while the batch is alive, and parseSummaryTable builds the record once the table has ended,
// matching each right-aligned number to the header column that ends nearest to it.

import { NodeKind } from "../core/abi.js";
import type { NodeReader } from "./nodes.js";
import type { SummaryRecord, SummaryRow } from "./record.js";
import type { LineText } from "./stitch.js";
import { outputText } from "./text.js";

/** A header column name, or a row's number, and the column (from the line's start) where it ends. */
interface Word {
  text: string;
  end: number;
}

/** What one table line says, read from its nodes. */
export interface SummaryLine {
  /** The line's node: NodeKind.SummaryTitle, SummaryRule, SummaryHeader, SummaryRow or SummaryTotal. */
  kind: number;
  /** A title's personality (`32 bit`), when it names one. */
  mode?: string;
  /** A header's column names. */
  columns?: Word[];
  /** A row's syscall name (`total` on the total row). */
  name?: string;
  /** A row's numbers, in line order. */
  cells?: Word[];
}

/** The table line whose node is i (the line's only top-level node); lineStart is the line's first byte. */
export function readSummaryLine(r: NodeReader, i: number, lineStart: number): SummaryLine {
  const kind = r.kind(i);
  const out: SummaryLine = { kind };
  const end = r.next(i);
  if (kind === NodeKind.SummaryTitle) {
    if (end > i + 1) out.mode = outputText(r.bytes, r.start(i + 1), r.end(i + 1));
  } else if (kind === NodeKind.SummaryHeader) {
    out.columns = [];
    for (let c = i + 1; c < end; c = r.next(c)) out.columns.push({ text: r.text(c), end: r.end(c) - lineStart });
  } else if (kind === NodeKind.SummaryRow || kind === NodeKind.SummaryTotal) {
    out.cells = [];
    for (let c = i + 1; c < end; c = r.next(c)) {
      if (r.kind(c) === NodeKind.SummaryName) out.name = r.text(c);
      else out.cells.push({ text: r.text(c), end: r.end(c) - lineStart });
    }
  }
  return out;
}

/** A line that can open a table: its header, a rule, or a personality's title (not a row). */
export function isTableStart(s: SummaryLine): boolean {
  return s.kind === NodeKind.SummaryHeader || s.kind === NodeKind.SummaryRule || s.kind === NodeKind.SummaryTitle;
}

/** The columns with a typed field in SummaryRow; any other is kept in `extra` under its header. */
const TYPED_COLUMNS = new Set(["% time", "seconds", "usecs/call", "calls", "errors"]);

function num(s: string | undefined): number | null {
  if (s === undefined || s === "") return null;
  const v = Number(s);
  return Number.isFinite(v) ? v : null;
}

/** A row's numbers by column name: each goes to the column whose name ends nearest to it (the
 *  first such column on a tie); the syscall column holds the name, not a number. */
function parseRow(s: SummaryLine, cols: Word[]): SummaryRow {
  const byName: Record<string, string> = {};
  for (const cell of s.cells!) {
    let best: Word | undefined;
    for (const c of cols) if (c.text !== "syscall" && (!best || Math.abs(c.end - cell.end) < Math.abs(best.end - cell.end))) best = c;
    if (best) byName[best.text] = cell.text;
  }
  const row: SummaryRow = {
    syscall: s.name ?? "",
    percent: num(byName["% time"]),
    seconds: num(byName["seconds"]),
    usecsPerCall: num(byName["usecs/call"]),
    calls: num(byName["calls"]) ?? 0,
    errors: num(byName["errors"]) ?? 0,
  };
  for (const [k, v] of Object.entries(byName)) if (!TYPED_COLUMNS.has(k)) (row.extra ??= {})[k] = v;
  return row;
}

/** One table's record from its lines (blank lines inside it have no SummaryLine). */
export function parseSummaryTable(lines: { t: LineText; s?: SummaryLine }[]): SummaryRecord {
  const first = lines[0].t;
  const rec: SummaryRecord = {
    type: "summary",
    pid: null,
    line: first.line,
    columns: [],
    rows: [],
    text: lines.map((l) => l.t.text),
  };
  if (lines.length > 1) rec.endLine = lines[lines.length - 1].t.line;
  if (first.crlf) rec.fmt = { crlf: true };
  if (first.file !== undefined) rec.file = first.file;
  let cols: Word[] = [];
  for (const { s } of lines) {
    if (s === undefined) continue;
    if (s.kind === NodeKind.SummaryTitle) {
      if (s.mode !== undefined) rec.mode = s.mode;
    } else if (s.kind === NodeKind.SummaryHeader) {
      cols = s.columns!;
      rec.columns = cols.map((c) => c.text);
    } else if (s.kind === NodeKind.SummaryRow) {
      rec.rows.push(parseRow(s, cols));
    } else if (s.kind === NodeKind.SummaryTotal) {
      rec.total = parseRow(s, cols);
    }
  }
  return rec;
}
