// LiveScorer: a record stream scored call by call must end, for every process, at the score
// the batch path gives the same process's sequence, and raise the alarm the batch path raises.
// Traces: fixtures/ids (the vulnerable service, made with scripts/ids-traces.mjs).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseFile } from "../src/api/node.js";
import { LiveScorer, createModel, type ProcessScore } from "../src/detect/index.js";
import { fileSequences, readTrace, trainCalibrated } from "../src/eval/index.js";
import { PathClassLearner } from "../src/seq/args.js";
import type { TraceOptions } from "../src/eval/sources.js";

const DIR = new URL("../fixtures/ids/", import.meta.url).pathname;
const rows = readFileSync(join(DIR, "labels.tsv"), "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((l) => l.split("\t"));
const normals = rows.filter((r) => r[1] === "normal").map((r) => join(DIR, r[0]!));
const attacks = rows.filter((r) => r[1] === "attack").map((r) => join(DIR, r[0]!));

describe("LiveScorer", () => {
  it.each(["ngram", "ensemble", "stide", "tstide", "lookahead", "markov"])(
    "%s: per-process running scores end at the batch scores",
    async (kind) => {
      const learner = new PathClassLearner(3);
      for (const f of normals) for await (const _ of fileSequences(f, { symbol: "args", learnPaths: learner })) void _;
      const opts: TraceOptions = { symbol: "args", by: "process", pathClasses: learner.classes() };
      const model = createModel(kind as "ngram", 6);
      model.meta = { symbol: "args", by: "process", splitExec: false, pathClasses: opts.pathClasses };
      await trainCalibrated(
        model,
        async function* () {
          for (const f of normals) yield await readTrace(f, opts);
        },
        { folds: 2 },
      );
      for (const file of [...normals, ...attacks]) {
        const live = new LiveScorer(model);
        const final = new Map<string, ProcessScore>();
        let alarmed = false;
        for await (const rec of parseFile(file)) {
          const u = live.push(rec);
          if (u) {
            final.set(u.key, u);
            alarmed ||= u.alarm;
          }
        }
        const batch = [];
        for await (const s of fileSequences(file, opts)) batch.push(s);
        expect([...final.keys()].sort()).toEqual(batch.map((s) => s.key).sort());
        for (const s of batch) {
          const r = model.score(s.symbols).score;
          // every prefix is scored as score() scores it (src/detect/running.ts), so the end is the batch score
          expect({ file, key: s.key, score: final.get(s.key)!.score }).toEqual({ file, key: s.key, score: r });
          expect(final.get(s.key)!.alarm).toBe(r > model.threshold!);
        }
        expect(live.open).toBe(0); // every process exited and was forgotten
        // an alarm raised on the way counts: a process can alarm before it ends
        if (batch.some((s) => model.score(s.symbols).score > model.threshold!)) expect(alarmed).toBe(true);
      }
    },
    60_000,
  );
});
