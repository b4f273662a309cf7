// -k stack frames (` > /lib/libc.so.6(...)`) and -e read=/write= hex dump lines go onto the record
// printed before them.

import { LineKind } from "../../core/abi.js";
import { diagnostic } from "../diagnostics.js";
import type { LineText } from "./line-text.js";
import type { ReleaseQueue } from "./queue.js";

/** Attaches a Stack or Dump line to the record that owns it, or queues a diagnostic if none does. */
export function attachLine(q: ReleaseQueue, kind: number, t: LineText): void {
  const rec = q.frameOwner;
  if (!rec) {
    q.emit(diagnostic(kind === LineKind.Stack ? "orphan-stack-frame" : "orphan-dump", t, 1, "no call precedes this line"));
    return;
  }
  if (kind === LineKind.Stack) (rec.stack ??= []).push(t.text.slice(3));
  else (rec.dump ??= []).push(t.text);
  rec.endLine = Math.max(rec.endLine ?? rec.line, t.line);
}
