// The core as the TS engine loads it: src/core's entry points and the TS heap switch. tsc compiles
// this file as a plain re-export; the build replaces that output with the core bundled into one
// scope whose functions and state objects are constants (scripts/ts-core/, docs/performance.md).

export * from "../core/index.js";
export { currentHeap, useHeap } from "../core/mem.js";
