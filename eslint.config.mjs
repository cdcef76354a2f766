// ESLint (flat config): typescript-eslint's recommended rules on every side, plus the few house
// rules below. Layout is Prettier's (.prettierrc.json), never a lint topic; import cycles and
// boundaries are scripts/check-imports.mjs's (npm run check:imports).
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      "node_modules/**",
      "extension/tsPlugin/dist/**",
      "test/fixtures/**",
      "**/*.d.ts",
      "**/*.d.mts",
      "*.vsix",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // A leading underscore marks a parameter or binding kept for its position or to drop it
      // from a rest object ({ dev: _dev, ...rest }).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true },
      ],
      // Never import a sibling side's sources by path: the contract has a name.
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["**/contract/src/*"], message: 'Import "@jitscope/contract" instead.' }] },
      ],
    },
  },
  // Scripts, build files and tests run under Node.
  {
    files: ["**/*.mjs", "scripts/**", "test/**", "bench/**", "esbuild.mjs"],
    languageOptions: { globals: globals.node },
  },
  // Each side's globals, as its tsconfig.json gives them.
  {
    files: ["runtime/src/**", "extension/src/**", "extension/tsPlugin/**"],
    languageOptions: { globals: globals.node },
  },
  { files: ["webview/src/**"], languageOptions: { globals: { ...globals.browser, ...globals.worker } } },
);
