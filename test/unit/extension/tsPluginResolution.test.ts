// The TS server plugin's module redirection, on a real TypeScript language service: a script in
// an empty folder importing "jitscope" type-checks against the runtime's emitted declarations.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { emitRuntimeTypes } from "../../../extension/tsPlugin/buildTypes.mjs";
import { findRuntimeTypes, redirectRuntimeImports } from "../../../extension/tsPlugin/src/plugin.js";

let root: string;
let extensionDir: string;
let userDir: string;

before(() => {
  root = mkdtempSync(join(tmpdir(), "jitscope-tsplugin-"));
  // An installed extension's layout: package.json, dist/types/, the plugin under node_modules.
  extensionDir = join(root, "ext");
  mkdirSync(join(extensionDir, "node_modules", "jitscope-ts-plugin", "dist"), { recursive: true });
  writeFileSync(join(extensionDir, "package.json"), "{}");
  emitRuntimeTypes(join(extensionDir, "dist", "types"));
  userDir = join(root, "user"); // nothing in it but the script
  mkdirSync(userDir);
});
after(() => rmSync(root, { recursive: true, force: true }));

/** A language service over one in-memory file (everything else from disk), with the plugin's redirection when `withPlugin`. */
function service(text: string, options: ts.CompilerOptions, withPlugin = true) {
  const file = join(userDir, "main.ts");
  const host: ts.LanguageServiceHost = {
    getScriptFileNames: () => [file],
    getScriptVersion: () => "1",
    getScriptSnapshot: (f) => {
      const content = f === file ? text : ts.sys.readFile(f);
      return content === undefined ? undefined : ts.ScriptSnapshot.fromString(content);
    },
    getCurrentDirectory: () => userDir,
    getCompilationSettings: () => options,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: (f) => f === file || ts.sys.fileExists(f),
    readFile: (f) => (f === file ? text : ts.sys.readFile(f)),
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
  };
  if (withPlugin) {
    const typesIndex = findRuntimeTypes(join(extensionDir, "node_modules", "jitscope-ts-plugin", "dist"));
    assert.equal(typesIndex, join(extensionDir, "dist", "types", "index.d.ts"));
    redirectRuntimeImports(ts, host, typesIndex!);
  }
  return { ls: ts.createLanguageService(host), file };
}

const diagnostics = (ls: ts.LanguageService, file: string) =>
  [...ls.getSyntacticDiagnostics(file), ...ls.getSemanticDiagnostics(file)].map(
    (d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`,
  );

// VS Code's options for a loose file (no tsconfig), and other resolutions (the example needs
// ES2022 modules for its top-level await; ESNext alone defaults to "classic" resolution).
const vscodeInferred: ts.CompilerOptions = {
  module: ts.ModuleKind.Preserve,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  target: ts.ScriptTarget.ES2022,
  allowImportingTsExtensions: true,
  strict: true,
};
const classic: ts.CompilerOptions = { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 };
const node10: ts.CompilerOptions = { ...classic, moduleResolution: ts.ModuleResolutionKind.Node10 };

test("without the plugin, importing jitscope from an empty folder is ts(2307)", () => {
  const { ls, file } = service(`import { np } from "jitscope";\nnp.zeros([2]);\n`, vscodeInferred, false);
  const found = diagnostics(ls, file);
  assert.equal(found.length, 1);
  assert.match(found[0]!, /^TS2307: Cannot find module 'jitscope'/);
});

test("with the plugin, examples/mlp_train.ts has no diagnostics, under VS Code's inferred options, classic and node10 resolution", () => {
  const text = readFileSync("examples/mlp_train.ts", "utf8");
  for (const options of [vscodeInferred, classic, node10]) {
    const { ls, file } = service(text, options);
    assert.deepEqual(diagnostics(ls, file), [], JSON.stringify(options));
  }
});

test("completions after `np.` list the runtime's functions, and hover shows their signature", () => {
  const text = `import { np } from "jitscope";\nconst y = np.\n`;
  const { ls, file } = service(text, vscodeInferred);
  const names = ls.getCompletionsAtPosition(file, text.indexOf("np.\n") + 3, {})!.entries.map((e) => e.name);
  for (const name of ["matmul", "add", "tanh", "zeros", "sum"])
    assert.ok(names.includes(name), `${name} in ${names.length} completions`);
  const use = `import { np } from "jitscope";\nnp.matmul(np.zeros([2, 2]), 2);\n`;
  const hover = service(use, vscodeInferred);
  const info = hover.ls.getQuickInfoAtPosition(hover.file, use.indexOf("matmul"))!;
  assert.equal(
    ts.displayPartsToString(info.displayParts),
    "(alias) matmul(x: np.ArrayLike, y: np.ArrayLike): Tracer (+3 overloads)\nexport matmul",
  );
});

test("a wrong call still gets a real type error", () => {
  const text = `import { np, jit } from "jitscope";\nnp.matmul(1);\nconst f: number = jit((x: np.ArrayLike) => x);\n`;
  const { ls, file } = service(text, vscodeInferred);
  const codes = ls
    .getSemanticDiagnostics(file)
    .map((d) => [d.code, ts.getLineAndCharacterOfPosition(d.file!, d.start!).line]);
  assert.deepEqual(codes, [
    [2554, 1],
    [2322, 2],
  ]); // expected 2 arguments; a jitted function is not a number
});

test("a jitscope package in the user's node_modules wins over the bundled declarations", () => {
  const pkg = join(userDir, "node_modules", "jitscope");
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "jitscope", types: "index.d.ts" }));
  writeFileSync(join(pkg, "index.d.ts"), "export declare const ownVersion: string;\n");
  try {
    const text = `import { ownVersion, np } from "jitscope";\n`;
    const { ls, file } = service(text, vscodeInferred);
    assert.deepEqual(diagnostics(ls, file), [`TS2305: Module '"jitscope"' has no exported member 'np'.`]);
  } finally {
    rmSync(join(userDir, "node_modules"), { recursive: true, force: true });
  }
});
