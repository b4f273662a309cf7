// C escapes and integer literals as strace prints them, read from the chunk: the one reading of
// each, used by the scanner (echo checks, pids, counts) and by the argument JSON writer (string
// values, integer values). Integers past 32 bits are carried as two exact halves in f64, which
// both targets compute identically (no i64 in the TS build, no bit operations past 32 bits).

import { Bits, Char, hexValue, isDigit, isHex, isOctal } from "./bytes.js";
import { byteAt } from "./regions.js";

const TWO_32: f64 = 4294967296;

/** Length of the escape whose character after the backslash is at p (reading before `end`):
 *  `\x` takes up to two hex digits, an octal escape up to three digits, the rest one character. */
export function escapeLength(p: i32, end: i32): i32 {
  const d = byteAt(p);
  let n = 1;
  if (d == Char.LOWER_X) {
    while (n < 3 && p + n < end && isHex(byteAt(p + n))) n++;
  } else if (isOctal(d)) {
    while (n < 3 && p + n < end && isOctal(byteAt(p + n))) n++;
  }
  return n + 1;
}

/** The byte a C escape stands for (p is after the backslash), or -1 for one strace never prints
 *  (an unknown letter, `\x` without digits). Octal escapes wrap to a byte. */
export function escapeValue(p: i32, end: i32): i32 {
  if (p >= end) return -1;
  const d = byteAt(p);
  if (d == Char.LOWER_N) return 10;
  if (d == Char.LOWER_T) return 9;
  if (d == Char.LOWER_R) return 13;
  if (d == Char.LOWER_V) return 11;
  if (d == Char.LOWER_F) return 12;
  if (d == Char.LOWER_A) return 7;
  if (d == Char.LOWER_B) return 8;
  if (d == Char.LOWER_E) return 27;
  if (d == Char.QUOTE || d == Char.BACKSLASH || d == Char.APOSTROPHE) return d;
  let v = 0;
  const n = escapeLength(p, end) - 1;
  if (d == Char.LOWER_X) {
    if (n < 2) return -1;
    for (let k = 1; k < n; k++) v = v * 16 + hexValue(byteAt(p + k));
    return v;
  }
  if (!isOctal(d)) return -1;
  for (let k = 0; k < n; k++) v = v * 8 + (byteAt(p + k) - Char.DIGIT_0);
  return v & 255;
}

/** An escape's byte as the record's decoded `value` reads it (the host's decodeCString): as
 *  escapeValue, but `\x` without digits is 0 and an unknown escape is its character. */
export function escapeByte(p: i32, end: i32): i32 {
  const v = escapeValue(p, end);
  if (v >= 0) return v;
  const d = byteAt(p);
  return d == Char.LOWER_X ? 0 : d;
}

/** The value of the decimal digits in [s, e), or -1 when there are none, more than 9, or anything else. */
export function decimalAt(s: i32, e: i32): i32 {
  if (e <= s || e - s > 9) return -1;
  let v = 0;
  for (let i = s; i < e; i++) {
    if (!isDigit(byteAt(i))) return -1;
    v = v * 10 + (byteAt(i) - Char.DIGIT_0);
  }
  return v;
}

/** The value of digits [s, e) the caller has checked (a pid, a count). */
export function digitsValue(s: i32, e: i32): i32 {
  let v = 0;
  for (let i = s; i < e; i++) v = v * 10 + (byteAt(i) - Char.DIGIT_0);
  return v;
}

// ---- integer literals up to 64 bits: readInt leaves the value in intHigh:intLow

/** High and low 32 bits of the last readInt value, and its sign. */
export let intHigh: f64 = 0;
export let intLow: f64 = 0;
export let intNegative: bool = false;

/** intHigh:intLow = intHigh:intLow * m + d; false when the result passes 64 bits. */
function mulAdd(m: f64, d: f64): bool {
  const low = intLow * m + d;
  const carry = Math.floor(low / TWO_32);
  intLow = low - carry * TWO_32;
  intHigh = intHigh * m + carry;
  return intHigh < TWO_32;
}

/**
 * Reads the integer literal [s, e) as the host's intValue does: an optional `-`, then `0x` hex
 * (at most 16 digits), octal when it starts with 0 and every digit is octal, else decimal.
 * Returns false for any other text and for values past 64 bits (the host handles those).
 */
export function readInt(s: i32, e: i32): bool {
  let p = s;
  intNegative = byteAt(p) == Char.MINUS;
  if (intNegative) p++;
  const n = e - p;
  intHigh = 0;
  intLow = 0;
  if (n <= 0) return false;
  if (n > 2 && byteAt(p) == Char.DIGIT_0 && (byteAt(p + 1) | Bits.CASE_BIT) == Char.LOWER_X) {
    if (n - 2 > 16) return false;
    for (let q = p + 2; q < e; q++) {
      if (!isHex(byteAt(q))) return false;
      mulAdd(16, <f64>hexValue(byteAt(q)));
    }
    return true;
  }
  let octal = n > 1 && byteAt(p) == Char.DIGIT_0;
  for (let q = p; q < e; q++) {
    const c = byteAt(q);
    if (!isDigit(c)) return false;
    if (!isOctal(c)) octal = false;
  }
  const radix: f64 = octal ? 8 : 10;
  for (let q = p; q < e; q++) {
    if (!mulAdd(radix, <f64>(byteAt(q) - Char.DIGIT_0))) return false;
  }
  return true;
}

/** Whether the last readInt value is at most 2^53 - 1 (a JavaScript safe integer). */
export function intIsSafe(): bool {
  return intHigh < 2097152;
}
