// mapBounded (src/io/bounded.ts): the file-system requests over long lists (a `-ff` folder's
// members, a list of traces) keep a bound on what is in flight, give results in the items' order
// and fail as Promise.all fails.

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { mapBounded } from "../src/io/bounded.js";
import { ffFolderMembers } from "../src/convert/plan.js";

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("mapBounded", () => {
  it("keeps the items' order and never more than `limit` calls in flight", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(3), { maxLength: 60 }), fc.integer({ min: 1, max: 8 }), async (delays, limit) => {
        let inFlight = 0;
        let most = 0;
        const out = await mapBounded(
          delays,
          async (d, i) => {
            most = Math.max(most, ++inFlight);
            await tick(d);
            inFlight--;
            return i * 10 + d;
          },
          limit,
        );
        expect(out).toEqual(delays.map((d, i) => i * 10 + d));
        expect(most).toBeLessThanOrEqual(limit);
        if (delays.length >= limit) expect(most).toBe(limit);
      }),
      { numRuns: 30 },
    );
  });

  it("rejects with the first failure and starts nothing after it", async () => {
    const items = Array.from({ length: 100 }, (_, i) => i);
    let started = 0;
    await expect(
      mapBounded(
        items,
        async (i) => {
          started++;
          await tick(0);
          if (i === 57) throw new Error("item 57");
          return i;
        },
        4,
      ),
    ).rejects.toThrow("item 57");
    const atFailure = started;
    await tick(20);
    expect(started).toBe(atFailure);
    expect(started).toBeLessThan(100);
  });

  it("reads a -ff folder of thousands of members in pid order", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "strace-seq-bounded-"));
    try {
      const pids = Array.from({ length: 3000 }, (_, i) => (i * 7919) % 3001);
      for (const pid of pids) writeFileSync(path.join(dir, `run.${pid}`), "x".repeat(pid % 5));
      const members = await ffFolderMembers(
        dir,
        pids.map((p) => `run.${p}`),
      );
      expect(members.map((m) => m.pid)).toEqual([...pids].sort((a, b) => a - b));
      expect(members.every((m) => m.size === m.pid! % 5)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
