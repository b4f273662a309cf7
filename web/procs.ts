// The process tree: fork/vfork/clone/clone3 results create children, execve names a process,
// exit records say how it ended. Built incrementally from records in input order.

import type { TraceRecord } from "../src/browser.js";
import type { ProcNode } from "./protocol.js";

const SPAWNS = new Set(["fork", "vfork", "clone", "clone2", "clone3"]);

export class ProcTree {
  private readonly nodes = new Map<number, ProcNode>();

  private node(pid: number): ProcNode {
    let n = this.nodes.get(pid);
    if (!n) {
      n = { pid, parent: null, name: null, thread: false, exit: null, calls: 0, first: null, last: null };
      this.nodes.set(pid, n);
    }
    return n;
  }

  /** `args` is the record's rendered argument text (the table renders it anyway), used for CLONE_THREAD. */
  add(r: TraceRecord, args?: string): void {
    if (r.pid === null || r.type === "diagnostic" || r.type === "summary") return;
    const n = this.node(r.pid);
    if (r.time !== undefined) {
      if (n.first === null || r.time < n.first) n.first = r.time;
      if (n.last === null || r.time > n.last) n.last = r.time;
    }
    if (r.comm !== undefined && n.name === null) n.name = r.comm;
    if (r.type === "exit") {
      n.exit = r.how === "exited" ? `exited ${r.code ?? ""}`.trim() : r.how === "killed" ? `killed ${r.signal ?? ""}${r.core ? " (core dumped)" : ""}` : `superseded by ${r.byPid ?? "?"}`;
      return;
    }
    if (r.type !== "syscall") return;
    n.calls++;
    if (SPAWNS.has(r.name) && typeof r.ret === "number" && r.ret > 0) {
      const child = this.node(r.ret);
      child.parent = r.pid;
      child.thread = (args ?? "").includes("CLONE_THREAD");
    } else if ((r.name === "execve" || r.name === "execveat") && r.ret === 0) {
      const path = r.args[r.name === "execve" ? 0 : 1];
      if (path?.kind === "str") n.name = path.value;
    }
  }

  list(): ProcNode[] {
    return [...this.nodes.values()];
  }
}
