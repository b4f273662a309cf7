// Byte constants and character classes of the core. The core reads strace's output as bytes
// (ASCII structure, any bytes inside strings), so every comparison is against one of these names.
// Compiled by both asc and tsc: plain i32 arithmetic, and one table of byte classes (mem.ts).

import { charClass } from "./mem.js";

/** Byte values, named. A const enum: both compilers put the number itself at every use (on the
 *  TS target a module constant would be a binding to load at every comparison). */
export const enum Char {
  BS = 8,
  TAB = 9,
  LF = 10,
  FF = 12,
  CR = 13,
  ESC = 27,
  SP = 32,
  BANG = 33,
  QUOTE = 34,
  HASH = 35,
  PERCENT = 37,
  AMP = 38,
  APOSTROPHE = 39,
  LPAREN = 40,
  RPAREN = 41,
  STAR = 42,
  PLUS = 43,
  COMMA = 44,
  MINUS = 45,
  DOT = 46,
  SLASH = 47,
  DIGIT_0 = 48,
  DIGIT_7 = 55,
  DIGIT_9 = 57,
  COLON = 58,
  LT = 60,
  EQ = 61,
  GT = 62,
  QMARK = 63,
  AT = 64,
  UPPER_A = 65,
  UPPER_F = 70,
  UPPER_P = 80,
  UPPER_S = 83,
  UPPER_T = 84,
  UPPER_X = 88,
  UPPER_Z = 90,
  LBRACK = 91,
  BACKSLASH = 92,
  RBRACK = 93,
  UNDERSCORE = 95,
  LOWER_A = 97,
  LOWER_B = 98,
  LOWER_C = 99,
  LOWER_E = 101,
  LOWER_F = 102,
  LOWER_L = 108,
  LOWER_N = 110,
  LOWER_O = 111,
  LOWER_R = 114,
  LOWER_S = 115,
  LOWER_T = 116,
  LOWER_U = 117,
  LOWER_V = 118,
  LOWER_W = 119,
  LOWER_X = 120,
  LOWER_Z = 122,
  LBRACE = 123,
  PIPE = 124,
  RBRACE = 125,
  TILDE = 126,
  DEL = 127,
}

/** The bits of mem.ts charClass: what a byte may be part of. */
export const enum CharClass {
  DIGIT = 1,
  UPPER = 2,
  LOWER = 4,
  UNDERSCORE = 8,
  HEX = 16,
  IDENT_START = 14, // UPPER | LOWER | UNDERSCORE
  IDENT = 15, // IDENT_START | DIGIT
}

/** `c | CASE_BIT` folds an ASCII letter to lower case (the bit that tells 'a' from 'A'). */
export const enum Bits {
  CASE_BIT = 32,
}

export function isDigit(c: i32): bool {
  return (charClass(c) & CharClass.DIGIT) != 0;
}
export function isOctal(c: i32): bool {
  return c >= Char.DIGIT_0 && c <= Char.DIGIT_7;
}
export function isHex(c: i32): bool {
  return (charClass(c) & CharClass.HEX) != 0;
}
/** The value of a hex digit (isHex(c) must hold). */
export function hexValue(c: i32): i32 {
  return c <= Char.DIGIT_9 ? c - Char.DIGIT_0 : (c | Bits.CASE_BIT) - Char.LOWER_A + 10;
}
export function isUpper(c: i32): bool {
  return c >= Char.UPPER_A && c <= Char.UPPER_Z;
}
export function isAlpha(c: i32): bool {
  return (c >= Char.LOWER_A && c <= Char.LOWER_Z) || isUpper(c);
}
export function isIdentStart(c: i32): bool {
  return (charClass(c) & CharClass.IDENT_START) != 0;
}
export function isIdentChar(c: i32): bool {
  return (charClass(c) & CharClass.IDENT) != 0;
}
export function isUpperIdentChar(c: i32): bool {
  return isUpper(c) || isDigit(c) || c == Char.UNDERSCORE;
}
