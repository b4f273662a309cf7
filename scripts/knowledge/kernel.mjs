// The kernel sources gen-knowledge.mjs reads (extracted from Debian's linux-source tarball when
// no tree is given), and what it takes from them: syscall number tables and prototypes.

import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { preprocess } from "./cpp.mjs";

// Files the tables come from; the .c globs feed SYSCALL_DEFINE fallbacks for the syscalls
// whose prototype is not in include/linux/syscalls.h (arch_prctl, mmap, rt_sigreturn, ...).
export const NEEDED = [
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
export const DEFINE_DIRS = ["arch/x86/kernel", "kernel", "mm", "fs", "ipc", "net", "security", "arch/arm64/kernel"];

/** Returns a directory holding the kernel files, extracting them from the tarball if needed. */
export function kernelDir(given) {
  if (given) {
    if (!existsSync(join(given, "arch/x86/entry/syscalls/syscall_64.tbl"))) {
      throw new Error(`${given} does not look like a Linux source tree`);
    }
    return given;
  }
  const tarballs = existsSync("/usr/src")
    ? readdirSync("/usr/src")
        .filter((f) => /^linux-source-.*\.tar\.xz$/.test(f))
        .sort()
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

export function read(dir, rel) {
  return readFileSync(join(dir, rel), "utf8");
}

export function kernelVersion(makefile) {
  const get = (k) => (makefile.match(new RegExp(`^${k}[ \\t]*=[ \\t]*(\\S*)`, "m")) ?? [])[1] ?? "";
  return `${get("VERSION")}.${get("PATCHLEVEL")}.${get("SUBLEVEL")}${get("EXTRAVERSION")}`;
}

// ---------------------------------------------------------------------------------------------
// Syscall number tables.

/** Rows of an arch/x86 syscall_*.tbl: `<number> <abi> <name> [<entry point> [<compat entry>]]`. */
export function parseTbl(text) {
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
export function parseGenericUnistd(generic, archHeader) {
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
export function entryKey(entry) {
  return entry.replace(/^(__x64_|__ia32_|__x32_)?(compat_)?sys_(x32_|ia32_)?/, "");
}

// ---------------------------------------------------------------------------------------------
// Prototypes: include/linux/syscalls.h first, SYSCALL_DEFINEn(...) in .c files as fallback.

/** Splits a C parameter list at top-level commas. */
export function splitParams(list) {
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

export const C_TYPE_WORDS = new Set([
  "const",
  "volatile",
  "unsigned",
  "signed",
  "int",
  "long",
  "short",
  "char",
  "void",
  "struct",
  "union",
  "enum",
  "__user",
  "restrict",
  "__restrict",
  "_Bool",
  "bool",
]);

/** `const char __user *filename` -> { name: "filename", ctype: "const char __user *" }. */
export function splitParam(param) {
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
  return {
    name: m[2],
    ctype: before
      .replace(/\s*\*\s*/g, " *")
      .replace(/\s+\*/g, " *")
      .trim(),
  };
}

export function parseSyscallsH(text) {
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

export function listC(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    const st = statSync(p);
    if (st.isDirectory()) listC(p, out);
    else if (f.endsWith(".c")) out.push(p);
  }
  return out;
}

export const X86_64_CONFIG = [
  ["CONFIG_64BIT", "1"],
  ["CONFIG_X86_64", "1"],
  ["CONFIG_X86", "1"],
  ["__BITS_PER_LONG", "64"],
];
export const DEFINE_SWITCHES = new Set([
  "CONFIG_CLONE_BACKWARDS",
  "CONFIG_CLONE_BACKWARDS2",
  "CONFIG_CLONE_BACKWARDS3",
  "CONFIG_64BIT",
  "CONFIG_X86_64",
  "CONFIG_X86",
]);

export const normType = (t) => t.replace(/\b__user\b/g, "").replace(/\s+/g, "");

/** The SYSCALL_DEFINE variant matching a syscalls.h prototype's types, else the first of its arity. */
export function pickDefine(variants, arity, kernelParams) {
  const same = (variants ?? []).filter((v) => v.length === arity);
  if (kernelParams) {
    const exact = same.find((v) => v.every((p, i) => normType(p.ctype) === normType(kernelParams[i].ctype)));
    if (exact) return exact;
  }
  return same[0];
}

/** `SYSCALL_DEFINE3(read, unsigned int, fd, char __user *, buf, size_t, count)`. */
export function parseSyscallDefines(dir) {
  const protos = new Map();
  for (const sub of DEFINE_DIRS) {
    for (const file of listC(join(dir, sub)).sort()) {
      // Resolve only the switches that select between variants (sys_clone's argument orders).
      const text = preprocess(readFileSync(file, "utf8"), new Map(X86_64_CONFIG), DEFINE_SWITCHES);
      for (const m of text.matchAll(/^SYSCALL_DEFINE(\d)\(\s*(\w+)\s*((?:,[^)]*)?)\)/gm)) {
        const name = m[2];
        const parts = m[3]
          .replace(/^,/, "")
          .split(",")
          .map((s) => s.replace(/\s+/g, " ").trim())
          .filter(Boolean);
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
