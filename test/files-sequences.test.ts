// A list of files read on two cores (src/eval/files-sequences.ts) gives what one thread gives:
// the same sequences in list order from `seq`, the same model from `train`, the same scores from
// `score` and `eval`, and the same output and error when a file in the middle cannot be read.
// Through the CLI, so the second thread is the real one (dist/eval/sequence-worker.js).

import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { SHARED } from "./helpers/shared.js";
import { runWithJobs, sameWithJobs } from "./helpers/jobs-cli.js";

const CLI = new URL("../dist/cli/main.js", import.meta.url).pathname;
const SERVICES = SHARED + "/ids/services";
const CORPUS = SHARED + "/corpus";

describe.skipIf(!existsSync(CORPUS))("a list of files on two cores", () => {
  it("seq gives every file's sequences in list order, as one thread does", () => {
    const out = sameWithJobs(["seq", "--format", "jsonl", CORPUS + "/strace-6.1"]);
    const files = out
      .trim()
      .split("\n")
      .map((l) => (JSON.parse(l) as { file: string }).file);
    // (in list order: each file's sequences together, the files sorted as listed)
    const order = files.filter((f, i) => i === 0 || f !== files[i - 1]);
    expect(order.length).toBeGreaterThan(50);
    expect(new Set(order).size).toBe(order.length);
    sameWithJobs(["seq", "--window", "3", "--symbol", "name:flag", CORPUS + "/strace-6.1"]);
  }, 300_000);

  it("large files in the list are read in their turn, the smaller ones between them on both threads", () => {
    const files = readdirSync(SERVICES)
      .filter((f) => f.endsWith(".strace"))
      .slice(0, 12)
      .map((f) => path.join(SERVICES, f));
    // (the median size: about half the files are read in their turn, the rest shared)
    const sizes = files.map((f) => statSync(f).size);
    const median = [...sizes].sort((a, b) => a - b)[sizes.length >> 1]!;
    const large = sizes.map((n) => n >= median);
    // a large file with shared files before and after it, and two shared files in a row
    expect(large.some((l, i) => l && large.slice(0, i).includes(false) && large.slice(i + 1).includes(false))).toBe(true);
    expect(large.some((l, i) => !l && large[i + 1] === false)).toBe(true);
    const env = { STRACE_SEQ_STREAM_BYTES: String(median) };
    const out = sameWithJobs(["seq", "--format", "jsonl", ...files], env);
    const order = out
      .trim()
      .split("\n")
      .map((l) => (JSON.parse(l) as { file: string }).file)
      .filter((f, i, all) => i === 0 || f !== all[i - 1]);
    expect(order).toEqual(files);
    // every file read in its turn, none shared
    sameWithJobs(["seq", "-w", "3", ...files], { STRACE_SEQ_STREAM_BYTES: "1" });
  }, 300_000);

  it("train, score and eval give the same model and scores", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "strace-seq-files-"));
    const normal = readdirSync(SERVICES)
      .filter((f) => f.startsWith("normal_"))
      .map((f) => path.join(SERVICES, f));
    const attack = readdirSync(SERVICES)
      .filter((f) => f.startsWith("attack_"))
      .map((f) => path.join(SERVICES, f));
    expect(normal.length).toBeGreaterThan(8);
    const models = ["1", "2"].map((jobs) => {
      const m = path.join(dir, `model-${jobs}.json`);
      const r = runWithJobs(jobs, ["train", "--model", "stide", "-w", "4", "-o", m, ...normal.slice(0, 8)]);
      expect(r.status, r.stderr).toBe(0);
      return readFileSync(m, "utf8");
    });
    expect(models[1]).toBe(models[0]);
    writeFileSync(path.join(dir, "model.json"), models[0]!);
    sameWithJobs(["score", "--model", path.join(dir, "model.json"), ...normal.slice(8), ...attack]);
    sameWithJobs(["eval", "--model", "stide", "-w", "4", "--json", "--train", ...normal.slice(0, 8), "--normal", ...normal.slice(8), "--attack", ...attack]);
    rmSync(dir, { recursive: true });
  }, 300_000);

  it("a file that cannot be read in the middle of the list: the files before it, then its error", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "strace-seq-files-bad-"));
    const traces = readdirSync(SERVICES).filter((f) => f.endsWith(".strace"));
    for (const f of traces.slice(0, 6)) copyFileSync(path.join(SERVICES, f), path.join(dir, f));
    // sorted into the middle of the list: gzip's magic, then bytes that are not a deflate stream
    writeFileSync(path.join(dir, `${traces[2]}.broken.gz`), Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff]));
    const one = runWithJobs("1", ["seq", "--format", "jsonl", dir]);
    expect(one.status).toBe(2);
    // (zlib's message names no file: the reader puts the file's name before it)
    const broken = path.join(dir, `${traces[2]}.broken.gz`);
    expect(one.stderr).toContain(`${broken}: `);
    for (const cmd of ["stats", "parse"]) {
      const r = spawnSync("node", [CLI, cmd, broken], { encoding: "utf8" });
      expect(r.status).toBe(2);
      expect(r.stderr.split("\n")[0]).toBe(`strace-seq: cannot read input: ${broken}: invalid block type (a damaged gzip stream)`);
    }
    expect(one.stdout.trim().split("\n").length).toBeGreaterThan(2);
    // (the broken file shared, with the files around it read in their turn, or every file in its turn)
    for (const stream of [undefined, "15", "1"]) {
      const two = runWithJobs("2", ["seq", "--format", "jsonl", dir], stream ? { STRACE_SEQ_STREAM_BYTES: stream } : {});
      expect(two.status).toBe(one.status);
      expect(two.stdout).toBe(one.stdout);
      expect(two.stderr).toBe(one.stderr);
    }
    rmSync(dir, { recursive: true });
  }, 120_000);
});
