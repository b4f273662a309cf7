// Vite (and so vitest) plugin: src/engine/ts-core.ts is served as the bundled, const-bound core of
// bundle.mjs, so the tests and the browser page run the TS engine's core in the form dist/ ships.
// The bundle is made once per server or build, and again when a core source changes (watch mode).

import { dirname, resolve } from "node:path";
import { bundleTsCore, ENTRY } from "./bundle.mjs";

/** A virtual module (the `\0` prefix keeps other plugins, e.g. the TypeScript transform, off it). */
const BUNDLED_ID = "\0strace-seq-ts-core.js";

/** The plugin; add it to `plugins` (and to `worker.plugins` where workers import the library). */
export function tsCoreBundle() {
  let pending;
  let sources = new Set();
  return {
    name: "strace-seq-ts-core",
    enforce: "pre",
    async resolveId(source, importer, options) {
      // Only modules beside the entry import it (ts-engine.ts); resolve nothing else twice.
      if (!importer || dirname(resolve(importer.split("?")[0])) !== dirname(ENTRY)) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved && resolve(resolved.id.split("?")[0]) === ENTRY ? BUNDLED_ID : null;
    },
    async load(id) {
      if (id !== BUNDLED_ID) return null;
      pending ??= bundleTsCore({ warn: (m) => this.warn(m) });
      const bundle = await pending;
      sources = new Set(bundle.sources);
      for (const s of bundle.sources) this.addWatchFile(s);
      return bundle.code;
    },
    watchChange(id) {
      if (sources.has(resolve(id))) pending = undefined;
    },
  };
}
