// The page: picks files, hands them to the worker, and shows what it answers. No parsing here,
// so the page stays responsive however big the trace is.

import type { StatsResult } from "../src/model/stats.js";
import { showFiles, showLatency } from "./analyses.js";
import { drawCharts } from "./charts.js";
import type { DiagItem, ExportKind, Filter, FromWorker, ProcNode, Row, ToWorker } from "./protocol.js";
import { VirtualTable } from "./table.js";

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

let worker: Worker | null = null;
let nextId = 1;
const waiting = new Map<number, (m: FromWorker) => void>();

/** One request to the worker, answered by the message carrying the same id. */
function ask<T extends FromWorker>(m: ToWorker & { id: number }): Promise<T> {
  return new Promise((resolve) => {
    waiting.set(m.id, resolve as (m: FromWorker) => void);
    worker!.postMessage(m);
  });
}

const table = new VirtualTable($("table"), $("spacer"), $("rows"), (start, end) =>
  worker ? ask<Extract<FromWorker, { type: "rows" }>>({ type: "rows", id: nextId++, start, end }) : Promise.resolve({ start, rows: [] as Row[] }),
);

function load(files: File[]): void {
  if (files.length === 0) return;
  // A new load replaces the old worker, which also cancels a parse still running.
  worker?.terminate();
  waiting.clear();
  worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
  worker.onmessage = (e: MessageEvent<FromWorker>) => onMessage(e.data);
  worker.onerror = (e) => showError(e.message || "worker failed to start");
  $("error").hidden = true;
  $("results").hidden = true;
  $("progress-box").hidden = false;
  document.body.dataset.state = "parsing";
  worker.postMessage({ type: "parse", files } satisfies ToWorker);
}

function onMessage(m: FromWorker): void {
  if ("id" in m) {
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    w?.(m);
    return;
  }
  switch (m.type) {
    case "progress": {
      const p = $<HTMLProgressElement>("progress");
      p.max = Math.max(1, m.total);
      p.value = m.bytes;
      $("progress-text").textContent = `${mb(m.bytes)} of ${mb(m.total)} MB${m.file ? " — " + m.file : ""}`;
      break;
    }
    case "done":
      $("progress-box").hidden = true;
      $("results").hidden = false;
      $("parse-time").textContent = `${m.files.length === 1 ? m.files[0] : m.files.length + " files"}, parsed in ${(m.ms / 1000).toFixed(2)} s`;
      showSummary(m.stats);
      drawCharts(m.stats, m.procs, {
        name: (v) => filterBy("f-name", v),
        errno: (v) => filterBy("f-errno", v),
        pid: (v) => filterBy("f-pid", v),
      });
      showTree(m.procs);
      showLatency($("latency"), m.stats);
      showFiles($("files"), m.paths, m.pathsTotal);
      showDiags(m.diags, m.diagsDropped, m.stats.diagnostics);
      fillSelect($<HTMLSelectElement>("f-name"), Object.keys(m.stats.syscalls).sort(), "any syscall");
      fillSelect($<HTMLSelectElement>("f-errno"), Object.keys(m.stats.errnos).sort(), "any result", [["*", "any error"]]);
      setRowCount(m.rows);
      table.setCount(m.rows);
      document.body.dataset.state = "done";
      break;
    case "error":
      showError(m.message);
      break;
  }
}

function showError(msg: string): void {
  $("progress-box").hidden = true;
  const e = $("error");
  e.hidden = false;
  e.textContent = `Could not parse: ${msg}`;
  document.body.dataset.state = "error";
}

const mb = (n: number) => (n / 1048576).toFixed(1);

/** Exactly the scalar fields of TraceStats.result(), as `strace-seq stats --json` prints them. */
function showSummary(s: StatsResult): void {
  const span = s.timeStart !== null && s.timeEnd !== null ? `${(s.timeEnd - s.timeStart).toFixed(6)} s` : "—";
  const items: [keyof StatsResult, string, number | null][] = [
    ["lines", "lines", s.lines],
    ["records", "records", s.records],
    ["diagnostics", "diagnostics", s.diagnostics],
    ["processes", "processes", s.processes],
    ["syscallCount", "syscalls", s.syscallCount],
    ["errorCount", "errors", s.errorCount],
    ["signals", "signals", s.signals],
    ["timeStart", "first time", s.timeStart],
    ["timeEnd", "last time", s.timeEnd],
  ];
  const dl = $("summary");
  dl.replaceChildren();
  for (const [key, label, v] of items) {
    const div = document.createElement("div");
    div.dataset.stat = key;
    div.dataset.value = v === null ? "" : String(v);
    div.innerHTML = "<dt></dt><dd></dd>";
    div.firstElementChild!.textContent = label;
    div.lastElementChild!.textContent = v === null ? "—" : key.startsWith("time") ? String(v) : v.toLocaleString("en-US");
    dl.appendChild(div);
  }
  const div = document.createElement("div");
  div.innerHTML = "<dt>time span</dt><dd></dd>";
  div.lastElementChild!.textContent = span;
  dl.appendChild(div);
}

const MAX_TREE_NODES = 1000;

function showTree(procs: ProcNode[]): void {
  const kids = new Map<number | null, ProcNode[]>();
  const known = new Set(procs.map((p) => p.pid));
  for (const p of procs) {
    const parent = p.parent !== null && known.has(p.parent) && p.parent !== p.pid ? p.parent : null;
    if (!kids.has(parent)) kids.set(parent, []);
    kids.get(parent)!.push(p);
  }
  const seen = new Set<number>();
  const build = (list: ProcNode[]): HTMLUListElement => {
    const ul = document.createElement("ul");
    for (const p of list) {
      if (seen.has(p.pid)) continue; // a reused pid must not loop the tree
      // Tens of thousands of DOM nodes would stall the page; the table's pid filter reaches the rest.
      if (seen.size >= MAX_TREE_NODES) break;
      seen.add(p.pid);
      const li = document.createElement("li");
      const label = document.createElement("button");
      label.type = "button";
      label.className = "proc" + (p.thread ? " thread" : "");
      label.title = "show this process's calls";
      label.textContent = `${p.pid}${p.thread ? " (thread)" : ""} ${p.name ?? ""}`;
      const info = document.createElement("span");
      info.className = "muted";
      info.textContent = ` ${p.calls} call${p.calls === 1 ? "" : "s"}${p.exit ? ", " + p.exit : ""}`;
      if (p.exit?.startsWith("killed")) info.classList.add("killed");
      label.onclick = () => filterBy("f-pid", String(p.pid));
      li.append(label, info);
      const children = kids.get(p.pid);
      if (children) li.appendChild(build(children));
      ul.appendChild(li);
    }
    return ul;
  };
  const tree = $("tree");
  if (procs.length === 0) {
    tree.replaceChildren(Object.assign(document.createElement("p"), { className: "muted", textContent: "No pids in this trace (run strace with -f)." }));
    return;
  }
  tree.replaceChildren(build(kids.get(null) ?? []));
  const hidden = procs.length - seen.size;
  if (hidden > 0)
    tree.appendChild(
      Object.assign(document.createElement("p"), {
        className: "muted",
        textContent: `… and ${hidden.toLocaleString("en-US")} more processes (filter the table by pid).`,
      }),
    );
}

function showDiags(diags: DiagItem[], dropped: number, total: number): void {
  $("diag-count").textContent = total ? `(${total}${dropped ? `, first ${diags.length} listed` : ""})` : "(none)";
  const ol = $("diags");
  ol.replaceChildren();
  $("diag-line").hidden = true;
  if (total === 0) ol.appendChild(Object.assign(document.createElement("p"), { className: "muted", textContent: "Every line parsed." }));
  for (const d of diags) {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = "#";
    a.textContent = `${d.file}:${d.line}:${d.column}`;
    a.onclick = (e) => {
      e.preventDefault();
      void jumpTo(d);
    };
    const msg = document.createElement("span");
    msg.textContent = ` ${d.code} — ${d.message}`;
    li.append(a, msg);
    ol.appendChild(li);
  }
}

/** Shows the diagnostic's line text and scrolls the unfiltered table to the nearest call. */
async function jumpTo(d: DiagItem): Promise<void> {
  const pre = $("diag-line");
  pre.hidden = false;
  pre.textContent = `${d.file}:${d.line}: ${d.text}\n${" ".repeat(`${d.file}:${d.line}: `.length + Math.max(0, d.column - 1))}^`;
  (["f-text", "f-pid"] as const).forEach((id) => ($<HTMLInputElement>(id).value = ""));
  (["f-name", "f-errno"] as const).forEach((id) => ($<HTMLSelectElement>(id).value = ""));
  await applyFilter();
  const m = await ask<Extract<FromWorker, { type: "located" }>>({ type: "locate", id: nextId++, file: d.file, line: d.line });
  if (m.index >= 0) table.scrollToRow(m.index);
}

function fillSelect(sel: HTMLSelectElement, values: string[], anyLabel: string, extra: [string, string][] = []): void {
  sel.replaceChildren(new Option(anyLabel, ""), ...extra.map(([v, l]) => new Option(l, v)), ...values.map((v) => new Option(v, v)));
}

/** Sets one filter control (from a chart bar or the tree) and shows the table. */
function filterBy(id: "f-name" | "f-errno" | "f-pid", value: string): void {
  $<HTMLInputElement | HTMLSelectElement>(id).value = value;
  void applyFilter();
  $("calls-card").scrollIntoView({ behavior: "smooth" });
}

function setRowCount(n: number): void {
  const el = $("row-count");
  el.dataset.value = String(n);
  el.textContent = `(${n.toLocaleString("en-US")} rows)`;
}

async function applyFilter(): Promise<void> {
  if (!worker) return;
  const filter: Filter = {
    text: $<HTMLInputElement>("f-text").value,
    name: $<HTMLSelectElement>("f-name").value,
    pid: $<HTMLInputElement>("f-pid").value,
    errno: $<HTMLSelectElement>("f-errno").value,
  };
  const m = await ask<Extract<FromWorker, { type: "filtered" }>>({ type: "filter", id: nextId++, filter });
  setRowCount(m.count);
  table.setCount(m.count);
}

async function download(what: ExportKind, button: HTMLButtonElement): Promise<void> {
  if (!worker) return;
  button.disabled = true;
  try {
    const m = await ask<Extract<FromWorker, { type: "exported" }>>({ type: "export", id: nextId++, what });
    const url = URL.createObjectURL(m.blob);
    const a = Object.assign(document.createElement("a"), { href: url, download: m.name });
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  } finally {
    button.disabled = false;
  }
}

// Wiring.
let filterTimer: ReturnType<typeof setTimeout> | undefined;
$("filters").addEventListener("input", () => {
  clearTimeout(filterTimer);
  filterTimer = setTimeout(() => void applyFilter(), 150); // debounce typing
});
$("filters").addEventListener("submit", (e) => e.preventDefault());
$<HTMLInputElement>("file").addEventListener("change", (e) => load([...((e.target as HTMLInputElement).files ?? [])]));
$("export-jsonl").addEventListener("click", (e) => void download("jsonl", e.currentTarget as HTMLButtonElement));
$("export-seq").addEventListener("click", (e) => void download("sequences", e.currentTarget as HTMLButtonElement));
$("export-parquet").addEventListener("click", (e) => void download("parquet", e.currentTarget as HTMLButtonElement));
$("export-perfetto").addEventListener("click", (e) => void download("perfetto", e.currentTarget as HTMLButtonElement));
document.addEventListener("dragover", (e) => {
  e.preventDefault();
  $("drop").classList.add("over");
});
document.addEventListener("dragleave", () => $("drop").classList.remove("over"));
document.addEventListener("drop", (e) => {
  e.preventDefault();
  $("drop").classList.remove("over");
  load([...(e.dataTransfer?.files ?? [])]);
});
document.body.dataset.state = "idle";
