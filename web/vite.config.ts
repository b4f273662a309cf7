// Vite builds the page (web/) into a static folder. The page imports the library's sources
// directly (src/*.ts), so it builds without a prior `tsc`; the worker is an ES module worker.
import { defineConfig } from "vite";
import { tsCoreBundle } from "../scripts/ts-core/vite-plugin.mjs";

export default defineConfig({
  root: __dirname,
  base: "./", // relative URLs: the folder works from any path, or opened via a static server
  build: {
    target: "es2022",
    emptyOutDir: true,
    chunkSizeWarningLimit: 2048, // the WASM binaries are embedded as base64 in the library
  },
  // The TS engine's core bundled with constant bindings, as in dist/ (scripts/ts-core/).
  plugins: [tsCoreBundle()],
  worker: { format: "es", plugins: () => [tsCoreBundle()] },
  server: { host: "127.0.0.1" },
});
