// Byte-to-string helpers. strace escapes every non-printable byte, so its own text is ASCII and a
// byte-per-char decode is exact; lines that are not strace's (program output) may be UTF-8.

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

/** Decodes the body of a C string literal as strace prints it: `\n \t \r \v \f \" \\ \ooo \xNN`.
 *  Bytes become code points 0..255, so binary data survives unchanged. */
export function decodeCString(body: string): string {
  if (body.indexOf("\\") < 0) return body;
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== "\\" || i + 1 >= body.length) {
      out += c;
      continue;
    }
    const d = body[++i];
    switch (d) {
      case "n":
        out += "\n";
        break;
      case "t":
        out += "\t";
        break;
      case "r":
        out += "\r";
        break;
      case "v":
        out += "\v";
        break;
      case "f":
        out += "\f";
        break;
      case "a":
        out += "\x07";
        break;
      case "b":
        out += "\b";
        break;
      case "e":
        out += "\x1b";
        break;
      case "x": {
        let j = i + 1;
        while (j < body.length && j < i + 3 && /[0-9a-fA-F]/.test(body[j])) j++;
        out += String.fromCharCode(parseInt(body.slice(i + 1, j) || "0", 16));
        i = j - 1;
        break;
      }
      default:
        if (d >= "0" && d <= "7") {
          let j = i;
          while (j < body.length && j < i + 3 && body[j] >= "0" && body[j] <= "7") j++;
          out += String.fromCharCode(parseInt(body.slice(i, j), 8) & 255);
          i = j - 1;
        } else {
          out += d;
        }
    }
  }
  return out;
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
