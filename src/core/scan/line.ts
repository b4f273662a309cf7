// The line scanner's entry and its first decision: what kind of line this is. Blank lines, -k
// frames and hex dumps are told by their first bytes; everything else gets its prefix read
// (prefix.ts) and its body dispatched: a message, signal or exit (events.ts), a call (call.ts),
// or, failing all, a -c table line (summary.ts) or foreign text (program output).

import { ErrCode, LineField, LineKind, NodeKind } from "../abi.js";
import { Char, isDigit, isHex, isIdentChar, isIdentStart } from "../bytes.js";
import { st32 } from "../mem.js";
import { leaf, nodes } from "../nodes.js";
import { byteAt } from "../regions.js";
import { startDecorBudget } from "./args.js";
import { scanCall, scanCont, scanResumed } from "./call.js";
import { at, cur, lit, skipSpaces } from "./cursor.js";
import { scanExit, scanMessage, scanPersonality, scanSignal } from "./events.js";
import { scanPrefix } from "./prefix.js";
import { readRowLine } from "./row-line.js";
import { scanSummaryLine } from "./summary.js";

/**
 * The driver's entry (index.ts): scans the line `[start, end)` of the chunk (`end` excludes the
 * terminator), appends its nodes and writes Kind/Err/ErrAt/Pid into the line row at `row`.
 * Returns false when the node table nodes.overflowed; the driver then discards the line's nodes, stops
 * the chunk at this line boundary and lets the host grow the table.
 */
export function scanLine(start: i32, end: i32, row: usize): bool {
  nodes.overflowed = false;
  if (!(cur.rowLines && readRowLine(start, end))) scanOneLine(start, end);
  st32(row + LineField.Kind * 4, cur.kind);
  st32(row + LineField.Err * 4, cur.err);
  st32(row + LineField.ErrAt * 4, cur.errAt);
  st32(row + LineField.Pid * 4, cur.pid);
  return !nodes.overflowed;
}

/** Scan bytes[start, end). Appends nodes; sets kind, pid, err, errAt. */
export function scanOneLine(start: i32, end: i32): void {
  cur.end = end;
  cur.kind = LineKind.Foreign;
  cur.pid = -1;
  cur.err = 0;
  cur.errAt = 0;
  cur.depth = 0;
  // no call named yet: scanCall and scanResumed name it, so a continuation line or a headless
  // resume never takes the name of an earlier line (or of another chunk's bytes at its offsets)
  cur.callNameStart = start;
  cur.callNameEnd = start;
  startDecorBudget(end - start);
  const first = nodes.count;
  cur.firstNode = first;

  let p = start;
  while (p < end && (byteAt(p) == Char.SP || byteAt(p) == Char.TAB)) p++;
  if (p == end) {
    cur.kind = LineKind.Blank;
    return;
  }
  // (each literal test below is guarded by its first byte: these run for every line)
  if (byteAt(start) == Char.SP) {
    if (lit(start, " > ")) {
      leaf(NodeKind.MsgText, start + 3, end);
      cur.kind = LineKind.Stack;
      return;
    }
    if ((lit(start, " | ") && isDumpOffset(start + 3)) || (lit(start, " * ") && isDumpHeader(start + 3)) || isVectorHeader(start) || lit(start, " VCPU:")) {
      cur.kind = LineKind.Dump;
      return;
    }
  }
  const body = scanPrefix(start);
  if (body >= 0 && scanBody(body)) return;

  // Not a line strace starts: maybe the continuation of a call split by interleaved output.
  const bodyErr = cur.err;
  const bodyErrAt = cur.errAt;
  nodes.count = first;
  cur.pid = -1;
  cur.err = 0;
  cur.errAt = 0;
  cur.depth = 0;
  // -c tables are tested only now, after the common case: no table line reads as a call,
  // signal, exit or message (none has a `name(`, `--- `, `+++ ` or `strace: ` body).
  if (scanSummaryLine(start)) {
    cur.kind = LineKind.Summary;
    return;
  }
  if (scanCont(start)) return;
  nodes.count = first;
  cur.pid = -1;
  cur.err = 0;
  cur.errAt = 0;
  cur.depth = 0;
  if (scanAfterOutput(start)) return;
  nodes.count = first;
  cur.pid = -1;
  cur.kind = LineKind.Foreign;
  // Report why the line's own shape failed to read, when it had one.
  cur.err = bodyErr != 0 ? bodyErr : ErrCode.NotStrace;
  cur.errAt = bodyErr != 0 ? bodyErrAt : start;
}

/** Returns false when the body is not one strace prints (the caller then tries a continuation). */
export function scanBody(p: i32): bool {
  const c = at(p);
  if (c == Char.MINUS && lit(p, "--- ")) return scanSignal(p + 4);
  if (c == Char.PLUS && lit(p, "+++ ")) return scanExit(p + 4);
  if (c == Char.LT && lit(p, "<... ")) return scanResumed(p);
  if (c == Char.LT && lit(p, "<detached ...>")) {
    leaf(NodeKind.Detached, p, p + 14);
    cur.kind = LineKind.Message;
    return skipSpaces(p + 14) >= cur.end;
  }
  if (c == Char.LBRACK && lit(p, "[ Process PID=")) return scanPersonality(p);
  // a call first, the common case; no message has a `name(` body
  if (isIdentStart(c) || (c == Char.QMARK && lit(p, "???("))) {
    let q = p;
    if (c == Char.QMARK) q += 3;
    else while (isIdentChar(at(q))) q++;
    if (at(q) == Char.LPAREN) return scanCall(p, q);
  }
  return scanMessage(p);
}

/** The hex offset of a -e read=/write= dump row (` | 00000  68 65 ...`): five or more hex digits
 *  and two spaces. (`--tips` boxes also start lines with ` | `.) */
export function isDumpOffset(p: i32): bool {
  let q = p;
  while (isHex(at(q))) q++;
  return q - p >= 5 && at(q) == Char.SP && at(q + 1) == Char.SP;
}

/** Program output that ended without a newline, then strace's line: `x[pid 21828] write(...`,
 *  `abc--- SIGCHLD {...} ---`. Only the first place a prefixed line, signal or exit could start
 *  is tried, so a long line costs one pass. */
export function scanAfterOutput(start: i32): bool {
  for (let g = start + 1; g + 5 <= cur.end; g++) {
    const c = byteAt(g);
    const candidate =
      (c == Char.LBRACK && lit(g, "[pid ")) || (c == Char.MINUS && (lit(g, "--- SIG") || lit(g, "--- stopped by "))) || (c == Char.PLUS && lit(g, "+++ "));
    if (!candidate) continue;
    leaf(NodeKind.Lead, start, g);
    const body = scanPrefix(g);
    if (body >= 0 && scanBody(body)) return true;
    cur.pid = -1;
    cur.depth = 0;
    return false;
  }
  return false;
}

/** ` * 12 bytes in buffer 0` headers of -e write= dumps of vectors. */
export function isDumpHeader(p: i32): bool {
  while (isDigit(at(p))) p++;
  return lit(p, " bytes in buffer ");
}

/** ` = 2 buffers in vector 0` headers of -e write= dumps of sendmmsg vectors. */
export function isVectorHeader(p: i32): bool {
  if (!lit(p, " = ")) return false;
  let q = p + 3;
  while (isDigit(at(q))) q++;
  return q > p + 3 && lit(q, " buffers in vector ");
}
