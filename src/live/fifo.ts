// strace's output channel: a FIFO in a fresh private directory, read without blocking, so the
// trace never mixes with the program's own output and a strace that fails before opening it
// cannot hang the reader.

import { execFileSync } from "node:child_process";
import { closeSync, constants, mkdtempSync, openSync, rmSync } from "node:fs";
import { Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { LiveError } from "./errors.js";

export class TraceFifo {
  /** The path strace writes to (`-o PATH`). */
  readonly path: string;
  /** The read end as a stream: each read arrives as one chunk, as soon as strace writes it. */
  readonly input: Socket;
  private readonly dir: string;
  private removed = false;

  constructor() {
    // mkdtemp makes the directory 0700: no other user can open or replace the FIFO
    this.dir = mkdtempSync(path.join(tmpdir(), "strace-seq-"));
    this.path = path.join(this.dir, "trace");
    try {
      // Node has no mkfifo(3); coreutils' mkfifo is wherever strace is
      execFileSync("mkfifo", ["-m", "600", this.path], { stdio: ["ignore", "ignore", "pipe"] });
    } catch (e) {
      this.remove();
      throw new LiveError(`cannot make a FIFO for strace's output in ${this.dir}: ${(e as Error).message.split("\n")[0]}`, "strace-failed");
    }
    // O_NONBLOCK: opening the read end does not wait for a writer. A FIFO fd is a pipe to libuv,
    // which reads it through epoll like any stream; until a writer has come and gone it reports
    // no hangup, so the stream waits for strace instead of ending at once.
    const fd = openSync(this.path, constants.O_RDONLY | constants.O_NONBLOCK);
    this.input = new Socket({ fd, readable: true, writable: false });
  }

  /** Ends the stream once everything strace wrote has been read: a writer that opens and closes
   *  the FIFO makes the reader's hangup come after the buffered data. Called when strace has
   *  exited, whether or not it ever opened the FIFO. */
  finish(): void {
    if (this.removed) return;
    try {
      closeSync(openSync(this.path, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {
      // ENXIO: the read end is already closed, so nobody is waiting for the end
    }
  }

  /** Closes the read end and removes the directory (the FIFO with it). */
  remove(): void {
    if (this.removed) return;
    this.removed = true;
    this.input?.destroy();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
