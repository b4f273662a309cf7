// Argument names and kinds per syscall, generated from kernel prototypes with man2 names.
import { SYSCALL_ARGS } from "./generated/syscalls.js";
import { alternativeSpellings, x32SixtyFourForm } from "./spellings.js";

/** What an argument is, as far as the tables tell: what Syscall.paths() and fds() look for. */
export type ArgKind =
  | "fd"
  | "dirfd"
  | "path"
  | "flags"
  | "mode"
  | "pointer"
  | "buffer"
  | "string"
  | "size"
  | "offset"
  | "pid"
  | "uid"
  | "gid"
  | "signal"
  | "struct"
  | "int"
  | "time"
  | "address";

/** One argument of a syscall's prototype. */
export interface ArgSpec {
  /** man2 name when a man page gives a prototype of the kernel's arity, else the kernel's. */
  name: string;
  /** What the argument is (from its C type and name). */
  kind: ArgKind;
  /** C type as the chosen source spells it, `__user` dropped. */
  ctype: string;
}

const cache = new Map<string, readonly ArgSpec[]>();

function specs(name: string): readonly ArgSpec[] | undefined {
  const hit = cache.get(name);
  if (hit) return hit;
  // Object.hasOwn: names like "constructor" must not reach Object.prototype.
  if (!Object.hasOwn(SYSCALL_ARGS, name)) return undefined;
  const list = Object.freeze(SYSCALL_ARGS[name]!.map(([n, kind, ctype]) => Object.freeze({ name: n, kind: kind as ArgKind, ctype })));
  cache.set(name, list);
  return list;
}

/**
 * Arguments of syscall `name` in order, or undefined when neither the kernel headers nor a
 * SYSCALL_DEFINE give a prototype (unimplemented slots like `afs_syscall`). Accepts strace's
 * spellings (`fstatat64`, `pread`, `rt_sigaction#64`).
 */
export function syscallArgs(name: string): readonly ArgSpec[] | undefined {
  const x32 = x32SixtyFourForm(name);
  const base = x32 ? x32.slice(0, -3) : name;
  const direct = specs(base);
  if (direct) return direct;
  for (const alt of alternativeSpellings(base)) {
    const found = specs(alt);
    if (found) return found;
  }
  return undefined;
}
