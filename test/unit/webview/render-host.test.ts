// The panel as the extension hosts it: strict CSP with a nonce, a fake acquireVsCodeApi that
// records what the page posts and keeps its state, the report sent by message. Checks the
// messages the page sends, the host's reveal requests, the large-graph controls, and that state
// survives the page being torn down and rebuilt (hide/show).

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS, chooseFunction, webviewLikeHtml } from "../../webview/standalonePage.js";
import { mlpReport, SCRIPT } from "./fixtures.js";

let browser: Browser;
let page: Page;
let url: string;
const cspViolations: string[] = [];
/** Uncaught errors in the page, named when a wait for the page times out. */
const pageErrors: string[] = [];

// Runs in the page before its script: a stand-in for VS Code's webview API. A string, not a
// function, because tsx's compiled functions reference helpers that do not exist in the page.
const FAKE_VSCODE_API = `
  window.__posted = [];
  const saved = sessionStorage.getItem("state");
  window.__state = saved ? JSON.parse(saved) : undefined;
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => window.__posted.push(m),
    getState: () => window.__state,
    setState: (s) => { window.__state = s; sessionStorage.setItem("state", JSON.stringify(s)); },
  });
`;

const posted = (): Promise<{ type: string; [k: string]: unknown }[]> =>
  page.evaluate(() => (window as unknown as { __posted: { type: string }[] }).__posted);
const send = (msg: unknown): Promise<void> => page.evaluate((m) => window.postMessage(m, "*"), msg);
const rendered = (): Promise<unknown> => page.waitForSelector("#view-graph[data-state=rendered]", { timeout: 20_000 });
const nodeIds = (sel: string): Promise<string[]> =>
  page.locator(sel).evaluateAll((els) => els.map((e) => e.getAttribute("data-node") ?? ""));

before(async () => {
  const file = join(mkdtempSync(join(tmpdir(), "jitscope-webview-host-")), "webview.html");
  writeFileSync(file, webviewLikeHtml());
  url = pathToFileURL(file).href;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.addInitScript({ content: FAKE_VSCODE_API });
  await page.goto(url);
});

after(async () => {
  await browser?.close();
});

test("the page says it is ready, then draws the report the extension sends, laid out by ELK in the worker under the strict CSP", async () => {
  assert.deepEqual((await posted())[0], { type: "ready" });
  await send({ type: "report", report: mlpReport() });
  await rendered();
  // It opens on the costliest function (GELU); the tests below are about the step.
  await chooseFunction(page, "step");
  assert.equal(await page.locator(".jit-cluster").count(), 3);
  assert.equal(await page.locator("#view-graph").getAttribute("data-layout-engine"), "elk");
  assert.deepEqual(cspViolations, []);
});

test("clicking an op asks the extension to reveal its source line", async () => {
  await page.locator('.jit-node[data-node="op12"]').click();
  const last = (await posted()).at(-1)!;
  assert.deepEqual(last, { type: "revealLocation", location: { file: SCRIPT, line: 2, column: 20 } });
});

test("the IR and Diff buttons ask for the pass's documents", async () => {
  await page.locator("vscode-button", { hasText: "IR" }).click();
  await page.locator("vscode-button", { hasText: "Diff" }).click();
  assert.deepEqual((await posted()).slice(-2), [
    { type: "openPassIr", compilation: "c-step-0", pass: "fuse" },
    { type: "openPassDiff", compilation: "c-step-0", pass: "fuse" },
  ]);
});

test("the extension can reveal a kernel's ops and a source line's ops in the graph", async () => {
  await send({ type: "reveal", kernel: "k2" });
  await page.waitForFunction(() => document.querySelectorAll(".jit-node.revealed").length === 4);
  assert.deepEqual((await nodeIds(".jit-node.revealed")).sort(), ["op11", "op12", "op13", "op14"]);
  await send({ type: "reveal", location: { file: SCRIPT, line: 3 } });
  await page.waitForFunction(() => document.querySelectorAll(".jit-node.revealed").length === 2);
  assert.deepEqual((await nodeIds(".jit-node.revealed")).sort(), ["op13", "op14"]);
});

test("the editor's cursor line marks its ops without leaving the view; a line inside a closed scope marks the scope", async () => {
  await page.locator("#tab-kernels").click();
  await send({ type: "cursor", location: { file: SCRIPT, line: 2 } });
  await page.waitForTimeout(100);
  assert.equal(
    await page.locator("#tab-kernels").getAttribute("aria-selected"),
    "true",
    "the cursor does not switch views",
  );
  await page.locator("#tab-graph").click();
  await page.waitForFunction(() => document.querySelectorAll(".jit-node.revealed").length > 2);
  const onLine2 = mlpReport()
    .compilations[0]!.passes[4]!.graph.nodes.filter((n) => n.location?.line === 2)
    .map((n) => n.id);
  assert.deepEqual((await nodeIds(".jit-node.revealed")).sort(), onLine2.sort());
  // Close the scope holding them: the scope's node is marked instead.
  await page.locator(".jit-scope text").first().click();
  await page.waitForSelector(".jit-node.kind-scope.revealed");
  await page.locator(".jit-node.kind-scope").first().click();
  await page.waitForFunction(() => document.querySelectorAll(".jit-node.kind-scope").length === 0);
});

test("a cluster collapses to one node on its label and expands on a click", async () => {
  await page.locator('.jit-cluster[data-kernel="k1"] text').click();
  await page.waitForSelector('.jit-node[data-node="kernel:k1"]');
  assert.equal(await page.locator(".jit-cluster").count(), 2);
  assert.equal(await page.locator('.jit-node[data-node="op7"]').count(), 0);
  await page.locator('.jit-node[data-node="kernel:k1"]').click();
  await page.waitForSelector('.jit-node[data-node="op7"]');
  assert.equal(await page.locator(".jit-cluster").count(), 3);
});

test("constants hide and search marks the ops by name", async () => {
  assert.equal(await page.locator(".jit-node.kind-const").count(), 3);
  await page.locator("#hide-constants").click();
  await page.waitForFunction(() => document.querySelectorAll(".jit-node.kind-const").length === 0);
  await page.locator("#search-ops").click();
  await page.keyboard.type("matmul");
  await page.waitForFunction(() => document.querySelectorAll(".jit-node.match").length === 2);
  assert.deepEqual((await nodeIds(".jit-node.match")).sort(), ["op1", "op12"]);
  // Arrow keys typed into the search box move its caret, not the pass.
  await page.keyboard.press("ArrowLeft");
  assert.equal(await page.locator("#view-graph").getAttribute("data-pass"), "fuse");
});

test("a kernel row asks for its WGSL", async () => {
  await page.locator("#tab-kernels").click();
  await page.locator('#view-kernels tr[data-kernel="k0"]').click();
  assert.deepEqual((await posted()).at(-1), { type: "openWgsl", kernel: "k0" });
});

test("state survives the page being hidden and shown again (rebuilt from getState)", async () => {
  await page.locator('#view-kernels th[data-key="calls"]').click();
  // VS Code destroys a hidden webview and builds a new one that reads getState(): a new page
  // given the old page's saved state (a reload of the same page timed out 2 in 5 fresh CI runs,
  // with no page error, for reasons we have not found; a new page is what VS Code does anyway).
  const saved = await page.evaluate(() => JSON.stringify((window as unknown as { __state: unknown }).__state));
  await page.close();
  page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.addInitScript({ content: `sessionStorage.setItem("state", ${JSON.stringify(saved)});` + FAKE_VSCODE_API });
  await page.goto(url);
  // As the extension does: send the report once the new page says it is ready.
  await page.waitForFunction(
    () => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === "ready"),
    undefined,
    { timeout: 120_000 },
  );
  await send({ type: "report", report: mlpReport() });
  await page.waitForSelector("#view-kernels:not([hidden]) tbody tr", { timeout: 120_000 }).catch((e: Error) => {
    throw new Error(`${e.message}\npage errors: ${pageErrors.join(" | ") || "none"}`);
  });
  assert.equal(await page.locator("#tab-kernels").getAttribute("aria-selected"), "true");
  assert.equal(await page.locator('#view-kernels th[data-key="calls"]').getAttribute("aria-sort"), "descending");
  await page.locator("#tab-graph").click();
  await rendered();
  // Constants still hidden, search still applied.
  assert.equal(await page.locator(".jit-node.kind-const").count(), 0);
  assert.equal(await page.locator(".jit-node.match").count(), 2);
});
