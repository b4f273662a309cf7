// Interned strings for the short names that repeat on nearly every line (syscall names, errnos,
// their messages, signals): one small hash table instead of a new string per line.

import { latin1 } from "./text.js";

const SIZE = 4096;
const keys: (string | undefined)[] = new Array(SIZE);

/** The string for bytes [s, e) (ASCII), shared with every earlier occurrence. */
export function intern(b: Uint8Array, s: number, e: number): string {
  const n = e - s;
  if (n > 48) return latin1(b, s, e);
  let h = 2166136261;
  for (let i = s; i < e; i++) h = Math.imul(h ^ b[i], 16777619);
  const slot = (h >>> 0) & (SIZE - 1);
  const k = keys[slot];
  if (k !== undefined && k.length === n) {
    let same = true;
    for (let i = 0; i < n; i++) {
      if (k.charCodeAt(i) !== b[s + i]) {
        same = false;
        break;
      }
    }
    if (same) return k;
  }
  const str = latin1(b, s, e);
  keys[slot] = str;
  return str;
}
