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
    // AssemblyScript (`@inline` functions, `<usize>` casts) is not TypeScript a parser accepts;
    // assembly/scanner.ts is generated from src/engine/ts/scanner.ts, which is linted.
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
    files: ["web/**", "src/browser.ts"],
    languageOptions: { globals: { ...globals.browser } },
  },
);
