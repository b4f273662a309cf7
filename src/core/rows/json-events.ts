// Signals, exits and strace's messages as JSON records (rows/json.ts), with lines.ts's keys in
// its order.

import { NodeKind } from "../abi.js";
import { Char } from "../bytes.js";
import { putArg } from "../json/args.js";
import { putJsonString, putLit, putSmallDecimal } from "../json/out.js";
import { nodeEnd, nodeKind, nodeNext, nodeStart } from "../nodes.js";
import { byteAt } from "../regions.js";
import { line } from "./line.js";
import { putFmt, putHead } from "./json-prefix.js";
import { refuse, shape } from "./json-shape.js";

export function putSignal(): void {
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

export function putExit(): void {
  putHead("exit");
  let how = 0; // exited, killed, superseded
  for (let i = shape.body; i < line.last; i = nodeNext(i)) {
    const k = nodeKind(i);
    if (k == NodeKind.Killed) how = 1;
    else if (k == NodeKind.Superseded) how = 2;
    else if (k != NodeKind.ExitCode && k != NodeKind.Signal && k != NodeKind.Core) {
      refuse();
      return;
    }
  }
  putLit(how == 1 ? ',"how":"killed"' : how == 2 ? ',"how":"superseded"' : ',"how":"exited"');
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
    else if (k == NodeKind.Superseded) {
      // `superseded by execve in pid N`: the new leader's pid is the node's child
      const v = nodeNext(i) > i + 1 ? exitCode(nodeStart(i + 1), nodeEnd(i + 1)) : -1;
      if (v < 0) {
        refuse();
        return;
      }
      putLit(',"byPid":');
      putSmallDecimal(v);
    }
  }
  putFmt();
}

/** Number(text) of an exit status's (or a pid's) digits; -1 for any other text. */
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

export function putMessage(): void {
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
