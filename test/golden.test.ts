// Golden cases: strace lines with the records they must give, written by hand from strace's
// documented output (strace(1), the expected-output files of strace's test suite), not from this
// parser. Every case runs on both engines; the engine-equality tests cannot catch a line both
// engines read wrongly in the same way, these can. Format and matching rule: test/cases/README.md.

import { beforeAll, describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { createEngine, parse, type EngineName } from "../src/api/core.js";
import { LineKind, NodeKind } from "../src/core/abi.js";
import { TsEngine } from "../src/engine/ts-engine.js";
import type { CoreEngine } from "../src/engine/core-engine.js";
import { DIAGNOSTIC_CODES } from "../src/model/diagnostics.js";
import { loadCases, type GoldenCase } from "./helpers/golden-cases.js";
import { diffRecords } from "./helpers/golden-match.js";
import { constEnumMembers, scanKinds } from "./helpers/scan-kinds.js";

const CASES = loadCases(fileURLToPath(new URL("./cases/", import.meta.url)));
const ABI = new URL("../src/core/abi.ts", import.meta.url);
const ENGINES: EngineName[] = ["wasm", "ts"];

/** Cases the parser gets wrong today, by id (`file.txt: name`), with the bug. The test fails when
 *  one of them starts passing, so the entry is removed when the bug is fixed. */
const KNOWN_FAILURES: Record<string, string> = {};

async function recordsOf(c: GoldenCase, engine: EngineName): Promise<object[]> {
  const o = c.options;
  const trace = await parse(c.input, { engine, merge: o.merge, maxPending: o.maxPending, maxHeld: o.maxHeld, arch: o.arch, pid: o.pid });
  // compared as the JSON the CLI writes
  return trace.records.map((r) => JSON.parse(JSON.stringify(r)) as object);
}

describe("golden cases", () => {
  it("are found and well formed", () => {
    expect(CASES.length).toBeGreaterThan(50);
    for (const id of Object.keys(KNOWN_FAILURES))
      expect(
        CASES.map((c) => c.id),
        `KNOWN_FAILURES names a missing case`,
      ).toContain(id);
  });

  for (const engine of ENGINES) {
    describe(`${engine} engine`, () => {
      for (const c of CASES) {
        it(c.id, async () => {
          const diff = diffRecords(c.expected, await recordsOf(c, engine));
          const known = KNOWN_FAILURES[c.id];
          if (known !== undefined) {
            expect(diff.length, `${c.id} is listed in KNOWN_FAILURES (${known}) but now passes: remove it from the list`).toBeGreaterThan(0);
            return;
          }
          expect(diff.length === 0 ? "" : `${c.file}:${c.headerLine} ${c.name}\n${diff.join("\n")}`).toBe("");
        });
      }
    });
  }
});

describe("golden case coverage", () => {
  const lineKinds = constEnumMembers(ABI, "LineKind");
  const nodeKinds = constEnumMembers(ABI, "NodeKind");
  let engines: CoreEngine[];

  beforeAll(async () => {
    engines = [(await createEngine("wasm")) as CoreEngine, new TsEngine()];
  });

  it("reads the enums from abi.ts", () => {
    // the text parse agrees with the compiled enum at both ends
    expect(lineKinds.get(LineKind.Blank)).toBe("Blank");
    expect(lineKinds.get(LineKind.Foreign)).toBe("Foreign");
    expect(lineKinds.size).toBe(LineKind.Foreign + 1);
    expect(nodeKinds.get(NodeKind.Pid)).toBe("Pid");
    expect(nodeKinds.get(NodeKind.Float)).toBe("Float");
    expect(nodeKinds.get(NodeKind.Lead)).toBe("Lead");
    expect(nodeKinds.get(NodeKind.Int)).toBe("Int");
  });

  for (let e = 0; e < ENGINES.length; e++) {
    it(`covers every LineKind and NodeKind on the ${ENGINES[e]} engine`, () => {
      const engine = engines[e]!;
      expect(engine.name).toBe(ENGINES[e]);
      const seenLines = new Set<number>();
      const seenNodes = new Set<number>();
      for (const c of CASES) {
        scanKinds(engine, new TextEncoder().encode(c.input), seenLines, seenNodes);
        scanKinds(engine, new TextEncoder().encode(c.input), seenLines, seenNodes, true);
      }
      const missingLines = [...lineKinds].filter(([v]) => !seenLines.has(v)).map(([, n]) => n);
      const missingNodes = [...nodeKinds].filter(([v]) => !seenNodes.has(v)).map(([, n]) => n);
      expect({ missingLines, missingNodes }, "kinds no golden case produces").toEqual({ missingLines: [], missingNodes: [] });
    });

    it(`covers every diagnostic code on the ${ENGINES[e]} engine`, async () => {
      const seen = new Set<string>();
      for (const c of CASES)
        for (const r of await recordsOf(c, ENGINES[e]!)) if ((r as { type: string }).type === "diagnostic") seen.add((r as { code: string }).code);
      const missing = Object.keys(DIAGNOSTIC_CODES).filter((code) => !seen.has(code));
      expect(missing, "diagnostic codes no golden case produces").toEqual([]);
    });
  }
});
