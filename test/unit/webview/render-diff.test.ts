// The Diff view in Chromium, hosted as the extension hosts it: the report of a run whose kernel
// split (test/fixtures/diff/split.ts) sent with its diff against the baseline run. The table and
// the old → new kernel drawing show the split; a row reveals its kernel in the graph.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { diffReports } from "../../../runtime/src/profile/diff.js";
import { validateReport } from "@jitscope/contract";
import { CHROMIUM, CHROMIUM_ARGS, webviewLikeHtml } from "../../webview/standalonePage.js";

const FIXTURES = join(import.meta.dirname, "../../fixtures/reports");
const load = (name: string) => validateReport(readFileSync(join(FIXTURES, name), "utf8"));
const SHOTS = join(process.cwd(), "test-artifacts", "webview");

let browser: Browser;
let page: Page;

const FAKE_VSCODE_API = `
  window.__posted = [];
  window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => undefined, setState: () => {} });
`;
const send = (msg: unknown): Promise<void> => page.evaluate((m) => window.postMessage(m, "*"), msg);

before(async () => {
  const file = join(mkdtempSync(join(tmpdir(), "jitscope-webview-diff-")), "webview.html");
  writeFileSync(file, webviewLikeHtml());
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  await page.addInitScript({ content: FAKE_VSCODE_API });
  await page.goto(pathToFileURL(file).href);
});

after(async () => {
  await browser?.close();
});

test("without a baseline the Diff view says how to get one", async () => {
  await send({ type: "report", report: load("diff_base.json"), view: "diff" });
  await page.waitForSelector("#view-diff:not([hidden]) .jit-empty");
  assert.match(
    await page.locator("#view-diff .jit-empty").innerText(),
    /profile the script again .* Compare with Report/,
  );
});

test("with the split's diff, the table and the drawing show one kernel split into two", async () => {
  const diff = diffReports(load("diff_base.json"), load("diff_split.json"));
  await send({ type: "report", report: load("diff_split.json"), diff, view: "diff" });
  await page.waitForSelector("#view-diff .jit-diff-summary");
  assert.match(
    await page.locator("#view-diff .jit-diff-summary").innerText(),
    /chain: (.* ms\/call .*, )?\+1 dispatch\/call, peak \+16\.0 KiB, 1 kernel split/,
  );
  const row = page.locator('#view-diff table[data-kind="kernels"] tr.change-split');
  assert.equal(await row.count(), 1);
  assert.match(await row.innerText(), /split\s+chain\s+fused_mul_add_tanh\s+mul \+ fused_add_tanh_mul/);
  assert.equal(await page.locator(".jit-diff-kernel.change-split.side-old").count(), 1);
  assert.equal(await page.locator(".jit-diff-kernel.change-split.side-new").count(), 2);
  assert.equal(await page.locator(".jit-diff-link.change-split").count(), 2);
  await page.screenshot({ path: join(SHOTS, "diff-view-split.png") });
});

test("clicking the split row opens the graph, where both kernels of the split are marked", async () => {
  await page.locator('#view-diff table[data-kind="kernels"] tr.change-split').click();
  await page.waitForSelector("#view-graph[data-state=rendered] .jit-cluster", { timeout: 30_000 });
  assert.equal(await page.locator("#tab-graph").getAttribute("aria-selected"), "true");
  assert.deepEqual(
    await page.locator(".jit-cluster[data-diff]").evaluateAll((els) => els.map((e) => e.getAttribute("data-diff"))),
    ["split", "split"],
  );
  assert.match(await page.locator(".jit-legend").innerText(), /new or reshaped since the baseline/);
  await page.screenshot({ path: join(SHOTS, "diff-graph-split.png") });
});

test("a diff of an added op marks the changed kernel and its line as significant", async () => {
  const diff = diffReports(load("diff_base.json"), load("diff_added_op.json"));
  await send({ type: "report", report: load("diff_added_op.json"), diff, view: "diff" });
  await page.waitForSelector('#view-diff table[data-kind="kernels"] tr.change-changed');
  assert.match(
    await page.locator('#view-diff table[data-kind="kernels"] tr.change-changed').innerText(),
    /\+exp @ line 6/,
  );
  const line6 = page.locator('#view-diff table[data-kind="lines"] tr.significant', { hasText: "added_op.ts:6" });
  assert.equal(await line6.count(), 1);
  assert.match(await line6.innerText(), /kernel changed/);
});
