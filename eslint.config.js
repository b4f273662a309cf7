// ESLint flat config: the recommended JavaScript and typescript-eslint rules (syntax-only, no type
// information, so a lint run stays a few seconds on the 2-core CI machine), over the TypeScript
// and the Node scripts. Formatting is prettier's (.prettierrc.json), not ESLint's.
import js from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import globals from "globals";
import tseslint from "typescript-eslint";

export default defineConfig(
  globalIgnores([
    "node_modules/",
    "dist/",
    "dist-web/",
    "build/",
    "test-output/",
    "fixtures/",
    "src/wasm/binary.ts",
    "src/knowledge/generated/",
    // AssemblyScript (`@inline` functions, load/store builtins) is not TypeScript a parser accepts;
    // only the WASM target's memory shim lives there (the core, src/core, is linted).
    "assembly/",
  ]),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: { ...globals.node },
    },
    rules: {
      // `_` names a value a loop or destructuring must bind but does not use.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" }],
      // A named options interface that extends exactly one other is how an entry point states its
      // own options type while it has no fields of its own yet.
      "@typescript-eslint/no-empty-object-type": ["error", { allowInterfaces: "with-single-extends" }],
    },
  },
  {
    // The core is compiled by asc too: its state lives in namespaces (globals in WASM, one object's
    // fields in JavaScript), assigned from the other core modules, which ESLint cannot see.
    files: ["src/core/**"],
    rules: { "@typescript-eslint/no-namespace": "off", "prefer-const": "off" },
  },
  {
    files: ["web/**", "src/browser.ts"],
    languageOptions: { globals: { ...globals.browser } },
  },
);
