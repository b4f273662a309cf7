// The parsing worker: streams each File through parseStream (never a whole-file string),
// keeps the calls in a compact CallTable and answers the page's requests for visible rows,
// filters, jumps and exports. The page thread never parses, so it never freezes.

import { jsonlStream, parseStream, SequenceBuilder, sequenceLine, type TraceRecord } from "../src/browser.js";
import { TraceStats } from "../src/model/stats.js";
import { FileAccess } from "../src/analyze/files.js";
import { PerfettoExporter } from "../src/analyze/perfetto.js";
import { ParquetRecordWriter } from "../src/io/parquet.js";
import { CallTable } from "./rows.js";
import { ProcTree } from "./procs.js";
import type { DiagItem, ExportKind, FromWorker, ToWorker } from "./protocol.js";

/** Paths sent to the page's files table (the busiest by calls); the rest are counted. */
const MAX_PATHS = 1000;

const ctx = self as unknown as { postMessage(m: FromWorker): void; onmessage: ((e: MessageEvent<ToWorker>) => void) | null };
const post = (m: FromWorker) => ctx.postMessage(m);

/** Diagnostics beyond this many are counted but not listed (a garbage file can have millions). */
const MAX_DIAGS = 5000;

let files: File[] = [];
let table = new CallTable();
let view: Int32Array | null = null; // filtered row indices; null = all rows

/** `-ff -o NAME` writes NAME.PID: the pid is the numeric suffix (after dropping `.gz`). */
export function pidFromName(name: string): number | undefined {
  const m = /\.(\d+)$/.exec(name.replace(/\.gz$/, ""));
  return m ? Number(m[1]) : undefined;
}

/** The file's bytes, decompressed when gzip; `onBytes` sees the raw (compressed) bytes read. */
function open(file: File, onBytes: (n: number) => void): ReadableStream<Uint8Array> {
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, c) {
      onBytes(chunk.byteLength);
      c.enqueue(chunk);
    },
  });
  const raw = file.stream().pipeThrough(counter);
  return file.name.endsWith(".gz") ? raw.pipeThrough(new DecompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>) : raw;
}

/** Records of every file in turn, with the per-file options the CLI uses (file name, -ff pid). */
async function* allRecords(
  onBytes: (file: File, n: number) => void,
  onEnd?: (c: { lines: number; records: number; diagnostics: number }) => void,
): AsyncGenerator<[TraceRecord, File]> {
  for (const f of files) {
    const recs = parseStream(
      open(f, (n) => onBytes(f, n)),
      { file: f.name, pid: pidFromName(f.name), onEnd },
    );
    for await (const r of recs) yield [r, f];
  }
}

async function parseAll(list: File[]): Promise<void> {
  const t0 = performance.now();
  files = [...list].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  table = new CallTable();
  view = null;
  const total = files.reduce((s, f) => s + f.size, 0);
  const stats = new TraceStats();
  const procs = new ProcTree();
  const paths = new FileAccess();
  const totals = { lines: 0, records: 0, diagnostics: 0, bytes: 0 };
  const diags: DiagItem[] = [];
  let dropped = 0;
  let bytes = 0;
  let lastPost = 0;
  const onBytes = (f: File, n: number) => {
    bytes += n;
    const now = performance.now();
    if (now - lastPost > 50) {
      lastPost = now;
      post({ type: "progress", bytes, total, file: f.name });
    }
  };
  const onEnd = (c: { lines: number; records: number; diagnostics: number }) => {
    totals.lines += c.lines;
    totals.records += c.records;
    totals.diagnostics += c.diagnostics;
  };
  for await (const [r, f] of allRecords(onBytes, onEnd)) {
    stats.add(r);
    paths.add(r);
    if (r.type === "syscall") procs.add(r, table.add(r, f.name));
    else procs.add(r);
    if (r.type === "diagnostic") {
      if (diags.length < MAX_DIAGS) diags.push({ file: f.name, line: r.line, column: r.column, code: r.code, message: r.message, text: r.text });
      else dropped++;
    }
  }
  post({ type: "progress", bytes: total, total, file: "" });
  post({
    type: "done",
    stats: stats.result(totals),
    procs: procs.list(),
    diags,
    diagsDropped: dropped,
    rows: table.length,
    ms: performance.now() - t0,
    files: files.map((f) => f.name),
    ...(() => {
      const all = paths.result("calls");
      return { paths: all.slice(0, MAX_PATHS), pathsTotal: all.length };
    })(),
  });
}

/** Builds a Blob from many small strings without one giant string: parts of ~1 MB. */
class BlobWriter {
  private parts: string[] = [];
  private buf: string[] = [];
  private size = 0;
  line(s: string): void {
    this.text(s + "\n");
  }
  /** Text without a newline added. */
  text(s: string): void {
    this.buf.push(s);
    this.size += s.length;
    if (this.size > 1 << 20) this.flush();
  }
  private flush(): void {
    if (this.buf.length) this.parts.push(this.buf.join(""));
    this.buf = [];
    this.size = 0;
  }
  blob(type: string): Blob {
    this.flush();
    return new Blob(this.parts, { type });
  }
}

/** Exports re-parse the files (the table keeps only what it shows, not whole records). */
async function exportAs(what: ExportKind): Promise<Blob> {
  const w = new BlobWriter();
  if (what === "parquet") {
    // the same writer as `parse --format parquet`: row groups go into Blob parts as they are written
    const parts: Uint8Array[] = [];
    const pq = new ParquetRecordWriter((bytes) => void parts.push(bytes));
    for await (const [r] of allRecords(() => {})) pq.add(r);
    await pq.finish();
    return new Blob(parts as BlobPart[], { type: "application/vnd.apache.parquet" });
  }
  if (what === "perfetto") {
    // the same document as `strace-seq export --format perfetto`
    let first = true;
    const x = new PerfettoExporter((e) => {
      w.text((first ? '{"traceEvents":[\n' : ",\n") + JSON.stringify(e));
      first = false;
    });
    for await (const [r] of allRecords(() => {})) x.add(r);
    x.finish();
    if (first) w.text('{"traceEvents":[');
    const origin = x.timeOrigin !== undefined ? `,"otherData":{"timeOrigin":${JSON.stringify(x.timeOrigin)}}` : "";
    w.line(`\n],"displayTimeUnit":"ms"${origin}}`);
    return w.blob("application/json");
  }
  if (what === "jsonl") {
    // what `strace-seq parse` writes for these files, byte for byte, the fast way: the core writes
    // each record's JSON with its row (several files: every record names its own, as parse does)
    const parts: Uint8Array[] = [];
    for (const f of files) {
      const lines = jsonlStream(
        open(f, () => {}),
        { file: f.name, pid: pidFromName(f.name), tagFile: files.length > 1 },
      );
      for (let step = await lines.next(); !step.done; step = await lines.next()) parts.push(step.value);
    }
    return new Blob(parts as BlobPart[], { type: "application/x-ndjson" });
  }
  // Like `strace-seq seq`: one builder per file, one sequence per line.
  for (const f of files) {
    const b = new SequenceBuilder({ file: f.name });
    for await (const r of parseStream(
      open(f, () => {}),
      { file: f.name, pid: pidFromName(f.name) },
    )) {
      for (const s of b.push(r)) w.line(sequenceLine(s, "text"));
    }
    for (const s of b.finish()) w.line(sequenceLine(s, "text"));
  }
  return w.blob("text/plain");
}

function baseName(): string {
  const n = files[0]?.name.replace(/\.gz$/, "").replace(/\.\d+$/, "") ?? "trace";
  return n.replace(/\.(strace|txt|log)$/, "");
}

ctx.onmessage = (e) => {
  const m = e.data;
  void (async () => {
    try {
      switch (m.type) {
        case "parse":
          await parseAll(m.files);
          break;
        case "filter": {
          const f = m.filter;
          view = f.text || f.name || f.pid || f.errno ? table.filter(f) : null;
          post({ type: "filtered", id: m.id, count: view ? view.length : table.length });
          break;
        }
        case "rows": {
          const n = view ? view.length : table.length;
          const rows = [];
          for (let i = Math.max(0, m.start); i < Math.min(n, m.end); i++) rows.push(table.row(view ? view[i]! : i));
          post({ type: "rows", id: m.id, start: m.start, rows });
          break;
        }
        case "locate":
          post({ type: "located", id: m.id, index: table.locate(m.file, m.line) });
          break;
        case "export": {
          const blob = await exportAs(m.what);
          const ext = { jsonl: "jsonl", sequences: "seq.txt", parquet: "parquet", perfetto: "perfetto.json" }[m.what];
          post({ type: "exported", id: m.id, blob, name: `${baseName()}.${ext}` });
          break;
        }
      }
    } catch (err) {
      post({ type: "error", message: err instanceof Error ? err.message : String(err) });
    }
  })();
};
