// Syscall knowledge: number/name tables per architecture, argument semantics and errno, all
// generated from one Linux kernel release (KERNEL_VERSION). Browser-safe.
export type { Arch } from "./syscalls.js";
export { KERNEL_VERSION, X32_SYSCALL_BIT, archForPersonality, multiplexerNumber, syscallName, syscallNames, syscallNumber } from "./syscalls.js";
export type { ArgKind, ArgSpec } from "./args.js";
export { syscallArgs } from "./args.js";
export type { ErrnoInfo } from "./errno.js";
export { errnoByName, errnoByNumber } from "./errno.js";
