// The WASM engine: the core compiled by asc, one module instance per engine.

import { CoreEngine } from "./core-engine.js";
import type { Engine } from "./types.js";
import { createWasmInstance, type WasmInstance, type WasmOptions } from "../wasm/instance.js";

export type { WasmOptions } from "../wasm/instance.js";

class WasmEngine extends CoreEngine {
  private readonly wasm: WasmInstance;

  constructor(inst: WasmInstance) {
    super(inst, "wasm");
    this.wasm = inst;
  }

  /** Flavor of the build in use ("simd" | "scalar"). */
  get flavor() {
    return this.wasm.flavor;
  }
}

/** Creates a WASM engine (compiling the module on first use; later engines reuse the compiled module). */
export async function createWasmEngine(opts?: WasmOptions): Promise<Engine & { readonly flavor: "simd" | "scalar" }> {
  return new WasmEngine(await createWasmInstance(opts));
}
