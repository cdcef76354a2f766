// The Roofline and Memory views, and the Timeline's live-bytes lane, on real programs (the
// GPT-style training step, the MLP with Adam, the CNN, an eager MLP run) profiled by the CLI, with
// device peaks filled in as calibration records them. In the standalone page and in a page hosted
// as the extension hosts it (to see what a click posts). Screenshots, dark and light, 600×800 and
// full width, go to test-artifacts/webview/advice-*.png.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { boundText, formatBytes, formatRate, peaksText, type Report } from "@jitscope/contract";
import { CHROMIUM, CHROMIUM_ARGS, webviewLikeHtml, writeStandalonePage } from "../../webview/standalonePage.js";
import { PROGRAMS, profileProgram, withoutPeaks, withPeaks } from "./adviceReports.js";

const ARTIFACTS = join(process.cwd(), "test-artifacts", "webview");
const dir = mkdtempSync(join(tmpdir(), "jitscope-webview-advice-"));
let browser: Browser;
const reports = new Map<string, Report>();
const pages = new Map<string, string>();

before(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  for (const [name, path] of Object.entries(PROGRAMS)) reports.set(name, withPeaks(profileProgram(name, path)));
  // Eager: every jit a pass-through, so the run is op by op and its arrays come and go.
  reports.set("mlp_eager", profileProgram("mlp_eager", "examples/mlp_train.ts", { JITSCOPE_DISABLE_JIT: "1" }));
  reports.set("gpt_old", withoutPeaks(reports.get("gpt_step")!));
  reports.set(
    "cpu_old",
    JSON.parse(readFileSync(join(process.cwd(), "test/fixtures/reports/diff_base.json"), "utf8")) as Report,
  );
  for (const [name, r] of reports) pages.set(name, writeStandalonePage(join(dir, `${name}.html`), r));
});
after(async () => {
  await browser?.close();
});

const SIZES = [
  { tag: "600x800", width: 600, height: 800 },
  { tag: "full", width: 1600, height: 1000 },
];
const THEMES = [
  { tag: "dark", cls: "vscode-dark" },
  { tag: "light", cls: "vscode-light" },
];

async function open(name: string, view: string, width = 1200, height = 800, theme = "vscode-dark"): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height } });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(pathToFileURL(pages.get(name)!).href);
  await page.evaluate((t) => {
    document.body.className = t;
  }, theme);
  await page.locator(`#tab-${view}`).click();
  // The timeline draws at once; the other views say when they are done.
  await page.waitForSelector(view === "timeline" ? "#view-timeline svg" : `#view-${view}[data-state=rendered]`, {
    timeout: 30_000,
  });
  assert.deepEqual(errors, []);
  return page;
}

async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.mouse.move(1, 1);
  await page.screenshot({ path: join(ARTIFACTS, `advice-${name}.png`) });
}

const timedKernels = (r: Report) => r.kernels.filter((k) => k.totalNs > 0 && k.medianNs > 0);

test("roofline: one dot per kernel with GPU time, the band holding those without flops, both roofs and the ridge labelled", async () => {
  const r = reports.get("gpt_step")!;
  const page = await open("gpt_step", "roofline");
  const timed = timedKernels(r);
  assert.equal(await page.locator("circle.jit-dot").count(), timed.length);
  const noFlops = timed.filter((k) => k.flops === 0).length;
  assert.ok(noFlops > 0, "the GPT step has kernels without flops (the gathers, the copies)");
  assert.equal(await page.locator("circle.jit-dot.in-band").count(), noFlops);
  assert.equal(await page.locator("path.jit-roof.memory").count(), 1);
  assert.equal(await page.locator("path.jit-roof.compute").count(), 1);
  const peaks = r.device.peaks!;
  assert.equal(
    await page.locator(".jit-ridge-label").textContent(),
    `ridge ${formatRate(peaks.gflopPerS / peaks.gbPerS, "FLOP/B")}`,
  );
  assert.equal(
    await page.locator(".jit-roof-label.compute").textContent(),
    `compute roof ${formatRate(peaks.gflopPerS, "GFLOP/s")}`,
  );
  assert.equal(
    await page.locator(".jit-roof-label.memory").textContent(),
    `memory roof ${formatRate(peaks.gbPerS, "GB/s")}`,
  );
  // The memory roof rises to the ridge; the compute roof is flat from there.
  const nums = (sel: string, attr: string): Promise<number[]> =>
    page.$eval(sel, (e, a) => (e.getAttribute(a)!.match(/-?[\d.]+/g) ?? []).map(Number), attr);
  const geometry = {
    memory: await nums("path.jit-roof.memory", "d"),
    compute: await nums("path.jit-roof.compute", "d"),
    ridge: [...(await nums("circle.jit-ridge", "cx")), ...(await nums("circle.jit-ridge", "cy"))],
  };
  assert.ok(geometry.memory[1]! > geometry.memory[3]!, "the bandwidth roof rises (SVG y grows downwards)");
  assert.deepEqual(geometry.memory.slice(2), geometry.ridge);
  assert.deepEqual(geometry.compute.slice(0, 2), geometry.ridge);
  assert.equal(geometry.compute[1], geometry.compute[3]);
  await page.close();
});

test("roofline: a dot's tooltip names the kernel, its bound, its efficiency and its time, and leaves with the view", async () => {
  const r = reports.get("gpt_step")!;
  const page = await open("gpt_step", "roofline");
  const top = [...timedKernels(r)].filter((k) => k.flops > 0).sort((a, b) => b.totalNs - a.totalNs)[0]!;
  // Dispatched on the dot itself: a pointer at its centre can land on a smaller dot drawn over it.
  await page.locator(`circle.jit-dot[data-kernel="${top.id}"]`).dispatchEvent("mousemove");
  const tip = await page.locator(".jit-tooltip").textContent();
  assert.ok(tip!.startsWith(top.name), tip!);
  assert.ok(tip!.includes(boundText(top)) && boundText(top) !== "", tip!);
  assert.match(tip!, /median .* · total .* of GPU time/);
  await page.locator("#tab-memory").click();
  assert.equal(await page.locator(".jit-tooltip").isHidden(), true, "switching views takes the tooltip away");
  await page.close();
});

test("roofline: clicking a dot posts revealLocation for the kernel's line and selects its ops in the graph", async () => {
  const r = reports.get("gpt_step")!;
  const file = join(dir, "hosted.html");
  writeFileSync(file, webviewLikeHtml());
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  await page.addInitScript({
    content: `window.__posted = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => undefined, setState: () => {} });`,
  });
  await page.goto(pathToFileURL(file).href);
  await page.evaluate((report) => window.postMessage({ type: "report", report, view: "roofline" }, "*"), r);
  await page.waitForSelector("#view-roofline[data-state=rendered]", { timeout: 30_000 });
  const k = [...timedKernels(r)].filter((x) => x.flops > 0 && x.compilation).sort((a, b) => b.totalNs - a.totalNs)[0]!;
  await page.locator(`circle.jit-dot[data-kernel="${k.id}"]`).dispatchEvent("click");
  const posted = await page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted);
  assert.deepEqual(posted.at(-1), { type: "revealLocation", location: k.locations[0] });
  assert.equal(await page.locator(`circle.jit-dot.selected`).getAttribute("data-kernel"), k.id);
  await page.locator("#tab-graph").click();
  await page.waitForSelector("#view-graph[data-state=rendered]", { timeout: 60_000 });
  const revealed = await page
    .locator(".jit-node.revealed")
    .evaluateAll((els) => els.map((e) => e.getAttribute("data-node")));
  assert.ok(revealed.length > 0);
  // An op inside a closed scope is revealed as that scope's node.
  for (const id of revealed)
    assert.ok(k.opIds.includes(id!) || id!.startsWith("scope:"), `${id} is one of ${k.name}'s ops`);
  await page.close();
});

test("roofline without peaks: a clear message instead of roofs, the dots still drawn", async () => {
  for (const [name, words] of [
    ["gpt_old", /the device was not calibrated/],
    ["cpu_old", /the CPU backend is not calibrated/],
  ] as const) {
    const page = await open(name, "roofline");
    const note = (await page.locator(".jit-roofline-note").textContent())!;
    assert.match(note, words);
    assert.ok(note.includes(peaksText(reports.get(name)!.device)));
    assert.equal(await page.locator("path.jit-roof").count(), 0);
    assert.equal(await page.locator("circle.jit-dot").count(), timedKernels(reports.get(name)!).length);
    if (name === "gpt_old") await shoot(page, "roofline-no-peaks");
    await page.close();
  }
});

test("memory: the peak is marked at the plan's peak step, at the top of the tallest column, and its buffers are listed largest first", async () => {
  for (const name of ["mlp_adam", "cnn", "gpt_step"]) {
    const c = reports.get(name)!.compilations[0]!;
    const plan = c.memory!;
    const page = await open(name, "memory");
    assert.equal(await page.locator(".jit-peak").getAttribute("data-step"), String(plan.peakStep));
    const live = plan.buffers.filter((b) => b.start <= plan.peakStep && plan.peakStep <= b.end);
    const rows = page.locator(".jit-peak-buffers tbody tr");
    assert.equal(await rows.count(), live.length);
    const bytes = await rows.evaluateAll((trs) => trs.map((tr) => tr.children[2]!.textContent));
    assert.deepEqual(
      bytes,
      [...live].sort((a, b) => b.bytes - a.bytes).map((b) => formatBytes(b.bytes)),
    );
    // The stack over the peak step reaches the peak line.
    const reach = await page.evaluate((step) => {
      const line = document.querySelector(".jit-peak line")!;
      const svg = document.querySelector("svg.jit-memory")!;
      const peakY = Number(line.getAttribute("y1"));
      const marker = document
        .querySelector(".jit-peak-marker")!
        .getAttribute("d")!
        .match(/-?[\d.]+/g)!
        .map(Number);
      const px = (marker[0]! + marker[2]!) / 2;
      const tops = [...svg.querySelectorAll("rect.jit-buffer")]
        .filter((r) => {
          const x = Number(r.getAttribute("x"));
          return x <= px && px <= x + Number(r.getAttribute("width")) + 1;
        })
        .map((r) => Number(r.getAttribute("y")));
      return { peakY, top: Math.min(...tops), step };
    }, plan.peakStep);
    assert.ok(Math.abs(reach.top - reach.peakY) < 0.5, `${name}: stack top ${reach.top} vs peak line ${reach.peakY}`);
    assert.match(
      (await page.locator(".jit-memory-summary").textContent())!,
      new RegExp(
        `^peak ${formatBytes(plan.peakBytes).replace(".", "\\.")} live at step ${plan.peakStep} of ${plan.steps}`,
      ),
    );
    await page.close();
  }
});

test("memory: clicking a buffer at the peak reveals the line that wrote it", async () => {
  const r = reports.get("mlp_adam")!;
  const file = join(dir, "hosted-memory.html");
  writeFileSync(file, webviewLikeHtml());
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  await page.addInitScript({
    content: `window.__posted = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => undefined, setState: () => {} });`,
  });
  await page.goto(pathToFileURL(file).href);
  await page.evaluate((report) => window.postMessage({ type: "report", report, view: "memory" }, "*"), r);
  await page.waitForSelector("#view-memory[data-state=rendered]", { timeout: 30_000 });
  const plan = r.compilations[0]!.memory!;
  const b = plan.buffers
    .filter((x) => x.location && x.start <= plan.peakStep && plan.peakStep <= x.end)
    .sort((x, y) => y.bytes - x.bytes)[0]!;
  await page.locator(`.jit-peak-buffers tr[data-buffer="${b.id}"]`).click();
  const posted = await page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted);
  assert.deepEqual(posted.at(-1), { type: "revealLocation", location: b.location });
  await page.close();
});

test("timeline: an eager run shows its live array bytes as a lane, up to the run's largest value", async () => {
  const r = reports.get("mlp_eager")!;
  const live = r.timeline.liveBytes ?? [];
  assert.ok(live.length > 10, "the eager run recorded its arrays");
  const page = await open("mlp_eager", "timeline");
  const d = await page.locator("path.jit-live-area").getAttribute("d");
  assert.ok(d && d.length > 20, "the live-bytes area is drawn");
  assert.equal(
    await page.locator(".jit-live-label").textContent(),
    `max ${formatBytes(Math.max(...live.map((s) => s.bytes)))}`,
  );
  await page.close();
});

for (const size of SIZES) {
  for (const theme of THEMES) {
    test(`screenshots ${size.tag} ${theme.tag}: roofline (GPT step, CNN), memory (MLP with Adam, CNN), eager timeline`, async () => {
      for (const [name, view] of [
        ["gpt_step", "roofline"],
        ["cnn", "roofline"],
        ["mlp_adam", "memory"],
        ["cnn", "memory"],
        ["mlp_eager", "timeline"],
      ] as const) {
        const page = await open(name, view, size.width, size.height, theme.cls);
        if (view === "roofline") assert.ok((await page.locator("circle.jit-dot").count()) > 0);
        if (view === "memory") assert.equal(await page.locator(".jit-peak").count(), 1);
        await shoot(page, `${view}-${name}-${size.tag}-${theme.tag}`);
        await page.close();
      }
    });
  }
}
