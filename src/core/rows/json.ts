// A record row's JSON, written from its line's nodes and bytes: exactly what JSON.stringify gives
// for the record the host's full reading makes of the same line (src/model/lines.ts buildLine,
// then the stitcher's merge in src/model/stitch/combine.ts and the numbering), key order
// included. It writes the common shapes: calls (whole, or an unfinished half and what its resumed
// half adds; this file), signals, exits and attach/detach messages (json-events.ts), with pid, -Y,
// -t/-tt/-ttt/-r, -i and -n prefixes and, of the layout facts (`fmt`), the pid style, -n field,
// separators, padding and a non-canonical prefix (json-prefix.ts); -k frames and hex dump lines
// go on the record they follow (attach.ts, json-attached.ts). Any other shape is refused (the rows then stop, RowsAbort.Json, and the host reads on from their last
// quiet point), so the output is the host's by construction; the corpus and the fuzzer check it.
//
// A record is written in parts, each without the closing brace (json-ring.ts adds it, and the
// schema on the first record): a whole line's record; or an unfinished call's head (up to inside
// its argument array), its ending if it is never resumed, and what its resumed half adds.

import { LineKind, NodeKind } from "../abi.js";
import { Char } from "../bytes.js";
import { putArg, putJoinedChange, skipped } from "../json/args.js";
import { putSeconds } from "../json/numbers.js";
import { canonicalDecimalDigits, output, put, putIntValue, putJsonString, putLit, putSmallDecimal } from "../json/out.js";
import { nodeEnd, nodeKind, nodeNext, nodeStart } from "../nodes.js";
import { byteAt } from "../regions.js";
import { line } from "./line.js";
import { nameNr } from "./names.js";
import { putMessage, putExit, putSignal } from "./json-events.js";
import { putFmt, putHead, putHostBytes, readPrefix } from "./json-prefix.js";
import { refuse, shape } from "./json-shape.js";

export { forgetShape } from "./json-shape.js";

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
  /** Not the line's record: a -k frame or dump line opening its owner's attached segment
   *  (json-attached.ts; written by json-ring.ts). */
  Attached = 5,
}

/**
 * Writes `part` of the record of the line in `line` (read by readLine) at the output cursor. A
 * Resumed part is told whether the head holds arguments, where the head's Middle part is (its
 * address and length, 0 for none) and where the head's last argument is (the same). False when
 * the record has a shape not written here (the bytes written are then meaningless).
 */
export function putRecordPart(part: i32, argsInHead: bool, middleAt: usize, middleLength: i32, lastArgAt: usize, lastArgLength: i32): bool {
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
  else if (part == Part.Resumed) putResumedPart(argsInHead, middleAt, middleLength, lastArgAt, lastArgLength);
  else if (part == Part.Middle) putResuming();
  else putCallPart(part);
  return !output.unsupported;
}

/** Of the last Resumed part: where its result keys start (bytes into it), RowField.JsonResultAt;
 *  whether it took the head's last argument into a change (the head then ends before it). */
export namespace resumedPart {
  export let resultAt: i32 = 0;
  export let tookLastArg: bool = false;
}

/** Of the last Head part: where its last argument starts (bytes into it), -1 for none. */
export namespace headPart {
  export let lastArgAt: i32 = -1;
}

/** Whether the last head part wrote arguments. */
export function headHasArgs(): bool {
  return shape.argsWritten;
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
    else if (k == NodeKind.Deleted) shape.retDeleted = true;
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

/** The argument items from node `from` on, comma-joined (after a comma when `afterOthers`);
 *  returns how many, and notes where the last starts (headPart). */
function putItems(from: i32, afterOthers: bool): i32 {
  if (shape.args < 0) return 0;
  let n = 0;
  const end = nodeNext(shape.args);
  for (let c = from; c < end; c = nodeNext(c)) {
    const k = nodeKind(c);
    if (skipped(k)) continue;
    if (n > 0 || afterOthers) put(Char.COMMA);
    n++;
    headPart.lastArgAt = <i32>(output.at - output.base);
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
    headPart.lastArgAt = -1;
    shape.argsWritten = putItems(shape.args + 1, false) > 0;
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
function putResumedPart(argsInHead: bool, middleAt: usize, middleLength: i32, lastArgAt: usize, lastArgLength: i32): void {
  resumedPart.tookLastArg = false;
  let from = shape.args + 1;
  if (argsInHead && shape.args >= 0) {
    const end = nodeNext(shape.args);
    let first = from;
    while (first < end && skipped(nodeKind(first))) first = nodeNext(first);
    if (first < end && nodeKind(first) == NodeKind.Change && nodeNext(first + 1) >= nodeNext(first)) {
      // ` => x` opening the resumed arguments completes the head's last one (clone3's
      // `<... clone3 resumed> => {parent_tid=[N]}` under -f): it takes that argument as `from`,
      // in its place (the row's head then ends before it: build.ts)
      if (lastArgLength <= 0) {
        refuse();
        return;
      }
      putJoinedChange(first, lastArgAt, lastArgLength);
      resumedPart.tookLastArg = true;
      from = nodeNext(first);
    }
  }
  putItems(from, argsInHead || resumedPart.tookLastArg);
  put(Char.RBRACK);
  putRetAndErrno();
  putHostBytes(middleAt, middleLength);
  putNr();
  resumedPart.resultAt = <i32>(output.at - output.base);
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

/** retText, retDecor, retDeleted, errmsg, aux and the duration; `merged`: in takeResult's order (duration
 *  before its text), else in the line's. */
function putResultKeys(merged: bool): void {
  const r = shape.ret;
  if (r >= 0 && canonicalDecimalDigits(nodeStart(r), nodeEnd(r)) < 0) {
    putLit(',"retText":');
    putJsonString(nodeStart(r), nodeEnd(r));
  }
  if (shape.retDecor >= 0) {
    putLit(',"retDecor":');
    putJsonString(nodeStart(shape.retDecor), nodeEnd(shape.retDecor));
  }
  if (shape.retDeleted) putLit(',"retDeleted":true');
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
