// Emits the runtime's public API as declaration files into dist/types/ (index.d.ts and the
// modules it reaches), for the TypeScript server plugin to serve as the "jitscope" module. The
// contract's declarations go to dist/types/contract/, and the runtime's `@jitscope/contract`
// imports are rewritten to relative ones there (a user's project has no such path alias).
// Declarations only, without type checking (`noCheck`; `npm run typecheck` checks): ~1.5 s,
// skipped when they are newer than every runtime source.
import ts from "typescript";
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** Newest modification time of a file or of the files under a folder. */
function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/**
 * Writes outDir/**.d.ts from runtime/src/index.ts unless they are up to date (`force` redoes
 * them); returns whether it emitted. Throws with the compiler's messages on failure.
 */
export function emitRuntimeTypes(outDir = "dist/types", { force = false } = {}) {
  const index = join(outDir, "index.d.ts");
  const sources = Math.max(
    newestMtime("runtime/src"),
    newestMtime("contract/src"),
    newestMtime(fileURLToPath(import.meta.url)),
  );
  if (!force && existsSync(index) && statSync(index).mtimeMs >= sources) return false;
  rmSync(outDir, { recursive: true, force: true });
  const program = ts.createProgram(["runtime/src/index.ts"], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
    types: ["node"],
    declaration: true,
    emitDeclarationOnly: true,
    noCheck: true,
    skipLibCheck: true,
    stripInternal: true,
    rootDir: ".",
    outDir: "types",
    paths: { "@jitscope/contract": ["./contract/src/index.ts"] },
  });
  // types/runtime/src/x.d.ts -> outDir/x.d.ts; types/contract/src/x.d.ts -> outDir/contract/x.d.ts.
  const place = (file) => {
    const rel = relative("types", file).split(sep).join("/");
    if (rel.startsWith("runtime/src/")) return join(outDir, rel.slice("runtime/src/".length));
    if (rel.startsWith("contract/src/")) return join(outDir, "contract", rel.slice("contract/src/".length));
    throw new Error(`declarations: unexpected output ${file}`);
  };
  const writeFile = (file, text) => {
    const target = place(file);
    let spec = relative(dirname(target), join(outDir, "contract", "index.js"))
      .split(sep)
      .join("/");
    if (!spec.startsWith(".")) spec = `./${spec}`;
    ts.sys.writeFile(target, text.replaceAll('"@jitscope/contract"', JSON.stringify(spec)));
  };
  const result = program.emit(undefined, writeFile);
  const errors = result.diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (result.emitSkipped || errors.length) {
    const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => process.cwd(), getNewLine: () => "\n" };
    throw new Error(`declarations for ${outDir} failed:\n${ts.formatDiagnostics(errors, host)}`);
  }
  return true;
}
