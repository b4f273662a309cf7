// Loading the WASM build of the core: pick a build, compile it once, instantiate, check the ABI
// version; the instance's regions and views are CoreInstance's.
//
// Instantiation uses plain WebAssembly.instantiate rather than @assemblyscript/loader: the module
// has one number-only import and only number exports, so the loader would add nothing but a
// runtime dependency (it is a devDependency here, and deprecated upstream).

import { CoreInstance, DEFAULT_MAX_MEMORY_BYTES } from "../engine/core-instance.js";
import type { WasmExports } from "../engine/core-exports.js";
import { SCALAR_WASM_BASE64, SIMD_WASM_BASE64 } from "./binary.js";
import { decodeBase64 } from "./decode.js";

export type WasmFlavor = "simd" | "scalar";

export interface WasmOptions {
  /** Which build to run. Default: the `STRACE_SEQ_WASM` environment variable if set ("simd" | "scalar"),
   *  else SIMD when the engine validates it, else scalar. */
  flavor?: WasmFlavor | "auto";
  /** Upper bound on the instance's linear memory, in bytes. Default 1 GiB. */
  maxMemoryBytes?: number;
}

export { DEFAULT_MAX_MEMORY_BYTES };
export type { Caps } from "../engine/core-instance.js";

const modules: Partial<Record<WasmFlavor, Promise<WebAssembly.Module>>> = {};
let simdValid: boolean | undefined;

const binaries: Partial<Record<WasmFlavor, Uint8Array<ArrayBuffer>>> = {};

/** A build's bytes, decoded once per process (chooseFlavor validates the SIMD build, then it is
 *  compiled). */
function binary(flavor: WasmFlavor): Uint8Array<ArrayBuffer> {
  return (binaries[flavor] ??= decodeBase64(flavor === "simd" ? SIMD_WASM_BASE64 : SCALAR_WASM_BASE64));
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

/** The WASM module's instance: its memory is the instance's own, so nothing needs switching. */
export class WasmInstance extends CoreInstance {
  readonly exports: WasmExports;
  readonly flavor: WasmFlavor;
  protected readonly label = "WASM";

  constructor(exports: WasmExports, flavor: WasmFlavor, maxMemoryBytes: number) {
    super(maxMemoryBytes);
    this.exports = exports;
    this.flavor = flavor;
    this.checkAbi();
  }

  protected buffer(): ArrayBuffer {
    return this.exports.memory.buffer;
  }
}

/** Compiles (once) and instantiates the chosen build. */
export async function createWasmInstance(opts: WasmOptions = {}): Promise<WasmInstance> {
  const flavor = chooseFlavor(opts.flavor);
  const module = await compileWasm(flavor);
  const instanceMemory: { memory?: WebAssembly.Memory } = {};
  const env = {
    // JavaScript's text for a number the core's JSON writer cannot prove it writes the same way
    // (src/core/json/numbers.ts); the TS build does the same in src/core/mem.ts
    formatNumber(x: number, at: number, room: number): number {
      const s = String(x);
      const u8 = new Uint8Array(instanceMemory.memory!.buffer, at >>> 0, Math.min(s.length, room));
      for (let i = 0; i < u8.length; i++) u8[i] = s.charCodeAt(i);
      return s.length;
    },
  };
  const instance = await WebAssembly.instantiate(module, { env });
  instanceMemory.memory = (instance.exports as unknown as WasmExports).memory;
  return new WasmInstance(instance.exports as unknown as WasmExports, flavor, opts.maxMemoryBytes ?? DEFAULT_MAX_MEMORY_BYTES);
}
