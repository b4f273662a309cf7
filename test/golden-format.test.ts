// The golden runner's own parts: if the matcher accepted anything, every golden case would pass
// without checking a thing, so its rules are pinned here, with the case-file reader's.

import { describe, expect, it } from "vitest";
import { parseCaseFile } from "./helpers/golden-cases.js";
import { diffRecords } from "./helpers/golden-match.js";

describe("golden matcher", () => {
  const rec = {
    type: "syscall",
    name: "open",
    ret: 3,
    errno: null,
    args: [
      { kind: "str", value: "/a" },
      {
        kind: "flags",
        items: [
          { kind: "ident", name: "O_RDONLY" },
          { kind: "ident", name: "O_CLOEXEC" },
        ],
      },
    ],
  };

  it("accepts a partial description", () => {
    expect(diffRecords([{ name: "open", args: [{}, { items: [{ name: "O_RDONLY" }, {}] }] }], [rec])).toEqual([]);
  });

  it("names the path of a differing value", () => {
    const d = diffRecords([{ args: [{}, { items: [{}, { name: "O_TRUNC" }] }] }], [rec]);
    expect(d[0]).toBe('record 1.args[1].items[1].name: expected "O_TRUNC", got "O_CLOEXEC"');
  });

  it("requires given keys, array lengths and record counts", () => {
    expect(diffRecords([{ aux: ["x"] }], [rec])[0]).toBe("record 1.aux: expected an array of 1, got (absent)");
    expect(diffRecords([{ args: [{}] }], [rec])[0]).toMatch(/^record 1\.args: expected 1 items, got 2/);
    expect(diffRecords([{}, {}], [rec])[0]).toBe("expected 2 records, got 1");
    expect(diffRecords([], [rec])[0]).toBe("expected 0 records, got 1");
  });

  it("compares scalars exactly", () => {
    expect(diffRecords([{ ret: "3" }], [rec])).not.toEqual([]);
    expect(diffRecords([{ errno: "ENOENT" }], [rec])).not.toEqual([]);
  });

  it('checks "!key" absence and {"$not": X}', () => {
    expect(diffRecords([{ "!unfinished": true }], [rec])).toEqual([]);
    expect(diffRecords([{ "!ret": true }], [rec])[0]).toBe("record 1.ret: expected absent, got 3");
    expect(diffRecords([{ errno: { $not: null } }], [rec])[0]).toBe("record 1.errno: expected anything but null, got null");
    expect(diffRecords([{ ret: { $not: null } }], [rec])).toEqual([]);
    expect(diffRecords([{ aux: { $not: null } }], [rec])).not.toEqual([]);
  });
});

describe("golden case files", () => {
  it("reads inputs verbatim, options and continued records", () => {
    const text = [
      "About this file.",
      "",
      "# one [no-merge, maxPending=2, arch=i386, pid=7]",
      "a(1) = 0",
      "",
      "  b  ",
      "==>",
      '{"x":1,',
      '  "y":2}',
      "",
      '{"z":3}',
      "# two [no-newline]",
      "c(",
      "==>",
      '{"w":0}',
      "",
    ].join("\n");
    const [one, two] = parseCaseFile("f.txt", text);
    expect(one).toMatchObject({
      id: "f.txt: one",
      headerLine: 3,
      input: "a(1) = 0\n\n  b  \n",
      options: { merge: false, maxPending: 2, arch: "i386", pid: 7 },
      expected: [{ x: 1, y: 2 }, { z: 3 }],
    });
    expect(two).toMatchObject({ name: "two", input: "c(", options: { noNewline: true }, expected: [{ w: 0 }] });
  });

  it("rejects malformed cases with the file and line", () => {
    expect(() => parseCaseFile("f.txt", "# a\nx\n")).toThrow(/f\.txt:1: case "a" has no "==>" line/);
    expect(() => parseCaseFile("f.txt", "# a [bogus]\nx\n==>\n")).toThrow(/f\.txt:1: unknown case option "bogus"/);
    expect(() => parseCaseFile("f.txt", "# a\nx\n==>\nnot json\n")).toThrow(/f\.txt:4:/);
    expect(() => parseCaseFile("f.txt", "# a\nx\n==>\n{bad\n")).toThrow(/f\.txt:4:/);
    expect(() => parseCaseFile("f.txt", "# a\nx\n==>\n# a\ny\n==>\n")).toThrow(/duplicate case name "a"/);
  });
});
