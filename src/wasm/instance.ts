// Loading the WASM scanner: pick a build, compile it once, instantiate, check the ABI version,
// and own the instance's regions and the typed-array views over its memory.
//
// Instantiation uses plain WebAssembly.instantiate rather than @assemblyscript/loader: the module
// has no imports and only number exports, so the loader would add nothing but a runtime dependency
// (it is a devDependency here, and deprecated upstream).

import { ABI_VERSION } from "../engine/abi.js";
import { SCALAR_WASM_BASE64, SIMD_WASM_BASE64 } from "./binary.js";
import { decodeBase64 } from "./decode.js";
import type { WasmExports } from "./exports.js";

export type WasmFlavor = "simd" | "scalar";

export interface WasmOptions {
  /** Which build to run. Default: the `STRACE_SEQ_WASM` environment variable if set ("simd" | "scalar"),
   *  else SIMD when the engine validates it, else scalar. */
  flavor?: WasmFlavor | "auto";
  /** Upper bound on the instance's linear memory, in bytes. Default 1 GiB. */
  maxMemoryBytes?: number;
}

export const DEFAULT_MAX_MEMORY_BYTES = 1024 * 1024 * 1024;

const modules: Partial<Record<WasmFlavor, Promise<WebAssembly.Module>>> = {};
let simdValid: boolean | undefined;

function binary(flavor: WasmFlavor): Uint8Array<ArrayBuffer> {
  return decodeBase64(flavor === "simd" ? SIMD_WASM_BASE64 : SCALAR_WASM_BASE64);
}

function envFlavor(): string | undefined {
  // Guarded: browsers and workers have no `process`.
  const g = globalThis as { process?: { env?: Record<string, string | undefined> } };
  return g.process?.env?.STRACE_SEQ_WASM;
}

/** Resolves "auto" (and the env override) to the build this engine can run. */
export function chooseFlavor(requested: WasmFlavor | "auto" = "auto"): WasmFlavor {
  let want: string = requested;
  if (want === "auto") want = envFlavor() ?? "auto";
  if (want === "scalar") return "scalar";
  simdValid ??= WebAssembly.validate(binary("simd"));
  if (want === "simd" && !simdValid) throw new RangeError("strace-seq: this WebAssembly engine does not support SIMD");
  return simdValid ? "simd" : "scalar";
}

/** Compiles a build once per process (async: browsers refuse sync compiles of large modules on the main thread). */
export function compileWasm(flavor: WasmFlavor): Promise<WebAssembly.Module> {
  let m = modules[flavor];
  if (!m) {
    m = WebAssembly.compile(binary(flavor));
    modules[flavor] = m;
    m.catch(() => delete modules[flavor]); // let a later call retry
  }
  return m;
}

/** Capacities of the three regions. */
export interface Caps {
  input: number;
  lines: number;
  nodes: number;
}

/** One instance with its regions; used by one engine at a time (views are shared). */
export class WasmInstance {
  readonly exports: WasmExports;
  readonly flavor: WasmFlavor;
  readonly maxMemoryBytes: number;
  caps: Caps = { input: 0, lines: 0, nodes: 0 };
  private buffer: ArrayBuffer | undefined;
  private u8view = new Uint8Array(0);
  private i32view = new Int32Array(0);

  constructor(exports: WasmExports, flavor: WasmFlavor, maxMemoryBytes: number) {
    this.exports = exports;
    this.flavor = flavor;
    this.maxMemoryBytes = maxMemoryBytes;
    const v = exports.abiVersion();
    if (v !== ABI_VERSION) {
      throw new RangeError(`strace-seq: WASM module has ABI version ${v}, this library expects ${ABI_VERSION}; rebuild with npm run build:wasm`);
    }
  }

  /** Any call that may grow memory detaches the old ArrayBuffer; re-create the views when it changed. */
  private refresh(): void {
    const buf = this.exports.memory.buffer;
    if (buf !== this.buffer) {
      this.buffer = buf;
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
    return this.exports.requiredBytes(caps.input, caps.lines, caps.nodes);
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
        this.exports.reserve(caps.input, caps.lines, caps.nodes);
      } catch (e) {
        if (!(e instanceof WebAssembly.RuntimeError)) throw e;
        ok = false; // memory.grow failed: the engine's own limit is below ours
      }
    }
    if (!ok) {
      const mib = (n: number) => Math.round(n / 1048576);
      throw new RangeError(
        `strace-seq: WASM memory limit of ${mib(this.maxMemoryBytes)} MiB reached ${what} ` +
          `(needs ${mib(need)} MiB); raise maxMemoryBytes or split the input`,
      );
    }
    this.caps = { ...caps };
  }
}

/** Compiles (once) and instantiates the chosen build. */
export async function createWasmInstance(opts: WasmOptions = {}): Promise<WasmInstance> {
  const flavor = chooseFlavor(opts.flavor);
  const module = await compileWasm(flavor);
  const instance = await WebAssembly.instantiate(module, {});
  return new WasmInstance(instance.exports as unknown as WasmExports, flavor, opts.maxMemoryBytes ?? DEFAULT_MAX_MEMORY_BYTES);
}
