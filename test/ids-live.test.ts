// The vulnerable service built and driven live (scripts/ids-traces.mjs: gcc, strace -f -o,
// its Python client, loopback only): fresh normal sessions train an argument-aware model
// through the CLI; other fresh normal sessions must not alarm at its stored threshold, and
// every attack (path traversal to /etc/passwd and /proc/self/environ, command injection,
// stack smash) must. .ci/run installs gcc and strace.
import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error plain JS script shared with the fixture maker
import { SESSIONS, TRAINING_SESSIONS, recordAll } from "../scripts/ids-traces.mjs";
import { runDetectCli, scoreFiles } from "./helpers/detect-cli.js";

const have = (cmd: string) => spawnSync(cmd, ["--version"]).status === 0;
const tools = have("gcc") && have("strace") && have("python3");

type Session = [string, "normal" | "attack", string, string[]];

describe.skipIf(!tools)("vulnerable service, traced live", () => {
  let dir: string;
  const train = () => (TRAINING_SESSIONS as Session[]).map(([name]) => join(dir, "train", `${name}.strace`));
  const test = () => (SESSIONS as Session[]).map(([name, label]) => ({ file: join(dir, "test", `${name}.strace`), attack: label === "attack" }));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "strace-seq-live-"));
    await recordAll(join(dir, "train"), TRAINING_SESSIONS);
    await recordAll(join(dir, "test"), SESSIONS);
  }, 120_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("an argument-aware n-gram model alarms on every attack and no normal session", async () => {
    const model = join(dir, "ngram.json");
    await runDetectCli("train", "--model", "ngram", "--symbol", "args", "-o", model, ...train());
    const scored = await scoreFiles(
      model,
      test().map((t) => t.file),
    );
    for (const t of test()) expect({ file: t.file, alarm: scored.get(t.file.split("/").pop()!)!.alarm }).toEqual({ file: t.file, alarm: t.attack });
  }, 60_000);

  it("eval reports full detection and no false alarms at the stored threshold", async () => {
    const normal = test()
      .filter((t) => !t.attack)
      .map((t) => t.file);
    const attack = test()
      .filter((t) => t.attack)
      .map((t) => t.file);
    const [out] = await runDetectCli(
      "eval",
      "--model",
      "ensemble",
      "--symbol",
      "args",
      "--train",
      ...train(),
      "--normal",
      ...normal,
      "--attack",
      ...attack,
      "--json",
    );
    const r = JSON.parse(out!);
    expect(r).toMatchObject({ model: "ensemble", normal: normal.length, attack: attack.length, auc: 1 });
    expect(r.detectionAtThreshold).toBe(1);
    expect(r.falseAlarmAtThreshold).toBe(0);
  }, 60_000);
});
