// The four charts, drawn with Chart.js from the worker's StatsResult and process list.
// Only the components used are registered, which keeps the bundle small.

import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from "chart.js";
import type { StatsResult } from "../src/model/stats.js";
import type { ProcNode } from "./protocol.js";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);
Chart.defaults.animation = false; // redraws after a new file should be instant
Chart.defaults.font.size = 11;

const TOP = 15;
const charts: Chart[] = [];

/** Called with a bar's label when it is clicked (the page filters the table by it). */
export type Pick = (label: string) => void;

function bar(canvas: HTMLCanvasElement, labels: string[], data: (number | [number, number])[], color: string, xTitle?: string, onPick?: Pick): void {
  const empty = canvas.parentElement!.querySelector<HTMLElement>(".empty");
  canvas.hidden = labels.length === 0;
  canvas.parentElement!.classList.toggle("is-empty", labels.length === 0);
  if (empty) empty.hidden = labels.length !== 0;
  if (labels.length === 0) return;
  // Horizontal bars: syscall names and pids read best as row labels.
  canvas.parentElement!.style.setProperty("--rows", String(labels.length));
  charts.push(
    new Chart(canvas, {
      type: "bar",
      data: { labels, datasets: [{ data: data as number[], backgroundColor: color, borderRadius: 2, maxBarThickness: 18 }] },
      options: {
        indexAxis: "y",
        maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        onClick: (_e, items) => {
          const i = items[0]?.index;
          if (onPick && i !== undefined) onPick(labels[i]!);
        },
        onHover: (e, items) => {
          const t = e.native?.target as HTMLElement | undefined;
          if (t && onPick) t.style.cursor = items.length ? "pointer" : "default";
        },
        scales: {
          x: { title: { display: !!xTitle, text: xTitle ?? "" }, beginAtZero: !Array.isArray(data[0]) },
          y: { ticks: { autoSkip: false } },
        },
      },
    }),
  );
}

export interface Picks {
  name: Pick;
  errno: Pick;
  pid: Pick;
}

export function drawCharts(stats: StatsResult, procs: ProcNode[], pick: Picks): void {
  for (const c of charts.splice(0)) c.destroy();
  const byCount = Object.entries(stats.syscalls).slice(0, TOP);
  bar(
    el("chart-count"),
    byCount.map((e) => e[0]),
    byCount.map((e) => e[1].calls),
    "#4e79a7",
    "calls",
    pick.name,
  );

  const byTime = Object.entries(stats.syscalls)
    .filter((e) => e[1].seconds > 0)
    .sort((a, b) => b[1].seconds - a[1].seconds)
    .slice(0, TOP);
  bar(
    el("chart-time"),
    byTime.map((e) => e[0]),
    byTime.map((e) => e[1].seconds),
    "#f28e2b",
    "seconds",
    pick.name,
  );

  const errnos = Object.entries(stats.errnos).slice(0, TOP);
  bar(
    el("chart-errno"),
    errnos.map((e) => e[0]),
    errnos.map((e) => e[1]),
    "#e15759",
    "failed calls",
    pick.errno,
  );

  // Timeline: each process as a floating bar from its first to its last timestamp,
  // relative to the trace start; the busiest processes when there are many.
  const t0 = stats.timeStart ?? 0;
  const timed = procs
    .filter((p) => p.first !== null && p.last !== null)
    .sort((a, b) => b.calls - a.calls)
    .slice(0, 20)
    .sort((a, b) => a.first! - b.first! || a.pid - b.pid);
  bar(
    el("chart-timeline"),
    timed.map((p) => `${p.pid}${p.name ? " " + base(p.name) : ""}`),
    timed.map((p) => [p.first! - t0, Math.max(p.last! - t0, p.first! - t0 + 1e-6)]),
    "#59a14f",
    "seconds since first timestamp",
    (label) => pick.pid(label.split(" ")[0]!),
  );
}

function base(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

function el(id: string): HTMLCanvasElement {
  return document.getElementById(id) as HTMLCanvasElement;
}
