// -c / -C summary tables: their lines are gathered while they come and become one record per
// table (and per personality) once a line that is not part of it arrives.

import { isSummaryHeader, parseSummaryTable } from "../summary.js";
import { diagnostic } from "../diagnostics.js";
import type { LineText } from "./line-text.js";
import type { ReleaseQueue } from "./queue.js";

export class TableGatherer {
  private lines: LineText[] | null = null;

  constructor(private readonly q: ReleaseQueue) {}

  /** A table is being gathered. */
  get open(): boolean {
    return this.lines !== null;
  }

  /** Takes a row-shaped line; false when it is no part of a table (program output that happens to
   *  look like a row), which the caller reports. */
  row(t: LineText): boolean {
    if (!this.lines && !isTableStart(t.text)) return false;
    // each personality's table (`System call usage summary for 32 bit mode:`) is its own record
    if (this.lines && t.text.startsWith("System call usage summary")) this.flush();
    (this.lines ??= []).push(t);
    return true;
  }

  /** Takes a blank line if a table is open (it may go on after it); false otherwise. */
  blank(t: LineText): boolean {
    if (!this.lines) return false;
    this.lines.push(t);
    return true;
  }

  /** Ends the open table: its record, then a diagnostic for each blank line after it (they belong
   *  to whatever follows). Frames and dumps after a table attach to nothing. */
  flush(): void {
    const lines = this.lines!;
    this.lines = null;
    let n = lines.length;
    while (n > 0 && lines[n - 1].text.trim() === "") n--;
    if (n > 0) this.q.emit(parseSummaryTable(lines.slice(0, n)));
    for (const t of lines.slice(n)) this.q.emit(diagnostic("blank-line", t, 1));
    this.q.clearOwner();
  }
}

/** A line that can open a table: its header, a rule, or a personality's title. */
function isTableStart(text: string): boolean {
  return isSummaryHeader(text) || text.startsWith("------") || text.startsWith("System call usage summary");
}
