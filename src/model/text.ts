// Byte-to-string helpers. strace escapes every non-printable byte, so its own text is ASCII and a
// byte-per-char decode is exact; lines that are not strace's (program output) may be UTF-8.

import { escapeByteOf, escapeLengthOf } from "../core/literals.js";

const utf8 = new TextDecoder("utf-8", { fatal: false });

/** Bytes [s, e) as one char per byte (exact for ASCII; never throws). */
export function latin1(b: Uint8Array, s: number, e: number): string {
  const n = e - s;
  if (n <= 24) {
    // short spans (names, numbers, flags) are fastest byte by byte
    let out = "";
    for (let i = s; i < e; i++) out += String.fromCharCode(b[i]);
    return out;
  }
  let ascii = true;
  for (let i = s; i < e; i++) {
    if (b[i] > 127) {
      ascii = false;
      break;
    }
  }
  if (ascii) return utf8.decode(b.subarray(s, e));
  let out = "";
  for (let i = s; i < e; i += 8192) out += String.fromCharCode.apply(null, b.subarray(i, Math.min(e, i + 8192)) as unknown as number[]);
  return out;
}

/** Bytes [s, e) as UTF-8 text (for lines that are not strace's own output). */
export function utf8Text(b: Uint8Array, s: number, e: number): string {
  return utf8.decode(b.subarray(s, e));
}

/** Text that is not strace's own (program output, whole foreign lines): ASCII one byte per char,
 *  anything else as UTF-8. */
export function outputText(b: Uint8Array, s: number, e: number): string {
  return isAscii(b, s, e) ? latin1(b, s, e) : utf8Text(b, s, e);
}

/** True when bytes [s, e) are all ASCII. */
export function isAscii(b: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (b[i] > 127) return false;
  return true;
}

/** Decodes the body of a C string literal as strace prints it (`\n \t \r \v \f \" \\ \ooo \xNN`)
 *  with the core's escape reading (src/core/literals.ts), the one the argument JSON writer uses.
 *  Bytes become code points 0..255, so binary data survives unchanged. */
export function decodeCString(body: string): string {
  let at = body.indexOf("\\");
  if (at < 0) return body;
  const n = body.length;
  let out = "";
  let from = 0;
  // a backslash that ends the body stays as it is
  while (at >= 0 && at + 1 < n) {
    const d0 = body.charCodeAt(at + 1);
    const d1 = at + 2 < n ? body.charCodeAt(at + 2) : 0;
    const d2 = at + 3 < n ? body.charCodeAt(at + 3) : 0;
    out += body.slice(from, at) + String.fromCharCode(escapeByteOf(d0, d1, d2));
    from = at + 1 + escapeLengthOf(d0, d1, d2);
    at = body.indexOf("\\", from);
  }
  return out + body.slice(from);
}

/** Encodes a decoded string the way strace prints it by default (octal escapes for non-printables). */
export function encodeCString(value: string): string {
  let out = "";
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    const c = value[i];
    if (c === '"') out += '\\"';
    else if (c === "\\") out += "\\\\";
    else if (c === "\n") out += "\\n";
    else if (c === "\t") out += "\\t";
    else if (c === "\r") out += "\\r";
    else if (c === "\v") out += "\\v";
    else if (c === "\f") out += "\\f";
    else if (code >= 32 && code < 127) out += c;
    else {
      // strace uses the shortest octal form unless a digit follows
      const next = value.charCodeAt(i + 1);
      const digitFollows = next >= 48 && next <= 55;
      out += "\\" + (digitFollows ? (code & 255).toString(8).padStart(3, "0") : (code & 255).toString(8));
    }
  }
  return out;
}
