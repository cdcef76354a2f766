// Builds every entry point of JIT Scope with esbuild. `node esbuild.mjs [--watch]`.
// - dist/runtime.mjs   the whole public API (user scripts' `import "jitscope"` resolves here)
// - dist/cli.mjs       `jitscope profile …` (also package.json `bin`)
// - dist/extension.js  the VS Code extension host entry (CommonJS, `vscode` external)
// - dist/webview.js    the panel's browser bundle (also embedded in the standalone HTML report)
// - dist/types/        the runtime's declarations, served as "jitscope" by the TS server plugin
// - extension/tsPlugin/dist/index.js  that plugin (node_modules/jitscope-ts-plugin links to it)
import * as esbuild from "esbuild";
import { existsSync } from "node:fs";
import { emitRuntimeTypes } from "./extension/tsPlugin/buildTypes.mjs";

const watch = process.argv.includes("--watch");

/**
 * Provides `import source from "jitscope:worker-source/NAME"`: webview/src/layout/NAME.ts
 * bundled on its own, as a string (the panel starts it as a worker from a Blob URL).
 */
function layoutWorkerAsText() {
  return {
    name: "layout-worker-as-text",
    setup(build) {
      build.onResolve({ filter: /^jitscope:worker-source\/\w+$/ }, (args) => ({
        path: args.path.split("/")[1],
        namespace: "jitscope-worker",
      }));
      build.onLoad({ filter: /.*/, namespace: "jitscope-worker" }, async (args) => {
        const out = await esbuild.build({
          entryPoints: [`webview/src/layout/${args.path}.ts`],
          bundle: true,
          write: false,
          format: "iife",
          platform: "browser",
          target: "es2022",
          minify: true,
          legalComments: "none",
          logLevel: "warning",
          metafile: true,
          alias,
        });
        return { contents: out.outputFiles[0].text, loader: "text", watchFiles: Object.keys(out.metafile.inputs) };
      });
    },
  };
}
// The contract is imported by its name everywhere (tsconfig.base.json "paths"); every bundle
// gets its own copy of it (it is small and has no dependencies).
const alias = { "@jitscope/contract": "./contract/src/index.ts" };
const common = { bundle: true, sourcemap: "linked", logLevel: "warning", legalComments: "none", alias };

/** @type {import('esbuild').BuildOptions[]} */
const builds = [
  {
    ...common,
    entryPoints: { runtime: "runtime/src/index.ts" },
    outdir: "dist",
    outExtension: { ".js": ".mjs" },
    format: "esm",
    platform: "node",
    target: "node20",
    // Dawn is a native addon: load it from node_modules at run time, never bundle it.
    external: ["webgpu"],
  },
  {
    ...common,
    entryPoints: { cli: "runtime/src/cli/main.ts" },
    outdir: "dist",
    outExtension: { ".js": ".mjs" },
    format: "esm",
    platform: "node",
    target: "node20",
    external: ["webgpu", "esbuild"],
    banner: {
      js: "#!/usr/bin/env node\nimport { createRequire as __jitscopeCreateRequire } from 'node:module'; const require = __jitscopeCreateRequire(import.meta.url);",
    },
  },
  {
    ...common,
    entryPoints: { extension: "extension/src/extension.ts" },
    outdir: "dist",
    format: "cjs",
    platform: "node",
    target: "node20",
    external: ["vscode", "webgpu", "esbuild"],
  },
  {
    ...common,
    entryPoints: { webview: "webview/src/main.ts" },
    outdir: "dist",
    format: "iife",
    platform: "browser",
    target: "es2022",
    // Minified: the standalone HTML report inlines it, and parse time is part of opening a page.
    minify: true,
    // The layout worker is bundled as text into webview.js and started from a Blob URL: the
    // webview may load one script only, and the standalone HTML page has no files beside it.
    plugins: [layoutWorkerAsText()],
  },
  {
    ...common,
    entryPoints: { index: "extension/tsPlugin/src/plugin.ts" },
    outdir: "extension/tsPlugin/dist",
    format: "cjs",
    platform: "node",
    target: "node18",
    sourcemap: false,
    // tsserver requires the package and calls its export as the plugin factory.
    footer: { js: "module.exports = module.exports.init;" },
  },
];

// An entry whose source does not exist yet is skipped with a notice, so one missing piece does
// not stop everyone else's build.
const present = builds.filter((b) => {
  const src = Object.values(b.entryPoints)[0];
  if (existsSync(src)) return true;
  console.warn(`esbuild: skipping ${src} (not written yet)`);
  return false;
});

if (watch) {
  for (const b of present) await (await esbuild.context(b)).watch();
  console.log("esbuild: watching");
} else {
  await Promise.all(present.map((b) => esbuild.build(b)));
}
// The declarations for the TS server plugin (~1.5 s, skipped when up to date; not redone in --watch).
emitRuntimeTypes("dist/types");
