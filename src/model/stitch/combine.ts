// Two parts of one call made one record: `<unfinished ...>` with `<... resumed>`, and a call cut
// at the end of its line with the line that continues it.

import type { ArgNode, SyscallRecord } from "../record.js";
import { joinRecordRawArgs } from "../record-json.js";

/** Arguments of a second part appended to the first; a leading ` => x` completes the last one. */
function joinArgs(a: ArgNode[], b: ArgNode[]): ArgNode[] {
  // most resumed halves (and every lean one) add nothing: keep the first half's array
  if (b.length === 0) return a;
  if (b.length > 0 && b[0].kind === "change" && b[0].from === undefined && a.length > 0) {
    const last = a[a.length - 1];
    return [...a.slice(0, -1), { ...b[0], from: last }, ...b.slice(1)];
  }
  return a.concat(b);
}

/** Copies the result part of the second half onto the first (field by field: a loop over names
 *  makes every access megamorphic, and this runs for every merged call). */
function takeResult(into: SyscallRecord, from: SyscallRecord): void {
  into.ret = from.ret;
  into.errno = from.errno;
  if (from.retText !== undefined) into.retText = from.retText;
  if (from.retDecor !== undefined) into.retDecor = from.retDecor;
  if (from.retDeleted !== undefined) into.retDeleted = from.retDeleted;
  if (from.errmsg !== undefined) into.errmsg = from.errmsg;
  if (from.aux !== undefined) into.aux = from.aux;
  if (from.duration !== undefined) into.duration = from.duration;
  if (from.durationText !== undefined) into.durationText = from.durationText;
  if (from.unavailable !== undefined) into.unavailable = from.unavailable;
  if (from.retComment !== undefined) into.retComment = from.retComment;
  if (from.retCommentRaw !== undefined) into.retCommentRaw = from.retCommentRaw;
  if (from.detached !== undefined) into.detached = from.detached;
}

/** The first part becomes the whole record, in place: the stitcher owns it until it is released,
 *  and copying every merged call cost more than parsing it. It takes the second part's arguments
 *  and result; its part-only fields are cleared (set undefined, which JSON leaves out; `delete`
 *  would make V8 fall back to slow objects). */
function absorb(first: SyscallRecord, second: SyscallRecord): SyscallRecord {
  joinRecordRawArgs(first, second);
  first.args = joinArgs(first.args, second.args);
  if (first.unfinished !== undefined) first.unfinished = undefined;
  if (first.fmt !== undefined) first.fmt = undefined;
  takeResult(first, second);
  if (second.unfinished) first.unfinished = true;
  return first;
}

/** The last line of a merged call's first half, when that half spanned several lines (a cut
 *  call and its continuation, -k frames): `endLine` then only tells where the resumed half ends.
 *  Kept aside so the record's JSON stays as it is; `--color` needs it (model/color.ts). */
export const firstHalfEnd = new WeakMap<SyscallRecord, number>();

/** One record from `<unfinished ...>` and `<... resumed>` halves. */
export function mergeHalves(u: SyscallRecord, r: SyscallRecord): SyscallRecord {
  if (u.endLine !== undefined) firstHalfEnd.set(u, u.endLine);
  const m = absorb(u, r);
  if (r.time !== undefined) m.endTime = r.time;
  if (r.timestamp !== undefined) m.endTimestamp = r.timestamp;
  m.resumedLine = r.line;
  m.endLine = Math.max(r.endLine ?? r.line, u.endLine ?? u.line);
  if (r.stack) m.stack = (m.stack ?? []).concat(r.stack);
  if (r.dump) m.dump = (m.dump ?? []).concat(r.dump);
  return m;
}

/** One record from a call cut at the end of its line and the line that continues it. */
export function joinSplit(o: SyscallRecord, c: SyscallRecord): SyscallRecord {
  const m = absorb(o, c);
  m.endLine = c.endLine ?? c.line;
  return m;
}
