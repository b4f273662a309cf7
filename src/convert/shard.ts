// `convert --shard I/N`: a deterministic 1/N of the inputs, so N runs on any scheduler (GNU
// parallel, a Slurm array, a Kubernetes indexed Job) together write exactly what one run writes.
// An input belongs to shard FNV-1a(its path relative to its root argument) mod N: the same on
// every machine, independent of the order or number of inputs, and of where the corpus is mounted.

import { InvalidArgumentError } from "commander";

export interface Shard {
  index: number;
  count: number;
}

/** `I/N` with 0 <= I < N; a bad value is a usage error naming the form. */
export function parseShard(v: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(v.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || !(count >= 1) || !(index < count) || !Number.isSafeInteger(count)) {
    throw new InvalidArgumentError(`expected I/N with 0 <= I < N (e.g. 0/3), got ${JSON.stringify(v)}`);
  }
  return { index, count };
}

/** 32-bit FNV-1a of the UTF-8 bytes of a relative path, with `/` as the separator on every OS. */
export function shardHash(rel: string): number {
  const bytes = new TextEncoder().encode(rel.split("\\").join("/"));
  let h = 0x811c9dc5;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Whether the input with this relative path is this shard's. */
export function inShard(rel: string, shard: Shard): boolean {
  return shardHash(rel) % shard.count === shard.index;
}
