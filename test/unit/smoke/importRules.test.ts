import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { spawnSync } from "node:child_process";
// @ts-expect-error: a plain .mjs script without declarations
import { checkImports } from "../../../scripts/check-imports.mjs";

const check = checkImports as (root: string) => string[];

/** A scratch tree of the four sides with the given files (path → text). */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "jitscope-imports-"));
  for (const side of ["contract/src", "runtime/src", "extension/src", "webview/src"])
    mkdirSync(join(root, side), { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

test("the project's own sources hold every import rule: no cycle, no boundary crossed", () => {
  assert.deepEqual(check(process.cwd()), []);
});

test("a cycle between two runtime files is reported with its path", () => {
  const root = tree({
    "runtime/src/a.ts": 'import { b } from "./b.js";\nexport const a = 1;\n',
    "runtime/src/b.ts": 'import type { a } from "./a.js";\nexport const b = 2;\n',
  });
  assert.deepEqual(check(root), ["import cycle among 2 files: runtime/src/a.ts → runtime/src/b.ts → runtime/src/a.ts"]);
});

test("a cycle between two runtime folders is reported even when no two files form one", () => {
  const root = tree({
    "runtime/src/ir/types.ts": 'import type { R } from "../profile/report.js";\nexport type T = R;\n',
    "runtime/src/profile/report.ts": "export type R = number;\n",
    "runtime/src/profile/recorder.ts": 'import type { T } from "../ir/types.js";\nexport type Q = T;\n',
  });
  assert.deepEqual(check(root), ["folder cycle in runtime/src: ir → profile → ir (ir, profile)"]);
});

test("the extension and the webview reaching into runtime sources, and the webview importing Node, are refused", () => {
  const root = tree({
    "runtime/src/report.ts": "export type R = number;\n",
    "extension/src/a.ts": 'import type { R } from "../../runtime/src/report.js";\nimport * as vscode from "vscode";\n',
    "webview/src/b.ts": 'import { readFileSync } from "node:fs";\nimport { formatNs } from "@jitscope/contract";\n',
    "runtime/src/c.ts": 'import * as vscode from "vscode";\n',
    "contract/src/d.ts": 'import { x } from "node:path";\n',
  });
  assert.deepEqual(check(root).sort(), [
    'contract/src/d.ts: imports "node:path": contract/ imports nothing outside itself (got "node:path")',
    'extension/src/a.ts: imports "../../runtime/src/report.js": extension/src/ reaches into runtime/src by a relative path',
    'runtime/src/c.ts: imports "vscode": runtime/ never imports vscode',
    'webview/src/b.ts: imports "node:fs": webview/ is a page: no Node modules (got "node:fs")',
  ]);
});

test("the script exits 1 and names the problem when a rule is broken (as CI runs it)", () => {
  const root = tree({ "runtime/src/c.ts": 'import * as vscode from "vscode";\n' });
  const r = spawnSync(process.execPath, ["scripts/check-imports.mjs", root], { encoding: "utf8" });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /runtime\/src\/c\.ts: imports "vscode": runtime\/ never imports vscode/);
});
