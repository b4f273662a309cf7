#!/usr/bin/env node
// Generates src/knowledge/generated/syscalls.ts from the Linux kernel's own sources
// (syscall tables, unistd.h, syscalls.h prototypes, errno headers), the man2 pages of
// Debian's manpages-dev (argument names users know) and glibc's strerror (messages).
//
// Usage:
//   node scripts/gen-knowledge.mjs [/path/to/linux-source-dir] [--man /usr/share/man/man2]
// Without a directory it extracts the few files it needs from /usr/src/linux-source-*.tar.xz
// (Debian's linux-source-6.1 package). CI never runs this; the output is committed.

import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = join(ROOT, "src/knowledge/generated/syscalls.ts");
const X32_BIT = 0x40000000;

// Files the tables come from; the .c globs feed SYSCALL_DEFINE fallbacks for the syscalls
// whose prototype is not in include/linux/syscalls.h (arch_prctl, mmap, rt_sigreturn, ...).
const NEEDED = [
  "Makefile",
  "arch/x86/entry/syscalls/syscall_64.tbl",
  "arch/x86/entry/syscalls/syscall_32.tbl",
  "include/uapi/asm-generic/unistd.h",
  "arch/arm64/include/uapi/asm/unistd.h",
  "include/linux/syscalls.h",
  "include/uapi/asm-generic/errno-base.h",
  "include/uapi/asm-generic/errno.h",
  "include/linux/errno.h",
];
const DEFINE_DIRS = ["arch/x86/kernel", "kernel", "mm", "fs", "ipc", "net", "security", "arch/arm64/kernel"];

function parseCli(argv) {
  const opts = { src: undefined, man: "/usr/share/man/man2" };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--man") opts.man = argv[++i];
    else opts.src = argv[i];
  }
  return opts;
}

/** Returns a directory holding the kernel files, extracting them from the tarball if needed. */
function kernelDir(given) {
  if (given) {
    if (!existsSync(join(given, "arch/x86/entry/syscalls/syscall_64.tbl"))) {
      throw new Error(`${given} does not look like a Linux source tree`);
    }
    return given;
  }
  const tarballs = existsSync("/usr/src")
    ? readdirSync("/usr/src").filter((f) => /^linux-source-.*\.tar\.xz$/.test(f)).sort()
    : [];
  if (tarballs.length === 0) {
    throw new Error("no kernel source: pass a directory or `apt-get install linux-source-6.1`");
  }
  const tarball = join("/usr/src", tarballs[tarballs.length - 1]);
  const top = tarballs[tarballs.length - 1].replace(/\.tar\.xz$/, "");
  const dest = mkdtempSync(join(tmpdir(), "gen-knowledge-"));
  const members = [...NEEDED.map((f) => `${top}/${f}`), ...DEFINE_DIRS.map((d) => `${top}/${d}/*.c`)];
  process.stderr.write(`extracting ${members.length} patterns from ${tarball}\n`);
  execFileSync("tar", ["-xJf", tarball, "-C", dest, "--wildcards", ...members], { stdio: "inherit" });
  process.on("exit", () => rmSync(dest, { recursive: true, force: true }));
  return join(dest, top);
}

function read(dir, rel) {
  return readFileSync(join(dir, rel), "utf8");
}

function kernelVersion(makefile) {
  const get = (k) => (makefile.match(new RegExp(`^${k}[ \\t]*=[ \\t]*(\\S*)`, "m")) ?? [])[1] ?? "";
  return `${get("VERSION")}.${get("PATCHLEVEL")}.${get("SUBLEVEL")}${get("EXTRAVERSION")}`;
}

// ---------------------------------------------------------------------------------------------
// A tiny C preprocessor: enough of #if/#ifdef/#elif/#else/#endif/#define to pick the branches
// of unistd.h and syscalls.h a given configuration sees. Unknown macros are undefined (0).

function stripComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, " ")).replace(/\/\/[^\n]*/g, "");
}

function evalCondition(expr, defines) {
  const toks = expr.match(/defined|\w+|&&|\|\||==|!=|<=|>=|[!()<>]/g) ?? [];
  let i = 0;
  const peek = () => toks[i];
  const next = () => toks[i++];
  const value = (id) => {
    if (/^\d/.test(id)) return parseInt(id, 10);
    const v = defines.get(id);
    if (v === undefined) return 0;
    return /^\d+$/.test(v) ? parseInt(v, 10) : 1;
  };
  function primary() {
    const t = next();
    if (t === "!") return primary() ? 0 : 1;
    if (t === "(") {
      const v = or();
      next();
      return v;
    }
    if (t === "defined") {
      const paren = peek() === "(";
      if (paren) next();
      const id = next();
      if (paren) next();
      return defines.has(id) ? 1 : 0;
    }
    return value(t);
  }
  function cmp() {
    let v = primary();
    while (["==", "!=", "<", ">", "<=", ">="].includes(peek())) {
      const op = next();
      const r = primary();
      v = { "==": v === r, "!=": v !== r, "<": v < r, ">": v > r, "<=": v <= r, ">=": v >= r }[op] ? 1 : 0;
    }
    return v;
  }
  function and() {
    let v = cmp();
    while (peek() === "&&") {
      next();
      const r = cmp();
      v = v && r ? 1 : 0;
    }
    return v;
  }
  function or() {
    let v = and();
    while (peek() === "||") {
      next();
      const r = and();
      v = v || r ? 1 : 0;
    }
    return v;
  }
  return or() !== 0;
}

/**
 * Returns the source text that survives preprocessing; #define lines update `defines`.
 * With `decided` (a set of macro names), works like unifdef: a condition naming any other
 * macro keeps both branches, so only the listed configuration switches are resolved.
 */
function preprocess(text, defines, decided) {
  const lines = stripComments(text).replace(/\\\n/g, " ").split("\n");
  // Each frame: is this branch active, has any branch of this #if been taken, was parent active.
  const stack = [];
  const active = () => stack.every((f) => f.active);
  const out = [];
  for (const line of lines) {
    const m = line.match(/^\s*#\s*(\w+)\s*(.*)$/);
    if (!m) {
      if (active()) out.push(line);
      continue;
    }
    const [, dir, rest] = m;
    const undecided = () =>
      decided && (rest.match(/\w+/g) ?? []).some((id) => id !== "defined" && !/^\d/.test(id) && !decided.has(id));
    if ((dir === "if" || dir === "ifdef" || dir === "ifndef" || dir === "elif") && undecided()) {
      if (dir === "elif") stack[stack.length - 1].active = stack[stack.length - 1].parentActive;
      else stack.push({ active: active(), taken: false, parentActive: active(), undecided: true });
    } else if (dir === "else" && stack[stack.length - 1]?.undecided) {
      // both branches stay
    } else if (dir === "if" || dir === "ifdef" || dir === "ifndef") {
      const parentActive = active();
      let cond;
      if (dir === "if") cond = evalCondition(rest, defines);
      else cond = defines.has(rest.trim().split(/\s/)[0]) === (dir === "ifdef");
      stack.push({ active: parentActive && cond, taken: cond, parentActive });
    } else if (dir === "elif") {
      const f = stack[stack.length - 1];
      const cond = !f.taken && evalCondition(rest, defines);
      f.active = f.parentActive && cond;
      f.taken ||= cond;
    } else if (dir === "else") {
      const f = stack[stack.length - 1];
      f.active = f.parentActive && !f.taken;
      f.taken = true;
    } else if (dir === "endif") {
      stack.pop();
    } else if (dir === "define" && active()) {
      const d = rest.match(/^(\w+)(?:\([^)]*\))?\s*(.*)$/);
      if (d) defines.set(d[1], d[2].trim());
    } else if (dir === "undef" && active()) {
      defines.delete(rest.trim());
    }
  }
  return out.join("\n");
}

// ---------------------------------------------------------------------------------------------
// Syscall number tables.

/** Rows of an arch/x86 syscall_*.tbl: `<number> <abi> <name> [<entry point> [<compat entry>]]`. */
function parseTbl(text) {
  const rows = [];
  for (const line of text.split("\n")) {
    const t = line.replace(/#.*/, "").trim();
    if (!t) continue;
    const [nr, abi, name, entry] = t.split(/\s+/);
    rows.push({ nr: Number(nr), abi, name, entry: entry ?? "" });
  }
  return rows;
}

/** The asm-generic table as arm64 (64-bit, not compat) configures it. */
function parseGenericUnistd(generic, archHeader) {
  const defines = new Map([["__BITS_PER_LONG", "64"]]);
  // arm64's uapi header #defines the __ARCH_WANT_* switches and then includes the generic list.
  preprocess(archHeader, defines);
  const body = preprocess(generic, defines);
  const resolveNr = (sym) => {
    for (let v = sym, depth = 0; depth < 5; depth++) {
      if (/^\d+$/.test(v)) return Number(v);
      v = defines.get(v);
      if (v === undefined) return undefined;
    }
    return undefined;
  };
  // Entry points: __SYSCALL(nr, sys), __SC_COMP(nr, sys, compat), __SC_3264(nr, 32, 64),
  // __SC_COMP_3264(nr, 32, 64, compat). The 64-bit native choice is what arm64 runs.
  const entries = new Map();
  for (const m of body.matchAll(/(__SYSCALL|__SC_COMP_3264|__SC_COMP|__SC_3264)\(\s*(\w+)\s*,([^)]*)\)/g)) {
    const args = m[3].split(",").map((s) => s.trim());
    const entry = m[1] === "__SYSCALL" || m[1] === "__SC_COMP" ? args[0] : args[1];
    entries.set(m[2], entry);
  }
  const rows = [];
  for (const [sym, val] of defines) {
    const m = sym.match(/^__NR_(\w+)$/);
    if (!m || m[1] === "syscalls" || m[1] === "arch_specific_syscall") continue;
    const nr = resolveNr(val);
    if (nr === undefined) continue;
    // `#define __NR_fstat __NR3264_fstat` points the public name at the __NR3264_ slot.
    const slot = /^__NR/.test(val) ? val : sym;
    rows.push({ nr, abi: "generic", name: m[1], entry: entries.get(slot) ?? "" });
  }
  return rows.sort((a, b) => a.nr - b.nr);
}

/** Entry point without its ABI prefix: `compat_sys_x32_rt_sigreturn` -> `rt_sigreturn`-ish key. */
function entryKey(entry) {
  return entry.replace(/^(__x64_|__ia32_|__x32_)?(compat_)?sys_(x32_|ia32_)?/, "");
}

// ---------------------------------------------------------------------------------------------
// Prototypes: include/linux/syscalls.h first, SYSCALL_DEFINEn(...) in .c files as fallback.

/** Splits a C parameter list at top-level commas. */
function splitParams(list) {
  const parts = [];
  let depth = 0;
  let cur = "";
  for (const ch of list) {
    if (ch === "(" || ch === "[") depth++;
    if (ch === ")" || ch === "]") depth--;
    if (ch === "," && depth === 0) {
      parts.push(cur);
      cur = "";
    } else cur += ch;
  }
  parts.push(cur);
  return parts.map((p) => p.replace(/\s+/g, " ").trim()).filter((p) => p && p !== "void");
}

const C_TYPE_WORDS = new Set([
  "const", "volatile", "unsigned", "signed", "int", "long", "short", "char", "void", "struct", "union",
  "enum", "__user", "restrict", "__restrict", "_Bool", "bool",
]);

/** `const char __user *filename` -> { name: "filename", ctype: "const char __user *" }. */
function splitParam(param) {
  const p = param.trim();
  // Function pointer: `int (*fn)(void *)`.
  const fp = p.match(/^(.*)\(\s*\*\s*(\w+)\s*\)\s*(\(.*\))$/);
  if (fp) return { name: fp[2], ctype: `${fp[1].trim()} (*)${fp[3]}` };
  // `char *const argv[]`, man-pages 6 `const void buf[.len]`: an array parameter is a pointer.
  const arr = p.match(/^(.*?)(\w+)\s*((?:\[[^\]]*\]\s*)+)$/);
  if (arr) return { name: arr[2], ctype: `${arr[1].trim()} *`.replace(/\s+\*/g, " *") };
  const m = p.match(/^(.*?)(\w+)$/);
  if (!m) return { name: "", ctype: p };
  const before = m[1].trim();
  // A lone type (`unsigned long`, `int __user *`) has no name: the last word is part of the type.
  if (!before || (!before.endsWith("*") && C_TYPE_WORDS.has(m[2])) || /^(struct|union|enum)$/.test(before)) {
    return { name: "", ctype: p };
  }
  if (!before.endsWith("*") && /_t$/.test(m[2]) && !/\s/.test(before) && C_TYPE_WORDS.has(before)) {
    return { name: "", ctype: p };
  }
  return { name: m[2], ctype: before.replace(/\s*\*\s*/g, " *").replace(/\s+\*/g, " *").trim() };
}

function parseSyscallsH(text) {
  // Configuration of x86_64, the default architecture: decides between e.g. the sys_clone variants.
  const defines = new Map(X86_64_CONFIG);
  // CONFIG_ARCH_HAS_SYSCALL_WRAPPER stays undefined although x86_64 sets it: the header hides
  // its informational prototypes behind #ifndef CONFIG_ARCH_HAS_SYSCALL_WRAPPER.
  const body = preprocess(text, defines);
  const protos = new Map();
  for (const m of body.matchAll(/asmlinkage\s+long\s+sys_(\w+)\s*\(([^;]*)\)\s*;/g)) {
    if (!protos.has(m[1])) protos.set(m[1], splitParams(m[2]).map(splitParam));
  }
  return protos;
}

function listC(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    const st = statSync(p);
    if (st.isDirectory()) listC(p, out);
    else if (f.endsWith(".c")) out.push(p);
  }
  return out;
}

const X86_64_CONFIG = [["CONFIG_64BIT", "1"], ["CONFIG_X86_64", "1"], ["CONFIG_X86", "1"], ["__BITS_PER_LONG", "64"]];
const DEFINE_SWITCHES = new Set([
  "CONFIG_CLONE_BACKWARDS", "CONFIG_CLONE_BACKWARDS2", "CONFIG_CLONE_BACKWARDS3", "CONFIG_64BIT",
  "CONFIG_X86_64", "CONFIG_X86",
]);

const normType = (t) => t.replace(/\b__user\b/g, "").replace(/\s+/g, "");

/** The SYSCALL_DEFINE variant matching a syscalls.h prototype's types, else the first of its arity. */
function pickDefine(variants, arity, kernelParams) {
  const same = (variants ?? []).filter((v) => v.length === arity);
  if (kernelParams) {
    const exact = same.find((v) => v.every((p, i) => normType(p.ctype) === normType(kernelParams[i].ctype)));
    if (exact) return exact;
  }
  return same[0];
}

/** `SYSCALL_DEFINE3(read, unsigned int, fd, char __user *, buf, size_t, count)`. */
function parseSyscallDefines(dir) {
  const protos = new Map();
  for (const sub of DEFINE_DIRS) {
    for (const file of listC(join(dir, sub)).sort()) {
      // Resolve only the switches that select between variants (sys_clone's argument orders).
      const text = preprocess(readFileSync(file, "utf8"), new Map(X86_64_CONFIG), DEFINE_SWITCHES);
      for (const m of text.matchAll(/^SYSCALL_DEFINE(\d)\(\s*(\w+)\s*((?:,[^)]*)?)\)/gm)) {
        const name = m[2];
        const parts = m[3].replace(/^,/, "").split(",").map((s) => s.replace(/\s+/g, " ").trim()).filter(Boolean);
        const params = [];
        for (let i = 0; i + 1 < parts.length; i += 2) params.push({ ctype: parts[i], name: parts[i + 1] });
        if (params.length !== Number(m[1])) continue;
        // #ifdef'd variants (sys_clone's argument orders) are all kept; the caller picks.
        if (!protos.has(name)) protos.set(name, []);
        protos.get(name).push(params);
      }
    }
  }
  return protos;
}

// ---------------------------------------------------------------------------------------------
// man2 prototypes (argument names users and strace's named-argument output expect).

function roffToText(src) {
  const lines = src.replace(/\\\n/g, "").split("\n");
  const out = [];
  for (const line of lines) {
    if (line.startsWith(".\\\"") || line.startsWith("'\\\"")) continue;
    const m = line.match(/^\.(BI|IB|BR|RB|IR|RI|B|I)\s*(.*)$/);
    let text;
    if (m) {
      const args = [...m[2].matchAll(/"((?:[^"]|"")*)"|(\S+)/g)].map((a) => a[1] ?? a[2]);
      text = m[1].length === 2 ? args.join("") : args.join(" ");
    } else if (line.startsWith(".")) {
      continue;
    } else text = line;
    out.push(
      text
        .replace(/\\f(\[[^\]]*\]|\(..|.)/g, "")
        .replace(/\\-/g, "-")
        .replace(/\\[ ~]/g, " ")
        .replace(/\\[&%:]/g, "")
        .replace(/\\\(em/g, "--"),
    );
  }
  return out.join("\n");
}

/** name -> list of prototypes (each a list of {name, ctype}) found in SYNOPSIS sections. */
function parseManPages(dir) {
  const protos = new Map();
  if (!dir || !existsSync(dir)) {
    process.stderr.write(`warning: no man2 pages in ${dir}; using kernel argument names only\n`);
    return protos;
  }
  for (const f of readdirSync(dir).sort()) {
    if (!/\.2(type)?(\.gz)?$/.test(f)) continue;
    const raw = readFileSync(join(dir, f));
    const src = (f.endsWith(".gz") ? gunzipSync(raw) : raw).toString("utf8");
    const syn = src.match(/^\.SH\s+"?SYNOPSIS"?\s*\n([\s\S]*?)^\.SH/m);
    if (!syn) continue;
    const text = roffToText(syn[1]).replace(/\/\*[\s\S]*?\*\//g, " ").replace(/\[\[[^\]]*\]\]/g, " ");
    for (const m of text.matchAll(/(?:^|[;\n])\s*[\w\s*]*?\b(\w+)\s*\(((?:[^();]|\([^()]*\))*)\)\s*;/g)) {
      let name = m[1];
      let params = splitParams(m[2]);
      if (params.some((p) => p === "...")) continue;
      if (name === "syscall") {
        const sys = (params[0] ?? "").match(/^SYS_(\w+)$/);
        if (!sys) continue;
        name = sys[1];
        params = params.slice(1);
      }
      const parsed = params.map((p) => splitParam(p.replace(/\b(restrict|_Nullable|_Nonnull)\b/g, " ")));
      if (parsed.some((p) => !p.name)) continue;
      if (!protos.has(name)) protos.set(name, []);
      protos.get(name).push(parsed.map((p) => ({ name: p.name, ctype: p.ctype.replace(/\s+/g, " ").trim() })));
    }
  }
  return protos;
}

// ---------------------------------------------------------------------------------------------
// Argument kinds, derived by rules from the C type (kernel's, with __user) and the name.

const PATH_NAMES =
  /^(filename|pathname|path|oldname|newname|oldpath|newpath|old|new|dev_name|dir_name|special|specialfile|library|new_root|put_old|target|linkpath|source|pathname1|pathname2)$/;
const STRUCT_TYPEDEFS = /\b(sigset_t|siginfo_t|fd_set|stack_t|cap_user_header_t|cap_user_data_t|old_sigset_t)\b/;

/** `otherCtype`: the man page's spelling of the same argument; its `const` counts too. */
function argKind(ctype, name, otherCtype = "") {
  const t = ctype.replace(/\s+/g, " ");
  const isConst = /\bconst\b/.test(t) || /\bconst\b[^*]*\*/.test(otherCtype);
  const n = name.toLowerCase();
  const isPtr = t.includes("*") || t.includes("[");
  if (isPtr) {
    if (/\b(struct|union)\b/.test(t) || STRUCT_TYPEDEFS.test(t) || /_user_\w+_t\b/.test(t)) {
      return "struct";
    }
    if (/\bchar\b/.test(t) && !/\*.*\*/.test(t) && !t.includes("[")) {
      if (PATH_NAMES.test(n)) return "path";
      if (/buf|^(value|list|optval)$/.test(n)) return "buffer";
      // The kernel writes through non-const char pointers (getcwd, readlink): output buffers.
      return isConst ? "string" : "buffer";
    }
    if (/\bvoid\b/.test(t) && /buf|^(value|optval)$/.test(n)) return "buffer";
    return "pointer";
  }
  if (/^(dfd|dirfd|olddfd|newdfd|olddirfd|newdirfd|fromdfd|todfd)$/.test(n)) return "dirfd";
  if (/^(fd|oldfd|newfd|ufd|epfd|fd_in|fd_out|in_fd|out_fd|fdin|fdout|pidfd|fanotify_fd|tfd|mqdes|fildes|ring_fd|fd1|fd2|infd|outfd|from_fd|to_fd)$/.test(n)) {
    return "fd";
  }
  if (/\bumode_t\b|\bmode_t\b/.test(t) || n === "mode") return "mode";
  if (/flags?$|^(how|options|prot)$/.test(n)) return "flags";
  if (/\bpid_t\b/.test(t) || /^(pid|tgid|tid|upid)$/.test(n)) return "pid";
  if (/\buid_t\b/.test(t) || /^(r|e|s)?uid$/.test(n)) return "uid";
  if (/\bgid_t\b/.test(t) || /^(r|e|s)?gid$/.test(n)) return "gid";
  if (/^(sig|signum|signal|signo)$/.test(n)) return "signal";
  if (/\b(loff_t|off_t)\b/.test(t) || /^(offset|pos|off|pos_[lh]|offset_(high|low)|pgoff|off_(high|low))$/.test(n)) {
    return "offset";
  }
  if (/\b(size_t|socklen_t)\b/.test(t) || /addrlen|optlen|addr_len/.test(n) || /(^|_)(len|count|size|cnt|bufsiz|nbytes|nr|vlen|nfds|n|nr_events|sigsetsize|maxevents|nr_segs|iovcnt)$/.test(n)) {
    return "size";
  }
  if (/\b(time_t|__kernel_old_time_t)\b/.test(t) || /timeout|^seconds$|msecs|usecs/.test(n)) return "time";
  if (/addr|^start$|^brk$|^tls$|^newsp$|^stack$|^(new|old)_address$|^ptr$/.test(n) && /long/.test(t)) {
    return "address";
  }
  return "int";
}

function cleanCtype(ctype) {
  return ctype.replace(/\b__user\b/g, "").replace(/\s+/g, " ").replace(/ \*/g, " *").trim();
}

/**
 * Arguments of one syscall. Names: man2's when a man page gives a prototype of the same arity
 * (what users and strace's named-argument output know), the kernel's otherwise. Kinds come from
 * the kernel prototype because its `__user` marks which integers are really pointers.
 */
function buildArgs(kernelParams, manProtos) {
  const man = (manProtos ?? []).find((p) => p.length === kernelParams.length);
  return kernelParams.map((kp, i) => {
    const mp = man?.[i];
    const name = mp?.name || kp.name || `arg${i}`;
    let kind = argKind(kp.ctype, kp.name || name, mp?.ctype);
    if (mp && (kind === "int" || kind === "pointer")) {
      const alt = argKind(kp.ctype, mp.name, mp.ctype);
      if (alt !== "int" && alt !== "pointer") kind = alt;
      else if (kind === "int") {
        const manKind = argKind(mp.ctype, mp.name);
        if (!["pointer", "buffer", "string", "path", "struct"].includes(manKind)) kind = manKind;
      }
    }
    return [name, kind, mp ? mp.ctype : cleanCtype(kp.ctype)];
  });
}

// ---------------------------------------------------------------------------------------------
// errno.

/** Kernel-internal codes strace prints with its own text (see strace's syscall.c output). */
const STRACE_ERRNO_TEXT = {
  ERESTARTSYS: "To be restarted if SA_RESTART is set",
  ERESTARTNOINTR: "To be restarted",
  ERESTARTNOHAND: "To be restarted if no handler",
  ERESTART_RESTARTBLOCK: "Interrupted by signal",
};

function parseErrnoDefines(texts) {
  const byName = new Map();
  const aliases = new Map();
  for (const text of texts) {
    for (const m of stripComments(text).matchAll(/^#define\s+(E\w+)\s+(\w+)/gm)) {
      if (/^\d+$/.test(m[2])) byName.set(m[1], Number(m[2]));
      else aliases.set(m[1], m[2]);
    }
  }
  return { byName, aliases };
}

function strerrorMessages(numbers) {
  const code = `import os,sys,json\nprint(json.dumps({n: os.strerror(n) for n in ${JSON.stringify(numbers)}}))`;
  return JSON.parse(execFileSync("python3", ["-c", code], { encoding: "utf8" }));
}

// ---------------------------------------------------------------------------------------------
// Output.

/** Names indexed by number, holes empty, joined with commas: compact and quick to split. */
function denseNames(rows, base = 0) {
  const names = [];
  for (const r of rows) names[r.nr - base] = r.name;
  return Array.from(names, (n) => n ?? "").join(",");
}

/** Entry-point spellings (`newuname`, `llseek`, `oldumount`) that differ from the table name. */
function entryAliases(rows, tableNames) {
  const out = {};
  for (const r of rows) {
    if (!r.entry || r.entry === "sys_ni_syscall") continue;
    const key = entryKey(r.entry);
    // 16-bit uid and time32/time64 variants are ABI plumbing, not names anyone writes.
    if (/(16|_?time32|_time64)$/.test(key)) continue;
    if (key && key !== r.name && !tableNames.has(key) && !(key in out)) out[key] = r.nr;
  }
  return out;
}

function main() {
  const opts = parseCli(process.argv.slice(2));
  const dir = kernelDir(opts.src);
  const version = kernelVersion(read(dir, "Makefile"));

  const tbl64 = parseTbl(read(dir, "arch/x86/entry/syscalls/syscall_64.tbl"));
  const x86_64 = tbl64.filter((r) => r.abi === "common" || r.abi === "64");
  // x32 numbers carry __X32_SYSCALL_BIT, exactly as `strace -n` prints them. The 64-only rows
  // below 512 are not valid x32 calls; strace names them `<name>#64`, so do we.
  const x32 = tbl64.map((r) =>
    r.abi === "64" ? { ...r, name: `${r.name}#64` } : r,
  );
  const i386 = parseTbl(read(dir, "arch/x86/entry/syscalls/syscall_32.tbl"));
  const arm64 = parseGenericUnistd(
    read(dir, "include/uapi/asm-generic/unistd.h"),
    read(dir, "arch/arm64/include/uapi/asm/unistd.h"),
  );

  const tables = { x86_64, i386, x32, arm64 };
  const aliases = {};
  for (const [arch, rows] of Object.entries(tables)) {
    aliases[arch] = entryAliases(rows.filter((r) => !r.name.endsWith("#64")), new Set(rows.map((r) => r.name)));
  }

  // Prototypes keyed by entry-point name (sys_newuname for `uname`), then table name.
  const kernelProtos = parseSyscallsH(read(dir, "include/linux/syscalls.h"));
  const defineProtos = parseSyscallDefines(dir);
  const manProtos = parseManPages(opts.man);
  const args = {};
  const sources = { syscallsH: 0, define: 0, man: 0 };
  for (const rows of [x86_64, arm64, i386]) {
    for (const r of rows) {
      if (r.name in args) continue;
      const keys = [entryKey(r.entry), r.name].filter(Boolean);
      let kp;
      for (const k of keys) {
        kp = kernelProtos.get(k);
        if (kp) {
          sources.syscallsH++;
          break;
        }
      }
      if (!kp) {
        for (const k of keys) {
          const variants = defineProtos.get(k);
          kp = variants && pickDefine(variants, variants[0].length);
          if (kp) {
            sources.define++;
            break;
          }
        }
      }
      if (!kp) continue;
      // syscalls.h often leaves parameters unnamed (`sys_clone(unsigned long, ...)`); the
      // SYSCALL_DEFINE of the same arity supplies the names the kernel actually uses.
      const def = keys.map((k) => pickDefine(defineProtos.get(k), kp.length, kp)).find(Boolean);
      if (def) kp = kp.map((p, i) => (p.name ? p : { ...p, name: def[i].name }));
      const man = manProtos.get(r.name) ?? manProtos.get(r.name.replace(/^_+/, ""));
      if (man?.some((p) => p.length === kp.length)) sources.man++;
      args[r.name] = buildArgs(kp, man);
    }
  }

  const errnoDefs = parseErrnoDefines([
    read(dir, "include/uapi/asm-generic/errno-base.h"),
    read(dir, "include/uapi/asm-generic/errno.h"),
    read(dir, "include/linux/errno.h"),
  ]);
  const numbers = [...new Set(errnoDefs.byName.values())].sort((a, b) => a - b);
  const messages = strerrorMessages(numbers);
  const errnos = [...errnoDefs.byName]
    .sort((a, b) => a[1] - b[1])
    .map(([name, n]) => [name, n, STRACE_ERRNO_TEXT[name] ?? messages[n]]);
  const errnoAliases = Object.fromEntries([...errnoDefs.aliases].filter(([, t]) => errnoDefs.byName.has(t)));

  const q = (v) => JSON.stringify(v);
  const lines = [
    "// GENERATED by scripts/gen-knowledge.mjs from the Linux kernel sources, man2 pages and",
    "// glibc strerror. Do not edit by hand: re-run the script instead (see docs/knowledge.md).",
    "",
    `export const KERNEL_VERSION = ${q(version)};`,
    `export const X32_SYSCALL_BIT = 0x${X32_BIT.toString(16)};`,
    "",
    "/** Syscall names indexed by number (x32: number minus X32_SYSCALL_BIT), comma separated, holes empty. */",
    "export const SYSCALL_NAMES = {",
    `  x86_64: ${q(denseNames(x86_64))},`,
    `  i386: ${q(denseNames(i386))},`,
    `  x32: ${q(denseNames(x32))},`,
    `  arm64: ${q(denseNames(arm64))},`,
    "} as const;",
    "",
    "/** Kernel entry-point spellings (sys_newuname -> uname) that differ from the table name. */",
    "export const ENTRY_ALIASES: Readonly<Record<string, Readonly<Record<string, number>>>> = {",
    ...Object.entries(aliases).map(([a, m]) => `  ${a}: ${q(m)},`),
    "};",
    "",
    "/** [name, kind, ctype] per argument, in order. */",
    "export const SYSCALL_ARGS: Readonly<Record<string, readonly (readonly [string, string, string])[]>> = {",
    ...Object.keys(args)
      .sort()
      .map((n) => `  ${/^\w+$/.test(n) ? n : q(n)}: ${q(args[n])},`),
    "};",
    "",
    "/** [name, number, message]; message as glibc's strerror (or strace, for ERESTART*) gives it. */",
    "export const ERRNOS: readonly (readonly [string, number, string])[] = [",
    ...errnos.map((e) => `  ${q(e)},`),
    "];",
    "",
    "/** Alternative names the headers #define to another errno (EWOULDBLOCK -> EAGAIN). */",
    `export const ERRNO_ALIASES: Readonly<Record<string, string>> = ${q(errnoAliases)};`,
    "",
  ];
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, lines.join("\n"));
  process.stderr.write(
    `kernel ${version}: x86_64 ${x86_64.length}, i386 ${i386.length}, x32 ${x32.length}, arm64 ${arm64.length} syscalls; ` +
      `args for ${Object.keys(args).length} (syscalls.h ${sources.syscallsH}, SYSCALL_DEFINE ${sources.define}, man names ${sources.man}); ` +
      `${errnos.length} errnos -> ${OUT}\n`,
  );
}

main();
