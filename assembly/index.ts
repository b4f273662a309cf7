// The WASM module's entry: the core (src/core) compiled by asc, with assembly/mem.ts standing in
// for src/core/mem.ts (scripts/build-wasm.mjs). Its exports are plain numbers only: no bindings,
// no managed objects cross the boundary.

export * from "../src/core/index";
// Parsed only so `--use abort=assembly/abort/abort` (asconfig.json) can find it.
import "./abort";
