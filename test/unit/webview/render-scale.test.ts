// The graph panel on big programs: synthetic transformer training steps of 5,000 and 50,000 ops
// (syntheticProgram.ts: nested name stacks, kernels of 1–20 ops) drawn in the standalone page.
// Progressive: the first picture shows closed scope groups; opening one draws its detail while
// the groups around it stay. Asserted: a picture (nodes drawn, every one in view after fit), no
// page error, no layout failure; opening the biggest group draws what is inside it. No timing
// here: `npm run bench` (bench/graph_layout.ts) measures it. Screenshots:
// test-artifacts/webview/scale-*.png.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS, writeStandalonePage } from "../../webview/standalonePage.js";
import { largeReport } from "./fixtures.js";
import { syntheticTrainStep } from "./syntheticProgram.js";

const ARTIFACTS = join(process.cwd(), "test-artifacts", "webview");
const dir = mkdtempSync(join(tmpdir(), "jitscope-webview-scale-"));
let browser: Browser;

before(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});
after(async () => {
  await browser?.close();
});

/** Drawn nodes, and those not inside the graph's viewport (1 px tolerance). */
async function drawnNodes(page: Page): Promise<{ drawn: number; outside: string[] }> {
  return page.evaluate(() => {
    const v = document.querySelector("#view-graph svg")!.getBoundingClientRect();
    const nodes = [...document.querySelectorAll<SVGGElement>("#view-graph .jit-node")];
    const outside = nodes
      .filter((g) => {
        const b = g.getBoundingClientRect();
        return b.left < v.left - 1 || b.top < v.top - 1 || b.right > v.right + 1 || b.bottom > v.bottom + 1;
      })
      .map((g) => g.dataset.node ?? "?");
    return { drawn: nodes.length, outside };
  });
}

for (const ops of [5000, 50_000]) {
  test(
    `${ops.toLocaleString("en")}-op training step: the first picture shows closed scope groups, all in view after fit, the status counts every kernel and those drawn, and opening the biggest draws its contents, without a page error`,
    { timeout: 600_000 },
    async () => {
      const report = syntheticTrainStep(ops);
      const graph = report.compilations[0]!.passes.at(-1)!.graph;
      assert.ok(graph.nodes.filter((n) => n.kind === "op").length >= ops * 0.95, "the report is as big as asked");
      const file = writeStandalonePage(join(dir, `scale-${ops}.html`), report);
      const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(pathToFileURL(file).href);
      await page.waitForSelector("#view-graph:is([data-state=rendered],[data-state=rendered-fallback])", {
        timeout: 300_000,
      });
      assert.equal(await page.locator("#view-graph").getAttribute("data-state"), "rendered", "no layout failure");
      const first = await drawnNodes(page);
      assert.ok(first.drawn > 0, "nodes are drawn");
      assert.ok(first.drawn < 2000, `groups first, not every op: ${first.drawn} nodes drawn`);
      assert.deepEqual(first.outside, [], "every drawn node in view after fit");
      // The status counts every kernel of the pass, and says how many are drawn.
      const kernels = report.compilations[0]!.kernels.length.toLocaleString("en");
      assert.match(
        (await page.locator("#view-graph .jit-status").textContent()) ?? "",
        new RegExp(`${kernels} kernels \\(\\d+ drawn\\)`),
      );
      const closed = page.locator("#view-graph .jit-node.kind-scope");
      assert.ok((await closed.count()) >= 3, "closed scope groups are drawn");
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.mouse.move(1, 1);
      await page.screenshot({ path: join(ARTIFACTS, `scale-${ops}-fit.png`) });

      // Open the biggest closed group (data-ops: the ops inside it). The step's repeated blocks
      // are one fold ("block #0–#N ×N+1"): unfold it first, then open the biggest block.
      const biggest = (prefix: string) =>
        page.evaluate((prefix) => {
          let best = { id: "", ops: -1 };
          for (const g of document.querySelectorAll<SVGGElement>("#view-graph .jit-node.kind-scope")) {
            const n = Number(g.dataset.ops ?? 0);
            if ((g.dataset.node ?? "").startsWith(prefix) && n > best.ops) best = { id: g.dataset.node ?? "", ops: n };
          }
          return best;
        }, prefix);
      const fold = await biggest("scopes:");
      if (fold.ops > 0) {
        const closedBefore = await closed.count();
        await page.locator(`#view-graph .jit-node[data-node="${fold.id}"]`).dispatchEvent("click");
        await page.waitForFunction(
          (id) => !document.querySelector(`#view-graph .jit-node[data-node="${id}"]`),
          fold.id,
          { timeout: 300_000 },
        );
        await page.waitForSelector("#view-graph[data-state=rendered]", { timeout: 300_000 });
        assert.ok((await closed.count()) >= closedBefore + 3, "the fold's calls are drawn, each a closed group");
      }
      const target = await biggest("scope:");
      assert.ok(target.ops > 0, `a closed group says how many ops it holds: ${target.id}`);
      await page.locator(`#view-graph .jit-node[data-node="${target.id}"]`).dispatchEvent("click");
      await page.waitForSelector(`#view-graph .jit-scope[data-scope="${target.id}"]`, { timeout: 300_000 });
      await page.waitForSelector("#view-graph[data-state=rendered]", { timeout: 300_000 });
      const opened = await drawnNodes(page);
      assert.ok(opened.drawn > first.drawn - 1, `the opened group's contents are drawn: ${opened.drawn} nodes`);
      await page.keyboard.press("f");
      assert.deepEqual((await drawnNodes(page)).outside, [], "every node in view after fit on demand");
      await page.screenshot({ path: join(ARTIFACTS, `scale-${ops}-opened.png`) });
      assert.deepEqual(errors, []);
      await page.close();
    },
  );
}

test(
  "a flat 5,000-op graph (no scopes) opens with its kernels collapsed, all in view; clicking one expands it into its ops",
  { timeout: 300_000 },
  async () => {
    const file = writeStandalonePage(join(dir, "flat-5000.html"), largeReport(5000));
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector("#view-graph[data-state=rendered]", { timeout: 300_000 });
    assert.equal(await page.locator("#view-graph .jit-node.kind-kernel").count(), 625);
    assert.equal(await page.locator("#view-graph .jit-node.kind-op").count(), 0);
    assert.deepEqual((await drawnNodes(page)).outside, [], "every drawn node in view after fit");
    await page.mouse.move(1, 1);
    await page.screenshot({ path: join(ARTIFACTS, "scale-flat-5000-fit.png") });
    await page.locator('#view-graph .jit-node[data-node="kernel:k3"]').dispatchEvent("click");
    await page.waitForSelector('#view-graph .jit-cluster[data-kernel="k3"]', { timeout: 300_000 });
    assert.equal(await page.locator('#view-graph .jit-node[data-node="op24"]').count(), 1, "k3's ops are drawn");
    assert.equal(await page.locator("#view-graph .jit-node.kind-kernel").count(), 624);
    assert.deepEqual(errors, []);
    await page.close();
  },
);
