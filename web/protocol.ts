// Messages between the page (main.ts) and the parsing worker (worker.ts).
// Everything heavy stays in the worker; the page only asks for what it shows.

import type { StatsResult } from "../src/model/stats.js";
import type { FileUsage } from "../src/analyze/files.js";

/** What the page can download (worker.ts builds each by parsing the files again). */
export type ExportKind = "jsonl" | "sequences" | "parquet" | "perfetto";

/** One row of the calls table, ready to print (the worker renders args with renderArg). */
export interface Row {
  /** Index in the full (unfiltered) table, to highlight a row after a jump. */
  index: number;
  file: string;
  line: number;
  pid: number | null;
  time: string;
  name: string;
  args: string;
  result: string;
  errno: string;
  duration: string;
}

export interface ProcNode {
  pid: number;
  parent: number | null;
  /** Program from the last successful execve, or the -Y comm. */
  name: string | null;
  /** Created with CLONE_THREAD: a thread of the parent's process. */
  thread: boolean;
  /** `exited 0`, `killed SIGKILL (core dumped)`, … from the exit record. */
  exit: string | null;
  calls: number;
  first: number | null;
  last: number | null;
}

export interface DiagItem {
  file: string;
  line: number;
  column: number;
  code: string;
  message: string;
  text: string;
}

export interface Filter {
  text: string;
  name: string;
  pid: string;
  /** An errno name, "*" for any error, "" for no condition. */
  errno: string;
}

export type ToWorker =
  | { type: "parse"; files: File[] }
  | { type: "filter"; id: number; filter: Filter }
  | { type: "rows"; id: number; start: number; end: number }
  | { type: "locate"; id: number; file: string; line: number }
  | { type: "export"; id: number; what: ExportKind };

export type FromWorker =
  | { type: "progress"; bytes: number; total: number; file: string }
  | {
      type: "done";
      stats: StatsResult;
      procs: ProcNode[];
      diags: DiagItem[];
      diagsDropped: number;
      rows: number;
      ms: number;
      files: string[];
      paths: FileUsage[];
      pathsTotal: number;
    }
  | { type: "error"; message: string }
  | { type: "filtered"; id: number; count: number }
  | { type: "rows"; id: number; start: number; rows: Row[] }
  | { type: "located"; id: number; index: number }
  | { type: "exported"; id: number; blob: Blob; name: string };
