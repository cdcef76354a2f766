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
import { formatAutotune, formatAutotuneShort, type KernelAutotune } from "@jitscope/contract";
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
