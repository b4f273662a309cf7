// The host reads C escapes and integer literals through the core's src/core/literals.ts (the
// reading the scanner and the argument JSON writer use). Cases from strace's output conventions:
// strings print non-printable bytes as `\ooo` octal (the shortest form unless a digit follows), as
// `\xNN` with -x/-xx, and `\n \t \r \v \f \" \\` by name; modes are octal (`0644`), addresses hex,
// and 64-bit values such as `18446744073709551615` (u64 max) appear in ioctl and prctl arguments.

import { describe, expect, it } from "vitest";
import { decodeCString } from "../src/model/text.js";
import { intValue, intValueAt } from "../src/model/ints.js";
import { parse } from "../src/index.js";
import type { SyscallRecord } from "../src/model/record.js";

describe("decodeCString (the core's escape reading)", () => {
  it("decodes named, octal and hex escapes", () => {
    expect(decodeCString("a\\nb\\tc\\rd\\ve\\ff")).toBe("a\nb\tc\rd\ve\ff");
    expect(decodeCString('\\"\\\\')).toBe('"\\');
    expect(decodeCString("\\0\\1\\177\\377")).toBe("\x00\x01\x7f\xff");
    // an octal escape is at most three digits; the digit after it is text
    expect(decodeCString("\\0011")).toBe("\x011");
    expect(decodeCString("\\x41\\x7f\\xff")).toBe("A\x7f\xff");
    // `\x` takes at most two hex digits
    expect(decodeCString("\\x414")).toBe("A4");
  });
  it("keeps text without escapes as it is, and a lone backslash at the end", () => {
    expect(decodeCString("/etc/passwd")).toBe("/etc/passwd");
    expect(decodeCString("abc\\")).toBe("abc\\");
  });
  it("gives an escape strace never prints its own character (and `\\x` without digits 0)", () => {
    expect(decodeCString("\\q\\8")).toBe("q8");
    expect(decodeCString("\\xg")).toBe("\x00g");
  });
});

describe("intValue (the core's integer reading)", () => {
  it("reads decimal, hex and octal as strace prints them", () => {
    expect(intValue("0")).toBe(0);
    expect(intValue("-1")).toBe(-1);
    expect(intValue("4096")).toBe(4096);
    expect(intValue("0x7f3a1b2c3000")).toBe(0x7f3a1b2c3000);
    expect(intValue("0644")).toBe(0o644);
    // a leading 0 is octal only when every digit is one
    expect(intValue("089")).toBe(89);
  });
  it("keeps values past 2^53 exact as decimal text, up to 64 bits and beyond", () => {
    expect(intValue("9007199254740991")).toBe(9007199254740991);
    expect(intValue("9007199254740992")).toBe("9007199254740992");
    expect(intValue("18446744073709551615")).toBe("18446744073709551615");
    expect(intValue("0xffffffffffffffff")).toBe("18446744073709551615");
    expect(intValue("-9223372036854775808")).toBe("-9223372036854775808");
    expect(intValue("01777777777777777777777")).toBe("18446744073709551615");
    // past 64 bits: the host's BigInt reads what the core cannot carry
    expect(intValue("18446744073709551616")).toBe("18446744073709551616");
    expect(intValue("0x10000000000000000")).toBe("18446744073709551616");
  });
  it("reads bytes the same as text", () => {
    const b = new TextEncoder().encode(" 0x1f -12 0755 18446744073709551615 ");
    expect(intValueAt(b, 1, 5)).toBe(31);
    expect(intValueAt(b, 6, 9)).toBe(-12);
    expect(intValueAt(b, 10, 14)).toBe(0o755);
    expect(intValueAt(b, 15, 35)).toBe("18446744073709551615");
  });
  it("gives records the same values on both engines", async () => {
    const line = 'ioctl(3, _IOC(0, 0, 0, 0), 0xffffffffffffffff) = 0x7f0000000000\nchmod("a\\tb", 0644) = -1 EPERM (Operation not permitted)\n';
    for (const engine of ["wasm", "ts"] as const) {
      const recs = (await parse(line, { engine })).records as SyscallRecord[];
      expect(recs[0].args[2]).toMatchObject({ kind: "int", value: "18446744073709551615" });
      expect(recs[0].ret).toBe(0x7f0000000000);
      expect(recs[1].args[0]).toMatchObject({ kind: "str", value: "a\tb" });
      expect(recs[1].args[1]).toMatchObject({ kind: "int", value: 0o644 });
    }
  });
});
