// The vulnerable service's traces (/work/shared/ids/services, labels.tsv): models trained on
// half the normal traces must score every attack trace above every held-out normal trace.
// strace text goes through the parser API (src/api/node.ts parseFile), so this waits for it.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readTrace, scoreTrace, type Trace } from "../src/eval/index.js";
import { createModel, type ModelKind } from "../src/detect/index.js";
import { SHARED } from "./helpers/shared.js";

const DIR = process.env.IDS_SERVICES ?? SHARED + "/ids/services";
const haveData = existsSync(join(DIR, "labels.tsv"));
const haveParser = existsSync(new URL("../src/api/node.ts", import.meta.url));

describe.skipIf(!haveData || !haveParser)("vulnerable service traces (needs src/api/node.ts parseFile)", () => {
  const rows = haveData
    ? readFileSync(join(DIR, "labels.tsv"), "utf8").trim().split("\n").slice(1).map((l) => l.split("\t"))
    : [];
  const normals = rows.filter((r) => r[1] === "normal").map((r) => join(DIR, r[0]!));
  const attacks = rows.filter((r) => r[1] === "attack").map((r) => join(DIR, r[0]!));
  // Alternate files: even positions train, odd positions are held out.
  const trainFiles = normals.filter((_, i) => i % 2 === 0);
  const heldOut = normals.filter((_, i) => i % 2 === 1);
  const load = (files: string[]) => Promise.all(files.map((f) => readTrace(f, { by: "process" })));

  it("has 40 normal and 3 attack traces", () => {
    expect([normals.length, attacks.length]).toEqual([40, 3]);
  });

  it.each<[ModelKind, number]>([
    ["stide", 6],
    ["tstide", 6],
    ["lookahead", 6],
    ["stide", 3],
  ])("%s k=%i ranks every attack above every held-out normal trace", async (kind, k) => {
    const [train, normal, attack]: Trace[][] = await Promise.all([load(trainFiles), load(heldOut), load(attacks)]);
    // Real sequences came out: a service lifetime is a parent and forked children.
    expect(train.every((t) => t.sequences.length >= 2)).toBe(true);
    const model = createModel(kind, k);
    for (const t of train) for (const s of t.sequences) model.add(s);
    const worstNormal = Math.max(...normal.map((t) => scoreTrace(model, t).score));
    const bestAttack = Math.min(...attack.map((t) => scoreTrace(model, t).score));
    expect(bestAttack).toBeGreaterThan(worstNormal);
  }, 30_000);
});
