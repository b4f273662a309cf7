// A virtualised table: only the rows in view exist in the DOM, fetched from the worker on scroll.
// Browsers cap element heights (~33M px in Chromium), so past MAX_HEIGHT the scroll position is
// mapped proportionally onto row indices instead of one pixel-row per row.

import type { Row } from "./protocol.js";

export const ROW_HEIGHT = 22;
const MAX_HEIGHT = 8_000_000;
const OVERSCAN = 10;

export type RowSource = (start: number, end: number) => Promise<{ start: number; rows: Row[] }>;

export class VirtualTable {
  private count = 0;
  private highlight = -1;
  private pending = 0;
  private readonly pool: HTMLDivElement[] = [];

  constructor(
    private readonly scroller: HTMLElement,
    private readonly spacer: HTMLElement,
    private readonly rowsEl: HTMLElement,
    private readonly source: RowSource,
  ) {
    scroller.addEventListener("scroll", () => this.render(), { passive: true });
    new ResizeObserver(() => this.render()).observe(scroller);
  }

  private get virtualHeight(): number {
    return Math.min(this.count * ROW_HEIGHT, MAX_HEIGHT);
  }

  private get scaled(): boolean {
    return this.count * ROW_HEIGHT > MAX_HEIGHT;
  }

  setCount(n: number): void {
    this.count = n;
    this.spacer.style.height = `${this.virtualHeight}px`;
    // A short table should not leave a screenful of blank rows.
    const h = Math.max(n, 3) * ROW_HEIGHT;
    this.scroller.style.height = h < window.innerHeight * 0.6 ? `${h}px` : "";
    this.scroller.scrollTop = 0;
    this.render();
  }

  /** Index of the first row shown for the current scroll position. */
  private firstRow(): number {
    const visible = Math.ceil(this.scroller.clientHeight / ROW_HEIGHT);
    if (!this.scaled) return Math.floor(this.scroller.scrollTop / ROW_HEIGHT);
    const maxTop = this.virtualHeight - this.scroller.clientHeight;
    const frac = maxTop > 0 ? this.scroller.scrollTop / maxTop : 0;
    return Math.round(frac * Math.max(0, this.count - visible));
  }

  scrollToRow(i: number, highlight = true): void {
    this.highlight = highlight ? i : -1;
    if (!this.scaled) this.scroller.scrollTop = Math.max(0, i * ROW_HEIGHT - ROW_HEIGHT * 3);
    else {
      const visible = Math.ceil(this.scroller.clientHeight / ROW_HEIGHT);
      const maxTop = this.virtualHeight - this.scroller.clientHeight;
      this.scroller.scrollTop = (i / Math.max(1, this.count - visible)) * maxTop;
    }
    this.render();
  }

  render(): void {
    const first = this.firstRow();
    const n = Math.ceil(this.scroller.clientHeight / ROW_HEIGHT) + OVERSCAN;
    const start = Math.max(0, first - (this.scaled ? 0 : OVERSCAN));
    const end = Math.min(this.count, first + n);
    // Position the block: exact pixels when unscaled; pinned to the viewport when scaled.
    const top = this.scaled ? this.scroller.scrollTop : start * ROW_HEIGHT;
    const id = ++this.pending;
    void this.source(start, end).then(({ rows }) => {
      if (id !== this.pending) return; // a newer scroll superseded this answer
      this.rowsEl.style.transform = `translateY(${top}px)`;
      this.fill(rows);
    });
  }

  private fill(rows: Row[]): void {
    while (this.pool.length < rows.length) {
      const div = document.createElement("div");
      div.className = "row";
      for (let c = 0; c < 8; c++) div.appendChild(document.createElement("span"));
      this.rowsEl.appendChild(div);
      this.pool.push(div);
    }
    for (let i = 0; i < this.pool.length; i++) {
      const div = this.pool[i]!;
      const r = rows[i];
      if (!r) {
        div.hidden = true;
        continue;
      }
      div.hidden = false;
      div.classList.toggle("err", r.errno !== "");
      div.classList.toggle("hl", r.index === this.highlight);
      const cells = div.children;
      const vals = [r.pid === null ? "" : String(r.pid), r.time, r.name, r.args, r.result, r.errno, r.duration, String(r.line)];
      for (let c = 0; c < 8; c++) {
        const cell = cells[c] as HTMLElement;
        if (cell.textContent !== vals[c]) cell.textContent = vals[c]!;
      }
      (cells[3] as HTMLElement).title = r.args;
      (cells[7] as HTMLElement).title = r.file;
    }
  }
}
