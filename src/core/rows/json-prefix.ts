// The record JSON's prefix parts (rows/json.ts): the pid, -Y name, timestamp, -i pointer and -n
// number read from the line's prefix nodes, whether the prefix is the one render.ts writes back,
// the envelope's first keys, and the layout facts (`fmt`) lines.ts keeps.

import { LineKind, NodeKind } from "../abi.js";
import { Char } from "../bytes.js";
import { putOddSeps, trailingSep } from "../json/args.js";
import { putSeconds } from "../json/numbers.js";
import { output, put, putJsonString, putLit, putSmallDecimal } from "../json/out.js";
import { copyBytes } from "../mem.js";
import { nodeEnd, nodeKind, nodeNext, nodeStart } from "../nodes.js";
import { byteAt } from "../regions.js";
import { Cell, cell, HostText, hostTextAddr } from "./layout.js";
import { line } from "./line.js";
import { clearShape, shape } from "./json-shape.js";

/** strace's default column for ` = ` (render.ts ALIGN_COLUMN). */
const ALIGN_COLUMN: i32 = 40;

/** Finds the prefix parts and where the body starts; false for a prefix not written here. */
export function readPrefix(): bool {
  clearShape();
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
export function putHead(type: string): void {
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
export function putHostBytes(at: usize, n: i32): void {
  if (n <= 0) return;
  if (output.at + <usize>n <= output.end) copyBytes(output.at, at, <usize>n);
  output.at += <usize>n;
}

/** `,"fmt":{...}`: the pid style, separators and trailing separator of the arguments, padding
 *  before ` = `, and the prefix when it is not canonical, in the host's key order; nothing when
 *  there are none. */
export function putFmt(): void {
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
  if (shape.args >= 0 && line.kind != LineKind.Signal && line.kind != LineKind.Exit && line.kind != LineKind.Message) {
    // the argument list's `seps` and trailing separator (`tail`), as NodeReader.layout finds them
    if (putOddSeps(shape.args + 1, nodeNext(shape.args), false, !opened)) {
      opened = true;
      put(Char.RBRACE);
    }
    if (trailingSep >= 0) {
      opened = fmtKey("tail", opened);
      putJsonString(nodeStart(trailingSep), nodeEnd(trailingSep));
    }
  }
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
