// errno name <-> number <-> message, generated from the kernel's errno headers.
import { ERRNOS, ERRNO_ALIASES } from "./generated/syscalls.js";

/** An errno: name, number and message. */
export interface ErrnoInfo {
  /** `ENOENT`. */
  name: string;
  /** Its number on Linux. */
  number: number;
  /** glibc strerror text; strace's own text for ERESTARTSYS & co. (what `= ? ERESTARTSYS (...)` shows). */
  message: string;
}

let byName: Map<string, ErrnoInfo> | undefined;
let byNumber: Map<number, ErrnoInfo> | undefined;

function build(): void {
  byName = new Map();
  byNumber = new Map();
  for (const [name, number, message] of ERRNOS) {
    const info = Object.freeze({ name, number, message });
    byName.set(name, info);
    // First definition wins: EAGAIN (not EWOULDBLOCK) is what strace prints for 11.
    if (!byNumber.has(number)) byNumber.set(number, info);
  }
  for (const [alias, target] of Object.entries(ERRNO_ALIASES)) {
    const t = byName.get(target);
    if (t && !byName.has(alias)) byName.set(alias, Object.freeze({ ...t, name: alias }));
  }
}

/** `ENOENT`, also aliases (`EWOULDBLOCK`, `EDEADLOCK`), which keep their own name. */
export function errnoByName(name: string): ErrnoInfo | undefined {
  if (!byName) build();
  return byName!.get(name);
}

/** The canonical errno for a positive number (`2` -> ENOENT); negative kernel returns are negated. */
export function errnoByNumber(n: number): ErrnoInfo | undefined {
  if (!byNumber) build();
  return byNumber!.get(Math.abs(n));
}
