// What the golden cases exercise in the scanners' tables: the LineKinds and NodeKinds an engine
// writes for an input (the row stage's scan too). The engine API is read in scanKinds() alone, so a
// change to it is one edit.

import { readFileSync } from "node:fs";
import { LineField, NodeField, NodeKind, ScanMode } from "../../src/core/abi.js";
import type { CoreEngine } from "../../src/engine/core-engine.js";

/** Adds to `lineKinds` and `nodeKinds` every kind `engine` writes while scanning all of `input`.
 *  With `rows` (ScanMode.Rows, the row stage's scan), only the RowLine entries it adds: their
 *  other slots hold numbers, not nodes, and the rest of its tables are the full scan's. */
export function scanKinds(engine: CoreEngine, input: Uint8Array, lineKinds: Set<number>, nodeKinds: Set<number>, rows = false): void {
  let data = input;
  // an engine may stop at a line boundary when its tables fill: scan on until all is consumed
  while (data.length > 0) {
    const b = engine.scan(data, true, rows ? ScanMode.Rows : ScanMode.Full);
    for (let r = 0; r < b.lineCount; r++) {
      const row = r * LineField.Stride;
      if (!rows) lineKinds.add(b.lines[row + LineField.Kind]!);
      else if (b.lines[row + LineField.NodeStart]! < b.lines[row + LineField.NodeEnd]!) {
        const kind = b.nodes[b.lines[row + LineField.NodeStart]! * NodeField.Stride + NodeField.Kind]!;
        if (kind === NodeKind.RowLine) nodeKinds.add(kind);
      }
    }
    if (!rows) for (let n = 0; n < b.nodeCount; n++) nodeKinds.add(b.nodes[n * NodeField.Stride + NodeField.Kind]!);
    if (b.consumed === 0) throw new Error("engine consumed nothing");
    data = data.subarray(b.consumed);
  }
}

/** The members of `export const enum NAME { ... }` in a TypeScript file, by value. Const enums are
 *  erased at compile time, so the file's text is the only place to enumerate them from. */
export function constEnumMembers(file: string | URL, name: string): Map<number, string> {
  const text = readFileSync(file, "utf8");
  // the body ends at the first line that is a lone `}` (doc comments may hold braces)
  const m = new RegExp(`export const enum ${name} \\{\\n([\\s\\S]*?)\\n\\}`).exec(text);
  if (!m) throw new Error(`no const enum ${name} in ${String(file)}`);
  const members = new Map<number, string>();
  for (const line of m[1]!.split("\n")) {
    const code = line.replace(/\/\/.*$/, "").trim();
    if (code === "" || code.startsWith("/*") || code.startsWith("*")) continue;
    const mm = /^([A-Za-z_]\w*)\s*=\s*(\d+)\s*,?$/.exec(code);
    // a member written another way would silently drop out of the coverage check
    if (!mm) throw new Error(`${String(file)}: cannot read the ${name} member "${code}"`);
    members.set(Number(mm[2]), mm[1]!);
  }
  return members;
}
