// One scanned line read into a record row's fields: what the host's lean records carry (pid, time,
// name, halves, return, errno, duration), computed with the same arithmetic, so the numbers are the
// same doubles. A line whose record the stitcher would treat in any other way than "one call,
// signal, exit or message on its own line" is refused with the reason (RowsAbort).

import { LineKind, MAX_DEPTH, NodeKind, RowFlag, RowKind, RowLineBit, RowLineField, RowsAbort } from "../abi.js";
import { Char } from "../bytes.js";
import { CHUNK_BYTES, decimalAt, decimalSecondsIn, retValue, timestampSecondsIn } from "../literals.js";
import { nodeEnd, nodeKind, nodeNext, nodeStart, slotAddress } from "../nodes.js";
import { byteAt } from "../regions.js";
import { ld32, ld8, ldf64 } from "../mem.js";
import { internName, nameLength, namePtr } from "./names.js";
import { Cell, cell } from "./layout.js";

/** The line just read (fields of one object: see scan/cursor.ts for why). */
export namespace line {
  export let flags: i32 = 0;
  export let pid: i32 = -1;
  export let name: i32 = -1;
  export let errno: i32 = -1;
  export let time: f64 = 0;
  export let duration: f64 = 0;
  export let ret: f64 = NaN;
  export let unfinished: bool = false;
  export let resumed: bool = false;
  // where it is (set by build.ts before readLine; the JSON writer reads the line again)
  export let kind: i32 = 0;
  export let first: i32 = 0;
  export let last: i32 = 0;
  export let start: i32 = 0;
  export let end: i32 = 0;
  export let number: i32 = 0;
}

/** ` <unfinished ...>`: any other marker (`<unfinished ... exit status 0>`, `<pid changed to>`)
 *  belongs to a call that will never be resumed, which the stitcher treats apart. */
const UNFINISHED_MARKER_LENGTH: i32 = 17;

/** Reads the line of `kind` whose nodes are [first, last); returns a RowsAbort code (None: read). */
export function readLine(kind: i32, first: i32, last: i32, defaultPid: i32): i32 {
  if (first < last && nodeKind(first) == NodeKind.RowLine) return loadRowLine(first, defaultPid);
  line.flags = kind == LineKind.Signal ? RowKind.Signal : kind == LineKind.Exit ? RowKind.Exit : kind == LineKind.Message ? RowKind.Message : RowKind.Syscall;
  line.pid = defaultPid;
  line.name = -1;
  line.errno = -1;
  line.ret = NaN;
  line.unfinished = false;
  line.resumed = false;
  let i = first;
  // -- prefix
  while (i < last) {
    const k = nodeKind(i);
    if (k == NodeKind.PidBracket || k == NodeKind.Pid) {
      const p = k == NodeKind.Pid ? i : i + 1;
      line.pid = decimalAt(nodeStart(p), nodeEnd(p));
      if (line.pid < 0) return RowsAbort.Number;
    } else if (k == NodeKind.Time) {
      line.time = timestampSecondsIn(CHUNK_BYTES, nodeStart(i), nodeEnd(i));
      line.flags |= RowFlag.HasTime;
    } else if (k == NodeKind.Lead || (k == NodeKind.Scno && cell(Cell.JsonMode) == 0)) {
      // (a -n number: the JSON writer checks it against the name's, rows/json.ts; counting rows
      // leave it to the full reading's numbering)
      return RowsAbort.LineShape;
    } else if (k != NodeKind.Comm && k != NodeKind.Ip && k != NodeKind.Relative) {
      break;
    }
    i = nodeNext(i);
  }
  if (kind == LineKind.Message) return readMessage(i, last);
  if (kind == LineKind.Signal || kind == LineKind.Exit) return RowsAbort.None;
  return readCall(i, last);
}

/** A line the scan read into a RowLine entry (scan/row-line.ts): its fields as readLine would
 *  read them from the nodes, the names interned here, so in the same order as the others'. */
function loadRowLine(i: i32, defaultPid: i32): i32 {
  const e = slotAddress(i);
  const bits = ld32(e + RowLineField.Bits);
  const pid = ld32(e + RowLineField.Pid);
  line.flags = RowKind.Syscall | (bits & (RowFlag.Returned | RowFlag.HasTime | RowFlag.HasDuration));
  line.pid = pid >= 0 ? pid : defaultPid;
  line.unfinished = (bits & RowLineBit.Unfinished) != 0;
  line.resumed = (bits & RowLineBit.Resumed) != 0;
  line.ret = ldf64(e + RowLineField.Ret);
  if ((bits & RowFlag.HasTime) != 0) line.time = ldf64(e + RowLineField.Time);
  if ((bits & RowFlag.HasDuration) != 0) line.duration = ldf64(e + RowLineField.Duration);
  line.name = internName(nodeStart(i), nodeEnd(i));
  if (line.name < 0) return RowsAbort.Capacity;
  const errnoStart = ld32(e + RowLineField.ErrnoStart);
  line.errno = -1;
  if (errnoStart >= 0) {
    line.errno = internName(errnoStart, ld32(e + RowLineField.ErrnoEnd));
    if (line.errno < 0) return RowsAbort.Capacity;
  }
  return RowsAbort.None;
}

/** The pid a message is about (`Process 123 attached`, `PID=123`): its node's Pid child. */
function readMessage(i: i32, last: i32): i32 {
  while (i < last) {
    // a personality change renumbers later -n numbers, which the full reading tracks
    if (nodeKind(i) == NodeKind.Personality) return RowsAbort.LineShape;
    if (nodeNext(i) > i + 1 && nodeKind(i + 1) == NodeKind.Pid) {
      line.pid = decimalAt(nodeStart(i + 1), nodeEnd(i + 1));
      if (line.pid < 0) return RowsAbort.Number;
    }
    i = nodeNext(i);
  }
  return RowsAbort.None;
}

function readCall(i: i32, last: i32): i32 {
  while (i < last) {
    const k = nodeKind(i);
    if (k == NodeKind.Name) {
      line.name = internName(nodeStart(i), nodeEnd(i));
      if (line.name < 0) return RowsAbort.Capacity;
    } else if (k == NodeKind.ResumedHead) {
      line.resumed = true;
      if (nodeNext(i) == i + 1) return RowsAbort.LineShape; // no name: a headless resume
      line.name = internName(nodeStart(i + 1), nodeEnd(i + 1));
      if (line.name < 0) return RowsAbort.Capacity;
    } else if (k == NodeKind.Args) {
      // program output printed between the arguments is reported apart
      const end = nodeNext(i);
      for (let c = i + 1; c < end; c = nodeNext(c)) if (nodeKind(c) == NodeKind.Glued) return RowsAbort.LineShape;
      // sequences by process read one thing of the clone family's arguments: CLONE_THREAD
      if (line.name >= 0 && isCloneName(line.name)) {
        for (let c = i + 1; c < end; c = nodeNext(c)) if (hasCloneThread(c, 0)) line.flags |= RowFlag.CloneThread;
      }
    } else if (k == NodeKind.Unfinished) {
      if (nodeEnd(i) - nodeStart(i) != UNFINISHED_MARKER_LENGTH) return RowsAbort.LineShape;
      line.unfinished = true;
    } else if (k == NodeKind.Ret) {
      const s = nodeStart(i);
      const e = nodeEnd(i);
      if (!(e - s == 1 && byteAt(s) == Char.QMARK)) {
        line.flags |= RowFlag.Returned;
        line.ret = retValue(s, e);
      }
    } else if (k == NodeKind.Errno) {
      line.errno = internName(nodeStart(i), nodeEnd(i));
      if (line.errno < 0) return RowsAbort.Capacity;
      line.flags |= RowFlag.Returned;
    } else if (k == NodeKind.Duration) {
      line.duration = decimalSecondsIn(CHUNK_BYTES, nodeStart(i), nodeEnd(i));
      if (line.duration != line.duration) return RowsAbort.Number;
      line.flags |= RowFlag.HasDuration;
    } else if (k == NodeKind.Glued || k == NodeKind.Detached) {
      return RowsAbort.LineShape;
    }
    i = nodeNext(i);
  }
  // `<... x resumed> <unfinished ...>` (old straces): resumed and cut again
  if (line.resumed && line.unfinished) return RowsAbort.LineShape;
  return RowsAbort.None;
}

/** `clone`, `clone2`, `clone3`: the calls whose CLONE_THREAD flag sequences read. */
function isCloneName(id: i32): bool {
  const n = nameLength(id);
  if (n != 5 && n != 6) return false;
  const at = namePtr(id);
  if (!(ld8(at) == Char.LOWER_C && ld8(at + 1) == Char.LOWER_L && ld8(at + 2) == Char.LOWER_O && ld8(at + 3) == Char.LOWER_N && ld8(at + 4) == Char.LOWER_E))
    return false;
  return n == 5 || ld8(at + 5) == Char.DIGIT_0 + 2 || ld8(at + 5) == Char.DIGIT_0 + 3;
}

const CLONE_THREAD = "CLONE_THREAD";

/** Whether argument node `i` holds the identifier CLONE_THREAD where the host's hasCloneThread
 *  (src/seq/clone.ts) looks: itself, or inside flags, sets, arrays, structs, fields and `=>`
 *  changes (not calls or expressions). */
function hasCloneThread(i: i32, depth: i32): bool {
  const k = nodeKind(i);
  if (k == NodeKind.Ident) {
    const s = nodeStart(i);
    if (nodeEnd(i) - s != CLONE_THREAD.length) return false;
    for (let j = 0; j < CLONE_THREAD.length; j++) if (byteAt(s + j) != CLONE_THREAD.charCodeAt(j)) return false;
    return true;
  }
  const container =
    k == NodeKind.Flags ||
    k == NodeKind.Set ||
    k == NodeKind.NegSet ||
    k == NodeKind.Array ||
    k == NodeKind.Struct ||
    k == NodeKind.Field ||
    k == NodeKind.Change;
  if (!container || depth > MAX_DEPTH) return false;
  // (annotations among the children, comments and decorations, are never identifiers)
  const end = nodeNext(i);
  for (let c = i + 1; c < end; c = nodeNext(c)) if (hasCloneThread(c, depth + 1)) return true;
  return false;
}
