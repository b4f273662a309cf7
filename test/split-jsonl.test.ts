// JSON Lines of one file written in two parts (src/api/split-jsonl.ts) must be the bytes of one
// reading, wherever the parts are cut: every corpus trace at three shares, the -k, dump and -f
// traces at every line start, a second part that fails or counts other lines, and the CLI with
// its real second thread (the part's file beside -o, and gone afterwards).

import { describe, expect, it } from "vitest";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expandInputs } from "../src/api/node.js";
import { jsonlPart, jsonlSplitChunks, linesBefore } from "../src/api/split-jsonl.js";
import type { PartRunner, SplitOptions } from "../src/api/split-reading.js";
import type { ParseCounts } from "../src/parser.js";
import { SHARED } from "./helpers/shared.js";
import { spawnSync } from "node:child_process";
import { CLI, runWithJobs, sameWithJobs } from "./helpers/jobs-cli.js";

const CORPUS = SHARED + "/corpus/";
const isTrace = (f: string) => !/\.(md|tsv|truss)$/.test(f);

/** The second part run in this thread. */
const here: PartRunner = (job, onCut) => jsonlPart(job, onCut);

/** A file's JSON Lines and counts: with `split`, written in two parts (the part in this thread,
 *  its file in `tempDir`). */
async function jsonlOf(file: string, split?: SplitOptions, tempDir?: string): Promise<{ text: string; counts: ParseCounts; used?: boolean }> {
  const parts: Buffer[] = [];
  let used: boolean | undefined;
  const it = jsonlSplitChunks(file, split ? { jobs: 2, split: { minBytes: 1, runPart: here, ...split }, tempDir, onPartUsed: (u) => (used = u) } : { jobs: 1 });
  let step = await it.next();
  for (; !step.done; step = await it.next()) parts.push(step.value);
  return { text: Buffer.concat(parts).toString("latin1"), counts: step.value, used };
}

describe.skipIf(!existsSync(CORPUS))("JSON Lines in two parts on the shared corpus", async () => {
  const files = existsSync(CORPUS) ? (await expandInputs([CORPUS])).filter(isTrace) : [];

  it("equal one reading, bytes and counts, for every trace cut at a quarter, half and three quarters", async () => {
    const problems: string[] = [];
    let met = 0;
    let tries = 0;
    for (const f of files) {
      const want = await jsonlOf(f);
      for (const share of [0.25, 0.5, 0.75]) {
        let at: number | undefined;
        const got = await jsonlOf(f, { share, distances: [0, 300, 1500, 6000], onMeet: (m) => (at = m) });
        tries++;
        if (at !== undefined) met++;
        // (where they met, the part's lines are the ones written: it counted the same lines)
        if (at !== undefined && got.used !== true) problems.push(`${f} at ${share}: the part's lines were not used`);
        if (got.text !== want.text) problems.push(`${f} at ${share}: bytes differ`);
        else if (JSON.stringify(got.counts) !== JSON.stringify(want.counts))
          problems.push(`${f} at ${share}: ${JSON.stringify(got.counts)} vs ${JSON.stringify(want.counts)}`);
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
    // (the parts do meet on most traces: the part's lines are what is checked, not only the fallback)
    expect(met / tries).toBeGreaterThan(0.3);
  }, 900_000);

  it("equal one reading when cut at any line start of the -k, dump and -f traces", async () => {
    const pick = files.filter((f) => /_k\b|_k\.|_rw|hexdump|_f\b|_f_|fork|thread/.test(path.basename(f)) && readFileSync(f).length < 30_000).slice(0, 14);
    expect(pick.length).toBeGreaterThanOrEqual(6);
    let met = 0;
    for (const f of pick) {
      const want = await jsonlOf(f);
      const text = readFileSync(f);
      const second = text.indexOf(10) + 1;
      for (let at = text.indexOf(10, second) + 1; at > 0 && at < text.length; at = text.indexOf(10, at) + 1) {
        let m: number | undefined;
        const got = await jsonlOf(f, { cuts: [second, at], onMeet: (x) => (m = x) });
        expect(got.text === want.text, `${f} cut at byte ${at}`).toBe(true);
        expect(got.counts, `${f} cut at byte ${at}`).toEqual(want.counts);
        if (m !== undefined) met++;
        if (m !== undefined) expect(got.used, `${f} cut at byte ${at}`).toBe(true);
      }
    }
    expect(met).toBeGreaterThan(50);
  }, 600_000);
});

describe("JSON Lines in two parts, written from strace's grammar", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "split-jsonl-"));
  // -f with -tt -T: calls cut by other processes, signals, an exit, a -k frame after a call
  const lines: string[] = [];
  // (3,000 calls, ~400 KB: the CLI's cuts 64 KiB past half-way fall inside it)
  for (let i = 0; i < 3000; i++) {
    const t = `10:00:${String(10 + (i % 40)).padStart(2, "0")}.${String(100000 + i).slice(1)}`;
    lines.push(`${100 + (i % 3)}  ${t} openat(AT_FDCWD, "/etc/f${i}", O_RDONLY|O_CLOEXEC) = ${3 + (i % 5)} <0.000012>`);
    if (i % 7 === 0)
      lines.push(`${103}  ${t} read(0,  <unfinished ...>`, `${100}  ${t} close(3) = 0 <0.000004>`, `${103}  ${t} <... read resumed>"x", 1) = 1 <0.000100>`);
    if (i % 50 === 0)
      lines.push(`${101}  ${t} --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=104, si_uid=0, si_status=0, si_utime=0, si_stime=0} ---`);
    if (i % 90 === 0) lines.push(`${102}  ${t} getpid() = 102 <0.000002>`);
    // (a frame stops the rows until the full reading hands back 1,024 lines on: one, near the end)
    if (i === 2900) lines.push(` > /usr/lib/libc.so.6(getpid+0xb) [0x1234]`);
  }
  lines.push(`100  10:01:00.000000 exit_group(0) = ?`, `100  10:01:00.000001 +++ exited with 0 +++`);
  const file = path.join(dir, "grammar.strace");
  writeFileSync(file, lines.join("\n") + "\n");
  const text = readFileSync(file);
  const starts: number[] = [];
  for (let at = text.indexOf(10) + 1; at > 0 && at < text.length; at = text.indexOf(10, at) + 1) if (text[at] !== 0x20) starts.push(at);

  it("counts the lines before an offset as the readings number them", async () => {
    const at = starts[100]!;
    expect(await linesBefore(file, at)).toBe(text.subarray(0, at).toString("latin1").split("\n").length - 1);
  });

  it("gives one reading's bytes when the part fails, or counts other lines, after the readings met", async () => {
    const want = await jsonlOf(file);
    const failing: PartRunner = async (job, onCut) => {
      await jsonlPart(job, onCut);
      throw new Error("the part died");
    };
    const miscounted: PartRunner = async (job, onCut) => {
      const r = await jsonlPart(job, onCut);
      return { ...r, segments: r.segments.map((s) => ({ ...s, at: { ...s.at, lines: s.at.lines + 1 } })) };
    };
    for (const runPart of [failing, miscounted]) {
      let met: number | undefined;
      const got = await jsonlOf(file, { cuts: [starts[1500]!, starts[1510]!, starts[1520]!], runPart, onMeet: (m) => (met = m) });
      expect(met).toBeDefined();
      expect(got.used).toBe(false);
      expect(got.text === want.text).toBe(true);
      expect(got.counts).toEqual(want.counts);
    }
  });

  it("leaves no file of the part behind", async () => {
    const temp = mkdtempSync(path.join(dir, "t-"));
    let met: number | undefined;
    const got = await jsonlOf(file, { cuts: [starts[2000]!, starts[2001]!, starts[2002]!, starts[2003]!], onMeet: (m) => (met = m) }, temp);
    expect(met).toBeDefined();
    expect(got.used).toBe(true);
    expect(got.text === (await jsonlOf(file)).text).toBe(true);
    expect(readdirSync(temp)).toEqual([]);
  });

  it("reads in one thread when the part's file cannot be made", async () => {
    const got = await jsonlOf(file, { cuts: [starts[2000]!, starts[2001]!] }, path.join(dir, "no", "such", "folder"));
    expect(got.used).toBeUndefined();
    expect(got.text === (await jsonlOf(file)).text).toBe(true);
  });

  it("writes through the CLI with its second thread what one thread writes, to stdout and to -o", () => {
    const out = sameWithJobs(["parse", file]);
    expect(out.split("\n").length).toBeGreaterThan(3000);
    for (const jobs of ["1", "2"]) {
      const o = path.join(dir, `out${jobs}`, "x.jsonl");
      rmSync(path.dirname(o), { recursive: true, force: true });
      mkdirSync(path.dirname(o));
      require0(runWithJobs(jobs, ["parse", file, "-q", "-o", o]));
      expect(readFileSync(o, "utf8")).toBe(out);
      expect(readdirSync(path.dirname(o))).toEqual(["x.jsonl"]);
    }
  });
  it("leaves no folder behind when the reader of its output goes away (`| head`)", () => {
    const tmp = path.join(dir, "tmp-head");
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp);
    for (const cmd of ["parse -j 2", "seq --by process -j 2"]) {
      const r = spawnSync("bash", ["-c", `node "$CLI" ${cmd} "$FILE" | head -c 100 >/dev/null; echo "\${PIPESTATUS[0]}"`], {
        encoding: "utf8",
        env: { ...process.env, CLI, FILE: file, TMPDIR: tmp, STRACE_SEQ_SPLIT_BYTES: "1" },
      });
      // (the CLI exits 0 on a closed pipe, having made the part's folder first)
      expect(r.stdout.trim(), r.stderr).toBe("0");
      expect(readdirSync(tmp), cmd).toEqual([]);
    }
  });
});

function require0(r: { status: number | null; stderr: string }): void {
  expect(r.status, r.stderr).toBe(0);
}
