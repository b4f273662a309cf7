// The one record schema every engine, output format and consumer shares.
// JSON Lines output is exactly these objects; schema/record.schema.json describes them.
// Optional fields are omitted (not null) when they do not apply, so a record stays small.

/** The JSON Schema this module's records follow (schema/record.schema.json); its last path
 *  segment is the major version. The first record of every parse carries it as `schema`. */
export const SCHEMA_ID = "https://strace-seq.dev/schema/record/1.json";

/** A typed argument node. Every argument of every call becomes one of these. */
export type ArgNode =
  | IntNode
  | StrNode
  | IdentNode
  | FlagsNode
  | SetNode
  | ArrayNode
  | StructNode
  | FieldNode
  | CallNode
  | ExprNode
  | ChangeNode
  | ElidedNode
  | CommentNode
  | FloatNode;

/** Properties any node may carry, for strace's decorations around a value. */
export interface NodeExtras {
  /** `/* 35 vars *\/`, `-X verbose`'s `/* AT_FDCWD *\/`: the comment text without delimiters. */
  comment?: string;
  /** The exact text between `/*` and `*\/` when it is not ` comment ` (e.g. `/**\/`). */
  commentRaw?: string;
  /** `-y`/`-yy` decoration between `<` and `>` after an fd or AT_FDCWD: a path, `TCP:[...]`, `pid:123`. */
  decor?: string;
  /** `(deleted)` printed after a decorated fd whose file was unlinked. */
  deleted?: true;
  /** Containers: separators that are not the canonical one, by the index of the item they precede. */
  seps?: Record<string, string>;
}

/** Decimal, hex (`0x..`) or octal (`0644`) integer. `value` is a number when exact, else a decimal string. */
export interface IntNode extends NodeExtras {
  kind: "int";
  /** The integer exactly as printed. */
  text: string;
  /** The value: a number when a double holds it exactly, else its decimal digits. */
  value: number | string;
}

/** A quoted C string: `value` decoded (latin1 code points for \ooo / \xNN bytes), `raw` the exact source. */
export interface StrNode extends NodeExtras {
  kind: "str";
  /** The decoded string. */
  value: string;
  /** The string exactly as printed, quotes and escapes included. */
  raw: string;
  /** strace cut the string at -s: `"abc"...`. */
  truncated?: true;
  /** abstract unix socket names print as `@"..."`. */
  at?: true;
}

/** A symbolic constant or identifier: `NULL`, `AT_FDCWD`, `SIGCHLD`, `&sin6_addr`. */
export interface IdentNode extends NodeExtras {
  kind: "ident";
  /** The identifier as printed. */
  name: string;
}

/** `O_RDONLY|O_CLOEXEC`: two or more items joined by `|`. */
export interface FlagsNode extends NodeExtras {
  kind: "flags";
  /** The items between the `|` signs. */
  items: ArgNode[];
}

/** Bit/signal set `[HUP TERM]`, `~[KILL STOP]`: space separated members. */
export interface SetNode extends NodeExtras {
  kind: "set";
  /** The members, in printed order. */
  items: ArgNode[];
  /** Printed with a leading `~` (every signal but these). */
  negated?: true;
}

/** `[a, b, c]`. */
export interface ArrayNode extends NodeExtras {
  kind: "array";
  /** The elements, in printed order. */
  items: ArgNode[];
}

/** `{st_mode=S_IFREG|0644, st_size=3, ...}`: fields are `field` nodes, positional members, or `elided`. */
export interface StructNode extends NodeExtras {
  kind: "struct";
  /** The members, in printed order. */
  fields: ArgNode[];
}

/** `key=value` inside a struct, or a strace 6.16+ named argument `dirfd=AT_FDCWD`. */
export interface FieldNode extends NodeExtras {
  kind: "field";
  /** The field's name. */
  name: string;
  /** The field's value. */
  value: ArgNode;
  /** strace 4.x wrote some fields `key:value`. */
  sep?: ":";
}

/** Call-like macro: `makedev(0x1, 0x3)`, `htons(80)`, `inet_pton(AF_INET6, "::1", &sin6_addr)`. */
export interface CallNode extends NodeExtras {
  kind: "call";
  /** The macro's name. */
  name: string;
  /** The macro's arguments. */
  args: ArgNode[];
}

/** Operator expressions strace prints: `WIFEXITED(s) && WEXITSTATUS(s) == 0`, `1<<20`, `a ? b : c`.
 *  `ops[i]` (with its exact surrounding spaces) stands between `terms[i]` and `terms[i+1]`. */
export interface ExprNode extends NodeExtras {
  kind: "expr";
  /** The operands, left to right. */
  terms: ArgNode[];
  /** The operators between them, with their exact surrounding spaces. */
  ops: string[];
}

/** A value changed by the call: `[110 => 24]`, clone3's `{...} => {parent_tid=[42]}`.
 *  `from` is absent only on an unmerged `<... resumed>` half whose old value was printed on the other half. */
export interface ChangeNode extends NodeExtras {
  kind: "change";
  /** The value before the call. */
  from?: ArgNode;
  /** The value after it. */
  to: ArgNode;
  /** The arrow when it is not ` => ` (strace 4.x printed ` -> `). */
  op?: string;
}

/** A comment standing where a value would: legacy `getdents(3, /* 10 entries *\/, 4096)`, `/* bytes 16..23 *\/ "..."`. */
export interface CommentNode extends NodeExtras {
  kind: "comment";
  /** The comment's text without its delimiters. */
  text: string;
}

/** A decimal with a fraction. */
export interface FloatNode extends NodeExtras {
  kind: "float";
  /** The number exactly as printed. */
  text: string;
  /** Its value. */
  value: number;
}

/** `...`: strace elided the rest (struct fields, array members, arguments). */
export interface ElidedNode extends NodeExtras {
  kind: "elided";
}

/** What a record is: the `type` field of every TraceRecord. */
export type RecordType = "syscall" | "signal" | "exit" | "message" | "summary" | "diagnostic";

/** Fields every record has (line numbers are 1-based, of the record's first input line). */
export interface RecordBase {
  /** What the record is, and so which interface it is. */
  type: RecordType;
  /** The process (or thread) id, or null when the line printed none (single-process traces). */
  pid: number | null;
  /** 1-based input line the record starts on. */
  line: number;
  /** Last input line of a record spanning several (stack frames, hex dumps, split or merged calls). */
  endLine?: number;
  /** Source file, when parsing more than one. */
  file?: string;
  /** Seconds: since the epoch (-ttt), since midnight (-t/-tt), or since the previous line (-r). */
  time?: number;
  /** The timestamp exactly as printed (keeps nanosecond digits a double would lose). */
  timestamp?: string;
  /** -t/-tt/-ttt together with -r: seconds since the previous line, printed `(+ 0.000243)`. */
  relative?: number;
  /** `relative` exactly as printed, without `(+`, its padding and `)`. */
  relativeText?: string;
  /** `-i` instruction pointer as printed, without brackets. */
  ip?: string;
  /** `-Y`: the process name printed after the pid. */
  comm?: string;
  /** Formatting facts that the typed fields do not carry, so `render` can reproduce the line exactly. */
  fmt?: LineFormat;
  /** On the first record of each parse only: the schema's $id (SCHEMA_ID), which carries its version. */
  schema?: string;
}

/** How the line was laid out; only what differs from strace's defaults is present. */
export interface LineFormat {
  /** Pid prefix style: `3723  ` (plain), `[pid  3723] ` (bracket), none for -ff files and single-process runs. */
  pidStyle?: "plain" | "bracket" | "none";
  /** Exact pid prefix text when it differs from the canonical padding. */
  pidText?: string;
  /** Spaces between the closing parenthesis and `=` (strace pads to column 40 by default). */
  pad?: number;
  /** `-n` syscall number field exactly as printed: `[ 257]`. */
  scno?: string;
  /** Exact text before the body when it differs from the canonical rendering of pid/time/ip/scno. */
  prefix?: string;
  /** Text between args that is not canonical `, ` (keyed by the index of the argument it precedes). */
  seps?: Record<string, string>;
  /** The line ended with a separator after the last argument (before ` <unfinished ...>` or a cut), e.g. `, `. */
  tail?: string;
  /** The marker ending an unfinished half when it is not ` <unfinished ...>` (`<detached ...>`, `<pid changed to N ...>`). */
  marker?: string;
  /** Program output printed into the argument list, after the argument with index `after`. */
  echoes?: { after: number; text: string }[];
  /** A diagnostic whose text is already inside the record before it (rendering skips it). */
  inline?: true;
  /** The record's line ended the input without a newline. */
  unterminated?: true;
  /** The record's lines ended with `\r\n`. */
  crlf?: true;
  /** Spaces after the result (strace 4.x). */
  trailing?: string;
  /** The unfinished marker stood inside the parentheses and a result followed: `nanosleep(... <unfinished ...>) = ?`. */
  markerThenResult?: true;
  /** Unmerged pieces of a call split across lines: `open` is cut at the end of its line, `cont` continues one. */
  open?: true;
  /** See `open`: this line continues a cut call. */
  cont?: true;
  /** This record was printed on the same line as the previous record (a message glued into a call). */
  glued?: true;
  /** The result trailers in printed order when not the canonical errno, aux, comment, duration order. */
  order?: string[];
  /** strace 7.x `--color`: the ANSI SGR sequences taken out of the record's lines, per line:
   *  `line` counts from the record's `line`; `seq[i]` stood before the byte at UTF-8 offset
   *  `at[i]` of that line without its sequences. */
  sgr?: { line: number; at: number[]; seq: string[] }[];
}

/** A system call: one line, or the merged halves or parts of one. */
export interface SyscallRecord extends RecordBase {
  type: "syscall";
  /** The syscall's name as printed (`openat`). */
  name: string;
  /** Syscall number for the trace's architecture, when known (the printed one under -n). */
  nr?: number;
  /** The call's personality when it is not the trace's default (`i386` calls of a 64-bit trace). */
  arch?: "x86_64" | "i386" | "x32" | "arm64";
  /** The arguments, typed (empty for lean records' unrequested calls, and with `argsJson`). */
  args: ArgNode[];
  /** Return value: number, decimal string beyond 2^53, or null for `?`. */
  ret: number | string | null;
  /** Return value exactly as printed when it is not plain decimal (`0x7f..`, `?`). */
  retText?: string;
  /** `-y` decoration of a returned fd: `3</etc/passwd>`. */
  retDecor?: string;
  /** `(deleted)` after the returned fd's decoration. */
  retDeleted?: true;
  /** The errno name of a failed call (`ENOENT`; `errno 4000` for a number strace has no name
   *  for, printed `(errno 4000)`), else null. */
  errno: string | null;
  /** The errno's message as strace printed it: `No such file or directory`. */
  errmsg?: string;
  /** Trailing `(...)` after the return value other than the errno message: `Timeout`, `left {...}`, `INJECTED`. */
  aux?: string[];
  /** -T, seconds. */
  duration?: number;
  /** -T exactly as printed, without `<` `>`. */
  durationText?: string;
  /** The call began (`<unfinished ...>`) but never resumed before the trace ended. */
  unfinished?: true;
  /** Only with --no-merge: this record is a `<... NAME resumed>` half. */
  resumed?: true;
  /** Merged records: timestamp of the resumed half. */
  endTime?: number;
  /** Merged records: the resumed half's timestamp exactly as printed. */
  endTimestamp?: string;
  /** Line of the `<... resumed>` half when merged. */
  resumedLine?: number;
  /** `restart_syscall(<... resuming interrupted NAME ...>)`: the text inside the angle brackets. */
  resuming?: string;
  /** strace detached (`<detached ...>`) or the thread was replaced by execve (`<pid changed to N ...>`) before the call returned. */
  detached?: true;
  /** `<unavailable>` printed instead of a return value. */
  unavailable?: true;
  /** `/* ... *\/` after the return value, e.g. `--decode-pids=pidns`'s `/* 4592 in strace's PID NS *\/`. */
  retComment?: string;
  /** The exact text between `/*` and `*\/` after the return value when it is not ` retComment `. */
  retCommentRaw?: string;
  /** The call's line was cut off at the end of the input. */
  truncated?: true;
  /** -k stack frames, as printed after ` > `. */
  stack?: string[];
  /** -e read=/write= hex dump lines, as printed. */
  dump?: string[];
}

/** A delivered or stopping signal: `--- SIGCHLD {...} ---`. */
export interface SignalRecord extends RecordBase {
  type: "signal";
  /** `SIGCHLD`; for `--- stopped by SIGSTOP ---` the stopping signal. */
  signal: string;
  /** siginfo fields `{si_signo=..., ...}` as a struct node, when printed. */
  info?: ArgNode;
  /** `--- stopped by SIGSTOP ---`. */
  stopped?: true;
  /** Free text of older straces' signal lines: `(Child exited) @ 0 (0)`. */
  text?: string;
  /** -k stack frames printed after the signal (where it was delivered). */
  stack?: string[];
  /** Lines after the signal in the dump shape (rare). */
  dump?: string[];
}

/** The end of a process: `+++ exited with 0 +++`, `+++ killed by SIGKILL +++`. */
export interface ExitRecord extends RecordBase {
  type: "exit";
  /** `exited` with a code, `killed` by a signal, or `superseded` by execve in another thread. */
  how: "exited" | "killed" | "superseded";
  /** The exit status, for `exited`. */
  code?: number;
  /** The killing signal, for `killed`. */
  signal?: string;
  /** `(core dumped)` followed the signal. */
  core?: true;
  /** For `superseded by execve in pid N`. */
  byPid?: number;
  /** Only with --no-merge: -k frames / dump lines printed after this line (they belong to exit_group). */
  stack?: string[];
  /** Only with --no-merge: hex dump lines printed after this line. */
  dump?: string[];
}

/** A line strace writes about tracing itself: `strace: Process 42 attached`, a personality switch. */
export interface MessageRecord extends RecordBase {
  type: "message";
  /** attach / detach / personality / other strace messages. */
  kind: "attached" | "detached" | "personality" | "strace" | "resuming";
  /** The message exactly as printed (without the pid prefix). */
  text: string;
  /** personality switch: `32 bit`, `64 bit`, `x32`. */
  mode?: string;
}

/** One row of a -c/-C table (or its `total` row). */
export interface SummaryRow {
  /** The syscall's name (`total` for the total row). */
  syscall: string;
  /** `% time`, when the table has it. */
  percent: number | null;
  /** Total seconds spent in the call, when the table has them. */
  seconds: number | null;
  /** Microseconds per call, when the table has them. */
  usecsPerCall: number | null;
  /** How many calls. */
  calls: number;
  /** How many of them failed (0 when the column is blank). */
  errors: number;
  /** strace -w / --summary-columns variants keep any other columns by header name. */
  extra?: Record<string, string>;
}

/** A -c/-C summary table, one per personality. */
export interface SummaryRecord extends RecordBase {
  type: "summary";
  /** Personality the table is for (`64 bit` when strace printed no heading). */
  mode?: string;
  /** The header's column names, in printed order (`% time`, `seconds`, ...). */
  columns: string[];
  /** The rows, without `total`. */
  rows: SummaryRow[];
  /** The `total` row, when printed. */
  total?: SummaryRow;
  /** The table's text, line by line, for exact rendering. */
  text: string[];
}

/** A line that is not strace output or could not be read (README "Bad input"). */
export interface DiagnosticRecord extends RecordBase {
  type: "diagnostic";
  /** Stable machine-readable code, see README "Bad input". */
  code: string;
  /** What went wrong, for people. */
  message: string;
  /** 1-based column where reading failed (1 when the whole line is at fault). */
  column: number;
  /** The offending line's text (possibly cut to a reasonable length). */
  text: string;
}

/** Any record a parse yields, told apart by `type`. */
export type TraceRecord = SyscallRecord | SignalRecord | ExitRecord | MessageRecord | SummaryRecord | DiagnosticRecord;
