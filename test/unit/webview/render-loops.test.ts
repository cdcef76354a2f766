// Loops drawn as loops: the panel on examples/rnn_scan.ts's real report (written by the CLI on
// the CPU backend) draws each lax.scan as one node marked "scan × 32" with its body's kernel count.
// Screenshot: test-artifacts/webview/loops-rnn-scan-dark.png.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import type { Report } from "@jitscope/contract";
import { CHROMIUM, CHROMIUM_ARGS, writeStandalonePage } from "../../webview/standalonePage.js";

const ARTIFACTS = join(process.cwd(), "test-artifacts", "webview");
let browser: Browser;
let page: Page;
let report: Report;
const errors: string[] = [];

before(async () => {
  assert.ok(existsSync("dist/cli.mjs"), "dist/cli.mjs is missing: run `npm run build` first");
  const dir = mkdtempSync(join(tmpdir(), "jitscope-loops-"));
  const json = join(dir, "rnn_scan.json");
  execFileSync(
    process.execPath,
    ["dist/cli.mjs", "profile", "examples/rnn_scan.ts", "--backend", "cpu", "--json", json],
    { stdio: "pipe" },
  );
  report = JSON.parse(readFileSync(json, "utf8")) as Report;
  const file = writeStandalonePage(join(dir, "rnn_scan.html"), report);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1280, height: 820 } });
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(pathToFileURL(file).href);
  await page.evaluate(() => {
    document.body.className = "vscode-dark";
  });
  await page.waitForSelector("#view-graph[data-state=rendered]", { timeout: 20_000 });
});

after(async () => {
  await browser?.close();
});

test("each scan of rnn_scan's step is one node badged \"scan × 32\" with its body's kernel count", async () => {
  assert.deepEqual(errors, []);
  const c = report.compilations[0]!;
  const fuse = c.passes.find((p) => p.name === "fuse")!;
  assert.equal(await page.locator("#view-graph").getAttribute("data-pass"), "fuse");
  const loops = fuse.graph.nodes.filter((n) => n.loop);
  // The forward scan and the backward one (the transposed loop); T = 32 in the example.
  assert.ok(loops.length >= 2, `loop nodes: ${loops.map((n) => n.id).join(",")}`);
  assert.equal(await page.locator(".jit-node.loop").count(), loops.length);
  for (const n of loops) {
    assert.equal(n.loop!.tripCount, 32);
    const node = page.locator(`.jit-node[data-node="${n.id}"]`);
    assert.equal(await node.locator(".jit-loop-badge").textContent(), "scan × 32");
    // At the fuse pass the body's kernels come from the kernels the report timed for this loop.
    const bodyKernels = report.kernels.filter((k) => k.compilation === c.id && k.loop?.node === n.id).length;
    assert.ok(bodyKernels > 0, `no timed body kernels for ${n.id}`);
    assert.equal(await node.locator("text").textContent(), `scan × 32 · ${bodyKernels} body kernels`);
    assert.equal(await node.locator("rect.jit-loop-stack").count(), 1);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.mouse.move(1, 1);
  await page.screenshot({ path: join(ARTIFACTS, "loops-rnn-scan-dark.png") });
});

test("before fuse without timed kernels a loop shows its body's op count; from fuse on, its compiled body's kernel list", async () => {
  const { loopOf } = await import("../../../webview/src/model/loopBadge.js");
  const c = report.compilations[0]!;
  const traced = c.passes.find((p) => p.name === "dce")!.graph.nodes.find((n) => n.loop)!;
  const ops = traced.loop!.body.nodes.filter((n) => n.kind === "op").length;
  assert.deepEqual(
    { badge: loopOf(traced, c.id, new Map())!.badge, body: loopOf(traced, c.id, new Map())!.bodyText },
    { badge: "scan × 32", body: `${ops} body ops` },
  );
  for (const pass of ["fuse", "lower"]) {
    const node = c.passes.find((p) => p.name === pass)!.graph.nodes.find((n) => n.id === traced.id)!;
    assert.ok(node.loop!.bodyKernels.length > 0);
    assert.equal(loopOf(node, c.id, new Map())!.bodyText, `${node.loop!.bodyKernels.length} body kernels`);
  }
  const whileNode = { ...traced, loop: { ...traced.loop!, kind: "while" as const, tripCount: null } };
  assert.equal(loopOf(whileNode, c.id, new Map())!.badge, "while × ?");
});

/** `script` profiled on WebGPU (the CPU backend runs a body op by op, untimed), its page open
 *  in the dark theme. */
async function profiledPage(script: string): Promise<{ report: Report; page: Page; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), "jitscope-loops-gpu-"));
  const json = join(dir, "report.json");
  execFileSync(process.execPath, ["dist/cli.mjs", "profile", script, "--backend", "webgpu", "--json", json], {
    stdio: "pipe",
  });
  const report = JSON.parse(readFileSync(json, "utf8")) as Report;
  const page = await browser.newPage({ viewport: { width: 1280, height: 820 } });
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(pathToFileURL(writeStandalonePage(join(dir, "report.html"), report)).href);
  await page.evaluate(() => {
    document.body.className = "vscode-dark";
  });
  await page.waitForSelector("#view-graph[data-state=rendered]", { timeout: 20_000 });
  return { report, page, dir };
}

/** rnn_scan's page, shared by the tests that follow one another on it. */
let gpu: Awaited<ReturnType<typeof profiledPage>> | undefined;
const gpuPage = async () => (gpu ??= await profiledPage("examples/rnn_scan.ts"));

test("on WebGPU a loop node's hover gives its body kernels' total time and names the largest, as the report's kernel totals", async () => {
  const { formatNs } = await import("@jitscope/contract");
  const { report: gpuReport, page: gpuPage0 } = await gpuPage();
  const c = gpuReport.compilations[0]!;
  const n = c.passes.find((p) => p.name === "fuse")!.graph.nodes.find((x) => x.loop)!;
  const body = gpuReport.kernels
    .filter((k) => k.compilation === c.id && k.loop?.node === n.id && k.gpuTimesNs.length > 0)
    .sort((a, b) => b.totalNs - a.totalNs);
  assert.ok(body.length > 4, `${body.length} timed body kernels`);
  const sum = body.reduce((t, k) => t + k.totalNs, 0);
  // Each name and time, and the "… n more", hold together (no-break spaces) when the hover wraps.
  const nb = (t: string) => t.replace(/ /g, "\u00a0");
  const named = body.slice(0, 4).map((k) => nb(`${k.name} ${formatNs(k.totalNs)}`));
  const box = (await gpuPage0.locator(`.jit-node[data-node="${n.id}"]`).boundingBox())!;
  await gpuPage0.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const tip = (await gpuPage0.locator(".jit-tooltip").textContent())!;
  assert.ok(
    tip.includes(`body kernels' total ${formatNs(sum)}: ${named.join(" · ")} · ${nb(`… ${body.length - 4} more`)}`),
    tip,
  );
  assert.ok(tip.endsWith("click: open its body"), tip);
  assert.deepEqual(errors, []);
  await gpuPage0.screenshot({ path: join(ARTIFACTS, "loops-rnn-scan-hover-dark.png") });
  await gpuPage0.mouse.move(1, 1);
});

test("a click on the forward scan draws its compiled body: a cluster per body kernel with the table's name and time, ends const/carry/x/y, a trail stating runs, ops, kernels and total, no stale hover; the cursor marks a line's ops in it", async () => {
  const { formatNs, formatLineRef, kernelMedianCell } = await import("@jitscope/contract");
  const { report: r, page: p } = await gpuPage();
  const c = r.compilations[0]!;
  const scan = c.passes.find((x) => x.name === "fuse")!.graph.nodes.find((x) => x.loop)!;
  const body = scan.loop!.body;
  await p.locator(`.jit-node[data-node="${scan.id}"]`).click();
  await p.waitForSelector(`#view-graph[data-state=rendered][data-loop="${scan.id}"]`, { timeout: 20_000 });
  // The loop node's hover went with the drawing it was over.
  assert.equal(await p.locator(".jit-tooltip").isHidden(), true);
  const kernels = new Map(r.kernels.map((k) => [k.id, k]));
  const drawn = await p.locator(".jit-cluster").evaluateAll((els) => els.map((e) => e.getAttribute("data-kernel")));
  assert.deepEqual(drawn.sort(), body.groups.map((g) => g.id).sort());
  for (const g of body.groups) {
    const k = kernels.get(g.id)!;
    const label = await p.locator(`.jit-cluster[data-kernel="${g.id}"] text`).textContent();
    assert.equal(label, `${k.name} · ${kernelMedianCell(k, r.device)}`);
  }
  // The forward body reads the four weights as consts, the hidden state as its carry and the
  // step's inputs and targets as rows of xs; it writes the new state, and per step the loss and
  // the state the backward loop reads.
  const ends = await p
    .locator(".jit-node.kind-input text, .jit-node.kind-output text")
    .evaluateAll((els) => els.map((e) => e.textContent));
  assert.deepEqual(
    [...new Set(ends)].sort(),
    ["carry 0", "const 0", "const 1", "const 2", "const 3", "x 0", "x 1", "y 0", "y 1"].sort(),
  );
  const ops = body.nodes.filter((n) => n.kind === "op").length;
  const total = r.kernels
    .filter((k) => scan.loop!.bodyKernels.includes(k.id) && k.gpuTimesNs.length > 0)
    .reduce((t, k) => t + k.totalNs, 0);
  assert.equal(
    await p.locator("#loop-trail").textContent(),
    `‹ ${c.functionName} › scan × 32 (${formatLineRef(scan.location!.file, scan.location!.line)}) body · ` +
      `body runs 32 times per call · ${ops} ops in ${body.groups.length} kernels · body kernels' total ${formatNs(total)}`,
  );
  // The editor's cursor on the cell's tanh line marks that line's ops in the open body.
  const tanh = body.nodes.find((n) => n.label === "tanh")!.location!;
  const onLine = body.nodes.filter((n) => n.location?.line === tanh.line).map((n) => n.id);
  await p.evaluate((m) => window.postMessage(m, "*"), {
    type: "cursor",
    location: { file: tanh.file, line: tanh.line },
  });
  await p.waitForSelector(".jit-node.revealed");
  const marked = await p
    .locator(".jit-node.revealed")
    .evaluateAll((els) => els.map((e) => e.getAttribute("data-node")));
  assert.deepEqual(marked.sort(), onLine.sort());
  assert.equal(await p.locator("#view-graph").getAttribute("data-loop"), scan.id);
  await p.mouse.move(1, 1);
  await p.screenshot({ path: join(ARTIFACTS, "loops-rnn-scan-body-dark.png") });
  await p.setViewportSize({ width: 560, height: 820 });
  await p.keyboard.press("f");
  await p.waitForTimeout(300);
  await p.screenshot({ path: join(ARTIFACTS, "loops-rnn-scan-body-panel-dark.png") });
  await p.setViewportSize({ width: 1280, height: 820 });
  assert.deepEqual(errors, []);
});

test("a boundary inside the open body says why its two kernels were not fused, with its bytes each iteration", async () => {
  const { boundaryCostText } = await import("@jitscope/contract");
  const { report: r, page: p } = await gpuPage();
  const scan = r.compilations[0]!.passes.find((x) => x.name === "fuse")!.graph.nodes.find((x) => x.loop)!;
  const b = scan.loop!.bodyFusion!.boundaries[0]!;
  const hit = p.locator(`path.jit-edge-hit[data-edge="${b.from}->${b.to}"]`);
  assert.equal(await hit.count(), 1);
  await hit.dispatchEvent("mousemove", { clientX: 300, clientY: 300 });
  const tip = (await p.locator(".jit-tooltip").textContent())!;
  assert.ok(tip.startsWith(`why not fused: ${b.reason}`), tip);
  assert.ok(tip.includes(`${boundaryCostText(b)} each iteration`), tip);
  await p.mouse.move(1, 1);
});

test("Backspace closes the body and marks its loop node; a body kernel chosen in the Kernels table opens its body with its ops marked", async () => {
  const { report: r, page: p } = await gpuPage();
  const c = r.compilations[0]!;
  const scan = c.passes.find((x) => x.name === "fuse")!.graph.nodes.find((x) => x.loop)!;
  await p.keyboard.press("Backspace");
  await p.waitForSelector(`#view-graph[data-state=rendered][data-loop=""]`, { timeout: 20_000 });
  assert.equal(await p.locator("#loop-trail").isHidden(), true);
  assert.equal(await p.locator(`.jit-node.revealed[data-node="${scan.id}"]`).count(), 1);
  // The backward scan's largest kernel: the table opens the backward body, its ops marked.
  const back = c.passes.find((x) => x.name === "fuse")!.graph.nodes.filter((x) => x.loop)[1]!;
  const group = [...back.loop!.body.groups].sort(
    (a, b) => r.kernels.find((k) => k.id === b.id)!.totalNs - r.kernels.find((k) => k.id === a.id)!.totalNs,
  )[0]!;
  await p.locator(".jit-tab", { hasText: "Kernels" }).click();
  await p.locator(`tr[data-kernel="${group.id}"]`).click();
  await p.locator(".jit-tab", { hasText: "Graph" }).click();
  await p.waitForSelector(`#view-graph[data-state=rendered][data-loop="${back.id}"]`, { timeout: 20_000 });
  const marked = await p
    .locator(".jit-node.revealed")
    .evaluateAll((els) => els.map((e) => e.getAttribute("data-node")));
  assert.deepEqual(marked.sort(), [...group.nodes].sort());
  // grad's reverse loop shares the forward loop's line: the trail names it the backward one.
  const trail = (await p.locator("#loop-trail strong").textContent())!;
  assert.ok(trail.startsWith("scan × 32 backward (rnn_scan.ts:"), trail);
  assert.deepEqual(errors, []);
  await p.screenshot({ path: join(ARTIFACTS, "loops-rnn-scan-backward-kernel-dark.png") });
});

test("search marks the loops whose bodies hold matching ops and counts those ops in the status", async () => {
  const { report: r, page: p } = await gpuPage();
  const fuse = r.compilations[0]!.passes.find((x) => x.name === "fuse")!.graph;
  await p.locator("#loop-trail button", { hasText: "‹" }).click();
  await p.waitForSelector(`#view-graph[data-state=rendered][data-loop=""]`, { timeout: 20_000 });
  // Counted independently: tanh ops in each loop's compiled body (no loop nests in rnn_scan's).
  const loops = fuse.nodes.filter((n) => n.loop);
  const inside = loops.map((n) => n.loop!.body.nodes.filter((x) => x.kind === "op" && x.label.includes("tanh")).length);
  assert.ok(
    inside.every((k) => k > 0),
    `${inside}`,
  );
  await p.locator("#search-ops").click();
  await p.keyboard.type("tanh");
  const status = `${inside.reduce((a, b) => a + b, 0)} more inside ${loops.length} loops (marked: click to open)`;
  await p.waitForFunction((t) => document.querySelector("#view-graph .jit-status")?.textContent?.includes(t), status);
  // The status is written before the layout finishes: the marks are drawn with the graph.
  await p.waitForSelector(`#view-graph[data-state=rendered]`, { timeout: 20_000 });
  for (const n of loops) assert.equal(await p.locator(`.jit-node.match[data-node="${n.id}"]`).count(), 1, n.id);
  const top = fuse.nodes.filter((n) => n.label.includes("tanh")).length;
  assert.equal(
    await p.locator("#search-count").textContent(),
    `${top} found, ${inside.reduce((a, b) => a + b, 0)} in loops`,
  );
  await p.screenshot({ path: join(ARTIFACTS, "loops-rnn-scan-search-dark.png") });
  await p.locator("#search-ops").click();
  await p.keyboard.press("Control+A");
  await p.keyboard.press("Backspace");
  await p.waitForFunction(() => !document.querySelector("#view-graph .jit-status")?.textContent?.includes("match"));
  assert.deepEqual(errors, []);
});

test("a while loop's body and condition open one link apart: each draws its own kernels, and the condition's bar gives its kernels' total", async () => {
  const { formatNs } = await import("@jitscope/contract");
  const { report: r, page: p } = await profiledPage("test/fixtures/scripts/while_newton.ts");
  const node = r.compilations[0]!.passes.find((x) => x.name === "fuse")!.graph.nodes.find((n) => n.loop)!;
  const { body, cond } = node.loop!;
  assert.ok(cond && cond.groups.length > 0 && body.groups.length > 0);
  await p.locator(`.jit-node[data-node="${node.id}"]`).click();
  await p.waitForSelector(`#view-graph[data-state=rendered][data-loop="${node.id}"]`, { timeout: 20_000 });
  const drawn = () => p.locator(".jit-cluster").evaluateAll((els) => els.map((e) => e.getAttribute("data-kernel")));
  assert.deepEqual((await drawn()).sort(), body.groups.map((g) => g.id).sort());
  // The last of the three calls ran 9 iterations (the fixture's comment).
  assert.match(
    (await p.locator("#loop-trail").textContent())!,
    /body runs a data-dependent number of times per call \(9 in the last call\)/,
  );
  await p.locator("#loop-trail button", { hasText: "its condition" }).click();
  await p.waitForSelector(`#view-graph[data-state=rendered][data-loop="${node.id}:cond"]`, { timeout: 20_000 });
  assert.deepEqual((await drawn()).sort(), cond.groups.map((g) => g.id).sort());
  const total = cond.groups.reduce((t, g) => t + r.kernels.find((k) => k.id === g.id)!.totalNs, 0);
  const trail = (await p.locator("#loop-trail").textContent())!;
  assert.ok(
    trail.includes("while_loop (while_newton.ts:6) condition · its body · condition runs before each iteration"),
    trail,
  );
  assert.ok(trail.endsWith(`condition kernels' total ${formatNs(total)}`), trail);
  const outputs = await p.locator(".jit-node.kind-output text").allTextContents();
  assert.deepEqual(outputs, ["continue"]);
  await p.screenshot({ path: join(ARTIFACTS, "loops-while-condition-dark.png") });
  await p.locator("#loop-trail button", { hasText: "its body" }).click();
  await p.waitForSelector(`#view-graph[data-state=rendered][data-loop="${node.id}"]`, { timeout: 20_000 });
  assert.deepEqual(errors, []);
  await p.close();
});
