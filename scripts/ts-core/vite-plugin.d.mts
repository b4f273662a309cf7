// Types of vite-plugin.mjs, for the Vite and vitest configs.
import type { Plugin } from "vite";

/** Serves src/engine/ts-core.ts as the bundled, const-bound core. */
export declare function tsCoreBundle(): Plugin;
