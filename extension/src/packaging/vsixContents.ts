// What a .vsix must and must not hold: the built entries and, for its target platform only, the
// CLI child's native runtime deps (Dawn's dawn.node, esbuild's binary); sources, tests, source
// maps, every other package and every other platform's binaries out.

import { targetNatives, type VsixTarget } from "./targets.js";

export interface VsixEntry {
  /** Path inside the zip, e.g. "extension/dist/cli.mjs". */
  path: string;
  /** Unix permission string from zipinfo, e.g. "-rwxr-xr-x". */
  mode: string;
}

/** Files every target's package holds. */
const COMMON_FILES = [
  "extension/package.json",
  "extension/readme.md", // vsce writes the README and CHANGELOG in lower case
  "extension/changelog.md",
  "extension/LICENSE.txt",
  "extension/media/icon.png",
  "extension/media/syntaxes/wgsl.tmLanguage.json", // WGSL highlighting for kernel documents
  "extension/examples/mlp_train.ts",
  "extension/dist/extension.js",
  "extension/dist/cli.mjs",
  "extension/dist/runtime.mjs",
  "extension/dist/webview.js",
  "extension/node_modules/webgpu/package.json",
  "extension/node_modules/webgpu/index.js",
  "extension/node_modules/esbuild/package.json",
  "extension/node_modules/esbuild/lib/main.js",
  // The TypeScript server plugin and the declarations it serves as "jitscope" (extension/tsPlugin/).
  "extension/node_modules/jitscope-ts-plugin/package.json",
  "extension/node_modules/jitscope-ts-plugin/dist/index.js",
  "extension/dist/types/index.d.ts",
] as const;

/** The files a package for `target` must hold. */
export function requiredFiles(target: VsixTarget): string[] {
  const n = targetNatives(target);
  return [
    ...COMMON_FILES,
    `extension/node_modules/webgpu/dist/${n.dawnDir}/dawn.node`,
    `extension/node_modules/${n.esbuildPackage}/package.json`,
    `extension/node_modules/${n.esbuildPackage}/${n.esbuildBinary}`,
  ];
}

/** Files that must keep their executable bit (esbuild spawns its binary); none on Windows. */
export function executableFiles(target: VsixTarget): string[] {
  const n = targetNatives(target);
  return target.startsWith("win32") ? [] : [`extension/node_modules/${n.esbuildPackage}/${n.esbuildBinary}`];
}

/** Problems with a .vsix listing for `target`; empty when it is right. */
export function vsixProblems(entries: readonly VsixEntry[], target: VsixTarget): string[] {
  const problems: string[] = [];
  const n = targetNatives(target);
  const byPath = new Map(entries.map((e) => [e.path, e]));
  for (const f of requiredFiles(target)) if (!byPath.has(f)) problems.push(`missing ${f}`);
  for (const f of executableFiles(target)) {
    const e = byPath.get(f);
    if (e && !/^-..x/.test(e.mode)) problems.push(`${f} is not executable (${e.mode})`);
  }
  const allowedModules = ["webgpu/", "esbuild/", `${n.esbuildPackage}/`, "jitscope-ts-plugin/"];
  for (const { path } of entries) {
    if (!path.startsWith("extension/")) continue; // vsix metadata ([Content_Types].xml, manifest)
    const rel = path.slice("extension/".length);
    // The shipped examples are scripts for "Open Example…" to copy, not sources of the extension.
    if (/^examples\/[\w-]+\.(ts|mts|js|mjs)$/.test(rel)) continue;
    if (/\.(map|ts|tsx)$/.test(rel) && !rel.endsWith(".d.ts")) problems.push(`unexpected source or map ${rel}`);
    else if (/^(runtime|extension|webview|test|bench|examples|scripts)\//.test(rel))
      problems.push(`unexpected source folder file ${rel}`);
    else if (rel.startsWith("node_modules/")) {
      const mod = rel.slice("node_modules/".length);
      if (!allowedModules.some((m) => mod.startsWith(m))) problems.push(`unexpected package file ${rel}`);
      else if (mod.startsWith("webgpu/dist/") && !mod.startsWith(`webgpu/dist/${n.dawnDir}/`))
        problems.push(`other platform's Dawn ${rel}`);
    }
  }
  return problems;
}

/** Parses `zipinfo` output lines ("-rwxr-xr-x  6.3 unx  11427952 bl defN 26-Nov-24 16:19 path"). */
export function parseZipinfo(text: string): VsixEntry[] {
  const entries: VsixEntry[] = [];
  for (const line of text.split("\n")) {
    const m = /^([-dl][rwxsStT-]{9})\s+\S+\s+\S+\s+\d+\s+\S+\s+\S+\s+\S+\s+\S+\s+(.+)$/.exec(line);
    if (m && m[1]![0] === "-") entries.push({ mode: m[1]!, path: m[2]! });
  }
  return entries;
}
