// The Kernels table with calibrated peaks: a Bound column reading as the CLI and hover read it
// ("memory-bound · 62% of peak"), the peaks the column is measured against in the toolbar, and
// on the CPU backend a note that there are none. Screenshots: test-artifacts/webview/bounds-*.png.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { boundaryCostText, boundText, type DevicePeaks, type Report } from "@jitscope/contract";
import { classifyKernels, priceBoundaries } from "../../../runtime/src/advice/kernelBounds.js";
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  WEBVIEW_BUNDLE,
  chooseFunction,
  writeStandalonePage,
} from "../../webview/standalonePage.js";
import { mlpReport } from "./fixtures.js";

const ARTIFACTS = join(process.cwd(), "test-artifacts", "webview");
const dir = mkdtempSync(join(tmpdir(), "jitscope-bounds-"));
let browser: Browser;

// Roofs above every kernel of the fixture (at most 13.3 GB/s, 15 GFLOP/s) that put its kernels
// on all three sides: 20 GB/s, 30 GFLOP/s, 5 µs.
const PEAKS: DevicePeaks = {
  gbPerS: 20,
  gflopPerS: 30,
  dispatchUs: 5,
  timestampTickNs: 1000,
  source: "measured",
  measuredAt: "2026-11-30T06:00:00.000Z",
};

/** The fixture as a calibrated run reports it: kernels classified, each boundary carrying its
 *  bytes (2 × the tensor on its edge in the fuse snapshot, as fuseSchedule.ts records them) and
 *  priced at the peak bandwidth. */
function calibrated(): Report {
  const r = mlpReport();
  const withBytes = r.compilations.map((c) => {
    const edges = c.passes.find((p) => p.name === "fuse")?.graph.edges ?? [];
    const tensor = (from: string, to: string) => edges.find((e) => e.source === from && e.target === to)?.bytes;
    const boundaries = c.fusion.boundaries.map((b) => {
      const t = tensor(b.from, b.to);
      return t === undefined ? b : { ...b, bytes: 2 * t };
    });
    return { ...c, fusion: { ...c.fusion, boundaries } };
  });
  return {
    ...r,
    device: { ...r.device, backend: "webgpu", timestampQuery: true, peaks: PEAKS },
    kernels: classifyKernels(r.kernels, PEAKS),
    compilations: priceBoundaries(withBytes, PEAKS),
  };
}

before(async () => {
  assert.ok(existsSync(WEBVIEW_BUNDLE), "dist/webview.js is missing: run `npm run build` first");
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});
after(async () => {
  await browser?.close();
});

async function kernelsTab(report: Report, shot: string): Promise<import("playwright-core").Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 600 } });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(pathToFileURL(writeStandalonePage(join(dir, `${shot}.html`), report)).href);
  await page.waitForSelector("#view-graph[data-state=rendered]", { timeout: 20_000 });
  await page.locator("#tab-kernels").click();
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `bounds-${shot}.png`) });
  assert.deepEqual(errors, []);
  return page;
}

test("the Kernels table shows each kernel's bound and efficiency, and the peaks they are measured against", async () => {
  const report = calibrated();
  const page = await kernelsTab(report, "kernels");
  const col = await page.locator('#view-kernels th[data-key="efficiency"]').textContent();
  assert.equal(col, "Bound");
  assert.deepEqual(new Set(report.kernels.map((k) => k.bound)), new Set(["memory", "compute", "latency"]));
  for (const k of report.kernels) {
    const index = await page
      .locator("#view-kernels thead th")
      .evaluateAll((ths) => ths.findIndex((th) => (th as HTMLElement).dataset.key === "efficiency"));
    const cell = await page.locator(`#view-kernels tr[data-kernel="${k.id}"] td`).nth(index).textContent();
    assert.equal(cell, boundText(k) || "–", k.name);
  }
  // matmul_tanh_0 (k0): its floors by hand, the highest one bounds it.
  const k0 = report.kernels.find((k) => k.id === "k0")!;
  const memoryMs = (k0.bytesRead + k0.bytesWritten) / (20 * 1e6);
  const computeMs = k0.flops / (30 * 1e6);
  const floor = Math.max(memoryMs, computeMs, 0.005);
  assert.equal(k0.bound, floor === memoryMs ? "memory" : floor === computeMs ? "compute" : "latency");
  assert.ok(Math.abs(k0.efficiency! - floor / (k0.medianNs / 1e6)) < 1e-12);
  assert.equal(
    await page.locator("#kernels-peaks").textContent(),
    "peaks (measured in this run): 20.0 GB/s · 30.0 GFLOP/s · empty dispatch 5.00 µs · timestamp tick 1.00 µs",
  );
  // Sorting by the column puts the most efficient kernel first.
  await page.locator('#view-kernels th[data-key="efficiency"]').click();
  const first = await page.locator("#view-kernels tbody tr").first().getAttribute("data-kernel");
  const best = [...report.kernels].sort((a, b) => (b.efficiency ?? -1) - (a.efficiency ?? -1))[0]!;
  assert.equal(first, best.id);
  await page.close();
});

test("on the CPU backend the Kernels table says there are no peaks and the Bound column reads –", async () => {
  const r = mlpReport();
  const page = await kernelsTab(
    { ...r, device: { ...r.device, backend: "cpu", timestampQuery: false } },
    "kernels-cpu",
  );
  assert.equal(
    await page.locator("#kernels-peaks").textContent(),
    "no peaks: the CPU backend is not calibrated, kernels are not classified",
  );
  const cells = await page.locator('#view-kernels tbody tr td[data-key="efficiency"]').allTextContents();
  assert.ok(cells.length > 0 && cells.every((c) => c === "–"), JSON.stringify(cells));
  await page.close();
});

test("hovering a boundary edge in the graph shows the bytes it writes and reads back and their cost per call", async () => {
  const report = calibrated();
  const b = report.compilations.flatMap((c) => c.fusion.boundaries).find((x) => x.from === "op10" && x.to === "op12")!;
  assert.ok(b.bytes! > 0);
  assert.equal(b.costMs, b.bytes! / (20 * 1e6)); // bytes at 20 GB/s = 2·10^7 bytes per ms
  const page = await browser.newPage({ viewport: { width: 1200, height: 700 } });
  await page.goto(pathToFileURL(writeStandalonePage(join(dir, "edge.html"), report)).href);
  await page.waitForSelector("#view-graph[data-state=rendered]", { timeout: 20_000 });
  await chooseFunction(page, "step");
  const text = await page.evaluate(() => {
    const el = document.querySelector('path.jit-edge-hit[data-edge="op10->op12"]')!;
    const box = el.getBoundingClientRect();
    el.dispatchEvent(
      new MouseEvent("mousemove", { bubbles: true, clientX: box.x + box.width / 2, clientY: box.y + box.height / 2 }),
    );
    return document.querySelector(".jit-tooltip")!.textContent;
  });
  assert.ok((text ?? "").startsWith("why not fused: mul result is a matmul operand"), text ?? "");
  assert.ok((text ?? "").includes(boundaryCostText(b)), `${text} lacks ${boundaryCostText(b)}`);
  await page.screenshot({ path: join(ARTIFACTS, "bounds-boundary-tooltip.png") });
  await page.close();
});
