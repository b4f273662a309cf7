// Atomic outputs: each output is written to a temp file next to it and renamed into place only when
// complete, so a killed run leaves either the old output, the new one, or a temp file that the next
// run sweeps away, never a half-written .jsonl.

import { closeSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { readdir, unlink } from "node:fs/promises";
import path from "node:path";
import { joinParts, writtenAlone } from "../io/parts.js";

/** Fixed suffix (not random) so a later run can recognise and remove leftovers of a killed one. */
export const TEMP_SUFFIX = ".strace-seq-tmp";

/** The temp file for `output` (or, with `part`, another temp file of its conversion: a -ff
 *  folder's members' lines), which sweepTemps removes when a killed run left it. */
export function tempPathFor(output: string, part?: string): string {
  return path.join(path.dirname(output), "." + path.basename(output) + (part === undefined ? "" : "." + part) + TEMP_SUFFIX);
}

/** Every temp file converting to `output` may make (the output's own, and a -ff folder's
 *  members' lines: member-lines.ts), for removal when its worker died or the run was stopped. */
export function tempPathsOf(output: string): string[] {
  return [tempPathFor(output), tempPathFor(output, "members")];
}

/** Synchronous batched writer. Used inside workers, where blocking the thread on write(2) costs
 *  nothing and avoids stream bookkeeping per batch. */
export class AtomicFile {
  private fd: number;
  private readonly temp: string;
  private parts: (string | Uint8Array)[] = [];
  private size = 0;
  private done = false;

  constructor(readonly output: string) {
    this.temp = tempPathFor(output);
    this.fd = openSync(this.temp, "w");
  }

  /** Text, or UTF-8 bytes the caller hands over. */
  write(s: string | Uint8Array): void {
    if (writtenAlone(s)) {
      this.flush();
      this.put(s);
      return;
    }
    this.parts.push(s);
    this.size += s.length;
    // ~1 MB writes: few syscalls, and the joined string stays small.
    if (this.size >= 1 << 20) this.flush();
  }

  /** Bytes the caller writes over once this returns (a reused buffer, jsonl-fast.ts): written
   *  now, after what was collected before them. */
  writeNow(b: Uint8Array): void {
    this.flush();
    this.put(b);
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    const data = joinParts(this.parts);
    this.parts = [];
    this.size = 0;
    this.put(data);
  }

  private put(data: string | Uint8Array): void {
    if (typeof data === "string") writeSync(this.fd, data);
    else for (let at = 0; at < data.length;) at += writeSync(this.fd, data, at);
  }

  /** Flushes, closes and renames into place. No fsync: the guarantee is against an interrupted
   *  process (SIGKILL, Ctrl-C), not power loss, and fsync per file would dominate small corpora. */
  commit(): void {
    this.flush();
    closeSync(this.fd);
    renameSync(this.temp, this.output);
    this.done = true;
  }

  abort(): void {
    if (this.done) return;
    this.done = true;
    try {
      closeSync(this.fd);
    } catch {
      /* already closed */
    }
    try {
      unlinkSync(this.temp);
    } catch {
      /* never created or already gone */
    }
  }
}

/** Removes temp files a killed run left under dir. Returns how many. */
export async function sweepTemps(dir: string): Promise<number> {
  let n = 0;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) n += await sweepTemps(p);
    else if (e.name.endsWith(TEMP_SUFFIX)) {
      await unlink(p).catch(() => undefined);
      n++;
    }
  }
  return n;
}
