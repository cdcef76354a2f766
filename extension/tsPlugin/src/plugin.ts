// TypeScript server plugin (contributes.typescriptServerPlugins): a script that does
// `import { np } from "jitscope"` in a folder with no jitscope package gets the extension's own
// declarations (dist/types/, emitted at build time) instead of ts(2307) "Cannot find module".
// It hooks module resolution rather than adding an ambient `declare module` file, so the
// declarations stay ordinary modules (relative imports between them work) and a jitscope
// package the user did install still wins: only imports that failed to resolve are redirected.

import type * as ts from "typescript";
import { existsSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";

export const RUNTIME_MODULE = "jitscope";

/**
 * The extension's `dist/types/index.d.ts`, searched upwards from the plugin's own folder: the
 * plugin runs as `<extension>/node_modules/jitscope-ts-plugin/dist/index.js` in a .vsix and as
 * `<repo>/extension/tsPlugin/dist/index.js` in a checkout (node_modules holds a link to it).
 */
export function findRuntimeTypes(fromDir: string): string | undefined {
  for (let dir = resolve(fromDir); ; dir = dirname(dir)) {
    const candidate = join(dir, "dist", "types", "index.d.ts");
    if (existsSync(candidate) && existsSync(join(dir, "package.json"))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

type ResolveLiterals = NonNullable<ts.LanguageServiceHost["resolveModuleNameLiterals"]>;

/**
 * Wraps the host's module resolution: an unresolved "jitscope" import becomes `typesIndex`, and
 * an unresolved relative import inside the types folder is looked up there (`./np.js` →
 * `np.d.ts`), whatever moduleResolution the user's project uses.
 */
export function redirectRuntimeImports(tsm: typeof ts, host: ts.LanguageServiceHost, typesIndex: string): void {
  const typesDir = dirname(typesIndex);
  const original: ResolveLiterals = host.resolveModuleNameLiterals?.bind(host) ?? defaultResolution(tsm, host);
  host.resolveModuleNameLiterals = (literals, containingFile, redirected, options, sourceFile, reused) => {
    const results = original(literals, containingFile, redirected, options, sourceFile, reused);
    return results.map((result, i) => {
      if (result.resolvedModule) return result;
      const target = redirectTarget(literals[i]!.text, containingFile, typesDir, typesIndex);
      if (!target) return result;
      return {
        ...result,
        resolvedModule: { resolvedFileName: target, extension: tsm.Extension.Dts, isExternalLibraryImport: true },
      };
    });
  };
}

function redirectTarget(
  specifier: string,
  containingFile: string,
  typesDir: string,
  typesIndex: string,
): string | undefined {
  if (specifier === RUNTIME_MODULE) return typesIndex;
  if (!specifier.startsWith(".") || !resolve(containingFile).startsWith(typesDir + sep)) return undefined;
  const base = resolve(dirname(containingFile), specifier).replace(/\.(m?js)$/, "");
  return [`${base}.d.ts`, join(base, "index.d.ts")].find((f) => existsSync(f));
}

/** The compiler's own resolution, for hosts (tests, older editors) that bring none. */
function defaultResolution(tsm: typeof ts, host: ts.LanguageServiceHost): ResolveLiterals {
  const moduleHost: ts.ModuleResolutionHost = {
    fileExists: (f) => host.fileExists(f),
    readFile: (f) => host.readFile(f),
    ...(host.directoryExists ? { directoryExists: (d: string) => host.directoryExists!(d) } : {}),
    ...(host.realpath ? { realpath: (p: string) => host.realpath!(p) } : {}),
  };
  return (literals, containingFile, redirected, options, sourceFile) =>
    literals.map((literal) =>
      tsm.resolveModuleName(
        literal.text,
        containingFile,
        options,
        moduleHost,
        undefined,
        redirected,
        tsm.getModeForUsageLocation(sourceFile, literal, options),
      ),
    );
}

/** The plugin module's shape tsserver expects: `init({ typescript })` → `{ create }`. */
export function init(modules: { typescript: typeof ts }): ts.server.PluginModule {
  const tsm = modules.typescript;
  return {
    create(info) {
      const typesIndex = findRuntimeTypes(__dirname);
      const log = (msg: string) => info.project.projectService.logger.info(`[jitscope-ts-plugin] ${msg}`);
      if (!typesIndex) log(`no dist/types/index.d.ts above ${__dirname}; "jitscope" imports left as they are`);
      else {
        redirectRuntimeImports(tsm, info.languageServiceHost, typesIndex);
        log(`"jitscope" resolves to ${typesIndex} when the project has no jitscope package`);
      }
      return info.languageService;
    },
  };
}
