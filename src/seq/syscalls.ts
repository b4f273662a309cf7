// The one place the detection code maps syscall names to numbers and back.
// The project's tables live in src/knowledge/ (being written in parallel); until they land this
// returns undefined for everything, and switching over is the import below.

export type Arch = "x86_64" | "i386" | "x32" | "arm64";

type Tables = {
  syscallNumber(name: string, arch?: Arch): number | undefined;
  syscallName(nr: number, arch?: Arch): string | undefined;
};

const tables: Tables = {
  syscallNumber: () => undefined,
  syscallName: () => undefined,
};

/** Syscall number of `name` on `arch`, or undefined when the table does not know it. */
export function numberOf(name: string, arch: Arch): number | undefined {
  return tables.syscallNumber(name, arch) ?? undefined;
}

/** Syscall name of number `nr` on `arch`, or undefined when the table does not know it. */
export function nameOf(nr: number, arch: Arch): string | undefined {
  return tables.syscallName(nr, arch) ?? undefined;
}
