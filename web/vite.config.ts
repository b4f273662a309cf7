// Vite builds the page (web/) into a static folder. The page imports the library's sources
// directly (src/*.ts), so it builds without a prior `tsc`; the worker is an ES module worker.
import { defineConfig } from "vite";

export default defineConfig({
  root: __dirname,
  base: "./", // relative URLs: the folder works from any path, or opened via a static server
  build: {
    target: "es2022",
    emptyOutDir: true,
    chunkSizeWarningLimit: 2048, // the WASM binaries are embedded as base64 in the library
  },
  worker: { format: "es" },
  server: { host: "127.0.0.1" },
});
