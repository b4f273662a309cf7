#!/usr/bin/env node
// The JSON Lines `strace-seq parse` writes for every file of a corpus, as one SHA-256 per file:
// the stored expected output that keeps JSONL byte-identical from release to release
// (test/jsonl-digest.test.ts compares the current build with test/expected/corpus-jsonl.sha256).
//
//   node scripts/jsonl-digest.mjs [CORPUS] [--dist DIR] [--engine wasm|ts] > digests
//   node scripts/jsonl-digest.mjs --dump FILE [--dist DIR]     # one file's JSONL, to diff two builds
//
// --dist points at another build (a checkout of the previous release) to produce its digests.

import { createHash } from "node:crypto";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  if (i < 0) return dflt;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const dist = resolve(opt("--dist", "dist"));
const engine = opt("--engine", "wasm");
const dump = opt("--dump", undefined);
const root = args[0] ?? "../shared/corpus";
const lib = await import(pathToFileURL(resolve(dist, "index.js")).href);

/** The file's JSONL, record by record, as parse writes it. */
async function* jsonl(file) {
  for await (const rec of lib.parseFile(file, { engine, argsJson: true })) yield lib.recordJson(rec) + "\n";
}

if (dump) {
  for await (const line of jsonl(dump)) process.stdout.write(line);
} else {
  const files = (await lib.expandInputs([root])).filter((f) => !/\.(md|tsv|truss)$/.test(f)).sort();
  for (const f of files) {
    const h = createHash("sha256");
    for await (const line of jsonl(f)) h.update(line);
    process.stdout.write(`${h.digest("hex")}  ${f.slice(root.length).replace(/^\//, "")}\n`);
  }
}
