// Generates schema/record.schema.json (JSON Schema draft 2020-12) for the records of
// src/model/record.ts. Every object is closed (additionalProperties: false) so that a field
// added to the code but not to the schema (or the other way round) fails test/schema.test.ts.
// Run: node scripts/gen-schema.mjs   (then commit schema/record.schema.json)

import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Major schema version: bump on any incompatible change; the $id carries it. */
export const SCHEMA_VERSION = 1;

const str = (description) => ({ type: "string", ...(description ? { description } : {}) });
const int = (description, extra = {}) => ({ type: "integer", ...extra, ...(description ? { description } : {}) });
const num = (description) => ({ type: "number", ...(description ? { description } : {}) });
const flag = (description) => ({ const: true, ...(description ? { description } : {}) });
const strArr = (description) => ({ type: "array", items: { type: "string" }, ...(description ? { description } : {}) });
const ref = (name) => ({ $ref: `#/$defs/${name}` });
const nodes = { type: "array", items: ref("ArgNode") };
/** Safe integer, or the exact decimal string of one beyond 2^53. */
const exactInt = (description) => ({
  description,
  type: ["integer", "string"],
  pattern: "^-?[0-9]+$",
});
/** `{ "3": ", " }`: keyed by the index of the item the text precedes. */
const sepMap = (description) => ({
  type: "object",
  description,
  propertyNames: { pattern: "^[0-9]+$" },
  additionalProperties: { type: "string" },
});

const closed = (description, required, properties) => ({
  type: "object",
  description,
  required,
  properties,
  additionalProperties: false,
});

// ---- ArgNode -------------------------------------------------------------------------------

const extras = {
  comment: str("`/* 35 vars */`, -X verbose's `/* AT_FDCWD */`: the comment text without delimiters."),
  commentRaw: str("The exact text between `/*` and `*/` when it is not ` comment ` (e.g. `/**/`)."),
  decor: str("-y/-yy decoration between `<` and `>` after an fd or AT_FDCWD: a path, `TCP:[...]`, `pid:123`."),
  deleted: flag("`(deleted)` printed after a decorated fd whose file was unlinked."),
  seps: sepMap("Containers: separators that are not the canonical one, by the index of the item they precede."),
};

const node = (kind, description, required, props) => closed(description, ["kind", ...required], { kind: { const: kind }, ...props, ...extras });

const nodeDefs = {
  IntNode: node("int", "Decimal, hex (`0x..`) or octal (`0644`) integer.", ["text", "value"], {
    text: str("The integer exactly as printed."),
    value: exactInt("The value: a number when it is a safe integer, else its exact decimal string."),
  }),
  StrNode: node("str", "A quoted C string.", ["value", "raw"], {
    value: str("Decoded (latin1 code points for \\ooo / \\xNN bytes)."),
    raw: str("The exact source text, quotes included."),
    truncated: flag('strace cut the string at -s: `"abc"...`.'),
    at: flag('Abstract unix socket name printed as `@"..."`.'),
  }),
  IdentNode: node("ident", "A symbolic constant or identifier: `NULL`, `AT_FDCWD`, `SIGCHLD`, `&sin6_addr`.", ["name"], {
    name: str(),
  }),
  FlagsNode: node("flags", "`O_RDONLY|O_CLOEXEC`: two or more items joined by `|`.", ["items"], { items: nodes }),
  SetNode: node("set", "Bit/signal set `[HUP TERM]`, `~[KILL STOP]`: space separated members.", ["items"], {
    items: nodes,
    negated: flag("`~[...]`."),
  }),
  ArrayNode: node("array", "`[a, b, c]`.", ["items"], { items: nodes }),
  StructNode: node("struct", "`{st_mode=S_IFREG|0644, st_size=3, ...}`: `field` nodes, positional members or `elided`.", ["fields"], {
    fields: nodes,
  }),
  FieldNode: node("field", "`key=value` inside a struct, or a strace 6.16+ named argument `dirfd=AT_FDCWD`.", ["name", "value"], {
    name: str(),
    value: ref("ArgNode"),
    sep: { const: ":", description: "strace 4.x wrote some fields `key:value`." },
  }),
  CallNode: node("call", 'Call-like macro: `makedev(0x1, 0x3)`, `htons(80)`, `inet_pton(AF_INET6, "::1", &sin6_addr)`.', ["name", "args"], {
    name: str(),
    args: nodes,
  }),
  ExprNode: node(
    "expr",
    "Operator expression: `WIFEXITED(s) && WEXITSTATUS(s) == 0`, `1<<20`; ops[i] stands between terms[i] and terms[i+1].",
    ["terms", "ops"],
    {
      terms: nodes,
      ops: strArr("Operators with their exact surrounding spaces."),
    },
  ),
  ChangeNode: node("change", "A value changed by the call: `[110 => 24]`. `from` is absent only on an unmerged `<... resumed>` half.", ["to"], {
    from: ref("ArgNode"),
    to: ref("ArgNode"),
    op: str("The arrow when it is not ` => ` (strace 4.x printed ` -> `)."),
  }),
  ElidedNode: node("elided", "`...`: strace elided the rest.", [], {}),
  CommentNode: node("comment", "A comment standing where a value would: `/* 10 entries */`.", ["text"], { text: str() }),
  FloatNode: node("float", "A decimal with a fraction.", ["text", "value"], { text: str(), value: num() }),
};

const argNode = {
  description: "A typed argument node; `kind` tells which.",
  type: "object",
  required: ["kind"],
  properties: { kind: { enum: Object.values(nodeDefs).map((d) => d.properties.kind.const) } },
  // if/then on the discriminator rather than oneOf: standard 2020-12, one branch checked per node
  // (fast, and errors name the right kind instead of every kind's failure).
  allOf: Object.entries(nodeDefs).map(([name, d]) => ({
    if: { properties: { kind: { const: d.properties.kind.const } } },
    then: ref(name),
  })),
};

// ---- Records -------------------------------------------------------------------------------

const lineFormat = closed("How the line was laid out; only what differs from strace's defaults is present.", [], {
  pidStyle: { enum: ["plain", "bracket", "none"], description: "Pid prefix style." },
  pidText: str("Exact pid prefix text when it differs from the canonical padding."),
  pad: int("Spaces between the closing parenthesis and `=`.", { minimum: 0 }),
  scno: str("-n syscall number field exactly as printed: `[ 257]`."),
  prefix: str("Exact text before the body when it differs from the canonical rendering."),
  seps: sepMap("Text between args that is not canonical `, `, by the index of the argument it precedes."),
  tail: str("The line ended with a separator after the last argument, e.g. `, `."),
  marker: str("The marker ending an unfinished half when it is not ` <unfinished ...>`."),
  echoes: {
    type: "array",
    description: "Program output printed into the argument list, after the argument with index `after`.",
    items: closed("One piece of program output inside the argument list.", ["after", "text"], { after: int(undefined, { minimum: -1 }), text: str() }),
  },
  inline: flag("A diagnostic whose text is already inside the record before it (rendering skips it)."),
  unterminated: flag("The record's line ended the input without a newline."),
  crlf: flag("The record's lines ended with a carriage return and a newline."),
  trailing: str("Spaces after the result (strace 4.x)."),
  markerThenResult: flag("The unfinished marker stood inside the parentheses and a result followed: `nanosleep(... <unfinished ...>) = ?`."),
  open: flag("Unmerged split call: cut at the end of its line."),
  cont: flag("Unmerged split call: continues a previous line."),
  glued: flag("Printed on the same line as the previous record."),
  order: {
    type: "array",
    items: { enum: ["errno", "aux", "unavailable", "comment", "duration"] },
    description: "Result trailers in printed order when not canonical.",
  },
  sgr: {
    type: "array",
    description: "strace 7.x --color: the ANSI SGR sequences taken out of the record's lines, one entry per line that had any.",
    items: closed("The sequences of one physical line.", ["line", "at", "seq"], {
      line: int("Lines from the record's `line` (0: its first).", { minimum: 0 }),
      at: {
        type: "array",
        items: { type: "integer", minimum: 0 },
        description: "UTF-8 byte offsets, ascending, in the line without its sequences: seq[i] stood before the byte at at[i].",
      },
      seq: { type: "array", items: { type: "string", pattern: "^\u001b\\[[0-9;]*m$" }, description: "The sequences as printed (`ESC [ params m`)." },
    }),
  },
});

const base = {
  pid: { type: ["integer", "null"], description: "Process id, null when the trace has none." },
  line: int("1-based input line of the record's first line.", { minimum: 1 }),
  endLine: int("Last input line of a record spanning several.", { minimum: 1 }),
  file: str("Source file, when parsing more than one."),
  time: num("Seconds: since the epoch (-ttt), since midnight (-t/-tt), or since the previous line (-r)."),
  timestamp: str("The timestamp exactly as printed."),
  relative: num("-t/-tt/-ttt together with -r: seconds since the previous line, printed `(+ 0.000243)`."),
  relativeText: str("`relative` exactly as printed, without `(+`, padding and `)`."),
  ip: str("-i instruction pointer as printed, without brackets."),
  comm: str("-Y: the process name printed after the pid."),
  fmt: ref("LineFormat"),
  schema: str("On the first record of each parse only: the $id of this schema (it carries the version)."),
};

const record = (type, description, required, props) => closed(description, ["type", "pid", "line", ...required], { type: { const: type }, ...base, ...props });

const summaryRow = closed("One row of a -c/-C summary table.", ["syscall", "percent", "seconds", "usecsPerCall", "calls", "errors"], {
  syscall: str(),
  percent: { type: ["number", "null"] },
  seconds: { type: ["number", "null"] },
  usecsPerCall: { type: ["number", "null"] },
  calls: int(undefined, { minimum: 0 }),
  errors: int(undefined, { minimum: 0 }),
  extra: { type: "object", additionalProperties: { type: "string" }, description: "Other columns by header name." },
});

const recordDefs = {
  SyscallRecord: record("syscall", "A system call.", ["name", "args", "ret", "errno"], {
    name: str(),
    nr: int("Syscall number for the call's architecture, when known (the printed one under -n).", { minimum: 0 }),
    arch: { enum: ["x86_64", "i386", "x32", "arm64"], description: "The call's personality when not the trace's default." },
    args: nodes,
    ret: { type: ["integer", "string", "null"], pattern: "^-?[0-9]+$", description: "Return value; decimal string beyond 2^53; null for `?`." },
    retText: str("Return value exactly as printed when not plain decimal."),
    retDecor: str("-y decoration of a returned fd."),
    retDeleted: flag("`(deleted)` printed after the returned fd's decoration (not yet in the TS type SyscallRecord)."),
    errno: { type: ["string", "null"], description: "`ENOENT`, or null when the call did not fail." },
    errmsg: str("The errno's message as strace printed it."),
    aux: strArr("Trailing `(...)` after the return value other than the errno message."),
    duration: num("-T, seconds."),
    durationText: str("-T exactly as printed, without `<` `>`."),
    unfinished: flag("The call began but never resumed before the trace ended."),
    resumed: flag("Only with merge:false: this record is a `<... NAME resumed>` half."),
    endTime: num("Merged records: time of the resumed half."),
    endTimestamp: str("Merged records: timestamp of the resumed half as printed."),
    resumedLine: int("Line of the `<... resumed>` half when merged.", { minimum: 1 }),
    resuming: str("restart_syscall's `<... resuming interrupted NAME ...>` text."),
    detached: flag("strace detached or the thread was replaced by execve before the call returned."),
    unavailable: flag("`<unavailable>` printed instead of a return value."),
    retComment: str("`/* ... */` after the return value."),
    retCommentRaw: str("The exact text between `/*` and `*/` after the return value when it is not ` retComment `."),
    truncated: flag("The call's line was cut off at the end of the input."),
    stack: strArr("-k stack frames, as printed after ` > `."),
    dump: strArr("-e read=/write= hex dump lines, as printed."),
  }),
  SignalRecord: record("signal", "`--- SIGCHLD {...} ---` or `--- stopped by SIGSTOP ---`.", ["signal"], {
    signal: str(),
    info: ref("ArgNode"),
    stopped: flag("`--- stopped by SIGSTOP ---`."),
    text: str("Free text of older straces' signal lines: `(Child exited) @ 0 (0)`."),
    stack: strArr("-k stack frames printed after the signal (where it was delivered)."),
    dump: strArr("Lines after the signal in the dump shape (rare)."),
  }),
  ExitRecord: record("exit", "`+++ exited with 0 +++`, `+++ killed by SIGKILL +++`, `+++ superseded by execve in pid N +++`.", ["how"], {
    how: { enum: ["exited", "killed", "superseded"] },
    code: int(),
    signal: str(),
    core: flag("`(core dumped)`."),
    byPid: int("For `superseded by execve in pid N`."),
    stack: strArr("Only with merge:false: -k frames printed after this line (they belong to exit_group)."),
    dump: strArr("Only with merge:false: dump lines printed after this line (they belong to exit_group)."),
  }),
  MessageRecord: record("message", "strace's own messages: attach, detach, personality switches, others.", ["kind", "text"], {
    kind: { enum: ["attached", "detached", "personality", "strace", "resuming"] },
    text: str(),
    mode: str("Personality switch: `32 bit`, `64 bit`, `x32`."),
  }),
  SummaryRecord: record("summary", "A -c/-C summary table.", ["columns", "rows", "text"], {
    mode: str("Personality the table is for."),
    columns: strArr(),
    rows: { type: "array", items: ref("SummaryRow") },
    total: ref("SummaryRow"),
    text: strArr("The table's text, line by line."),
  }),
  DiagnosticRecord: record("diagnostic", "A line that is not strace's output or could not be read.", ["code", "message", "column", "text"], {
    code: { type: "string", pattern: "^[a-z][a-z0-9-]*$", description: 'Stable machine-readable code (README "Bad input").' },
    message: str(),
    column: int(undefined, { minimum: 0 }),
    text: str("The offending line's text (cut to 4096 characters)."),
    textTruncated: flag("`text` was cut (not yet in the TS type DiagnosticRecord)."),
  }),
};

const schema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: `https://strace-seq.dev/schema/record/${SCHEMA_VERSION}.json`,
  title: "strace-seq record",
  description: `One strace-seq record (a JSON Lines line). Schema version ${SCHEMA_VERSION}; generated by scripts/gen-schema.mjs from src/model/record.ts.`,
  type: "object",
  required: ["type"],
  properties: { type: { enum: Object.values(recordDefs).map((d) => d.properties.type.const) } },
  allOf: Object.entries(recordDefs).map(([name, d]) => ({
    if: { properties: { type: { const: d.properties.type.const } } },
    then: ref(name),
  })),
  $defs: { ...recordDefs, LineFormat: lineFormat, SummaryRow: summaryRow, ArgNode: argNode, ...nodeDefs },
};

const out = fileURLToPath(new URL("../schema/record.schema.json", import.meta.url));
writeFileSync(out, JSON.stringify(schema, null, 2) + "\n");
console.log(`wrote ${out}`);
