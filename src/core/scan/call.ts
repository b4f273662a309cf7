// A call's line: `name(args) = ret`, `name(args <unfinished ...>`, `<... name resumed>args) = ret`,
// the continuation of a call split by interleaved output, and the rescans that cut a call short
// where a glued message or program output begins.

import { ErrCode, LineKind, NodeKind } from "../abi.js";
import { Char, isIdentChar } from "../bytes.js";
import { close, leaf, nodes, open, setSpan } from "../nodes.js";
import { byteAt } from "../regions.js";
import { markerAt, parseItems, parseItemsAfterFirst, parseValue } from "./args.js";
import { at, cur, fail, lit } from "./cursor.js";
import { findGluedMessage, gluedText, longerArgv0 } from "./echoes.js";
import { maySkipArgs, skipArgs } from "./shallow.js";
import { finishUnfinished, scanResult } from "./result.js";

/** `name(args) = ret ...`, `name(args <unfinished ...>`, or a call cut off at the end of the line. */
export function scanCall(p: i32, nameEnd: i32): bool {
  const lineNodes = nodes.count;
  leaf(NodeKind.Name, p, nameEnd);
  cur.callNameStart = p;
  cur.callNameEnd = nameEnd;
  const r = scanArgsAndResult(nameEnd + 1, true);
  if (r) return true;
  // A strace message (`strace: Process N attached`) may be glued into the middle of the call:
  // read the call up to it, and keep the message as a Glued node.
  const g = findGluedMessage(nameEnd + 1);
  if (g < 0) return tryGluedOutput(lineNodes, p, nameEnd);
  // strace names itself by argv[0] (`/usr/bin/strace: `, `../src/strace: `), printed right
  // after whatever the call printed last (`SIGCHLD`, `8`, `*/`): try the cuts from the
  // shortest name to the longest, and keep the first that leaves the call readable.
  for (let c = g; c >= 0; c = longerArgv0(nameEnd + 1, c)) {
    if (rescanCutAt(lineNodes, p, nameEnd, c)) return true;
  }
  return false;
}

/** Reads the call again as if its line ended at g, and keeps [g, end) as a Glued node. */
export function rescanCutAt(lineNodes: i32, p: i32, nameEnd: i32, g: i32): bool {
  nodes.count = lineNodes;
  cur.err = 0;
  cur.errAt = 0;
  cur.depth = 0;
  const saveE = cur.end;
  cur.end = g;
  leaf(NodeKind.Name, p, nameEnd);
  const ok = scanArgsAndResult(nameEnd + 1, true);
  cur.end = saveE;
  if (!ok || cur.kind != LineKind.Open) return false;
  gluedText(g);
  return true;
}

/** Program output glued after the last complete argument (`write(2, ..., 5*** stack smashing`):
 *  when reading stopped at the top level right after an argument, the rest is someone else's text. */
export function tryGluedOutput(lineNodes: i32, p: i32, nameEnd: i32): bool {
  if (cur.err != ErrCode.Unexpected || cur.errAt <= nameEnd + 1) return false;
  const g = cur.errAt;
  // Syntax we do not know is followed by the call's result; glued program output is not.
  for (let q = g; q + 4 <= cur.end; q++) if (byteAt(q) == Char.RPAREN && lit(q, ") = ")) return false;
  return rescanCutAt(lineNodes, p, nameEnd, g);
}

/** Opens the call's argument list, remembered for the echo checks. */
export function openArgs(p: i32): i32 {
  cur.argsNode = open(NodeKind.Args, p);
  return cur.argsNode;
}

/** Args up to `)` and the result; sets kind to Call, Unfinished or Open. `p` is just after `(`. */
export function scanArgsAndResult(p: i32, isCall: bool): bool {
  const args = openArgs(p);
  let q: i32;
  if (isCall && at(p) == Char.LT && lit(p, "<... resuming ")) {
    let r = p + 14;
    while (r < cur.end && !lit(r, " ...>")) r++;
    if (r >= cur.end) return fail(ErrCode.Unexpected, p) >= 0;
    leaf(NodeKind.Resuming, p, r + 5);
    q = r + 5;
    if (markerAt(q)) {
      close(args, q);
      return finishUnfinished(q);
    }
  } else {
    q = cur.shallow && maySkipArgs() ? skipArgs(p) : -1;
    if (q < 0) q = parseItems(p, Char.RPAREN, true);
  }
  if (q < 0) return false;
  close(args, q);
  if (q >= cur.end) {
    cur.kind = LineKind.Open;
    return true;
  }
  if (at(q) != Char.RPAREN) {
    // parseItems stops only at `)`, the end of the line, or an unfinished/detached marker.
    return finishUnfinished(q);
  }
  return scanResult(q + 1);
}

/** `<... name resumed>rest) = ret`. */
export function scanResumed(p: i32): bool {
  const head = open(NodeKind.ResumedHead, p);
  let q = p + 5;
  const ns = q;
  while (isIdentChar(at(q))) q++;
  if (q > ns) {
    leaf(NodeKind.Name, ns, q);
    // the echo checks and the skipper ask which call this is (`<... write resumed>`)
    cur.callNameStart = ns;
    cur.callNameEnd = q;
    if (at(q) != Char.SP) return false;
    q++;
  }
  if (!lit(q, "resumed>")) return false;
  q += 8;
  close(head, q);
  const lineNodes = nodes.count;
  if (scanResumedRest(q)) {
    if (cur.kind == LineKind.Call) cur.kind = LineKind.Resumed;
    return true;
  }
  // a glued message, as in scanCall
  for (let g = findGluedMessage(q); g >= 0; g = longerArgv0(q, g)) {
    nodes.count = lineNodes;
    cur.err = 0;
    cur.depth = 0;
    const saveE = cur.end;
    cur.end = g;
    const ok = scanResumedRest(q);
    cur.end = saveE;
    if (!ok || cur.kind != LineKind.Open) continue;
    gluedText(g);
    return true;
  }
  return false;
}

/** The part of a resumed or continued call after the head: ` => x`, more args, `)`, result. */
export function scanResumedRest(q: i32): bool {
  const args = openArgs(q);
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
    r = parseItemsAfterFirst(r, Char.RPAREN, true);
  } else if (at(r) == Char.COMMA && at(r + 1) == Char.SP) {
    // `<... clone resumed>, child_tidptr=0x..) = 42`: the first half ended right after an
    // argument, so the separator opens this half; it is not an (empty) argument of its own.
    leaf(NodeKind.Sep, r, r + 2);
    r = parseItems(r + 2, Char.RPAREN, true);
  } else if (at(r) == Char.SP && at(r + 1) == Char.RPAREN) {
    // strace 4.x: `<... futex resumed> )`
    leaf(NodeKind.Sep, r, r + 1);
    r = r + 1;
  } else if (at(r) == Char.SP && !markerAt(r)) {
    // strace 4.x: `<... wait4 resumed> NULL, 0, NULL)`
    leaf(NodeKind.Sep, r, r + 1);
    r = parseItems(r + 1, Char.RPAREN, true);
  } else if (markerAt(r)) {
    // stays as is
  } else {
    const skipped = cur.shallow && maySkipArgs() ? skipArgs(r) : -1;
    r = skipped >= 0 ? skipped : parseItems(r, Char.RPAREN, true);
  }
  if (r < 0) return false;
  close(args, r);
  if (r >= cur.end) {
    cur.kind = LineKind.Open;
    return true;
  }
  if (at(r) != Char.RPAREN) return finishUnfinished(r);
  return scanResult(r + 1);
}

/** A line continuing a call that an interleaved message or program output cut off:
 *  `, child_tidptr=0x..) = 4060`, `{st_mode=...}, 0) = 0`, ` <unfinished ...>`. */
export function scanCont(p: i32): bool {
  const lineNodes = nodes.count;
  if (markerAt(p)) {
    const args = openArgs(p);
    close(args, p);
    if (!finishUnfinished(p)) return false;
    cur.kind = LineKind.Cont;
    return true;
  }
  let q = p;
  const args = openArgs(p);
  if (at(q) == Char.COMMA && at(q + 1) == Char.SP) {
    leaf(NodeKind.Sep, q, q + 2);
    q = parseItems(q + 2, Char.RPAREN, true);
  } else if (lit(q, " => ")) {
    const ch = open(NodeKind.Change, q);
    const v = parseValue(q + 4);
    if (v < 0) return false;
    close(ch, v);
    setSpan(ch, q, q + 4);
    q = parseItemsAfterFirst(v, Char.RPAREN, true);
  } else if (at(q) == Char.RPAREN) {
    // nothing more
  } else {
    q = parseItems(q, Char.RPAREN, true);
  }
  if (q < 0 || q >= cur.end) {
    nodes.count = lineNodes;
    return false;
  }
  close(args, q);
  let ok: bool;
  if (at(q) != Char.RPAREN) ok = finishUnfinished(q);
  else ok = scanResult(q + 1);
  if (!ok) return false;
  cur.kind = LineKind.Cont;
  return true;
}
