import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  KERNEL_VERSION,
  archForPersonality,
  multiplexerNumber,
  errnoByName,
  errnoByNumber,
  syscallArgs,
  syscallName,
  syscallNames,
  syscallNumber,
  type Arch,
} from "../src/knowledge/index.js";
import { SHARED } from "./helpers/shared.js";

const ARCHES: Arch[] = ["x86_64", "i386", "x32", "arm64"];
const CORPUS = SHARED + "/corpus/strace-6.1";

// Test-only line reader for `strace -n` output (the real parser lives elsewhere): optional pid
// (`4460  ` or `[pid 4460] `), then `[ NNN] name(` or `[ NNN] <... name resumed>`.
const CALL = /^(?:\[pid\s+(\d+)\]\s+|(\d+)\s+)?\[\s*(\d+|\?\?\?)\]\s+(?:<\.\.\. )?([A-Za-z_][\w#:]*)(?:\(| resumed>)/;
const PERSONALITY = /\[ Process PID=(\d+) runs in (.+?) mode\. \]/;

interface Pair {
  line: number;
  pid: string;
  nr: number | undefined;
  name: string;
  arch: Arch;
}

/** (number, name) pairs with the architecture in force, following personality switches per pid. */
function pairs(text: string, switches = new Map<number, { pid: string; arch: Arch }>()): Pair[] {
  const archOf = new Map<string, Arch>();
  const out: Pair[] = [];
  text.split("\n").forEach((raw, i) => {
    const sw = switches.get(i);
    if (sw) archOf.set(sw.pid, sw.arch);
    const p = PERSONALITY.exec(raw);
    if (p) archOf.set(p[1]!, archForPersonality(p[2]!)!);
    const m = CALL.exec(raw);
    if (!m) return;
    const pid = m[1] ?? m[2] ?? "main";
    const nr = m[3] === "???" ? undefined : Number(m[3]);
    // A personality line names the real pid even without -f prefixes: single-process traces.
    const arch = archOf.get(pid) ?? (archOf.size === 1 && pid === "main" ? [...archOf.values()][0]! : "x86_64");
    out.push({ line: i + 1, pid, nr, name: m[4]!, arch });
  });
  return out;
}

function expectPairsMatch(list: Pair[]): void {
  expect(list.length).toBeGreaterThan(10);
  for (const p of list) {
    const where = `line ${p.line} (${p.arch})`;
    if (p.nr === undefined) {
      expect(syscallNumber(p.name, p.arch), where).toBeUndefined();
      continue;
    }
    if (p.name.startsWith("syscall_")) {
      // strace's name for a number with no name: the table must not know a name for it either.
      expect(syscallName(p.nr, p.arch), where).toBeUndefined();
      expect(syscallNumber(p.name, p.arch), where).toBe(p.nr);
      continue;
    }
    expect(`${syscallName(p.nr, p.arch)}`, where).toBe(p.name);
    expect(syscallNumber(p.name, p.arch), where).toBe(p.nr);
  }
}

describe("syscall tables", () => {
  it("records the kernel release the tables came from", () => {
    expect(KERNEL_VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("round-trips every name and number on every architecture", () => {
    for (const arch of ARCHES) {
      const names = syscallNames(arch);
      expect(names.length, arch).toBeGreaterThan(250);
      expect(new Set(names).size, arch).toBe(names.length);
      for (const name of names) {
        const nr = syscallNumber(name, arch);
        expect(nr, `${arch} ${name}`).toBeTypeOf("number");
        expect(syscallName(nr!, arch), `${arch} ${name}`).toBe(name);
      }
    }
  });

  it("knows the anchors", () => {
    expect(syscallNumber("read")).toBe(0);
    expect(syscallNumber("openat")).toBe(257);
    expect(syscallNumber("execve", "x86_64")).toBe(59);
    expect(syscallNumber("read", "i386")).toBe(3);
    expect(syscallNumber("open", "i386")).toBe(5);
    expect(syscallNumber("poll", "i386")).toBe(168);
    expect(syscallNumber("exit_group", "i386")).toBe(252);
    expect(syscallNumber("openat", "arm64")).toBe(56);
    expect(syscallNumber("newfstatat", "arm64")).toBe(79);
    expect(syscallNumber("open", "arm64")).toBeUndefined();
    expect(syscallName(0x40000000 + 39, "x32")).toBe("getpid");
    expect(syscallName(39, "x32")).toBeUndefined();
    expect(syscallName(512 + 0x40000000, "x32")).toBe("rt_sigaction");
    expect(syscallName(13 + 0x40000000, "x32")).toBe("rt_sigaction#64");
    expect(syscallName(-1)).toBeUndefined();
    expect(syscallName(100000)).toBeUndefined();
  });

  it("accepts strace's and other tables' spellings", () => {
    expect(syscallNumber("fstatat64")).toBe(262);
    expect(syscallNumber("newfstatat", "i386")).toBe(300);
    expect(syscallNumber("llseek", "i386")).toBe(140);
    expect(syscallNumber("_llseek", "i386")).toBe(140);
    expect(syscallNumber("_newselect", "i386")).toBe(142);
    expect(syscallNumber("select", "i386")).toBe(82);
    expect(syscallNumber("umount", "x86_64")).toBe(166);
    expect(syscallNumber("umount", "i386")).toBe(22);
    expect(syscallNumber("umount2", "i386")).toBe(52);
    expect(syscallNumber("newuname")).toBe(63);
    expect(syscallNumber("pread")).toBe(17);
    expect(syscallNumber("64:rt_sigaction", "x32")).toBe(0x40000000 + 13);
    expect(syscallNumber("rt_sigaction#64", "x32")).toBe(0x40000000 + 13);
    expect(syscallNumber("no_such_call")).toBeUndefined();
    expect(syscallNumber("constructor")).toBeUndefined();
  });

  it("parses strace's names for unnamed numbers", () => {
    expect(syscallNumber("syscall_0x1b3")).toBe(0x1b3);
    expect(syscallNumber("syscall_435")).toBe(435);
    expect(syscallNumber("syscall_0xffffffffffffffff")).toBeUndefined();
    expect(syscallNumber("syscall_")).toBeUndefined();
    expect(syscallNumber("???")).toBeUndefined();
  });

  it("knows the i386 multiplexers strace names after their subcalls", () => {
    expect(multiplexerNumber("send", "i386")).toBe(102); // socketcall
    expect(multiplexerNumber("accept4", "i386")).toBe(102);
    expect(multiplexerNumber("shmget", "i386")).toBe(117); // ipc
    expect(multiplexerNumber("send", "x86_64")).toBeUndefined();
    expect(multiplexerNumber("read", "i386")).toBeUndefined();
  });

  it("maps strace personality announcements", () => {
    expect(archForPersonality("[ Process PID=4129 runs in 32 bit mode. ]")).toBe("i386");
    expect(archForPersonality("x32 mode")).toBe("x32");
    expect(archForPersonality("64 bit")).toBe("x86_64");
    expect(archForPersonality("128 bit")).toBeUndefined();
  });
});

describe("corpus -n traces agree with the tables", () => {
  it("cat_n", () => {
    expectPairsMatch(pairs(readFileSync(join(CORPUS, "cat_n.strace"), "utf8")));
  });

  it("forkexec_n_f (pid-prefixed)", () => {
    const list = pairs(readFileSync(join(CORPUS, "forkexec_n_f.strace"), "utf8"));
    expect(new Set(list.map((p) => p.pid)).size).toBeGreaterThan(1);
    expectPairsMatch(list);
  });

  it("memio_n, with the personality switches memio_stderr shows inline", () => {
    // memio_n was written with -o, so strace's `[ Process ... mode. ]` lines went to stderr.
    // memio_stderr is the same program traced without -o: align its calls with memio_n's by
    // position to learn where the switches fall.
    const inline = readFileSync(join(CORPUS, "memio_stderr.strace"), "utf8").split("\n");
    const numbered = readFileSync(join(CORPUS, "memio_n.strace"), "utf8").split("\n");
    const callIdx = numbered.flatMap((l, i) => (CALL.test(l) ? [i] : []));
    const switches = new Map<number, { pid: string; arch: Arch }>();
    let k = 0;
    for (const line of inline) {
      const p = PERSONALITY.exec(line);
      if (p) switches.set(callIdx[k]!, { pid: "main", arch: archForPersonality(p[2]!)! });
      else if (/^(<\.\.\. )?[A-Za-z_]\w*(\(| resumed>)/.test(line)) {
        const name = /^(?:<\.\.\. )?(\w+)/.exec(line)![1];
        expect(CALL.exec(numbered[callIdx[k]!]!)![4], `call ${k}`).toBe(name);
        k++;
      }
    }
    expect(switches.size).toBe(3);
    const list = pairs(numbered.join("\n"), switches);
    expect(list.filter((p) => p.arch === "i386").map((p) => `${p.nr} ${p.name}`)).toEqual(["20 getpid", "122 uname"]);
    expect(list.filter((p) => p.arch === "x32").map((p) => `${p.nr} ${p.name}`)).toEqual(["1073741863 getpid"]);
    expectPairsMatch(list);
  });
});

const hasStrace = spawnSync("strace", ["-V"]).status === 0;
const hasGcc = spawnSync("gcc", ["--version"]).status === 0;

describe.skipIf(!hasStrace)("a fresh strace -n run agrees with the tables", () => {
  it("sh, ls, cat, id under -f", () => {
    const r = spawnSync("strace", ["-n", "-f", "sh", "-c", "ls / >/dev/null; cat /etc/hostname >/dev/null; id >/dev/null"], {
      encoding: "utf8",
    });
    expect(r.status).toBe(0);
    expectPairsMatch(pairs(r.stderr));
  });

  // i386 calls through `int $0x80` and x32 calls with __X32_SYSCALL_BIT from a 64-bit process:
  // strace announces the personality switch and prints each table's own numbers and names. A
  // kernel without IA32 emulation (`ia32_emulation=0`, or built without it) kills the process at
  // its first `int $0x80` (SIGSEGV): there the i386 half is left out, and the x32 half still runs
  // (a kernel without the x32 ABI fails those calls with ENOSYS, which strace prints the same way).
  it.skipIf(!hasGcc)("i386 and x32 calls from a 64-bit process", () => {
    const dir = mkdtempSync(join(tmpdir(), "knowledge-"));
    const src = join(dir, "p.c");
    writeFileSync(
      src,
      `#include <unistd.h>
static long i386call(long nr, long a) {
  long ret;
  __asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(0), "d"(0) : "memory", "r8", "r9", "r10", "r11");
  return ret;
}
int main(int argc, char **argv) {
  (void)argv;
  static const long nrs[] = {20, 64, 199, 122, 109, 59, 18, 140, 300, 192, 90, 174, 13, 43, 191};
  /* with an argument: one i386 getpid alone, the probe for IA32 emulation */
  if (argc > 1) return i386call(20, 0) > 0 ? 0 : 1;
#ifdef WITH_I386
  for (unsigned i = 0; i < sizeof nrs / sizeof nrs[0]; i++) i386call(nrs[i], -1);
#endif
  syscall(39 | 0x40000000);
  syscall(0 | 0x40000000, -1, 0, 0);
  syscall(257 | 0x40000000, -1, 0, 0);
  return 0;
}
`,
    );
    const probe = join(dir, "probe");
    expect(spawnSync("gcc", ["-O0", "-o", probe, src]).status).toBe(0);
    const ia32 = spawnSync(probe, ["probe"]).status === 0;
    const bin = join(dir, "p");
    expect(spawnSync("gcc", ["-O0", ...(ia32 ? ["-DWITH_I386"] : []), "-o", bin, src]).status).toBe(0);
    const r = spawnSync("strace", ["-n", bin], { encoding: "utf8" });
    expect(r.status).toBe(0);
    const list = pairs(r.stderr);
    expect(list.filter((p) => p.arch === "i386").length).toBe(ia32 ? 15 : 0);
    expect(list.filter((p) => p.arch === "x32").map((p) => p.name)).toEqual(["getpid", "read", "openat"]);
    expectPairsMatch(list);
  });
});

describe("argument semantics", () => {
  it("uses man2 names and derives kinds", () => {
    expect(syscallArgs("openat")).toEqual([
      { name: "dirfd", kind: "dirfd", ctype: "int" },
      { name: "pathname", kind: "path", ctype: "const char *" },
      { name: "flags", kind: "flags", ctype: "int" },
      { name: "mode", kind: "mode", ctype: "mode_t" },
    ]);
    expect(syscallArgs("read")!.map((a) => a.kind)).toEqual(["fd", "buffer", "size"]);
    expect(syscallArgs("kill")!.map((a) => a.kind)).toEqual(["pid", "signal"]);
    expect(syscallArgs("setresuid")!.map((a) => a.kind)).toEqual(["uid", "uid", "uid"]);
    expect(syscallArgs("connect")!.map((a) => a.kind)).toEqual(["fd", "struct", "size"]);
    expect(syscallArgs("mmap")!.map((a) => a.kind)).toEqual(["address", "size", "flags", "flags", "fd", "offset"]);
    expect(syscallArgs("getpid")).toEqual([]);
  });

  it("falls back to kernel names and accepts strace spellings", () => {
    // No man page prototype has sys_clone's 5 raw arguments in x86_64 order: kernel names.
    expect(syscallArgs("clone")!.map((a) => a.name)).toEqual(["clone_flags", "newsp", "parent_tidptr", "child_tidptr", "tls"]);
    expect(syscallArgs("fstatat64")!.map((a) => a.kind)).toEqual(["dirfd", "path", "struct", "flags"]);
    expect(syscallArgs("newfstatat")).toBeDefined();
    expect(syscallArgs("rt_sigaction#64")).toBe(syscallArgs("rt_sigaction"));
  });

  it("has no spec for unimplemented or unknown calls", () => {
    expect(syscallArgs("afs_syscall")).toBeUndefined();
    expect(syscallArgs("syscall_0x3e8")).toBeUndefined();
    expect(syscallArgs("toString")).toBeUndefined();
  });

  it("covers every implemented x86_64 syscall", () => {
    const missing = syscallNames("x86_64").filter((n) => !syscallArgs(n));
    expect(missing.length).toBeLessThan(15);
    for (const name of syscallNames("x86_64")) {
      for (const a of syscallArgs(name) ?? []) expect(a.name, name).toMatch(/^\w+$/);
    }
  });
});

describe("errno", () => {
  it("knows the anchors", () => {
    expect(errnoByName("ENOENT")).toEqual({ name: "ENOENT", number: 2, message: "No such file or directory" });
    expect(errnoByNumber(2)!.name).toBe("ENOENT");
    expect(errnoByNumber(-2)!.name).toBe("ENOENT");
    expect(errnoByNumber(11)!.name).toBe("EAGAIN");
    expect(errnoByName("EWOULDBLOCK")!.number).toBe(11);
    expect(errnoByName("ERESTARTSYS")).toEqual({
      name: "ERESTARTSYS",
      number: 512,
      message: "To be restarted if SA_RESTART is set",
    });
    expect(errnoByNumber(516)!.name).toBe("ERESTART_RESTARTBLOCK");
    expect(errnoByName("ENOIOCTLCMD")!.number).toBe(515);
    expect(errnoByNumber(9999)).toBeUndefined();
    expect(errnoByName("hasOwnProperty")).toBeUndefined();
  });

  it("gives every message the corpus shows for an errno", () => {
    const seen = new Set<string>();
    for (const file of ["cat_default.strace", "forkexec_f.strace", "memio_n.strace", "sigs_r_ns_f.strace"]) {
      const text = readFileSync(join(CORPUS, file), "utf8");
      for (const m of text.matchAll(/(?:= -1|= \?) (E[A-Z0-9_]+) \(([^)]*)\)/g)) {
        seen.add(m[1]!);
        expect(errnoByName(m[1]!)?.message, m[1]).toBe(m[2]);
      }
    }
    expect(seen.size).toBeGreaterThan(5);
  });
});
