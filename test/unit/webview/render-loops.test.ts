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

test("on WebGPU a loop node's hover gives its body kernels' total time and names the largest, as the report's kernel totals", async () => {
  const { formatNs } = await import("@jitscope/contract");
  // The CPU backend runs a body op by op, untimed: the body's kernel times come from WebGPU.
  const dir = mkdtempSync(join(tmpdir(), "jitscope-loops-gpu-"));
  const json = join(dir, "rnn_scan.json");
  execFileSync(
    process.execPath,
    ["dist/cli.mjs", "profile", "examples/rnn_scan.ts", "--backend", "webgpu", "--json", json],
    {
      stdio: "pipe",
    },
  );
  const gpu = JSON.parse(readFileSync(json, "utf8")) as Report;
  const c = gpu.compilations[0]!;
  const n = c.passes.find((p) => p.name === "fuse")!.graph.nodes.find((x) => x.loop)!;
  const body = gpu.kernels
    .filter((k) => k.compilation === c.id && k.loop?.node === n.id && k.gpuTimesNs.length > 0)
    .sort((a, b) => b.totalNs - a.totalNs);
  assert.ok(body.length > 4, `${body.length} timed body kernels`);
  const sum = body.reduce((t, k) => t + k.totalNs, 0);
  // Each name and time, and the "… n more", hold together (no-break spaces) when the hover wraps.
  const nb = (t: string) => t.replace(/ /g, "\u00a0");
  const named = body.slice(0, 4).map((k) => nb(`${k.name} ${formatNs(k.totalNs)}`));
  const gpuPage = await browser.newPage({ viewport: { width: 1280, height: 820 } });
  gpuPage.on("pageerror", (e) => errors.push(e.message));
  await gpuPage.goto(pathToFileURL(writeStandalonePage(join(dir, "rnn_scan.html"), gpu)).href);
  await gpuPage.evaluate(() => {
    document.body.className = "vscode-dark";
  });
  await gpuPage.waitForSelector("#view-graph[data-state=rendered]", { timeout: 20_000 });
  const box = (await gpuPage.locator(`.jit-node[data-node="${n.id}"]`).boundingBox())!;
  await gpuPage.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const tip = (await gpuPage.locator(".jit-tooltip").textContent())!;
  assert.ok(
    tip.includes(`body kernels' total ${formatNs(sum)}: ${named.join(" · ")} · ${nb(`… ${body.length - 4} more`)}`),
    tip,
  );
  assert.deepEqual(errors, []);
  await gpuPage.screenshot({ path: join(ARTIFACTS, "loops-rnn-scan-hover-dark.png") });
  await gpuPage.close();
});
