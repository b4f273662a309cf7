// Argument names and kinds: man2 prototypes (the names users and strace's named-argument output
// expect) over the kernel's, and each argument's kind by rules on its C type and name.

import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { splitParam, splitParams } from "./kernel.mjs";

// ---------------------------------------------------------------------------------------------
// man2 prototypes (argument names users and strace's named-argument output expect).

export function roffToText(src) {
  const lines = src.replace(/\\\n/g, "").split("\n");
  const out = [];
  for (const line of lines) {
    if (line.startsWith('.\\"') || line.startsWith("'\\\"")) continue;
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
export function parseManPages(dir) {
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
    const text = roffToText(syn[1])
      .replace(/\/\*[\s\S]*?\*\//g, " ")
      .replace(/\[\[[^\]]*\]\]/g, " ");
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

export const PATH_NAMES =
  /^(filename|pathname|path|oldname|newname|oldpath|newpath|old|new|dev_name|dir_name|special|specialfile|library|new_root|put_old|target|linkpath|source|pathname1|pathname2)$/;
export const STRUCT_TYPEDEFS = /\b(sigset_t|siginfo_t|fd_set|stack_t|cap_user_header_t|cap_user_data_t|old_sigset_t)\b/;

/** `otherCtype`: the man page's spelling of the same argument; its `const` counts too. */
export function argKind(ctype, name, otherCtype = "") {
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
  if (
    /\b(size_t|socklen_t)\b/.test(t) ||
    /addrlen|optlen|addr_len/.test(n) ||
    /(^|_)(len|count|size|cnt|bufsiz|nbytes|nr|vlen|nfds|n|nr_events|sigsetsize|maxevents|nr_segs|iovcnt)$/.test(n)
  ) {
    return "size";
  }
  if (/\b(time_t|__kernel_old_time_t)\b/.test(t) || /timeout|^seconds$|msecs|usecs/.test(n)) return "time";
  if (/addr|^start$|^brk$|^tls$|^newsp$|^stack$|^(new|old)_address$|^ptr$/.test(n) && /long/.test(t)) {
    return "address";
  }
  return "int";
}

export function cleanCtype(ctype) {
  return ctype
    .replace(/\b__user\b/g, "")
    .replace(/\s+/g, " ")
    .replace(/ \*/g, " *")
    .trim();
}

/**
 * Arguments of one syscall. Names: man2's when a man page gives a prototype of the same arity
 * (what users and strace's named-argument output know), the kernel's otherwise. Kinds come from
 * the kernel prototype because its `__user` marks which integers are really pointers.
 */
export function buildArgs(kernelParams, manProtos) {
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
