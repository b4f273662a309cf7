// Buffered writing to stdout or a file with backpressure: records are joined into large writes,
// and the writer waits for `drain` instead of letting Node buffer an unbounded amount.

import { createWriteStream, type WriteStream } from "node:fs";
import { once } from "node:events";
import { mkdir, writeFile } from "node:fs/promises";
import { joinParts, writtenAlone } from "../io/parts.js";
import type { Writable } from "node:stream";

export class Output {
  private parts: (string | Uint8Array)[] = [];
  private size = 0;
  private readonly stream: Writable;
  private readonly owned: boolean;
  /** A failure of the output file (a missing directory, a full disk), reported on the next write. */
  private failed: Error | undefined;

  constructor(private readonly file?: string) {
    if (file && file !== "-") {
      this.stream = createWriteStream(file);
      this.owned = true;
      this.stream.on("error", (e) => (this.failed ??= e));
    } else {
      this.stream = process.stdout;
      this.owned = false;
    }
  }

  /** Text, or UTF-8 bytes the caller hands over (JSON Lines from JsonlWriter). */
  async write(s: string | Uint8Array): Promise<void> {
    if (writtenAlone(s)) {
      await this.flush();
      await this.put(s);
      return;
    }
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= 1 << 20) await this.flush();
  }

  /** Bytes the caller writes over once this resolves (a reused buffer, jsonl-fast.ts): written
   *  on their own, and waited for until the stream has handed them to the system. */
  async writeNow(b: Uint8Array): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve) => this.stream.write(b, () => resolve()));
    this.check();
  }

  async flush(): Promise<void> {
    this.check();
    if (this.parts.length === 0) return;
    const chunk = joinParts(this.parts);
    this.parts = [];
    this.size = 0;
    await this.put(chunk);
  }

  private async put(chunk: string | Uint8Array): Promise<void> {
    if (!this.stream.write(chunk)) await this.settled("drain");
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.owned) {
      (this.stream as WriteStream).end();
      await this.settled("finish");
    }
  }

  private check(): void {
    if (this.failed) throw new UsageError(`cannot write ${this.file}: ${this.failed.message}`);
  }

  /** Waits for `event`, or fails with the output's error. */
  private async settled(event: string): Promise<void> {
    this.check();
    try {
      await once(this.stream, event);
    } catch {
      this.check();
    }
  }
}

/** Exit statuses: 0 ok, 1 diagnostics under --strict, 2 bad usage or unreadable input. */
export const EXIT_STRICT = 1;
export const EXIT_USAGE = 2;

export class UsageError extends Error {}

/** Writes a whole output file; a failure is reported as one (not as unreadable input). */
export async function writeOutputFile(file: string, data: string): Promise<void> {
  try {
    await writeFile(file, data);
  } catch (e) {
    throw new UsageError(`cannot write ${file}: ${(e as Error).message}`);
  }
}

/** Creates an output directory (and its parents). */
export async function makeOutputDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    throw new UsageError(`cannot create ${dir}: ${(e as Error).message}`);
  }
}
