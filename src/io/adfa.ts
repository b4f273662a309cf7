// ADFA-LD trace files (Creech & Hu 2013): one trace per file, system-call numbers in i386
// (32-bit x86) numbering separated by whitespace.

import { readFile } from "node:fs/promises";
import { adfaSymbolizer, type SymbolMode } from "../seq/symbols.js";

/** The call numbers of one ADFA-LD file's text. Throws on anything that is not a number. */
export function parseAdfa(text: string, file = "<adfa>"): number[] {
  const out: number[] = [];
  for (const tok of text.split(/\s+/)) {
    if (tok === "") continue;
    if (!/^\d+$/.test(tok)) throw new Error(`${file}: not an ADFA-LD syscall number: ${JSON.stringify(tok.slice(0, 40))}`);
    out.push(Number(tok));
  }
  return out;
}

/** One ADFA-LD file as a symbol sequence (symbol modes as in seq/symbols.ts; the default
 *  "nr32" keeps the file's own numbers). */
export async function readAdfa(path: string, symbol: SymbolMode = "nr32"): Promise<string[]> {
  return adfaSymbols(parseAdfa(await readFile(path, "utf8"), path), symbol);
}

export function adfaSymbols(numbers: readonly number[], symbol: SymbolMode = "nr32"): string[] {
  const f = adfaSymbolizer(symbol);
  // Memoise: ADFA uses a few hundred distinct numbers across 2.7M calls.
  const cache = new Map<number, string>();
  return numbers.map((n) => {
    let s = cache.get(n);
    if (s === undefined) cache.set(n, (s = f(n)));
    return s;
  });
}
