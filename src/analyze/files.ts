// Per-file I/O of a trace: for every path, how often it was opened, which opens failed and why,
// bytes read and written through it, and the calls (and -T time) spent on it.
//
// A call's file comes from strace's `-y` decoration of its fd argument where the trace has one
// (`read(3</etc/passwd>, ...)`); otherwise from a per-process fd table that follows open, openat,
// openat2, creat, dup, dup2, dup3, fcntl(F_DUPFD*), close and close_range, shared by threads
// (CLONE_FILES), copied into forked children and cleared of close-on-exec fds by execve.
// A successful open under -y counts under the path strace resolved (`= 3</usr/lib/...>`), a failed
// one under the path as requested (joined to its directory fd's decoration when relative).
// fds the trace never shows being opened (inherited stdin/stdout without -y, pipes, sockets) have
// no path and are not counted. Memory: one entry per path plus the open fds of live processes.

import { syscallArgs } from "../knowledge/index.js";
import type { ArgNode, SyscallRecord, TraceRecord } from "../model/record.js";
import { UnprefixedPids } from "../model/unprefixed.js";
import { cloneInfo } from "./clone.js";

/** What one path saw over the trace. */
export interface FileUsage {
  /** The file's path: as strace's -y resolved it, else as the call requested it. */
  path: string;
  /** Successful opens (open, openat, openat2, creat). */
  opens: number;
  /** Failed opens. */
  failed: number;
  /** Failed opens per errno name (`ENOENT`). */
  errnos: Record<string, number>;
  /** Bytes returned by read-like calls on it (and copies from it). */
  bytesRead: number;
  /** Bytes returned by write-like calls on it (and copies to it). */
  bytesWritten: number;
  /** Calls on it: opens, I/O, close, fstat, lseek, ... and calls naming it by path (stat, unlink). */
  calls: number;
  /** Sum of those calls' -T durations. */
  seconds: number;
}

/** Columns `files` can sort by. Numbers sort largest first, the path A to Z. */
export const FILE_COLUMNS = ["path", "opens", "failed", "bytesRead", "bytesWritten", "calls", "seconds"] as const;
/** A column `files` can sort by: one of FILE_COLUMNS. */
export type FileColumn = (typeof FILE_COLUMNS)[number];

const OPENS: Record<string, number> = { open: 0, creat: 0, openat: 1, openat2: 1 };
const READS = new Set(["read", "pread64", "readv", "preadv", "preadv2", "recv", "recvfrom", "recvmsg"]);
const WRITES = new Set(["write", "pwrite64", "writev", "pwritev", "pwritev2", "send", "sendto", "sendmsg"]);
/** Calls that move bytes from one fd (index `from`) to another (index `to`), returning the count. */
const COPIES: Record<string, { from: number; to: number }> = {
  sendfile: { from: 1, to: 0 },
  sendfile64: { from: 1, to: 0 },
  copy_file_range: { from: 0, to: 2 },
  splice: { from: 0, to: 2 },
};

interface OpenFd {
  path: string;
  cloexec: boolean;
}
type FdTable = Map<number, OpenFd>;

/** Accumulates FileUsage per path from records in trace order. */
export class FileAccess {
  private readonly files = new Map<string, FileUsage>();
  private readonly tables = new Map<number | null, FdTable>();
  private readonly unprefixed = new UnprefixedPids();

  private usage(path: string): FileUsage {
    let u = this.files.get(path);
    if (!u) this.files.set(path, (u = { path, opens: 0, failed: 0, errnos: {}, bytesRead: 0, bytesWritten: 0, calls: 0, seconds: 0 }));
    return u;
  }

  private table(pid: number | null): FdTable {
    let t = this.tables.get(pid);
    if (!t) this.tables.set(pid, (t = new Map()));
    return t;
  }

  /** Takes in one record (records in trace order). */
  add(r: TraceRecord): void {
    if (r.type === "diagnostic" || r.type === "summary") return;
    const { pid, named } = this.unprefixed.see(r);
    // the unprefixed first process of a -f trace on stderr got its pid: its fds go with it
    if (named !== undefined && this.tables.has(null) && !this.tables.has(named)) {
      this.tables.set(named, this.tables.get(null) as FdTable);
      this.tables.delete(null);
    }
    if (r.type === "exit") {
      this.tables.delete(pid);
      return;
    }
    if (r.type !== "syscall" || r.unfinished) return;
    const fds = this.table(pid);
    const touched = new Set<string>();
    const open = OPENS[r.name];
    if (open !== undefined) this.open(r, open, fds, touched);
    else this.onFds(r, fds, touched);
    for (const p of touched) {
      const u = this.usage(p);
      u.calls++;
      if (r.duration !== undefined) u.seconds += r.duration;
    }
    this.track(r, fds);
  }

  private open(r: SyscallRecord, at: number, fds: FdTable, touched: Set<string>): void {
    const arg = unfield(r.args[at]);
    if (arg?.kind !== "str") return;
    let requested = arg.value;
    const dir = at === 1 ? unfield(r.args[0]) : undefined;
    if (!requested.startsWith("/") && dir?.decor?.startsWith("/")) requested = joinPath(dir.decor, requested);
    if (r.errno !== null) {
      const u = this.usage(requested);
      u.failed++;
      u.errnos[r.errno] = (u.errnos[r.errno] ?? 0) + 1;
      touched.add(requested);
      return;
    }
    if (typeof r.ret !== "number" || r.ret < 0) return;
    const path = r.retDecor ?? requested;
    this.usage(path).opens++;
    touched.add(path);
    // openat2 carries its flags inside `{flags=..., mode=..., resolve=...}`
    const flags = r.name === "openat2" ? structField(r.args[2], "flags") : r.args[at + 1];
    fds.set(r.ret, { path, cloexec: hasFlag(flags, "O_CLOEXEC") });
  }

  /** Attributes a call to the files of its fd and path arguments, and counts the bytes it moved. */
  private onFds(r: SyscallRecord, fds: FdTable, touched: Set<string>): void {
    const specs = syscallArgs(r.name);
    const fileOf = (i: number): string | undefined => {
      const a = unfield(r.args[i]);
      if (!a) return undefined;
      if (a.decor !== undefined) return a.decor;
      return a.kind === "int" && typeof a.value === "number" ? fds.get(a.value)?.path : undefined;
    };
    const bytes = r.errno === null && typeof r.ret === "number" && r.ret > 0 ? r.ret : 0;
    const copy = COPIES[r.name];
    if (copy) {
      const from = fileOf(copy.from);
      const to = fileOf(copy.to);
      if (from !== undefined) {
        touched.add(from);
        this.usage(from).bytesRead += bytes;
      }
      if (to !== undefined) {
        touched.add(to);
        this.usage(to).bytesWritten += bytes;
      }
      return;
    }
    if (!specs) return;
    for (let i = 0; i < specs.length && i < r.args.length; i++) {
      const kind = specs[i].kind;
      if (kind === "fd") {
        const f = fileOf(i);
        if (f === undefined) continue;
        touched.add(f);
        if (i === 0 && READS.has(r.name)) this.usage(f).bytesRead += bytes;
        else if (i === 0 && WRITES.has(r.name)) this.usage(f).bytesWritten += bytes;
      } else if (kind === "path") {
        const a = unfield(r.args[i]);
        if (a?.kind !== "str" || a.value === "") continue;
        let p = a.value;
        const dir = i > 0 && specs[i - 1].kind === "dirfd" ? unfield(r.args[i - 1]) : undefined;
        if (!p.startsWith("/") && dir?.decor?.startsWith("/")) p = joinPath(dir.decor, p);
        touched.add(p);
      }
    }
  }

  /** Follows fd numbers: dup, fcntl, close, close_range, execve, clone. */
  private track(r: SyscallRecord, fds: FdTable): void {
    const ok = r.errno === null;
    const ret = typeof r.ret === "number" ? r.ret : -1;
    const fdArg = (i: number): number | undefined => {
      const a = unfield(r.args[i]);
      return a?.kind === "int" && typeof a.value === "number" ? a.value : undefined;
    };
    switch (r.name) {
      case "dup":
      case "dup2":
      case "dup3": {
        const from = fdArg(0);
        const f = from !== undefined ? fds.get(from) : undefined;
        if (!ok || ret < 0) return;
        if (f) fds.set(ret, { path: f.path, cloexec: r.name === "dup3" && hasFlag(r.args[2], "O_CLOEXEC") });
        else fds.delete(ret); // dup2 onto an fd closes what was there
        return;
      }
      case "fcntl":
      case "fcntl64": {
        const fd = fdArg(0);
        const cmd = identOf(r.args[1]);
        if (!ok || fd === undefined) return;
        if (cmd === "F_DUPFD" || cmd === "F_DUPFD_CLOEXEC") {
          const f = fds.get(fd);
          if (f && ret >= 0) fds.set(ret, { path: f.path, cloexec: cmd === "F_DUPFD_CLOEXEC" });
        } else if (cmd === "F_SETFD") {
          const f = fds.get(fd);
          if (f) f.cloexec = hasFlag(r.args[2], "FD_CLOEXEC");
        }
        return;
      }
      case "close": {
        // close releases the fd even when it reports an error, except EBADF (it was not open)
        const fd = fdArg(0);
        if (fd !== undefined && r.errno !== "EBADF") fds.delete(fd);
        return;
      }
      case "close_range": {
        const first = fdArg(0);
        // the last fd is often printed `~0U` (no limit): anything but a plain number means "all"
        const upTo = fdArg(1) ?? Infinity;
        if (!ok || first === undefined) return;
        const cloexecOnly = hasFlag(r.args[2], "CLOSE_RANGE_CLOEXEC");
        for (const [fd, f] of fds) {
          if (fd < first || fd > upTo) continue;
          if (cloexecOnly) f.cloexec = true;
          else fds.delete(fd);
        }
        return;
      }
      case "execve":
      case "execveat":
        if (ok && !r.unfinished) for (const [fd, f] of fds) if (f.cloexec) fds.delete(fd);
        return;
    }
    const c = cloneInfo(r);
    if (c) this.tables.set(c.child, c.sharesFiles ? fds : new Map([...fds].map(([fd, f]) => [fd, { ...f }])));
  }

  /** Every path seen, sorted by a column (numbers largest first, then by path). */
  result(sortBy: FileColumn = "calls"): FileUsage[] {
    const rows = [...this.files.values()];
    const byPath = (a: FileUsage, b: FileUsage) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
    if (sortBy === "path") return rows.sort(byPath);
    return rows.sort((a, b) => b[sortBy] - a[sortBy] || byPath(a, b));
  }
}

/** strace 6.16+ prints named arguments `fd=3`: the value is what counts. */
function unfield(a: ArgNode | undefined): ArgNode | undefined {
  return a?.kind === "field" ? a.value : a;
}

function structField(a: ArgNode | undefined, name: string): ArgNode | undefined {
  const v = unfield(a);
  if (v?.kind !== "struct") return undefined;
  for (const f of v.fields) if (f.kind === "field" && f.name === name) return f.value;
  return undefined;
}

function identOf(a: ArgNode | undefined): string | undefined {
  const v = unfield(a);
  return v?.kind === "ident" ? v.name : v?.kind === "int" ? v.text : undefined;
}

function hasFlag(a: ArgNode | undefined, flag: string): boolean {
  const v = unfield(a);
  if (!v) return false;
  if (v.kind === "ident") return v.name === flag;
  if (v.kind === "flags") return v.items.some((i) => i.kind === "ident" && i.name === flag);
  return false;
}

/** `dir` + `/` + `rel` with `.` and `..` segments resolved (no filesystem access). */
export function joinPath(dir: string, rel: string): string {
  const parts: string[] = [];
  for (const seg of `${dir}/${rel}`.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") parts.pop();
    else parts.push(seg);
  }
  return "/" + parts.join("/");
}

/** The table as aligned text, with the failed opens' errnos in the last column. */
export function filesTable(rows: FileUsage[]): string {
  let s = "    opens   failed       read    written     calls    seconds path (errnos of failed opens)\n";
  for (const u of rows) {
    const errs = Object.entries(u.errnos)
      .map(([e, n]) => `${e}×${n}`)
      .join(" ");
    s += `${String(u.opens).padStart(9)} ${String(u.failed).padStart(8)} ${String(u.bytesRead).padStart(10)} ${String(u.bytesWritten).padStart(10)} ${String(u.calls).padStart(9)} ${u.seconds.toFixed(6).padStart(10)} ${u.path}${errs ? "  (" + errs + ")" : ""}\n`;
  }
  return s;
}
