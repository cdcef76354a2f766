import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { makeNonce, panelCsp, panelHtml } from "../../../extension/src/panel/panelHtml.js";
import { parseZipinfo, requiredFiles, vsixProblems } from "../../../extension/src/packaging/vsixContents.js";
import { VSIX_TARGETS } from "../../../extension/src/packaging/targets.js";
import { CommandIds } from "../../../extension/src/model/commandIds.js";

test("the panel page has the strict CSP with a nonce, and loads only the nonce'd bundle", () => {
  const nonce = makeNonce();
  assert.match(nonce, /^[A-Za-z0-9]{16,}$/);
  assert.notEqual(nonce, makeNonce());
  const csp = panelCsp("vscode-webview://abc", nonce);
  assert.equal(
    csp,
    `default-src 'none'; img-src vscode-webview://abc data:; style-src vscode-webview://abc 'unsafe-inline'; font-src vscode-webview://abc; script-src 'nonce-${nonce}'; worker-src blob:`,
  );
  const html = panelHtml({
    cspSource: "vscode-webview://abc",
    scriptUri: "https://file+.vscode-resource/ext/dist/webview.js",
    nonce,
  });
  assert.ok(html.includes(`<meta http-equiv="Content-Security-Policy" content="${csp}">`));
  assert.ok(
    html.includes(`<script nonce="${nonce}" src="https://file+.vscode-resource/ext/dist/webview.js"></script>`),
  );
  assert.ok(html.includes('<div id="app"></div>'));
  assert.equal(html.match(/<script/g)!.length, 1, "no other script");
});

const zipinfoLine = (path: string, mode = "-rw-r--r--") => `${mode}  6.3 unx     1023 bl defN 26-Nov-24 16:19 ${path}`;

for (const target of VSIX_TARGETS) {
  test(`a ${target} .vsix listing with the built entries and that platform's Dawn and esbuild passes`, () => {
    const required = requiredFiles(target);
    const text = [
      `Archive:  jitscope-${target}.vsix`,
      zipinfoLine("extension.vsixmanifest"),
      ...required.map((f) => zipinfoLine(f, /bin\/esbuild$|esbuild\.exe$/.test(f) ? "-rwxr-xr-x" : "-rw-r--r--")),
      "16 files, 35968003 bytes uncompressed",
    ].join("\n");
    const entries = parseZipinfo(text);
    assert.equal(entries.length, required.length + 1);
    assert.deepEqual(vsixProblems(entries, target), []);
  });
}

test("the five targets carry their own Dawn folder and esbuild binary", () => {
  const natives = (t: (typeof VSIX_TARGETS)[number]) =>
    requiredFiles(t).filter((f) => /dawn\.node$|@esbuild\/.*esbuild(\.exe)?$/.test(f));
  assert.deepEqual(natives("darwin-arm64"), [
    "extension/node_modules/webgpu/dist/darwin-universal/dawn.node",
    "extension/node_modules/@esbuild/darwin-arm64/bin/esbuild",
  ]);
  assert.deepEqual(natives("win32-x64"), [
    "extension/node_modules/webgpu/dist/win32-x64/dawn.node",
    "extension/node_modules/@esbuild/win32-x64/esbuild.exe",
  ]);
  assert.deepEqual(natives("linux-arm64"), [
    "extension/node_modules/webgpu/dist/linux-arm64/dawn.node",
    "extension/node_modules/@esbuild/linux-arm64/bin/esbuild",
  ]);
});

test("a .vsix listing with sources, maps, other packages or other platforms' natives is refused", () => {
  const entries = [
    ...requiredFiles("linux-x64")
      .filter((f) => !f.endsWith("cli.mjs"))
      .map((f) => ({ path: f, mode: "-rw-r--r--" })),
    { path: "extension/dist/cli.mjs.map", mode: "-rw-r--r--" },
    { path: "extension/runtime/src/index.ts", mode: "-rw-r--r--" },
    { path: "extension/node_modules/d3/dist/d3.js", mode: "-rw-r--r--" },
    { path: "extension/node_modules/webgpu/dist/win32-x64/dawn.node", mode: "-rw-r--r--" },
    { path: "extension/node_modules/@esbuild/darwin-arm64/bin/esbuild", mode: "-rwxr-xr-x" },
  ];
  assert.deepEqual(vsixProblems(entries, "linux-x64"), [
    "missing extension/dist/cli.mjs",
    "extension/node_modules/@esbuild/linux-x64/bin/esbuild is not executable (-rw-r--r--)",
    "unexpected source or map dist/cli.mjs.map",
    "unexpected source or map runtime/src/index.ts",
    "unexpected package file node_modules/d3/dist/d3.js",
    "other platform's Dawn node_modules/webgpu/dist/win32-x64/dawn.node",
    "unexpected package file node_modules/@esbuild/darwin-arm64/bin/esbuild",
  ]);
});

interface Manifest {
  engines: { vscode: string };
  main: string;
  contributes: {
    commands: { command: string; title: string; category: string }[];
    configuration: { properties: Record<string, unknown> };
  };
  capabilities: { untrustedWorkspaces: { supported: string } };
  activationEvents: string[];
}

test("the manifest contributes every command with its exact title under JIT Scope, and the settings", () => {
  const pkg = JSON.parse(readFileSync("package.json", "utf8")) as Manifest;
  assert.equal(pkg.engines.vscode, "^1.100.0");
  assert.equal(pkg.main, "./dist/extension.js");
  const titles = new Map(pkg.contributes.commands.map((c) => [c.command, `${c.category}: ${c.title}`]));
  assert.equal(titles.get(CommandIds.profileCurrentFile), "JIT Scope: Profile Current File");
  assert.equal(titles.get(CommandIds.compareEagerVsJit), "JIT Scope: Compare Eager vs JIT");
  assert.equal(titles.get(CommandIds.showGraphPanel), "JIT Scope: Show Graph Panel");
  assert.equal(titles.get(CommandIds.showIrAfterPass), "JIT Scope: Show IR After Pass…");
  assert.equal(titles.get(CommandIds.showPassDiff), "JIT Scope: Show Pass Diff…");
  assert.equal(titles.get(CommandIds.showKernelWgsl), "JIT Scope: Show Kernel WGSL…");
  assert.equal(titles.get(CommandIds.openReport), "JIT Scope: Open Report…");
  assert.equal(titles.get(CommandIds.exportChromeTrace), "JIT Scope: Export Chrome Trace…");
  assert.equal(titles.get(CommandIds.clearResults), "JIT Scope: Clear Results");
  for (const id of Object.values(CommandIds)) assert.ok(titles.has(id), `${id} is contributed`);
  assert.deepEqual(Object.keys(pkg.contributes.configuration.properties).sort(), [
    "jitscope.backend",
    "jitscope.compareCalls",
    "jitscope.eagerCallSites",
    "jitscope.nodePath",
    "jitscope.runs",
    "jitscope.showLineHeat",
    "jitscope.timeoutSeconds",
    "jitscope.timing",
  ]);
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, "limited");
  assert.ok(!pkg.activationEvents.includes("*"), "activation stays cheap");
});
