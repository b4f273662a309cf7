// The pure-TypeScript engine: line framing plus LineScanner, writing the same tables as the WASM engine.

import { LineField } from "./abi.js";
import { LineScanner } from "./ts/scanner.js";
import type { Engine, ScanBatch } from "./types.js";

const NL = 10;
const CR = 13;

export class TsEngine implements Engine {
  readonly name = "ts" as const;
  private readonly scanner = new LineScanner();
  private lines = new Int32Array(1024 * LineField.Stride);

  scan(chunk: Uint8Array, final: boolean): ScanBatch {
    const sc = this.scanner;
    sc.reset();
    let lineCount = 0;
    let p = 0;
    const len = chunk.length;
    while (p < len) {
      let nl = chunk.indexOf(NL, p);
      if (nl < 0) {
        if (!final) break;
        nl = len;
      }
      const end = nl > p && nl < len && chunk[nl - 1] === CR ? nl - 1 : nl;
      const nodeStart = sc.nodeCount;
      sc.scanLine(chunk, p, end);
      if ((lineCount + 1) * LineField.Stride > this.lines.length) {
        const grown = new Int32Array(this.lines.length * 2);
        grown.set(this.lines);
        this.lines = grown;
      }
      const o = lineCount * LineField.Stride;
      const L = this.lines;
      L[o + LineField.Start] = p;
      L[o + LineField.End] = end;
      L[o + LineField.Kind] = sc.kind;
      L[o + LineField.NodeStart] = nodeStart;
      L[o + LineField.NodeEnd] = sc.nodeCount;
      L[o + LineField.Err] = sc.err;
      L[o + LineField.ErrAt] = sc.errAt;
      L[o + LineField.Pid] = sc.pid;
      lineCount++;
      p = nl + 1;
    }
    return {
      bytes: chunk,
      lines: this.lines,
      lineCount,
      nodes: sc.nodes,
      nodeCount: sc.nodeCount,
      consumed: Math.min(p, len),
    };
  }
}
