// Integer values of the records (`int` arguments, return values), read by the core's one integer
// reader (src/core/literals.ts readIntIn) over the host's bytes or strings: the same reading the
// argument JSON writer does at scan time, so both give the same value for every literal. What the
// core cannot carry — values past 64 bits, and shapes it refuses — is read here with BigInt.

import { decimalSecondsIn, intHigh, intLow, intNegative, readIntIn, timestampSecondsIn, type ByteSource } from "../core/literals.js";

const TWO_32 = 4294967296;

/** A byte array as the core's ByteSource (one reused object: no allocation per number). */
class ArrayBytes implements ByteSource {
  b: Uint8Array = new Uint8Array(0);
  at(p: number): number {
    return this.b[p];
  }
}

/** A string's char codes as the core's ByteSource. */
class TextBytes implements ByteSource {
  t = "";
  at(p: number): number {
    return this.t.charCodeAt(p);
  }
}

const BYTES = new ArrayBytes();
const TEXT = new TextBytes();

/**
 * The value of an integer literal as strace prints it (`-1`, `0x7fff`, `0644`, `18446744073709551615`):
 * an optional `-`, then hex after `0x`, octal when it starts with 0 and every digit is octal
 * (`089` is decimal), else decimal. A number when it is a safe integer, else its decimal text.
 */
export function intValue(text: string): number | string {
  TEXT.t = text;
  const ok = readIntIn(TEXT, 0, text.length);
  TEXT.t = "";
  return ok ? lastValue() : wideValue(text);
}

/** intValue of the text in bytes [s, e). */
export function intValueAt(b: Uint8Array, s: number, e: number): number | string {
  BYTES.b = b;
  const ok = readIntIn(BYTES, s, e);
  BYTES.b = EMPTY;
  if (ok) return lastValue();
  let text = "";
  for (let i = s; i < e; i++) text += String.fromCharCode(b[i]);
  return wideValue(text);
}

const EMPTY = new Uint8Array(0);

/** Seconds of the timestamp text in bytes [s, e) (the core's timestampSecondsIn, which the
 *  record rows use too). */
export function timestampSecondsAt(b: Uint8Array, s: number, e: number): number {
  BYTES.b = b;
  const v = timestampSecondsIn(BYTES, s, e);
  BYTES.b = EMPTY;
  return v;
}

/** `Number(text)` of a -T duration in bytes [s, e): the core's decimalSecondsIn where it reads
 *  the text exactly (a decimal of at most 15 digits), else Number itself. */
export function durationAt(b: Uint8Array, s: number, e: number): number {
  BYTES.b = b;
  const v = decimalSecondsIn(BYTES, s, e);
  BYTES.b = EMPTY;
  if (v === v) return v;
  let text = "";
  for (let i = s; i < e; i++) text += String.fromCharCode(b[i]);
  return Number(text);
}

/** The value readIntIn left in intHigh:intLow (the sign applied as `-v`, so `-0` stays -0). */
function lastValue(): number | string {
  if (intHigh < 2097152) {
    const v = intHigh === 0 ? intLow : intHigh * TWO_32 + intLow;
    return intNegative ? -v : v;
  }
  const big = (BigInt(intHigh) << 32n) | BigInt(intLow);
  return (intNegative ? -big : big).toString();
}

/** Literals the core refuses: values past 64 bits, and texts that are not a whole literal (`0x`
 *  with no digits), which read as far as JavaScript's parseInt reads them. */
function wideValue(text: string): number | string {
  let neg = false;
  let t = text;
  if (t.charCodeAt(0) === 45) {
    neg = true;
    t = t.slice(1);
  }
  const hex = t.length > 2 && (t[1] === "x" || t[1] === "X");
  const octal = !hex && t.length > 1 && t[0] === "0" && allOctal(t);
  let v: number;
  if (hex) v = parseInt(t.slice(2), 16);
  else if (octal) v = parseInt(t, 8);
  else v = parseInt(t, 10);
  if (Number.isSafeInteger(v)) return neg ? -v : v;
  let big: bigint;
  if (hex) big = BigInt("0x" + t.slice(2));
  else if (octal) big = BigInt("0o" + t.slice(1));
  else big = BigInt(t);
  return (neg ? -big : big).toString();
}

function allOctal(t: string): boolean {
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c < 48 || c > 55) return false;
  }
  return true;
}
