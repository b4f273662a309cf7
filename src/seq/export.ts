// Writing sequences and sequence sets as text (ADFA-LD style), JSON Lines or CSV.
// Every function returns the lines (without newlines) so callers choose where they go.

import type { Sequence } from "./sequences.js";

/** How sequences and windows are written: ADFA-LD style text, JSON Lines, or CSV. */
export type SequenceFormat = "text" | "jsonl" | "csv";

/** ADFA-LD style: the symbols separated by single spaces (one sequence per line, or per file). */
export function sequenceText(seq: { symbols: readonly string[] }): string {
  return seq.symbols.join(" ");
}

/** The header line of sequences written as CSV. */
export const SEQUENCE_CSV_HEADER = "file,key,pid,line,length,symbols";

/** One sequence as a line of the given format (no newline). */
export function sequenceLine(seq: Sequence, format: SequenceFormat): string {
  switch (format) {
    case "text":
      return sequenceText(seq);
    case "jsonl":
      return JSON.stringify({
        file: seq.file,
        key: seq.key,
        pid: seq.pid,
        line: seq.line,
        length: seq.symbols.length,
        symbols: seq.symbols,
      });
    case "csv":
      return [seq.file ?? "", seq.key, seq.pid ?? "", seq.line, seq.symbols.length, seq.symbols.join(" ")].map((v) => csvField(String(v))).join(",");
  }
}

/** The header line of windows written as CSV. */
export const WINDOW_CSV_HEADER = "window,count";

/** One distinct window of a sequence set. Text: `count<TAB>symbols`. */
export function windowLine(window: readonly string[], count: number, format: SequenceFormat): string {
  switch (format) {
    case "text":
      return `${count}\t${window.join(" ")}`;
    case "jsonl":
      return JSON.stringify({ window, count });
    case "csv":
      return `${csvField(window.join(" "))},${count}`;
  }
}

/** RFC 4180 quoting, only when needed. */
export function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
