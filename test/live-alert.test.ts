// The acceptance case for live alerts: the vulnerable service (../shared/ids/services/src) built
// with gcc, run under `strace-seq trace` and driven by its own client over loopback. A model
// trained on normal lifetimes traced live raises an alert on an attack while the service is
// still running (it waits for a second connection, which the test sends only afterwards),
// and stays quiet on a normal lifetime.

import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { once } from "node:events";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TraceRecord } from "../src/model/record.js";
import type { AlertRecord } from "../src/live/alerts.js";
import { SHARED } from "./helpers/shared.js";

const CLI = new URL("../dist/cli/main.js", import.meta.url).pathname;
const SERVICES = SHARED + "/ids/services";
const ok = (cmd: string, args: string[]) => spawnSync(cmd, args).status === 0;
const canRun = existsSync(path.join(SERVICES, "src/vulnsvc.c")) && ok("strace", ["-V"]) && ok("gcc", ["--version"]) && ok("python3", ["--version"]);

type LiveLine = TraceRecord | AlertRecord;

function lines(file: string): LiveLine[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as LiveLine);
}

/** labels.tsv writes each request with its spaces escaped, requests separated by spaces. */
function requestsOf(field: string): string[] {
  return field
    .trim()
    .split(/(?<!\\) /)
    .map((r) => r.replace(/\\(.)/g, "$1"));
}

async function until(ok: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(!canRun)("live alerts on the vulnerable service", () => {
  let dir = "";
  let nextPort = 20000 + Math.floor(Math.random() * 30000);

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "live-alert-"));
    const cc = spawnSync(
      "gcc",
      ["-O0", "-fstack-protector-all", "-U_FORTIFY_SOURCE", "-fno-builtin", "-w", "-o", path.join(dir, "vulnsvc"), path.join(SERVICES, "src/vulnsvc.c")],
      { encoding: "utf8" },
    );
    expect(cc.status, cc.stderr).toBe(0);
    mkdirSync(path.join(dir, "www/docs"), { recursive: true });
    writeFileSync(path.join(dir, "www/index.html"), "<h1>index</h1>\n");
    writeFileSync(path.join(dir, "www/about.txt"), "about\n");
    writeFileSync(path.join(dir, "www/docs/guide.txt"), "guide\n");
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function client(port: number, requests: string[]): Promise<void> {
    const c = spawn("python3", [path.join(SERVICES, "src/ids_client.py"), String(port), ...requests], { stdio: "ignore" });
    await once(c, "exit");
  }

  /** One service lifetime of two connections under `strace-seq trace`; `between` runs after the
   *  first connection, while the service still waits for the second. */
  async function lifetime(
    name: string,
    first: string[],
    traceArgs: string[],
    between?: (out: string) => Promise<void>,
  ): Promise<{ out: string; raw: string; status: number | null }> {
    const port = nextPort++;
    const out = path.join(dir, `${name}.jsonl`);
    const raw = path.join(dir, `${name}.strace`);
    const svc = spawn("node", [CLI, "trace", "-q", "-o", out, "--raw", raw, ...traceArgs, "--", "./vulnsvc", String(port), "2", "www"], {
      cwd: dir,
      stdio: ["ignore", "ignore", "inherit"],
    });
    const exited = once(svc, "exit");
    await client(port, first);
    if (between) await between(out);
    expect(svc.exitCode).toBeNull();
    await client(port, ["QUIT"]);
    const [status] = (await exited) as [number | null];
    return { out, raw, status };
  }

  it("trained on normal lifetimes, alerts on a stack smash and a command injection while the service runs", async () => {
    const labels = readFileSync(path.join(SERVICES, "labels.tsv"), "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => l.split("\t"));
    const normal = labels.filter((r) => r[1] === "normal").map((r) => requestsOf(r[3]!));
    // training: the first eight normal request lists of labels.tsv, traced live, a few at once
    const training = normal.slice(0, 8);
    const raws: string[] = [];
    for (let i = 0; i < training.length; i += 4) {
      const runs = await Promise.all(training.slice(i, i + 4).map((reqs, j) => lifetime(`normal-${i + j}`, reqs, [])));
      for (const r of runs) {
        expect(r.status).toBe(0);
        raws.push(r.raw);
      }
    }
    const model = path.join(dir, "model.json");
    const train = spawnSync("node", [CLI, "train", "--model", "stide", "-w", "6", "-o", model, ...raws], { encoding: "utf8" });
    expect(train.status, train.stderr).toBe(0);

    // a normal lifetime (a request list seen in training) raises nothing
    const quiet = await lifetime("normal-again", training[3]!, ["--model", model]);
    expect(quiet.status).toBe(0);
    expect(lines(quiet.out).filter((r) => r.type === "alert")).toEqual([]);

    // stack smash: ECHO overflows a 32-byte buffer; the handler child aborts
    const smash = await lifetime("smash", ["ECHO " + "A".repeat(58), "QUIT"], ["--model", model], async (out) => {
      await until(() => lines(out).some((r) => r.type === "alert"), "an alert for the smash");
    });
    const smashed = lines(smash.out);
    const aborted = smashed.find((r) => r.type === "exit" && r.how === "killed" && r.signal === "SIGABRT");
    expect(aborted).toBeDefined();
    const smashAlert = smashed.find((r): r is AlertRecord => r.type === "alert" && r.pid === aborted!.pid)!;
    expect(smashAlert, JSON.stringify(smashAlert)).toMatchObject({ model: "stide", k: 6, exe: "./vulnsvc" });
    expect(smashAlert.score).toBeGreaterThanOrEqual(smashAlert.threshold);
    expect(smashAlert.window).toHaveLength(6);
    // written before the service's own exit, which came only after the second connection
    const serviceExit = smashed.findIndex((r) => r.type === "exit" && r.pid === smashed[0]!.pid);
    expect(smashed.indexOf(smashAlert)).toBeLessThan(serviceExit);

    // command injection: a long request line overflows into the hook run by /bin/sh -c
    const inject = await lifetime("inject", ["HELLO alice", "HELLO x" + "A".repeat(57) + "id; cat /etc/passwd", "QUIT"], ["--model", model], async (out) => {
      await until(() => lines(out).some((r) => r.type === "alert"), "an alert for the injection");
    });
    const injected = lines(inject.out);
    const shAlert = injected.find((r): r is AlertRecord => r.type === "alert" && r.exe === "/bin/sh");
    expect(shAlert).toBeDefined();
    // raised while the shell ran: before its own exit line
    const shExit = injected.findIndex((r) => r.type === "exit" && r.pid === shAlert!.pid);
    expect(shExit).toBeGreaterThan(injected.indexOf(shAlert!));
  }, 120_000);
});
