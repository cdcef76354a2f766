// The panel's Kernels table in headless Chromium shows a tuned kernel's autotune record in its
// Autotune column (short, the full sentence as its tooltip; "–" for the others); a screenshot
// goes to test-artifacts/webview/.

import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { formatAutotune, formatAutotuneShort, formatNs, type KernelAutotune } from "@jitscope/contract";
import { CHROMIUM, CHROMIUM_ARGS, WEBVIEW_BUNDLE, writeStandalonePage } from "../../webview/standalonePage.js";
import { mlpReport } from "./fixtures.js";

const ARTIFACTS = join(process.cwd(), "test-artifacts", "webview");

test("the Kernels table's Autotune column shows the tuned kernel's winner and margin, the sentence as tooltip, – elsewhere", async () => {
  assert.ok(existsSync(WEBVIEW_BUNDLE), "dist/webview.js is missing: run `npm run build` first");
  const report = mlpReport();
  const record: KernelAutotune = {
    candidates: [
      { config: "4×4 vec4 wg8×8", medianNs: 90_000 },
      { config: "4×8 vec4 wg8×8", medianNs: 50_000 },
    ],
    winner: "4×8 vec4 wg8×8",
    defaultConfig: "4×4 vec4 wg8×8",
    speedupOverDefault: 1.8,
    source: "cache",
    budgetMs: 3000,
  };
  const tuned = report.kernels[0]!;
  tuned.autotune = record;
  const file = writeStandalonePage(join(mkdtempSync(join(tmpdir(), "jitscope-webview-")), "report.html"), report);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 600 } });
    await page.goto(pathToFileURL(file).href);
    await page.locator("#tab-kernels").click();
    const header = page.locator('#view-kernels th[data-key="autotune"]');
    assert.equal(await header.textContent(), "Autotune");
    const cells = await page
      .locator("#view-kernels tbody tr")
      .evaluateAll((rows) =>
        rows.map((r) => [(r as HTMLElement).dataset.kernel, r.lastElementChild?.textContent ?? ""]),
      );
    const byId = new Map(cells as [string, string][]);
    assert.equal(byId.get(tuned.id), "4×8 vec4 wg8×8 · 1.80× over default · 2 variants");
    assert.equal(byId.get(tuned.id), formatAutotuneShort(record));
    const tip = await page
      .locator(`#view-kernels tbody tr[data-kernel="${tuned.id}"] td:last-child`)
      .getAttribute("title");
    assert.equal(tip, formatAutotune(record));
    assert.ok([...byId].filter(([id]) => id !== tuned.id).every(([, text]) => text === "–"));
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, "kernels-autotune.png") });
  } finally {
    await browser.close();
  }
});

test("below the Kernels table each autotuned kernel shows its sentence, shape class and every candidate's median time as a bar", async () => {
  assert.ok(existsSync(WEBVIEW_BUNDLE), "dist/webview.js is missing: run `npm run build` first");
  const report = mlpReport();
  const conv: KernelAutotune = {
    candidates: [
      { config: "4×8 wg64", medianNs: 77_265 },
      { config: "4×8 wg128", medianNs: 63_906 },
      { config: "8×4 wg64", medianNs: 56_423 },
      { config: "4×8 split-K 64", medianNs: 140_100 },
    ],
    winner: "8×4 wg64",
    defaultConfig: "4×8 wg64",
    speedupOverDefault: 77_265 / 56_423,
    source: "search",
    budgetMs: 3000,
    shapeClass: "conv float32 [32,3,16,16]*[16,3,3,3]->[32,16,16,16] s1,1 p1,1/1,1 d1,1/1,1 g1",
  };
  const chain: KernelAutotune = {
    candidates: [
      { config: "vec4 ×4 wg64", medianNs: 3_100_000 },
      { config: "vec4 ×8 wg64", medianNs: 2_600_000 },
      { config: "scalar ×1 wg256", medianNs: 4_900_000 },
    ],
    winner: "vec4 ×8 wg64",
    defaultConfig: "vec4 ×4 wg64",
    speedupOverDefault: 3.1 / 2.6,
    source: "cache",
    budgetMs: 3000,
    shapeClass: "elementwise 1048576 mul·add·tanh·mul·mul·neg·exp·sub in float32[1048576] out float32",
  };
  // The MLP fixture has no conv: its first kernel stands in for one, named as one.
  report.kernels[0]!.name = "conv_add_max";
  report.kernels[0]!.autotune = conv;
  report.kernels[1]!.autotune = chain;
  const file = writeStandalonePage(join(mkdtempSync(join(tmpdir(), "jitscope-webview-")), "report.html"), report);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(pathToFileURL(file).href);
    await page.locator("#tab-kernels").click();
    const detail = page.locator("#kernels-autotune");
    assert.match((await detail.locator("h3").textContent()) ?? "", /margin = the default configuration's median time/);
    for (const [k, a] of [
      [report.kernels[0]!, conv],
      [report.kernels[1]!, chain],
    ] as const) {
      const block = detail.locator(`.jit-autotune[data-kernel="${k.id}"]`);
      const text = (await block.textContent()) ?? "";
      assert.ok(text.includes(formatAutotune(a)), text);
      assert.ok(text.includes(`shape class: ${a.shapeClass}`), text);
      const items = await block.locator("li").evaluateAll((lis) =>
        lis.map((li) => ({
          config: (li as HTMLElement).dataset.config,
          text: li.textContent,
          won: li.classList.contains("jit-autotune-winner"),
          bar: parseFloat((li.querySelector(".jit-bar") as HTMLElement).style.width),
        })),
      );
      assert.deepEqual(
        items.map((i) => i.config),
        a.candidates.map((c) => c.config),
      );
      const slowest = Math.max(...a.candidates.map((c) => c.medianNs));
      a.candidates.forEach((c, i) => {
        assert.ok(items[i]!.text!.includes(formatNs(c.medianNs)), items[i]!.text!);
        assert.equal(items[i]!.won, c.config === a.winner);
        assert.equal(items[i]!.bar, Math.max(1, Math.round((c.medianNs / slowest) * 160)));
      });
      assert.match(items.find((i) => i.won)!.text!, /\(won\)$/);
      assert.match(items.find((i) => i.config === a.defaultConfig)!.text!, /\(default\)$/);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    await detail.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, "kernels-autotune-detail.png") });
    // At the editor panel's size the section wraps instead of running off the right edge.
    await page.setViewportSize({ width: 600, height: 800 });
    await detail.scrollIntoViewIfNeeded();
    const fit = await detail.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    assert.ok(fit.scroll <= fit.client, `autotune section ${fit.scroll}px wide in a ${fit.client}px panel`);
    await page.screenshot({ path: join(ARTIFACTS, "kernels-autotune-detail-600x800.png") });
  } finally {
    await browser.close();
  }
});
