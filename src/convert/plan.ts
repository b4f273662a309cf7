// Turning the command line's inputs into conversion jobs: one job per file, one per `-ff` folder,
// each with the output path that mirrors its place under the input root.

import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { mapBounded } from "../io/bounded.js";

export interface Member {
  path: string;
  size: number;
  mtimeMs: number;
  /** Pid from the `.PID` suffix (ff members, or a lone per-pid file). */
  pid?: number;
}

export interface Job {
  /** "file": one input; "ff": a `-ff` folder merged into one trace; "stdin": `-`. */
  kind: "file" | "ff" | "stdin";
  /** Input path as reported (the folder for "ff"). */
  input: string;
  members: Member[];
  /** Output path (final, not the temp file). */
  output: string;
  /** The input's path relative to its root argument (`sub/x.strace`, `run_ff`, `stdin`): the
   *  stable name `--shard` hashes, the same on every machine and in every shard. */
  rel: string;
  /** Total input bytes (compressed size for .gz), for progress and scheduling. */
  size: number;
}

const GZ = /\.gz$/;
const PID_SUFFIX = /^(.*)\.(\d+)$/;

/** The pid a `-ff -o NAME` file carries in its name (NAME.PID, optionally .gz). */
export function pidOf(file: string): number | undefined {
  const m = PID_SUFFIX.exec(path.basename(file).replace(GZ, ""));
  return m ? Number(m[2]) : undefined;
}

/** `x.strace` -> `x.strace.jsonl` (the full name is kept so x.strace and x.stderr never collide);
 *  `.gz` is dropped because the output is the decompressed trace. */
export function outputName(rel: string, ext = ".jsonl"): string {
  return rel.replace(GZ, "") + ext;
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** A folder is a `-ff` folder when it holds only files, at least one, all named NAME.PID with one NAME. */
export function ffMembers(entries: { name: string; isFile(): boolean }[]): boolean {
  if (entries.length === 0) return false;
  let stem: string | undefined;
  for (const e of entries) {
    if (!e.isFile()) return false;
    const m = PID_SUFFIX.exec(e.name.replace(GZ, ""));
    if (!m) return false;
    if (stem === undefined) stem = m[1];
    else if (stem !== m[1]) return false;
  }
  return true;
}

async function member(p: string): Promise<Member> {
  const st = await stat(p);
  const m: Member = { path: p, size: st.size, mtimeMs: st.mtimeMs };
  const pid = pidOf(p);
  if (pid !== undefined) m.pid = pid;
  return m;
}

/** The files of a `-ff` folder in pid order: the concatenation order and the merge's tie-break
 *  (not name order, where "10" < "9"). */
export async function ffFolderMembers(dir: string, names: string[]): Promise<Member[]> {
  const members = await mapBounded(names, (n) => member(path.join(dir, n)));
  return members.sort((a, b) => (a.pid ?? 0) - (b.pid ?? 0));
}

async function ffJob(dir: string, names: string[], output: string, rel: string): Promise<Job> {
  const members = await ffFolderMembers(dir, names);
  return { kind: "ff", input: dir, members, output, size: members.reduce((s, m) => s + m.size, 0), rel };
}

async function walk(dir: string, rel: string, outDir: string, jobs: Job[], ext: string): Promise<void> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort(byName);
  for (const e of entries) {
    const p = path.join(dir, e.name);
    const r = path.join(rel, e.name);
    if (e.isDirectory()) {
      // the output tree may sit inside the input tree: its JSONL is not input
      if (path.resolve(p) === path.resolve(outDir)) continue;
      const inner = (await readdir(p, { withFileTypes: true })).sort(byName);
      if (ffMembers(inner))
        jobs.push(
          await ffJob(
            p,
            inner.map((x) => x.name),
            path.join(outDir, r + ext),
            r,
          ),
        );
      else await walk(p, r, outDir, jobs, ext);
    } else if (e.isFile()) {
      const m = await member(p);
      jobs.push({ kind: "file", input: p, members: [m], output: path.join(outDir, outputName(r, ext)), size: m.size, rel: r });
    }
  }
}

/** Jobs for the inputs, in input order; outputs end in `ext` (`.jsonl`, `.parquet`). A root directory's files land directly under outDir;
 *  a root file lands as outDir/<basename>.jsonl; `-` as outDir/stdin.jsonl. */
export async function planJobs(inputs: string[], outDir: string, ext = ".jsonl"): Promise<Job[]> {
  const jobs: Job[] = [];
  for (const input of inputs) {
    if (input === "-") {
      jobs.push({
        kind: "stdin",
        input,
        members: [{ path: "-", size: 0, mtimeMs: Date.now() }],
        output: path.join(outDir, "stdin" + ext),
        size: 0,
        rel: "stdin",
      });
      continue;
    }
    const st = await stat(input);
    if (st.isDirectory()) {
      const inner = (await readdir(input, { withFileTypes: true })).sort(byName);
      if (ffMembers(inner)) {
        const name = path.basename(path.resolve(input));
        jobs.push(
          await ffJob(
            input,
            inner.map((x) => x.name),
            path.join(outDir, name + ext),
            name,
          ),
        );
      } else await walk(input, "", outDir, jobs, ext);
    } else {
      const m = await member(input);
      jobs.push({
        kind: "file",
        input,
        members: [m],
        output: path.join(outDir, outputName(path.basename(input), ext)),
        size: m.size,
        rel: path.basename(input),
      });
    }
  }
  return jobs;
}
