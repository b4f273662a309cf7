// Byte constants and character classes of the core. The core reads strace's output as bytes
// (ASCII structure, any bytes inside strings), so every comparison is against one of these names.
// Compiled by both asc and tsc: plain i32 arithmetic only.

export const TAB: i32 = 9;
export const LF: i32 = 10;
export const CR: i32 = 13;
export const ESC: i32 = 27;
export const SP: i32 = 32;
export const BANG: i32 = 33;
export const QUOTE: i32 = 34;
export const HASH: i32 = 35;
export const PERCENT: i32 = 37;
export const AMP: i32 = 38;
export const LPAREN: i32 = 40;
export const RPAREN: i32 = 41;
export const STAR: i32 = 42;
export const PLUS: i32 = 43;
export const COMMA: i32 = 44;
export const MINUS: i32 = 45;
export const DOT: i32 = 46;
export const SLASH: i32 = 47;
export const DIGIT_0: i32 = 48;
export const DIGIT_7: i32 = 55;
export const DIGIT_9: i32 = 57;
export const COLON: i32 = 58;
export const LT: i32 = 60;
export const EQ: i32 = 61;
export const GT: i32 = 62;
export const QMARK: i32 = 63;
export const AT: i32 = 64;
export const UPPER_A: i32 = 65;
export const UPPER_F: i32 = 70;
export const UPPER_X: i32 = 88;
export const UPPER_Z: i32 = 90;
export const LBRACK: i32 = 91;
export const BACKSLASH: i32 = 92;
export const RBRACK: i32 = 93;
export const UNDERSCORE: i32 = 95;
export const LOWER_A: i32 = 97;
export const LOWER_B: i32 = 98;
export const LOWER_C: i32 = 99;
export const LOWER_E: i32 = 101;
export const LOWER_F: i32 = 102;
export const LOWER_L: i32 = 108;
export const LOWER_N: i32 = 110;
export const LOWER_O: i32 = 111;
export const LOWER_R: i32 = 114;
export const LOWER_S: i32 = 115;
export const LOWER_T: i32 = 116;
export const LOWER_U: i32 = 117;
export const LOWER_V: i32 = 118;
export const LOWER_X: i32 = 120;
export const LOWER_Z: i32 = 122;
export const LBRACE: i32 = 123;
export const PIPE: i32 = 124;
export const RBRACE: i32 = 125;
export const TILDE: i32 = 126;
/** `c | CASE_BIT` folds an ASCII letter to lower case. */
export const CASE_BIT: i32 = 32;

export function isDigit(c: i32): bool {
  return c >= DIGIT_0 && c <= DIGIT_9;
}
export function isOctal(c: i32): bool {
  return c >= DIGIT_0 && c <= DIGIT_7;
}
export function isHex(c: i32): bool {
  return isDigit(c) || (c >= LOWER_A && c <= LOWER_F) || (c >= UPPER_A && c <= UPPER_F);
}
/** The value of a hex digit (isHex(c) must hold). */
export function hexValue(c: i32): i32 {
  return c <= DIGIT_9 ? c - DIGIT_0 : (c | CASE_BIT) - LOWER_A + 10;
}
export function isUpper(c: i32): bool {
  return c >= UPPER_A && c <= UPPER_Z;
}
export function isAlpha(c: i32): bool {
  return (c >= LOWER_A && c <= LOWER_Z) || isUpper(c);
}
export function isIdentStart(c: i32): bool {
  return isAlpha(c) || c == UNDERSCORE;
}
export function isIdentChar(c: i32): bool {
  return isAlpha(c) || isDigit(c) || c == UNDERSCORE;
}
export function isUpperIdentChar(c: i32): bool {
  return isUpper(c) || isDigit(c) || c == UNDERSCORE;
}
