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
import { writeFileSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildArgs, parseManPages } from "./knowledge/args.mjs";
import { stripComments } from "./knowledge/cpp.mjs";
import {
  entryKey,
  kernelDir,
  kernelVersion,
  parseGenericUnistd,
  parseSyscallDefines,
  parseSyscallsH,
  parseTbl,
  pickDefine,
  read,
} from "./knowledge/kernel.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = join(ROOT, "src/knowledge/generated/syscalls.ts");
const X32_BIT = 0x40000000;

function parseCli(argv) {
  const opts = { src: undefined, man: "/usr/share/man/man2" };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--man") opts.man = argv[++i];
    else opts.src = argv[i];
  }
  return opts;
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
  const x32 = tbl64.map((r) => (r.abi === "64" ? { ...r, name: `${r.name}#64` } : r));
  const i386 = parseTbl(read(dir, "arch/x86/entry/syscalls/syscall_32.tbl"));
  const arm64 = parseGenericUnistd(read(dir, "include/uapi/asm-generic/unistd.h"), read(dir, "arch/arm64/include/uapi/asm/unistd.h"));

  const tables = { x86_64, i386, x32, arm64 };
  const aliases = {};
  for (const [arch, rows] of Object.entries(tables)) {
    aliases[arch] = entryAliases(
      rows.filter((r) => !r.name.endsWith("#64")),
      new Set(rows.map((r) => r.name)),
    );
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
  const errnos = [...errnoDefs.byName].sort((a, b) => a[1] - b[1]).map(([name, n]) => [name, n, STRACE_ERRNO_TEXT[name] ?? messages[n]]);
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
