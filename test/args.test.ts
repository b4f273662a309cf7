// Argument-aware symbols (src/seq/args.ts) on strace lines written in strace's own output
// format (strace(1): `-f` pid prefixes, `-y` fd paths `3</path>`, `AT_FDCWD</cwd>`, socket
// decorations `TCP:[...]`), with every expected symbol worked out from the scheme's rules.
import { describe, expect, it } from "vitest";
import { parseSync } from "../src/api/sync.js";
import { ArgSymbolizer, PathClassLearner, normalisePath } from "../src/seq/args.js";
import { sequencesSync } from "../src/seq/sequences.js";
import type { SyscallRecord } from "../src/model/record.js";

const calls = (text: string) => parseSync(text).syscalls.map((c) => c.record as SyscallRecord);
const symbols = (text: string, sym = new ArgSymbolizer()) => calls(text).map((r) => sym.symbol(r));

describe("normalisePath", () => {
  it("removes . and .., keeping a relative path's leading ..", () => {
    expect(normalisePath("www/docs/../../../../etc/passwd")).toBe("../../etc/passwd");
    expect(normalisePath("/var/www/./docs/../index.html")).toBe("/var/www/index.html");
    expect(normalisePath("/../../etc//passwd")).toBe("/etc/passwd");
    expect(normalisePath("a/..")).toBe(".");
  });
});

describe("ArgSymbolizer", () => {
  it("follows the program, working directory and fd table of a process and its children", () => {
    const text = [
      `100 execve("/usr/sbin/srv", ["srv"], 0x7ffd4 /* 3 vars */) = 0`,
      `100 chdir("/var/www") = 0`,
      `100 openat(AT_FDCWD, "docs/../index.html", O_RDONLY|O_CLOEXEC) = 3`,
      `100 read(3, "x", 10) = 1`,
      `100 socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 4`,
      `100 accept4(4, NULL, NULL, SOCK_CLOEXEC) = 5`,
      `100 dup2(5, 1) = 1`,
      `100 write(1, "hi", 2) = 2`,
      `100 openat(AT_FDCWD, "/tmp", O_RDONLY|O_DIRECTORY) = 6`,
      `100 fchdir(6) = 0`,
      `100 openat(AT_FDCWD, "out.log", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 7`,
      `100 pipe2([8, 9], O_CLOEXEC) = 0`,
      `100 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f12) = 101`,
      `101 close(3) = 0`,
      `101 read(3, "", 1) = -1 EBADF (Bad file descriptor)`,
      `101 execve("/bin/sh", ["sh"], 0x7f34 /* 1 var */) = 0`,
      `101 write(9, "x", 1) = 1`,
      `100 read(3, "", 10) = 0`,
      `100 newfstatat(3, "", {st_mode=S_IFREG|0644, st_size=1, ...}, AT_EMPTY_PATH) = 0`,
      `100 read(0, "", 1) = 0`,
      `100 eventfd2(0, EFD_CLOEXEC) = 10`,
      `100 socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE) = 11`,
      `100 sendto(11, "", 0, 0, NULL, 0) = 0`,
      `100 openat(AT_FDCWD, "missing", O_RDONLY) = -1 ENOENT (No such file or directory)`,
    ].join("\n");
    expect(symbols(text)).toEqual([
      "?:execve(exe=srv)",
      "srv:chdir(path=/var/www)",
      "srv:openat(path=/var/www/index.html,flags=r)",
      "srv:read(fd=/var/www/index.html)",
      "srv:socket(sock=tcp)",
      "srv:accept4(fd=tcp)",
      "srv:dup2(fd=tcp,fd=std)",
      "srv:write(fd=tcp)",
      "srv:openat(path=/tmp,flags=rd)",
      "srv:fchdir(fd=/tmp)",
      "srv:openat(path=/tmp/out.log,flags=wc)",
      "srv:pipe2",
      "srv:clone",
      "srv:close(fd=/var/www/index.html)", // the child's copy of the table
      "srv:read(fd=?)",
      "srv:execve(exe=sh)",
      "sh:write(fd=pipe)",
      "srv:read(fd=/var/www/index.html)", // the parent's fd 3 is still open
      "srv:newfstatat(fd=/var/www/index.html)", // AT_EMPTY_PATH: about the fd itself
      "srv:read(fd=std)",
      "srv:eventfd2",
      "srv:socket(sock=netlink)",
      "srv:sendto(fd=netlink)",
      "srv:openat(path=/tmp/missing,flags=r)",
    ]);
  });

  it("takes paths and fd kinds from -y decorations", () => {
    const text = [
      `7 openat(AT_FDCWD</srv/x>, "a/../b", O_RDONLY) = 3</srv/x/b>`,
      `7 read(3</srv/x/b>, "", 1) = 0`,
      `7 read(12<TCP:[127.0.0.1:5->127.0.0.1:6]>, "", 1) = 0`,
      `7 write(13<UDP:[1.2.3.4:5]>, "", 0) = 0`,
      `7 write(2</dev/pts/0>, "e", 1) = 1`,
      `7 read(14<pipe:[123]>, "", 1) = 0`,
      `7 read(15<anon_inode:[eventfd]>, "", 8) = 0`,
      `7 openat(AT_FDCWD</srv/x>, "c", O_RDONLY) = 4`,
    ].join("\n");
    expect(symbols(text)).toEqual([
      "?:openat(path=/srv/x/b,flags=r)",
      "?:read(fd=/srv/x/b)",
      "?:read(fd=tcp)",
      "?:write(fd=udp)",
      "?:write(fd=dev)",
      "?:read(fd=pipe)",
      "?:read(fd=anon)",
      "?:openat(path=/srv/x/c,flags=r)",
    ]);
  });

  it("collapses a directory with many distinct children, per program, to DIR/*", () => {
    const learner = new PathClassLearner(3);
    const text = (files: string[], prog = "/usr/bin/web") =>
      [`1 execve("${prog}", ["x"], 0x1 /* 0 vars */) = 0`, ...files.map((f, i) => `1 openat(AT_FDCWD, "${f}", O_RDONLY) = ${i + 3}`)].join("\n");
    symbols(text(["www/a.html", "www/b.html", "www/sub/c.html", "etc/conf"]), new ArgSymbolizer({}, learner));
    symbols(text(["data/1", "data/2", "data/3"], "/usr/bin/other"), new ArgSymbolizer({}, learner));
    const classes = learner.classes();
    expect(classes).toEqual({ web: ["www"], other: ["data"] });
    const out = symbols(text(["www/new.html", "www/sub/c.html", "www/../etc/passwd", "data/4"]), new ArgSymbolizer(classes));
    expect(out.slice(1)).toEqual([
      "web:openat(path=www/*,flags=r)",
      "web:openat(path=www/*,flags=r)", // the deepest collapsed directory on the path
      "web:openat(path=etc/passwd,flags=r)",
      "web:openat(path=data/4,flags=r)", // data/* is the other program's
    ]);
  });

  it("escapes what would split a symbol in text output", () => {
    const [, open] = symbols(`1 chdir("/a b") = 0\n1 openat(AT_FDCWD, "x,(y)=%", O_RDONLY) = 3`);
    expect(open).toBe("?:openat(path=/a%20b/x%2c%28y%29%3d%25,flags=r)");
  });

  it("is what sequences produce with symbol: args", () => {
    const text = `5 execve("/bin/cat", ["cat", "f"], 0x1 /* 0 vars */) = 0\n5 openat(AT_FDCWD, "f", O_RDONLY) = 3\n5 read(3, "", 10) = 0\n5 +++ exited with 0 +++\n`;
    const [seq] = sequencesSync(parseSync(text).records, { symbol: "args" });
    expect(seq!.symbols).toEqual(["?:execve(exe=cat)", "cat:openat(path=f,flags=r)", "cat:read(fd=f)"]);
  });
});
