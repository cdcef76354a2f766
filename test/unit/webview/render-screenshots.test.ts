// The graph panel on real programs, as a person sees it: the GPT-style training step at its fuse
// pass with its scopes as groups and its kernels visible, the same step as a kernel graph (closed
// groups first, then every scope open), and
// the unrolled RNN grouped by iteration; dark and light, in a 600×800 side panel and at full
// width. Screenshots go to test-artifacts/webview/programs-*.png.

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
const dir = mkdtempSync(join(tmpdir(), "jitscope-webview-shots-"));
let browser: Browser;
const pages = new Map<string, string>();
const reports = new Map<string, Report>();

before(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  for (const name of ["gpt_step", "rnn_unrolled"]) {
    const run = profileOnce(join(REPO, "test/fixtures/programs", `${name}.ts`), { timeoutMs: 300_000 });
    assert.equal(run.code, 0, run.stderr);
    reports.set(name, run.report);
    pages.set(name, writeStandalonePage(join(dir, `${name}.html`), run.report));
  }
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

async function open(
  name: string,
  width: number,
  height: number,
  theme: string,
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width, height } });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(pathToFileURL(pages.get(name)!).href);
  await page.evaluate((t) => {
    document.body.className = t;
  }, theme);
  await page.waitForSelector("#view-graph[data-state=rendered]", { timeout: 60_000 });
  return { page, errors };
}

async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.mouse.move(1, 1);
  await page.screenshot({ path: join(ARTIFACTS, `programs-${name}.png`) });
}

/** Every drawn node inside the graph's viewport. */
async function allNodesInView(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const v = document.querySelector("#view-graph svg")!.getBoundingClientRect();
    return [...document.querySelectorAll("#view-graph .jit-node")].every((g) => {
      const b = g.getBoundingClientRect();
      return b.left >= v.left - 1 && b.top >= v.top - 1 && b.right <= v.right + 1 && b.bottom <= v.bottom + 1;
    });
  });
}

for (const size of SIZES) {
  for (const theme of THEMES) {
    test(
      `GPT step at fuse, ${size.tag} ${theme.tag}: scopes drawn as groups with kernels inside, one-line toolbar, every node in view`,
      { timeout: 120_000 },
      async () => {
        const { page, errors } = await open("gpt_step", size.width, size.height, theme.cls);
        assert.equal(await page.locator("#view-graph").getAttribute("data-pass"), "fuse");
        // Over 60 kernels the default opening is a budget of drawn things: the biggest scopes open
        // (grad(loss) and its transpose), the blocks stay closed scope nodes.
        const opened = await page.locator("#view-graph .jit-scope").count();
        const closed = await page.locator("#view-graph .jit-node.kind-scope").count();
        assert.ok(opened >= 2 && opened + closed >= 5, `scope groups are drawn: ${opened} open, ${closed} closed`);
        assert.ok((await page.locator("#view-graph .jit-cluster").count()) >= 1, "kernel clusters are drawn");
        const scopeLabels = await page
          .locator("#view-graph .jit-scope text, #view-graph .jit-node.kind-scope text")
          .allTextContents();
        // The user's functions by name: the blocks may be closed (attention is inside them).
        for (const want of ["grad(loss)", "transpose", "block"]) {
          assert.ok(
            scopeLabels.some((l) => l.includes(want)),
            `a scope names ${want}: ${scopeLabels.join(" | ")}`,
          );
        }
        // The toolbar keeps to one line (its buttons are 26 px high).
        const bar = (await page.locator("#view-graph .jit-toolbar").boundingBox())!;
        assert.ok(bar.height < 44, `toolbar is ${bar.height} px high`);
        assert.ok(await allNodesInView(page), "fit-to-view on open");
        await shoot(page, `gpt-fuse-${size.tag}-${theme.tag}`);
        assert.deepEqual(errors, []);
        await page.close();
      },
    );

    test(
      `GPT step as a kernel graph, ${size.tag} ${theme.tag}: opens on closed scope groups of kernels; opening every scope shows one node per kernel, buffers labelled with bytes`,
      { timeout: 120_000 },
      async () => {
        const { page, errors } = await open("gpt_step", size.width, size.height, theme.cls);
        const c = reports.get("gpt_step")!.compilations[0]!;
        await page.locator("#kernel-view").click();
        // 148 kernels: the first picture is their scopes, closed, with kernels drawn around them.
        await page.waitForFunction(
          () =>
            document.querySelector("#view-graph[data-state=rendered]") &&
            document.querySelectorAll("#view-graph .jit-node.kind-scope").length >= 3,
          undefined,
          { timeout: 60_000 },
        );
        assert.equal(await page.locator("#view-graph .jit-node.kind-op").count(), 0);
        assert.ok((await page.locator("#view-graph .jit-node.kind-kernel").count()) < c.kernels.length);
        assert.ok(await allNodesInView(page), "fit-to-view on switching to the kernel graph");
        await shoot(page, `gpt-kernels-${size.tag}-${theme.tag}`);
        await page.locator("#open-scopes").click();
        await page.waitForFunction(
          (n) => document.querySelectorAll("#view-graph .jit-node.kind-kernel").length === n,
          c.kernels.length,
          { timeout: 60_000 },
        );
        await page.waitForSelector("#view-graph[data-state=rendered]");
        assert.equal(await page.locator("#view-graph .jit-node.kind-op").count(), 0);
        assert.ok((await page.locator("#view-graph .jit-edge-label").count()) > 0, "edges carry their bytes");
        assert.match(
          (await page.locator("#view-graph .jit-edge-label").first().textContent()) ?? "",
          /\d+(\.\d+)? ?(B|KB|MB|KiB|MiB)/,
        );
        assert.ok(await allNodesInView(page), "fit-to-view on opening every scope");
        await shoot(page, `gpt-kernels-open-${size.tag}-${theme.tag}`);
        assert.deepEqual(errors, []);
        await page.close();
      },
    );

    test(
      `unrolled RNN, ${size.tag} ${theme.tag}: its 32 steps one fold, which unfolds into one closed group per step`,
      { timeout: 120_000 },
      async () => {
        const { page, errors } = await open("rnn_unrolled", size.width, size.height, theme.cls);
        const fold = page.locator('#view-graph .jit-node[data-node^="scopes:"]');
        assert.match((await fold.textContent()) ?? "", /loss #1–#32 ×32/);
        assert.ok(await allNodesInView(page), "fit-to-view on open");
        await shoot(page, `rnn-${size.tag}-${theme.tag}`);
        await fold.click();
        await page.waitForFunction(
          () => document.querySelectorAll("#view-graph .jit-node.kind-scope").length >= 32,
          undefined,
          { timeout: 60_000 },
        );
        await page.waitForSelector("#view-graph[data-state=rendered]", { timeout: 60_000 });
        const labels = await page.locator("#view-graph .jit-node.kind-scope text").allTextContents();
        const iterations = labels.filter((l) => /loss #\d+$/.test(l));
        assert.equal(iterations.length, 32, `32 iterations: ${labels.join(" | ")}`);
        await page.keyboard.press("f");
        assert.ok(await allNodesInView(page), "fit-to-view on demand after unfolding");
        await shoot(page, `rnn-unfolded-${size.tag}-${theme.tag}`);
        // Opening an iteration shows its cell inside it.
        await page.locator("#view-graph .jit-node.kind-scope", { hasText: /loss #2$/ }).click();
        await page.waitForSelector('#view-graph .jit-scope[data-scope$="/#2"]', { timeout: 60_000 });
        await page.keyboard.press("f");
        assert.ok(await allNodesInView(page), "fit-to-view on demand");
        await shoot(page, `rnn-open-${size.tag}-${theme.tag}`);
        assert.deepEqual(errors, []);
        await page.close();
      },
    );
  }
}
