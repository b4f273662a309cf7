// The argument-JSON output cursor and the value writers: bytes go to linear memory after the
// tables; writes past `outEnd` are dropped but counted, so one pass tells the host how much room
// a retry needs. Every writer reproduces what JSON.stringify writes for the host's typed value
// (src/model/nodes.ts), byte for byte, in UTF-8.

import { Char } from "../bytes.js";
import { escapeByte, escapeLength, intHigh, intIsSafe, intLow, intNegative, readInt } from "../literals.js";
import { copyBytes, copyJsonPlainShort, jsonPlainEnd, ld8, st8, storeAscii } from "../mem.js";
import { byteAt, regions } from "../regions.js";

const TWO_32: f64 = 4294967296;
const HEX = "0123456789abcdef";

/** The cursor (fields of one object: see scan/cursor.ts for why). */
export namespace output {
  export let base: usize = 0;
  /** Where the next byte goes (it may run past `end`: see put). */
  export let at: usize = 0;
  export let end: usize = 0;
  /** The current line uses something this writer does not reproduce (the host then writes it). */
  export let unsupported: bool = false;
}

/** Starts writing at `base`, with room for `cap` bytes. */
export function startOutput(base: usize, cap: i32): void {
  output.base = base;
  output.at = base;
  output.end = base + <usize>cap;
}

export function put(c: i32): void {
  if (output.at < output.end) st8(output.at, c);
  output.at++;
}

/** An ASCII literal (one room check for all of it: literals are most of a record's bytes). */
export function putLit(s: string): void {
  const n = s.length;
  const at = output.at;
  // (storeAscii may write up to 32 bytes: with room for them, it writes them in one step)
  if (at + 32 <= output.end) storeAscii(at, s);
  else if (at + <usize>n <= output.end) for (let i = 0; i < n; i++) st8(at + <usize>i, s.charCodeAt(i));
  output.at = at + <usize>n;
}

/** `n` bytes at address `from`, as they are. */
export function putBytes(from: usize, n: i32): void {
  const at = output.at;
  if (at + <usize>n <= output.end) {
    if (n < 16) for (let i = 0; i < n; i++) st8(at + <usize>i, ld8(from + <usize>i));
    else copyBytes(at, from, <usize>n);
  }
  output.at = at + <usize>n;
}

/** A non-negative i32 in decimal. */
export function putSmallDecimal(v: i32): void {
  putSafeWhole(<i64>v);
}

/** A whole number 0 <= v < 2^53 in decimal (i64: integer arithmetic in WASM, exact doubles in TS).
 *  Digits are made with 32-bit division by 10, which V8 turns into a multiply, where a 64-bit
 *  division per digit is several times slower in WASM: a value of 2^31 or more is cut into its
 *  last nine digits and the rest by one 64-bit division. */
export function putSafeWhole(v: i64): void {
  if (v < 10) {
    // (one digit: a duration's whole seconds, most results, small fds and numbers)
    put(<i32>v + Char.DIGIT_0);
    return;
  }
  if (v <= 0x7fffffff) {
    const n = <i32>v;
    let digits = 2;
    for (let bound = 100; n >= bound && digits < 10; bound *= 10) digits++;
    putDigits(n, digits);
    return;
  }
  const low = v % 1000000000;
  putSafeWhole((v - low) / 1000000000);
  putDigits(<i32>low, 9);
}

/** Exactly `digits` decimal digits of 0 <= v < 10^digits, zeros first: two a step, so the chain
 *  of divisions (each waits for the one before) is half as long. */
function putDigits(v: i32, digits: i32): void {
  const at = output.at;
  if (at + <usize>digits <= output.end) {
    let t = v;
    let p = at + <usize>digits;
    while (p >= at + 2) {
      // (exact divisions only: the TS build's `/` is a float division)
      const r = t % 100;
      const ones = r % 10;
      p -= 2;
      st8(p, (r - ones) / 10 + Char.DIGIT_0);
      st8(p + 1, ones + Char.DIGIT_0);
      t = (t - r) / 100;
    }
    if (p > at) st8(at, t + Char.DIGIT_0);
  }
  output.at = at + <usize>digits;
}

/** The 64-bit value high:low in decimal (each half an exact integer below 2^32). */
function putWideDecimal(high: f64, low: f64): void {
  if (high < 2097152) {
    putSafeWhole(<i64>(high * TWO_32 + low)); // below 2^53
    return;
  }
  putWideDecimalSlow(high, low);
}

function putWideDecimalSlow(high: f64, low: f64): void {
  const r = high % 10;
  const h = (high - r) / 10;
  const t = r * TWO_32 + low;
  const l = Math.floor(t / 10);
  if (h > 0 || l > 0) putWideDecimalSlow(h, l);
  put(<i32>(t - l * 10) + Char.DIGIT_0);
}

/** One char code 0..255 inside a JSON string, as JSON.stringify writes it, in UTF-8. */
export function putJsonChar(c: i32): void {
  if (c == Char.QUOTE) putLit('\\"');
  else if (c == Char.BACKSLASH) putLit("\\\\");
  else if (c >= Char.SP && c <= Char.DEL)
    put(c); // printable ASCII, and DEL as itself
  else if (c > Char.DEL) {
    put(0xc0 | (c >> 6));
    put(0x80 | (c & 63));
  } else if (c == Char.BS) putLit("\\b");
  else if (c == Char.TAB) putLit("\\t");
  else if (c == Char.LF) putLit("\\n");
  else if (c == Char.FF) putLit("\\f");
  else if (c == Char.CR) putLit("\\r");
  else {
    putLit("\\u00");
    put(HEX.charCodeAt(c >> 4));
    put(HEX.charCodeAt(c & 15));
  }
}

/** Copies the input bytes from p on that a JSON string holds as they are (up to e); returns
 *  where they end (json/mem.ts jsonPlainEnd). */
function putPlainRun(p: i32, e: i32): i32 {
  const q = jsonPlainEnd(regions.inputBase, p, e);
  if (q > p) putBytes(regions.inputBase + <usize>p, q - p);
  return q;
}

/** Input bytes [s, e) as a JSON string (each byte one char, as the host's latin1 text). */
export function putJsonString(s: i32, e: i32): void {
  // short texts (names, numbers, flags, timestamps: most of them) in one step when they need no
  // escaping
  const n = e - s;
  const at = output.at;
  if (n <= 16 && at + 18 <= output.end && copyJsonPlainShort(at + 1, regions.inputBase + <usize>s, n)) {
    st8(at, Char.QUOTE);
    st8(at + <usize>(n + 1), Char.QUOTE);
    output.at = at + <usize>(n + 2);
    return;
  }
  put(Char.QUOTE);
  let p = putPlainRun(s, e);
  while (p < e) {
    putJsonChar(byteAt(p));
    p = putPlainRun(p + 1, e);
  }
  put(Char.QUOTE);
}

/** How many digits [s, e) has when it is what String() writes for its own value (`0`, or an
 *  optional `-` and digits without a leading zero; not `-0`), else -1. */
export function canonicalDecimalDigits(s: i32, e: i32): i32 {
  let i = s;
  if (i < e && byteAt(i) == Char.MINUS) i++;
  const n = e - i;
  if (n < 1) return -1;
  if (byteAt(i) == Char.DIGIT_0) return n == 1 && i == s ? 1 : -1;
  for (; i < e; i++) if (byteAt(i) < Char.DIGIT_0 || byteAt(i) > Char.DIGIT_9) return -1;
  return n;
}

/** Whether [s, e) is a decimal whose JSON value is its own text: canonical, and at most 15
 *  digits (so the value is exact). */
function plainDecimal(s: i32, e: i32): bool {
  const n = canonicalDecimalDigits(s, e);
  return n >= 1 && n <= 15;
}

/** intValue(text) (nodes.ts) as JSON: a number when safe, else the decimal in quotes. Texts of
 *  other shapes, and values past 64 bits, are left to the host. */
export function putIntValue(s: i32, e: i32): void {
  if (plainDecimal(s, e)) {
    putBytes(regions.inputBase + <usize>s, e - s);
    return;
  }
  if (!readInt(s, e)) {
    output.unsupported = true;
    return;
  }
  const zero = intHigh == 0 && intLow == 0;
  if (intIsSafe()) {
    if (intNegative && !zero) put(Char.MINUS);
    putWideDecimal(intHigh, intLow);
  } else {
    put(Char.QUOTE);
    if (intNegative) put(Char.MINUS);
    putWideDecimal(intHigh, intLow);
    put(Char.QUOTE);
  }
}

/** A string literal's token [s, e) (its body from `body` to the closing quote) as the value's
 *  JSON, `,"raw":`, and the token's JSON. A body with nothing to decode or escape (most) is looked
 *  at once and copied twice. */
export function putStringValueAndRaw(s: i32, e: i32, body: i32): void {
  const base = regions.inputBase;
  const close = e - 1;
  if (jsonPlainEnd(base, body, close) != close) {
    putDecodedString(body, close);
    putLit(',"raw":');
    putJsonString(s, e);
    return;
  }
  put(Char.QUOTE);
  putBytes(base + <usize>body, close - body);
  putLit('","raw":"');
  for (let p = s; p < body; p++) putJsonChar(byteAt(p));
  putBytes(base + <usize>body, close - body);
  putJsonChar(byteAt(close));
  put(Char.QUOTE);
}

/** The decoded value of the C string literal body [s, e) (text.ts decodeCString) as a JSON string. */
export function putDecodedString(s: i32, e: i32): void {
  put(Char.QUOTE);
  let p = putPlainRun(s, e);
  while (p < e) {
    const c = byteAt(p);
    if (c != Char.BACKSLASH || p + 1 >= e) {
      putJsonChar(c);
      p = putPlainRun(p + 1, e);
      continue;
    }
    putJsonChar(escapeByte(p + 1, e));
    p = putPlainRun(p + escapeLength(p + 1, e), e);
  }
  put(Char.QUOTE);
}
