// Trace and Syscall: the object model over records. A Syscall wraps one record and answers
// questions with the syscall knowledge tables (argument names, paths, fds) on demand.

import { syscallArgs, type ArgSpec } from "../knowledge/index.js";
import type { ParseCounts } from "../parser.js";
import type { ArgNode, DiagnosticRecord, SyscallRecord, TraceRecord } from "./record.js";

/** Calls whose successful result is a new file descriptor. */
const FD_RETURNING = new Set([
  "open",
  "openat",
  "openat2",
  "creat",
  "dup",
  "dup2",
  "dup3",
  "socket",
  "accept",
  "accept4",
  "epoll_create",
  "epoll_create1",
  "eventfd",
  "eventfd2",
  "signalfd",
  "signalfd4",
  "timerfd_create",
  "inotify_init",
  "inotify_init1",
  "fanotify_init",
  "memfd_create",
  "pidfd_open",
  "pidfd_getfd",
  "open_by_handle_at",
  "userfaultfd",
  "perf_event_open",
  "bpf",
  "io_uring_setup",
  "fsopen",
  "fsmount",
  "fspick",
  "open_tree",
  "mq_open",
  "memfd_secret",
]);

/** Calls that create two fds and print them as an array argument. */
const FD_PAIR_MAKING = new Set(["pipe", "pipe2", "socketpair"]);

/** One system call of a parsed trace: its record, and questions about it answered from the syscall tables. */
export class Syscall {
  /** Wraps a record (not copied: `record` is the same object). */
  constructor(readonly record: SyscallRecord) {}

  /** The syscall's name (`openat`). */
  get name(): string {
    return this.record.name;
  }
  /** Its process or thread id, or null when the line printed none. */
  get pid(): number | null {
    return this.record.pid;
  }
  /** Its typed arguments, in printed order. */
  get args(): ArgNode[] {
    return this.record.args;
  }
  /** The return value: a number, decimal digits beyond 2^53, or null for `?`. */
  get ret(): number | string | null {
    return this.record.ret;
  }
  /** The errno name of a failed call (`ENOENT`), else null. */
  get errno(): string | null {
    return this.record.errno;
  }
  /** True when the call failed with an errno. */
  get failed(): boolean {
    return this.record.errno !== null;
  }
  /** Timestamp in seconds (-t/-tt/-ttt/-r), when the trace has them. */
  get time(): number | undefined {
    return this.record.time;
  }
  /** Seconds spent in the call (-T), when printed. */
  get duration(): number | undefined {
    return this.record.duration;
  }
  /** 1-based input line the call starts on. */
  get line(): number {
    return this.record.line;
  }

  /** Argument specs (names and kinds) from the syscall table, when the call is known. */
  get specs(): readonly ArgSpec[] | undefined {
    return syscallArgs(this.record.name);
  }

  /** The argument with this name: strace's own `name=value` (strace 6.16+ -N) or the table's name. */
  arg(name: string): ArgNode | undefined {
    const args = this.record.args;
    for (const a of args) if (a.kind === "field" && a.name === name) return a.value;
    const specs = this.specs;
    if (!specs) return undefined;
    const i = specs.findIndex((s) => s.name === name);
    if (i < 0 || i >= args.length) return undefined;
    const a = args[i];
    return a.kind === "field" ? a.value : a;
  }

  /** Arguments with their names from the syscall table (`arg0`.. when the call is unknown). */
  namedArgs(): { name: string; kind?: string; value: ArgNode }[] {
    const specs = this.specs;
    return this.record.args.map((a, i) => {
      if (a.kind === "field") return { name: a.name, kind: specs?.find((s) => s.name === a.name)?.kind, value: a.value };
      const spec = specs?.[i];
      return { name: spec?.name ?? `arg${i}`, kind: spec?.kind, value: a };
    });
  }

  /** Path strings among the arguments (by table kind), plus `-y` paths of fd arguments. */
  paths(): string[] {
    const out: string[] = [];
    for (const a of this.namedArgs()) {
      // AT_EMPTY_PATH calls pass "" as the path: there is no path to report
      if (a.kind === "path" && a.value.kind === "str" && a.value.value !== "") out.push(a.value.value);
      else if ((a.kind === "fd" || a.kind === "dirfd") && a.value.decor !== undefined && a.value.decor.startsWith("/")) out.push(a.value.decor);
    }
    return out;
  }

  /** File descriptors passed as arguments (by table kind) and, for fd-returning calls, the result. */
  fds(): number[] {
    const out: number[] = [];
    for (const a of this.namedArgs()) {
      if ((a.kind === "fd" || a.kind === "dirfd") && a.value.kind === "int" && typeof a.value.value === "number" && a.value.value >= 0) out.push(a.value.value);
    }
    const r = this.record;
    if (FD_RETURNING.has(r.name) && r.errno === null && typeof r.ret === "number" && r.ret >= 0 && !out.includes(r.ret)) out.push(r.ret);
    // pipe, pipe2 and socketpair return 0 and write their two new fds into an array: `[3, 4]`
    if (FD_PAIR_MAKING.has(r.name) && r.errno === null) {
      const pair = r.args.find((a) => a.kind === "array");
      if (pair?.kind === "array") for (const x of pair.items) if (x.kind === "int" && typeof x.value === "number" && !out.includes(x.value)) out.push(x.value);
    }
    return out;
  }

  /** The record itself, so `JSON.stringify` gives the JSONL form. */
  toJSON(): SyscallRecord {
    return this.record;
  }
}

/** A whole parsed trace: its records in input order and the parse's counts. */
export class Trace {
  /** Every record in input order, diagnostics included. */
  readonly records: TraceRecord[];
  /** Lines, records, diagnostics and bytes the parse saw. */
  readonly counts: ParseCounts;
  private calls?: Syscall[];

  /** Wraps the records of one parse (not copied). */
  constructor(records: TraceRecord[], counts: ParseCounts) {
    this.records = records;
    this.counts = counts;
  }

  /** The syscall records as Syscall objects, in input order (built once, on first use). */
  get syscalls(): Syscall[] {
    return (this.calls ??= this.records.filter((r): r is SyscallRecord => r.type === "syscall").map((r) => new Syscall(r)));
  }

  /** The diagnostic records, in input order. */
  get diagnostics(): DiagnosticRecord[] {
    return this.records.filter((r): r is DiagnosticRecord => r.type === "diagnostic");
  }

  /** Syscalls grouped by pid, in order. */
  byPid(): Map<number | null, Syscall[]> {
    const m = new Map<number | null, Syscall[]>();
    for (const s of this.syscalls) {
      let list = m.get(s.pid);
      if (!list) m.set(s.pid, (list = []));
      list.push(s);
    }
    return m;
  }

  /** Every pid that made a call, in order of its first call (null for unprefixed lines). */
  get pids(): (number | null)[] {
    return [...this.byPid().keys()];
  }
}
