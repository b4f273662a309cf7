// The page's files table (per-path I/O from FileAccess) and latency table (per-syscall -T
// latency from stats). Cells carry their exact values in data-value for tests and copying.

import type { StatsResult } from "../src/model/stats.js";
import type { FileUsage } from "../src/analyze/files.js";

type Cell = [text: string, value: string | number];

function table(head: string[], rows: Cell[][], numeric: boolean[]): HTMLTableElement {
  const t = document.createElement("table");
  t.className = "data";
  const tr = t.createTHead().insertRow();
  head.forEach((h, i) => {
    const th = document.createElement("th");
    th.textContent = h;
    if (numeric[i]) th.className = "num";
    tr.appendChild(th);
  });
  const body = t.createTBody();
  for (const r of rows) {
    const row = body.insertRow();
    r.forEach(([text, value], i) => {
      const td = row.insertCell();
      td.textContent = text;
      td.dataset.value = String(value);
      if (numeric[i]) td.className = "num";
    });
  }
  return t;
}

const us = (s: number) => (s * 1e6).toLocaleString("en-US", { maximumFractionDigits: 1 });
const int = (n: number) => n.toLocaleString("en-US");

/** Per-syscall latency from -T, the calls with the most total time first. */
export function showLatency(el: HTMLElement, s: StatsResult): void {
  const timed = Object.entries(s.syscalls).filter(([, v]) => v.latency !== undefined);
  if (timed.length === 0) {
    el.replaceChildren(Object.assign(document.createElement("p"), { className: "muted", textContent: "No durations in this trace (strace -T)." }));
    return;
  }
  timed.sort((a, b) => b[1].latency!.total - a[1].latency!.total || (a[0] < b[0] ? -1 : 1));
  const rows = timed.map(([name, v]): Cell[] => {
    const l = v.latency!;
    return [
      [name, name],
      [int(v.calls), v.calls],
      [l.total.toFixed(6), l.total],
      [us(l.mean), l.mean],
      [us(l.min), l.min],
      [us(l.p50), l.p50],
      [us(l.p99), l.p99],
      [us(l.max), l.max],
    ];
  });
  const t = table(["syscall", "calls", "seconds", "mean µs", "min µs", "p50 µs", "p99 µs", "max µs"], rows, [false, true, true, true, true, true, true, true]);
  t.id = "latency-table";
  el.replaceChildren(t);
}

const FILE_HEAD: [string, keyof FileUsage][] = [
  ["path", "path"],
  ["opens", "opens"],
  ["failed", "failed"],
  ["read", "bytesRead"],
  ["written", "bytesWritten"],
  ["calls", "calls"],
  ["seconds", "seconds"],
];

/** Per-path I/O; clicking a column header sorts by it (numbers largest first). */
export function showFiles(el: HTMLElement, files: FileUsage[], total: number, sortBy: keyof FileUsage = "calls"): void {
  if (files.length === 0) {
    el.replaceChildren(
      Object.assign(document.createElement("p"), { className: "muted", textContent: "No file paths in this trace (no opens, and no -y decorations)." }),
    );
    return;
  }
  const sorted = [...files].sort((a, b) => {
    if (sortBy === "path") return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
    return (b[sortBy] as number) - (a[sortBy] as number) || (a.path < b.path ? -1 : 1);
  });
  const rows = sorted.map((f): Cell[] => {
    const errs = Object.entries(f.errnos)
      .map(([e, n]) => `${e}×${n}`)
      .join(" ");
    return [
      [f.path, f.path],
      [int(f.opens), f.opens],
      [f.failed ? `${int(f.failed)} (${errs})` : "", f.failed],
      [int(f.bytesRead), f.bytesRead],
      [int(f.bytesWritten), f.bytesWritten],
      [int(f.calls), f.calls],
      [f.seconds.toFixed(6), f.seconds],
    ];
  });
  const t = table(
    FILE_HEAD.map(([h]) => h),
    rows,
    FILE_HEAD.map(([, k]) => k !== "path"),
  );
  t.id = "files-table";
  t.dataset.sort = sortBy;
  t.tHead!.querySelectorAll("th").forEach((th, i) => {
    th.classList.add("sortable");
    th.title = "sort by this column";
    th.addEventListener("click", () => showFiles(el, files, total, FILE_HEAD[i]![1]));
  });
  el.replaceChildren(t);
  if (total > files.length)
    el.appendChild(
      Object.assign(document.createElement("p"), { className: "muted", textContent: `The ${int(files.length)} paths with the most calls of ${int(total)}.` }),
    );
}
