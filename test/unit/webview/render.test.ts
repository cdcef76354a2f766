// Renders the standalone panel page in headless Chromium and checks the DOM of every view, then
// saves screenshots of each view in dark, light and high-contrast to test-artifacts/webview/.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  WEBVIEW_BUNDLE,
  chooseFunction,
  writeStandalonePage,
} from "../../webview/standalonePage.js";
import { dispatchesPerCallText, formatNs } from "@jitscope/contract";
import { mlpReport } from "./fixtures.js";

const ARTIFACTS = join(process.cwd(), "test-artifacts", "webview");
let browser: Browser;
let page: Page;
/** The compilation the page showed before any test chose one. */
let openedOn = "";

const graphState = (p: Page) => p.locator("#view-graph").getAttribute("data-state");
async function waitRendered(p: Page): Promise<void> {
  await p.waitForSelector("#view-graph[data-state=rendered]", { timeout: 20_000 });
}

before(async () => {
  assert.ok(existsSync(WEBVIEW_BUNDLE), "dist/webview.js is missing: run `npm run build` first");
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing (apt-get install chromium)`);
  const file = writeStandalonePage(join(mkdtempSync(join(tmpdir(), "jitscope-webview-")), "report.html"), mlpReport());
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1280, height: 820 } });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(pathToFileURL(file).href);
  await waitRendered(page);
  openedOn = (await page.locator("#view-graph").getAttribute("data-compilation")) ?? "";
  // The tests below are about the step (3 kernels); the page opened on GELU (see the first test).
  await chooseFunction(page, "step");
  assert.deepEqual(errors, []);
});

after(async () => {
  await browser?.close();
});

test("the page opens on the function with the most GPU time: GELU (10 × ~610 µs) over the step (20 × ~88 µs)", () => {
  const report = mlpReport();
  const gpuNs = (c: string): number =>
    report.kernels.filter((k) => k.compilation === c).reduce((a, k) => a + k.totalNs, 0);
  assert.ok(gpuNs("c-gelu-0") > 3 * gpuNs("c-step-0"), `${gpuNs("c-gelu-0")} vs ${gpuNs("c-step-0")}`);
  assert.equal(report.compilations[0]!.id, "c-step-0", "the step is first in the report");
  assert.equal(openedOn, "c-gelu-0");
});

test("the graph opens on the fuse pass with one cluster per kernel around its ops", async () => {
  assert.equal(await page.locator("#view-graph").getAttribute("data-pass"), "fuse");
  assert.equal(await page.locator("#view-graph").getAttribute("data-layout-engine"), "elk");
  assert.equal(await page.locator(".jit-cluster").count(), 3);
  assert.equal(await page.locator(".jit-node").count(), 18);
  // Each cluster is labelled with (as much of its name as fits and) its median time.
  const labels = await page.locator(".jit-cluster text").allTextContents();
  assert.equal(labels.length, 3);
  for (const l of labels) assert.match(l, /\d µs$/);
  assert.ok(
    labels.some((l) => l.startsWith("fused_sub")),
    labels.join("|"),
  );
  // The ops fuse rewrote are highlighted.
  assert.deepEqual(
    (await page.locator(".jit-node.changed").evaluateAll((els) => els.map((e) => e.getAttribute("data-node")))).sort(),
    ["op1", "op11", "op3"],
  );
});

test("hovering a boundary edge tells why it was not fused", async () => {
  const text = await page.evaluate(() => {
    const el = document.querySelector('path.jit-edge-hit[data-edge="op10->op12"]')!;
    el.dispatchEvent(new MouseEvent("mousemove", { bubbles: true, clientX: 300, clientY: 300 }));
    return document.querySelector(".jit-tooltip")!.textContent;
  });
  assert.match(text ?? "", /^why not fused: mul result is a matmul operand/);
});

test("arrow keys step through the passes and the graph follows", async () => {
  await page.locator("body").click({ position: { x: 5, y: 5 } });
  await page.keyboard.press("ArrowRight");
  await page.waitForSelector("#view-graph[data-pass=lower][data-state=rendered]");
  assert.match((await page.locator("#pass-label").textContent()) ?? "", /^6\/8 lower/);
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("ArrowLeft");
  await page.waitForSelector("#view-graph[data-pass=dce][data-state=rendered]");
  assert.equal(await page.locator(".jit-cluster").count(), 0);
  await page.keyboard.press("ArrowLeft");
  await page.waitForSelector("#view-graph[data-pass=cse][data-state=rendered]");
  assert.deepEqual(
    await page.locator(".jit-node.changed").evaluateAll((els) => els.map((e) => e.getAttribute("data-node"))),
    ["op9"],
  );
  await page.locator("#pass-next").click();
  await page.locator("#pass-next").click();
  await page.waitForSelector("#view-graph[data-pass=fuse][data-state=rendered]");
  assert.equal(await graphState(page), "rendered");
});

test("clicking an op in the standalone page shows its source location", async () => {
  await page.locator('.jit-node[data-node="op13"]').click();
  assert.match(
    (await page.locator("#view-graph .jit-status").textContent()) ?? "",
    /mul float32\[64,32\] at mlp\.ts:3:20/,
  );
});

test("the Kernels tab lists every kernel and sorts by a clicked column", async () => {
  await page.locator("#tab-kernels").click();
  assert.equal(await page.locator("#view-kernels tbody tr").count(), 7);
  assert.equal(await page.locator("#view-kernels tbody tr").first().getAttribute("data-kernel"), "k3");
  await page.locator('#view-kernels th[data-key="name"]').click();
  assert.equal(await page.locator("#view-kernels tbody tr").first().getAttribute("data-kernel"), "e0");
  assert.equal(await page.locator('#view-kernels th[data-key="name"]').getAttribute("aria-sort"), "ascending");
});

test("the Kernels tab has a function column and groups by function with each group's total GPU time", async () => {
  await page.locator("#tab-kernels").click();
  await page.locator('#view-kernels th[data-key="fn"]').click();
  assert.equal(await page.locator('#view-kernels th[data-key="fn"]').getAttribute("aria-sort"), "ascending");
  assert.equal(await page.locator('#view-kernels tbody tr td[data-key="fn"]').first().textContent(), "(eager)");
  await page.locator("#kernels-group").click();
  const heads = await page.locator("#view-kernels tr.jit-group-row").allTextContents();
  const report = mlpReport();
  const gelu = report.kernels.filter((k) => k.compilation === "c-gelu-0").reduce((a, k) => a + k.totalNs, 0);
  assert.equal(heads.length, 3, heads.join("|"));
  assert.ok(heads.includes(`gelu · 1 kernel · ${formatNs(gelu)} total GPU`), heads.join("|"));
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, "kernels-grouped-dark.png") });
  await page.locator("#kernels-group").click();
  assert.equal(await page.locator("#view-kernels tr.jit-group-row").count(), 0);
  await page.locator('#view-kernels th[data-key="totalNs"]').click();
});

test("at panel width (600 px) the Kernels table shows each kernel's name, total and median GPU time and calls without scrolling, and keeps the name in view when scrolled sideways", async () => {
  const file = writeStandalonePage(join(mkdtempSync(join(tmpdir(), "jitscope-webview-")), "report.html"), mlpReport());
  const narrow = await browser.newPage({ viewport: { width: 600, height: 800 } });
  await narrow.goto(pathToFileURL(file).href);
  await waitRendered(narrow);
  await narrow.locator("#tab-kernels").click();
  const edges = (key: string) =>
    narrow.locator(`#view-kernels tbody tr:first-child td[data-key="${key}"]`).evaluate((td) => {
      const r = td.getBoundingClientRect();
      return { left: Math.round(r.left), right: Math.round(r.right) };
    });
  const scroller = narrow.locator("#view-kernels .jit-scroll");
  const [scrollWidth, clientWidth] = await scroller.evaluate((el) => [el.scrollWidth, el.clientWidth]);
  assert.ok(scrollWidth > clientWidth + 200, `the table is wider than the panel: ${scrollWidth} vs ${clientWidth}`);
  for (const key of ["name", "totalNs", "medianNs", "calls"]) {
    const e = await edges(key);
    assert.ok(e.left >= 0 && e.right <= 600, `${key} cell at ${e.left}–${e.right} px`);
  }
  const before = await edges("name");
  await scroller.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
  assert.deepEqual(await edges("name"), before, "the name cell stays where it was");
  const median = await edges("medianNs");
  assert.ok(median.right < before.left, `the median cell scrolled out to the left (${median.right} px)`);
  mkdirSync(ARTIFACTS, { recursive: true });
  await narrow.screenshot({ path: join(ARTIFACTS, "kernels-panel-scrolled.png") });
  await narrow.close();
});

test("clicking a kernel in the standalone Kernels table shows its WGSL with each mapped line ending in its op and source line", async () => {
  const report = mlpReport();
  const k0 = report.kernels.find((k) => k.id === "k0")!;
  const tanhLine = k0.wgsl.split("\n").findIndex((l) => l.includes("tanh(")) + 1;
  k0.wgslSources = [
    { op: "tanh", opId: "op2", location: { file: report.script, line: 2, column: 11 }, lines: [tanhLine] },
  ];
  const file = writeStandalonePage(join(mkdtempSync(join(tmpdir(), "jitscope-webview-")), "report.html"), report);
  const p = await browser.newPage({ viewport: { width: 900, height: 800 } });
  await p.goto(pathToFileURL(file).href);
  await waitRendered(p);
  await p.locator("#tab-kernels").click();
  await p.locator('#view-kernels tr[data-kernel="k0"]').click();
  const shown = (await p.locator("#text-pane pre").textContent())!.split("\n");
  assert.equal(shown[tanhLine - 1], "  out[gid.x] = tanh(a[gid.x]);  // tanh · mlp.ts:2");
  assert.equal(shown.filter((l) => l.includes("//")).length, 2, "the module's own comment and the one mapped line");
  await p.close();
});

test("the Compare tab draws eager and jit lines on log axes with the break-even labelled", async () => {
  await page.locator("#tab-compare").click();
  const card = page.locator('.jit-card[data-function="step"]');
  assert.equal(await card.locator("svg.sweep path.line").count(), 2);
  assert.deepEqual(
    await card.locator("svg.sweep path.line").evaluateAll((els) => els.map((e) => e.getAttribute("data-mode"))),
    ["eager", "jit"],
  );
  // The report's one break-even (the fixture's compared step: 15), the same the CLI and hover state.
  assert.equal(await card.locator(".break-even text").textContent(), "break-even after 15 calls");
  assert.equal(await card.locator("svg.bars rect").count(), 4);
});

test("a compared function's cost bars read '(first run)' where every run's cost was a first run, and its dispatches per call read as the CLI writes them", async () => {
  const barTexts = (p: Page) => p.locator('.jit-card[data-function="step"] svg.bars text').allTextContents();
  await page.locator("#tab-compare").click();
  assert.ok((await barTexts(page)).every((t) => !t.includes("first run")));
  const report = mlpReport();
  const step = report.comparison!.functions.find((f) => f.name === "step")!;
  step.eager.firstRun = true;
  step.jit.firstRun = true;
  step.eager.dispatchesPerCall = 46.04; // a loop whose trip count varies: the CLI writes "46.0"
  const file = writeStandalonePage(join(mkdtempSync(join(tmpdir(), "jitscope-webview-")), "report.html"), report);
  const other = await browser.newPage({ viewport: { width: 1280, height: 820 } });
  try {
    await other.goto(pathToFileURL(file).href);
    await waitRendered(other);
    await other.locator("#tab-compare").click();
    const texts = await barTexts(other);
    assert.ok(
      texts.some((t) => /^eager .* \(first run\)$/.test(t)),
      texts.join(" | "),
    );
    assert.ok(
      texts.some((t) => /^jit .* \(first run\)$/.test(t)),
      texts.join(" | "),
    );
    // Dispatches per call are counts, not costs: no mark there.
    assert.ok(texts.filter((t) => t.includes("first run")).length === 2, texts.join(" | "));
    assert.ok(
      texts.includes(`eager ${dispatchesPerCallText(46.04)}`) && texts.includes("eager 46.0"),
      texts.join(" | "),
    );
    assert.ok(texts.includes("jit 3"), texts.join(" | "));
  } finally {
    await other.close();
  }
});

test("the Timeline tab shows host spans and GPU kernels", async () => {
  await page.locator("#tab-timeline").click();
  assert.equal(await page.locator("#view-timeline rect.cat-GPU").count(), 15);
  assert.ok((await page.locator("#view-timeline rect.jit-span").count()) > 15);
});

test("screenshots of every view in dark, light and high-contrast", async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  for (const theme of ["vscode-dark", "vscode-light", "vscode-high-contrast"]) {
    await page.evaluate((t) => {
      document.body.className = t;
    }, theme);
    for (const view of ["graph", "kernels", "compare", "timeline"]) {
      await page.locator(`#tab-${view}`).click();
      if (view === "graph") await waitRendered(page);
      await page.mouse.move(1, 1);
      await page.screenshot({ path: join(ARTIFACTS, `${view}-${theme.replace("vscode-", "")}.png`) });
    }
  }
  assert.ok(existsSync(join(ARTIFACTS, "timeline-high-contrast.png")));
});

test("clicking a kernel on the timeline shows its ops in the graph", async () => {
  await page.evaluate(() => {
    document.body.className = "vscode-dark";
  });
  await page.locator("#tab-timeline").click();
  await page.locator("#view-timeline rect.cat-GPU").first().click();
  await page.waitForSelector("#view-graph:not([hidden])[data-state=rendered]");
  await page.waitForFunction(() => document.querySelectorAll(".jit-node.revealed").length === 2);
  assert.deepEqual(
    (await page.locator(".jit-node.revealed").evaluateAll((els) => els.map((e) => e.getAttribute("data-node")))).sort(),
    ["op1", "op2"],
  );
});

test("choosing another function in the dropdown draws its graph: GELU is one kernel", async () => {
  await page.locator("#tab-graph").click();
  await page.locator("#compilation-select").click();
  await page.locator("#compilation-select vscode-option", { hasText: "gelu" }).click();
  await page.waitForFunction(() => document.querySelectorAll(".jit-cluster").length === 1);
  await page.waitForSelector("#view-graph[data-state=rendered]");
  const k3 = mlpReport().kernels.find((k) => k.id === "k3")!;
  assert.equal(
    await page.locator(".jit-cluster text").textContent(),
    `fused_mul_mul_mul_add_mul_tanh_mul_3 · ${formatNs(k3.medianNs)}`,
  );
  assert.equal(await page.locator(".jit-cluster").getAttribute("data-kernel"), "k3");
});
