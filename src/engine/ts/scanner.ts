// The pure-TypeScript line scanner. It reads one physical line of strace output and appends
// node quads (src/engine/abi.ts) describing every part of it; it never builds strings or objects.
// assembly/scanner.ts is a faithful port: both must write identical tables for every input, so
// keep this file byte-oriented and free of JS-only conveniences (regexes, string methods).

import { ErrCode, LineKind, MAX_DEPTH, NodeField, NodeKind } from "../abi.js";

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

/** Decoration scanning per line: this many bytes per byte of the line, plus a floor (see decorBudget). */
const DECOR_BUDGET_PER_BYTE = 8;
const DECOR_BUDGET_MIN = 65536;
/** Lines at least this long get the largest i32 budget instead (8 * this + the floor < 2^31). */
const DECOR_BUDGET_LINE_CAP = 0x0ffe0000;

function isDigit(c: i32): boolean {
  return c >= 48 && c <= 57;
}
function isHex(c: i32): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}
function isAlpha(c: i32): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}
function isIdentStart(c: i32): boolean {
  return isAlpha(c) || c == 95;
}
function isIdentChar(c: i32): boolean {
  return isAlpha(c) || isDigit(c) || c == 95;
}
function isUpperIdentChar(c: i32): boolean {
  return (c >= 65 && c <= 90) || isDigit(c) || c == 95;
}

export class LineScanner {
  nodes: Int32Array = new Int32Array(1024 * NodeField.Stride);
  nodeCount: i32 = 0;
  // Results of the last scanLine call.
  kind: i32 = 0;
  pid: i32 = -1;
  err: i32 = 0;
  errAt: i32 = 0;

  private b: Uint8Array = new Uint8Array(0);
  /** End of the current line (exclusive): reads at or past it see 0. */
  private e: i32 = 0;
  private depth: i32 = 0;
  /** First node of the line being scanned. */
  private lineFirstNode: i32 = 0;
  /** Separator kind of the list parseItemsAfterFirst last finished (see there). */
  private listSep: i32 = 0;
  /** The Args node of the call being scanned (for the echo checks). */
  private argsNode: i32 = 0;
  /** Span of the name of the call being scanned (for the echo checks of `write`). */
  private callNameStart: i32 = 0;
  private callNameEnd: i32 = 0;
  /** Bytes decoration scans may still read on this line. A scan that finds no `>` runs to the end
   *  of the line, and text such as `[5<pipe:[3] x([4 => 1], [5<pipe:...` repeated would start one
   *  per segment: past this budget (several times the line, far above any real line's need) a
   *  decoration does not close, so a line's work stays linear in its length. */
  private decorBudget: i32 = 0;

  reset(): void {
    this.nodeCount = 0;
  }

  // ---- node table

  private ensure(extra: i32): void {
    const need = (this.nodeCount + extra) * NodeField.Stride;
    if (need > this.nodes.length) {
      let cap = this.nodes.length * 2;
      while (cap < need) cap *= 2;
      const grown = new Int32Array(cap);
      grown.set(this.nodes);
      this.nodes = grown;
    }
  }

  private open(kind: i32, start: i32): i32 {
    this.ensure(1);
    const i = this.nodeCount++;
    const o = i * NodeField.Stride;
    this.nodes[o] = kind;
    this.nodes[o + 1] = start;
    this.nodes[o + 2] = start;
    this.nodes[o + 3] = i + 1;
    return i;
  }

  private close(i: i32, end: i32): void {
    const o = i * NodeField.Stride;
    this.nodes[o + 2] = end;
    this.nodes[o + 3] = this.nodeCount;
  }

  private leaf(kind: i32, start: i32, end: i32): i32 {
    const i = this.open(kind, start);
    this.close(i, end);
    return i;
  }

  private setKind(i: i32, kind: i32): void {
    this.nodes[i * NodeField.Stride] = kind;
  }

  private setSpan(i: i32, start: i32, end: i32): void {
    this.nodes[i * NodeField.Stride + 1] = start;
    this.nodes[i * NodeField.Stride + 2] = end;
  }

  /** Insert a container node before node `first` (whose subtree runs to the end of the table),
   *  so operators found after a term can adopt it without a second pass. Returns the new index
   *  or -1 when the term is too large to move. */
  private wrap(first: i32, kind: i32, start: i32): i32 {
    const n = this.nodeCount - first;
    if (n > MAX_WRAP_NODES) return -1;
    this.ensure(1);
    const s = NodeField.Stride;
    this.nodes.copyWithin((first + 1) * s, first * s, this.nodeCount * s);
    for (let i = first + 1; i <= this.nodeCount; i++) this.nodes[i * s + 3] += 1;
    this.nodeCount++;
    const o = first * s;
    this.nodes[o] = kind;
    this.nodes[o + 1] = start;
    this.nodes[o + 2] = start;
    this.nodes[o + 3] = first + 1;
    return first;
  }

  // ---- byte helpers

  private at(p: i32): i32 {
    return p < this.e ? this.b[p] : 0;
  }

  private lit(p: i32, s: string): boolean {
    const n = s.length;
    if (p + n > this.e) return false;
    for (let i = 0; i < n; i++) if (this.b[p + i] != s.charCodeAt(i)) return false;
    return true;
  }

  private fail(code: i32, p: i32): i32 {
    if (this.err == 0) {
      this.err = code;
      this.errAt = p;
    }
    return -1;
  }

  private skipSpaces(p: i32): i32 {
    while (p < this.e && this.b[p] == SP) p++;
    return p;
  }

  // ---- the line

  /** Scan bytes[start, end). Appends nodes; sets kind, pid, err, errAt. */
  scanLine(bytes: Uint8Array, start: i32, end: i32): void {
    this.b = bytes;
    this.e = end;
    this.kind = LineKind.Foreign;
    this.pid = -1;
    this.err = 0;
    this.errAt = 0;
    this.depth = 0;
    // (kept below 2^31: the WASM port computes in i32)
    this.decorBudget = end - start < DECOR_BUDGET_LINE_CAP ? (end - start) * DECOR_BUDGET_PER_BYTE + DECOR_BUDGET_MIN : 0x7fffffff;
    const first = this.nodeCount;
    this.lineFirstNode = first;

    let p = start;
    while (p < end && (bytes[p] == SP || bytes[p] == TAB)) p++;
    if (p == end) {
      this.kind = LineKind.Blank;
      return;
    }
    // (each literal test below is guarded by its first byte: these run for every line)
    if (bytes[start] == SP) {
      if (this.lit(start, " > ")) {
        this.leaf(NodeKind.MsgText, start + 3, end);
        this.kind = LineKind.Stack;
        return;
      }
      if ((this.lit(start, " | ") && this.isDumpOffset(start + 3)) || (this.lit(start, " * ") && this.isDumpHeader(start + 3)) || this.isVectorHeader(start) || this.lit(start, " VCPU:")) {
        this.kind = LineKind.Dump;
        return;
      }
    }
    const body = this.scanPrefix(start);
    if (body >= 0 && this.scanBody(body)) return;

    // Not a line strace starts: maybe the continuation of a call split by interleaved output.
    const bodyErr = this.err;
    const bodyErrAt = this.errAt;
    this.nodeCount = first;
    this.pid = -1;
    this.err = 0;
    this.errAt = 0;
    this.depth = 0;
    // -c tables are tested only now, after the common case: no table line reads as a call,
    // signal, exit or message (none has a `name(`, `--- `, `+++ ` or `strace: ` body).
    if (this.isSummaryLine(start)) {
      this.kind = LineKind.Summary;
      return;
    }
    if (this.scanCont(start)) return;
    this.nodeCount = first;
    this.pid = -1;
    this.err = 0;
    this.errAt = 0;
    this.depth = 0;
    if (this.scanAfterOutput(start)) return;
    this.nodeCount = first;
    this.pid = -1;
    this.kind = LineKind.Foreign;
    // Report why the line's own shape failed to read, when it had one.
    this.err = bodyErr != 0 ? bodyErr : ErrCode.NotStrace;
    this.errAt = bodyErr != 0 ? bodyErrAt : start;
  }

  /** The hex offset of a -e read=/write= dump row (` | 00000  68 65 ...`): five or more hex digits
   *  and two spaces. (`--tips` boxes also start lines with ` | `.) */
  private isDumpOffset(p: i32): boolean {
    let q = p;
    while (isHex(this.at(q))) q++;
    return q - p >= 5 && this.at(q) == SP && this.at(q + 1) == SP;
  }

  /** Program output that ended without a newline, then strace's line: `x[pid 21828] write(...`,
   *  `abc--- SIGCHLD {...} ---`. Only the first place a prefixed line, signal or exit could start
   *  is tried, so a long line costs one pass. */
  private scanAfterOutput(start: i32): boolean {
    for (let g = start + 1; g + 5 <= this.e; g++) {
      const c = this.b[g];
      const candidate = (c == LBRACK && this.lit(g, "[pid ")) || (c == MINUS && (this.lit(g, "--- SIG") || this.lit(g, "--- stopped by "))) || (c == PLUS && this.lit(g, "+++ "));
      if (!candidate) continue;
      this.leaf(NodeKind.Lead, start, g);
      const body = this.scanPrefix(g);
      if (body >= 0 && this.scanBody(body)) return true;
      this.pid = -1;
      this.depth = 0;
      return false;
    }
    return false;
  }

  /** ` * 12 bytes in buffer 0` headers of -e write= dumps of vectors. */
  private isDumpHeader(p: i32): boolean {
    while (isDigit(this.at(p))) p++;
    return this.lit(p, " bytes in buffer ");
  }

  /** ` = 2 buffers in vector 0` headers of -e write= dumps of sendmmsg vectors. */
  private isVectorHeader(p: i32): boolean {
    if (!this.lit(p, " = ")) return false;
    let q = p + 3;
    while (isDigit(this.at(q))) q++;
    return q > p + 3 && this.lit(q, " buffers in vector ");
  }

  /** -c/-C table lines: headers (every word a column name), `------` rules, `System call usage
   *  summary for ...`, and rows: numbers and one name (the syscall, or `total`) in any order, since
   *  -U picks the columns and their order. (The stitcher takes rows only inside a table.) */
  private isSummaryLine(p: i32): boolean {
    const c0 = this.at(p);
    if ((c0 == MINUS && this.lit(p, "------")) || (c0 == 83 && this.lit(p, "System call usage summary"))) return true;
    if (this.isSummaryHeader(p)) return true;
    let numeric = 0;
    let names = 0;
    let q = p;
    for (;;) {
      q = this.skipSpaces(q);
      if (q >= this.e) return numeric > 0 && names == 1;
      const s = q;
      let digits = 0;
      let other = 0;
      while (q < this.e && this.b[q] != SP) {
        const c = this.b[q];
        if (isDigit(c)) digits++;
        else if (c != DOT) other++;
        q++;
      }
      if (other == 0 && digits > 0) {
        numeric++;
        continue;
      }
      if (!isIdentStart(this.b[s])) return false;
      for (let i = s; i < q; i++) if (!isIdentChar(this.b[i])) return false;
      if (++names > 1) return false;
    }
  }

  /** A table header: two or more words, each a column name strace prints (`% time` is one). */
  private isSummaryHeader(p: i32): boolean {
    let q = this.skipSpaces(p);
    let words = 0;
    while (q < this.e) {
      const n = this.columnNameLength(q);
      if (n == 0) return false;
      q = this.skipSpaces(q + n);
      words++;
    }
    return words >= 2;
  }

  /** Length of the column name at p (ending at a space or the line's end), else 0. */
  private columnNameLength(p: i32): i32 {
    let n = 0;
    const c = this.at(p);
    if (c == 37 && this.lit(p, "% time")) n = 6;
    else if (c == 115 && this.lit(p, "seconds")) n = 7;
    else if (c == 115 && this.lit(p, "syscall")) n = 7;
    else if (c == 115 && this.lit(p, "shortest")) n = 8;
    else if (c == 117 && this.lit(p, "usecs/call")) n = 10;
    else if (c == 99 && this.lit(p, "calls")) n = 5;
    else if (c == 101 && this.lit(p, "errors")) n = 6;
    else if (c == 108 && this.lit(p, "longest")) n = 7;
    if (n == 0 || (p + n < this.e && this.b[p + n] != SP)) return 0;
    return n;
  }

  /** Reads pid, -Y comm, timestamp, -i pointer and -n number. Returns where the body starts. */
  private scanPrefix(p: i32): i32 {
    if (this.at(p) == LBRACK && this.lit(p, "[pid")) {
      const br = this.open(NodeKind.PidBracket, p);
      let q = this.skipSpaces(p + 4);
      const ds = q;
      while (isDigit(this.at(q))) q++;
      // pids have at most 7 digits (pid_max is 4194304); anything longer is not a pid
      if (q == ds || q - ds > 7 || (this.at(q) != RBRACK && this.at(q) != LT)) return this.fail(ErrCode.Unexpected, q);
      this.leaf(NodeKind.Pid, ds, q);
      this.pid = this.parseSmallInt(ds, q);
      if (this.at(q) == LT) {
        // -Y with -f: `[pid 1234<comm>]`
        const close = this.commClose(q, RBRACK);
        if (close < 0) return this.fail(ErrCode.Unexpected, q);
        this.leaf(NodeKind.Comm, q + 1, close);
        q = close + 1;
      }
      q++;
      this.close(br, q);
      if (this.at(q) != SP) return this.fail(ErrCode.Unexpected, q);
      p = q + 1;
    } else if (isDigit(this.at(p))) {
      let q = p;
      while (isDigit(this.at(q))) q++;
      const c = this.at(q);
      // Pids have at most 7 digits; a longer leading number is a -ttt / unix-seconds timestamp.
      if (q - p <= 7 && (c == SP || c == LT)) {
        this.leaf(NodeKind.Pid, p, q);
        this.pid = this.parseSmallInt(p, q);
        if (c == LT) {
          // -Y: `1234<comm>`
          const close = this.commClose(q, SP);
          if (close < 0) return this.fail(ErrCode.Unexpected, q);
          this.leaf(NodeKind.Comm, q + 1, close);
          q = close + 1;
        }
        p = this.skipSpaces(q);
      }
    }
    // Timestamps: -t/-tt `HH:MM:SS[.frac]`, -ttt/unix `SECS[.frac]`, -r right-aligned `  SECS[.frac]`.
    {
      const s = this.skipSpaces(p);
      let q = s;
      while (isDigit(this.at(q))) q++;
      if (q > s) {
        let ok = false;
        if (this.at(q) == COLON) {
          q++;
          while (isDigit(this.at(q)) || this.at(q) == COLON) q++;
          ok = true;
        }
        if (this.at(q) == DOT && isDigit(this.at(q + 1))) {
          q++;
          while (isDigit(this.at(q))) q++;
          ok = true;
        } else if (!ok) {
          // whole seconds: unix seconds without a fraction, or -r with precision:s (`     0`); no
          // body starts with a digit, so a number here is always a timestamp
          ok = true;
        }
        if (ok && this.at(q) == SP) {
          this.leaf(NodeKind.Time, s, q);
          p = q + 1;
          // -t with -r: `(+     0.000243) `, the time since the previous line
          if (this.at(p) == LPAREN && this.at(p + 1) == PLUS) {
            const rs = this.skipSpaces(p + 2);
            let r = rs;
            while (isDigit(this.at(r)) || this.at(r) == DOT) r++;
            if (r > rs && this.at(r) == RPAREN && this.at(r + 1) == SP) {
              this.leaf(NodeKind.Relative, rs, r);
              p = r + 2;
            }
          }
        }
      }
    }
    // -i `[00007f..]` / `[????????????????]` and -n `[ 257]` / `[???]`, in that order.
    while (this.at(p) == LBRACK) {
      let q = p + 1;
      let spaces = 0;
      while (q < this.e && this.b[q] != RBRACK && this.b[q] != LBRACK) {
        const c = this.b[q];
        if (c == SP) spaces++;
        else if (!isHex(c) && c != QMARK) return p;
        q++;
      }
      if (this.at(q) != RBRACK || this.at(q + 1) != SP) return p;
      const len = q - (p + 1);
      if (len == 0) return p;
      // Instruction pointers are zero-padded to 8 or 16 digits; -n numbers are padded with spaces.
      this.leaf(spaces == 0 && (len == 8 || len == 16) ? NodeKind.Ip : NodeKind.Scno, p + 1, q);
      p = q + 2;
    }
    return p;
  }

  /** The `>` closing a -Y comm whose `<` is at q: the first `>` followed by `after`. A comm is at
   *  most 15 bytes, escaped up to four each (`\33`), and may itself contain `>`. -1 if none. */
  private commClose(q: i32, after: i32): i32 {
    for (let r = q + 1; r < this.e && r <= q + 65; r++) if (this.b[r] == GT && this.at(r + 1) == after) return r;
    return -1;
  }

  private parseSmallInt(s: i32, e: i32): i32 {
    let v = 0;
    for (let i = s; i < e; i++) v = v * 10 + (this.b[i] - 48);
    return v;
  }

  /** Returns false when the body is not one strace prints (the caller then tries a continuation). */
  private scanBody(p: i32): boolean {
    const c = this.at(p);
    if (c == MINUS && this.lit(p, "--- ")) return this.scanSignal(p + 4);
    if (c == PLUS && this.lit(p, "+++ ")) return this.scanExit(p + 4);
    if (c == LT && this.lit(p, "<... ")) return this.scanResumed(p);
    if (c == LT && this.lit(p, "<detached ...>")) {
      this.leaf(NodeKind.Detached, p, p + 14);
      this.kind = LineKind.Message;
      return this.skipSpaces(p + 14) >= this.e;
    }
    if (c == LBRACK && this.lit(p, "[ Process PID=")) return this.scanPersonality(p);
    // a call first, the common case; no message has a `name(` body
    if (isIdentStart(c) || (c == QMARK && this.lit(p, "???("))) {
      let q = p;
      if (c == QMARK) q += 3;
      else while (isIdentChar(this.at(q))) q++;
      if (this.at(q) == LPAREN) return this.scanCall(p, q);
    }
    return this.scanMessage(p);
  }

  /** `strace: ...`, `../../src/strace: ...` (argv[0] prefix), legacy `Process N attached`. */
  private scanMessage(p: i32): boolean {
    // argv[0] is a path: `strace`, `/usr/bin/strace`, `../../src/strace`
    let q = p;
    while (q < this.e && (isIdentChar(this.b[q]) || this.b[q] == SLASH || this.b[q] == DOT || this.b[q] == MINUS)) q++;
    if (this.at(q) == COLON && this.at(q + 1) == SP && q - p >= 6 && this.lit(q - 6, "strace")) {
      const t = q + 2;
      if (this.lit(t, "Process ")) {
        let r = t + 8;
        while (isDigit(this.at(r))) r++;
        if (this.lit(r, " attached")) this.leaf(NodeKind.Attached, t, this.e);
        else if (this.lit(r, " detached")) this.leaf(NodeKind.Detached, t, this.e);
        else this.leaf(NodeKind.MsgText, t, this.e);
      } else {
        this.leaf(NodeKind.MsgText, t, this.e);
      }
      this.kind = LineKind.Message;
      return true;
    }
    // after a usage error: `Try 'strace -h' for more information.` (argv[0] may be a path)
    if (this.at(p) == 84 && this.lit(p, "Try '")) {
      const tail = this.e - 26;
      if (tail >= p + 11 && this.lit(tail, " -h' for more information.") && this.lit(tail - 6, "strace")) {
        this.leaf(NodeKind.MsgText, p, this.e);
        this.kind = LineKind.Message;
        return true;
      }
    }
    if (this.at(p) == 80 && this.lit(p, "Process ")) {
      let r = p + 8;
      while (isDigit(this.at(r))) r++;
      if (r > p + 8 && (this.lit(r, " attached") || this.lit(r, " detached"))) {
        this.leaf(this.lit(r, " attached") ? NodeKind.Attached : NodeKind.Detached, p, this.e);
        this.kind = LineKind.Message;
        return true;
      }
    }
    return false;
  }

  /** `[ Process PID=123 runs in 32 bit mode. ]` */
  private scanPersonality(p: i32): boolean {
    let q = p + 14;
    while (isDigit(this.at(q))) q++;
    if (!this.lit(q, " runs in ")) return false;
    const ms = q + 9;
    let r = ms;
    while (r < this.e && !this.lit(r, " mode. ]")) r++;
    if (r >= this.e) return false;
    this.leaf(NodeKind.Personality, ms, r);
    this.kind = LineKind.Message;
    return this.skipSpaces(r + 8) >= this.e;
  }

  /** `--- SIGCHLD {si_signo=...} ---`, `--- stopped by SIGSTOP ---`. */
  private scanSignal(p: i32): boolean {
    if (this.lit(p, "stopped by ")) {
      this.leaf(NodeKind.Stopped, p, p + 10);
      p += 11;
    }
    let q = p;
    while (isIdentChar(this.at(q))) q++;
    if (q == p) return false;
    this.leaf(NodeKind.Signal, p, q);
    if (this.lit(q, " ---") && this.skipSpaces(q + 4) >= this.e) {
      this.kind = LineKind.Signal;
      return true;
    }
    if (this.at(q) != SP) return false;
    q++;
    // The tail before ` ---`: a siginfo struct, or (older straces) free text such as `(Child exited) @ 0 (0)`.
    let tailEnd = this.e;
    while (tailEnd > q && this.b[tailEnd - 1] == SP) tailEnd--;
    if (tailEnd - q < 4 || !this.lit(tailEnd - 4, " ---")) return false;
    const bodyEnd = tailEnd - 4;
    if (this.at(q) == LBRACE) {
      const mark = this.nodeCount;
      const info = this.open(NodeKind.SigInfo, q);
      const saveE = this.e;
      this.e = bodyEnd;
      const r = this.parseValue(q);
      this.e = saveE;
      if (r == bodyEnd) {
        this.close(info, r);
        this.kind = LineKind.Signal;
        return true;
      }
      this.nodeCount = mark;
      this.err = 0;
      this.depth = 0;
    }
    this.leaf(NodeKind.MsgText, q, bodyEnd);
    this.kind = LineKind.Signal;
    return true;
  }

  /** `+++ exited with 0 +++`, `+++ killed by SIGKILL (core dumped) +++`, `+++ superseded by execve in pid N +++`. */
  private scanExit(p: i32): boolean {
    let q: i32;
    if (this.lit(p, "exited with ")) {
      q = p + 12;
      const s = q;
      if (this.at(q) == MINUS) q++;
      while (isDigit(this.at(q))) q++;
      if (q == s) return false;
      this.leaf(NodeKind.ExitCode, s, q);
    } else if (this.lit(p, "killed by ")) {
      this.leaf(NodeKind.Killed, p, p + 9);
      q = p + 10;
      const s = q;
      while (isIdentChar(this.at(q))) q++;
      if (q == s) return false;
      this.leaf(NodeKind.Signal, s, q);
      if (this.lit(q, " (core dumped)")) {
        this.leaf(NodeKind.Core, q + 1, q + 14);
        q += 14;
      }
    } else if (this.lit(p, "superseded by execve in pid ")) {
      q = p + 28;
      const s = q;
      while (isDigit(this.at(q))) q++;
      if (q == s) return false;
      const n = this.open(NodeKind.Superseded, p);
      this.leaf(NodeKind.Pid, s, q);
      this.close(n, q);
    } else {
      return false;
    }
    if (!this.lit(q, " +++")) return false;
    if (this.skipSpaces(q + 4) < this.e) return false;
    this.kind = LineKind.Exit;
    return true;
  }

  /** `name(args) = ret ...`, `name(args <unfinished ...>`, or a call cut off at the end of the line. */
  private scanCall(p: i32, nameEnd: i32): boolean {
    const lineNodes = this.nodeCount;
    this.leaf(NodeKind.Name, p, nameEnd);
    this.callNameStart = p;
    this.callNameEnd = nameEnd;
    const r = this.scanArgsAndResult(nameEnd + 1, true);
    if (r) return true;
    // A strace message (`strace: Process N attached`) may be glued into the middle of the call:
    // read the call up to it, and keep the message as a Glued node.
    const g = this.findGluedMessage(nameEnd + 1);
    if (g < 0) return this.tryGluedOutput(lineNodes, p, nameEnd);
    // strace names itself by argv[0] (`/usr/bin/strace: `, `../src/strace: `), printed right
    // after whatever the call printed last (`SIGCHLD`, `8`, `*/`): try the cuts from the
    // shortest name to the longest, and keep the first that leaves the call readable.
    for (let c = g; c >= 0; c = this.longerArgv0(nameEnd + 1, c)) {
      if (this.rescanCutAt(lineNodes, p, nameEnd, c)) return true;
    }
    return false;
  }

  /** Reads the call again as if its line ended at g, and keeps [g, end) as a Glued node. */
  private rescanCutAt(lineNodes: i32, p: i32, nameEnd: i32, g: i32): boolean {
    this.nodeCount = lineNodes;
    this.err = 0;
    this.errAt = 0;
    this.depth = 0;
    const saveE = this.e;
    this.e = g;
    this.leaf(NodeKind.Name, p, nameEnd);
    const ok = this.scanArgsAndResult(nameEnd + 1, true);
    this.e = saveE;
    if (!ok || this.kind != LineKind.Open) return false;
    this.leaf(NodeKind.Glued, g, this.e);
    return true;
  }

  /** Program output glued after the last complete argument (`write(2, ..., 5*** stack smashing`):
   *  when reading stopped at the top level right after an argument, the rest is someone else's text. */
  private tryGluedOutput(lineNodes: i32, p: i32, nameEnd: i32): boolean {
    if (this.err != ErrCode.Unexpected || this.errAt <= nameEnd + 1) return false;
    const g = this.errAt;
    // Syntax we do not know is followed by the call's result; glued program output is not.
    for (let q = g; q + 4 <= this.e; q++) if (this.b[q] == RPAREN && this.lit(q, ") = ")) return false;
    return this.rescanCutAt(lineNodes, p, nameEnd, g);
  }

  /** Position of the first `strace: ` after from (a message glued into the line), or -1. */
  private findGluedMessage(from: i32): i32 {
    for (let q = from; q + 8 <= this.e; q++) {
      if (this.b[q] == 115 && this.lit(q, "strace: ")) return q;
    }
    return -1;
  }

  /** The next longer start of strace's argv[0] ending at a glued `strace: `: back from c to the
   *  previous `/`, else to the start of the path characters; -1 when there is none. */
  private longerArgv0(from: i32, c: i32): i32 {
    let q = c;
    while (q > from && (isIdentChar(this.b[q - 1]) || this.b[q - 1] == SLASH || this.b[q - 1] == DOT || this.b[q - 1] == MINUS)) {
      q--;
      if (this.b[q] == SLASH) return q;
    }
    return q < c ? q : -1;
  }

  /** Opens the call's argument list, remembered for the echo checks. */
  private openArgs(p: i32): i32 {
    this.argsNode = this.open(NodeKind.Args, p);
    return this.argsNode;
  }

  /** Args up to `)` and the result; sets kind to Call, Unfinished or Open. `p` is just after `(`. */
  private scanArgsAndResult(p: i32, isCall: boolean): boolean {
    const args = this.openArgs(p);
    let q: i32;
    if (isCall && this.at(p) == LT && this.lit(p, "<... resuming ")) {
      let r = p + 14;
      while (r < this.e && !this.lit(r, " ...>")) r++;
      if (r >= this.e) return this.fail(ErrCode.Unexpected, p) >= 0;
      this.leaf(NodeKind.Resuming, p, r + 5);
      q = r + 5;
      if (this.markerAt(q)) {
        this.close(args, q);
        return this.finishUnfinished(q);
      }
    } else {
      q = this.parseItems(p, RPAREN, true);
    }
    if (q < 0) return false;
    this.close(args, q);
    if (q >= this.e) {
      this.kind = LineKind.Open;
      return true;
    }
    if (this.at(q) != RPAREN) {
      // parseItems stops only at `)`, the end of the line, or an unfinished/detached marker.
      return this.finishUnfinished(q);
    }
    return this.scanResult(q + 1);
  }

  private finishUnfinished(q: i32): boolean {
    const s = this.at(q) == SP ? q + 1 : q;
    const n = this.markerLength(s);
    if (n == 0) return this.fail(ErrCode.Unexpected, q) >= 0;
    this.leaf(this.lit(s, "<detached ...>") ? NodeKind.Detached : NodeKind.Unfinished, q, s + n);
    q = s + n;
    if (this.at(q) == RPAREN) return this.scanResult(q + 1); // legacy `<unfinished ...>)` forms
    if (this.skipSpaces(q) < this.e) return this.fail(ErrCode.Unexpected, q) >= 0;
    this.kind = LineKind.Unfinished;
    return true;
  }

  /** After `)`: `<pad>= ret[<decor>] [ERRNO (msg)] [(aux)]... [<duration>]`. */
  private scanResult(p: i32): boolean {
    let q = p;
    while (this.at(q) == SP) q++;
    if (q == p || this.at(q) != EQ || this.at(q + 1) != SP) {
      // `exit(0) <unfinished ...>`-style or a bare `)`: only the unfinished marker may follow.
      if (this.markerLength(q) > 0) return this.finishUnfinished(q > p ? q - 1 : q);
      return this.fail(ErrCode.BadReturn, q) >= 0;
    }
    this.leaf(NodeKind.Pad, p, q);
    q += 2;
    const rs = q;
    if (this.at(q) == QMARK) q++;
    else {
      if (this.at(q) == MINUS) q++;
      if (this.at(q) == 48 && this.at(q + 1) == 120) {
        q += 2;
        while (isHex(this.at(q))) q++;
      } else {
        while (isDigit(this.at(q))) q++;
      }
    }
    if (q == rs || (q == rs + 1 && this.at(rs) == MINUS)) return this.fail(ErrCode.BadReturn, rs) >= 0;
    this.leaf(NodeKind.Ret, rs, q);
    if (this.at(q) == LT) {
      const d = this.scanDecorEnd(q + 1);
      if (d < 0) return this.fail(ErrCode.Unexpected, q) >= 0;
      this.leaf(NodeKind.RetDecor, q + 1, d);
      q = d + 1;
      if (this.lit(q, "(deleted)")) {
        this.leaf(NodeKind.Deleted, q, q + 9);
        q += 9;
      }
    }
    for (;;) {
      if (q >= this.e) break;
      if (this.at(q) != SP) return this.fail(ErrCode.BadReturn, q) >= 0;
      const s = q + 1;
      const c = this.at(s);
      if (c >= 65 && c <= 90) {
        let r = s;
        while (isUpperIdentChar(this.at(r))) r++;
        this.leaf(NodeKind.Errno, s, r);
        q = r;
        if (this.at(q) == SP && this.at(q + 1) == LPAREN) {
          const m = this.scanParenEnd(q + 2);
          if (m < 0) return this.fail(ErrCode.Unbalanced, q + 1) >= 0;
          this.leaf(NodeKind.ErrMsg, q + 2, m);
          q = m + 1;
        }
        continue;
      }
      if (c == LPAREN) {
        const m = this.scanParenEnd(s + 1);
        if (m < 0) return this.fail(ErrCode.Unbalanced, s) >= 0;
        this.leaf(NodeKind.Aux, s + 1, m);
        q = m + 1;
        continue;
      }
      if (c == LT) {
        if (this.lit(s, "<unavailable>")) {
          this.leaf(NodeKind.Unavailable, s, s + 13);
          q = s + 13;
          continue;
        }
        let r = s + 1;
        while (isDigit(this.at(r)) || this.at(r) == DOT) r++;
        if (r == s + 1 || this.at(r) != GT) return this.fail(ErrCode.BadReturn, s) >= 0;
        this.leaf(NodeKind.Duration, s + 1, r);
        q = r + 1;
        continue;
      }
      if (c == SLASH && this.at(s + 1) == STAR) {
        const r = this.scanCommentEnd(s + 2);
        if (r < 0) return this.fail(ErrCode.Unexpected, s) >= 0;
        this.leaf(NodeKind.Comment, s + 2, r);
        q = r + 2;
        continue;
      }
      if (c == SP || c == 0) {
        // trailing spaces
        if (this.skipSpaces(q) >= this.e) break;
      }
      return this.fail(ErrCode.BadReturn, s) >= 0;
    }
    this.kind = LineKind.Call;
    return true;
  }

  /** Index of the `)` closing a parenthesis opened just before `p` (nested parens and brackets allowed). */
  private scanParenEnd(p: i32): i32 {
    let d = 0;
    for (let q = p; q < this.e; q++) {
      const c = this.b[q];
      if (c == QUOTE) {
        q = this.scanStringEnd(q);
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
  private scanResumed(p: i32): boolean {
    const head = this.open(NodeKind.ResumedHead, p);
    let q = p + 5;
    const ns = q;
    while (isIdentChar(this.at(q))) q++;
    if (q > ns) {
      this.leaf(NodeKind.Name, ns, q);
      if (this.at(q) != SP) return false;
      q++;
    }
    if (!this.lit(q, "resumed>")) return false;
    q += 8;
    this.close(head, q);
    const lineNodes = this.nodeCount;
    if (this.scanResumedRest(q)) {
      if (this.kind == LineKind.Call) this.kind = LineKind.Resumed;
      return true;
    }
    // a glued message, as in scanCall
    for (let g = this.findGluedMessage(q); g >= 0; g = this.longerArgv0(q, g)) {
      this.nodeCount = lineNodes;
      this.err = 0;
      this.depth = 0;
      const saveE = this.e;
      this.e = g;
      const ok = this.scanResumedRest(q);
      this.e = saveE;
      if (!ok || this.kind != LineKind.Open) continue;
      this.leaf(NodeKind.Glued, g, this.e);
      return true;
    }
    return false;
  }

  /** The part of a resumed or continued call after the head: ` => x`, more args, `)`, result. */
  private scanResumedRest(q: i32): boolean {
    const args = this.openArgs(q);
    let r = q;
    if (this.lit(r, " => ")) {
      // clone3's `{...} => {parent_tid=[42]}`: the in/out split came right at the arrow.
      const ch = this.open(NodeKind.Change, r);
      this.setSpan(ch, r, r + 4);
      const v = this.parseValue(r + 4);
      if (v < 0) return false;
      this.close(ch, v);
      this.setSpan(ch, r, r + 4);
      r = v;
      r = this.parseItemsAfterFirst(r, RPAREN, true);
    } else if (this.at(r) == COMMA && this.at(r + 1) == SP) {
      // `<... clone resumed>, child_tidptr=0x..) = 42`: the first half ended right after an
      // argument, so the separator opens this half; it is not an (empty) argument of its own.
      this.leaf(NodeKind.Sep, r, r + 2);
      r = this.parseItems(r + 2, RPAREN, true);
    } else if (this.at(r) == SP && this.at(r + 1) == RPAREN) {
      // strace 4.x: `<... futex resumed> )`
      this.leaf(NodeKind.Sep, r, r + 1);
      r = r + 1;
    } else if (this.at(r) == SP && !this.markerAt(r)) {
      // strace 4.x: `<... wait4 resumed> NULL, 0, NULL)`
      this.leaf(NodeKind.Sep, r, r + 1);
      r = this.parseItems(r + 1, RPAREN, true);
    } else if (this.markerAt(r)) {
      // stays as is
    } else {
      r = this.parseItems(r, RPAREN, true);
    }
    if (r < 0) return false;
    this.close(args, r);
    if (r >= this.e) {
      this.kind = LineKind.Open;
      return true;
    }
    if (this.at(r) != RPAREN) return this.finishUnfinished(r);
    return this.scanResult(r + 1);
  }

  /** A line continuing a call that an interleaved message or program output cut off:
   *  `, child_tidptr=0x..) = 4060`, `{st_mode=...}, 0) = 0`, ` <unfinished ...>`. */
  private scanCont(p: i32): boolean {
    const lineNodes = this.nodeCount;
    if (this.markerAt(p)) {
      const args = this.openArgs(p);
      this.close(args, p);
      if (!this.finishUnfinished(p)) return false;
      this.kind = LineKind.Cont;
      return true;
    }
    let q = p;
    const args = this.openArgs(p);
    if (this.at(q) == COMMA && this.at(q + 1) == SP) {
      this.leaf(NodeKind.Sep, q, q + 2);
      q = this.parseItems(q + 2, RPAREN, true);
    } else if (this.lit(q, " => ")) {
      const ch = this.open(NodeKind.Change, q);
      const v = this.parseValue(q + 4);
      if (v < 0) return false;
      this.close(ch, v);
      this.setSpan(ch, q, q + 4);
      q = this.parseItemsAfterFirst(v, RPAREN, true);
    } else if (this.at(q) == RPAREN) {
      // nothing more
    } else {
      q = this.parseItems(q, RPAREN, true);
    }
    if (q < 0 || q >= this.e) {
      this.nodeCount = lineNodes;
      return false;
    }
    this.close(args, q);
    let ok: boolean;
    if (this.at(q) != RPAREN) ok = this.finishUnfinished(q);
    else ok = this.scanResult(q + 1);
    if (!ok) return false;
    this.kind = LineKind.Cont;
    return true;
  }

  // ---- argument lists and values

  /** Items separated by `, ` (or single spaces inside `[...]` sets) until `closer`.
   *  At the top level of a call (`top`), also stops at an unfinished marker or the end of the line.
   *  Returns the position of the closer / marker / line end, or -1. */
  private parseItems(p: i32, closer: i32, top: boolean): i32 {
    if (this.at(p) == closer) return p;
    if (top) {
      if (p >= this.e) return p;
      if (this.markerAt(p)) return p;
    }
    const q = this.parseItem(p);
    if (q < 0) return -1;
    return this.parseItemsAfterFirst(q, closer, top);
  }

  private parseItemsAfterFirst(p: i32, closer: i32, top: boolean): i32 {
    let q = p;
    // Which separator this list used (1 comma, 2 space): tells `[a, b]` arrays from `[A B]` sets.
    let sep = 0;
    for (;;) {
      const c = this.at(q);
      if (c == closer) {
        this.listSep = sep;
        // `write(1, "12345", 512345)`: echoed digits ran on from the count
        if (top && this.isWrite()) {
          const r = this.splitCountEcho(q, true);
          if (r > q) return r;
        }
        return q;
      }
      if (top && q >= this.e) return q;
      if (c == COMMA) {
        if (sep == 0) sep = 1;
        const canonical = this.at(q + 1) == SP;
        const s = canonical ? q + 2 : q + 1;
        // A trailing separator before the end of the line or an unfinished marker is kept as a
        // Sep node, so the renderer can put it back.
        if (top && (s >= this.e || this.markerAt(s))) {
          this.leaf(NodeKind.Sep, q, s);
          return s;
        }
        if (!canonical) this.leaf(NodeKind.Sep, q, s);
        q = this.parseItem(s);
        if (q < 0) return -1;
        continue;
      }
      if (c == SP) {
        if (top && this.markerAt(q)) return q;
        if (closer == RBRACK) {
          if (sep == 0) sep = 2;
          q = this.parseItem(q + 1);
          if (q < 0) return -1;
          continue;
        }
      }
      if (top) {
        const n = this.echoedOutputAt(q);
        if (n > 0) {
          this.leaf(NodeKind.Glued, q, q + n);
          q += n;
          continue;
        }
        // `write(2, "0.3: 1: ", 80.3: 1: )`: the echo began with digits the count took in
        const r = this.splitCountEcho(q, false);
        if (r > q) {
          q = r;
          continue;
        }
      }
      if (q >= this.e) return this.fail(ErrCode.Unbalanced, q);
      return this.fail(ErrCode.Unexpected, q);
    }
  }

  /** In a stderr capture, a write to the same terminal prints its data into the middle of the
   *  call's line: `write(2, ": No such file", 14: No such file) = 14`. When the text at q repeats
   *  the line's latest string argument, it is that output: its length, else 0. */
  private echoedOutputAt(q: i32): i32 {
    const str = this.latestString(this.nodeCount);
    if (str < 0) return 0;
    // a truncated string shows only the start of the data: the count after it says how much
    const last = this.nodeCount - 1;
    const count = this.nodes[last * NodeField.Stride] == NodeKind.Int && this.nodes[last * NodeField.Stride + 2] == q ? this.decimalAt(this.nodes[last * NodeField.Stride + 1], q) : -1;
    return this.echoAt(str, q, count);
  }

  /** The last Str or StrTrunc node before node `before` on this line, or -1. */
  private latestString(before: i32): i32 {
    for (let i = before - 1; i >= this.lineFirstNode; i--) {
      const k = this.nodes[i * NodeField.Stride];
      if (k == NodeKind.Str || k == NodeKind.StrTrunc) return i;
    }
    return -1;
  }

  /** Length of the echo at `at` of the data of string node i, or 0. The data is the string
   *  decoded (`\"`, `\t`, `\303`, `\x41`); a final `\n` ends the physical line, so the echo then
   *  runs to the line's end. A truncated string shows the data's start; `count` (-1: unknown)
   *  bytes were written in all. */
  private echoAt(i: i32, at: i32, count: i32): i32 {
    const o = i * NodeField.Stride;
    const truncated = this.nodes[o] == NodeKind.StrTrunc;
    let r = this.nodes[o + 1];
    if (this.b[r] == AT) r++;
    r++; // the opening quote
    const re = this.nodes[o + 2] - 1; // the closing quote
    let j = at;
    while (r < re) {
      let v = this.b[r];
      let len = 1;
      if (v == BACKSLASH) {
        v = this.escapeValue(r + 1, re);
        len = this.escapeLength(r + 1, re);
        if (v < 0) return 0;
      }
      r += len;
      // the data's newline ended the physical line: the rest of the echo is on the next lines
      if (v == 10) return j == this.e && j > at ? j - at : 0;
      if (j >= this.e || this.b[j] != v) return 0;
      j++;
    }
    if (!truncated) return j - at;
    if (count < j - at) return 0;
    return (at + count <= this.e ? at + count : this.e) - at;
  }

  /** Length of the escape whose character after the backslash is at p (reading before `end`). */
  private escapeLength(p: i32, end: i32): i32 {
    const d = this.b[p];
    let n = 1;
    if (d == 120) {
      while (n < 3 && p + n < end && isHex(this.b[p + n])) n++;
    } else if (d >= 48 && d <= 55) {
      while (n < 3 && p + n < end && this.b[p + n] >= 48 && this.b[p + n] <= 55) n++;
    }
    return n + 1;
  }

  /** The byte a C escape stands for (p is after the backslash), or -1 for one strace never prints. */
  private escapeValue(p: i32, end: i32): i32 {
    if (p >= end) return -1;
    const d = this.b[p];
    if (d == 110) return 10;
    if (d == 116) return 9;
    if (d == 114) return 13;
    if (d == 118) return 11;
    if (d == 102) return 12;
    if (d == 97) return 7;
    if (d == 98) return 8;
    if (d == 101) return 27;
    if (d == QUOTE || d == BACKSLASH || d == 39) return d;
    let v = 0;
    const n = this.escapeLength(p, end) - 1;
    if (d == 120) {
      if (n < 2) return -1;
      for (let k = 1; k < n; k++) {
        const h = this.b[p + k];
        v = v * 16 + (h <= 57 ? h - 48 : (h | 32) - 87);
      }
      return v;
    }
    if (d < 48 || d > 55) return -1;
    for (let k = 0; k < n; k++) v = v * 8 + (this.b[p + k] - 48);
    return v & 255;
  }

  /** How many bytes the data of string node i has (its escapes decoded), or -1. */
  private dataLength(i: i32): i32 {
    const o = i * NodeField.Stride;
    let r = this.nodes[o + 1];
    if (this.b[r] == AT) r++;
    r++;
    const re = this.nodes[o + 2] - 1;
    let n = 0;
    while (r < re) {
      if (this.b[r] == BACKSLASH) {
        if (this.escapeValue(r + 1, re) < 0) return -1;
        r += this.escapeLength(r + 1, re);
      } else {
        r++;
      }
      n++;
    }
    return n;
  }

  /** The value of the decimal digits in [s, e), or -1 when there are none or anything else. */
  private decimalAt(s: i32, e: i32): i32 {
    if (e <= s || e - s > 9) return -1;
    let v = 0;
    for (let i = s; i < e; i++) {
      if (!isDigit(this.b[i])) return -1;
      v = v * 10 + (this.b[i] - 48);
    }
    return v;
  }

  private isWrite(): boolean {
    return this.callNameEnd - this.callNameStart == 5 && this.lit(this.callNameStart, "write");
  }

  /** The count argument took in the first digits of echoed output: `"12345", 512345` or
   *  `"0.3: 1: ", 80.3: 1: `. When the last node is a number ending at q and some first digits of it
   *  make a count whose echo (of the latest string) follows, cuts the number there and adds the
   *  echo as a Glued node; returns where reading goes on, else -1. `atClose`: the list ended at q
   *  (the number was read whole), so a cut must leave the echo right before the `)`. */
  private splitCountEcho(q: i32, atClose: boolean): i32 {
    // the argument just read (a number, or `313+0` read as an expression): the last item of Args
    const args = this.argsNode;
    if (args < this.lineFirstNode || args >= this.nodeCount - 1) return -1;
    let last = args + 1;
    while (this.nodes[last * NodeField.Stride + 3] < this.nodeCount) last = this.nodes[last * NodeField.Stride + 3];
    const o = last * NodeField.Stride;
    if (this.nodes[o + 2] != q || !isDigit(this.at(this.nodes[o + 1]))) return -1;
    const ts = this.nodes[o + 1];
    const str = this.latestString(last);
    if (str < 0) return -1;
    // the echo starts inside the number, so the data starts with a digit (printed as itself):
    // a cheap test that spares decoding the string for nearly every write
    const so = str * NodeField.Stride;
    const quote = this.nodes[so + 1] + (this.b[this.nodes[so + 1]] == AT ? 1 : 0);
    if (!isDigit(this.at(quote + 1))) return -1;
    // A write prints its whole buffer, so a whole string's data length is the count: a number that
    // already is that count was no echo. (A truncated string says nothing here: leave it be.)
    let whole = -1;
    if (atClose) {
      if (this.nodes[str * NodeField.Stride] != NodeKind.Str) return -1;
      whole = this.dataLength(str);
      if (whole <= 0 || this.decimalAt(ts, q) == whole) return -1;
    }
    for (let cut = ts + 1; cut < q && cut <= ts + 9; cut++) {
      const count = this.decimalAt(ts, cut);
      if (count < 0) break;
      const n = this.echoAt(str, cut, count);
      if (n <= 0 || cut + n < q) continue;
      if (atClose && (count != whole || cut + n != q)) continue;
      if (!atClose && n != count && cut + n < this.e) continue;
      // the item becomes the count alone; whatever it was read as after the cut is dropped
      this.nodeCount = last;
      this.leaf(NodeKind.Int, ts, cut);
      this.leaf(NodeKind.Glued, cut, cut + n);
      return cut + n;
    }
    return -1;
  }

  /** ` <unfinished ...>` or ` <detached ...>` at p. */
  private markerAt(p: i32): boolean {
    return this.at(p) == SP && this.markerLength(p + 1) > 0;
  }

  /** Length of `<unfinished ...>`, `<detached ...>` or `<pid changed to N ...>` at p, else 0. */
  private markerLength(p: i32): i32 {
    if (this.at(p) != LT) return 0;
    if (this.lit(p, "<unfinished ...>")) return 16;
    if (this.lit(p, "<detached ...>")) return 14;
    if (this.lit(p, "<unfinished ... exit status ")) {
      // strace 4.x: the process exited while the call was blocked
      let q = p + 28;
      if (this.at(q) == MINUS) q++;
      while (isDigit(this.at(q))) q++;
      if (this.at(q) == GT) return q + 1 - p;
    }
    if (this.lit(p, "<pid changed to ")) {
      let q = p + 16;
      while (isDigit(this.at(q))) q++;
      if (this.lit(q, " ...>")) return q + 5 - p;
    }
    return 0;
  }

  /** `key=value` or a value. */
  private parseItem(p: i32): i32 {
    // -X raw can print an empty value (`statx(-100, "a", , 0xfff, ...)`): an Ident with an empty span.
    const c0 = this.at(p);
    if (c0 == COMMA) {
      this.leaf(NodeKind.Ident, p, p);
      return p;
    }
    if (isIdentStart(this.at(p))) {
      let q = p;
      while (isIdentChar(this.at(q))) q++;
      // strace 4.x: `msg_name(0)=NULL`, a key with its length in parentheses
      if (this.at(q) == LPAREN) {
        let r = q + 1;
        while (isDigit(this.at(r))) r++;
        if (r > q + 1 && this.at(r) == RPAREN && this.at(r + 1) == EQ && this.at(r + 2) != EQ) q = r + 1;
      }
      // `key=value`; strace 4.x also wrote `key:value` (`{entry_number:-1 -> 6, ...}`), which an
      // all-hex key would confuse with a MAC address, so those stay values
      if ((this.at(q) == EQ && this.at(q + 1) != EQ) || (this.at(q) == COLON && this.at(q + 1) != COLON && !this.allHex(p, q))) {
        const f = this.open(NodeKind.Field, p);
        this.setSpan(f, p, q);
        const v = this.parseValue(q + 1);
        if (v < 0) return -1;
        const o = f * NodeField.Stride;
        this.nodes[o + 3] = this.nodeCount;
        return v;
      }
    }
    const root = this.nodeCount;
    const q = this.parseValue(p);
    if (q < 0 || c0 != LBRACK || this.at(q) != EQ || this.at(q + 1) == EQ) return q;
    // a designated array element `[IPV4_DEVCONF_FORWARDING-1]=0`: a field keyed by the bracket text
    this.nodeCount = root;
    const f = this.open(NodeKind.Field, p);
    this.setSpan(f, p, q);
    const v = this.parseValue(q + 1);
    if (v < 0) return -1;
    this.nodes[f * NodeField.Stride + 3] = this.nodeCount;
    return v;
  }

  /** term (op term)* [=> value]. Operators: `|` makes a Flags node; others an Expr node. */
  private parseValue(p: i32): i32 {
    if (++this.depth > MAX_DEPTH) return this.fail(ErrCode.TooDeep, p);
    const first = this.nodeCount;
    let q = this.parseTerm(p);
    if (q < 0) return -1;
    let container = -1;
    let allPipes = true;
    for (;;) {
      const n = this.opLength(q);
      if (n == 0) break;
      if (container < 0) {
        container = this.wrap(first, NodeKind.Flags, p);
        if (container < 0) return this.fail(ErrCode.TooDeep, q);
      }
      if (!(n == 1 && this.at(q) == PIPE)) {
        allPipes = false;
        this.leaf(NodeKind.Op, q, q + n);
      } else {
        this.leaf(NodeKind.Op, q, q + 1);
      }
      q = this.parseTerm(q + n);
      if (q < 0) return -1;
    }
    if (container >= 0) {
      this.close(container, q);
      if (!allPipes) this.setKind(container, NodeKind.Expr);
    }
    // `old => new`; strace 4.x printed `old -> new`
    if (this.at(q) == SP && (this.lit(q, " => ") || this.lit(q, " -> "))) {
      const ch = this.wrap(first, NodeKind.Change, q);
      if (ch < 0) return this.fail(ErrCode.TooDeep, q);
      const r = this.parseValue(q + 4);
      if (r < 0) return -1;
      this.close(ch, r);
      this.setSpan(ch, q, q + 4);
      q = r;
    }
    this.depth--;
    return q;
  }

  /** Length of a binary operator at p, or 0. Spaced operators carry their spaces. */
  private opLength(p: i32): i32 {
    const c = this.at(p);
    // what usually follows a term: a separator or a closing bracket
    if (c == COMMA || c == RPAREN || c == RBRACE || c == RBRACK || c == 0) return 0;
    if (c == PIPE) return this.at(p + 1) == PIPE ? 0 : 1;
    if (c == LT && this.at(p + 1) == LT) return 2;
    if (c == GT && this.at(p + 1) == GT) return 2;
    if (c == AMP && this.at(p + 1) == AMP) return 2;
    if (c == EQ && this.at(p + 1) == EQ) return 2;
    if (c == BANG && this.at(p + 1) == EQ) return 2;
    // `8192*1024`, `SKF_LL_OFF+4`; but not `5*** stack smashing` (program output glued after an argument).
    if ((c == STAR || c == PLUS || c == MINUS) && (isDigit(this.at(p + 1)) || isIdentStart(this.at(p + 1)))) return 1;
    if (c != SP) return 0;
    // ioctl numbers strace cannot tell apart: `HIDIOCGRDESCSIZE or HIDIOCGVERSION`
    if (this.at(p + 1) == 111 && this.lit(p, " or ") && this.at(p + 4) != SP) return 4;
    const d = this.at(p + 1);
    const d2 = this.at(p + 2);
    if (d2 == SP) {
      if (d == PIPE || d == AMP || d == QMARK || d == COLON || d == PLUS || d == MINUS || d == STAR || d == SLASH || d == LT || d == GT) return 3;
    }
    if (this.at(p + 3) == SP) {
      if ((d == AMP && d2 == AMP) || (d == PIPE && d2 == PIPE) || (d == EQ && d2 == EQ) || (d == BANG && d2 == EQ)) return 4;
      if ((d == LT && (d2 == LT || d2 == EQ)) || (d == GT && (d2 == GT || d2 == EQ))) return 4;
    }
    return 0;
  }

  private parseTerm(p: i32): i32 {
    const c = this.at(p);
    const root = this.nodeCount;
    let q: i32;
    if (c == QUOTE || (c == AT && this.at(p + 1) == QUOTE)) {
      const s = c == AT ? p + 1 : p;
      const e = this.scanStringEnd(s);
      if (e < 0) return this.fail(ErrCode.UnterminatedString, p);
      if (this.lit(e, "...")) {
        this.leaf(NodeKind.StrTrunc, p, e);
        q = e + 3;
      } else {
        this.leaf(NodeKind.Str, p, e);
        q = e;
      }
    } else if (c == LBRACK || (c == TILDE && this.at(p + 1) == LBRACK)) {
      const s = c == TILDE ? p + 1 : p;
      const n = this.open(c == TILDE ? NodeKind.NegSet : NodeKind.Array, p);
      if (++this.depth > MAX_DEPTH) return this.fail(ErrCode.TooDeep, p);
      const firstChild = this.nodeCount;
      this.listSep = 0;
      const r = this.parseItems(s + 1, RBRACK, false);
      if (r < 0) return -1;
      this.depth--;
      this.close(n, r + 1);
      if (c != TILDE) {
        const kids = this.countChildren(n);
        // `[HUP TERM]` is a set; so is a single symbolic member `[ABRT]`.
        if (kids > 1 && this.listSep == 2) this.setKind(n, NodeKind.Set);
        else if (kids == 1 && this.nodes[firstChild * NodeField.Stride] == NodeKind.Ident) this.setKind(n, NodeKind.Set);
      }
      q = r + 1;
    } else if (c == LBRACE) {
      const n = this.open(NodeKind.Struct, p);
      if (++this.depth > MAX_DEPTH) return this.fail(ErrCode.TooDeep, p);
      const r = this.parseItems(p + 1, RBRACE, false);
      if (r < 0) return -1;
      this.depth--;
      this.close(n, r + 1);
      q = r + 1;
    } else if (c == DOT && this.lit(p, "...")) {
      this.leaf(NodeKind.Elided, p, p + 3);
      q = p + 3;
    } else if (isDigit(c) || (c == MINUS && isDigit(this.at(p + 1)))) {
      q = p;
      if (c == MINUS) q++;
      let kind = NodeKind.Int;
      if (this.at(q) == 48 && (this.at(q + 1) == 120 || this.at(q + 1) == 88)) {
        q += 2;
        while (isHex(this.at(q))) q++;
      } else {
        while (isDigit(this.at(q))) q++;
        if (this.at(q) == DOT && isDigit(this.at(q + 1))) {
          q++;
          while (isDigit(this.at(q))) q++;
          kind = NodeKind.Float;
        }
      }
      if (this.at(q) == SLASH && isDigit(this.at(q + 1)) && c != MINUS) {
        // strace 4.x dates: `st_atime=2013/03/05-16:39:01`
        while (isDigit(this.at(q)) || this.at(q) == SLASH || this.at(q) == COLON || this.at(q) == MINUS || this.at(q) == DOT) q++;
        kind = NodeKind.Ident;
      } else if (this.at(q) == COLON && isHex(this.at(q + 1)) && c != MINUS) {
        // colon-separated hex such as a MAC address `00:00:00:00:00:00`: a symbolic literal
        while (isHex(this.at(q)) || this.at(q) == COLON) q++;
        kind = NodeKind.Ident;
      }
      // a letter right after a number ends the token; the list decides (it may be echoed output)
      this.leaf(kind, p, q);
    } else if (c == 39) {
      // a C character literal `'Q'`, kept as a string node
      let r = p + 1;
      while (r < this.e && this.b[r] != 39) r += this.b[r] == BACKSLASH ? 2 : 1;
      if (r >= this.e) return this.fail(ErrCode.UnterminatedString, p);
      this.leaf(NodeKind.Str, p, r + 1);
      q = r + 1;
    } else if (isIdentStart(c) || ((c == AMP || c == BANG || c == MINUS || c == TILDE) && isIdentStart(this.at(p + 1)))) {
      // `&sin6_addr`, `!PR_TAGGED_ADDR_ENABLE`, `-EFAULT`: a prefix operator stays part of the name
      q = p + 1;
      while (isIdentChar(this.at(q))) q++;
      if (this.at(q) == COLON && isHex(this.at(q + 1)) && this.allHex(p, q)) {
        // a MAC address starting with a letter: `d2:42:ee:34:9c:97`
        while (isHex(this.at(q)) || this.at(q) == COLON) q++;
        this.leaf(NodeKind.Ident, p, q);
        return this.parsePostfix(root, q);
      }
      if (this.at(q) == LPAREN) {
        const n = this.open(NodeKind.Call, p);
        if (++this.depth > MAX_DEPTH) return this.fail(ErrCode.TooDeep, p);
        const r = this.parseItems(q + 1, RPAREN, false);
        if (r < 0) return -1;
        this.depth--;
        this.close(n, r + 1);
        return this.parsePostfix(n, r + 1);
      }
      this.leaf(NodeKind.Ident, p, q);
    } else if (c == PIPE && this.at(p + 1) != PIPE) {
      // `|0x100`: a flag set whose symbolic part printed empty (-X raw); the empty Ident starts it.
      this.leaf(NodeKind.Ident, p, p);
      return p;
    } else if (c == SLASH && this.at(p + 1) == STAR) {
      // a standalone comment item: legacy `getdents(3, /* 10 entries */, 4096)`
      const r = this.scanCommentEnd(p + 2);
      if (r < 0) return this.fail(ErrCode.Unexpected, p);
      this.leaf(NodeKind.Comment, p + 2, r);
      const after = r + 2;
      // `/* bytes 16..23 */ "\x90..."`: a comment introducing the value that follows it.
      if (this.at(after) == SP && this.startsValue(this.at(after + 1))) {
        this.leaf(NodeKind.Sep, after, after + 1);
        return this.parseValue(after + 1);
      }
      return after;
    } else if (c == QMARK) {
      // `???`: strace could not decode the value
      q = p;
      while (this.at(q) == QMARK) q++;
      this.leaf(NodeKind.Ident, p, q);
    } else if (c == LT && this.lit(p, "<... ")) {
      let r = p + 5;
      while (r < this.e && !this.lit(r, " ...>")) r++;
      if (r >= this.e) return this.fail(ErrCode.Unexpected, p);
      this.leaf(NodeKind.Resuming, p, r + 5);
      return r + 5;
    } else {
      if (p >= this.e) return this.fail(ErrCode.Unbalanced, p);
      return this.fail(ErrCode.Unexpected, p);
    }
    return this.parsePostfix(root, q);
  }

  /** Decorations after a term: `<path>` (-y), `(deleted)`, ` /* comment *\/`. They become
   *  trailing children of the term so the term's subtree covers them (start >= the term's end). */
  private parsePostfix(term: i32, q: i32): i32 {
    const o = term * NodeField.Stride;
    for (;;) {
      const c = this.at(q);
      if (c == LT && this.at(q + 1) != LT && !this.lit(q, "<... ") && !this.lit(q, "<unfinished") && !this.lit(q, "<detached")) {
        const d = this.scanDecorEnd(q + 1);
        if (d < 0) return this.fail(ErrCode.Unexpected, q);
        this.leaf(NodeKind.Decor, q + 1, d);
        this.nodes[o + 3] = this.nodeCount;
        q = d + 1;
        continue;
      }
      if (c == LPAREN && this.lit(q, "(deleted)")) {
        this.leaf(NodeKind.Deleted, q, q + 9);
        this.nodes[o + 3] = this.nodeCount;
        q += 9;
        continue;
      }
      if (c == SP && this.at(q + 1) == SLASH && this.at(q + 2) == STAR) {
        const r = this.scanCommentEnd(q + 3);
        if (r < 0) return this.fail(ErrCode.Unexpected, q);
        this.leaf(NodeKind.Comment, q + 3, r);
        this.nodes[o + 3] = this.nodeCount;
        q = r + 2;
        continue;
      }
      return q;
    }
  }

  private allHex(s: i32, e: i32): boolean {
    for (let i = s; i < e; i++) if (!isHex(this.b[i])) return false;
    return true;
  }

  private startsValue(c: i32): boolean {
    return c == QUOTE || c == LBRACK || c == LBRACE || c == TILDE || c == AT || c == QMARK || c == MINUS || isDigit(c) || isIdentStart(c);
  }

  /** Index just after the closing quote of a string starting at p, or -1. */
  private scanStringEnd(p: i32): i32 {
    let q = p + 1;
    while (q < this.e) {
      const c = this.b[q];
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
  private scanCommentEnd(p: i32): i32 {
    for (let q = p; q + 1 < this.e; q++) if (this.b[q] == STAR && this.b[q + 1] == SLASH) return q;
    return -1;
  }

  /** Index of the `>` closing a decoration whose text starts at p. strace escapes `<`/`>` inside
   *  paths, but socket decorations like `TCP:[1.2.3.4:5->6.7.8.9:10]` contain `->` inside brackets. */
  private scanDecorEnd(p: i32): i32 {
    const r = this.scanDecorEndWith(p, true);
    // a -Y comm such as `foo\33[2Jbar` has an unbalanced `[`: fall back to plain angle counting
    return r >= 0 ? r : this.scanDecorEndWith(p, false);
  }

  private scanDecorEndWith(p: i32, countBrackets: boolean): i32 {
    let brackets = 0;
    let angles = 0;
    for (let q = p; q < this.e; q++) {
      if (--this.decorBudget < 0) return -1;
      const c = this.b[q];
      if (countBrackets && c == LBRACK) brackets++;
      else if (countBrackets && c == RBRACK) brackets--;
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

  private countChildren(n: i32): i32 {
    let count = 0;
    const end = this.nodes[n * NodeField.Stride + 3];
    for (let i = n + 1; i < end; i = this.nodes[i * NodeField.Stride + 3]) count++;
    return count;
  }
}
