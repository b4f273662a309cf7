// Stage 2: the per-line scanner, a faithful port of src/engine/ts/scanner.ts (LineScanner).
// Both engines must write identical tables for every input (test/engines.test.ts checks the whole
// corpus), so this file mirrors the TS one function by function, in the same order and with the
// same names; when the TS scanner changes, port the change here the same way.
//
// Port conventions: `this.b[p]` is B(p) over the chunk in linear memory; `this.e` is `lineEnd`;
// the result fields are module globals (lineKind, linePid, lineErr, lineErrAt); the node table is
// nodes.ts, which has a fixed capacity (see there). Recursion mirrors the TS scanner's and is
// bounded the same way: every nesting level passes a `++depth > MAX_DEPTH` check.
// No allocation: string literals in lit() are static data.

import { ErrCode, LineField, LineKind, MAX_DEPTH, NodeKind } from "../src/engine/abi";
import {
  nodeCount, overflowed, setNodeCount, clearOverflow, open, close, leaf, setKind, setSpan, setNext,
  kindOf, endOf, nextOf, wrap,
} from "./nodes";

const SP = 32;
const TAB = 9;
const QUOTE = 34;
const BACKSLASH = 92;
const LPAREN = 40;
const RPAREN = 41;
const LBRACK = 91;
const RBRACK = 93;
const LBRACE = 123;
const RBRACE = 125;
const LT = 60;
const GT = 62;
const COMMA = 44;
const DOT = 46;
const EQ = 61;
const PIPE = 124;
const MINUS = 45;
const TILDE = 126;
const AT = 64;
const AMP = 38;
const SLASH = 47;
const STAR = 42;
const COLON = 58;
const QMARK = 63;
const PLUS = 43;
const BANG = 33;

/** Expression containers whose first term is larger than this are refused rather than shifted,
 *  which keeps wrapping linear even on hostile input (real strace terms are a handful of nodes). */
const MAX_WRAP_NODES = 1024;


/** The chunk's first byte in linear memory; scanner offsets are relative to it. */
let base: usize = 0;
/** End of the current line (exclusive): reads at or past it see 0. */
let lineEnd: i32 = 0;
let depth: i32 = 0;
// Results of the last scanLine call (the TS scanner's kind/pid/err/errAt).
let lineKind: i32 = 0;
let linePid: i32 = -1;
let lineErr: i32 = 0;
let lineErrAt: i32 = 0;

// @ts-ignore: decorator
@inline function B(p: i32): i32 {
  return <i32>load<u8>(base + <usize>p);
}

// @ts-ignore: decorator
@inline function isDigit(c: i32): bool {
  return c >= 48 && c <= 57;
}
// @ts-ignore: decorator
@inline function isHex(c: i32): bool {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}
// @ts-ignore: decorator
@inline function isAlpha(c: i32): bool {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}
// @ts-ignore: decorator
@inline function isIdentStart(c: i32): bool {
  return isAlpha(c) || c == 95;
}
// @ts-ignore: decorator
@inline function isIdentChar(c: i32): bool {
  return isAlpha(c) || isDigit(c) || c == 95;
}
// @ts-ignore: decorator
@inline function isUpperIdentChar(c: i32): bool {
  return (c >= 65 && c <= 90) || isDigit(c) || c == 95;
}


// ---- byte helpers

function at(p: i32): i32 {
  return p < lineEnd ? B(p) : 0;
}

function lit(p: i32, s: string): bool {
  const n = s.length;
  if (p + n > lineEnd) return false;
  for (let i = 0; i < n; i++) if (B(p + i) != s.charCodeAt(i)) return false;
  return true;
}

function fail(code: i32, p: i32): i32 {
  if (lineErr == 0) {
    lineErr = code;
    lineErrAt = p;
  }
  return -1;
}

function skipSpaces(p: i32): i32 {
  while (p < lineEnd && B(p) == SP) p++;
  return p;
}

// ---- the line

/**
 * The driver's entry (assembly/index.ts): scans the line `[start, end)` of the chunk at `chunkBase`
 * (`end` excludes the terminator), appends its nodes and writes Kind/Err/ErrAt/Pid into the line
 * row at `row`. Returns false when the node table overflowed; the driver then discards the line's
 * nodes, stops the chunk at this line boundary and lets the host grow the table.
 */
export function scanLine(chunkBase: usize, start: i32, end: i32, row: usize): bool {
  base = chunkBase;
  clearOverflow();
  scanOneLine(start, end);
  store<i32>(row, lineKind, LineField.Kind << 2);
  store<i32>(row, lineErr, LineField.Err << 2);
  store<i32>(row, lineErrAt, LineField.ErrAt << 2);
  store<i32>(row, linePid, LineField.Pid << 2);
  return !overflowed;
}

/** Scan bytes[start, end). Appends nodes; sets kind, pid, err, errAt. (TS: LineScanner.scanLine) */
function scanOneLine(start: i32, end: i32): void {
  lineEnd = end;
  lineKind = LineKind.Foreign;
  linePid = -1;
  lineErr = 0;
  lineErrAt = 0;
  depth = 0;
  const first = nodeCount;

  let p = start;
  while (p < end && (B(p) == SP || B(p) == TAB)) p++;
  if (p == end) {
    lineKind = LineKind.Blank;
    return;
  }
  if (lit(start, " > ")) {
    leaf(NodeKind.MsgText, start + 3, end);
    lineKind = LineKind.Stack;
    return;
  }
  if (lit(start, " | ") || (lit(start, " * ") && isDumpHeader(start + 3))) {
    lineKind = LineKind.Dump;
    return;
  }
  if (isSummaryLine(start)) {
    lineKind = LineKind.Summary;
    return;
  }

  const body = scanPrefix(start);
  if (body >= 0 && scanBody(body, body > start)) return;

  // Not a line strace starts: maybe the continuation of a call split by interleaved output.
  const bodyErr = lineErr;
  const bodyErrAt = lineErrAt;
  setNodeCount(first);
  linePid = -1;
  lineErr = 0;
  lineErrAt = 0;
  depth = 0;
  if (scanCont(start)) return;
  setNodeCount(first);
  lineKind = LineKind.Foreign;
  // Report why the line's own shape failed to read, when it had one.
  lineErr = bodyErr != 0 ? bodyErr : ErrCode.NotStrace;
  lineErrAt = bodyErr != 0 ? bodyErrAt : start;
}

/** ` * 12 bytes in buffer 0` headers of -e write= dumps of vectors. */
function isDumpHeader(p: i32): bool {
  while (isDigit(at(p))) p++;
  return lit(p, " bytes in buffer ");
}

/** `% time ...` headers, `------` rules, `System call usage summary for ...`, and rows of
 *  four or more numeric columns followed by a syscall name (or `total`). */
function isSummaryLine(p: i32): bool {
  if (lit(p, "% time") || lit(p, "------") || lit(p, "System call usage summary")) return true;
  let numeric = 0;
  let q = p;
  while (true) {
    q = skipSpaces(q);
    if (q >= lineEnd) return false;
    const s = q;
    let digits = 0;
    let other = 0;
    while (q < lineEnd && B(q) != SP) {
      const c = B(q);
      if (isDigit(c)) digits++;
      else if (c != DOT) other++;
      q++;
    }
    if (other == 0 && digits > 0) {
      numeric++;
      continue;
    }
    // the name column ends the row
    if (numeric < 4) return false;
    for (let i = s; i < q; i++) if (!isIdentChar(B(i))) return false;
    return skipSpaces(q) >= lineEnd;
  }
}

/** Reads pid, -Y comm, timestamp, -i pointer and -n number. Returns where the body starts. */
function scanPrefix(p: i32): i32 {
  if (lit(p, "[pid")) {
    const br = open(NodeKind.PidBracket, p);
    let q = skipSpaces(p + 4);
    const ds = q;
    while (isDigit(at(q))) q++;
    if (q == ds || at(q) != RBRACK) return fail(ErrCode.Unexpected, q);
    leaf(NodeKind.Pid, ds, q);
    linePid = parseSmallInt(ds, q);
    q++;
    close(br, q);
    if (at(q) != SP) return fail(ErrCode.Unexpected, q);
    p = q + 1;
  } else if (isDigit(at(p))) {
    let q = p;
    while (isDigit(at(q))) q++;
    const c = at(q);
    // Pids have at most 7 digits; a longer leading number is a -ttt / unix-seconds timestamp.
    if (q - p <= 7 && (c == SP || c == LT)) {
      leaf(NodeKind.Pid, p, q);
      linePid = parseSmallInt(p, q);
      if (c == LT) {
        // -Y: `1234<comm>`; comm is at most 15 bytes and may itself contain `>`.
        let r = q + 1;
        let close = -1;
        while (r < lineEnd && r <= q + 65) {
          if (B(r) == GT && at(r + 1) == SP) {
            close = r;
            break;
          }
          r++;
        }
        if (close < 0) return fail(ErrCode.Unexpected, q);
        leaf(NodeKind.Comm, q + 1, close);
        q = close + 1;
      }
      p = skipSpaces(q);
    }
  }
  // Timestamps: -t/-tt `HH:MM:SS[.frac]`, -ttt/unix `SECS[.frac]`, -r right-aligned `  SECS.frac`.
  {
    const s = skipSpaces(p);
    let q = s;
    while (isDigit(at(q))) q++;
    if (q > s) {
      let ok = false;
      if (at(q) == COLON) {
        q++;
        while (isDigit(at(q)) || at(q) == COLON) q++;
        ok = true;
      }
      if (at(q) == DOT && isDigit(at(q + 1))) {
        q++;
        while (isDigit(at(q))) q++;
        ok = true;
      } else if (!ok && q - s >= 9) {
        ok = true; // unix seconds without a fraction
      }
      if (ok && at(q) == SP) {
        leaf(NodeKind.Time, s, q);
        p = q + 1;
      }
    }
  }
  // -i `[00007f..]` / `[????????????????]` and -n `[ 257]` / `[???]`, in that order.
  while (at(p) == LBRACK) {
    let q = p + 1;
    let spaces = 0;
    while (q < lineEnd && B(q) != RBRACK && B(q) != LBRACK) {
      const c = B(q);
      if (c == SP) spaces++;
      else if (!isHex(c) && c != QMARK) return p;
      q++;
    }
    if (at(q) != RBRACK || at(q + 1) != SP) return p;
    const len = q - (p + 1);
    if (len == 0) return p;
    // Instruction pointers are zero-padded to 8 or 16 digits; -n numbers are padded with spaces.
    leaf(spaces == 0 && (len == 8 || len == 16) ? NodeKind.Ip : NodeKind.Scno, p + 1, q);
    p = q + 2;
  }
  return p;
}

function parseSmallInt(s: i32, e: i32): i32 {
  let v = 0;
  for (let i = s; i < e; i++) v = v * 10 + (B(i) - 48);
  return v;
}

/** Returns false when the body is not one strace prints (the caller then tries a continuation). */
function scanBody(p: i32, hadPrefix: bool): bool {
  const c = at(p);
  if (c == MINUS && lit(p, "--- ")) return scanSignal(p + 4);
  if (c == PLUS && lit(p, "+++ ")) return scanExit(p + 4);
  if (c == LT && lit(p, "<... ")) return scanResumed(p);
  if (c == LT && lit(p, "<detached ...>")) {
    leaf(NodeKind.Detached, p, p + 14);
    lineKind = LineKind.Message;
    return skipSpaces(p + 14) >= lineEnd;
  }
  if (c == LBRACK && lit(p, "[ Process PID=")) return scanPersonality(p);
  if (scanMessage(p)) return true;
  if (isIdentStart(c) || (c == QMARK && lit(p, "???("))) {
    let q = p;
    if (c == QMARK) q += 3;
    else while (isIdentChar(at(q))) q++;
    if (at(q) == LPAREN) return scanCall(p, q);
  }
  return false;
}

/** `strace: ...`, `../../src/strace: ...` (argv[0] prefix), legacy `Process N attached`. */
function scanMessage(p: i32): bool {
  let q = p;
  while (q < lineEnd && B(q) != SP && B(q) != COLON) q++;
  if (at(q) == COLON && at(q + 1) == SP && q - p >= 6 && lit(q - 6, "strace")) {
    const t = q + 2;
    if (lit(t, "Process ")) {
      let r = t + 8;
      while (isDigit(at(r))) r++;
      if (lit(r, " attached")) leaf(NodeKind.Attached, t, lineEnd);
      else if (lit(r, " detached")) leaf(NodeKind.Detached, t, lineEnd);
      else leaf(NodeKind.MsgText, t, lineEnd);
    } else {
      leaf(NodeKind.MsgText, t, lineEnd);
    }
    lineKind = LineKind.Message;
    return true;
  }
  if (lit(p, "Process ")) {
    let r = p + 8;
    while (isDigit(at(r))) r++;
    if (r > p + 8 && (lit(r, " attached") || lit(r, " detached"))) {
      leaf(lit(r, " attached") ? NodeKind.Attached : NodeKind.Detached, p, lineEnd);
      lineKind = LineKind.Message;
      return true;
    }
  }
  return false;
}

/** `[ Process PID=123 runs in 32 bit mode. ]` */
function scanPersonality(p: i32): bool {
  let q = p + 14;
  while (isDigit(at(q))) q++;
  if (!lit(q, " runs in ")) return false;
  const ms = q + 9;
  let r = ms;
  while (r < lineEnd && !lit(r, " mode. ]")) r++;
  if (r >= lineEnd) return false;
  leaf(NodeKind.Personality, ms, r);
  lineKind = LineKind.Message;
  return skipSpaces(r + 8) >= lineEnd;
}

/** `--- SIGCHLD {si_signo=...} ---`, `--- stopped by SIGSTOP ---`. */
function scanSignal(p: i32): bool {
  if (lit(p, "stopped by ")) {
    leaf(NodeKind.Stopped, p, p + 10);
    p += 11;
  }
  let q = p;
  while (isIdentChar(at(q))) q++;
  if (q == p) return false;
  leaf(NodeKind.Signal, p, q);
  if (lit(q, " ---") && skipSpaces(q + 4) >= lineEnd) {
    lineKind = LineKind.Signal;
    return true;
  }
  if (at(q) != SP) return false;
  q++;
  // The tail before ` ---`: a siginfo struct, or (older straces) free text such as `(Child exited) @ 0 (0)`.
  let tailEnd = lineEnd;
  while (tailEnd > q && B(tailEnd - 1) == SP) tailEnd--;
  if (tailEnd - q < 4 || !lit(tailEnd - 4, " ---")) return false;
  const bodyEnd = tailEnd - 4;
  if (at(q) == LBRACE) {
    const mark = nodeCount;
    const info = open(NodeKind.SigInfo, q);
    const saveE = lineEnd;
    lineEnd = bodyEnd;
    const r = parseValue(q);
    lineEnd = saveE;
    if (r == bodyEnd) {
      close(info, r);
      lineKind = LineKind.Signal;
      return true;
    }
    setNodeCount(mark);
    lineErr = 0;
    depth = 0;
  }
  leaf(NodeKind.MsgText, q, bodyEnd);
  lineKind = LineKind.Signal;
  return true;
}

/** `+++ exited with 0 +++`, `+++ killed by SIGKILL (core dumped) +++`, `+++ superseded by execve in pid N +++`. */
function scanExit(p: i32): bool {
  let q: i32;
  if (lit(p, "exited with ")) {
    q = p + 12;
    const s = q;
    if (at(q) == MINUS) q++;
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
  if (skipSpaces(q + 4) < lineEnd) return false;
  lineKind = LineKind.Exit;
  return true;
}

/** `name(args) = ret ...`, `name(args <unfinished ...>`, or a call cut off at the end of the line. */
function scanCall(p: i32, nameEnd: i32): bool {
  const lineNodes = nodeCount;
  leaf(NodeKind.Name, p, nameEnd);
  const r = scanArgsAndResult(nameEnd + 1, true);
  if (r) return true;
  // A strace message (`strace: Process N attached`) may be glued into the middle of the call:
  // read the call up to it, and keep the message as a Glued node.
  const g = findGluedMessage(nameEnd + 1);
  if (g < 0) return tryGluedOutput(lineNodes, p, nameEnd);
  setNodeCount(lineNodes);
  lineErr = 0;
  lineErrAt = 0;
  const saveE = lineEnd;
  lineEnd = g;
  leaf(NodeKind.Name, p, nameEnd);
  const ok = scanArgsAndResult(nameEnd + 1, true);
  lineEnd = saveE;
  if (!ok || lineKind != LineKind.Open) return false;
  leaf(NodeKind.Glued, g, lineEnd);
  return true;
}

/** Program output glued after the last complete argument (`write(2, ..., 5*** stack smashing`):
 *  when reading stopped at the top level right after an argument, the rest is someone else's text. */
function tryGluedOutput(lineNodes: i32, p: i32, nameEnd: i32): bool {
  if (lineErr != ErrCode.Unexpected || lineErrAt <= nameEnd + 1) return false;
  const g = lineErrAt;
  setNodeCount(lineNodes);
  lineErr = 0;
  lineErrAt = 0;
  const saveE = lineEnd;
  lineEnd = g;
  leaf(NodeKind.Name, p, nameEnd);
  const ok = scanArgsAndResult(nameEnd + 1, true);
  lineEnd = saveE;
  if (!ok || lineKind != LineKind.Open) return false;
  leaf(NodeKind.Glued, g, lineEnd);
  return true;
}

function findGluedMessage(from: i32): i32 {
  for (let q = from; q + 8 <= lineEnd; q++) {
    if (B(q) == 115 && lit(q, "strace: ")) return q;
  }
  return -1;
}

/** Args up to `)` and the result; sets kind to Call, Unfinished or Open. `p` is just after `(`. */
function scanArgsAndResult(p: i32, isCall: bool): bool {
  const args = open(NodeKind.Args, p);
  let q: i32;
  if (isCall && lit(p, "<... resuming ")) {
    let r = p + 14;
    while (r < lineEnd && !lit(r, " ...>")) r++;
    if (r >= lineEnd) return fail(ErrCode.Unexpected, p) >= 0;
    leaf(NodeKind.Resuming, p, r + 5);
    q = r + 5;
    if (at(q) == SP && lit(q + 1, "<unfinished ...>")) {
      close(args, q);
      return finishUnfinished(q);
    }
  } else {
    q = parseItems(p, RPAREN, true);
  }
  if (q < 0) return false;
  close(args, q);
  if (q >= lineEnd) {
    lineKind = LineKind.Open;
    return true;
  }
  if (at(q) != RPAREN) {
    // parseItems stops only at `)`, the end of the line, or an unfinished/detached marker.
    return finishUnfinished(q);
  }
  return scanResult(q + 1);
}

function finishUnfinished(q: i32): bool {
  const s = at(q) == SP ? q + 1 : q;
  if (lit(s, "<unfinished ...>")) {
    leaf(NodeKind.Unfinished, q, s + 16);
    q = s + 16;
  } else if (lit(s, "<detached ...>")) {
    leaf(NodeKind.Detached, q, s + 14);
    q = s + 14;
  } else {
    return fail(ErrCode.Unexpected, q) >= 0;
  }
  if (at(q) == RPAREN) return scanResult(q + 1); // legacy `<unfinished ...>)` forms
  if (skipSpaces(q) < lineEnd) return fail(ErrCode.Unexpected, q) >= 0;
  lineKind = LineKind.Unfinished;
  return true;
}

/** After `)`: `<pad>= ret[<decor>] [ERRNO (msg)] [(aux)]... [<duration>]`. */
function scanResult(p: i32): bool {
  let q = p;
  while (at(q) == SP) q++;
  if (q == p || at(q) != EQ || at(q + 1) != SP) {
    // `exit(0) <unfinished ...>`-style or a bare `)`: only the unfinished marker may follow.
    if (lit(q, "<unfinished ...>") || lit(q, "<detached ...>")) return finishUnfinished(q > p ? q - 1 : q);
    return fail(ErrCode.BadReturn, q) >= 0;
  }
  leaf(NodeKind.Pad, p, q);
  q += 2;
  const rs = q;
  if (at(q) == QMARK) q++;
  else {
    if (at(q) == MINUS) q++;
    if (at(q) == 48 && at(q + 1) == 120) {
      q += 2;
      while (isHex(at(q))) q++;
    } else {
      while (isDigit(at(q))) q++;
    }
  }
  if (q == rs || (q == rs + 1 && at(rs) == MINUS)) return fail(ErrCode.BadReturn, rs) >= 0;
  leaf(NodeKind.Ret, rs, q);
  if (at(q) == LT) {
    const d = scanDecorEnd(q + 1);
    if (d < 0) return fail(ErrCode.Unexpected, q) >= 0;
    leaf(NodeKind.RetDecor, q + 1, d);
    q = d + 1;
    if (lit(q, "(deleted)")) {
      leaf(NodeKind.Deleted, q, q + 9);
      q += 9;
    }
  }
  while (true) {
    if (q >= lineEnd) break;
    if (at(q) != SP) return fail(ErrCode.BadReturn, q) >= 0;
    const s = q + 1;
    const c = at(s);
    if (c >= 65 && c <= 90) {
      let r = s;
      while (isUpperIdentChar(at(r))) r++;
      leaf(NodeKind.Errno, s, r);
      q = r;
      if (at(q) == SP && at(q + 1) == LPAREN) {
        const m = scanParenEnd(q + 2);
        if (m < 0) return fail(ErrCode.Unbalanced, q + 1) >= 0;
        leaf(NodeKind.ErrMsg, q + 2, m);
        q = m + 1;
      }
      continue;
    }
    if (c == LPAREN) {
      const m = scanParenEnd(s + 1);
      if (m < 0) return fail(ErrCode.Unbalanced, s) >= 0;
      leaf(NodeKind.Aux, s + 1, m);
      q = m + 1;
      continue;
    }
    if (c == LT) {
      if (lit(s, "<unavailable>")) {
        leaf(NodeKind.Unavailable, s, s + 13);
        q = s + 13;
        continue;
      }
      let r = s + 1;
      while (isDigit(at(r)) || at(r) == DOT) r++;
      if (r == s + 1 || at(r) != GT) return fail(ErrCode.BadReturn, s) >= 0;
      leaf(NodeKind.Duration, s + 1, r);
      q = r + 1;
      continue;
    }
    if (c == SLASH && at(s + 1) == STAR) {
      const r = scanCommentEnd(s + 2);
      if (r < 0) return fail(ErrCode.Unexpected, s) >= 0;
      leaf(NodeKind.Comment, s + 3, r - 1);
      q = r + 2;
      continue;
    }
    if (c == SP || c == 0) {
      // trailing spaces
      if (skipSpaces(q) >= lineEnd) break;
    }
    return fail(ErrCode.BadReturn, s) >= 0;
  }
  lineKind = LineKind.Call;
  return true;
}

/** Index of the `)` closing a parenthesis opened just before `p` (nested parens and brackets allowed). */
function scanParenEnd(p: i32): i32 {
  let d = 0;
  for (let q = p; q < lineEnd; q++) {
    const c = B(q);
    if (c == QUOTE) {
      q = scanStringEnd(q);
      if (q < 0) return -1;
      q--;
      continue;
    }
    if (c == LPAREN || c == LBRACK || c == LBRACE) d++;
    else if (c == RBRACK || c == RBRACE) d--;
    else if (c == RPAREN) {
      if (d == 0) return q;
      d--;
    }
  }
  return -1;
}

/** `<... name resumed>rest) = ret`. */
function scanResumed(p: i32): bool {
  const head = open(NodeKind.ResumedHead, p);
  let q = p + 5;
  const ns = q;
  while (isIdentChar(at(q))) q++;
  if (q > ns) {
    leaf(NodeKind.Name, ns, q);
    if (at(q) != SP) return false;
    q++;
  }
  if (!lit(q, "resumed>")) return false;
  q += 8;
  close(head, q);
  const lineNodes = nodeCount;
  if (scanResumedRest(q)) {
    if (lineKind == LineKind.Call) lineKind = LineKind.Resumed;
    return true;
  }
  const g = findGluedMessage(q);
  if (g < 0) return false;
  setNodeCount(lineNodes);
  lineErr = 0;
  const saveE = lineEnd;
  lineEnd = g;
  const ok = scanResumedRest(q);
  lineEnd = saveE;
  if (!ok || lineKind != LineKind.Open) return false;
  leaf(NodeKind.Glued, g, lineEnd);
  return true;
}

/** The part of a resumed or continued call after the head: ` => x`, more args, `)`, result. */
function scanResumedRest(q: i32): bool {
  const args = open(NodeKind.Args, q);
  let r = q;
  if (lit(r, " => ")) {
    // clone3's `{...} => {parent_tid=[42]}`: the in/out split came right at the arrow.
    const ch = open(NodeKind.Change, r);
    setSpan(ch, r, r + 4);
    const v = parseValue(r + 4);
    if (v < 0) return false;
    close(ch, v);
    setSpan(ch, r, r + 4);
    r = v;
    r = parseItemsAfterFirst(r, RPAREN, true);
  } else if (at(r) == SP && at(r + 1) == RPAREN) {
    // strace 4.x: `<... futex resumed> )`
    leaf(NodeKind.Sep, r, r + 1);
    r = r + 1;
  } else if (at(r) == SP && lit(r + 1, "<unfinished ...>")) {
    // stays as is
  } else {
    r = parseItems(r, RPAREN, true);
  }
  if (r < 0) return false;
  close(args, r);
  if (r >= lineEnd) {
    lineKind = LineKind.Open;
    return true;
  }
  if (at(r) != RPAREN) return finishUnfinished(r);
  return scanResult(r + 1);
}

/** A line continuing a call that an interleaved message or program output cut off:
 *  `, child_tidptr=0x..) = 4060`, `{st_mode=...}, 0) = 0`, ` <unfinished ...>`. */
function scanCont(p: i32): bool {
  const lineNodes = nodeCount;
  if (at(p) == SP && (lit(p + 1, "<unfinished ...>") || lit(p + 1, "<detached ...>"))) {
    const args = open(NodeKind.Args, p);
    close(args, p);
    if (!finishUnfinished(p)) return false;
    lineKind = LineKind.Cont;
    return true;
  }
  let q = p;
  const args = open(NodeKind.Args, p);
  if (at(q) == COMMA && at(q + 1) == SP) {
    leaf(NodeKind.Sep, q, q + 2);
    q = parseItems(q + 2, RPAREN, true);
  } else if (lit(q, " => ")) {
    const ch = open(NodeKind.Change, q);
    const v = parseValue(q + 4);
    if (v < 0) return false;
    close(ch, v);
    setSpan(ch, q, q + 4);
    q = parseItemsAfterFirst(v, RPAREN, true);
  } else if (at(q) == RPAREN) {
    // nothing more
  } else {
    q = parseItems(q, RPAREN, true);
  }
  if (q < 0 || q >= lineEnd) {
    setNodeCount(lineNodes);
    return false;
  }
  close(args, q);
  let ok: bool;
  if (at(q) != RPAREN) ok = finishUnfinished(q);
  else ok = scanResult(q + 1);
  if (!ok) return false;
  lineKind = LineKind.Cont;
  return true;
}

// ---- argument lists and values

/** Items separated by `, ` (or single spaces inside `[...]` sets) until `closer`.
 *  At the top level of a call (`top`), also stops at an unfinished marker or the end of the line.
 *  Returns the position of the closer / marker / line end, or -1. */
function parseItems(p: i32, closer: i32, top: bool): i32 {
  if (at(p) == closer) return p;
  if (top) {
    if (p >= lineEnd) return p;
    if (markerAt(p)) return p;
  }
  const q = parseItem(p);
  if (q < 0) return -1;
  return parseItemsAfterFirst(q, closer, top);
}

function parseItemsAfterFirst(p: i32, closer: i32, top: bool): i32 {
  let q = p;
  while (true) {
    const c = at(q);
    if (c == closer) return q;
    if (top && q >= lineEnd) return q;
    if (c == COMMA) {
      const canonical = at(q + 1) == SP;
      const s = canonical ? q + 2 : q + 1;
      // A trailing separator before the end of the line or an unfinished marker is kept as a
      // Sep node, so the renderer can put it back.
      if (top && (s >= lineEnd || markerAt(s))) {
        leaf(NodeKind.Sep, q, s);
        return s;
      }
      if (!canonical) leaf(NodeKind.Sep, q, s);
      q = parseItem(s);
      if (q < 0) return -1;
      continue;
    }
    if (c == SP) {
      if (top && markerAt(q)) return q;
      if (closer == RBRACK) {
        q = parseItem(q + 1);
        if (q < 0) return -1;
        continue;
      }
    }
    if (q >= lineEnd) return fail(ErrCode.Unbalanced, q);
    return fail(ErrCode.Unexpected, q);
  }
}

/** ` <unfinished ...>` or ` <detached ...>` at p. */
function markerAt(p: i32): bool {
  return at(p) == SP && (lit(p + 1, "<unfinished ...>") || lit(p + 1, "<detached ...>"));
}

/** `key=value` or a value. */
function parseItem(p: i32): i32 {
  // -X raw can print an empty value (`statx(-100, "a", , 0xfff, ...)`): an Ident with an empty span.
  const c0 = at(p);
  if (c0 == COMMA) {
    leaf(NodeKind.Ident, p, p);
    return p;
  }
  if (isIdentStart(at(p))) {
    let q = p;
    while (isIdentChar(at(q))) q++;
    if (at(q) == EQ && at(q + 1) != EQ) {
      const f = open(NodeKind.Field, p);
      setSpan(f, p, q);
      const v = parseValue(q + 1);
      if (v < 0) return -1;
      setNext(f, nodeCount);
      return v;
    }
  }
  return parseValue(p);
}

/** term (op term)* [=> value]. Operators: `|` makes a Flags node; others an Expr node. */
function parseValue(p: i32): i32 {
  if (++depth > MAX_DEPTH) return fail(ErrCode.TooDeep, p);
  const first = nodeCount;
  let q = parseTerm(p);
  if (q < 0) return -1;
  let container = -1;
  let allPipes = true;
  while (true) {
    const n = opLength(q);
    if (n == 0) break;
    if (container < 0) {
      container = wrap(first, NodeKind.Flags, p, MAX_WRAP_NODES);
      if (container < 0) return fail(ErrCode.TooDeep, q);
    }
    if (!(n == 1 && at(q) == PIPE)) {
      allPipes = false;
      leaf(NodeKind.Op, q, q + n);
    } else {
      leaf(NodeKind.Op, q, q + 1);
    }
    q = parseTerm(q + n);
    if (q < 0) return -1;
  }
  if (container >= 0) {
    close(container, q);
    if (!allPipes) setKind(container, NodeKind.Expr);
  }
  if (lit(q, " => ")) {
    const ch = wrap(first, NodeKind.Change, q, MAX_WRAP_NODES);
    if (ch < 0) return fail(ErrCode.TooDeep, q);
    const r = parseValue(q + 4);
    if (r < 0) return -1;
    close(ch, r);
    setSpan(ch, q, q + 4);
    q = r;
  }
  depth--;
  return q;
}

/** Length of a binary operator at p, or 0. Spaced operators carry their spaces. */
function opLength(p: i32): i32 {
  const c = at(p);
  if (c == PIPE) return at(p + 1) == PIPE ? 0 : 1;
  if (c == LT && at(p + 1) == LT) return 2;
  if (c == GT && at(p + 1) == GT) return 2;
  if (c == AMP && at(p + 1) == AMP) return 2;
  if (c == EQ && at(p + 1) == EQ) return 2;
  if (c == BANG && at(p + 1) == EQ) return 2;
  // `8192*1024`; but not `5*** stack smashing` (program output glued after an argument).
  if (c == STAR && (isDigit(at(p + 1)) || isIdentStart(at(p + 1)))) return 1;
  if (c != SP) return 0;
  const d = at(p + 1);
  const d2 = at(p + 2);
  if (d2 == SP) {
    if (d == PIPE || d == AMP || d == QMARK || d == COLON || d == PLUS || d == MINUS || d == STAR || d == SLASH || d == LT || d == GT) return 3;
  }
  if (at(p + 3) == SP) {
    if ((d == AMP && d2 == AMP) || (d == PIPE && d2 == PIPE) || (d == EQ && d2 == EQ) || (d == BANG && d2 == EQ)) return 4;
    if ((d == LT && (d2 == LT || d2 == EQ)) || (d == GT && (d2 == GT || d2 == EQ))) return 4;
  }
  return 0;
}

function parseTerm(p: i32): i32 {
  const c = at(p);
  const root = nodeCount;
  let q: i32;
  if (c == QUOTE || (c == AT && at(p + 1) == QUOTE)) {
    const s = c == AT ? p + 1 : p;
    const e = scanStringEnd(s);
    if (e < 0) return fail(ErrCode.UnterminatedString, p);
    if (lit(e, "...")) {
      leaf(NodeKind.StrTrunc, p, e);
      q = e + 3;
    } else {
      leaf(NodeKind.Str, p, e);
      q = e;
    }
  } else if (c == LBRACK || (c == TILDE && at(p + 1) == LBRACK)) {
    const s = c == TILDE ? p + 1 : p;
    const n = open(c == TILDE ? NodeKind.NegSet : NodeKind.Array, p);
    if (++depth > MAX_DEPTH) return fail(ErrCode.TooDeep, p);
    const firstChild = nodeCount;
    const r = parseItems(s + 1, RBRACK, false);
    if (r < 0) return -1;
    depth--;
    close(n, r + 1);
    if (c != TILDE) {
      const kids = countChildren(n);
      // `[HUP TERM]` is a set; so is a single symbolic member `[ABRT]`.
      if (kids > 1 && !hasCommaSep(s + 1, r, firstChild)) setKind(n, NodeKind.Set);
      else if (kids == 1 && kindOf(firstChild) == NodeKind.Ident) setKind(n, NodeKind.Set);
    }
    q = r + 1;
  } else if (c == LBRACE) {
    const n = open(NodeKind.Struct, p);
    if (++depth > MAX_DEPTH) return fail(ErrCode.TooDeep, p);
    const r = parseItems(p + 1, RBRACE, false);
    if (r < 0) return -1;
    depth--;
    close(n, r + 1);
    q = r + 1;
  } else if (c == DOT && lit(p, "...")) {
    leaf(NodeKind.Elided, p, p + 3);
    q = p + 3;
  } else if (isDigit(c) || (c == MINUS && isDigit(at(p + 1)))) {
    q = p;
    if (c == MINUS) q++;
    let kind = NodeKind.Int;
    if (at(q) == 48 && (at(q + 1) == 120 || at(q + 1) == 88)) {
      q += 2;
      while (isHex(at(q))) q++;
    } else {
      while (isDigit(at(q))) q++;
      if (at(q) == DOT && isDigit(at(q + 1))) {
        q++;
        while (isDigit(at(q))) q++;
        kind = NodeKind.Float;
      }
    }
    if (at(q) == COLON && isHex(at(q + 1)) && c != MINUS) {
      // colon-separated hex such as a MAC address `00:00:00:00:00:00`: a symbolic literal
      while (isHex(at(q)) || at(q) == COLON) q++;
      kind = NodeKind.Ident;
    }
    if (isIdentChar(at(q))) return fail(ErrCode.Unexpected, q);
    leaf(kind, p, q);
  } else if (isIdentStart(c) || (c == AMP && isIdentStart(at(p + 1)))) {
    q = p + 1;
    while (isIdentChar(at(q))) q++;
    if (at(q) == LPAREN) {
      const n = open(NodeKind.Call, p);
      if (++depth > MAX_DEPTH) return fail(ErrCode.TooDeep, p);
      const r = parseItems(q + 1, RPAREN, false);
      if (r < 0) return -1;
      depth--;
      close(n, r + 1);
      return parsePostfix(n, r + 1);
    }
    leaf(NodeKind.Ident, p, q);
  } else if (c == PIPE && at(p + 1) != PIPE) {
    // `|0x100`: a flag set whose symbolic part printed empty (-X raw); the empty Ident starts it.
    leaf(NodeKind.Ident, p, p);
    return p;
  } else if (c == SLASH && at(p + 1) == STAR) {
    // a standalone comment item: legacy `getdents(3, /* 10 entries */, 4096)`
    const r = scanCommentEnd(p + 2);
    if (r < 0) return fail(ErrCode.Unexpected, p);
    leaf(NodeKind.Comment, p + 3, r - 1);
    return r + 2;
  } else if (c == LT && lit(p, "<... ")) {
    let r = p + 5;
    while (r < lineEnd && !lit(r, " ...>")) r++;
    if (r >= lineEnd) return fail(ErrCode.Unexpected, p);
    leaf(NodeKind.Resuming, p, r + 5);
    return r + 5;
  } else {
    if (p >= lineEnd) return fail(ErrCode.Unbalanced, p);
    return fail(ErrCode.Unexpected, p);
  }
  return parsePostfix(root, q);
}

/** Decorations after a term: `<path>` (-y), `(deleted)`, ` /* comment *\/`. They become
 *  trailing children of the term so the term's subtree covers them (start >= the term's end). */
function parsePostfix(term: i32, q: i32): i32 {
  while (true) {
    const c = at(q);
    if (c == LT && at(q + 1) != LT && !lit(q, "<... ") && !lit(q, "<unfinished") && !lit(q, "<detached")) {
      const d = scanDecorEnd(q + 1);
      if (d < 0) return fail(ErrCode.Unexpected, q);
      leaf(NodeKind.Decor, q + 1, d);
      setNext(term, nodeCount);
      q = d + 1;
      continue;
    }
    if (c == LPAREN && lit(q, "(deleted)")) {
      leaf(NodeKind.Deleted, q, q + 9);
      setNext(term, nodeCount);
      q += 9;
      continue;
    }
    if (c == SP && at(q + 1) == SLASH && at(q + 2) == STAR) {
      const r = scanCommentEnd(q + 3);
      if (r < 0) return fail(ErrCode.Unexpected, q);
      leaf(NodeKind.Comment, q + 4, r - 1);
      setNext(term, nodeCount);
      q = r + 2;
      continue;
    }
    return q;
  }
}

/** Index just after the closing quote of a string starting at p, or -1. */
function scanStringEnd(p: i32): i32 {
  let q = p + 1;
  while (q < lineEnd) {
    const c = B(q);
    if (c == BACKSLASH) {
      q += 2;
      continue;
    }
    if (c == QUOTE) return q + 1;
    q++;
  }
  return -1;
}

/** Index of the `*` of the closing `*\/` of a comment whose body starts at p, or -1. */
function scanCommentEnd(p: i32): i32 {
  for (let q = p; q + 1 < lineEnd; q++) if (B(q) == STAR && B(q + 1) == SLASH) return q;
  return -1;
}

/** Index of the `>` closing a decoration whose text starts at p. strace escapes `<`/`>` inside
 *  paths, but socket decorations like `TCP:[1.2.3.4:5->6.7.8.9:10]` contain `->` inside brackets. */
function scanDecorEnd(p: i32): i32 {
  let brackets = 0;
  let angles = 0;
  for (let q = p; q < lineEnd; q++) {
    const c = B(q);
    if (c == LBRACK) brackets++;
    else if (c == RBRACK) brackets--;
    else if (brackets <= 0) {
      // -yy nests: `7</dev/null<char 1:3>>`
      if (c == LT) angles++;
      else if (c == GT) {
        if (angles == 0) return q;
        angles--;
      }
    }
  }
  return -1;
}

function countChildren(n: i32): i32 {
  let count = 0;
  const end = nextOf(n);
  for (let i = n + 1; i < end; i = nextOf(i)) count++;
  return count;
}

/** Whether the list between [s, r) separated its top-level items with commas. The first
 *  child's end tells where the first separator is. */
function hasCommaSep(_s: i32, _r: i32, firstChild: i32): bool {
  let end = endOf(firstChild);
  // The subtree may extend further than the node's own span (annotations, field values).
  const next = nextOf(firstChild);
  for (let i = firstChild; i < next; i++) {
    const e = endOf(i);
    if (e > end) end = e;
  }
  while (end < lineEnd && B(end) != COMMA && B(end) != SP) end++;
  return at(end) == COMMA;
}
