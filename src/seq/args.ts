// Argument-aware symbols (`symbol: "args"`): a call's name refined by classes of its arguments,
// per program, so that an `openat` of the document root and an `openat` of /etc/passwd are
// different symbols while a server's thousand documents stay one.
//
//   PROGRAM:NAME(part,part,...)        e.g.  vulnsvc:openat(path=www/*,flags=r)
//                                            vulnsvc:read(fd=www/*)   vulnsvc:write(fd=tcp)
//
// - PROGRAM: basename of the file the process last execve'd (inherited over fork/clone; `?`
//   before any execve is seen, e.g. a process attached with -p). Symbols, and so the models
//   trained on them, are per program: a symbol "never seen" means never seen for that program.
// - path=CLASS for each path argument. The path is resolved: the `-y` path of a returned fd or
//   of the dirfd where printed; else `.` and `..` are normalised against the process's working
//   directory, which is followed through chdir/fchdir (unknown at the start of a trace, so a
//   relative path stays relative: `www/docs/../../../../etc/passwd` becomes `../../etc/passwd`).
//   Its class is `DIR/*` for the deepest directory DIR on its path that had `minChildren` (4)
//   or more distinct children in training for that program, else the exact path.
// - exe=BASENAME for execve/execveat (the program being started; where it was run from does
//   not matter).
// - sock=tcp|udp|inet|unix|netlink|socket for socket and socketpair (the kind being made).
// - flags=r|w|rw plus c (O_CREAT) and d (O_DIRECTORY) for the open family.
// - fd=CLASS for each fd argument: the path class of the file it was opened on, tcp, udp, unix,
//   netlink, socket (other families), pipe, anon (eventfd, epoll, timerfd, signalfd, inotify,
//   memfd, ...), dev (/dev/...), std (0, 1, 2 never opened in the trace), or ? (unknown). From
//   the `-y` decoration where printed, else from the call that made the fd (open, socket,
//   accept, pipe, dup, fcntl F_DUPFD; close forgets it); the table is per process, copied
//   over fork and shared by threads.
//
// Limits: train and score traces should be made with the same strace options (a `-y` path is
// absolute where the same path without `-y` is relative); fds passed in from outside the trace
// are `?`; paths are strings, so symlinks and bind mounts are not resolved; per-process state
// uses each record's pid (unprefixed calls of a single traced process share the `null` pid).

import type { ArgNode, SyscallRecord } from "../model/record.js";
import { syscallArgs } from "../knowledge/index.js";
import { createdPid } from "../model/unprefixed.js";
import { hasCloneThread } from "./clone.js";

/** Learned path classes: per program, the directories collapsed to `DIR/*`. JSON as is. */
export type PathClasses = Record<string, string[]>;

/** Distinct children a directory needs in training to be collapsed to `DIR/*`
 *  (PathClassLearner's default). */
export const DEFAULT_MIN_CHILDREN = 4;

/** Learns which directories have many distinct children, per program (pass 1 of training). */
export class PathClassLearner {
  /** program -> directory -> distinct children seen (kept only up to minChildren). */
  private readonly dirs = new Map<string, Map<string, Set<string>>>();

  /** A learner that collapses directories with at least `minChildren` distinct children. */
  constructor(readonly minChildren = DEFAULT_MIN_CHILDREN) {}

  /** Notes one resolved path used by `program`: each directory on it gains the component below
   *  it as a child. */
  see(program: string, path: string): void {
    let byDir = this.dirs.get(program);
    if (!byDir) this.dirs.set(program, (byDir = new Map()));
    let p = path;
    for (;;) {
      const cut = p.lastIndexOf("/");
      if (cut < 0) return;
      const dir = cut === 0 ? "/" : p.substring(0, cut);
      const child = p.substring(cut + 1);
      let set = byDir.get(dir);
      if (!set) byDir.set(dir, (set = new Set()));
      if (set.size < this.minChildren && child !== "") set.add(child);
      if (cut === 0) return;
      p = dir;
    }
  }

  /** The learned classes: per program, its directories with at least `minChildren` distinct
   *  children, sorted (programs with none left out). */
  classes(): PathClasses {
    const out: PathClasses = {};
    for (const [program, byDir] of this.dirs) {
      const collapsed = [...byDir].filter(([, kids]) => kids.size >= this.minChildren).map(([dir]) => dir);
      if (collapsed.length > 0) out[program] = collapsed.sort();
    }
    return out;
  }
}

/** `.` and `..` removed; leading `..` of a relative path kept. */
export function normalisePath(path: string): string {
  const absolute = path.startsWith("/");
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!absolute) out.push("..");
    } else out.push(part);
  }
  const joined = out.join("/");
  return absolute ? "/" + joined : joined === "" ? "." : joined;
}

function joinPath(base: string | null, path: string): string {
  if (path.startsWith("/") || base === null) return normalisePath(path);
  return normalisePath(base + "/" + path);
}

type FdInfo = { path: string } | { kind: string };

interface ProcessState {
  program: string;
  cwd: string | null;
  fds: Map<number, FdInfo>;
}

const OPENS = new Set(["open", "openat", "openat2", "creat", "open_by_handle_at"]);
const EXECS = new Set(["execve", "execveat"]);
const DUPS = new Set(["dup", "dup2", "dup3"]);
const ANON = new Set([
  "eventfd",
  "eventfd2",
  "epoll_create",
  "epoll_create1",
  "timerfd_create",
  "signalfd",
  "signalfd4",
  "inotify_init",
  "inotify_init1",
  "fanotify_init",
  "memfd_create",
  "memfd_secret",
  "userfaultfd",
  "perf_event_open",
  "bpf",
  "io_uring_setup",
  "pidfd_open",
]);

/** Percent-escapes what would break a symbol (spaces separate symbols in text output). */
function esc(v: string): string {
  return v.replace(/[%,()=\s]/g, (c) => "%" + c.charCodeAt(0).toString(16).padStart(2, "0"));
}

function identsOf(node: ArgNode | undefined): string[] {
  if (!node) return [];
  if (node.kind === "ident") return [node.name];
  if (node.kind === "flags") return node.items.flatMap(identsOf);
  if (node.kind === "field") return identsOf(node.value);
  return [];
}

function intOf(node: ArgNode | undefined): number | undefined {
  const n = node?.kind === "field" ? node.value : node;
  return n?.kind === "int" && typeof n.value === "number" ? n.value : undefined;
}

function decorClass(decor: string): FdInfo {
  if (decor.startsWith("/dev/")) return { kind: "dev" };
  if (decor.startsWith("/")) return { path: normalisePath(decor) };
  const m = /^([A-Za-z_]+)/.exec(decor);
  const tag = (m?.[1] ?? "").toUpperCase();
  if (tag.startsWith("TCP")) return { kind: "tcp" };
  if (tag.startsWith("UDP")) return { kind: "udp" };
  if (tag === "UNIX") return { kind: "unix" };
  if (tag === "NETLINK") return { kind: "netlink" };
  if (tag === "PIPE") return { kind: "pipe" };
  if (tag === "ANON_INODE") return { kind: "anon" };
  if (tag === "SOCKET") return { kind: "socket" };
  return { kind: "?" };
}

function socketKind(rec: SyscallRecord): string {
  const domain = identsOf(rec.args[0])[0] ?? "";
  const type = identsOf(rec.args[1]);
  if (domain === "AF_INET" || domain === "AF_INET6") return type.includes("SOCK_DGRAM") ? "udp" : type.includes("SOCK_STREAM") ? "tcp" : "inet";
  if (domain === "AF_UNIX" || domain === "AF_LOCAL") return "unix";
  if (domain === "AF_NETLINK") return "netlink";
  return "socket";
}

function openFlags(rec: SyscallRecord): string | undefined {
  if (rec.name === "creat") return "wc";
  const specs = syscallArgs(rec.name);
  const i = specs?.findIndex((s) => s.name === "flags") ?? -1;
  const node = i >= 0 ? rec.args[i] : rec.args.find((a) => a.kind === "struct");
  const f = node?.kind === "struct" ? node.fields.flatMap(identsOf) : identsOf(node);
  if (f.length === 0) return undefined;
  let c = f.includes("O_RDWR") ? "rw" : f.includes("O_WRONLY") ? "w" : "r";
  if (f.includes("O_CREAT")) c += "c";
  if (f.includes("O_DIRECTORY")) c += "d";
  return c;
}

/**
 * Stateful symbolizer for one trace: feed every syscall record in order through `symbol`.
 * With a `learner` it also records every resolved path for learning classes; with `classes`
 * it collapses paths under the learned directories.
 */
export class ArgSymbolizer {
  private readonly procs = new Map<number | null, ProcessState>();
  private readonly collapsed = new Map<string, Set<string>>();

  /** A symbolizer that collapses paths under `classes` (learned in pass 1); with `learner`,
   *  every resolved path except exec targets is also fed to it. */
  constructor(
    classes: PathClasses = {},
    private readonly learner?: PathClassLearner,
  ) {
    for (const [program, dirs] of Object.entries(classes)) this.collapsed.set(program, new Set(dirs));
  }

  private state(pid: number | null): ProcessState {
    let s = this.procs.get(pid);
    if (!s) this.procs.set(pid, (s = { program: "?", cwd: null, fds: new Map() }));
    return s;
  }

  /** A thread or process exited: its state is no longer needed (a stream of short-lived
   *  processes keeps memory bounded). */
  forget(pid: number | null): void {
    this.procs.delete(pid);
  }

  /** The class of a resolved path for a program: `DIR/*` for its deepest collapsed directory. */
  pathClass(program: string, path: string): string {
    const dirs = this.collapsed.get(program);
    if (dirs) {
      let p = path;
      for (let cut = p.lastIndexOf("/"); cut >= 0; cut = p.lastIndexOf("/")) {
        const dir = cut === 0 ? "/" : p.substring(0, cut);
        if (dirs.has(dir)) return dir === "/" ? "/*" : dir + "/*";
        if (cut === 0) break;
        p = dir;
      }
    }
    return path;
  }

  private fdClass(st: ProcessState, fd: number, decor: string | undefined): string {
    const info = decor !== undefined ? decorClass(decor) : st.fds.get(fd);
    if (!info) return fd <= 2 ? "std" : "?";
    return "path" in info ? this.pathClass(st.program, info.path) : info.kind;
  }

  /** The argument-aware symbol of one call (`PROGRAM:NAME(part,...)`); a successful call also
   *  updates its process's program, working directory and fd table. */
  symbol(rec: SyscallRecord): string {
    const st = this.state(rec.pid);
    const specs = syscallArgs(rec.name);
    const parts: string[] = [];
    const ok = rec.errno === null;
    const exec = EXECS.has(rec.name);
    let dirBase: string | null = st.cwd;
    let resolved: string | undefined;
    rec.args.forEach((raw, i) => {
      const kind = specs?.[i]?.kind;
      const node = raw.kind === "field" ? raw.value : raw;
      if (kind === "dirfd" || kind === "fd") {
        const fd = intOf(node);
        if (kind === "dirfd") {
          // AT_FDCWD: the working directory, printed by -y as AT_FDCWD</path>
          if (fd === undefined || fd < 0) {
            if (node.decor !== undefined && node.decor.startsWith("/")) dirBase = normalisePath(node.decor);
            return;
          }
          // with AT_EMPTY_PATH (path "") the call is about the dirfd itself: fstat, fchown
          if (rec.args[i + 1]?.kind === "str" && (rec.args[i + 1] as { value: string }).value === "") {
            parts.push("fd=" + esc(this.fdClass(st, fd, node.decor)));
          }
          if (node.decor !== undefined && node.decor.startsWith("/")) dirBase = normalisePath(node.decor);
          else {
            const info = st.fds.get(fd);
            dirBase = info && "path" in info ? info.path : `?fd`;
          }
          return;
        }
        if (fd !== undefined && fd >= 0) parts.push("fd=" + esc(this.fdClass(st, fd, node.decor)));
      } else if (kind === "path" && node.kind === "str" && node.value !== "") {
        let path = joinPath(dirBase, node.value);
        // the fd an open returned, printed with -y, is the resolved file
        if (OPENS.has(rec.name) && ok && rec.retDecor?.startsWith("/")) path = normalisePath(rec.retDecor);
        resolved ??= path;
        if (exec) {
          parts.push("exe=" + esc(path.substring(path.lastIndexOf("/") + 1)));
        } else {
          this.learner?.see(st.program, path);
          parts.push("path=" + esc(this.pathClass(st.program, path)));
        }
      }
    });
    if (rec.name === "socket" || rec.name === "socketpair") parts.push("sock=" + socketKind(rec));
    if (OPENS.has(rec.name)) {
      const f = openFlags(rec);
      if (f !== undefined) parts.push("flags=" + f);
    }
    const sym = `${esc(st.program)}:${rec.name}${parts.length > 0 ? `(${parts.join(",")})` : ""}`;
    if (ok) this.update(rec, st, resolved);
    return sym;
  }

  /** What a successful call changes: program, working directory, fd table, new processes. */
  private update(rec: SyscallRecord, st: ProcessState, path: string | undefined): void {
    const ret = typeof rec.ret === "number" ? rec.ret : undefined;
    const name = rec.name;
    if (EXECS.has(name) && ret === 0 && path !== undefined) st.program = path.substring(path.lastIndexOf("/") + 1);
    else if (name === "chdir" && path !== undefined) st.cwd = path;
    else if (name === "fchdir") {
      const info = st.fds.get(intOf(rec.args[0]) ?? -1);
      st.cwd = info && "path" in info ? info.path : null;
    } else if (name === "close") st.fds.delete(intOf(rec.args[0]) ?? -1);
    if (ret !== undefined && ret >= 0) {
      let made: FdInfo | undefined;
      if (rec.retDecor !== undefined) made = decorClass(rec.retDecor);
      else if (OPENS.has(name) && path !== undefined) made = { path };
      else if (name === "socket") made = { kind: socketKind(rec) };
      else if (name === "accept" || name === "accept4") made = st.fds.get(intOf(rec.args[0]) ?? -1) ?? { kind: "tcp" };
      else if (DUPS.has(name) || (name === "fcntl" && identsOf(rec.args[1]).some((c) => c.startsWith("F_DUPFD")))) made = st.fds.get(intOf(rec.args[0]) ?? -1);
      else if (ANON.has(name)) made = { kind: "anon" };
      if (made) st.fds.set(ret, made);
    }
    if ((name === "pipe" || name === "pipe2" || name === "socketpair") && ret === 0) {
      const pair = rec.args.find((a) => a.kind === "array");
      const kind = name === "socketpair" ? "unix" : "pipe";
      if (pair?.kind === "array") for (const x of pair.items) if (intOf(x) !== undefined) st.fds.set(intOf(x)!, { kind });
    }
    const child = createdPid(rec);
    if (child !== undefined) {
      const thread = rec.args.some(hasCloneThread);
      this.procs.set(child, thread ? st : { program: st.program, cwd: st.cwd, fds: new Map(st.fds) });
    }
  }
}
