// The ADFA-LD table: the official split (train on Training_Data_Master, normal =
// Validation_Data_Master, attack = all Attack_Data_Master traces), stide and t-stide for
// k = 2..10, lookahead pairs, the Markov chain, the Kneser-Ney n-gram model, call-set nearest
// neighbour, the new-symbol detector and the ensemble at k = 6. Every model's alarm threshold
// is calibrated by 5-fold cross-validation on the training traces for 1% false alarms, and the
// table shows the rates that threshold gives on the test traces. Prints a Markdown table.
//
//   node dist/cli/eval-adfa.js [ADFA_LD_DIR] [--json]
//
// The dataset is read once into memory (2.7M calls) and every model reuses it.

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { evaluate, type EvaluationResult } from "../eval/evaluate.js";
import { listFiles } from "../eval/sources.js";
import { parseAdfa } from "../io/adfa.js";
import { createModel, type ModelKind } from "../detect/index.js";

// ../shared beside the project root (src/cli or dist/cli → two levels up)
export const DEFAULT_ADFA = new URL("../../../shared/ids/ADFA-LD", import.meta.url).pathname;

export interface AdfaSplit {
  train: string[][];
  normal: string[][];
  attack: string[][];
}

export async function loadAdfa(root: string): Promise<AdfaSplit> {
  const load = async (dir: string) => Promise.all((await listFiles([join(root, dir)])).map(async (f) => parseAdfa(await readFile(f, "utf8"), f).map(String)));
  const [train, normal, attack] = await Promise.all([load("Training_Data_Master"), load("Validation_Data_Master"), load("Attack_Data_Master")]);
  return { train, normal, attack };
}

export const ADFA_RUNS: ReadonlyArray<[ModelKind, number]> = [
  ...[2, 3, 4, 5, 6, 7, 8, 9, 10].map((k) => ["stide", k] as [ModelKind, number]),
  ...[2, 3, 4, 5, 6, 7, 8, 9, 10].map((k) => ["tstide", k] as [ModelKind, number]),
  ["lookahead", 6],
  ["markov", 6],
  ["ngram", 6],
  ["setnn", 6],
  ["newsym", 6],
  ["ensemble", 6],
];

export interface AdfaRow extends Omit<EvaluationResult, "scores"> {
  /** Distinct windows (pairs, transitions) the model learned. */
  size: number;
  seconds: number;
}

export async function runAdfa(split: AdfaSplit, runs = ADFA_RUNS, log?: (row: AdfaRow) => void): Promise<AdfaRow[]> {
  const rows: AdfaRow[] = [];
  for (const [kind, k] of runs) {
    const t0 = performance.now();
    const model = createModel(kind, k);
    const { scores, ...r } = await evaluate({ model, train: split.train, normal: split.normal, attack: split.attack });
    void scores;
    const m = model as unknown as { size?: number; transitions?: Map<string, number>; members?: { size?: number }[] };
    const row: AdfaRow = {
      ...r,
      size: m.size ?? m.transitions?.size ?? m.members?.reduce((n, x) => n + (x.size ?? 0), 0) ?? 0,
      seconds: (performance.now() - t0) / 1000,
    };
    rows.push(row);
    log?.(row);
  }
  return rows;
}

const f3 = (x: number) => x.toFixed(3);

export function markdownTable(rows: readonly AdfaRow[]): string[] {
  return [
    "| model | k | size | ROC AUC | DR at 1% FA | DR at 5% FA | DR at 10% FA | FA at 90% DR | DR / FA at stored threshold |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rows.map(
      (r) =>
        `| ${r.model} | ${r.k} | ${r.size.toLocaleString("en-US")} | ${r.auc.toFixed(4)} | ${f3(r.detectionAt1)} | ${f3(r.detectionAt5)} | ${f3(r.detectionAt10)} | ${f3(r.falseAlarmAt90)} | ${r.detectionAtThreshold === undefined ? "" : `${f3(r.detectionAtThreshold)} / ${f3(r.falseAlarmAtThreshold!)}`} |`,
    ),
  ];
}

export async function main(argv: string[]): Promise<void> {
  const json = argv.includes("--json");
  const root = argv.find((a) => !a.startsWith("--")) ?? process.env.ADFA_LD ?? DEFAULT_ADFA;
  const split = await loadAdfa(root);
  const calls = [split.train, split.normal, split.attack].flat().reduce((n, t) => n + t.length, 0);
  process.stderr.write(`ADFA-LD ${root}: ${split.train.length} train, ${split.normal.length} normal, ${split.attack.length} attack, ${calls} calls\n`);
  const rows = await runAdfa(split, ADFA_RUNS, (r) => process.stderr.write(`  ${r.model} k=${r.k}: AUC ${r.auc.toFixed(4)} (${r.seconds.toFixed(1)} s)\n`));
  if (json) process.stdout.write(JSON.stringify(rows) + "\n");
  else process.stdout.write(markdownTable(rows).join("\n") + "\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`eval-adfa: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
