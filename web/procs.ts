// The page's process list: the library's ProcessTree (fork/vfork/clone/clone3 children,
// CLONE_THREAD threads, execve names, exits) turned into the rows the page draws.

import type { TraceRecord } from "../src/browser.js";
import { ProcessTree, type TaskNode } from "../src/analyze/tree.js";
import type { ProcNode } from "./protocol.js";

export class ProcTree {
  private readonly tree = new ProcessTree();
  /** `-Y` names (`[pid N<comm>]`), for tasks that run no execve the trace shows. */
  private readonly comms = new Map<TaskNode, string>();

  /** `_args` (the row's rendered arguments) is no longer needed: the tree reads clone's flags itself. */
  add(r: TraceRecord, _args?: string): void {
    const pid = this.tree.add(r);
    if (r.comm === undefined || pid === null) return;
    const t = this.tree.liveTask(pid);
    if (t && !this.comms.has(t)) this.comms.set(t, r.comm);
  }

  list(): ProcNode[] {
    const out: ProcNode[] = [];
    for (const t of this.tree.nodes()) {
      if (t.pid === null) continue; // a trace without pids has no tree to draw
      const e = t.exit;
      out.push({
        pid: t.pid,
        parent: t.ppid,
        name: t.exe ?? this.comms.get(t) ?? null,
        thread: t.thread,
        exit: !e
          ? null
          : e.how === "exited"
            ? `exited ${e.code ?? ""}`.trim()
            : e.how === "killed"
              ? `killed ${e.signal ?? ""}${e.core ? " (core dumped)" : ""}`
              : "superseded",
        calls: t.calls,
        first: t.start ?? null,
        last: t.end ?? null,
      });
    }
    return out;
  }
}
