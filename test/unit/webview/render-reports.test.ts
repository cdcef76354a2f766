// The panel on real reports written by the CLI (test/fixtures/reports/), in the standalone page
// exactly as `jitscope profile --html` writes it. Screenshots go to test-artifacts/webview/real-*.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import type { Report } from "@jitscope/contract";
import { CHROMIUM, CHROMIUM_ARGS, writeStandalonePage } from "../../webview/standalonePage.js";

const ARTIFACTS = join(process.cwd(), "test-artifacts", "webview");
const dir = mkdtempSync(join(tmpdir(), "jitscope-webview-real-"));
let browser: Browser;

const load = (name: string): Report =>
  JSON.parse(readFileSync(join("test", "fixtures", "reports", `${name}.json`), "utf8")) as Report;

async function open(name: string, theme = "vscode-dark"): Promise<{ page: Page; errors: string[] }> {
  const file = writeStandalonePage(join(dir, `${name}.html`), load(name));
  const page = await browser.newPage({ viewport: { width: 1280, height: 820 } });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(pathToFileURL(file).href);
  await page.evaluate((t) => {
    document.body.className = t;
  }, theme);
  return { page, errors };
}

async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.mouse.move(1, 1);
  await page.screenshot({ path: join(ARTIFACTS, `real-${name}.png`) });
}

before(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});
after(async () => {
  await browser?.close();
});

test("mlp_train_compare: the SGD step's fuse pass has one cluster per kernel, and Compare shows its per-call bars", async () => {
  const report = load("mlp_train_compare");
  const step = report.compilations[0]!;
  const fuse = step.passes.find((p) => p.name === "fuse")!;
  const { page, errors } = await open("mlp_train_compare");
  await page.waitForSelector("#view-graph[data-state=rendered]", { timeout: 20_000 });
  assert.equal(await page.locator(".jit-cluster").count(), fuse.graph.groups.length);
  assert.equal(await page.locator(".jit-node").count(), fuse.graph.nodes.length);
  assert.equal((await page.locator("path.jit-edge-hit.boundary").count()) > 0, true);
  await shoot(page, "mlp-graph-dark");
  await page.locator("#tab-kernels").click();
  assert.equal(await page.locator("#view-kernels tbody tr").count(), report.kernels.length);
  await shoot(page, "mlp-kernels-dark");
  await page.locator("#tab-compare").click();
  const card = page.locator('.jit-card[data-function="sgdStep"]');
  assert.equal(await card.locator("svg.bars rect").count(), 4);
  // The fixture is a real run: the break-even it states is whatever that run measured.
  const breakEven = report.comparison!.sweeps.find((sw) => sw.name === "sgdStep")!.breakEvenCalls;
  assert.notEqual(breakEven, null, "jit breaks even in the MLP fixture");
  assert.match((await card.locator(".jit-sub").textContent()) ?? "", /break-even (≈ [\d.]+|after \d+) calls/);
  await shoot(page, "mlp-compare-dark");
  await page.locator("#tab-timeline").click();
  assert.equal((await page.locator("#view-timeline rect.cat-GPU").count()) > 0, true);
  await page.evaluate(() => {
    document.body.className = "vscode-light";
  });
  await shoot(page, "mlp-timeline-light");
  assert.deepEqual(errors, []);
  await page.close();
});

test("seed_add: the sweep is drawn eager against jit on log axes, with its break-even marked or said to be missing", async () => {
  const sweep = load("seed_add").comparison!.sweeps.find((sw) => sw.name === "add")!;
  const { page, errors } = await open("seed_add", "vscode-light");
  await page.locator("#tab-compare").click();
  const card = page.locator('.jit-card[data-function="add"]');
  assert.equal(await card.locator("svg.sweep path.line").count(), 2);
  // The fixture is a real run: a crossing is marked where it measured one, else the card says so.
  if (sweep.breakEvenCalls === null) {
    assert.equal(await card.locator(".break-even").count(), 0);
    assert.match((await card.locator(".no-break-even").textContent()) ?? "", /no break-even/);
  } else {
    assert.equal(await card.locator(".no-break-even").count(), 0);
    assert.ok((await card.locator(".break-even").count()) > 0, "the crossing is marked");
  }
  await shoot(page, "seed-compare-light");
  assert.deepEqual(errors, []);
  await page.close();
});

test("attention: laid out by ELK with its kernels as clusters, in high contrast", async () => {
  const report = load("attention");
  const fuse = report.compilations[0]!.passes.find((p) => p.name === "fuse")!;
  const { page, errors } = await open("attention", "vscode-high-contrast");
  await page.waitForSelector("#view-graph[data-state=rendered]", { timeout: 20_000 });
  assert.equal(await page.locator("#view-graph").getAttribute("data-layout-engine"), "elk");
  assert.equal(await page.locator(".jit-cluster").count(), fuse.graph.groups.length);
  await shoot(page, "attention-graph-hc");
  assert.deepEqual(errors, []);
  await page.close();
});

test("error_shape: the error is shown with its location and the graph says nothing was compiled", async () => {
  const { page, errors } = await open("error_shape");
  assert.match(
    (await page.locator(".jit-notes").textContent()) ?? "",
    /^shape error: ShapeError: matmul: shapes float32\[3,4\] and float32\[5,4\] do not align.* \(shape_error\.ts:7:62\)$/,
  );
  assert.match((await page.locator("#view-graph .jit-empty").textContent()) ?? "", /No jitted function/);
  await shoot(page, "error-shape-dark");
  assert.deepEqual(errors, []);
  await page.close();
});
