// The one place the detection code maps syscall names to numbers and back, over the
// project's tables in src/knowledge/ (generated from one Linux release).

import * as tables from "../knowledge/index.js";
import type { Arch } from "../knowledge/index.js";

export type { Arch };

/** Syscall number of `name` on `arch`, or undefined when the table does not know it. */
export function numberOf(name: string, arch: Arch): number | undefined {
  return tables.syscallNumber(name, arch) ?? undefined;
}

/** Syscall name of number `nr` on `arch`, or undefined when the table does not know it. */
export function nameOf(nr: number, arch: Arch): string | undefined {
  return tables.syscallName(nr, arch) ?? undefined;
}
