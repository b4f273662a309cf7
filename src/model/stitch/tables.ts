// -c / -C summary tables: their lines are gathered while they come and become one record per
// table (and per personality) once a line that is not part of it arrives.

import { NodeKind } from "../../core/abi.js";
import { isTableStart, parseSummaryTable, type SummaryLine } from "../summary.js";
import { diagnostic } from "../diagnostics.js";
import type { LineText } from "./line-text.js";
import type { ReleaseQueue } from "./queue.js";

export class TableGatherer {
  /** The table's lines so far; blank lines (it may go on after one) have no SummaryLine. */
  private lines: { t: LineText; s?: SummaryLine }[] | null = null;

  constructor(private readonly q: ReleaseQueue) {}

  /** A table is being gathered. */
  get open(): boolean {
    return this.lines !== null;
  }

  /** Takes a row-shaped line; false when it is no part of a table (program output that happens to
   *  look like a row), which the caller reports. */
  row(t: LineText, s: SummaryLine): boolean {
    if (!this.lines && !isTableStart(s)) return false;
    // each personality's table (`System call usage summary for 32 bit mode:`) is its own record
    if (this.lines && s.kind === NodeKind.SummaryTitle) this.flush();
    (this.lines ??= []).push({ t, s });
    return true;
  }

  /** Takes a blank line if a table is open (it may go on after it); false otherwise. */
  blank(t: LineText): boolean {
    if (!this.lines) return false;
    this.lines.push({ t });
    return true;
  }

  /** Ends the open table: its record, then a diagnostic for each blank line after it (they belong
   *  to whatever follows). Frames and dumps after a table attach to nothing. */
  flush(): void {
    const lines = this.lines!;
    this.lines = null;
    let n = lines.length;
    while (n > 0 && lines[n - 1].s === undefined) n--;
    if (n > 0) this.q.emit(parseSummaryTable(lines.slice(0, n)));
    for (const l of lines.slice(n)) this.q.emit(diagnostic("blank-line", l.t, 1));
    this.q.clearOwner();
  }
}
