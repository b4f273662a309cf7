import { defineConfig } from "vitest/config";
import { tsCoreBundle } from "./scripts/ts-core/vite-plugin.mjs";

export default defineConfig({
  // The TS engine runs its core as the build ships it: one scope, constant bindings.
  plugins: [tsCoreBundle()],
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
