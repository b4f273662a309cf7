// `strace-seq convert` on the real corpus, run as the built CLI (dist/, worker processes need the
// compiled worker): every input gets an output with parse's record count, a killed run resumed with
// --resume ends byte-identical to an uninterrupted one, and a -ff folder becomes one output.
// No assertion here is about speed (that lives in bench/).

import { describe, expect, it, beforeAll, afterAll } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseFile } from "../src/api/node.js";
import { SHARED } from "./helpers/shared.js";
import { convertKilledAt } from "./helpers/kill-worker.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CORPUS = SHARED + "/corpus";
const MAIN = path.join(root, "dist/cli/main.js");
// The main CLI once convert is registered there; until then the stand-alone entry (same command).
const CLI = MAIN;

const PID_FILE = /^(.*)\.(\d+)(\.gz)?$/;

function run(args: string[], input?: Buffer) {
  return spawnSync(process.execPath, [CLI, "convert", ...args], { input, encoding: "utf8", maxBuffer: 1 << 26 });
}

/** Every file under dir, relative, sorted. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name), path.join(rel, e.name));
      else out.push(path.join(rel, e.name));
    }
  };
  walk(dir, "");
  return out.sort();
}

/** Expected outputs for an input tree: one per file, one per -ff folder (all files NAME.PID, one NAME). */
function expectedOutputs(dir: string, rel = ""): Map<string, string[]> {
  const m = new Map<string, string[]>();
  const entries = readdirSync(dir, { withFileTypes: true });
  for (const e of entries) {
    const p = path.join(dir, e.name);
    const r = path.join(rel, e.name);
    if (e.isDirectory()) {
      const inner = readdirSync(p, { withFileTypes: true });
      const stems = new Set(inner.map((x) => (x.isFile() ? PID_FILE.exec(x.name)?.[1] : undefined)));
      if (inner.length > 0 && stems.size === 1 && !stems.has(undefined))
        m.set(
          r + ".jsonl",
          inner.map((x) => path.join(p, x.name)),
        );
      else for (const [k, v] of expectedOutputs(p, r)) m.set(k, v);
    } else if (e.isFile()) m.set(r.replace(/\.gz$/, "") + ".jsonl", [p]);
  }
  return m;
}

async function recordCount(files: string[]): Promise<number> {
  let n = 0;
  for (const f of files) for await (const _ of parseFile(f, { tagFile: files.length > 1 })) n++;
  return n;
}

function lineCount(file: string): number {
  const s = readFileSync(file, "utf8");
  return s.length === 0 ? 0 : s.split("\n").length - 1;
}

let tmp: string;
let reference: string;

beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), "strace-seq-convert-test-"));
  reference = path.join(tmp, "ref");
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("convert", () => {
  it("converts the whole corpus: one output per input, each with parse's record count", async () => {
    const r = run([CORPUS, "-o", reference]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/files, \d+ lines, \d+ records, \d+ diagnostics/);
    const expected = expectedOutputs(CORPUS);
    expect(tree(reference)).toEqual([...expected.keys()].sort());
    for (const [out, inputs] of expected) {
      expect(lineCount(path.join(reference, out)), out).toBe(await recordCount(inputs));
    }
  });

  it("a run killed midway and resumed with --resume ends byte-identical, with no temp files", async () => {
    const out = path.join(tmp, "killed");
    const child = spawn(process.execPath, [CLI, "convert", CORPUS, "-o", out, "--jobs", "2", "-q"], { stdio: "ignore" });
    const exited = new Promise((resolve) => child.on("exit", resolve));
    // Kill as soon as the first outputs are in place, while the rest are still being written.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !(existsSync(out) && tree(out).filter((f) => f.endsWith(".jsonl")).length >= 3)) {
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill("SIGKILL");
    await exited;
    // its worker processes stop with it: nothing more appears or grows. (A write a worker had
    // already checked for its pool before the kill may still land, on a loaded machine some
    // milliseconds later: the snapshot waits for that, then nothing may change.)
    const sizes = () => tree(out).map((f) => `${f}:${statSync(path.join(out, f)).size}`);
    await new Promise((r) => setTimeout(r, 300));
    const atKill = sizes();
    await new Promise((r) => setTimeout(r, 1500));
    expect(sizes()).toEqual(atKill);
    const partial = tree(out).filter((f) => f.endsWith(".jsonl"));
    const total = tree(reference).length;
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(total);
    // Whatever was renamed into place is complete.
    for (const f of partial) expect(readFileSync(path.join(out, f)).equals(readFileSync(path.join(reference, f))), f).toBe(true);

    const r = run([CORPUS, "-o", out, "--resume", "--jobs", "2"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/skipped \(--resume\)/);
    const files = tree(out);
    expect(files).toEqual(tree(reference));
    for (const f of files) expect(readFileSync(path.join(out, f)).equals(readFileSync(path.join(reference, f))), f).toBe(true);
  });

  it("a worker killed mid-job (as the out-of-memory killer would) fails that file only, without a temp file", async () => {
    const dir = path.join(tmp, "worker-dies");
    const out = path.join(tmp, "worker-dies-out");
    rmSync(dir, { recursive: true, force: true });
    spawnSync("mkdir", ["-p", dir]);
    const trace = readFileSync(path.join(root, "fixtures/sigs_tt_T_f.strace"));
    // big enough that the worker is still on it when killed; jobs run largest first
    writeFileSync(path.join(dir, "big.strace"), Buffer.concat(Array.from({ length: 3000 }, () => trace)));
    writeFileSync(path.join(dir, "small.strace"), trace);
    const { status, stderr } = await convertKilledAt(CLI, [dir, "-o", out, "--jobs", "1"], path.join(out, ".big.strace.jsonl.strace-seq-tmp"));
    expect(status).toBe(2);
    expect(stderr).toMatch(/cannot convert .*big\.strace: its worker process died \(SIGKILL\)/);
    expect(stderr).toMatch(/strace-seq: 1 file, /);
    expect(tree(out)).toEqual(["small.strace.jsonl"]);
  });

  it("--resume skips up-to-date outputs and redoes one whose input is newer", () => {
    const dir = path.join(tmp, "resume-in");
    const out = path.join(tmp, "resume-out");
    rmSync(dir, { recursive: true, force: true });
    const src = path.join(CORPUS, "seed/overflow1.strace");
    spawnSync("mkdir", ["-p", dir]);
    writeFileSync(path.join(dir, "a.strace"), readFileSync(src));
    writeFileSync(path.join(dir, "b.strace"), readFileSync(src));
    expect(run([dir, "-o", out, "-q"]).status).toBe(0);
    const before = statSync(path.join(out, "a.strace.jsonl")).mtimeMs;
    // Make b's input newer than its output.
    const later = new Date(Date.now() + 5000);
    spawnSync("touch", ["-d", later.toISOString(), path.join(dir, "b.strace")]);
    const r = run([dir, "-o", out, "--resume"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/1 file, .*\n.*1 up-to-date output skipped/);
    expect(statSync(path.join(out, "a.strace.jsonl")).mtimeMs).toBe(before);
  });

  it("a -ff folder becomes one output, time-ordered, with each member's pid", async () => {
    const dir = path.join(CORPUS, "strace-6.1/sigs_ff");
    const out = path.join(tmp, "ff");
    const r = run([dir, "-o", out, "-q"]);
    expect(r.status, r.stderr).toBe(0);
    expect(tree(out)).toEqual(["sigs_ff.jsonl"]);
    const members = readdirSync(dir).map((f) => path.join(dir, f));
    const recs = readFileSync(path.join(out, "sigs_ff.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { time?: number; pid: number; file: string });
    expect(recs.length).toBe(await recordCount(members));
    const times = recs.filter((x) => x.time !== undefined).map((x) => x.time!);
    expect(times.length).toBeGreaterThan(0);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    for (const rec of recs) expect(rec.file.endsWith("." + rec.pid)).toBe(true);
  });

  it("a -ff folder whose run crosses midnight (-t/-tt clock times) keeps its time order", () => {
    // sigs_ff shifted so that it starts 0.05 s before midnight: the order must not change
    const dir = path.join(CORPUS, "strace-6.1/sigs_ff");
    const shifted = path.join(tmp, "midnight", "sigs_ff");
    spawnSync("mkdir", ["-p", shifted]);
    const clock = /^(\d\d):(\d\d):(\d\d)\.(\d{6})/m;
    const secs = (m: RegExpExecArray) => Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]) / 1e6;
    const members = readdirSync(dir);
    const t0 = Math.min(...members.map((f) => secs(clock.exec(readFileSync(path.join(dir, f), "utf8"))!)));
    const fmt = (t: number) => {
      const us = Math.round((((t % 86400) + 86400) % 86400) * 1e6);
      const s = Math.floor(us / 1e6);
      const two = (n: number) => String(n).padStart(2, "0");
      return `${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}.${String(us % 1e6).padStart(6, "0")}`;
    };
    for (const f of members) {
      const text = readFileSync(path.join(dir, f), "utf8").replace(/^(\d\d):(\d\d):(\d\d)\.(\d{6})/gm, (...m) =>
        fmt(secs(m as unknown as RegExpExecArray) - t0 + 86400 - 0.05),
      );
      writeFileSync(path.join(shifted, f), text);
    }
    const order = (out: string) =>
      readFileSync(path.join(out, "sigs_ff.jsonl"), "utf8")
        .trim()
        .split("\n")
        .map((l) => {
          const r = JSON.parse(l) as { pid: number; line: number };
          return `${r.pid}:${r.line}`;
        });
    const plainOut = path.join(tmp, "midnight-plain");
    const shiftedOut = path.join(tmp, "midnight-shifted");
    expect(run([dir, "-o", plainOut, "-q"]).status).toBe(0);
    expect(run([shifted, "-o", shiftedOut, "-q"]).status).toBe(0);
    expect(readFileSync(path.join(shifted, members[0]!), "utf8")).toMatch(/^23:59:59\.95/m);
    expect(order(shiftedOut)).toEqual(order(plainOut));
  });

  it("reads .gz and stdin to the same records as the plain file", () => {
    // Diagnostics name their file, so compare with file names removed.
    const strip = (s: string) => s.replace(/,"file":"[^"]*"/g, "");
    const src = path.join(CORPUS, "seed/overflow1.strace");
    const gzDir = path.join(tmp, "gz");
    spawnSync("mkdir", ["-p", gzDir]);
    writeFileSync(path.join(gzDir, "overflow1.strace.gz"), gzipSync(readFileSync(src)));
    const outGz = path.join(tmp, "gz-out");
    const outPlain = path.join(tmp, "plain-out");
    expect(run([path.join(gzDir, "overflow1.strace.gz"), "-o", outGz, "-q"]).status).toBe(0);
    expect(run([src, "-o", outPlain, "-q"]).status).toBe(0);
    const plain = readFileSync(path.join(outPlain, "overflow1.strace.jsonl"), "utf8");
    expect(strip(readFileSync(path.join(outGz, "overflow1.strace.jsonl"), "utf8"))).toBe(strip(plain));
    const viaStdin = path.join(tmp, "stdin-out");
    expect(run(["-", "-o", viaStdin, "-q"], readFileSync(src)).status).toBe(0);
    expect(strip(readFileSync(path.join(viaStdin, "stdin.jsonl"), "utf8"))).toBe(strip(plain));
    expect(plain.length).toBeGreaterThan(0);
  });

  it("exit status: 1 with --strict and diagnostics, 2 for a missing input", () => {
    const out = path.join(tmp, "strict");
    expect(run([path.join(CORPUS, "INVENTORY.md"), "-o", out, "-q", "--strict"]).status).toBe(1);
    expect(run([path.join(CORPUS, "INVENTORY.md"), "-o", out, "-q"]).status).toBe(0);
    expect(run([path.join(tmp, "no-such-file"), "-o", out, "-q"]).status).toBe(2);
  });
});
