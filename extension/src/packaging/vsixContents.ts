// What the .vsix must and must not hold: the built entries and the CLI child's native runtime
// deps for linux-x64 in, sources, tests, source maps and every other package out.

export interface VsixEntry {
  /** Path inside the zip, e.g. "extension/dist/cli.mjs". */
  path: string;
  /** Unix permission string from zipinfo, e.g. "-rwxr-xr-x". */
  mode: string;
}

export const REQUIRED_FILES = [
  "extension/package.json",
  "extension/dist/extension.js",
  "extension/dist/cli.mjs",
  "extension/dist/runtime.mjs",
  "extension/dist/webview.js",
  "extension/node_modules/webgpu/package.json",
  "extension/node_modules/webgpu/index.js",
  "extension/node_modules/webgpu/dist/linux-x64/dawn.node",
  "extension/node_modules/esbuild/package.json",
  "extension/node_modules/esbuild/lib/main.js",
  "extension/node_modules/@esbuild/linux-x64/package.json",
  "extension/node_modules/@esbuild/linux-x64/bin/esbuild",
  // The TypeScript server plugin and the declarations it serves as "jitscope" (extension/tsPlugin/).
  "extension/node_modules/jitscope-ts-plugin/package.json",
  "extension/node_modules/jitscope-ts-plugin/dist/index.js",
  "extension/dist/types/index.d.ts",
] as const;

/** Files that must keep their executable bit (esbuild spawns its binary). */
export const EXECUTABLE_FILES = ["extension/node_modules/@esbuild/linux-x64/bin/esbuild"] as const;

const ALLOWED_MODULES = ["webgpu/", "esbuild/", "@esbuild/linux-x64/", "jitscope-ts-plugin/"];

/** Problems with a .vsix listing; empty when it is right. */
export function vsixProblems(entries: readonly VsixEntry[]): string[] {
  const problems: string[] = [];
  const byPath = new Map(entries.map((e) => [e.path, e]));
  for (const f of REQUIRED_FILES) if (!byPath.has(f)) problems.push(`missing ${f}`);
  for (const f of EXECUTABLE_FILES) {
    const e = byPath.get(f);
    if (e && !/^-..x/.test(e.mode)) problems.push(`${f} is not executable (${e.mode})`);
  }
  for (const { path } of entries) {
    if (!path.startsWith("extension/")) continue; // vsix metadata ([Content_Types].xml, manifest)
    const rel = path.slice("extension/".length);
    if (/\.(map|ts|tsx)$/.test(rel) && !rel.endsWith(".d.ts")) problems.push(`unexpected source or map ${rel}`);
    else if (/^(runtime|extension|webview|test|bench|examples|scripts)\//.test(rel)) problems.push(`unexpected source folder file ${rel}`);
    else if (rel.startsWith("node_modules/")) {
      const mod = rel.slice("node_modules/".length);
      if (!ALLOWED_MODULES.some((m) => mod.startsWith(m))) problems.push(`unexpected package file ${rel}`);
      else if (mod.startsWith("webgpu/dist/") && !mod.startsWith("webgpu/dist/linux-x64/")) problems.push(`other platform's Dawn ${rel}`);
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
