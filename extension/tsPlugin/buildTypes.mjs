// Emits the runtime's public API as declaration files into dist/types/ (index.d.ts and the
// modules it reaches), for the TypeScript server plugin to serve as the "jitscope" module.
// Declarations only, without type checking (`noCheck`; `npm run typecheck` checks): ~2 s.
import ts from "typescript";
import { rmSync } from "node:fs";

/** Writes dist/types/**.d.ts from runtime/src/index.ts; throws with the messages on failure. */
export function emitRuntimeTypes(outDir = "dist/types") {
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
    rootDir: "runtime/src",
    outDir,
  });
  const result = program.emit();
  const errors = result.diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (result.emitSkipped || errors.length) {
    const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => process.cwd(), getNewLine: () => "\n" };
    throw new Error(`declarations for dist/types failed:\n${ts.formatDiagnostics(errors, host)}`);
  }
}
