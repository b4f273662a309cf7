// Lines that are not calls: strace's own messages (`strace: Process N attached`), personality
// changes, `--- SIGxxx {...} ---` signals and `+++ exited with N +++` exits.

import { LineKind, NodeKind } from "../abi.js";
import { Char, isDigit, isIdentChar } from "../bytes.js";
import { close, leaf, nodes, open } from "../nodes.js";
import { byteAt } from "../regions.js";
import { parseValue } from "./args.js";
import { at, cur, lit, skipSpaces } from "./cursor.js";

/** `strace: ...`, `../../src/strace: ...` (argv[0] prefix), legacy `Process N attached`. */
export function scanMessage(p: i32): bool {
  // argv[0] is a path: `strace`, `/usr/bin/strace`, `../../src/strace`
  let q = p;
  while (q < cur.end && (isIdentChar(byteAt(q)) || byteAt(q) == Char.SLASH || byteAt(q) == Char.DOT || byteAt(q) == Char.MINUS)) q++;
  if (at(q) == Char.COLON && at(q + 1) == Char.SP && q - p >= 6 && lit(q - 6, "strace")) {
    const t = q + 2;
    if (!processMessage(t, false)) leaf(NodeKind.MsgText, t, cur.end);
    cur.kind = LineKind.Message;
    return true;
  }
  // after a usage error: `Try 'strace -h' for more information.` (argv[0] may be a path)
  if (at(p) == Char.UPPER_T && lit(p, "Try '")) {
    const tail = cur.end - 26;
    if (tail >= p + 11 && lit(tail, " -h' for more information.") && lit(tail - 6, "strace")) {
      leaf(NodeKind.MsgText, p, cur.end);
      cur.kind = LineKind.Message;
      return true;
    }
  }
  if (at(p) == Char.UPPER_P && digitsAfter(p + 8) > p + 8 && processMessage(p, false)) {
    cur.kind = LineKind.Message;
    return true;
  }
  return false;
}

/** End of the digits starting at p (p itself when there are none). */
function digitsAfter(p: i32): i32 {
  let r = p;
  while (isDigit(at(r))) r++;
  return r;
}

/**
 * `Process N attached` / `Process N detached` at t (to the line's end when `whole`): an Attached
 * or Detached node over [t, end) with the pid's digits as a Pid child, when there are any.
 * Returns false (and writes nothing) for any other text.
 */
export function processMessage(t: i32, whole: bool): bool {
  if (!lit(t, "Process ")) return false;
  const r = digitsAfter(t + 8);
  const attached = lit(r, " attached");
  if (!attached && !lit(r, " detached")) return false;
  if (whole && r + 9 != cur.end) return false;
  const n = open(attached ? NodeKind.Attached : NodeKind.Detached, t);
  if (r > t + 8) leaf(NodeKind.Pid, t + 8, r);
  close(n, cur.end);
  return true;
}

/** `[ Process PID=123 runs in 32 bit mode. ]` */
export function scanPersonality(p: i32): bool {
  let q = p + 14;
  while (isDigit(at(q))) q++;
  if (!lit(q, " runs in ")) return false;
  const ms = q + 9;
  let r = ms;
  while (r < cur.end && !lit(r, " mode. ]")) r++;
  if (r >= cur.end) return false;
  // the pid the message is about, as a child (a node before it would read as the line's prefix)
  const n = open(NodeKind.Personality, ms);
  if (q > p + 14) leaf(NodeKind.Pid, p + 14, q);
  close(n, r);
  cur.kind = LineKind.Message;
  return skipSpaces(r + 8) >= cur.end;
}

/** `--- SIGCHLD {si_signo=...} ---`, `--- stopped by SIGSTOP ---`. */
export function scanSignal(p: i32): bool {
  if (lit(p, "stopped by ")) {
    leaf(NodeKind.Stopped, p, p + 10);
    p += 11;
  }
  let q = p;
  while (isIdentChar(at(q))) q++;
  if (q == p) return false;
  leaf(NodeKind.Signal, p, q);
  if (lit(q, " ---") && skipSpaces(q + 4) >= cur.end) {
    cur.kind = LineKind.Signal;
    return true;
  }
  if (at(q) != Char.SP) return false;
  q++;
  // The tail before ` ---`: a siginfo struct, or (older straces) free text such as `(Child exited) @ 0 (0)`.
  let tailEnd = cur.end;
  while (tailEnd > q && byteAt(tailEnd - 1) == Char.SP) tailEnd--;
  if (tailEnd - q < 4 || !lit(tailEnd - 4, " ---")) return false;
  const bodyEnd = tailEnd - 4;
  if (at(q) == Char.LBRACE) {
    const mark = nodes.count;
    const info = open(NodeKind.SigInfo, q);
    const saveE = cur.end;
    cur.end = bodyEnd;
    const r = parseValue(q);
    cur.end = saveE;
    if (r == bodyEnd) {
      close(info, r);
      cur.kind = LineKind.Signal;
      return true;
    }
    nodes.count = mark;
    cur.err = 0;
    cur.depth = 0;
  }
  leaf(NodeKind.MsgText, q, bodyEnd);
  cur.kind = LineKind.Signal;
  return true;
}

/** `+++ exited with 0 +++`, `+++ killed by SIGKILL (core dumped) +++`, `+++ superseded by execve in pid N +++`. */
export function scanExit(p: i32): bool {
  let q: i32;
  if (lit(p, "exited with ")) {
    q = p + 12;
    const s = q;
    if (at(q) == Char.MINUS) q++;
    while (isDigit(at(q))) q++;
    if (q == s) return false;
    leaf(NodeKind.ExitCode, s, q);
  } else if (lit(p, "killed by ")) {
    leaf(NodeKind.Killed, p, p + 9);
    q = p + 10;
    const s = q;
    while (isIdentChar(at(q))) q++;
    if (q == s) return false;
    leaf(NodeKind.Signal, s, q);
    if (lit(q, " (core dumped)")) {
      leaf(NodeKind.Core, q + 1, q + 14);
      q += 14;
    }
  } else if (lit(p, "superseded by execve in pid ")) {
    q = p + 28;
    const s = q;
    while (isDigit(at(q))) q++;
    if (q == s) return false;
    const n = open(NodeKind.Superseded, p);
    leaf(NodeKind.Pid, s, q);
    close(n, q);
  } else {
    return false;
  }
  if (!lit(q, " +++")) return false;
  if (skipSpaces(q + 4) < cur.end) return false;
  cur.kind = LineKind.Exit;
  return true;
}
