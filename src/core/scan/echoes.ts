// Glued messages and echoes: a `strace: ` message printed into a call's line, and in stderr
// captures the data of a write to the same terminal printed into the middle of its own line.
// These checks tell such text from the call's real arguments.

import { NodeKind } from "../abi.js";
import { Char, isDigit, isIdentChar } from "../bytes.js";
import { decimalAt, escapeLength, escapeValue } from "../literals.js";
import { close, leaf, nodeEnd, nodeKind, nodeNext, nodeStart, nodes, open } from "../nodes.js";
import { byteAt } from "../regions.js";
import { at, cur, lit } from "./cursor.js";
import { processMessage } from "./events.js";

/** Position of the first `strace: ` after from (a message glued into the line), or -1. */
export function findGluedMessage(from: i32): i32 {
  for (let q = from; q + 8 <= cur.end; q++) {
    if (byteAt(q) == Char.LOWER_S && lit(q, "strace: ")) return q;
  }
  return -1;
}

/**
 * The text glued after a call cut at g, to the line's end: a Glued node. When it holds a strace
 * message (its first `strace: `), a child says which: Attached or Detached (events.ts
 * processMessage) when `Process N attached|detached` ends the line, else MsgText over the text
 * after `strace: `. Without a child it is program output.
 */
export function gluedText(g: i32): void {
  const n = open(NodeKind.Glued, g);
  const s = findGluedMessage(g);
  if (s >= 0 && !processMessage(s + 8, true)) leaf(NodeKind.MsgText, s + 8, cur.end);
  close(n, cur.end);
}

/** The next longer start of strace's argv[0] ending at a glued `strace: `: back from c to the
 *  previous `/`, else to the start of the path characters; -1 when there is none. */
export function longerArgv0(from: i32, c: i32): i32 {
  let q = c;
  while (q > from && (isIdentChar(byteAt(q - 1)) || byteAt(q - 1) == Char.SLASH || byteAt(q - 1) == Char.DOT || byteAt(q - 1) == Char.MINUS)) {
    q--;
    if (byteAt(q) == Char.SLASH) return q;
  }
  return q < c ? q : -1;
}

/** In a stderr capture, a write to the same terminal prints its data into the middle of the
 *  call's line: `write(2, ": No such file", 14: No such file) = 14`. When the text at q repeats
 *  the line's latest string argument, it is that output: its length, else 0. */
export function echoedOutputAt(q: i32): i32 {
  const str = latestString(nodes.count);
  if (str < 0) return 0;
  // a truncated string shows only the start of the data: the count after it says how much
  const last = nodes.count - 1;
  const count = nodeKind(last) == NodeKind.Int && nodeEnd(last) == q ? decimalAt(nodeStart(last), q) : -1;
  return echoAt(str, q, count);
}

/** The last Str or StrTrunc node before node `before` on this line, or -1. */
export function latestString(before: i32): i32 {
  for (let i = before - 1; i >= cur.firstNode; i--) {
    const k = nodeKind(i);
    if (k == NodeKind.Str || k == NodeKind.StrTrunc) return i;
  }
  return -1;
}

/** Length of the echo at `at` of the data of string node i, or 0. The data is the string
 *  decoded (`\"`, `\t`, `\303`, `\x41`); a final `\n` ends the physical line, so the echo then
 *  runs to the line's end. A truncated string shows the data's start; `count` (-1: unknown)
 *  bytes were written in all. */
export function echoAt(i: i32, at: i32, count: i32): i32 {
  const truncated = nodeKind(i) == NodeKind.StrTrunc;
  let r = nodeStart(i);
  if (byteAt(r) == Char.AT) r++;
  r++; // the opening quote
  const re = nodeEnd(i) - 1; // the closing quote
  let j = at;
  while (r < re) {
    let v = byteAt(r);
    let len = 1;
    if (v == Char.BACKSLASH) {
      v = escapeValue(r + 1, re);
      len = escapeLength(r + 1, re);
      if (v < 0) return 0;
    }
    r += len;
    // the data's newline ended the physical line: the rest of the echo is on the next lines
    if (v == Char.LF) return j == cur.end && j > at ? j - at : 0;
    if (j >= cur.end || byteAt(j) != v) return 0;
    j++;
  }
  if (!truncated) return j - at;
  if (count < j - at) return 0;
  return (at + count <= cur.end ? at + count : cur.end) - at;
}

/** How many bytes the data of string node i has (its escapes decoded), or -1. */
export function dataLength(i: i32): i32 {
  let r = nodeStart(i);
  if (byteAt(r) == Char.AT) r++;
  r++;
  const re = nodeEnd(i) - 1;
  let n = 0;
  while (r < re) {
    if (byteAt(r) == Char.BACKSLASH) {
      if (escapeValue(r + 1, re) < 0) return -1;
      r += escapeLength(r + 1, re);
    } else {
      r++;
    }
    n++;
  }
  return n;
}

export function isWrite(): bool {
  return cur.callNameEnd - cur.callNameStart == 5 && lit(cur.callNameStart, "write");
}

/** The count argument took in the first digits of echoed output: `"12345", 512345` or
 *  `"0.3: 1: ", 80.3: 1: `. When the last node is a number ending at q and some first digits of it
 *  make a count whose echo (of the latest string) follows, cuts the number there and adds the
 *  echo as a Glued node; returns where reading goes on, else -1. `atClose`: the list ended at q
 *  (the number was read whole), so a cut must leave the echo right before the `)`. */
export function splitCountEcho(q: i32, atClose: bool): i32 {
  // the argument just read (a number, or `313+0` read as an expression): the last item of Args
  const args = cur.argsNode;
  if (args < cur.firstNode || args >= nodes.count - 1) return -1;
  let last = args + 1;
  while (nodeNext(last) < nodes.count) last = nodeNext(last);
  if (nodeEnd(last) != q || !isDigit(at(nodeStart(last)))) return -1;
  const ts = nodeStart(last);
  const str = latestString(last);
  if (str < 0) return -1;
  // the echo starts inside the number, so the data starts with a digit (printed as itself):
  // a cheap test that spares decoding the string for nearly every write
  const quote = nodeStart(str) + (byteAt(nodeStart(str)) == Char.AT ? 1 : 0);
  if (!isDigit(at(quote + 1))) return -1;
  // A write prints its whole buffer, so a whole string's data length is the count: a number that
  // already is that count was no echo. (A truncated string says nothing here: leave it be.)
  let whole = -1;
  if (atClose) {
    if (nodeKind(str) != NodeKind.Str) return -1;
    whole = dataLength(str);
    if (whole <= 0 || decimalAt(ts, q) == whole) return -1;
  }
  for (let cut = ts + 1; cut < q && cut <= ts + 9; cut++) {
    const count = decimalAt(ts, cut);
    if (count < 0) break;
    const n = echoAt(str, cut, count);
    if (n <= 0 || cut + n < q) continue;
    if (atClose && (count != whole || cut + n != q)) continue;
    if (!atClose && n != count && cut + n < cur.end) continue;
    // the item becomes the count alone; whatever it was read as after the cut is dropped
    nodes.count = last;
    leaf(NodeKind.Int, ts, cut);
    leaf(NodeKind.Glued, cut, cut + n);
    return cut + n;
  }
  return -1;
}
