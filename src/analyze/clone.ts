// What a fork, vfork, clone or clone3 record says about the task it created: its id and whether it
// is a thread of the caller (CLONE_THREAD) or shares the caller's fd table (CLONE_FILES).

import type { ArgNode, SyscallRecord } from "../model/record.js";
import { createdPid } from "../model/unprefixed.js";

export interface CloneInfo {
  child: number;
  thread: boolean;
  sharesFiles: boolean;
}

/** The flag identifiers of clone's `flags=` argument or clone3's `{flags=...}` struct. */
function cloneFlags(rec: SyscallRecord): Set<string> {
  const out = new Set<string>();
  const collect = (n: ArgNode | undefined): void => {
    if (!n) return;
    if (n.kind === "ident") out.add(n.name);
    else if (n.kind === "flags") for (const i of n.items) collect(i);
  };
  const visit = (n: ArgNode): void => {
    if (n.kind === "field" && n.name === "flags") collect(n.value);
    else if (n.kind === "struct") for (const f of n.fields) visit(f);
    // clone3's struct is printed `{...} => {parent_tid=[N]}`: the flags are on the `from` side
    else if (n.kind === "change" && n.from) visit(n.from);
  };
  for (const a of rec.args) visit(a);
  // i386/arm clone without names: `clone(CLONE_VM|..., ...)`; the flags are the first flags node
  if (out.size === 0 && rec.name === "clone") for (const a of rec.args) if (a.kind === "flags") collect(a);
  return out;
}

/** The created task of a successful fork/vfork/clone/clone3, or undefined for any other record. */
export function cloneInfo(rec: SyscallRecord): CloneInfo | undefined {
  const child = createdPid(rec);
  if (child === undefined) return undefined;
  const flags = cloneFlags(rec);
  return { child, thread: flags.has("CLONE_THREAD"), sharesFiles: flags.has("CLONE_FILES") };
}
