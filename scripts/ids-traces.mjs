// Traces of the vulnerable service (fixtures/ids/src/vulnsvc.c, from ../shared/ids/services),
// made as ../shared/ids/README.md describes: build it with gcc, run it under `strace -f -o`
// for one connection on 127.0.0.1, drive it with its client (ids_client.py), one file per
// session. Used by test/ids-live.test.ts (fresh traces in CI) and to make the fixtures:
//
//   node scripts/ids-traces.mjs OUTDIR      writes OUTDIR/*.strace and OUTDIR/labels.tsv
//
// Everything stays on loopback. Needs gcc, strace and python3.

import { spawn, execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const SRC = new URL("../fixtures/ids/src/", import.meta.url).pathname;

/** Sessions: name, label, kind, request lines. Normal ones use the shared set's request kinds
 *  (HELLO, TIME, GET of the documents, STAT, ECHO, NOOP, QUIT) in other orders and with other
 *  values; attacks exercise each planted bug, the traversal with two targets. */
export const SESSIONS = [
  ["normal_a", "normal", "normal", ["HELLO dave", "GET about.txt", "STAT", "QUIT"]],
  ["normal_b", "normal", "normal", ["TIME", "ECHO hello-there", "GET docs/guide.txt", "GET index.html", "QUIT"]],
  ["normal_c", "normal", "normal", ["NOOP", "HELLO erin", "GET missing.html", "TIME", "STAT", "QUIT"]],
  ["normal_d", "normal", "normal", ["GET index.html", "GET about.txt", "ECHO 42", "HELLO frank", "QUIT"]],
  ["attack_traversal_passwd", "attack", "path-traversal", ["HELLO alice", "GET docs/../../../../../../../../../../etc/passwd", "QUIT"]],
  ["attack_traversal_environ", "attack", "path-traversal", ["GET index.html", "GET docs/../../../../../../../../../../proc/self/environ", "QUIT"]],
  ["attack_inject_uname", "attack", "cmd-injection-overflow", ["HELLO x" + "A".repeat(57) + "uname -a", "QUIT"]],
  ["attack_smash_echo", "attack", "stack-smash-abort", ["ECHO " + "B".repeat(60), "QUIT"]],
];

/** Normal sessions to train on (tests make them fresh, so training and test traces come from
 *  the same machine): every request kind, every document, several orders. */
export const TRAINING_SESSIONS = [
  ["GET index.html", "HELLO bob", "GET docs/guide.txt", "QUIT"],
  ["HELLO bob", "HELLO carol", "ECHO test-123", "ECHO hi", "QUIT"],
  ["GET missing.html", "HELLO carol", "TIME", "TIME", "GET index.html", "QUIT"],
  ["ECHO hi", "HELLO alice", "GET missing.html", "STAT", "QUIT"],
  ["STAT", "GET about.txt", "NOOP", "QUIT"],
  ["TIME", "GET docs/guide.txt", "ECHO abc", "HELLO dan", "QUIT"],
  ["GET about.txt", "GET index.html", "STAT", "TIME", "QUIT"],
  ["HELLO eve", "GET missing.html", "GET about.txt", "QUIT"],
  ["NOOP", "STAT", "ECHO x", "GET docs/guide.txt", "QUIT"],
  ["GET index.html", "TIME", "HELLO zed", "STAT", "QUIT"],
].map((requests, i) => [`train_${String(i + 1).padStart(2, "0")}`, "normal", "normal", requests]);

/** Builds the service into `dir` (with its document root) and returns the directory. */
export function buildService(dir) {
  execFileSync("gcc", ["-O0", "-fstack-protector-all", "-U_FORTIFY_SOURCE", "-fno-builtin", "-o", join(dir, "vulnsvc"), join(SRC, "vulnsvc.c")], {
    stdio: "pipe",
  }); // its planted overflow warns
  mkdirSync(join(dir, "www", "docs"), { recursive: true });
  writeFileSync(join(dir, "www", "index.html"), "<html><body>index</body></html>\n");
  writeFileSync(join(dir, "www", "about.txt"), "about vulnsvc\n");
  writeFileSync(join(dir, "www", "docs", "guide.txt"), "guide line 1\nguide line 2\n");
  return dir;
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

function run(cmd, args, opts) {
  return new Promise((res, rej) => {
    const p = spawn(cmd, args, { stdio: "ignore", ...opts });
    p.once("error", rej);
    p.once("exit", (code) => res(code));
  });
}

/** The service's environment: small and fixed, with TZ=UTC as the shared traces had (glibc
 *  reads /usr/share/zoneinfo/UTC for TIME there, /etc/localtime without TZ), so traces do not
 *  depend on the machine's locale settings. */
const SERVICE_ENV = { PATH: "/usr/local/bin:/usr/bin:/bin", TZ: "UTC", LANG: "C" };

/** One service lifetime serving one connection, traced to `out`. */
export async function recordSession(dir, out, requests) {
  const port = await freePort();
  const server = run("strace", ["-f", "-o", resolve(out), "./vulnsvc", String(port), "1", "www"], { cwd: dir, env: SERVICE_ENV });
  await run("python3", [join(SRC, "ids_client.py"), String(port), ...requests], { cwd: dir });
  await server;
}

/** Records every session into `outDir` with a labels.tsv like the shared set's. */
export async function recordAll(outDir, sessions = SESSIONS) {
  mkdirSync(outDir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), "vulnsvc-"));
  try {
    buildService(work);
    const rows = ["file\tlabel\tkind\trequests"];
    for (const [name, label, kind, requests] of sessions) {
      await recordSession(work, join(outDir, `${name}.strace`), requests);
      rows.push(`${name}.strace\t${label}\t${kind}\t${requests.map((r) => r.replace(/([ ;\\])/g, "\\$1")).join(" ")}`);
    }
    writeFileSync(join(outDir, "labels.tsv"), rows.join("\n") + "\n");
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const out = process.argv[2];
  if (!out) {
    process.stderr.write("usage: node scripts/ids-traces.mjs OUTDIR\n");
    process.exit(2);
  }
  await recordAll(out);
}
