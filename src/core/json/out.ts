// The argument-JSON output cursor and the value writers: bytes go to linear memory after the
// tables; writes past `outEnd` are dropped but counted, so one pass tells the host how much room
// a retry needs. Every writer reproduces what JSON.stringify writes for the host's typed value
// (src/model/nodes.ts), byte for byte, in UTF-8.

import { Char } from "../bytes.js";
import { escapeByte, escapeLength, intHigh, intIsSafe, intLow, intNegative, readInt } from "../literals.js";
import { st8 } from "../mem.js";
import { byteAt } from "../regions.js";

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

export function putLit(s: string): void {
  for (let i = 0; i < s.length; i++) put(s.charCodeAt(i));
}

/** A non-negative i32 in decimal. */
export function putSmallDecimal(v: i32): void {
  if (v >= 10) putSmallDecimal((v - (v % 10)) / 10);
  put((v % 10) + Char.DIGIT_0);
}

/** The 64-bit value high:low in decimal (each half an exact integer below 2^32). */
function putWideDecimal(high: f64, low: f64): void {
  const r = high % 10;
  const h = (high - r) / 10;
  const t = r * TWO_32 + low;
  const l = Math.floor(t / 10);
  if (h > 0 || l > 0) putWideDecimal(h, l);
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

/** Input bytes [s, e) as a JSON string (each byte one char, as the host's latin1 text). */
export function putJsonString(s: i32, e: i32): void {
  put(Char.QUOTE);
  for (let p = s; p < e; p++) putJsonChar(byteAt(p));
  put(Char.QUOTE);
}

/** intValue(text) (nodes.ts) as JSON: a number when safe, else the decimal in quotes. Texts of
 *  other shapes, and values past 64 bits, are left to the host. */
export function putIntValue(s: i32, e: i32): void {
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

/** The decoded value of the C string literal body [s, e) (text.ts decodeCString) as a JSON string. */
export function putDecodedString(s: i32, e: i32): void {
  put(Char.QUOTE);
  let p = s;
  while (p < e) {
    const c = byteAt(p);
    if (c != Char.BACKSLASH || p + 1 >= e) {
      putJsonChar(c);
      p++;
      continue;
    }
    putJsonChar(escapeByte(p + 1, e));
    p += escapeLength(p + 1, e);
  }
  put(Char.QUOTE);
}
