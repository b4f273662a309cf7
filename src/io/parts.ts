// Output writers collect text and byte parts and write them in large pieces.

/** Byte parts at least this large are written on their own, after what was collected before them:
 *  joining them with small neighbours would copy them again (JSON Lines arrive as ~1-2 MB buffers,
 *  and `parse` spent ~2.5 % of its time in that copy). */
export const OWN_WRITE_BYTES = 1 << 16;

/** Whether `s` is a byte part to write on its own (OWN_WRITE_BYTES). */
export function writtenAlone(s: string | Uint8Array): s is Uint8Array {
  return typeof s !== "string" && s.length >= OWN_WRITE_BYTES;
}

/** One write from text and byte parts (text-only parts stay one string: no encoding here; a single
 *  part, the usual case for JSONL batches of ~1 MB and more, is written as it is, not copied). */
export function joinParts(parts: (string | Uint8Array)[]): string | Uint8Array {
  if (parts.length === 1) return parts[0];
  if (parts.every((p) => typeof p === "string")) return parts.join("");
  return Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : p)));
}
