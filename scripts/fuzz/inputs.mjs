// Fuzz inputs: a seeded PRNG, the corpus as lines, and inputs made from them: mutated real lines
// (bytes, brackets, markers, bad UTF-8, CR) and generated strace-like lines and token soup.

import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export function rng(seed) {
  let s = seed >>> 0 || 1;
  const next = () => {
    // mulberry32
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  return { next, int, pick: (arr) => arr[int(arr.length)], chance: (p) => next() < p };
}

function walk(dir) {
  const out = [];
  for (const f of readdirSync(dir).sort()) {
    const p = join(dir, f);
    const st = statSync(p);
    if (st.isDirectory()) out.push(...walk(p));
    else if (st.size > 0 && !f.endsWith(".md") && !f.endsWith(".tsv")) out.push(p);
  }
  return out;
}

/** Files as arrays of line byte-arrays (each without its newline). */
export function loadCorpus(dir) {
  const files = [];
  for (const p of walk(dir)) {
    const buf = readFileSync(p);
    if (buf.length > 4 * 1024 * 1024) continue;
    const lines = [];
    let s = 0;
    for (let i = 0; i < buf.length; i++) {
      if (buf[i] === 10) {
        lines.push(buf.subarray(s, i));
        s = i + 1;
      }
    }
    if (s < buf.length) lines.push(buf.subarray(s));
    if (lines.length) files.push({ path: p, lines });
  }
  return files;
}

const enc = new TextEncoder();
const BRACKETS = [0x28, 0x29, 0x5b, 0x5d, 0x7b, 0x7d, 0x3c, 0x3e, 0x22, 0x27, 0x5c];
const INTERESTING = [
  "<unfinished ...>",
  "<... ",
  " resumed>",
  " = ",
  " = -1 ENOENT (No such file or directory)",
  '"',
  "\\",
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  "...",
  "/*",
  "*/",
  "+++ exited with 0 +++",
  "--- SIGCHLD {si_signo=SIGCHLD} ---",
  "[pid 42] ",
  "42 ",
  "strace: Process 42 attached",
  " > ",
  " | 00000  ",
  "=>",
  "0x",
  "-",
  " ",
  "\t",
  "\r",
  "\0",
  "\xff",
  "% time",
];
const BAD_UTF8 = [[0xff], [0xc3], [0xe2, 0x82], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x80]];

function concatLines(lines, finalNewline) {
  let n = 0;
  for (const l of lines) n += l.length + 1;
  const out = new Uint8Array(n);
  let o = 0;
  for (const l of lines) {
    out.set(l, o);
    o += l.length;
    out[o++] = 10;
  }
  return finalNewline ? out : out.subarray(0, Math.max(0, n - 1));
}

function splice(line, at, del, ins) {
  at = Math.min(at, line.length);
  del = Math.max(0, Math.min(del, line.length - at));
  const out = new Uint8Array(line.length - del + ins.length);
  out.set(line.subarray(0, at));
  out.set(ins, at);
  out.set(line.subarray(at + del), at + ins.length);
  return out;
}

/** One mutation of one line. */
function mutateLine(r, line) {
  const at = () => r.int(line.length + 1);
  switch (r.int(14)) {
    case 0: {
      // byte flip
      if (!line.length) return line;
      const c = line.slice();
      c[r.int(c.length)] ^= 1 << r.int(8);
      return c;
    }
    case 1:
      return line.subarray(0, at()); // truncation
    case 2: {
      // delete a bracket/quote
      const idx = [];
      for (let i = 0; i < line.length; i++) if (BRACKETS.includes(line[i])) idx.push(i);
      if (!idx.length) return line;
      return splice(line, r.pick(idx), 1, new Uint8Array(0));
    }
    case 3: {
      // duplicate a bracket/quote
      const idx = [];
      for (let i = 0; i < line.length; i++) if (BRACKETS.includes(line[i])) idx.push(i);
      if (!idx.length) return line;
      const i = r.pick(idx);
      return splice(line, i, 0, line.subarray(i, i + 1));
    }
    case 4: {
      const bytes = new Uint8Array(1 + r.int(8));
      for (let i = 0; i < bytes.length; i++) bytes[i] = r.int(256);
      return splice(
        line,
        at(),
        r.chance(0.3) ? r.int(4) : 0,
        bytes.filter((b) => b !== 10),
      );
    }
    case 5:
      return splice(line, at(), 0, new Uint8Array(1 + r.int(3))); // NULs
    case 6:
      return splice(line, at(), 0, Uint8Array.from(r.pick(BAD_UTF8)));
    case 7:
      return splice(line, line.length, 0, Uint8Array.of(13)); // CRLF
    case 8: {
      // long line: repeat a segment
      const a = r.int(line.length + 1);
      const b = Math.min(line.length, a + 1 + r.int(40));
      const seg = line.subarray(a, b);
      if (!seg.length) return line;
      const times = r.chance(0.1) ? 2000 + r.int(20000) : 2 + r.int(200);
      const rep = new Uint8Array(seg.length * times);
      for (let i = 0; i < times; i++) rep.set(seg, i * seg.length);
      return splice(line, b, 0, rep);
    }
    case 9:
      return splice(line, at(), 0, enc.encode(r.pick(INTERESTING).replace(/\n/g, "")));
    case 10: {
      // delete a range
      const a = at();
      return splice(line, a, Math.min(line.length - a, 1 + r.int(20)), new Uint8Array(0));
    }
    case 11: {
      // deep nesting
      const d = 1 + r.int(r.chance(0.1) ? 5000 : 60);
      const open = r.pick(["(", "[", "{", "<", '"']);
      const close = { "(": ")", "[": "]", "{": "}", "<": ">", '"': '"' }[open];
      return splice(line, at(), 0, enc.encode(open.repeat(d) + (r.chance(0.5) ? close.repeat(d) : "")));
    }
    case 12: {
      // change the pid prefix or number
      const s = Buffer.from(line).toString("latin1");
      const t = s.replace(/\d+/, () => String(r.pick([0, 1, 42, 4294967295, 2 ** 53, -1, 1e20])));
      return Buffer.from(t, "latin1");
    }
    default:
      return line.subarray(r.int(line.length + 1)); // strip a prefix
  }
}

const NAMES = ["read", "write", "openat", "close", "clone", "wait4", "futex", "execve", "mmap", "ioctl", "restart_syscall", "exit_group", "x"];
function genArg(r, depth) {
  if (depth > 4) return String(r.int(100));
  switch (r.int(10)) {
    case 0:
      return `"${r.pick(["abc", "\\x00\\377", 'a\\"b', "", "\\n"])}"${r.chance(0.2) ? "..." : ""}`;
    case 1:
      return `[${Array.from({ length: r.int(4) }, () => genArg(r, depth + 1)).join(r.pick([", ", " "]))}]`;
    case 2:
      return `{${Array.from({ length: r.int(4) }, () => `f${r.int(9)}=${genArg(r, depth + 1)}`).join(", ")}${r.chance(0.3) ? ", ..." : ""}}`;
    case 3:
      return r.pick(["O_RDONLY|O_CLOEXEC", "NULL", "AT_FDCWD", "~[KILL STOP]", "..."]);
    case 4:
      return `0x${r.int(1e9).toString(16)}`;
    case 5:
      return `${r.int(9)}<${r.pick(["/etc/passwd", "TCP:[1]", "pipe:[3]", ">"])}>`;
    case 6:
      return `makedev(${r.int(9)}, ${r.int(9)})`;
    case 7:
      return `[${r.int(9)} => ${r.int(9)}]`;
    case 8:
      return `/* ${r.int(9)} entries */`;
    default:
      return String(r.int(1000) - 10);
  }
}
function genLine(r, pids) {
  const pid = r.pick(pids);
  const pre = r.pick(["", `${pid} `, `[pid ${pid}] `, `${pid}  12:00:0${r.int(10)}.123456 `, `${r.int(100)}.${r.int(1e6)} `]);
  const name = r.pick(NAMES);
  const args = Array.from({ length: r.int(5) }, () => genArg(r, 0)).join(", ");
  switch (r.int(9)) {
    case 0:
      return `${pre}${name}(${args} <unfinished ...>`;
    case 1:
      return `${pre}<... ${name} resumed>${args ? ", " + args : ""}) = ${r.int(5)}`;
    case 2:
      return `${pre}--- SIGCHLD {si_signo=SIGCHLD, si_pid=${pid}} ---`;
    case 3:
      return `${pre}+++ exited with ${r.int(256)} +++`;
    case 4:
      return `${pre}${name}(${args}`; // split line (Open)
    case 5:
      return r.pick([
        "",
        " > /lib/libc.so.6(read+0x10) [0x1234]",
        " | 00000  61 62 63  abc |",
        "garbage",
        "% time     seconds  usecs/call     calls    errors syscall",
        "------ ----------- ----------- --------- --------- ----------------",
      ]);
    case 6:
      return `${pre}${name}(${args}) = -1 ${r.pick(["ENOENT (No such file or directory)", "ERESTARTSYS (To be restarted if SA_RESTART is set)", "EAGAIN"])}`;
    case 7:
      return `strace: Process ${pid} ${r.pick(["attached", "detached"])}`;
    default:
      return `${pre}${name}(${args}) = ${r.pick(["0", "?", "0x7f00", "3</x>", String(r.int(1e6))])}${r.chance(0.2) ? ` <0.0000${r.int(10)}>` : ""}`;
  }
}

/** Pieces of strace lines (brackets, quotes, markers, prefixes) that token soup is made of;
 *  test/robustness.test.ts soups the same list. */
const TOKENS = JSON.parse(readFileSync(new URL("./tokens.json", import.meta.url), "utf8"));

export function makeInput(r, corpus) {
  if (r.chance(0.15)) return enc.encode(Array.from({ length: r.int(60) }, () => r.pick(TOKENS)).join(""));
  const mode = r.int(10);
  let lines;
  if (mode < 7) {
    // a window of a real file
    const f = r.pick(corpus);
    const n = 1 + r.int(r.chance(0.2) ? 200 : 30);
    const s = r.int(Math.max(1, f.lines.length - n + 1));
    lines = f.lines.slice(s, s + n);
    if (r.chance(0.2)) {
      // mix lines of another file
      const g = r.pick(corpus);
      for (let k = 0; k < 1 + r.int(5); k++) lines.splice(r.int(lines.length + 1), 0, r.pick(g.lines));
    }
  } else if (mode < 9) {
    const pids = Array.from({ length: 1 + r.int(4) }, () => 100 + r.int(50));
    lines = Array.from({ length: 1 + r.int(40) }, () => enc.encode(genLine(r, pids)));
  } else {
    // pure random bytes
    const b = new Uint8Array(r.int(600));
    for (let i = 0; i < b.length; i++) b[i] = r.chance(0.7) ? 32 + r.int(95) : r.int(256);
    return b;
  }
  const muts = r.int(mode < 7 ? 6 : 3);
  for (let k = 0; k < muts && lines.length; k++) {
    const i = r.int(lines.length);
    lines[i] = mutateLine(r, lines[i]);
  }
  if (r.chance(0.1)) {
    // duplicate or drop lines
    const i = r.int(lines.length);
    if (r.chance(0.5)) lines.splice(i, 0, lines[i]);
    else lines.splice(i, 1);
  }
  if (r.chance(0.05)) lines = lines.map((l) => splice(l, l.length, 0, Uint8Array.of(13)));
  return concatLines(lines, !r.chance(0.15));
}
