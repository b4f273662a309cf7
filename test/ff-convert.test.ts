// `convert` of a `-ff` folder by the core's rows (src/convert/member-lines.ts): each member's JSON
// Lines the fast way, then merged by time, reading each line's time back from its JSON. The bytes
// must be those of the full reading's records merged as before (RecordSource per member, the
// merge over records, JsonlWriter): that oracle is built here from the same modules the old path
// used. Folders: the corpus's, real `strace -ff` runs with each timestamp style, -k, gzip'd
// members, threads; a run crossing midnight; hundreds of members; the diagnostics' cap.

import { describe, expect, it, beforeAll, afterAll } from "vitest";
import fc from "fast-check";
import { spawnSync } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { mergeByTime, RECORD_TIME, type BatchSource } from "../src/convert/merge.js";
import { convertMembers, isDiagnosticLine, lineTime, MemberLines } from "../src/convert/member-lines.js";
import { RecordSource } from "../src/convert/source.js";
import { JsonlWriter } from "../src/io/jsonl.js";
import { pidOf } from "../src/convert/plan.js";
import { SHARED } from "./helpers/shared.js";
import { convertKilledAt } from "./helpers/kill-worker.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CLI = path.join(root, "dist/cli/main.js");
const CORPUS_FF = ["pythreads_ff", "forkexec_ff", "sigs_ff"].map((d) => path.join(SHARED, "corpus/strace-6.1", d));
const hasStrace = spawnSync("strace", ["-V"]).status === 0;

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), "strace-seq-ff-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A folder's member files in pid order (as convert's plan orders them). */
function members(dir: string): string[] {
  return readdirSync(dir)
    .map((name) => ({ name, pid: pidOf(name)! }))
    .sort((a, b) => a.pid - b.pid)
    .map((m) => path.join(dir, m.name));
}

/** The old path: every member's full-reading records, merged over records, at most `maxDiagnostics` diagnostics written. */
async function fullWay(files: string[], maxDiagnostics = Infinity): Promise<Buffer> {
  const sources = files.map((f) => new RecordSource(f, { engine: "wasm", merge: true, tagFile: true, pid: pidOf(f), chunk: 64 << 10, argsJson: true }));
  const w = new JsonlWriter();
  let diagnostics = 0;
  for await (const batch of mergeByTime(sources, RECORD_TIME)) {
    for (const r of batch) if (r.type !== "diagnostic" || diagnostics++ < maxDiagnostics) w.add(r);
  }
  return w.take();
}

/** The rows' way, as convert runs it. */
async function rowsWay(files: string[], engine: "wasm" | "ts" = "wasm", maxDiagnostics = Infinity): Promise<Buffer> {
  const parts: Buffer[] = [];
  let diagnostics = 0;
  await convertMembers(
    files,
    path.join(tmp, ".members.strace-seq-tmp"),
    { engine },
    (line) => !isDiagnosticLine(line) || diagnostics++ < maxDiagnostics,
    (b) => parts.push(Buffer.from(b)),
  );
  return Buffer.concat(parts);
}

function straceFolder(name: string, args: string[], script: string): string {
  const dir = path.join(tmp, name);
  mkdirSync(dir);
  const r = spawnSync("strace", ["-ff", ...args, "-o", path.join(dir, "run"), "sh", "-c", script], { encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return dir;
}

describe("-ff folders by the core's rows", () => {
  it("the corpus's folders come out byte for byte as the full reading merged them, on both engines", async () => {
    for (const dir of CORPUS_FF) {
      const files = members(dir);
      const want = await fullWay(files);
      expect(want.length).toBeGreaterThan(1000);
      expect((await rowsWay(files)).equals(want), dir).toBe(true);
      expect((await rowsWay(files, "ts")).equals(want), dir).toBe(true);
    }
  });

  it.runIf(hasStrace)("real strace -ff runs: -tt -T, -ttt, no timestamps, -k, gzip'd members, threads", async () => {
    const work = "for i in 1 2 3; do ls -la /usr/lib >/dev/null; cat /etc/passwd | wc -l >/dev/null; done";
    const dirs = [
      straceFolder("tt", ["-tt", "-T"], work),
      straceFolder("ttt", ["-ttt"], work),
      straceFolder("plain", [], work),
      straceFolder("k", ["-k", "-tt"], "ls >/dev/null; true"),
      straceFolder(
        "threads",
        ["-tt", "-T"],
        "python3 -c 'import threading, os\nts = [threading.Thread(target=lambda: [os.stat(\"/\") for _ in range(50)]) for _ in range(4)]\n[t.start() for t in ts]; [t.join() for t in ts]'",
      ),
    ];
    const gz = straceFolder("gz", ["-tt"], "ls /usr/bin >/dev/null & ls /usr/lib >/dev/null; wait");
    for (const f of readdirSync(gz)) {
      writeFileSync(path.join(gz, f + ".gz"), gzipSync(readFileSync(path.join(gz, f))));
      rmSync(path.join(gz, f));
    }
    dirs.push(gz);
    for (const dir of dirs) {
      const files = members(dir);
      expect(files.length, dir).toBeGreaterThan(1);
      const want = await fullWay(files);
      expect((await rowsWay(files)).toString(), dir).toBe(want.toString());
    }
  });

  it("a run crossing midnight keeps its order, and the CLI writes the same bytes with no temporary file left", async () => {
    // sigs_ff moved to start 0.05 s before midnight: clock times wrap within a member and between them
    const src = CORPUS_FF[2]!;
    const dir = path.join(tmp, "midnight", "sigs_ff");
    mkdirSync(dir, { recursive: true });
    const first = Math.min(...readdirSync(src).map((f) => clockOf(readFileSync(path.join(src, f), "latin1"))));
    const shift = 86400 - 0.05 - first;
    for (const f of readdirSync(src)) writeFileSync(path.join(dir, f), shiftClock(readFileSync(path.join(src, f), "latin1"), shift), "latin1");
    const files = members(dir);
    const want = await fullWay(files);
    expect((await rowsWay(files)).equals(want)).toBe(true);
    const out = path.join(tmp, "midnight-out");
    const r = spawnSync(process.execPath, [CLI, "convert", path.dirname(dir), "-o", out], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(out)).toEqual(["sigs_ff.jsonl"]);
    expect(readFileSync(path.join(out, "sigs_ff.jsonl")).equals(want)).toBe(true);
  });

  it("a worker killed while it writes the members' lines leaves no temporary file", async () => {
    const dir = path.join(tmp, "killed", "big_ff");
    mkdirSync(dir, { recursive: true });
    const member = readFileSync(path.join(CORPUS_FF[0]!, "pythreads_ff.4107"));
    for (const pid of [100, 101, 102]) writeFileSync(path.join(dir, `big_ff.${pid}`), Buffer.concat(Array.from({ length: 2500 }, () => member)));
    const out = path.join(tmp, "killed-out");
    const temp = path.join(out, ".big_ff.jsonl.members.strace-seq-tmp");
    const { status, stderr } = await convertKilledAt(CLI, [path.dirname(dir), "-o", out, "--jobs", "1"], temp);
    expect(status).toBe(2);
    expect(stderr).toMatch(/cannot convert .*big_ff: its worker process died \(SIGKILL\)/);
    expect(readdirSync(out)).toEqual([]);
  });

  it("hundreds of members (each read a KiB at a time), and the diagnostics' cap counted in merged order", async () => {
    // 300 members cut from the corpus's threads, each with its calls moved by a few microseconds so
    // that they interleave; every tenth ends in a broken line (a diagnostic)
    const lines = readFileSync(path.join(CORPUS_FF[0]!, "pythreads_ff.4107"), "latin1")
      .split("\n")
      .filter((l) => l !== "");
    const dir = path.join(tmp, "many");
    mkdirSync(dir);
    for (let m = 0; m < 300; m++) {
      const body = lines.slice(m % 40, (m % 40) + 30).map((l) => shiftClock(l, m * 1e-6));
      if (m % 10 === 0) body.push('openat(AT_FDCWD, "/etc/', "??? broken");
      writeFileSync(path.join(dir, `many.${2000 + m}`), body.join("\n") + "\n", "latin1");
    }
    const files = members(dir);
    for (const cap of [Infinity, 5]) {
      const want = await fullWay(files, cap);
      const got = await rowsWay(files, "wasm", cap);
      expect(got.toString(), `cap ${cap}`).toBe(want.toString());
      expect(got.toString().match(/\{"type":"diagnostic"/g)?.length).toBe(cap === 5 ? 5 : 60);
    }
  });
});

describe("lineTime reads a record's time from its JSON", () => {
  it("as the record has it, for every record of the corpus's folders", async () => {
    for (const dir of CORPUS_FF) {
      for (const f of members(dir)) {
        const src = new RecordSource(f, { engine: "wasm", merge: true, tagFile: true, pid: pidOf(f), chunk: 64 << 10, argsJson: true });
        for (let b = await src.next(); b !== null; b = await src.next()) {
          for (const r of b) {
            const w = new JsonlWriter();
            w.add(r);
            const json = w.take();
            expect(lineTime(json, 0, json.length)).toEqual({ time: r.time, clock: RECORD_TIME.clock(r) });
          }
        }
      }
    }
  });

  it("is not fooled by the key's text inside a string, and reads -ttt, null and untimed records", () => {
    const j = (o: object) => Buffer.from(JSON.stringify(o) + "\n");
    const tricky = j({ type: "syscall", file: 'a","timestamp":"1:2","time":5', timestamp: "10.5", time: 10.5 });
    expect(lineTime(tricky, 0, tricky.length)).toEqual({ time: 10.5, clock: false });
    const clock = j({ type: "syscall", timestamp: "23:59:59.999999", time: 86399.999999 });
    expect(lineTime(clock, 0, clock.length)).toEqual({ time: 86399.999999, clock: true });
    const inf = j({ type: "syscall", timestamp: "9".repeat(400), time: Infinity });
    expect(lineTime(inf, 0, inf.length)).toEqual({ time: Infinity, clock: false });
    const none = j({ type: "diagnostic", text: '"timestamp":"1' });
    expect(lineTime(none, 0, none.length)).toEqual({ time: undefined, clock: false });
  });
});

describe("MemberLines reads a member's stretch back as lines", () => {
  it("every line, once, in order, whatever the read size and the lines' lengths", () => {
    const line = fc.tuple(fc.nat(400), fc.option(fc.integer({ min: 0, max: 99999 }), { nil: undefined }));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), fc.integer({ min: 1, max: 300 }), fc.nat(50), (spec, chunk, lead) => {
        const text = spec
          .map(
            ([pad, t]) =>
              JSON.stringify(
                t === undefined ? { type: "diagnostic", text: "x".repeat(pad) } : { type: "syscall", timestamp: `${t}.5`, time: t + 0.5, pad: "y".repeat(pad) },
              ) + "\n",
          )
          .join("");
        // the stretch starts `lead` bytes into the file, after another member's
        const file = path.join(tmp, "member-lines.jsonl");
        writeFileSync(file, "z".repeat(lead) + text);
        const fd = openSync(file, "r");
        try {
          const src = new MemberLines(fd, lead, lead + Buffer.byteLength(text), chunk);
          const got: string[] = [];
          const times: (number | undefined)[] = [];
          for (let b = src.read(); b !== null; b = src.read()) {
            for (const l of b) {
              got.push(l.chunk.toString("utf8", l.start, l.end));
              times.push(l.time);
            }
          }
          expect(got.join("")).toBe(text);
          expect(got.length).toBe(spec.length);
          expect(times).toEqual(spec.map(([, t]) => (t === undefined ? undefined : t + 0.5)));
        } finally {
          closeSync(fd);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("mergeByTime", () => {
  /** Items with a time or none, in files; the merge's keys are each file's own (an untimed item
   *  takes its file's previous key), so the merge must equal taking, one item at a time, the file
   *  whose next key is least, the earliest file on a tie. */
  it("equals picking the least (key, file) one item at a time, for files of any sizes and keys", async () => {
    const item = fc.record({ time: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }), batch: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(item, { maxLength: 30 }), { maxLength: 12 }), fc.boolean(), async (files, reuse) => {
        const tagged = files.map((f, fi) => f.map((x, i) => ({ ...x, file: fi, at: i })));
        // the reference
        const keyed = tagged.map((f) => {
          let key = -Infinity;
          return f.map((x) => (key = x.time ?? key));
        });
        const at = tagged.map(() => 0);
        const want: string[] = [];
        for (;;) {
          let best = -1;
          for (let fi = 0; fi < tagged.length; fi++) {
            if (at[fi]! >= tagged[fi]!.length) continue;
            if (best < 0 || keyed[fi]![at[fi]!]! < keyed[best]![at[best]!]!) best = fi;
          }
          if (best < 0) break;
          want.push(`${best}:${at[best]!++}`);
        }
        // the merge, with the files cut into batches where `batch` says
        const sources: BatchSource<(typeof tagged)[number][number]>[] = tagged.map((f) => {
          const batches: (typeof f)[] = [[]];
          for (const x of f) {
            batches[batches.length - 1]!.push(x);
            if (x.batch) batches.push([]);
          }
          let i = 0;
          if (!reuse) return { next: () => Promise.resolve(i < batches.length ? batches[i++]! : null) };
          // a source that overwrites its one array and its items at every next() (as MemberLines
          // does): the merge must hand out what it holds before it asks
          const out: (typeof f)[number][] = [];
          return {
            reusesBatches: true,
            next: () => {
              if (i >= batches.length) return Promise.resolve(null);
              const b = batches[i++]!;
              for (let k = 0; k < b.length; k++) out[k] = Object.assign(out[k] ?? { time: undefined, batch: false, file: 0, at: 0 }, b[k]);
              out.length = b.length;
              return Promise.resolve(out);
            },
          };
        });
        const got: string[] = [];
        for await (const b of mergeByTime(sources, { time: (x) => x.time, clock: () => false })) for (const x of b) got.push(`${x.file}:${x.at}`);
        expect(got).toEqual(want);
      }),
      { numRuns: 400 },
    );
  });
});

/** Seconds since midnight of the first -tt timestamp in a member's text. */
function clockOf(text: string): number {
  const m = /(\d\d):(\d\d):(\d\d\.\d+)/.exec(text)!;
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

/** Every `HH:MM:SS.ffffff` moved by `by` seconds, around the clock. */
function shiftClock(text: string, by: number): string {
  return text.replace(/\b(\d\d):(\d\d):(\d\d)\.(\d{6})\b/g, (_, h: string, m: string, s: string, f: string) => {
    const micros = Math.round(((Number(h) * 3600 + Number(m) * 60 + Number(s) + Number(f) / 1e6 + by) % 86400) * 1e6);
    const secs = Math.floor(micros / 1e6);
    const p = (n: number) => String(n).padStart(2, "0");
    return `${p(Math.floor(secs / 3600))}:${p(Math.floor(secs / 60) % 60)}:${p(secs % 60)}.${String(micros % 1e6).padStart(6, "0")}`;
  });
}
