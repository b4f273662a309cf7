// Output writers collect text and byte parts and write them in large pieces.

/** One write from text and byte parts (text-only parts stay one string: no encoding here; a single
 *  part, the usual case for JSONL batches of ~1 MB and more, is written as it is, not copied). */
export function joinParts(parts: (string | Uint8Array)[]): string | Uint8Array {
  if (parts.length === 1) return parts[0];
  if (parts.every((p) => typeof p === "string")) return parts.join("");
  return Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : p)));
}
