// Builds the TS engine's core as one ES module whose hot bindings are constants: tsc's compiler
// API emits src/engine/ts-core.ts and the core it re-exports (src/core) with the transformers of
// transforms.mjs, into memory, and rollup joins those modules into one scope. Rollup keeps each
// declaration's kind (esbuild's bundler turns top-level `const` into `var`, which is what this
// build exists to avoid), so the result has the core's functions and state objects as `const`.
// Last, inline.mjs substitutes the small read-only helpers (memory reads, byte tests) into their
// callers, which V8 would otherwise leave as calls in the grammar's large functions.
// Used by scripts/build-ts-core.mjs (dist/) and by vite-plugin.mjs (tests and the browser page).

import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { rollup } from "rollup";
import ts from "typescript";
import { inlinePureHelpers } from "./inline.mjs";
import { functionsToConsts, stateNamespacesToConsts } from "./transforms.mjs";

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** The module the bundle stands in for: src/engine/ts-core.ts (it re-exports the core). */
export const ENTRY = join(ROOT, "src/engine/ts-core.ts");
/** The folder whose modules are made const-bound. */
export const CORE_DIR = join(ROOT, "src/core");

const posix = (p) => p.split("\\").join("/");
const inCore = (fileName) => posix(fileName).startsWith(posix(CORE_DIR) + "/");

/**
 * Compiles and bundles the TS engine's core; returns the module's code and the source files it
 * was made from. Throws with tsc's messages when the core does not compile.
 * @param {{ warn?: (message: string) => void }} [opts]
 */
export async function bundleTsCore(opts = {}) {
  const warn = opts.warn ?? ((m) => console.warn(m));
  const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, "tsconfig.build.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  if (!config) throw new Error("ts-core: cannot read tsconfig.build.json");
  // Type-checking is tsc's job in build:ts; here only the emit counts (the checker still inlines
  // const enums across modules), so the standard library's and Node's declarations, which take
  // most of a full program's time, are left out. The project's own declaration files stay.
  const options = {
    ...config.options,
    declaration: false,
    sourceMap: false,
    noEmit: false,
    noEmitOnError: false,
    noLib: true,
    types: [],
    outDir: join(ROOT, "dist"),
  };
  const declarations = config.fileNames.filter((f) => f.endsWith(".d.ts"));
  const program = ts.createProgram({ rootNames: [ENTRY, ...declarations], options });

  const emitted = new Map();
  const skipped = [];
  const result = program.emit(undefined, (name, text) => emitted.set(resolve(name), text), undefined, false, {
    before: [stateNamespacesToConsts(inCore, (file, name) => skipped.push(`${file}: namespace ${name}`))],
    after: [functionsToConsts(inCore)],
  });
  if (result.emitSkipped) {
    const messages = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    throw new Error(`ts-core: tsc did not emit the core:\n${messages.slice(0, 20).join("\n")}`);
  }
  for (const s of skipped) warn(`ts-core: ${s} is not plain state (exported variables only), left as tsc emits it`);

  const input = join(ROOT, "dist/engine/ts-core.js");
  const bundle = await rollup({
    input,
    plugins: [
      {
        name: "tsc-output",
        resolveId(source, importer) {
          if (!importer) return emitted.has(source) ? source : null;
          const id = resolve(dirname(importer), source);
          if (!emitted.has(id)) throw new Error(`ts-core: ${importer} imports ${source}, which is not part of the core`);
          return id;
        },
        load: (id) => emitted.get(id) ?? null,
      },
    ],
    // The grammar's modules import each other (args -> echoes -> events -> args): harmless, since
    // no module calls another while it is being initialised.
    onwarn: (w) => (w.code === "CIRCULAR_DEPENDENCY" ? undefined : warn(`ts-core: rollup: ${w.message}`)),
  });
  const { output } = await bundle.generate({ format: "es" });
  await bundle.close();
  const sources = program
    .getSourceFiles()
    .map((f) => resolve(f.fileName))
    .filter((f) => f === ENTRY || inCore(f));
  const { code, inlined } = inlinePureHelpers(output[0].code);
  return { code, sources, inlined };
}
