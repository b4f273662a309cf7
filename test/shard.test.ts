// `convert --shard I/N`: the shards of a corpus, run apart into one directory, write exactly what
// one unsharded run writes, file for file.

import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inShard, parseShard, shardHash } from "../src/convert/shard.js";

const CLI = new URL("../dist/cli/main.js", import.meta.url).pathname;
const FIXTURES = new URL("../fixtures", import.meta.url).pathname;
const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });

/** Relative path -> contents of every file under dir. */
function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(dir, p), readFileSync(p, "latin1"));
    }
  };
  walk(dir);
  return out;
}

describe("convert --shard", () => {
  it("hashes with 32-bit FNV-1a (the published test vectors)", () => {
    expect(shardHash("")).toBe(0x811c9dc5);
    expect(shardHash("a")).toBe(0xe40c292c);
    expect(shardHash("foobar")).toBe(0xbf9cf968);
  });

  it("parses I/N and refuses what is not a shard", () => {
    expect(parseShard("2/3")).toEqual({ index: 2, count: 3 });
    for (const bad of ["3/3", "1/0", "-1/2", "1", "a/b", "1/2/3"]) expect(() => parseShard(bad)).toThrow(/I\/N/);
    const r = run(["convert", "--shard", "3/3", FIXTURES, "-o", mkdtempSync(path.join(tmpdir(), "shard-"))]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--shard.*3\/3/);
  });

  it("three shards into one directory equal one run, file for file, each input in one shard", () => {
    const root = mkdtempSync(path.join(tmpdir(), "shard-"));
    const whole = path.join(root, "whole");
    const sharded = path.join(root, "sharded");
    expect(run(["convert", "-q", "--jobs", "1", FIXTURES, "-o", whole]).status).toBe(0);
    const sizes: number[] = [];
    for (let i = 0; i < 3; i++) {
      const before = i === 0 ? 0 : tree(sharded).size;
      const r = run(["convert", "-q", "--jobs", "1", "--shard", `${i}/3`, FIXTURES, "-o", sharded]);
      expect(r.status).toBe(0);
      sizes.push(tree(sharded).size - before);
    }
    const a = tree(whole);
    const b = tree(sharded);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [k, v] of a) expect(b.get(k), k).toBe(v);
    // the fixtures spread over all three shards, and they add up to the whole
    expect(sizes.every((n) => n > 0)).toBe(true);
    expect(sizes.reduce((x, y) => x + y, 0)).toBe(a.size);
    // Parquet too: the files are byte for byte those of one run
    const pWhole = path.join(root, "pwhole");
    const pSharded = path.join(root, "psharded");
    expect(run(["convert", "-q", "--jobs", "2", "--format", "parquet", FIXTURES, "-o", pWhole]).status).toBe(0);
    for (let i = 0; i < 2; i++)
      expect(run(["convert", "-q", "--jobs", "2", "--format", "parquet", "--shard", `${i}/2`, FIXTURES, "-o", pSharded]).status).toBe(0);
    const pa = tree(pWhole);
    expect(tree(pSharded)).toEqual(pa);
    expect([...pa.keys()].every((k) => k.endsWith(".parquet"))).toBe(true);
    // one file's shard follows from its relative path alone
    expect(inShard("overflow1.strace", { index: shardHash("overflow1.strace") % 3, count: 3 })).toBe(true);
  });
});
