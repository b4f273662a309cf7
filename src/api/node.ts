// Node-only conveniences: files, stdin, gzip, directories and -ff per-pid files.

import { createReadStream } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { gunzip, holdErrors, READ_CHUNK, sniffGzip } from "../io/input.js";
import type { Readable } from "node:stream";
import { parseBatches, parseStream, type ParseOptions } from "./core.js";
import type { ParseCounts } from "../parser.js";
import type { TraceRecord } from "../model/record.js";

/** `-ff -o NAME` writes NAME.PID: the pid is the file name's numeric suffix. */
export function pidFromFileName(file: string): number | undefined {
  const m = /\.(\d+)$/.exec(path.basename(file));
  return m ? Number(m[1]) : undefined;
}

/** A readable of the file's bytes (`-` is stdin; `.gz` is decompressed, and so is gzip on stdin). */
export function openInput(file: string): Readable {
  if (file === "-") return sniffGzip(holdErrors(process.stdin));
  const raw: Readable = holdErrors(createReadStream(file, { highWaterMark: READ_CHUNK }));
  return file.endsWith(".gz") ? gunzip(raw, file) : raw;
}

/** Options of parseFile: those of parseStream (`file` defaults to the path, `pid` to an `-ff` name's suffix). */
export interface FileParseOptions extends ParseOptions {
  /** Called once at the end with the parse's counts. */
  onEnd?: (c: ParseCounts) => void;
}

/** Records of one file, streamed in bounded memory. The pid of an `-ff` file comes from its name. */
export function parseFile(file: string, opts: FileParseOptions = {}): AsyncGenerator<TraceRecord> {
  const pid = opts.pid ?? (file === "-" ? undefined : pidFromFileName(file.replace(/\.gz$/, "")));
  return parseStream(openInput(file), { ...opts, file: opts.file ?? file, pid });
}

/** Like parseFile, one array of records per chunk read (see parseBatches). */
export function parseFileBatches(file: string, opts: FileParseOptions = {}): AsyncGenerator<TraceRecord[]> {
  const pid = opts.pid ?? (file === "-" ? undefined : pidFromFileName(file.replace(/\.gz$/, "")));
  return parseBatches(openInput(file), { ...opts, file: opts.file ?? file, pid });
}

/** Files under the given paths: directories are walked recursively, in sorted order. */
export async function expandInputs(inputs: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const input of inputs) {
    if (input === "-") {
      out.push(input);
      continue;
    }
    const st = await stat(input);
    if (st.isDirectory()) await walk(input, out);
    else out.push(input);
  }
  return out;
}

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) await walk(p, out);
    else if (e.isFile()) out.push(p);
  }
}

// Live tracing (runs strace; Node only).
export { trace, attach, LiveTrace, type LiveOptions, type LiveRecord, type LiveResult } from "../live/session.js";
export { LiveError } from "../live/errors.js";
export type { AlertRecord, AlertOptions } from "../live/alerts.js";
export type { StraceOptions } from "../live/strace-args.js";
