// Spellings strace (or another architecture's table) uses for the same system call.
// Hand-kept because no kernel file records them; each group is checked against the generated
// tables by test/knowledge.test.ts. The generated ENTRY_ALIASES already cover kernel entry-point
// names (sys_newuname -> uname, sys_llseek -> _llseek), so only cross-table pairs live here.
const GROUPS: readonly (readonly string[])[] = [
  ["newfstatat", "fstatat64", "fstatat"],
  ["pread64", "pread"],
  ["pwrite64", "pwrite"],
  ["prlimit64", "prlimit"],
  ["fadvise64", "fadvise64_64", "fadvise"],
  ["sendfile", "sendfile64"],
  ["umount2", "umount"],
  ["_llseek", "llseek"],
  ["_newselect", "newselect"],
  ["getrlimit", "ugetrlimit"],
  ["sync_file_range", "sync_file_range2"],
];

const byName = new Map<string, readonly string[]>();
for (const group of GROUPS) for (const name of group) byName.set(name, group);

/** Other spellings of `name`, most common first, not including `name` itself. */
export function alternativeSpellings(name: string): readonly string[] {
  return (byName.get(name) ?? []).filter((n) => n !== name);
}

/**
 * strace names the x86_64-only numbers an x32 process may still issue `rt_sigaction#64`
 * (older releases: `64:rt_sigaction`). Returns the `#64` form, or undefined if not that shape.
 */
export function x32SixtyFourForm(name: string): string | undefined {
  if (name.startsWith("64:")) return `${name.slice(3)}#64`;
  if (name.endsWith("#64")) return name;
  return undefined;
}
