// The process tree of a trace: who created whom (fork, vfork, clone, clone3), what each ran
// (execve's path and argv), how it ended (exit code or killing signal), and its calls and time.
// Fed one record at a time; memory grows with the number of tasks, not of records.

import type { ExitRecord, SyscallRecord, TraceRecord } from "../model/record.js";
import { UnprefixedPids } from "../model/unprefixed.js";
import { cloneInfo } from "./clone.js";

/** One task (process or thread) of the trace. */
export interface TaskNode {
  /** Task id as strace printed it; null for a trace without pids (one process, no -f). */
  pid: number | null;
  /** The task that created it, when the trace shows the fork/clone. */
  ppid: number | null;
  /** Created with CLONE_THREAD: a thread of its parent's process. */
  thread: boolean;
  /** The thread-group leader: the pid of the process this task is a thread of (its own pid for a process). */
  tgid: number | null;
  /** Path of the last successful execve, when the trace shows one. */
  exe?: string;
  /** argv of the last successful execve (its string elements), when the trace shows one. */
  argv?: string[];
  /** Successful execve calls. */
  execs: number;
  /** How it ended: `exited` with `code`, `killed` by `signal` (with `core`), or `superseded` by an execve in another thread. */
  exit?: { how: ExitRecord["how"]; code?: number; signal?: string; core?: true };
  /** Syscall records of this task, including unreturned calls. */
  calls: number;
  /** Its calls that failed with an errno. */
  errors: number;
  /** Sum of -T durations of its calls (0 without -T). */
  seconds: number;
  /** First timestamp of its records (seconds), when the trace has timestamps. */
  start?: number;
  /** Last timestamp of its records (seconds; a call's end time where strace showed it), when the trace has timestamps. */
  end?: number;
  /** Tasks it created, in creation order (pids). */
  children: (number | null)[];
}

/** Builds the process tree from records in order. */
export class ProcessTree {
  private readonly tasks: TaskNode[] = [];
  /** The current task for each pid (a pid reused after an exit gets a new node). */
  private readonly live = new Map<number | null, TaskNode>();
  private readonly unprefixed = new UnprefixedPids();
  /** `onNamed` hears when the unprefixed first process of a -f trace on stderr gets its pid. */
  constructor(private readonly onNamed?: (pid: number) => void) {}

  /** Child nodes by parent node (pids alone are ambiguous once a pid is reused). */
  private readonly kids = new Map<TaskNode, TaskNode[]>();
  private readonly linked = new Set<TaskNode>();
  private readonly parents = new Map<TaskNode, TaskNode>();

  private task(pid: number | null): TaskNode {
    let t = this.live.get(pid);
    if (!t) {
      t = { pid, ppid: null, thread: false, tgid: pid, execs: 0, calls: 0, errors: 0, seconds: 0, children: [] };
      this.tasks.push(t);
      this.live.set(pid, t);
    }
    return t;
  }

  /** Takes in one record (records in trace order); gives the task id it belongs to (an unprefixed
   *  record of a -f trace resolved to its process), or null for none. */
  add(r: TraceRecord): number | null {
    if (r.type === "diagnostic" || r.type === "summary") return null;
    const { pid, named } = this.unprefixed.see(r);
    if (named !== undefined) this.name(named);
    const t = this.task(pid);
    if (r.time !== undefined) {
      if (t.start === undefined || r.time < t.start) t.start = r.time;
      const end = r.type === "syscall" && r.endTime !== undefined ? r.endTime : r.time;
      if (t.end === undefined || end > t.end) t.end = end;
    }
    if (r.type === "exit") {
      t.exit = { how: r.how };
      if (r.code !== undefined) t.exit.code = r.code;
      if (r.signal !== undefined) t.exit.signal = r.signal;
      if (r.core) t.exit.core = true;
      // the pid may be reused by a later task
      this.live.delete(pid);
      return pid;
    }
    if (r.type !== "syscall") return pid;
    t.calls++;
    if (r.errno !== null) t.errors++;
    if (r.duration !== undefined) t.seconds += r.duration;
    if (r.name === "execve" || r.name === "execveat") this.exec(t, r);
    const c = cloneInfo(r);
    if (c) {
      // a child whose records came before its creator's result (unmerged halves) is adopted;
      // one that already has a creator is a reused pid whose exit the trace did not show
      const old = this.live.get(c.child);
      if (old && (old.ppid !== null || old === t)) this.live.delete(c.child);
      const child = this.task(c.child);
      child.ppid = pid;
      child.thread = c.thread;
      child.tgid = c.thread ? t.tgid : c.child;
      t.children.push(c.child);
      let list = this.kids.get(t);
      if (!list) this.kids.set(t, (list = []));
      list.push(child);
      this.linked.add(child);
      this.parents.set(child, t);
    }
    return pid;
  }

  /** The program a task runs: its own last execve's path, else the nearest ancestor's. */
  programOf(t: TaskNode): string | undefined {
    for (let n: TaskNode | undefined = t; n; n = this.parents.get(n)) if (n.exe !== undefined) return n.exe;
    return undefined;
  }

  /** The task that created this one, when the trace shows it. */
  parentOf(t: TaskNode): TaskNode | undefined {
    return this.parents.get(t);
  }

  private exec(t: TaskNode, r: SyscallRecord): void {
    if (r.errno !== null || r.unfinished || r.ret !== 0) return;
    // execveat(dirfd, path, argv, envp, flags): the path and argv come one argument later
    const at = r.name === "execveat" ? 1 : 0;
    const path = r.args[at];
    const argv = r.args[at + 1];
    t.execs++;
    if (path?.kind === "str") t.exe = path.value;
    if (argv?.kind === "array") t.argv = argv.items.flatMap((a) => (a.kind === "str" ? [a.value] : []));
  }

  /** `strace -f` to stderr prints no pid while one process is traced: once a record reveals that
   *  process's pid, the task so far known as null takes it (and its children their parent's). */
  private name(pid: number): void {
    const t = this.live.get(null);
    if (!t || this.live.has(pid)) return;
    this.live.delete(null);
    t.pid = pid;
    t.tgid = pid;
    this.live.set(pid, t);
    for (const k of this.kids.get(t) ?? []) {
      k.ppid = pid;
      if (k.thread) k.tgid = pid;
    }
    this.onNamed?.(pid);
  }

  /** The live task with this pid (undefined once it has exited). */
  liveTask(pid: number | null): TaskNode | undefined {
    return this.live.get(pid);
  }

  /** The process (thread-group leader) a task belongs to, as far as the trace has shown it. */
  processOf(pid: number | null): number | null {
    const t = this.live.get(pid);
    return t ? t.tgid : pid;
  }

  /** Every task in order of first appearance. */
  nodes(): TaskNode[] {
    return this.tasks;
  }

  /** Tasks with no creator in the trace (the traced command, attached processes). */
  roots(): TaskNode[] {
    return this.tasks.filter((t) => t.ppid === null);
  }

  /** JSON form: `{tasks: [...]}` in order of appearance; `children` and `ppid` link them. */
  toJSON(): { tasks: TaskNode[] } {
    return { tasks: this.tasks };
  }

  /** The tree as indented text: pid, executable and argv, how it ended, calls and time. */
  text(): string {
    let out = "";
    const line = (t: TaskNode, prefix: string, branch: string, rest: string): void => {
      out += `${prefix}${branch}${describe(t, this.programOf(t))}\n`;
      const kids = this.kids.get(t) ?? [];
      kids.forEach((k, i) => line(k, prefix + rest, i === kids.length - 1 ? "└─ " : "├─ ", i === kids.length - 1 ? "   " : "│  "));
    };
    for (const t of this.tasks) if (!this.linked.has(t)) line(t, "", "", "");
    return out;
  }
}

function quoteArg(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`;
}

/** One task's line; a task that ran no execve of its own shows the program it inherited in parentheses. */
function describe(t: TaskNode, inherited: string | undefined): string {
  const who = t.pid === null ? "?" : String(t.pid);
  const own = t.argv && t.argv.length > 0 ? `${t.exe ?? ""} ${t.argv.map(quoteArg).join(" ")}`.trim() : (t.exe ?? "");
  const what = t.thread ? `[thread]${inherited ? ` (${inherited})` : ""}` : own || (inherited ? `(${inherited})` : "");
  const end = !t.exit
    ? "running"
    : t.exit.how === "exited"
      ? `exited ${t.exit.code}`
      : t.exit.how === "killed"
        ? `killed by ${t.exit.signal}${t.exit.core ? " (core dumped)" : ""}`
        : "superseded";
  return `${who}${what ? " " + what : ""}  [${end}; ${t.calls} call${t.calls === 1 ? "" : "s"}, ${t.seconds.toFixed(6)} s]`;
}
