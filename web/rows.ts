// Compact storage for millions of calls: one typed array per numeric column, interned names,
// and the rendered argument text. A row is an index; objects are built only for visible rows.

import { renderArg, type SyscallRecord } from "../src/browser.js";
import type { Filter, Row } from "./protocol.js";

/** Argument text is cut here: the table shows one line per call, the export keeps everything. */
const ARGS_MAX = 240;

class F64 {
  a = new Float64Array(1024);
  push(i: number, v: number): void {
    if (i >= this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[i] = v;
  }
}

class I32 {
  a = new Int32Array(1024);
  push(i: number, v: number): void {
    if (i >= this.a.length) {
      const b = new Int32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[i] = v;
  }
}

/** Strings seen many times (syscall names, errnos, file names) stored once, referenced by id. */
class Interner {
  readonly list: string[] = [];
  private readonly ids = new Map<string, number>();
  id(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.list.length;
      this.list.push(s);
      this.ids.set(s, id);
    }
    return id;
  }
  find(s: string): number | undefined {
    return this.ids.get(s);
  }
}

export class CallTable {
  length = 0;
  private readonly pid = new I32();
  private readonly line = new I32();
  private readonly file = new I32();
  private readonly name = new I32();
  private readonly errno = new I32();
  private readonly time = new F64();
  private readonly dur = new F64();
  private readonly ret = new F64();
  /** Printed results that are not a plain number (`?`, hex, decorated fds), by row. */
  private readonly retText = new Map<number, string>();
  private readonly timestamps: string[] = [];
  private readonly args: string[] = [];
  private readonly names = new Interner();
  private readonly errnos = new Interner();
  private readonly files = new Interner();

  add(r: SyscallRecord, file: string): string {
    const i = this.length++;
    this.pid.push(i, r.pid ?? -1);
    this.line.push(i, r.line);
    this.file.push(i, this.files.id(file));
    this.name.push(i, this.names.id(r.name));
    this.errno.push(i, r.errno === null ? -1 : this.errnos.id(r.errno));
    this.time.push(i, r.time ?? NaN);
    this.dur.push(i, r.duration ?? NaN);
    this.timestamps.push(r.timestamp ?? "");
    let args = r.args.map(renderArg).join(", ");
    if (args.length > ARGS_MAX) args = args.slice(0, ARGS_MAX) + "…";
    this.args.push(args);
    if (typeof r.ret === "number" && r.retText === undefined && r.retDecor === undefined) this.ret.push(i, r.ret);
    else {
      this.ret.push(i, NaN);
      this.retText.set(i, (r.retText ?? (r.ret === null ? "?" : String(r.ret))) + (r.retDecor !== undefined ? `<${r.retDecor}>` : ""));
    }
    return args;
  }

  result(i: number): string {
    const t = this.retText.get(i);
    return t !== undefined ? t : String(this.ret.a[i]);
  }

  row(i: number): Row {
    const e = this.errno.a[i]!;
    const d = this.dur.a[i]!;
    const pid = this.pid.a[i]!;
    return {
      index: i,
      file: this.files.list[this.file.a[i]!]!,
      line: this.line.a[i]!,
      pid: pid < 0 ? null : pid,
      time: this.timestamps[i]!,
      name: this.names.list[this.name.a[i]!]!,
      args: this.args[i]!,
      result: this.result(i),
      errno: e < 0 ? "" : this.errnos.list[e]!,
      duration: Number.isNaN(d) ? "" : d.toFixed(6),
    };
  }

  /** Indices of the rows matching every non-empty condition, in table order. */
  filter(f: Filter): Int32Array {
    const text = f.text.trim();
    const nameId = f.name ? this.names.find(f.name) : undefined;
    const pid = f.pid.trim() === "" ? undefined : Number(f.pid.trim());
    const errnoId = f.errno && f.errno !== "*" ? this.errnos.find(f.errno) : undefined;
    // A condition naming something that never occurs matches nothing.
    if ((f.name && nameId === undefined) || (f.errno && f.errno !== "*" && errnoId === undefined) || (pid !== undefined && Number.isNaN(pid))) {
      return new Int32Array(0);
    }
    const out = new Int32Array(this.length);
    let n = 0;
    const names = this.name.a,
      errnos = this.errno.a,
      pids = this.pid.a;
    for (let i = 0; i < this.length; i++) {
      if (nameId !== undefined && names[i] !== nameId) continue;
      if (pid !== undefined && pids[i] !== pid) continue;
      if (f.errno === "*" && errnos[i]! < 0) continue;
      if (errnoId !== undefined && errnos[i] !== errnoId) continue;
      if (text && !this.matchesText(i, text)) continue;
      out[n++] = i;
    }
    return out.slice(0, n);
  }

  private matchesText(i: number, text: string): boolean {
    return (
      this.names.list[this.name.a[i]!]!.includes(text) ||
      this.args[i]!.includes(text) ||
      this.result(i).includes(text) ||
      (this.errno.a[i]! >= 0 && this.errnos.list[this.errno.a[i]!]!.includes(text))
    );
  }

  /** The call nearest to `line` of `file`: the last one starting at or before it, else the first
   *  after it (a diagnostic's line is usually not a call). Rows are in input order within a file. */
  locate(file: string, line: number): number {
    const f = this.files.find(file);
    if (f === undefined) return -1;
    const files = this.file.a,
      lines = this.line.a;
    let before = -1;
    for (let i = 0; i < this.length; i++) {
      if (files[i] !== f) continue;
      if (lines[i]! <= line) before = i;
      else return before >= 0 ? before : i;
    }
    return before;
  }
}
