// A record row's JSON, written from its line's nodes and bytes: exactly what JSON.stringify gives
// for the record the host's full reading makes of the same line (src/model/lines.ts buildLine,
// then the stitcher's merge in src/model/stitch/combine.ts and the numbering), key order
// included. It writes the common shapes: calls (whole, or an unfinished half and what its resumed
// half adds), signals, exits and attach/detach messages, with a pid and -t/-tt/-ttt prefix; of
// the layout facts (`fmt`) the pid style, separators, padding and a non-canonical prefix. Any other
// shape is refused (the rows then stop, RowsAbort.Json, and the host reads on from their last
// quiet point), so the output is the host's by construction; the corpus and the fuzzer check it.
//
// A record is written in parts, each without the closing brace (json-ring.ts adds it, and the
// schema on the first record): a whole line's record; or an unfinished call's head (up to inside
// its argument array), its ending if it is never resumed, and what its resumed half adds.

import { LineKind, NodeKind } from "../abi.js";
import { Char } from "../bytes.js";
import { canonicalSep, putArg, skipped } from "../json/args.js";
import { putSeconds } from "../json/numbers.js";
import { output, put, putIntValue, putJsonString, putLit, putSmallDecimal } from "../json/out.js";
import { copyBytes } from "../mem.js";
import { nodeEnd, nodeKind, nodeNext, nodeStart } from "../nodes.js";
import { byteAt } from "../regions.js";
import { Cell, cell, HostText, hostTextAddr } from "./layout.js";
import { line } from "./line.js";
import { nameNr } from "./names.js";

/** Which part of a record to write (see the top of the file). */
export const enum Part {
  Whole = 0,
  Head = 1,
  /** An unfinished call's ending when no resumed half completes it. */
  Unresumed = 2,
  /** What a resumed half adds to the pending call it completes. */
  Resumed = 3,
  /** restart_syscall's `,"resuming":...` of an unfinished call (kept for its resumed part). */
  Middle = 4,
}

/** strace's default column for ` = ` (render.ts ALIGN_COLUMN). */
const ALIGN_COLUMN: i32 = 40;

/** Where the line's parts are (node indices, -1 for none; fields of one object: see scan/cursor.ts). */
namespace shape {
  export let pidNode: i32 = -1;
  export let bracket: bool = false;
  export let comm: i32 = -1;
  export let time: i32 = -1;
  export let ip: i32 = -1;
  export let scno: i32 = -1;
  /** First node after the prefix, and the byte where the body starts. */
  export let body: i32 = 0;
  export let bodyStart: i32 = 0;
  export let canonicalPrefix: bool = true;
  export let name: i32 = -1;
  export let args: i32 = -1;
  export let pad: i32 = -1;
  export let ret: i32 = -1;
  export let retDecor: i32 = -1;
  export let errno: i32 = -1;
  export let errmsg: i32 = -1;
  export let aux: i32 = -1;
  export let duration: i32 = -1;
  /** Whether the head part wrote any argument. */
  export let argsWritten: bool = false;
  /** The line's parts were found (an unfinished call's head and endings reuse them), and whether
   *  they are all written here. */
  export let known: bool = false;
  export let writable: bool = false;
}

/** A new line is in `line`: its parts are found again at the next putRecordPart. */
export function forgetShape(): void {
  shape.known = false;
}

/**
 * Writes `part` of the record of the line in `line` (read by readLine) at the output cursor. A
 * Resumed part is told whether the head holds arguments and where the head's Middle part is (its
 * address and length, 0 for none). False when the record has a shape not written here (the bytes
 * written are then meaningless).
 */
export function putRecordPart(part: i32, argsInHead: bool, middleAt: usize, middleLength: i32): bool {
  output.unsupported = false;
  const k = line.kind;
  const call = k != LineKind.Signal && k != LineKind.Exit && k != LineKind.Message;
  if (!shape.known) {
    shape.known = true;
    shape.writable = readPrefix() && (!call || readCall());
  }
  if (!shape.writable) return false;
  if (part != Part.Unresumed && part != Part.Middle) shape.argsWritten = false;
  if (k == LineKind.Signal) putSignal();
  else if (k == LineKind.Exit) putExit();
  else if (k == LineKind.Message) putMessage();
  else if (part == Part.Resumed) putResumedPart(argsInHead, middleAt, middleLength);
  else if (part == Part.Middle) putResuming();
  else putCallPart(part);
  return !output.unsupported;
}

/** Whether the last head part wrote arguments. */
export function headHasArgs(): bool {
  return shape.argsWritten;
}

function refuse(): void {
  output.unsupported = true;
}

// ---- the prefix: pid and timestamp

function readPrefix(): bool {
  shape.pidNode = -1;
  shape.bracket = false;
  shape.comm = -1;
  shape.time = -1;
  shape.ip = -1;
  shape.scno = -1;
  shape.args = -1;
  shape.pad = -1;
  let prefixEnd = line.start;
  let i = line.first;
  while (i < line.last) {
    const k = nodeKind(i);
    if (k == NodeKind.PidBracket) {
      shape.pidNode = i + 1;
      shape.bracket = true;
      // -Y's process name inside the brackets
      if (nodeNext(i) > i + 2 && nodeKind(i + 2) == NodeKind.Comm) shape.comm = i + 2;
      prefixEnd = nodeEnd(i);
    } else if (k == NodeKind.Pid) {
      shape.pidNode = i;
      prefixEnd = nodeEnd(i);
    } else if (k == NodeKind.Comm) {
      shape.comm = i;
      prefixEnd = nodeEnd(i) + 1; // `>`
    } else if (k == NodeKind.Time) {
      shape.time = i;
      prefixEnd = nodeEnd(i);
    } else if (k == NodeKind.Ip || k == NodeKind.Scno) {
      if (k == NodeKind.Ip) shape.ip = i;
      else shape.scno = i;
      prefixEnd = nodeEnd(i) + 1; // `]`
    } else if (k == NodeKind.Lead || (k >= NodeKind.Pid && k <= NodeKind.Relative)) {
      return false; // program output before the prefix, -r with -t
    } else break;
    i = nodeNext(i);
  }
  shape.body = i;
  let b = prefixEnd;
  while (b < line.end && byteAt(b) == Char.SP) b++;
  shape.bodyStart = b;
  // strace's own messages render with no prefix at all (render.ts renderPrefix)
  shape.canonicalPrefix = line.kind == LineKind.Message ? b == line.start : prefixIsCanonical();
  return true;
}

/** Whether the prefix is what render.ts renderPrefix writes for the record (else `fmt.prefix`). */
function prefixIsCanonical(): bool {
  let p = line.start;
  const body = shape.bodyStart;
  if (shape.pidNode >= 0) {
    const s = nodeStart(shape.pidNode);
    const e = nodeEnd(shape.pidNode);
    const n = e - s;
    if (n > 1 && byteAt(s) == Char.DIGIT_0) return false; // String(pid) has no leading zeros
    if (shape.bracket) {
      // `[pid %5d] `, or `[pid %5d<comm>] `
      if (!isPidWord(p)) return false;
      p += 5;
      for (let k = n; k < 5; k++) if (p >= body || byteAt(p++) != Char.SP) return false;
      if (p != s) return false;
      p = e;
      if (shape.comm >= 0) {
        if (byteAt(p) != Char.LT || p + 1 != nodeStart(shape.comm)) return false;
        p = nodeEnd(shape.comm);
        if (byteAt(p++) != Char.GT) return false;
      }
      if (byteAt(p) != Char.RBRACK || byteAt(p + 1) != Char.SP) return false;
      p += 2;
    } else if (shape.comm >= 0) {
      // `%d<comm> `
      if (p != s) return false;
      p = e;
      if (byteAt(p) != Char.LT || p + 1 != nodeStart(shape.comm)) return false;
      p = nodeEnd(shape.comm);
      if (byteAt(p) != Char.GT || byteAt(p + 1) != Char.SP) return false;
      p += 2;
    } else {
      // `%-5d `
      if (p != s) return false;
      p = e;
      const spaces = (n < 5 ? 5 - n : 0) + 1;
      for (let k = 0; k < spaces; k++) if (p >= body || byteAt(p++) != Char.SP) return false;
    }
  }
  if (shape.time >= 0) {
    const s = nodeStart(shape.time);
    const e = nodeEnd(shape.time);
    let colon = false;
    let intEnd = e;
    for (let q = s; q < e; q++) {
      const c = byteAt(q);
      if (c == Char.COLON) colon = true;
      else if (c == Char.DOT && intEnd == e) intEnd = q;
    }
    // -r and -ttt print the whole seconds right-aligned in six columns
    if (!colon) for (let k = intEnd - s; k < 6; k++) if (p >= body || byteAt(p++) != Char.SP) return false;
    if (p != s) return false;
    p = e;
    if (p >= body || byteAt(p) != Char.SP) return false;
    p++;
  }
  // `[ip] ` then `[scno] `
  if (!bracketed(shape.ip, p, body)) return false;
  if (shape.ip >= 0) p = nodeEnd(shape.ip) + 2;
  if (!bracketed(shape.scno, p, body)) return false;
  if (shape.scno >= 0) p = nodeEnd(shape.scno) + 2;
  return p == body;
}

/** Whether node `i` (none: -1) stands at p as `[text] `. */
function bracketed(i: i32, p: i32, body: i32): bool {
  if (i < 0) return true;
  const e = nodeEnd(i);
  return byteAt(p) == Char.LBRACK && nodeStart(i) == p + 1 && e + 1 < body && byteAt(e) == Char.RBRACK && byteAt(e + 1) == Char.SP;
}

const PID_WORD = "[pid ";

/** `[pid ` at p. */
function isPidWord(p: i32): bool {
  for (let k = 0; k < PID_WORD.length; k++) if (byteAt(p + k) != PID_WORD.charCodeAt(k)) return false;
  return true;
}

/** `{"type":"T","pid":P,"line":L[,"file":F][,"timestamp":S,"time":X]`. */
function putHead(type: string): void {
  putLit('{"type":"');
  putLit(type);
  putLit('","pid":');
  if (line.pid < 0) putLit("null");
  else putSmallDecimal(line.pid);
  putLit(',"line":');
  putSmallDecimal(line.number);
  putHostText(HostText.FileKey, cell(Cell.FileKeyLength));
  if (shape.comm >= 0) {
    putLit(',"comm":');
    putJsonString(nodeStart(shape.comm), nodeEnd(shape.comm));
  }
  if (shape.time >= 0) {
    const s = nodeStart(shape.time);
    const e = nodeEnd(shape.time);
    putLit(',"timestamp":');
    putJsonString(s, e);
    putLit(',"time":');
    putSeconds(line.time, s, e);
  }
  if (shape.ip >= 0) {
    putLit(',"ip":');
    putJsonString(nodeStart(shape.ip), nodeEnd(shape.ip));
  }
}

/** Bytes the host gave (rowsSetHostText), copied as they are. */
function putHostText(which: i32, n: i32): void {
  putHostBytes(hostTextAddr(which), n);
}

/** `n` bytes at `at`, copied as they are. */
function putHostBytes(at: usize, n: i32): void {
  if (n <= 0) return;
  if (output.at + <usize>n <= output.end) copyBytes(output.at, at, <usize>n);
  output.at += <usize>n;
}

/** restart_syscall's `<... resuming interrupted NAME ...>` (the argument list's first child) as
 *  the record's `resuming`: the text without its first and last five bytes, as lines.ts cuts it. */
function putResuming(): void {
  if (shape.args < 0 || nodeNext(shape.args) == shape.args + 1 || nodeKind(shape.args + 1) != NodeKind.Resuming) return;
  const s = nodeStart(shape.args + 1);
  const e = nodeEnd(shape.args + 1);
  if (e - s < 10) {
    refuse();
    return;
  }
  putLit(',"resuming":');
  putJsonString(s + 5, e - 5);
}

// ---- calls

/** Finds the call's parts; false for parts not written here. */
function readCall(): bool {
  shape.name = -1;
  shape.args = -1;
  shape.pad = -1;
  shape.ret = -1;
  shape.retDecor = -1;
  shape.errno = -1;
  shape.errmsg = -1;
  shape.aux = -1;
  shape.duration = -1;
  // trailers in strace's order only (errno, aux..., duration); the host keeps another as fmt.order
  let rank = 0;
  let last = shape.bodyStart;
  for (let i = shape.body; i < line.last; i = nodeNext(i)) {
    const k = nodeKind(i);
    if (nodeEnd(i) > last) last = nodeEnd(i);
    if (k == NodeKind.Name) shape.name = i;
    else if (k == NodeKind.ResumedHead) shape.name = i + 1;
    else if (k == NodeKind.Args) shape.args = i;
    else if (k == NodeKind.Pad) shape.pad = i;
    else if (k == NodeKind.Ret) shape.ret = i;
    else if (k == NodeKind.RetDecor) shape.retDecor = i;
    else if (k == NodeKind.ErrMsg) shape.errmsg = i;
    else if (k == NodeKind.Errno) {
      if (rank > 1) return false;
      rank = 1;
      shape.errno = i;
    } else if (k == NodeKind.Aux) {
      if (rank > 2) return false;
      rank = 2;
      if (shape.aux < 0) shape.aux = i;
    } else if (k == NodeKind.Duration) {
      rank = 3;
      shape.duration = i;
    } else if (k != NodeKind.Unfinished) return false; // (readLine let only the plain marker through)
  }
  // an unfinished half with a result (`<unfinished ...>) = ?`) is kept as fmt.markerThenResult
  if (line.unfinished && (shape.ret >= 0 || rank > 0)) return false;
  // spaces after the result (strace 4.x) are kept as fmt.trailing
  if (line.kind == LineKind.Call || line.kind == LineKind.Resumed) {
    let q = last;
    while (q < line.end && byteAt(q) == Char.SP) q++;
    if (q == line.end && q > last) return false;
  }
  return true;
}

/** The argument items, comma-joined (after a comma when `afterOthers`); returns how many. */
function putItems(afterOthers: bool): i32 {
  if (shape.args < 0) return 0;
  let n = 0;
  const end = nodeNext(shape.args);
  for (let c = shape.args + 1; c < end; c = nodeNext(c)) {
    const k = nodeKind(c);
    if (skipped(k)) continue;
    if (n > 0 || afterOthers) put(Char.COMMA);
    n++;
    putArg(c);
  }
  return n;
}

/** A whole call, or an unfinished call's head or never-resumed ending. */
function putCallPart(part: i32): void {
  if (part != Part.Unresumed) {
    putHead("syscall");
    putLit(',"name":');
    if (shape.name >= 0) putJsonString(nodeStart(shape.name), nodeEnd(shape.name));
    else putLit('""');
    putLit(',"args":[');
    shape.argsWritten = putItems(false) > 0;
    if (part == Part.Head) return;
  }
  put(Char.RBRACK);
  putRetAndErrno();
  if (part == Part.Unresumed) {
    putResuming();
    putLit(',"unfinished":true');
  } else {
    if (line.kind == LineKind.Resumed) putLit(',"resumed":true'); // its start was never seen
    putResuming();
    putResultKeys(false);
  }
  putFmt();
  putNr();
}

/** What a resumed half adds to its pending call (stitch/combine.ts mergeHalves): more arguments,
 *  the result (in takeResult's key order) after the head's nr, the end time and lines. */
function putResumedPart(argsInHead: bool, middleAt: usize, middleLength: i32): void {
  // ` => x` opening the resumed arguments completes the head's last one: left to the host
  if (argsInHead && shape.args >= 0) {
    let first = shape.args + 1;
    const end = nodeNext(shape.args);
    while (first < end && skipped(nodeKind(first))) first = nodeNext(first);
    if (first < end && nodeKind(first) == NodeKind.Change && nodeNext(first + 1) >= nodeNext(first)) {
      refuse();
      return;
    }
  }
  putItems(argsInHead);
  put(Char.RBRACK);
  putRetAndErrno();
  putHostBytes(middleAt, middleLength);
  putNr();
  putResultKeys(true);
  if (shape.time >= 0) {
    const s = nodeStart(shape.time);
    const e = nodeEnd(shape.time);
    putLit(',"endTime":');
    putSeconds(line.time, s, e);
    putLit(',"endTimestamp":');
    putJsonString(s, e);
  }
  putLit(',"resumedLine":');
  putSmallDecimal(line.number);
  putLit(',"endLine":');
  putSmallDecimal(line.number);
}

function putRetAndErrno(): void {
  putLit(',"ret":');
  const r = shape.ret;
  if (r < 0 || (nodeEnd(r) - nodeStart(r) == 1 && byteAt(nodeStart(r)) == Char.QMARK)) putLit("null");
  else putIntValue(nodeStart(r), nodeEnd(r));
  putLit(',"errno":');
  if (shape.errno >= 0) putJsonString(nodeStart(shape.errno), nodeEnd(shape.errno));
  else putLit("null");
}

/** retText, retDecor, errmsg, aux and the duration; `merged`: in takeResult's order (duration
 *  before its text), else in the line's. */
function putResultKeys(merged: bool): void {
  const r = shape.ret;
  if (r >= 0 && !plainDecimal(nodeStart(r), nodeEnd(r))) {
    putLit(',"retText":');
    putJsonString(nodeStart(r), nodeEnd(r));
  }
  if (shape.retDecor >= 0) {
    putLit(',"retDecor":');
    putJsonString(nodeStart(shape.retDecor), nodeEnd(shape.retDecor));
  }
  if (shape.errmsg >= 0) {
    putLit(',"errmsg":');
    putJsonString(nodeStart(shape.errmsg), nodeEnd(shape.errmsg));
  }
  if (shape.aux >= 0) {
    putLit(',"aux":[');
    let n = 0;
    for (let i = shape.aux; i < line.last; i = nodeNext(i)) {
      if (nodeKind(i) != NodeKind.Aux) continue;
      if (n++ > 0) put(Char.COMMA);
      putJsonString(nodeStart(i), nodeEnd(i));
    }
    put(Char.RBRACK);
  }
  const d = shape.duration;
  if (d >= 0) {
    if (merged) {
      putLit(',"duration":');
      putSeconds(line.duration, nodeStart(d), nodeEnd(d));
      putLit(',"durationText":');
      putJsonString(nodeStart(d), nodeEnd(d));
    } else {
      putLit(',"durationText":');
      putJsonString(nodeStart(d), nodeEnd(d));
      putLit(',"duration":');
      putSeconds(line.duration, nodeStart(d), nodeEnd(d));
    }
  }
}

/** Whether [s, e) is what String() writes for its value (else the record keeps it as retText). */
function plainDecimal(s: i32, e: i32): bool {
  let i = s;
  if (i < e && byteAt(i) == Char.MINUS) i++;
  if (i >= e) return false;
  if (byteAt(i) == Char.DIGIT_0) return e - i == 1 && i == s; // `0`, not `-0` or `01`
  for (; i < e; i++) if (byteAt(i) < Char.DIGIT_0 || byteAt(i) > Char.DIGIT_9) return false;
  return true;
}

function putNr(): void {
  if (line.name < 0) return;
  const nr = nameNr(line.name);
  if (shape.scno >= 0) {
    // a -n number wins; one that is not the name's (another personality's, or a mismatch the host
    // reports) is left to the host
    const printed = scnoValue(nodeStart(shape.scno), nodeEnd(shape.scno));
    if (printed == -2) {
      refuse();
      return;
    }
    if (printed >= 0 && printed != nr) {
      refuse();
      return;
    }
  }
  if (nr < 0) return;
  putLit(',"nr":');
  putSmallDecimal(nr);
}

/** Number(text.trim()) of a -n field when it is a whole number (numbering.ts); -1 when it is not
 *  one (`???`: the table's number stands), -2 for texts left to the host (empty, too long). */
function scnoValue(s: i32, e: i32): i32 {
  while (s < e && byteAt(s) == Char.SP) s++;
  while (e > s && byteAt(e - 1) == Char.SP) e--;
  if (s == e || e - s > 9) return -2;
  let v = 0;
  for (let i = s; i < e; i++) {
    const c = byteAt(i);
    if (c < Char.DIGIT_0 || c > Char.DIGIT_9) return c == Char.QMARK ? -1 : -2;
    v = v * 10 + (c - Char.DIGIT_0);
  }
  return v;
}

// ---- layout facts

/** `,"fmt":{...}`: the pid style, separators and trailing separator of the arguments, padding
 *  before ` = `, and the prefix when it is not canonical, in the host's key order; nothing when
 *  there are none. */
function putFmt(): void {
  let opened = false;
  // (lines.ts sets the bracket style in the prefix loop, before the -n field, and "none" after it)
  const message = line.kind == LineKind.Message;
  if (!message && shape.bracket) {
    opened = fmtKey("pidStyle", opened);
    putLit('"bracket"');
  }
  if (shape.scno >= 0) {
    opened = fmtKey("scno", opened);
    putJsonString(nodeStart(shape.scno), nodeEnd(shape.scno));
  }
  if (!message && !shape.bracket && shape.pidNode < 0 && line.pid >= 0) {
    opened = fmtKey("pidStyle", opened);
    putLit('"none"');
  }
  if (shape.args >= 0 && line.kind != LineKind.Signal && line.kind != LineKind.Exit && line.kind != LineKind.Message) opened = putSeps(opened);
  if (shape.pad >= 0) {
    const col = nodeStart(shape.pad) - line.start;
    const pad = nodeEnd(shape.pad) - nodeStart(shape.pad);
    if (pad != (col < ALIGN_COLUMN ? ALIGN_COLUMN - col : 1)) {
      opened = fmtKey("pad", opened);
      putSmallDecimal(pad);
    }
  }
  if (!shape.canonicalPrefix) {
    opened = fmtKey("prefix", opened);
    putJsonString(line.start, shape.bodyStart);
  }
  if (opened) put(Char.RBRACE);
}

function fmtKey(key: string, opened: bool): bool {
  putLit(opened ? ',"' : ',"fmt":{"');
  putLit(key);
  putLit('":');
  return true;
}

/** `seps` and `tail` of the argument list (NodeReader.layout). */
function putSeps(opened: bool): bool {
  let items = 0;
  let pending = -1;
  let inSeps = false;
  const end = nodeNext(shape.args);
  for (let c = shape.args + 1; c < end; c = nodeNext(c)) {
    const k = nodeKind(c);
    if (k == NodeKind.Sep) {
      pending = c;
      continue;
    }
    if (skipped(k)) continue;
    if (pending >= 0 && (items == 0 || !canonicalSep(pending, false))) {
      if (!inSeps) {
        opened = fmtKey("seps", opened);
        putLit('{"');
        inSeps = true;
      } else putLit(',"');
      putSmallDecimal(items);
      putLit('":');
      putJsonString(nodeStart(pending), nodeEnd(pending));
    }
    pending = -1;
    items++;
  }
  if (inSeps) put(Char.RBRACE);
  if (pending >= 0) {
    opened = fmtKey("tail", opened);
    putJsonString(nodeStart(pending), nodeEnd(pending));
  }
  return opened;
}

// ---- signals, exits, messages

function putSignal(): void {
  putHead("signal");
  // the key comes first (lines.ts sets it before reading the nodes), whatever precedes the name
  let name = -1;
  for (let i = shape.body; i < line.last; i = nodeNext(i)) if (nodeKind(i) == NodeKind.Signal) name = i;
  putLit(',"signal":');
  if (name >= 0) putJsonString(nodeStart(name), nodeEnd(name));
  else putLit('""');
  for (let i = shape.body; i < line.last; i = nodeNext(i)) {
    const k = nodeKind(i);
    if (k == NodeKind.Stopped) putLit(',"stopped":true');
    else if (k == NodeKind.SigInfo) {
      if (nodeNext(i) == i + 1) {
        refuse();
        return;
      }
      putLit(',"info":');
      putArg(i + 1);
    } else if (k == NodeKind.MsgText) {
      putLit(',"text":');
      putJsonString(nodeStart(i), nodeEnd(i));
    } else if (k != NodeKind.Signal) {
      refuse();
      return;
    }
  }
  putFmt();
}

function putExit(): void {
  putHead("exit");
  let killed = false;
  for (let i = shape.body; i < line.last; i = nodeNext(i)) {
    const k = nodeKind(i);
    if (k == NodeKind.Killed) killed = true;
    else if (k != NodeKind.ExitCode && k != NodeKind.Signal && k != NodeKind.Core) {
      refuse(); // superseded by execve
      return;
    }
  }
  putLit(killed ? ',"how":"killed"' : ',"how":"exited"');
  for (let i = shape.body; i < line.last; i = nodeNext(i)) {
    const k = nodeKind(i);
    if (k == NodeKind.ExitCode) {
      const v = exitCode(nodeStart(i), nodeEnd(i));
      if (v < 0) {
        refuse();
        return;
      }
      putLit(',"code":');
      putSmallDecimal(v);
    } else if (k == NodeKind.Signal) {
      putLit(',"signal":');
      putJsonString(nodeStart(i), nodeEnd(i));
    } else if (k == NodeKind.Core) putLit(',"core":true');
  }
  putFmt();
}

/** Number(text) of an exit status's digits; -1 for any other text. */
function exitCode(s: i32, e: i32): i32 {
  if (e <= s || e - s > 9) return -1;
  let v = 0;
  for (let i = s; i < e; i++) {
    const c = byteAt(i);
    if (c < Char.DIGIT_0 || c > Char.DIGIT_9) return -1;
    v = v * 10 + (c - Char.DIGIT_0);
  }
  return v;
}

function putMessage(): void {
  putHead("message");
  let kind = 0;
  for (let i = shape.body; i < line.last; i = nodeNext(i)) {
    const k = nodeKind(i);
    if (k == NodeKind.Attached) kind = 1;
    else if (k == NodeKind.Detached) kind = 2;
  }
  putLit(kind == 1 ? ',"kind":"attached"' : kind == 2 ? ',"kind":"detached"' : ',"kind":"strace"');
  putLit(',"text":');
  putJsonString(shape.bodyStart, line.end);
  putFmt();
}
