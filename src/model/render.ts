// Records back to strace text, built from their typed fields. With `--no-merge` records this
// reproduces strace's lines byte for byte; `fmt` carries only what the typed fields cannot.

import type { ArgNode, LineFormat, SyscallRecord, TraceRecord } from "./record.js";
import { decodeCString, encodeCString } from "./text.js";
import { intValue } from "./ints.js";
import { applySgr, type SgrLine } from "./color.js";

/** strace's default alignment column for ` = ` (`-a`). */
export const ALIGN_COLUMN = 40;

export function renderPrefix(rec: TraceRecord, fmt: LineFormat | undefined = rec.fmt): string {
  // strace's own messages never carry a prefix; their pid comes from their text.
  if (rec.type === "message") return "";
  let s = "";
  const style = fmt?.pidStyle;
  if (rec.pid !== null && style !== "none") {
    if (style === "bracket") s += `[pid ${String(rec.pid).padStart(5)}${rec.comm !== undefined ? `<${rec.comm}>` : ""}] `;
    else if (rec.comm !== undefined) s += `${rec.pid}<${rec.comm}> `;
    else s += `${String(rec.pid).padEnd(5)} `;
  }
  if (rec.timestamp !== undefined) s += padTimestamp(rec.timestamp) + " ";
  if (rec.relativeText !== undefined) s += `(+${padTimestamp(rec.relativeText)}) `;
  if (rec.ip !== undefined) s += `[${rec.ip}] `;
  if (fmt?.scno !== undefined) s += `[${fmt.scno}] `;
  return s;
}

/** -r and -ttt timestamps are printed `%6ld.%06ld`: the integer part right-aligned in six columns. */
function padTimestamp(t: string): string {
  if (t.indexOf(":") >= 0) return t;
  const dot = t.indexOf(".");
  const intLen = dot < 0 ? t.length : dot;
  return intLen < 6 ? " ".repeat(6 - intLen) + t : t;
}

/** One argument node back as strace printed it. */
export function renderArg(n: ArgNode): string {
  let s: string;
  switch (n.kind) {
    case "int":
      s = intValue(n.text) === n.value ? n.text : String(n.value);
      break;
    case "float":
      s = Number(n.text) === n.value ? n.text : String(n.value);
      break;
    case "str": {
      const quote = n.raw.charCodeAt(n.at ? 1 : 0) === 39 ? "'" : '"';
      const body = n.raw.slice(n.at ? 2 : 1, n.raw.length - 1);
      s = decodeCString(body) === n.value ? n.raw : (n.at ? "@" : "") + quote + encodeCString(n.value) + quote;
      if (n.truncated) s += "...";
      break;
    }
    case "ident":
      s = n.name;
      break;
    case "flags":
      s = n.items.map(renderArg).join("|");
      break;
    case "set":
      s = (n.negated ? "~[" : "[") + renderList(n.items, " ", n.seps) + "]";
      break;
    case "array":
      s = "[" + renderList(n.items, ", ", n.seps) + "]";
      break;
    case "struct":
      s = "{" + renderList(n.fields, ", ", n.seps) + "}";
      break;
    case "field":
      s = n.name + (n.sep ?? "=") + renderArg(n.value);
      break;
    case "call":
      s = n.name + "(" + renderList(n.args, ", ", n.seps) + ")";
      break;
    case "expr": {
      s = renderArg(n.terms[0]);
      for (let i = 1; i < n.terms.length; i++) s += (n.ops[i - 1] ?? " ") + renderArg(n.terms[i]);
      break;
    }
    case "change":
      s = (n.from ? renderArg(n.from) : "") + (n.op ?? " => ") + renderArg(n.to);
      break;
    case "elided":
      s = "...";
      break;
    case "comment":
      s = n.commentRaw !== undefined ? "/*" + n.commentRaw + "*/" : "/* " + n.text + " */";
      break;
  }
  // Annotations in the order they were printed (the object's key order records it).
  for (const key in n) {
    if (key === "decor") s += "<" + n.decor + ">";
    else if (key === "deleted") s += "(deleted)";
    else if (key === "comment") s += n.commentRaw !== undefined ? " /*" + n.commentRaw + "*/" : " /* " + n.comment + " */";
  }
  return s;
}

export function renderList(items: ArgNode[], sep: string, seps?: Record<string, string>): string {
  let s = "";
  for (let i = 0; i < items.length; i++) {
    const custom = seps?.[String(i)];
    if (custom !== undefined) s += custom;
    else if (i > 0) s += sep;
    s += renderArg(items[i]);
  }
  return s;
}

/** `name(args` up to (not including) the closing parenthesis, or a resumed/continued head. */
function renderCallHead(rec: SyscallRecord): string {
  const f = rec.fmt;
  let s: string;
  if (f?.cont) s = "";
  else if (rec.resumed) s = rec.name ? `<... ${rec.name} resumed>` : "<... resumed>";
  else s = rec.name + "(";
  if (rec.resuming !== undefined) s += `<... ${rec.resuming} ...>`;
  if (f?.echoes) {
    // put interleaved program output back after the argument it followed
    for (let i = 0; i < rec.args.length; i++) {
      const custom = f.seps?.[String(i)];
      if (custom !== undefined) s += custom;
      else if (i > 0) s += ", ";
      s += renderArg(rec.args[i]);
      for (const e of f.echoes) if (e.after === i) s += e.text;
    }
  } else {
    s += renderList(rec.args, ", ", f?.seps);
  }
  if (f?.tail !== undefined) s += f.tail;
  return s;
}

export function renderSyscall(rec: SyscallRecord): string {
  const f = rec.fmt;
  let s = (f?.prefix ?? renderPrefix(rec)) + renderCallHead(rec);
  if (f?.open) return s;
  if (rec.unfinished) {
    s += f?.marker ?? " <unfinished ...>";
    // strace 4.x-7.x `exit(0 <unfinished ...>) = ?`: a marker inside the parentheses, then a result
    if (!f?.markerThenResult) return s;
  }
  s += ")";
  const pad = f?.pad ?? (s.length < ALIGN_COLUMN ? ALIGN_COLUMN - s.length : 1);
  s += " ".repeat(pad) + "= " + (rec.retText ?? (rec.ret === null ? "?" : String(rec.ret)));
  if (rec.retDecor !== undefined) s += "<" + rec.retDecor + ">";
  if (rec.retDeleted) s += "(deleted)";
  const parts: Record<string, string[]> = { errno: [], aux: [], unavailable: [], comment: [], duration: [] };
  // an errno strace has no name for is printed as `(errno N)`
  const errno = rec.errno !== null && rec.errno.startsWith("errno ") ? `(${rec.errno})` : rec.errno;
  if (errno !== null) parts.errno.push(" " + errno + (rec.errmsg !== undefined ? ` (${rec.errmsg})` : ""));
  for (const a of rec.aux ?? []) parts.aux.push(` (${a})`);
  if (rec.unavailable) parts.unavailable.push(" <unavailable>");
  if (rec.retComment !== undefined) parts.comment.push(rec.retCommentRaw !== undefined ? ` /*${rec.retCommentRaw}*/` : ` /* ${rec.retComment} */`);
  if (rec.durationText !== undefined || rec.duration !== undefined) parts.duration.push(` <${rec.durationText ?? rec.duration}>`);
  const order = f?.order ?? ["errno", "aux", "unavailable", "comment", "duration"];
  const used: Record<string, number> = {};
  for (const key of order) {
    const list = parts[key];
    const k = used[key] ?? 0;
    if (f?.order) {
      if (k < list.length) s += list[k];
      used[key] = k + 1;
    } else {
      s += list.join("");
    }
  }
  if (f?.trailing !== undefined) s += f.trailing;
  return s;
}

/** The strace text of one record (several lines for stack frames, dumps and summaries). */
export function renderRecord(rec: TraceRecord): string {
  switch (rec.type) {
    case "syscall": {
      let s = renderSyscall(rec);
      for (const frame of rec.stack ?? []) s += "\n > " + frame;
      for (const d of rec.dump ?? []) s += "\n" + d;
      return s;
    }
    case "signal": {
      const pre = rec.fmt?.prefix ?? renderPrefix(rec);
      const text = rec.text;
      let body = rec.stopped ? `stopped by ${rec.signal}` : rec.signal;
      if (rec.info) body += " " + renderArg(rec.info);
      else if (text !== undefined) body += " " + text;
      let s = `${pre}--- ${body} ---`;
      for (const frame of rec.stack ?? []) s += "\n > " + frame;
      for (const d of rec.dump ?? []) s += "\n" + d;
      return s;
    }
    case "exit": {
      const pre = rec.fmt?.prefix ?? renderPrefix(rec);
      let s: string;
      if (rec.how === "exited") s = `${pre}+++ exited with ${rec.code} +++`;
      else if (rec.how === "killed") s = `${pre}+++ killed by ${rec.signal}${rec.core ? " (core dumped)" : ""} +++`;
      else s = `${pre}+++ superseded by execve in pid ${rec.byPid} +++`;
      for (const frame of rec.stack ?? []) s += "\n > " + frame;
      for (const d of rec.dump ?? []) s += "\n" + d;
      return s;
    }
    case "message":
      return (rec.fmt?.prefix ?? renderPrefix(rec)) + rec.text;
    case "summary":
      return rec.text.join("\n");
    case "diagnostic":
      return rec.text;
  }
}

/** Renders a stream of records as strace text: one record per line, except that a record marked
 *  `glued` continues the previous record's line. */
export function* renderRecords(records: Iterable<TraceRecord>): Generator<string> {
  const r = new TextRenderer();
  for (const rec of records) {
    const s = r.next(rec);
    if (s) yield s;
  }
  const end = r.end();
  if (end) yield end;
}

/** renderRecords one record at a time, for streams. */
export class TextRenderer {
  private first = true;
  private unterminated = false;
  /** `--color` sequences of the previous record that stood after its text, in a glued record. */
  private sgrCarry: SgrLine | null = null;

  /** The text one more record adds ("" for a diagnostic already inside its record). */
  next(rec: TraceRecord): string {
    if (rec.fmt?.inline) return "";
    const sep = !this.first && !rec.fmt?.glued ? "\n" : "";
    this.first = false;
    this.unterminated = rec.fmt?.unterminated === true;
    let text = renderRecord(rec);
    const carry = rec.fmt?.glued ? this.sgrCarry : null;
    this.sgrCarry = null;
    // a merged call's sequences stand in two lines that its one rendered line does not reproduce
    const sgr = rec.type === "syscall" && rec.resumedLine !== undefined ? undefined : rec.fmt?.sgr;
    if (sgr || carry) ({ text, carry: this.sgrCarry } = applySgr(text, sgr ?? [], carry));
    return sep + (rec.fmt?.crlf ? text.split("\n").join("\r\n") + "\r" : text);
  }

  /** The final newline, unless the input had none. */
  end(): string {
    return this.first || this.unterminated ? "" : "\n";
  }
}
