// Navigating a big graph in the standalone page, on real reports made by the CLI: search's Enter
// centres the next match (opening the closed scope hiding it) with a "k of n" count, and a
// minimap for the GPT-style step (364 ops) that is absent for a tiny example and moves the view
// when clicked. Screenshots go to test-artifacts/webview/nav-*.png.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import type { Report } from "@jitscope/contract";
import { CHROMIUM, CHROMIUM_ARGS, writeStandalonePage } from "../../webview/standalonePage.js";
import { profileOnce, REPO } from "../cli/runCli.js";

const ARTIFACTS = join(process.cwd(), "test-artifacts", "webview");
const dir = mkdtempSync(join(tmpdir(), "jitscope-webview-nav-"));
let browser: Browser;
const pages = new Map<string, string>();
const reports = new Map<string, Report>();

before(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  for (const [name, script] of [
    ["gpt_step", "test/fixtures/programs/gpt_step.ts"],
    ["seed_add", "examples/seed_add.ts"],
  ] as const) {
    const run = profileOnce(join(REPO, script), { timeoutMs: 300_000 });
    assert.equal(run.code, 0, run.stderr);
    reports.set(name, run.report);
    pages.set(name, writeStandalonePage(join(dir, `${name}.html`), run.report));
  }
});
after(async () => {
  await browser?.close();
});

async function open(name: string, width: number, height: number): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width, height } });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(pathToFileURL(pages.get(name)!).href);
  await page.evaluate(() => {
    document.body.className = "vscode-dark";
  });
  await page.waitForSelector("#view-graph[data-state=rendered]", { timeout: 60_000 });
  return { page, errors };
}

async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.mouse.move(1, 1);
  await page.screenshot({ path: join(ARTIFACTS, `nav-${name}.png`) });
}

/** The fuse pass's op labels with how often each occurs, in graph order. */
function fuseOps(): { id: string; label: string }[] {
  const c = reports.get("gpt_step")!.compilations[0]!;
  const pass = c.passes.find((p) => p.name === "fuse")!;
  return pass.graph.nodes.filter((n) => n.kind === "op").map((n) => ({ id: n.id, label: n.label }));
}

async function transformOf(page: Page): Promise<string> {
  return (await page.locator("#view-graph svg .jit-root").getAttribute("transform")) ?? "";
}

for (const size of [
  { tag: "600x800", width: 600, height: 800 },
  { tag: "full", width: 1600, height: 1000 },
]) {
  test(
    `GPT step ${size.tag}: Enter in search opens the closed scope hiding the first match, centres it, says "1 of n"; Enter again "2 of n", Shift+Enter back`,
    { timeout: 180_000 },
    async () => {
      const { page, errors } = await open("gpt_step", size.width, size.height);
      const drawn = new Set(
        await page
          .locator("#view-graph .jit-node")
          .evaluateAll((els) => els.map((e) => e.getAttribute("data-node") ?? "")),
      );
      // A label with a few matches whose first one is hidden in a closed scope at open.
      const ops = fuseOps();
      const counts = new Map<string, number>();
      for (const o of ops) counts.set(o.label, (counts.get(o.label) ?? 0) + 1);
      const pick = ops.find(
        (o) =>
          !drawn.has(o.id) &&
          counts.get(o.label)! >= 2 &&
          counts.get(o.label)! <= 12 &&
          ops.find((x) => x.label.includes(o.label))!.id === o.id &&
          !ops.some((x) => x.label !== o.label && x.label.includes(o.label)),
      );
      assert.ok(pick, `an op hidden at open with a few same-named ops: ${[...counts].join(" ")}`);
      const n = counts.get(pick.label)!;
      const field = page.locator("#search-ops");
      await field.click();
      await page.keyboard.type(pick.label);
      await page.waitForFunction((t) => document.querySelector("#search-count")?.textContent === t, `${n} found`);
      await page.keyboard.press("Enter");
      await page.waitForFunction(
        (id) =>
          document.querySelector("#view-graph")?.getAttribute("data-search-focus") === id &&
          document.querySelector("#view-graph")?.getAttribute("data-state") === "rendered",
        pick.id,
        { timeout: 60_000 },
      );
      assert.equal(await page.locator("#search-count").textContent(), `1 of ${n}`);
      const centred = async (id: string): Promise<void> => {
        const node = page.locator(`#view-graph .jit-node[data-node="${id}"]`);
        assert.equal(await node.count(), 1, `${id} is drawn`);
        assert.match((await node.getAttribute("class")) ?? "", /\bcurrent\b/);
        const b = (await node.boundingBox())!;
        const v = (await page.locator("#view-graph svg").first().boundingBox())!;
        const dx = b.x + b.width / 2 - (v.x + v.width / 2);
        const dy = b.y + b.height / 2 - (v.y + v.height / 2);
        assert.ok(
          Math.abs(dx) <= 4 && Math.abs(dy) <= 4,
          `node centre is ${dx.toFixed(1)}, ${dy.toFixed(1)} px from the view's centre`,
        );
      };
      await centred(pick.id);
      await shoot(page, `search-${size.tag}`);
      const second = ops.filter((o) => o.label === pick.label)[1]!;
      await page.keyboard.press("Enter");
      await page.waitForFunction(
        (id) =>
          document.querySelector("#view-graph")?.getAttribute("data-search-focus") === id &&
          document.querySelector("#view-graph")?.getAttribute("data-state") === "rendered",
        second.id,
        { timeout: 60_000 },
      );
      assert.equal(await page.locator("#search-count").textContent(), `2 of ${n}`);
      await centred(second.id);
      await page.keyboard.press("Shift+Enter");
      await page.waitForFunction(
        (id) =>
          document.querySelector("#view-graph")?.getAttribute("data-search-focus") === id &&
          document.querySelector("#view-graph")?.getAttribute("data-state") === "rendered",
        pick.id,
        { timeout: 60_000 },
      );
      assert.equal(await page.locator("#search-count").textContent(), `1 of ${n}`);
      await centred(pick.id);
      assert.deepEqual(errors, []);
      await page.close();
    },
  );

  test(
    `GPT step ${size.tag}: a minimap in the bottom-right corner, clear of the legend, with every node and the viewport; a click or a drag on it moves the view`,
    { timeout: 120_000 },
    async () => {
      const { page, errors } = await open("gpt_step", size.width, size.height);
      const map = page.locator("#view-graph .jit-minimap");
      assert.ok(await map.isVisible(), "minimap shown for 364 ops");
      const drawnNodes = await page.locator("#view-graph .jit-node").count();
      assert.equal(await map.locator(".jit-minimap-node").count(), drawnNodes);
      const m = (await map.boundingBox())!;
      const g = (await page.locator("#view-graph .jit-graph").boundingBox())!;
      const legend = (await page.locator("#view-graph .jit-legend").boundingBox())!;
      assert.ok(
        m.x + m.width <= g.x + g.width &&
          m.y + m.height <= g.y + g.height &&
          m.x >= g.x + g.width / 2 &&
          m.y >= g.y + g.height / 2,
        "inside the graph area's bottom-right quarter",
      );
      assert.ok(m.y + m.height <= legend.y, "above the legend toggle");
      const view = (await map.locator(".jit-minimap-view").boundingBox())!;
      assert.ok(view.width > 0 && view.height > 0, "the viewport is drawn");
      await shoot(page, `minimap-${size.tag}`);
      await page.evaluate(() => {
        document.body.className = "vscode-light";
      });
      await shoot(page, `minimap-${size.tag}-light`);
      await page.evaluate(() => {
        document.body.className = "vscode-dark";
      });
      const before = await transformOf(page);
      await page.mouse.click(m.x + m.width * 0.9, m.y + m.height * 0.9);
      const after = await transformOf(page);
      assert.notEqual(after, before, "a click on the minimap moves the view");
      // The viewport rectangle follows: it is now centred on the clicked point (clamped by nothing).
      const moved = (await map.locator(".jit-minimap-view").boundingBox())!;
      assert.ok(
        Math.abs(moved.x + moved.width / 2 - (m.x + m.width * 0.9)) <= 3 &&
          Math.abs(moved.y + moved.height / 2 - (m.y + m.height * 0.9)) <= 3,
        `viewport rectangle centred on the click: ${JSON.stringify(moved)}`,
      );
      await shoot(page, `minimap-moved-${size.tag}`);
      // Dragging moves the view along: the rectangle ends centred where the drag let go.
      await page.mouse.move(m.x + m.width * 0.2, m.y + m.height * 0.2);
      await page.mouse.down();
      await page.mouse.move(m.x + m.width * 0.4, m.y + m.height * 0.3, { steps: 4 });
      await page.mouse.move(m.x + m.width * 0.5, m.y + m.height * 0.5, { steps: 4 });
      await page.mouse.up();
      const dragged = (await map.locator(".jit-minimap-view").boundingBox())!;
      assert.ok(
        Math.abs(dragged.x + dragged.width / 2 - (m.x + m.width * 0.5)) <= 3 &&
          Math.abs(dragged.y + dragged.height / 2 - (m.y + m.height * 0.5)) <= 3,
        `viewport rectangle follows the drag: ${JSON.stringify(dragged)}`,
      );
      assert.deepEqual(errors, []);
      await page.close();
    },
  );
}

test("a tiny example (seed_add) has no minimap", { timeout: 60_000 }, async () => {
  const { page, errors } = await open("seed_add", 600, 800);
  assert.equal(await page.locator("#view-graph .jit-minimap").isVisible(), false);
  assert.ok((await page.locator("#view-graph .jit-node").count()) > 0, "its graph is drawn");
  assert.deepEqual(errors, []);
  await page.close();
});
