// Seconds (timestamps and -T durations) as JSON numbers, exactly as JavaScript writes the double
// the core computed from strace's text: String(x), the shortest digits that read back as x.
//
// For strace's decimal text that is usually the text itself with its trailing zeros cut, and
// provably so when (1) the digits without those zeros are at most 15 significant ones, and (2) x
// is the correctly rounded value of them: two different decimals of at most 15 significant digits
// never round to one double, so no shorter text reads back as x, and none other as short. (2) is
// checked by one division of two exact doubles, which IEEE rounds correctly. Any other case
// (more digits, a sum that rounded differently, exponent form below 1e-6) asks the host
// (mem.ts formatNumber), so the bytes are JavaScript's by construction.

import { Char } from "../bytes.js";
import { formatNumber } from "../mem.js";
import { byteAt, regions } from "../regions.js";
import { output, putBytes, putLit, putSafeWhole } from "./out.js";

const MAX_EXACT_DIGITS: i32 = 15;
/** JavaScript writes exponent form below this (1e-7, not 0.0000001). */
const SMALLEST_PLAIN: f64 = 1e-6;

/** x as JSON.stringify writes it, in the output: String(x) by the host, `null` when x is not
 *  finite (a timestamp of more digits than a double holds is Infinity). */
export function putHostNumber(x: f64): void {
  if (x != x || x == Infinity || x == -Infinity) {
    putLit("null");
    return;
  }
  const room = output.at < output.end ? <i32>(output.end - output.at) : 0;
  output.at += <usize>formatNumber(x, output.at, room);
}

/**
 * Writes `x`, the seconds the core read from the text [s, e) (`[h:m:]s[.frac]`, leading spaces
 * allowed), as JSON: String(x).
 */
export function putSeconds(x: f64, s: i32, e: i32): void {
  let i = s;
  while (i < e && byteAt(i) == Char.SP) i++;
  let whole: f64 = 0;
  let field: f64 = 0;
  let intDigits = 0;
  while (i < e) {
    const c = byteAt(i);
    if (c >= Char.DIGIT_0 && c <= Char.DIGIT_9) {
      field = field * 10 + <f64>(c - Char.DIGIT_0);
      intDigits++;
    } else if (c == Char.COLON) {
      whole = (whole + field) * 60;
      field = 0;
    } else break;
    i++;
  }
  whole += field;
  // the fraction's digits [fs, fe) without trailing zeros, read once: `frac` and `scale` are
  // their value and 10^(fe - fs), taken at each digit other than 0
  let fs = i;
  let fe = i;
  let frac: f64 = 0;
  let scale: f64 = 1; // exact for the at most 15 digits that pass below
  let fracLead = 0; // zeros after the dot before the first other digit
  if (i < e && byteAt(i) == Char.DOT) {
    i++;
    fs = i;
    fe = i;
    let all: f64 = 0;
    let allScale: f64 = 1;
    while (i < e) {
      const d = byteAt(i) - Char.DIGIT_0;
      if (d < 0 || d > 9) break;
      all = all * 10 + <f64>d;
      allScale *= 10;
      i++;
      if (d != 0) {
        if (frac == 0) fracLead = i - 1 - fs;
        frac = all;
        scale = allScale;
        fe = i;
      }
    }
  }
  if (i != e || intDigits == 0 || intDigits > MAX_EXACT_DIGITS) {
    putHostNumber(x);
    return;
  }
  const f = fe - fs;
  // significant digits: the whole part's (without leading zeros) and the fraction's
  let wholeDigits = 0;
  for (let bound: f64 = 1; whole >= bound; bound *= 10) wholeDigits++;
  const significant = wholeDigits > 0 ? wholeDigits + f : f - fracLead;
  if (significant > MAX_EXACT_DIGITS || x != x || (x != 0 && x < SMALLEST_PLAIN)) {
    putHostNumber(x);
    return;
  }
  if ((whole * scale + frac) / scale != x) {
    putHostNumber(x);
    return;
  }
  putSafeWhole(<i64>whole);
  // the dot and the fraction's digits as the text has them
  if (f > 0) putBytes(regions.inputBase + <usize>(fs - 1), f + 1);
}
