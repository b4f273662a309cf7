// Types of bundle.mjs, for the tests and the Vite configs that import it.

/** The repository root. */
export declare const ROOT: string;
/** src/engine/ts-core.ts, the module the bundle stands in for. */
export declare const ENTRY: string;
/** src/core, whose modules are made const-bound. */
export declare const CORE_DIR: string;

/** Compiles and bundles the TS engine's core: the module's code, the sources it was made from, and
 *  how many helper calls were inlined. */
export declare function bundleTsCore(opts?: { warn?: (message: string) => void }): Promise<{ code: string; sources: string[]; inlined: number }>;
