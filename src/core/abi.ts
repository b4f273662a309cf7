// The table layout both scanners write and the materializer reads.
// Compiled by both tsc and asc (AssemblyScript), like the rest of src/core: integers and const enums only.
// Bump AbiVersion on any change; the WASM module reports the version it was built with.

export const ABI_VERSION: i32 = 10;

/** One row per physical input line, `LineField.Stride` Int32 cells. Offsets are chunk-relative. */
export const enum LineField {
  Start = 0,
  /** Offset of the line terminator (the `\n`, or the `\r` of `\r\n`). */
  End = 1,
  Kind = 2,
  /** First node of this line in the node table. */
  NodeStart = 3,
  /** One past the last node of this line. */
  NodeEnd = 4,
  /** ErrCode when the scanner could not read the whole line, else 0. */
  Err = 5,
  /** Chunk-relative offset where reading stopped (meaningful when Err != 0). */
  ErrAt = 6,
  /** Pid parsed from the prefix, -1 when none. */
  Pid = 7,
  Stride = 8,
}

/** One row per line of the optional argument-JSON table (src/core/json/args.ts): byte offsets into
 *  that table's bytes. Start is -1 when the line has no JSON there (not a call, or a shape the
 *  writer leaves to the host). */
export const enum ArgsJsonField {
  Start = 0,
  End = 1,
  /** End of the first argument's JSON. */
  FirstEnd = 2,
  /** Start of the last argument's JSON. */
  LastStart = 3,
  Stride = 4,
}

/** One record row (src/core/rows/): what counting consumers read of a record, made in the core
 *  from a line's nodes and merged there with its other half. Byte offsets; the f64 cells are
 *  8-aligned. Rows leave in record order (the order the records themselves would). */
export const enum RowField {
  /** RowKind in the low bits, RowFlag bits above. */
  Flags = 0,
  /** -1 for none (an unprefixed line without a default pid). */
  Pid = 4,
  /** Interned name id (rowsName* exports), -1 for none. */
  Name = 8,
  /** Interned errno id, -1 for none. */
  Errno = 12,
  /** f64 seconds of the line's timestamp (RowFlag.HasTime). */
  Time = 16,
  /** f64 seconds of the -T duration (RowFlag.HasDuration). */
  Duration = 24,
  /** f64 return value when it is a plain decimal; NaN when it is anything else or absent. */
  Ret = 32,
  /** Input line (1-based) of the record's first line. */
  Line = 40,
  /** With JSON (rowsReset's `json`): the record's JSON is two segments of the rows' JSON ring
   *  (rows/json-ring.ts), without its closing brace: the head, and the rest (the never-resumed
   *  ending of an unfinished call, or what its resumed half adds), each as offset and length. */
  JsonHead = 44,
  JsonHeadLength = 48,
  JsonRest = 52,
  JsonRestLength = 56,
  /** restart_syscall's `,"resuming":...` (from the unfinished half, between errno and nr), while
   *  the call is pending; with RowFlag.Attached, the segment of its -k frames or dump lines
   *  instead (rows/attach.ts: a pending call with a middle takes none). */
  JsonMiddle = 60,
  JsonMiddleLength = 64,
  /** While the call is pending: where its last argument starts in the head segment (-1 for
   *  none), which a resumed half's opening ` => x` takes as its `from`. With RowFlag.Merged: where
   *  the result keys start in the rest segment (after `nr`), which is where lines attached while
   *  the call was pending go (RowFlag.AttachedEarly). */
  JsonResultAt = 68,
  Bytes = 72,
}

/** What a record row stands for (RowField.Flags & RowFlag.KindMask). */
export const enum RowKind {
  Syscall = 1,
  Signal = 2,
  Exit = 3,
  Message = 4,
}

export const enum RowFlag {
  KindMask = 7,
  /** The row may leave the queue (a pending unfinished call may not, yet). */
  Ready = 8,
  /** It returned, with a value or an errno (what strace -c counts). */
  Returned = 16,
  HasTime = 32,
  HasDuration = 64,
  /** A `<... x resumed>` half whose start was never seen: a record of its own. */
  Resumed = 128,
  /** A clone call whose arguments carry CLONE_THREAD (a new thread, not a new process). */
  CloneThread = 256,
  /** With JSON: the head segment ends inside a non-empty argument array (a resumed half's
   *  arguments join it after a comma). */
  ArgsInHead = 512,
  /** Not a record: a diagnostic's place in the queue, or the place of a pending call the
   *  stitcher's hold-back cap released (the call comes later, at the end). Never given. */
  Skip = 1024,
  /** With JSON: the rest segment is a resumed half's, ending in `,"endLine":N` (json.ts). */
  Merged = 2048,
  /** With JSON: -k frames (or dump lines, with AttachedDump) follow the record; their segment is
   *  in the JsonMiddle cells (rows/attach.ts). */
  Attached = 4096,
  AttachedDump = 8192,
  /** With JSON: the attached lines began while the call was pending (their key then comes before
   *  the resumed half's result keys, as in mergeHalves). */
  AttachedEarly = 16384,
}

/** Why the core stopped making rows for this input (the host then reads it the full way). */
export const enum RowsAbort {
  None = 0,
  /** A line the row builder does not model: -c tables, split calls, program output, glued
   *  messages, a -n number, a detached or re-cut half, a scanner error. */
  LineShape = 1,
  /** Prefixed and unprefixed records mixed (the stitcher then guesses pids). */
  MixedPids = 2,
  /** Its fixed tables are full (names, pending calls, held records), or memory could not grow. */
  Capacity = 3,
  /** A number it does not read exactly (a duration of more than 15 digits, an odd pid). */
  Number = 4,
  /** With JSON: a record whose JSON the core does not write (rows/json.ts says which shapes it
   *  writes): a diagnostic, -k frames or dumps after a pending call or of both kinds, layout
   *  facts beyond pid style, separators, padding and prefix, arguments the argument writer leaves
   *  to the host. */
  Json = 5,
}

/** Node quads (lezer's TreeBuffer shape), preorder. `End` is the byte end; `Next` is the index
 *  one past this node's last descendant, so siblings are found without parent pointers. */
export const enum NodeField {
  Kind = 0,
  Start = 1,
  End = 2,
  Next = 3,
  Stride = 4,
}

/** What scanChunk writes for each line. */
export const enum ScanMode {
  /** Every node of every line. */
  Full = 0,
  /** Argument lists without their children where scan/shallow.ts can skip them (for consumers
   *  that read no arguments); everything else as Full writes it. */
  Shallow = 1,
  /** Shallow, and the common call lines as one RowLine entry each (for the row stage alone). */
  Rows = 2,
}

/** A line a row scan read straight into its record row's fields (scan/row-line.ts) is one
 *  NodeKind.RowLine entry of ROW_LINE_SLOTS node slots instead of a tree: the first slot is a
 *  node (kind, the name's span, next), the others hold the fields, at these byte offsets from
 *  the entry's start. Only scanChunk's `rows` mode writes them, for the row stage alone. */
export const enum RowLineField {
  /** i32: the errno name's span (-1, -1: none). */
  ErrnoStart = 16,
  ErrnoEnd = 20,
  /** i32: RowFlag bits (Returned, HasTime, HasDuration) and the RowLineBit bits. */
  Bits = 24,
  /** i32: the pid, -1 when the line has none. */
  Pid = 28,
  /** f64 each. */
  Time = 32,
  Duration = 40,
  Ret = 48,
}

/** Node slots of a RowLine entry (RowLineField's 56 bytes, rounded up to whole slots). */
export const ROW_LINE_SLOTS: i32 = 4;

/** RowLineField.Bits beyond the RowFlag ones. */
export const enum RowLineBit {
  Unfinished = 1 << 20,
  Resumed = 1 << 21,
}

/** What a physical line is. */
export const enum LineKind {
  /** Whitespace only, or empty. */
  Blank = 0,
  /** `name(args) = ret ...` complete on one line. */
  Call = 1,
  /** `name(args <unfinished ...>`. */
  Unfinished = 2,
  /** `<... name resumed>args) = ret`. */
  Resumed = 3,
  /** `--- SIGxxx {...} ---` or `--- stopped by SIGSTOP ---`. */
  Signal = 4,
  /** `+++ exited with N +++`, `+++ killed by SIG +++`, `+++ superseded by execve in pid N +++`. */
  Exit = 5,
  /** `strace: ...` messages, `[ Process PID=N runs in X mode. ]`, `<detached ...>`. */
  Message = 6,
  /** ` > frame` from -k. */
  Stack = 7,
  /** ` | 00000  xx xx ...  text |` from -e read=/write=, and its ` * N bytes in buffer M` headers. */
  Dump = 8,
  /** A line of a -c/-C summary table. */
  Summary = 9,
  /** A call whose line ends before the call does: split by interleaved output or a glued message. */
  Open = 10,
  /** The continuation of an Open call: `, child_tidptr=0x..) = 4060`, ` <unfinished ...>`. */
  Cont = 11,
  /** Not strace's output (program output in a stderr capture) or unreadable. */
  Foreign = 12,
}

/** Node kinds. Line-level parts first, then argument-tree kinds. */
export const enum NodeKind {
  // -- line prefix parts
  Pid = 1, // digits of the pid (`3723`, `[pid  3723]`, `3723<comm>`)
  PidBracket = 2, // the whole `[pid  N]` prefix span; child Pid
  Comm = 3, // -Y name inside `<...>` after the pid
  Time = 4, // timestamp text
  Ip = 5, // -i pointer text inside `[...]`
  Scno = 6, // -n number field inside `[...]` (may be `???` or padded)
  Relative = 7, // -t with -r: the seconds inside `(+ ...)`, without padding
  // -- call parts
  Name = 10, // syscall name
  Args = 11, // container: the argument list (start = after `(`, end = before `)` or where it stopped)
  Unfinished = 12, // ` <unfinished ...>` marker span
  ResumedHead = 13, // `<... name resumed>` span; child Name
  Resuming = 14, // `<... resuming interrupted clock_nanosleep ...>` text inside restart_syscall(...)
  Pad = 15, // the spaces between `)` and `=`
  Ret = 16, // return value text (`0`, `-1`, `0x7f..`, `?`)
  RetDecor = 17, // `<...>` after an fd return value (span inside the brackets)
  Errno = 18, // `ENOENT`
  ErrMsg = 19, // text inside the parentheses after the errno
  Aux = 20, // any other `(...)` after the return value (span inside the parentheses)
  Duration = 21, // -T text inside `<...>`
  Glued = 22, // a message or program output that begins mid-line: span to end of line
  Unavailable = 23, // `<unavailable>` return
  Lead = 24, // program output printed before the line's prefix (no newline ended it): from the line start
  // -- signal / exit / message parts
  Signal = 30, // signal name
  SigInfo = 31, // container holding the siginfo struct node
  Stopped = 32, // `stopped by` form
  ExitCode = 33,
  Killed = 34, // `killed by`; followed by Signal
  Core = 35, // `(core dumped)`
  Superseded = 36, // child Pid of the new leader
  MsgText = 37, // message text span
  Personality = 38, // `[ Process PID=N runs in MODE mode. ]`: span of MODE
  Detached = 39,
  Attached = 40,
  // -- argument tree
  Int = 50,
  Str = 51, // span includes the quotes (and a leading `@`)
  StrTrunc = 52, // like Str, followed by `...`: span includes the quotes, not the dots
  Ident = 53,
  Flags = 54, // container of items joined by `|`
  Set = 55, // `[A B]` container
  NegSet = 56, // `~[A B]` container
  Array = 57, // `[a, b]` container
  Struct = 58, // `{...}` container
  Field = 59, // span = key; one child: the value
  Call = 60, // span = name; children: args
  Expr = 61, // container: terms and Op nodes alternate
  Op = 62, // operator span including its surrounding spaces
  Change = 63, // two children: from, to; span of the ` => ` operator
  Elided = 64, // `...`
  Comment = 65, // span between `/*` and `*/` (spaces included); annotates the preceding sibling
  Decor = 66, // span inside `<>`; annotates the preceding sibling
  Deleted = 67, // `(deleted)`; annotates the preceding sibling
  Sep = 68, // a separator between args that is not the canonical `, `
  Float = 69, // decimal with a fraction (rare in args)
  // -- -c / -C summary table lines (LineKind.Summary): one top-level node per line
  SummaryTitle = 70, // `System call usage summary for MODE mode:` (whole line); child Personality: MODE
  SummaryRule = 71, // a `------ -----------` rule (whole line)
  SummaryHeader = 72, // the column header; children SummaryColumn
  SummaryColumn = 73, // one column name (`% time`, `seconds`, `usecs/call`, `calls`, `errors`, `syscall`, ...)
  SummaryRow = 74, // a syscall's row; children SummaryCell and one SummaryName, in line order
  SummaryTotal = 75, // the `total` row; children as SummaryRow
  SummaryCell = 76, // one number of a row (digits and dots), right-aligned under its column
  SummaryName = 77, // the row's syscall name, or `total`
  // -- scanChunk's rows mode
  RowLine = 80, // a line read into its row's fields (RowLineField); span = the call's name
}

/** Why the scanner stopped early on a line. */
export const enum ErrCode {
  None = 0,
  UnterminatedString = 1,
  Unbalanced = 2,
  Unexpected = 3,
  TooDeep = 4,
  Capacity = 5,
  NotStrace = 6,
  BadReturn = 7,
}

/** Nesting deeper than this is reported (ErrCode.TooDeep) instead of recursing further. */
export const MAX_DEPTH: i32 = 512;
