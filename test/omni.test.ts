// `parse --format omni`: the seed's JSON shape `[{"syscall", "args", "return", "pid"}]` (plus
// `errno` on failures), with arguments as structured JSON rather than repr strings.

import { beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "../src/api/core.js";
import { toOmni, type OmniCall, type Plain } from "../src/model/omni.js";
import { SHARED } from "./helpers/shared.js";

const SEED = SHARED + "/corpus/seed/overflow1.strace";
const CLI = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));

function runOmni(file: string): { calls: OmniCall[]; stdout: string } {
  expect(existsSync(CLI), "dist/cli/main.js (run `npm run build`)").toBe(true);
  const r = spawnSync(process.execPath, [CLI, "parse", "--format", "omni", file], { encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return { calls: JSON.parse(r.stdout) as OmniCall[], stdout: r.stdout };
}

/** A string that is really a repr of a container (what the seed printed and omni must not). */
const looksLikeRepr = (v: Plain): boolean => typeof v === "string" && /^[{[].*[}\]]$/.test(v);

function walkPlain(v: Plain, visit: (v: Plain) => void): void {
  visit(v);
  if (Array.isArray(v)) v.forEach((x) => walkPlain(x, visit));
  else if (v && typeof v === "object") Object.values(v).forEach((x) => walkPlain(x, visit));
}

describe("parse --format omni on the seed (overflow1.strace)", () => {
  // The CLI runs once, in a hook: at collection time a failure would not be reported as a test's.
  let calls: OmniCall[] = [];
  let stdout = "";
  beforeAll(() => {
    ({ calls, stdout } = runOmni(SEED));
  });

  it("prints one JSON array of the 33 syscall records, in order", () => {
    expect(stdout.trimStart().startsWith("[")).toBe(true);
    expect(Array.isArray(calls)).toBe(true);
    expect(calls).toHaveLength(33);
    expect(calls[0]!.syscall).toBe("execve");
    expect(calls.map((c) => c.syscall)).toContain("writev");
  });

  it("every entry has the seed's keys (errno only on failures)", () => {
    for (const c of calls) {
      expect(
        Object.keys(c)
          .filter((k) => k !== "errno")
          .sort(),
      ).toEqual(["args", "pid", "return", "syscall"]);
      expect(typeof c.syscall).toBe("string");
      expect(Array.isArray(c.args)).toBe(true);
      expect(c.return === null || typeof c.return === "number" || typeof c.return === "string").toBe(true);
      expect(c.pid === null || Number.isInteger(c.pid)).toBe(true);
      if ("errno" in c) {
        expect(c.errno).toMatch(/^E[A-Z0-9]+$/);
        expect(c.return).toBe(-1);
      }
    }
    expect(calls.find((c) => c.syscall === "access")).toMatchObject({ args: ["/etc/", "R_OK"], return: -1, errno: "ENOENT" });
  });

  it("arguments are structured JSON, not repr strings", () => {
    for (const c of calls) for (const a of c.args) walkPlain(a, (v) => expect(looksLikeRepr(v), `${c.syscall}: ${JSON.stringify(v)}`).toBe(false));
    const execve = calls[0]!;
    expect(execve.args[0]).toBe("./overflow1");
    expect(execve.args[1]).toEqual(["./overflow1"]);
    const openat = calls.find((c) => c.syscall === "openat")!;
    expect(openat.args).toEqual(["AT_FDCWD", "/etc/", ["O_RDONLY", "O_CLOEXEC"]]);
    expect(openat.return).toBe(3);
    const fstat = calls.find((c) => c.syscall === "fstat")!;
    expect(fstat.args[1]).toEqual({ st_mode: ["S_IFREG", 0o644], st_size: 251963 });
  });

  it("writev's iovec array is an array of {iov_base, iov_len} objects", () => {
    const writev = calls.find((c) => c.syscall === "writev")!;
    expect(writev.args[0]).toBe(2);
    const iov = writev.args[1] as { iov_base: string; iov_len: number }[];
    expect(Array.isArray(iov)).toBe(true);
    expect(iov).toHaveLength(5);
    for (const v of iov) {
      expect(Object.keys(v).sort()).toEqual(["iov_base", "iov_len"]);
      expect(typeof v.iov_base).toBe("string");
      expect(v.iov_len).toBe(v.iov_base.length);
    }
    expect(iov.map((v) => v.iov_base).join("")).toBe("*** stack smashing detected ***: <unknown> terminated\n");
    expect(writev.args[2]).toBe(5);
  });

  it("equals toOmni over the library's records (CLI and API agree)", async () => {
    const trace = await parse(readFileSync(SEED), { engine: "ts" });
    const viaApi = trace.records.map(toOmni).filter((o): o is OmniCall => o !== undefined);
    expect(calls).toEqual(JSON.parse(JSON.stringify(viaApi)));
    expect(viaApi).toHaveLength(trace.syscalls.length);
  });
});
