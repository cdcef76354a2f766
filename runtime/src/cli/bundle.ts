// Bundles the user's script with esbuild: one ESM file with an inline source map (so stacks and
// recorded locations point into the user's own .ts), top-level await allowed, and `jitscope`
// resolved to our runtime bundle by absolute URL and kept external, so the runtime is a single
// instance and its own `import "webgpu"` resolves from JIT Scope's node_modules. A script alone in
// an empty folder therefore works.

import { writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Message, OutputFile, Plugin } from "esbuild";
import { markCallSites, type RawSourceMap } from "./callSiteMarks.js";
import type { SourceLocation } from "@jitscope/contract";

export type BundleResult = { ok: true } | { ok: false; message: string; location: SourceLocation | null };

function jitscopeAlias(runtimePath: string): Plugin {
  const href = pathToFileURL(runtimePath).href;
  return {
    name: "jitscope-alias",
    setup(build) {
      build.onResolve({ filter: /^jitscope$/ }, () => ({ path: href, external: true }));
    },
  };
}

/** "file:line:column: error: text" followed by the offending line and a caret, as compilers print. */
export function formatEsbuildMessage(m: Message, scriptDir: string): { text: string; location: SourceLocation | null } {
  if (!m.location) return { text: `error: ${m.text}`, location: null };
  const { file, line, column, lineText } = m.location;
  const abs = resolve(scriptDir, file);
  const location = { file: abs, line, column: column + 1 };
  const caret = `${" ".repeat(column)}^`;
  return { text: `${abs}:${line}:${column + 1}: error: ${m.text}\n    ${lineText}\n    ${caret}`, location };
}

export interface BundleOptions {
  /** Mark the user's calls for profiled eager ops' lines (callSiteMarks.ts). */
  readonly markCallSites?: boolean;
}

export async function bundleScript(
  script: string,
  outfile: string,
  runtimePath: string,
  options: BundleOptions = {},
): Promise<BundleResult> {
  const esbuild = await import("esbuild");
  const marking = options.markCallSites === true;
  try {
    const built = await esbuild.build({
      entryPoints: [script],
      outfile,
      bundle: true,
      format: "esm",
      platform: "node",
      target: "node20",
      // Marking edits the output, and then writes it with the map inline itself.
      sourcemap: marking ? "external" : "inline",
      write: !marking,
      sourcesContent: false,
      logLevel: "silent",
      absWorkingDir: process.cwd(),
      // Functions keep the names the user gave them: bundling renames one that shares a name
      // with another binding (`const step = jit(function step…)` became "step2" in reports).
      keepNames: true,
      // Native addons and our runtime's own dependency stay outside the bundle.
      external: ["webgpu"],
      plugins: [jitscopeAlias(runtimePath)],
      // A CommonJS dependency that calls require() still works inside the ESM bundle.
      banner: {
        js: "import { createRequire as __jitscopeRequire } from 'node:module'; const require = __jitscopeRequire(import.meta.url);",
      },
    });
    if (marking) writeMarked(built.outputFiles ?? [], outfile, runtimePath);
    return { ok: true };
  } catch (e) {
    const errors = (e as { errors?: Message[] }).errors;
    if (!errors || errors.length === 0)
      return { ok: false, message: e instanceof Error ? e.message : String(e), location: null };
    const first = formatEsbuildMessage(errors[0]!, process.cwd());
    const more = errors.slice(1, 5).map((m) => formatEsbuildMessage(m, process.cwd()).text);
    return { ok: false, message: [first.text, ...more].join("\n"), location: first.location };
  }
}

/** Writes the bundle with its calls marked, its source map inline (or unmarked, as esbuild made
 *  it, when it cannot be marked: the profile then finds eager lines from the stack, and a fault
 *  in the marking never stops the user's run). */
function writeMarked(files: readonly OutputFile[], outfile: string, runtimePath: string): void {
  const js = files.find((f) => !f.path.endsWith(".map"));
  const mapFile = files.find((f) => f.path.endsWith(".map"));
  if (!js || !mapFile) throw new Error("esbuild wrote no bundle or no source map");
  const code = js.text.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n");
  const map = JSON.parse(mapFile.text) as RawSourceMap;
  let marked: ReturnType<typeof markCallSites> = null;
  try {
    marked = markCallSites(code, map, dirname(resolve(outfile)), pathToFileURL(runtimePath).href);
  } catch {
    marked = null;
  }
  const out = marked ?? { code, map };
  const inline = Buffer.from(JSON.stringify(out.map)).toString("base64");
  writeFileSync(outfile, `${out.code}//# sourceMappingURL=data:application/json;base64,${inline}\n`);
}
