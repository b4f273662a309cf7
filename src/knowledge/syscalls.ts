// Syscall number <-> name per architecture, over the tables generated from the kernel sources.
// No Node APIs here: this module ships to browsers too.
import { ENTRY_ALIASES, SYSCALL_NAMES, X32_SYSCALL_BIT } from "./generated/syscalls.js";
import { alternativeSpellings, x32SixtyFourForm } from "./spellings.js";

/** An architecture (personality) whose syscall numbers the tables know. */
export type Arch = "x86_64" | "i386" | "x32" | "arm64";

export { KERNEL_VERSION, X32_SYSCALL_BIT } from "./generated/syscalls.js";

interface Table {
  /** name by number; for x32 the index is the number without X32_SYSCALL_BIT. */
  byNumber: readonly (string | undefined)[];
  byName: ReadonlyMap<string, number>;
  names: readonly string[];
}

const tables = new Map<Arch, Table>();

/** Built on first use: the dense strings are cheap to ship, the maps cheap to build. */
function table(arch: Arch): Table {
  let t = tables.get(arch);
  if (t) return t;
  const base = arch === "x32" ? X32_SYSCALL_BIT : 0;
  const byNumber = SYSCALL_NAMES[arch].split(",").map((n) => n || undefined);
  const byName = new Map<string, number>();
  byNumber.forEach((n, i) => {
    if (n !== undefined && !byName.has(n)) byName.set(n, i + base);
  });
  const names = Object.freeze(byNumber.filter((n): n is string => n !== undefined));
  t = { byNumber, byName, names };
  tables.set(arch, t);
  return t;
}

/**
 * `syscall_0x1b3` / `syscall_435`: strace's name for a number it has no name for. Returns the
 * number, or undefined when it is not a safe integer (strace prints `syscall_0xffffffffffffffff`
 * with `[???]` for the invalid number -1).
 */
function unnamedNumber(name: string): number | undefined {
  const m = /^syscall_(0x[0-9a-f]+|\d+)$/i.exec(name);
  if (!m) return undefined;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) ? n : undefined;
}

function lookup(name: string, arch: Arch): number | undefined {
  const t = table(arch);
  const direct = t.byName.get(name);
  if (direct !== undefined) return direct;
  const aliases = ENTRY_ALIASES[arch];
  if (aliases && Object.hasOwn(aliases, name)) {
    return aliases[name]! + (arch === "x32" ? X32_SYSCALL_BIT : 0);
  }
  return undefined;
}

/**
 * Number of the syscall `name` on `arch` (default x86_64), as `strace -n` prints it: x32
 * numbers include X32_SYSCALL_BIT. Accepts kernel names, kernel entry-point names
 * (`newuname`), strace's spellings (`fstatat64` / `newfstatat`, `_llseek` / `llseek`),
 * `syscall_0x1b3` / `syscall_435`. `???` and unknown names give undefined.
 */
export function syscallNumber(name: string, arch: Arch = "x86_64"): number | undefined {
  if (name === "???" || name === "") return undefined;
  const unnamed = unnamedNumber(name);
  if (unnamed !== undefined || name.startsWith("syscall_")) return unnamed;
  if (arch === "x32") {
    const sixtyFour = x32SixtyFourForm(name);
    if (sixtyFour) return table("x32").byName.get(sixtyFour);
  }
  const found = lookup(name, arch);
  if (found !== undefined) return found;
  for (const alt of alternativeSpellings(name)) {
    const n = lookup(alt, arch);
    if (n !== undefined) return n;
  }
  return undefined;
}

/** i386 multiplexes the socket and SysV IPC calls through `socketcall` and `ipc`: strace names
 *  such a call after its subcall (`send`, `shmget`), while -n prints the multiplexer's number. */
const SUBCALLS: Partial<Record<Arch, Record<string, readonly string[]>>> = {
  i386: {
    socketcall: [
      "socket",
      "bind",
      "connect",
      "listen",
      "accept",
      "getsockname",
      "getpeername",
      "socketpair",
      "send",
      "recv",
      "sendto",
      "recvfrom",
      "shutdown",
      "setsockopt",
      "getsockopt",
      "sendmsg",
      "recvmsg",
      "accept4",
      "recvmmsg",
      "sendmmsg",
    ],
    ipc: ["semop", "semget", "semctl", "semtimedop", "msgsnd", "msgrcv", "msgget", "msgctl", "shmat", "shmdt", "shmget", "shmctl"],
  },
};

/** Number of the multiplexer (`socketcall`, `ipc`) whose subcall strace names `name` on `arch`, if any. */
export function multiplexerNumber(name: string, arch: Arch = "x86_64"): number | undefined {
  const groups = SUBCALLS[arch];
  if (!groups) return undefined;
  for (const mux of Object.keys(groups)) if (groups[mux]!.includes(name)) return lookup(mux, arch);
  return undefined;
}

/** The name strace prints for `nr` on `arch`; x32 numbers must carry X32_SYSCALL_BIT. */
export function syscallName(nr: number, arch: Arch = "x86_64"): string | undefined {
  if (!Number.isInteger(nr)) return undefined;
  const index = arch === "x32" ? nr - X32_SYSCALL_BIT : nr;
  if (index < 0) return undefined;
  return table(arch).byNumber[index];
}

/** All names of `arch` in number order. */
export function syscallNames(arch: Arch = "x86_64"): readonly string[] {
  return table(arch).names;
}

/**
 * The architecture strace announces with `[ Process PID=N runs in 32 bit mode. ]`: accepts the
 * whole line or just the mode text (`32 bit`, `x32`, `64 bit`).
 */
export function archForPersonality(mode: string): Arch | undefined {
  if (/\bx32\b/i.test(mode)) return "x32";
  if (/\b32[ -]?bit\b/i.test(mode)) return "i386";
  if (/\b64[ -]?bit\b/i.test(mode)) return "x86_64";
  return undefined;
}
