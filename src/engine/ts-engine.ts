// The pure-TypeScript engine: the same core (src/core), compiled by tsc, over a heap of its own.
// The TS build's memory is module state (src/core/mem.ts), so each instance switches the core to
// its own heap and regions before every call: engines can then be used side by side.

import * as core from "./ts-core.js";
import { currentHeap, useHeap } from "./ts-core.js";
import { CoreEngine } from "./core-engine.js";
import type { CoreExports } from "./core-exports.js";
import { CoreInstance, DEFAULT_MAX_MEMORY_BYTES } from "./core-instance.js";

/** The TS build's instance: a heap, and the core's functions called on it. */
class TsInstance extends CoreInstance {
  readonly exports: CoreExports;
  protected readonly label = "TS engine";
  private heap = new ArrayBuffer(65536);
  /** Whether regions were laid out on this heap (then entering restores them). */
  private laidOut = false;

  constructor(maxMemoryBytes: number) {
    super(maxMemoryBytes);
    const enter = () => this.enter();
    const leave = () => this.leave();
    const call =
      <A extends unknown[], R>(fn: (...args: A) => R) =>
      (...args: A): R => {
        enter();
        try {
          return fn(...args);
        } finally {
          leave();
        }
      };
    this.exports = {
      abiVersion: core.abiVersion,
      reserve: (inputCap, lineCap, nodeCap, rows) => {
        call(core.reserve)(inputCap, lineCap, nodeCap, rows);
        this.laidOut = true;
      },
      requiredBytes: call(core.requiredBytes),
      inputPtr: call(core.inputPtr),
      linesPtr: call(core.linesPtr),
      nodesPtr: call(core.nodesPtr),
      lineCount: core.lineCount,
      nodeCount: core.nodeCount,
      consumed: core.consumed,
      writeArgsJson: call(core.writeArgsJson),
      argsJsonSpansPtr: core.argsJsonSpansPtr,
      argsJsonBytesPtr: core.argsJsonBytesPtr,
      scanChunk: call(core.scanChunk),
      rowsReset: call(core.rowsReset),
      buildRows: call(core.buildRows),
      rowsOutPtr: call(core.rowsOutPtr),
      rowsDiagnostics: call(core.rowsDiagnostics),
      rowsAbortReason: call(core.rowsAbortReason),
      rowsAbortLine: call(core.rowsAbortLine),
      rowsNameCount: call(core.rowsNameCount),
      rowsQuietLine: call(core.rowsQuietLine),
      rowsQuietRows: call(core.rowsQuietRows),
      rowsQuietOffset: call(core.rowsQuietOffset),
      rowsQuietDiagnostics: call(core.rowsQuietDiagnostics),
      rowsQuietOwner: call(core.rowsQuietOwner),
      rowsNamePtr: call(core.rowsNamePtr),
      rowsNameLength: call(core.rowsNameLength),
      rowsJsonPtr: call(core.rowsJsonPtr),
      rowsJsonLength: call(core.rowsJsonLength),
      rowsHostTextPtr: call(core.rowsHostTextPtr),
      rowsHostTextCap: call(core.rowsHostTextCap),
      rowsSetHostText: call(core.rowsSetHostText),
      rowsNeedNames: call(core.rowsNeedNames),
      rowsSetNr: call(core.rowsSetNr),
      rowsSetLineBase: call(core.rowsSetLineBase),
    };
    this.checkAbi();
  }

  /** Puts this instance's heap and regions in place (another TS engine may have run since). */
  private enter(): void {
    useHeap(this.heap);
    if (this.laidOut) core.reserve(this.caps.input, this.caps.lines, this.caps.nodes, this.caps.rows);
  }

  private leave(): void {
    this.heap = currentHeap();
  }

  protected buffer(): ArrayBuffer {
    return this.heap;
  }
}

/** The pure-TypeScript engine: synchronous to create, the same tables as the WASM engine. */
export class TsEngine extends CoreEngine {
  constructor(opts: { maxMemoryBytes?: number } = {}) {
    super(new TsInstance(opts.maxMemoryBytes ?? DEFAULT_MAX_MEMORY_BYTES), "ts");
  }
}
