// Which program each process of a live trace runs, for naming it in alerts: set by a successful
// execve, inherited on fork and clone. Records come in completion order, so a child's calls (even
// its exit) can come before the fork that created it; what is known then is filled in later.

import { readlinkSync } from "node:fs";
import type { SyscallRecord, TraceRecord } from "../model/record.js";
import { createdPid } from "../model/unprefixed.js";

export class Programs {
  private readonly exe = new Map<number | null, string>();
  /** Pids whose creating call has been seen (so their exit can forget them). */
  private readonly created = new Set<number>();
  /** Pids that exited before their creating call came; it fills them in and forgets them. */
  private readonly early = new Set<number>();

  /** Follows exec, fork/clone and exit. Returns the pid whose program just became known
   *  through its creator, when that pid had already exited (see `waiting` in AlertWatch). */
  see(rec: TraceRecord): number | undefined {
    if (rec.type === "exit" && rec.pid !== null) {
      if (this.created.delete(rec.pid)) this.exe.delete(rec.pid);
      else this.early.add(rec.pid);
      return undefined;
    }
    if (rec.type !== "syscall") return undefined;
    if ((rec.name === "execve" || rec.name === "execveat") && rec.ret === 0) {
      const path = execPath(rec);
      if (path !== undefined) this.exe.set(rec.pid, path);
      return undefined;
    }
    const child = createdPid(rec);
    if (child === undefined) return undefined;
    const parent = this.exe.get(rec.pid);
    if (this.early.delete(child)) {
      // the child has come and gone: its name is needed once, by an alert that waits for it
      if (parent !== undefined) this.exe.set(child, parent);
      return child;
    }
    this.created.add(child);
    // (a child that already ran execve before its fork's record came keeps its own program)
    if (parent !== undefined && !this.exe.has(child)) this.exe.set(child, parent);
    return undefined;
  }

  /** The program `pid` runs, or (a running process whose exec or creation the trace has not
   *  shown, such as one attached with -p) what the kernel says, or undefined. */
  of(pid: number | null): string | undefined {
    const known = this.exe.get(pid);
    if (known !== undefined || pid === null) return known;
    try {
      return readlinkSync(`/proc/${pid}/exe`);
    } catch {
      return undefined;
    }
  }

  /** Forgets a pid that has exited (after its waiting alerts took its name). */
  forget(pid: number): void {
    this.exe.delete(pid);
  }

  /** Whether the call that created `pid` may still come: neither it nor an exec has been seen. */
  awaitsCreator(pid: number | null): boolean {
    return pid !== null && !this.created.has(pid) && !this.exe.has(pid);
  }
}

function execPath(rec: SyscallRecord): string | undefined {
  const node = rec.args[rec.name === "execve" ? 0 : 1];
  return node?.kind === "str" ? node.value : undefined;
}
