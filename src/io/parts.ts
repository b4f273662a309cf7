// Output writers collect text and byte parts and write them in large pieces.

/** One write from text and byte parts (text-only parts stay one string: no encoding here). */
export function joinParts(parts: (string | Uint8Array)[]): string | Uint8Array {
  if (parts.every((p) => typeof p === "string")) return parts.join("");
  return Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : p)));
}
