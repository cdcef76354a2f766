// Manual check in real VS Code (the rig in /work/shared/vscode-e2e): installs jitscope.vsix, opens
// examples/mlp_train.ts alone in an empty folder, and fails unless TypeScript hovers np.matmul
// with the runtime's types and the Problems count is 0. `npm run package && node extension/tsPlugin/tryInVsCode.mjs`
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const rig = process.env.VSCODE_E2E_LIB ?? "/work/shared/vscode-e2e/vscode-e2e.mjs";
const { launch } = await import(rig);
const folder = mkdtempSync(join(tmpdir(), "jitscope-tsplugin-ws-"));
copyFileSync("examples/mlp_train.ts", join(folder, "mlp_train.ts"));
const vs = await launch({
  extensions: [resolve(process.env.JITSCOPE_VSIX ?? "jitscope.vsix")],
  workspace: folder,
  shotsDir: "test-artifacts/tsPlugin",
  env: { XDG_RUNTIME_DIR: "/tmp" },
});
let failed = false;
try {
  await vs.openFile("mlp_train.ts");
  // Until tsserver has loaded the project, hovers come from the syntax-only server ("(loading...) any").
  await vs.page.waitForTimeout(15_000);
  const hover = await vs.hoverWord("matmul", { expect: "ArrayLike", timeoutMs: 60_000 });
  await vs.screenshot("hover-matmul");
  const problems = await vs.page.locator("#status\\.problems").getAttribute("aria-label");
  const squiggles = await vs.page.locator(".monaco-editor .squiggly-error").count();
  console.log(JSON.stringify({ hover, problems, squiggles }));
  failed = !/np\.ArrayLike/.test(hover) || problems !== "No Problems" || squiggles !== 0;
} finally {
  await vs.close();
  rmSync(folder, { recursive: true, force: true });
}
console.log(failed ? "FAILED" : "ok: typed hover, no problems");
process.exit(failed ? 1 : 0);
