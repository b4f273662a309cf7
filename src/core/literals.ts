// C escapes and integer literals as strace prints them: the one reading of each. The scanner (echo
// checks, pids, counts) and the argument JSON writer read them from the chunk; the host (the
// record's decoded string values, integer values: src/model/text.ts, src/model/ints.ts) reads them
// from its own bytes and strings through the same functions: escapes as pure functions of the
// bytes after the backslash, integers through readIntIn over a ByteSource. Integers past 32 bits
// are carried as two exact halves in f64, which both targets compute identically (no i64 in the TS
// build, no bit operations past 32 bits).

import { Bits, Char, hexValue, isDigit, isHex, isOctal } from "./bytes.js";
import { byteAt } from "./regions.js";

const TWO_32: f64 = 4294967296;

// ---- C escapes: pure functions of the (up to) three bytes after the backslash, 0 past the text's end

/** How many bytes after the backslash an escape takes: `\x` up to two hex digits more, an octal
 *  escape up to three digits in all, any other escape one character. */
export function escapeLengthOf(d0: i32, d1: i32, d2: i32): i32 {
  if (d0 == Char.LOWER_X) return !isHex(d1) ? 1 : !isHex(d2) ? 2 : 3;
  if (isOctal(d0)) return !isOctal(d1) ? 1 : !isOctal(d2) ? 2 : 3;
  return 1;
}

/** The byte an escape stands for, or -1 for one strace never prints (an unknown letter, `\x`
 *  without digits). Octal escapes wrap to a byte. */
export function escapeValueOf(d0: i32, d1: i32, d2: i32): i32 {
  if (d0 == Char.LOWER_N) return 10;
  if (d0 == Char.LOWER_T) return 9;
  if (d0 == Char.LOWER_R) return 13;
  if (d0 == Char.LOWER_V) return 11;
  if (d0 == Char.LOWER_F) return 12;
  if (d0 == Char.LOWER_A) return 7;
  if (d0 == Char.LOWER_B) return 8;
  if (d0 == Char.LOWER_E) return 27;
  if (d0 == Char.QUOTE || d0 == Char.BACKSLASH || d0 == Char.APOSTROPHE) return d0;
  const n = escapeLengthOf(d0, d1, d2);
  if (d0 == Char.LOWER_X) {
    if (n < 2) return -1;
    return n == 2 ? hexValue(d1) : hexValue(d1) * 16 + hexValue(d2);
  }
  if (!isOctal(d0)) return -1;
  let v = d0 - Char.DIGIT_0;
  if (n >= 2) v = v * 8 + (d1 - Char.DIGIT_0);
  if (n == 3) v = v * 8 + (d2 - Char.DIGIT_0);
  return v & 255;
}

/** An escape's byte as a record's decoded string value holds it: as escapeValueOf, but `\x`
 *  without digits is 0 and an unknown escape is its character. */
export function escapeByteOf(d0: i32, d1: i32, d2: i32): i32 {
  const v = escapeValueOf(d0, d1, d2);
  if (v >= 0) return v;
  return d0 == Char.LOWER_X ? 0 : d0;
}

/** The chunk's byte at p, or 0 at and past end. */
function byteBefore(p: i32, end: i32): i32 {
  return p < end ? byteAt(p) : 0;
}

/** Length of the escape in the chunk whose character after the backslash is at p (reading
 *  before `end`), the backslash included. */
export function escapeLength(p: i32, end: i32): i32 {
  return escapeLengthOf(byteAt(p), byteBefore(p + 1, end), byteBefore(p + 2, end)) + 1;
}

/** escapeValueOf of the escape in the chunk whose character after the backslash is at p; -1 when p is at end. */
export function escapeValue(p: i32, end: i32): i32 {
  if (p >= end) return -1;
  return escapeValueOf(byteAt(p), byteBefore(p + 1, end), byteBefore(p + 2, end));
}

/** escapeByteOf of the escape in the chunk whose character after the backslash is at p. */
export function escapeByte(p: i32, end: i32): i32 {
  return escapeByteOf(byteAt(p), byteBefore(p + 1, end), byteBefore(p + 2, end));
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

/** Digits of any radix whose value is below 2^53, so one f64 holds it exactly (16^13 = 2^52,
 *  10^13 < 2^53): the common literals skip the two-halves arithmetic. */
const SHORT_DIGITS: i32 = 13;

/** intHigh:intLow = v, an integer below 2^53. */
function setHalves(v: f64): void {
  if (v < TWO_32) {
    intHigh = 0;
    intLow = v;
    return;
  }
  intHigh = Math.floor(v / TWO_32);
  intLow = v - intHigh * TWO_32;
}

/** intHigh:intLow = intHigh:intLow * m + d; false when the result passes 64 bits. */
function mulAdd(m: f64, d: f64): bool {
  const low = intLow * m + d;
  const carry = Math.floor(low / TWO_32);
  intLow = low - carry * TWO_32;
  intHigh = intHigh * m + carry;
  return intHigh < TWO_32;
}

/** Where readIntIn reads: the chunk (ChunkBytes, in the core), or a host's bytes or string. */
export interface ByteSource {
  /** The byte (or char code) at p; p is always inside the literal being read. */
  at(p: i32): i32;
}

/** The chunk the scanner reads, as a ByteSource. */
export class ChunkBytes implements ByteSource {
  at(p: i32): i32 {
    return byteAt(p);
  }
}
const CHUNK = new ChunkBytes();
/** The chunk as a ByteSource, for the generic readers below. */
export const CHUNK_BYTES: ChunkBytes = CHUNK;

/** readIntIn over the chunk. */
export function readInt(s: i32, e: i32): bool {
  return readIntIn<ChunkBytes>(CHUNK, s, e);
}

/**
 * Reads the integer literal [s, e) of `src`: an optional `-`, then `0x` hex (at most 16 digits),
 * octal when it starts with 0 and every digit is octal, else decimal; the value is left in
 * intHigh:intLow and intNegative. Returns false for any other text and for values past 64 bits
 * (the host reads those with BigInt, which the WASM target does not have). Generic so each
 * target compiles it for its sources: asc makes one copy per source type, with `at` inlined.
 */
export function readIntIn<B extends ByteSource>(src: B, s: i32, e: i32): bool {
  let p = s;
  intNegative = e > s && src.at(p) == Char.MINUS;
  if (intNegative) p++;
  const n = e - p;
  intHigh = 0;
  intLow = 0;
  if (n <= 0) return false;
  if (n <= SHORT_DIGITS && (n == 1 || src.at(p) != Char.DIGIT_0)) {
    // the common case, decimal with no leading 0: one pass
    let v: f64 = 0;
    for (let q = p; q < e; q++) {
      const c = src.at(q);
      if (!isDigit(c)) return false;
      v = v * 10 + <f64>(c - Char.DIGIT_0);
    }
    setHalves(v);
    return true;
  }
  if (n > 2 && src.at(p) == Char.DIGIT_0 && (src.at(p + 1) | Bits.CASE_BIT) == Char.LOWER_X) {
    if (n - 2 > 16) return false;
    for (let q = p + 2; q < e; q++) if (!isHex(src.at(q))) return false;
    if (n - 2 <= SHORT_DIGITS) {
      let v: f64 = 0;
      for (let q = p + 2; q < e; q++) v = v * 16 + <f64>hexValue(src.at(q));
      setHalves(v);
    } else {
      for (let q = p + 2; q < e; q++) mulAdd(16, <f64>hexValue(src.at(q)));
    }
    return true;
  }
  let octal = n > 1 && src.at(p) == Char.DIGIT_0;
  for (let q = p; q < e; q++) {
    const c = src.at(q);
    if (!isDigit(c)) return false;
    if (!isOctal(c)) octal = false;
  }
  const radix: f64 = octal ? 8 : 10;
  if (n <= SHORT_DIGITS) {
    let v: f64 = 0;
    for (let q = p; q < e; q++) v = v * radix + <f64>(src.at(q) - Char.DIGIT_0);
    setHalves(v);
    return true;
  }
  for (let q = p; q < e; q++) {
    if (!mulAdd(radix, <f64>(src.at(q) - Char.DIGIT_0))) return false;
  }
  return true;
}

/** Whether the last readInt value is at most 2^53 - 1 (a JavaScript safe integer). */
export function intIsSafe(): bool {
  return intHigh < 2097152;
}

// ---- seconds: timestamps and -T durations, as doubles both targets compute alike

/** Seconds of a timestamp as printed, `HH:MM:SS[.frac]` (since midnight) or `SECS[.frac]`, after
 *  optional spaces; reading stops at the first other byte. The host's records and the core's
 *  rows both read it here, so `time` is the same double either way. */
export function timestampSecondsIn<B extends ByteSource>(src: B, s: i32, e: i32): f64 {
  let secs: f64 = 0;
  let field: f64 = 0;
  let i = s;
  while (i < e && src.at(i) == Char.SP) i++;
  while (i < e) {
    const c = src.at(i);
    if (c >= Char.DIGIT_0 && c <= Char.DIGIT_9) field = field * 10 + <f64>(c - Char.DIGIT_0);
    else if (c == Char.COLON) {
      secs = (secs + field) * 60;
      field = 0;
    } else break;
    i++;
  }
  secs += field;
  if (i < e && src.at(i) == Char.DOT) {
    let frac: f64 = 0;
    let scale: f64 = 1;
    i++;
    while (i < e) {
      const c = src.at(i);
      if (c < Char.DIGIT_0 || c > Char.DIGIT_9) break;
      frac = frac * 10 + <f64>(c - Char.DIGIT_0);
      scale *= 10;
      i++;
    }
    secs += frac / scale;
  }
  return secs;
}

/**
 * `Number(text)` of a decimal `D+[.D+]` of at most 15 digits (a -T duration): the digits as an
 * integer over the power of ten, both exact, so the one division is correctly rounded, which is
 * what Number gives. NaN for anything else (the host then uses Number, the rows the full reading).
 */
export function decimalSecondsIn<B extends ByteSource>(src: B, s: i32, e: i32): f64 {
  let digits = 0;
  let mantissa: f64 = 0;
  let scale: f64 = 1;
  let dot = -1;
  for (let i = s; i < e; i++) {
    const c = src.at(i);
    if (c >= Char.DIGIT_0 && c <= Char.DIGIT_9) {
      mantissa = mantissa * 10 + <f64>(c - Char.DIGIT_0);
      if (dot >= 0) scale *= 10;
      digits++;
    } else if (c == Char.DOT && dot < 0 && i > s && i + 1 < e) {
      dot = i;
    } else return NaN;
  }
  if (digits == 0 || digits > 15) return NaN;
  return mantissa / scale;
}

/** A return value as the host's lean records read it when it is a plain decimal (no leading 0
 *  but `0` itself, at most 15 digits, optional `-`); NaN for any other form (hex, octal, ...). */
export function retValue(s: i32, e: i32): f64 {
  const neg = byteAt(s) == Char.MINUS;
  let i = neg ? s + 1 : s;
  if (i >= e || e - i > 15 || (byteAt(i) == Char.DIGIT_0 && e - i != 1)) return NaN;
  let v: f64 = 0;
  while (i < e) {
    const c = byteAt(i);
    if (c < Char.DIGIT_0 || c > Char.DIGIT_9) return NaN;
    v = v * 10 + <f64>(c - Char.DIGIT_0);
    i++;
  }
  return neg ? -v : v;
}
