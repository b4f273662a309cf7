// One running copy of the core with its regions: the WASM module's instance, or the TS build over
// a heap of its own. It owns the capacities reserved and the typed-array views over its memory.

import { ABI_VERSION } from "../core/abi.js";
import type { CoreExports } from "./core-exports.js";

/** Capacities of the three regions. */
export interface Caps {
  input: number;
  lines: number;
  nodes: number;
  /** Room for the record-row block (src/core/rows): 0 none, 1 the block, 2 the block and its
   *  JSON ring; kept once an engine makes rows. */
  rows: 0 | 1 | 2;
}

export const DEFAULT_MAX_MEMORY_BYTES = 1024 * 1024 * 1024;

/** Used by one engine at a time (views are shared). */
export abstract class CoreInstance {
  abstract readonly exports: CoreExports;
  readonly maxMemoryBytes: number;
  caps: Caps = { input: 0, lines: 0, nodes: 0, rows: 0 };
  private viewed: ArrayBuffer | undefined;
  private u8view = new Uint8Array(0);
  private i32view = new Int32Array(0);

  constructor(maxMemoryBytes: number) {
    this.maxMemoryBytes = maxMemoryBytes;
  }

  /** The memory the core works in now (growing it replaces the buffer). */
  protected abstract buffer(): ArrayBuffer;
  /** What a RangeError names as the limit's owner. */
  protected abstract readonly label: string;

  protected checkAbi(): void {
    const v = this.exports.abiVersion();
    if (v !== ABI_VERSION) {
      throw new RangeError(`strace-seq: ${this.label} has ABI version ${v}, this library expects ${ABI_VERSION}; rebuild with npm run build`);
    }
  }

  /** Any call that may grow memory detaches the old ArrayBuffer; re-create the views when it changed. */
  private refresh(): void {
    const buf = this.buffer();
    if (buf !== this.viewed) {
      this.viewed = buf;
      this.u8view = new Uint8Array(buf);
      this.i32view = new Int32Array(buf);
    }
  }

  get u8(): Uint8Array {
    this.refresh();
    return this.u8view;
  }

  get i32(): Int32Array {
    this.refresh();
    return this.i32view;
  }

  /** Bytes the regions would take with these capacities. */
  requiredBytes(caps: Caps): number {
    return this.exports.requiredBytes(caps.input, caps.lines, caps.nodes, caps.rows);
  }

  /** Whether `caps` fit under maxMemoryBytes. */
  fits(caps: Caps): boolean {
    return this.requiredBytes(caps) <= this.maxMemoryBytes;
  }

  /**
   * Lays the regions out for `caps` (previous tables become invalid). Throws a RangeError naming
   * `what` (e.g. "while scanning a line of 5000000 bytes") when the memory limit would be passed.
   */
  reserve(caps: Caps, what: string): void {
    const need = this.requiredBytes(caps);
    let ok = need <= this.maxMemoryBytes;
    if (ok) {
      try {
        this.exports.reserve(caps.input, caps.lines, caps.nodes, caps.rows);
      } catch (e) {
        if (!(e instanceof WebAssembly.RuntimeError) && !(e instanceof RangeError)) throw e;
        ok = false; // memory could not grow: the engine's own limit is below ours
      }
    }
    if (!ok) {
      const mib = (n: number) => Math.round(n / 1048576);
      throw new RangeError(
        `strace-seq: ${this.label} memory limit of ${mib(this.maxMemoryBytes)} MiB reached ${what} ` +
          `(needs ${mib(need)} MiB); raise maxMemoryBytes or split the input`,
      );
    }
    this.caps = { ...caps };
  }
}
