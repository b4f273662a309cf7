// `strace -f` writing to stderr prints no `[pid N]` while only one process is traced: the first
// process's calls carry pid null until a second process exists, then its pid, and a last
// survivor goes back to null once the others have exited. Sequences must not split a process
// in two over that, so this works out which pid an unprefixed record stands for.
//
// The first pid that appears without having been announced (no clone/fork returned it) after
// unprefixed records is taken to be their process: in record order a child's creating call comes
// before the child's own records, so only the first process can appear unannounced. Later, an
// unprefixed record belongs to that process while it lives, else to the only live process.
// Memory: the pids announced before the first process is named, and the live ones.

import type { SyscallRecord, TraceRecord } from "./record.js";

const CREATORS = new Set(["fork", "vfork", "clone", "clone2", "clone3"]);

/** Whether a call of this name creates a process or thread (fork, vfork, the clone family). */
export function createsProcess(name: string): boolean {
  return CREATORS.has(name);
}

/** The pid a successful clone or fork created, if the record is one. */
export function createdPid(rec: SyscallRecord): number | undefined {
  // (the return value first: a name lookup for every call cost the sequence commands ~2 %)
  return typeof rec.ret === "number" && rec.ret > 0 && createsProcess(rec.name) ? rec.ret : undefined;
}

export class UnprefixedPids {
  /** Whether the trace began without pids; only then can later records be unprefixed. */
  private startedUnprefixed: boolean | undefined;
  private first: number | undefined;
  /** Pids announced or seen before the first process was named (then dropped). */
  private readonly known = new Set<number>();
  private readonly live = new Set<number>();

  /** Takes in one record (in record order): the pid it stands for, and what it says about which
   *  processes exist (an exit, a clone or fork's new pid). `named` is set when this record
   *  revealed the unprefixed records' pid (their sequence should take that pid from now on). */
  see(rec: TraceRecord): { pid: number | null; named?: number } {
    const r = this.resolve(rec.pid);
    if (rec.type === "exit") this.exited(r.pid);
    else if (rec.type === "syscall") {
      const child = createdPid(rec);
      if (child !== undefined) this.announced(child);
    }
    return r;
  }

  private resolve(pid: number | null): { pid: number | null; named?: number } {
    this.startedUnprefixed ??= pid === null;
    // a trace that began with pids (-o, -ff) never needs the bookkeeping below
    if (!this.startedUnprefixed) return { pid };
    if (pid !== null) {
      this.live.add(pid);
      if (this.first !== undefined || this.known.has(pid)) {
        if (this.first === undefined) this.known.add(pid);
        return { pid };
      }
      this.first = pid;
      this.known.clear();
      return { pid, named: pid };
    }
    if (this.first !== undefined && this.live.has(this.first)) return { pid: this.first };
    if (this.live.size === 1) return { pid: this.live.values().next().value as number };
    return { pid: null };
  }

  private announced(pid: number): void {
    if (this.startedUnprefixed && this.first === undefined) this.known.add(pid);
  }

  private exited(pid: number | null): void {
    if (pid !== null) this.live.delete(pid);
  }
}
