// strace's command line for a live trace, from options named the way strace users know them.

/** What to ask strace for. Every field has strace's own meaning. */
export interface StraceOptions {
  /** `-f`: follow forks and threads. Default true. */
  follow?: boolean;
  /** `-ttt -T`: absolute timestamps and call durations. Default true. */
  timestamps?: boolean;
  /** `-e EXPR` qualifiers, as given: `trace=openat,read`, `signal=none`, `status=failed`, ... */
  expressions?: string[];
  /** `-s N`: longest string printed. */
  stringLimit?: number;
  /** `-y` (1) or `-yy` (2): paths (and socket details) of file descriptors. */
  decodeFds?: 0 | 1 | 2;
  /** `--seccomp-bpf`: true forces it, false never; default: on when a `trace=` filter is given,
   *  -f is on and no process is attached (strace refuses it with -p). */
  seccompBpf?: boolean;
  /** More strace options, passed as they are (before the command). */
  straceArgs?: string[];
}

/** A `trace=` filter that selects calls (so the seccomp filter can let the others run untraced). */
function hasTraceFilter(expressions: readonly string[]): boolean {
  return expressions.some((e) => /^(t|trace)=/.test(e) && !/^(t|trace)=(all|%?all)$/.test(e));
}

/** strace's arguments up to (not including) the command or the `-p` list. */
export function straceArgv(opts: StraceOptions, output: string, attaching: boolean): string[] {
  const argv: string[] = [];
  if (opts.follow ?? true) argv.push("-f");
  if (opts.timestamps ?? true) argv.push("-ttt", "-T");
  if (opts.stringLimit !== undefined) argv.push("-s", String(opts.stringLimit));
  if (opts.decodeFds === 1) argv.push("-y");
  else if (opts.decodeFds === 2) argv.push("-yy");
  const expressions = opts.expressions ?? [];
  for (const e of expressions) argv.push("-e", e);
  const seccomp = opts.seccompBpf ?? (hasTraceFilter(expressions) && (opts.follow ?? true) && !attaching);
  if (seccomp) argv.push("--seccomp-bpf");
  argv.push(...(opts.straceArgs ?? []));
  argv.push("-o", output);
  return argv;
}

/** Whether strace prints lines that belong to the call before them: `-k` stack frames, or hex
 *  dumps of `-e read=` / `-e write=` (and their long spellings). */
export function hasTrailingLines(opts: StraceOptions): boolean {
  const exprs = [...(opts.expressions ?? []), ...(opts.straceArgs ?? [])];
  return exprs.some((a) => /^(-k|--stack-trace(=.*)?|--read-descs(=.*)?|--write-descs(=.*)?)$/.test(a) || /^(-e)?(r|read|w|write)=/.test(a));
}
