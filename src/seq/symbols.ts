// What one syscall record becomes in a sequence.
//
//   "name"       the syscall name: `openat`
//   "nr"         its x86_64 number: `257`
//   "nr32"       its i386 number: `295` (the numbering ADFA-LD uses)
//   "name:flag"  the name refined by the call's first flag: `openat:O_RDONLY`
//   "name:N"     the name refined by argument N (0-based): `socket:AF_INET` for "name:0"
//   "args"       per program, the name refined by path, open-flag and fd classes (args.ts;
//                stateful, so SequenceBuilder makes it, not `symbolizer`)
//
// "First flag" is defined as: the first argument, left to right, that is either a `|`-joined
// flags node or a lone flag-like identifier (upper case with an underscore, e.g. O_RDONLY,
// PROT_READ; AT_FDCWD is a directory fd, not a flag, and is skipped); the refinement is the
// first identifier inside it. `openat(AT_FDCWD, "x", O_RDONLY|O_CLOEXEC)` -> `openat:O_RDONLY`,
// `mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE, -1, 0)` -> `mmap:PROT_READ`. A call
// with no flag argument keeps its bare name. For "name:N", argument N's first identifier,
// or its integer text, or nothing (bare name) when it has neither (strings, structs).
// A name the syscall table does not know keeps its name under "nr"/"nr32", so distinct
// calls are never merged into one number.

import type { ArgNode, SyscallRecord } from "../model/record.js";
import { nameOf, numberOf } from "./syscalls.js";

/** What a call becomes in a sequence: `name`, `nr`, `nr32`, `args`, `name:flag` or `name:N` (see above). */
export type SymbolMode = "name" | "nr" | "nr32" | "args" | `name:${string}`;

const FLAG_LIKE = /^[A-Z][A-Z0-9]*_[A-Z0-9_]+$/;
const NOT_FLAGS = new Set(["AT_FDCWD"]);

/** True when `s` is a SymbolMode (for checking user input). */
export function isSymbolMode(s: string): s is SymbolMode {
  return s === "name" || s === "nr" || s === "nr32" || s === "args" || s === "name:flag" || /^name:\d+$/.test(s);
}

/** A function from a syscall record to its symbol under `mode`. */
export function symbolizer(mode: SymbolMode): (rec: SyscallRecord) => string {
  if (mode === "name") return (r) => r.name;
  if (mode === "nr") return (r) => numberSymbol(r.name, "x86_64");
  if (mode === "nr32") return (r) => numberSymbol(r.name, "i386");
  if (mode === "args") throw new RangeError(`symbol mode "args" follows state through a trace: use SequenceBuilder`);
  if (mode === "name:flag") {
    return (r) => {
      const f = firstFlagArg(r.args);
      return f === undefined ? r.name : `${r.name}:${f}`;
    };
  }
  const m = /^name:(\d+)$/.exec(mode);
  if (m) {
    const index = Number(m[1]);
    return (r) => {
      const a = r.args[index];
      const v = a === undefined ? undefined : argText(a);
      return v === undefined ? r.name : `${r.name}:${v}`;
    };
  }
  throw new RangeError(`unknown symbol mode ${JSON.stringify(mode)}`);
}

function numberSymbol(name: string, arch: "x86_64" | "i386"): string {
  const nr = numberOf(name, arch);
  return nr === undefined ? name : String(nr);
}

/** Symbol of an ADFA-LD entry (an i386 number) under `mode`. Refinements need arguments
 *  ADFA does not have, so "name:*" gives the bare name. */
export function adfaSymbolizer(mode: SymbolMode): (nr32: number) => string {
  if (mode === "nr32") return (n) => String(n);
  if (mode === "nr") {
    return (n) => {
      const name = nameOf(n, "i386");
      const nr = name === undefined ? undefined : numberOf(name, "x86_64");
      return nr === undefined ? (name ?? `i386:${n}`) : String(nr);
    };
  }
  // Unknown numbers stay recognisable rather than collapsing into one symbol.
  return (n) => nameOf(n, "i386") ?? `i386:${n}`;
}

/** The first flag of the first flag-like argument (see header), or undefined. */
export function firstFlagArg(args: readonly ArgNode[]): string | undefined {
  for (const a of args) {
    const node = a.kind === "field" ? a.value : a;
    if (node.kind === "flags") {
      const f = firstIdent(node);
      if (f !== undefined) return f;
    } else if (node.kind === "ident" && FLAG_LIKE.test(node.name) && !NOT_FLAGS.has(node.name)) {
      return node.name;
    }
  }
  return undefined;
}

function firstIdent(node: ArgNode): string | undefined {
  if (node.kind === "ident") return node.name;
  if (node.kind === "flags") {
    for (const item of node.items) {
      const f = firstIdent(item);
      if (f !== undefined) return f;
    }
  }
  if (node.kind === "field") return firstIdent(node.value);
  return undefined;
}

function argText(node: ArgNode): string | undefined {
  const id = firstIdent(node);
  if (id !== undefined) return id;
  const inner = node.kind === "field" ? node.value : node;
  return inner.kind === "int" ? inner.text : undefined;
}
