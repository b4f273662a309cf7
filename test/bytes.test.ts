// The core's byte classes (src/core/bytes.ts) are one table lookup each: a table in static data on
// the WASM target (assembly/mem.ts) and a Uint8Array on the TS target (src/core/mem.ts). Both
// tables must say what the C locale's classes say, for every byte value: an identifier byte the
// table got wrong would end a name or a flag early in one engine only.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CharClass, isDigit, isHex, isIdentChar, isIdentStart } from "../src/core/bytes.js";

const code = (ch: string): number => ch.charCodeAt(0);
const between = (c: number, lo: string, hi: string): boolean => c >= code(lo) && c <= code(hi);

/** The class bits of byte c, from the definitions. */
function expected(c: number): number {
  let v = 0;
  if (between(c, "0", "9")) v |= CharClass.DIGIT;
  if (between(c, "A", "Z")) v |= CharClass.UPPER;
  if (between(c, "a", "z")) v |= CharClass.LOWER;
  if (c === code("_")) v |= CharClass.UNDERSCORE;
  if (between(c, "0", "9") || between(c, "a", "f") || between(c, "A", "F")) v |= CharClass.HEX;
  return v;
}

/** The 256 numbers of the table literal that follows `marker` in a source file. */
function tableIn(file: string, marker: string): number[] {
  const src = readFileSync(new URL(`../${file}`, import.meta.url), "utf8");
  const from = src.indexOf(marker);
  expect(from, `${marker} in ${file}`).toBeGreaterThanOrEqual(0);
  const body = src.slice(src.indexOf("[", from) + 1, src.indexOf("]", from));
  return body
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map(Number);
}

describe("byte classes", () => {
  const all = Array.from({ length: 256 }, (_, c) => c);

  it("answer as the C locale's classes for every byte value (TS target)", () => {
    for (const c of all) {
      const want = expected(c);
      expect(isDigit(c), `isDigit(${c})`).toBe((want & CharClass.DIGIT) !== 0);
      expect(isHex(c), `isHex(${c})`).toBe((want & CharClass.HEX) !== 0);
      expect(isIdentStart(c), `isIdentStart(${c})`).toBe((want & CharClass.IDENT_START) !== 0);
      expect(isIdentChar(c), `isIdentChar(${c})`).toBe((want & CharClass.IDENT) !== 0);
    }
  });

  it("are the same table on both targets", () => {
    const want = all.map(expected);
    expect(tableIn("assembly/mem.ts", "CHAR_CLASSES: usize = memory.data<u8>(")).toEqual(want);
    expect(tableIn("src/core/mem.ts", "CHAR_CLASSES = new Uint8Array(")).toEqual(want);
  });

  it("end identifiers at the same byte in both engines", async () => {
    const { parse } = await import("../src/index.js");
    // bytes around the classes' edges inside a flag word: `@` `[` `` ` `` `{` end it, `_` and digits do not
    const text = ["ioctl(3, FOO_9z@BAR, 0) = 0", "ioctl(3, A`B, 0) = 0", "ioctl(3, Z[1]{x}, 0) = 0", "ioctl(3, _a0|B9_, 0) = 0", ""].join("\n");
    const wasm = await parse(text, { engine: "wasm" });
    const ts = await parse(text, { engine: "ts" });
    expect(JSON.stringify(wasm)).toBe(JSON.stringify(ts));
    const flags = wasm.records.find((r) => r.type === "syscall" && r.line === 4);
    expect(flags && flags.type === "syscall" ? flags.args[1] : undefined).toMatchObject({ kind: "flags" });
  });
});
