// Chunks in, scanned batches of whole lines out: the partial last line is carried between chunks
// (in pieces, joined once, so a line longer than any chunk costs linear copying) and the engine is
// called until every complete line is scanned. TraceParser builds records from the batches.

import type { Engine, ScanBatch } from "./engine/types.js";

/** Receives each batch; `lastOpen` says the batch's last line ended the input without a newline. */
export type BatchHandler = (batch: ScanBatch, lastOpen: boolean) => void;

export class LineFeeder {
  bytes = 0;
  /** Input offset of the first byte not scanned yet: during onBatch, where the batch's bytes start. */
  scanned = 0;
  private carryParts: Uint8Array[] = [];
  private carryLength = 0;

  constructor(
    private readonly engine: Engine,
    private readonly onBatch: BatchHandler,
  ) {}

  push(chunk: Uint8Array): void {
    this.bytes += chunk.length;
    if (this.carryParts.length > 0 && chunk.indexOf(10) < 0) {
      this.carryParts.push(chunk.slice());
      this.carryLength += chunk.length;
      return;
    }
    let buf = chunk;
    if (this.carryParts.length > 0) {
      // Only the carried line is joined (with the chunk's first line), not the whole chunk: a
      // copy of every chunk cost more than scanning it.
      const nl = chunk.indexOf(10) + 1;
      this.carryParts.push(chunk.subarray(0, nl));
      const first = this.joinCarry(this.carryLength + nl);
      this.scanAll(first, false);
      buf = chunk.subarray(nl);
    }
    const rest = this.scanAll(buf, false);
    if (rest < buf.length) {
      this.carryParts = [buf.slice(rest)];
      this.carryLength = buf.length - rest;
    }
  }

  end(): void {
    if (this.carryParts.length === 0) return;
    this.scanAll(this.joinCarry(this.carryLength), true);
  }

  private joinCarry(length: number): Uint8Array {
    const buf = new Uint8Array(length);
    let off = 0;
    for (const part of this.carryParts) {
      buf.set(part, off);
      off += part.length;
    }
    this.carryParts = [];
    this.carryLength = 0;
    return buf;
  }

  /** Scans every whole line of buf (all of it when final); returns the offset scanned up to. */
  private scanAll(buf: Uint8Array, final: boolean): number {
    let off = 0;
    while (off < buf.length) {
      const view = off === 0 ? buf : buf.subarray(off);
      const batch = this.engine.scan(view, final);
      if (batch.lineCount === 0) break;
      this.onBatch(batch, final && view[view.length - 1] !== 10);
      this.scanned += batch.consumed;
      if (batch.consumed === 0) break;
      off += batch.consumed;
    }
    return off;
  }
}
