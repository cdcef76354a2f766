// Every example and every fixture program (test/fixtures/programs/), profiled by the built CLI,
// drawn in the standalone page at every pass of every compiled function: no page error, no
// layout failure (no fallback drawn), and after fit-to-view every drawn node lies in the view.
// The reports are made here, not committed: they follow the runtime as it changes.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import type { Report } from "@jitscope/contract";
import { CHROMIUM, CHROMIUM_ARGS, chooseFunction, writeStandalonePage } from "../../webview/standalonePage.js";
import { profileOnce, REPO } from "../cli/runCli.js";

const dir = mkdtempSync(join(tmpdir(), "jitscope-webview-programs-"));
let browser: Browser;

const scripts = [
  ...readdirSync(join(REPO, "examples"))
    .filter((f) => f.endsWith(".ts"))
    .map((f) => join(REPO, "examples", f)),
  ...readdirSync(join(REPO, "test/fixtures/programs"))
    .filter((f) => f.endsWith(".ts"))
    .map((f) => join(REPO, "test/fixtures/programs", f)),
];

before(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});
after(async () => {
  await browser?.close();
});

/** Drawn nodes whose box is not inside the graph's viewport (1 px tolerance). */
async function nodesOutsideView(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const svg = document.querySelector("#view-graph svg");
    if (!svg) return ["(no svg)"];
    const v = svg.getBoundingClientRect();
    const out: string[] = [];
    for (const g of document.querySelectorAll<SVGGElement>("#view-graph .jit-node")) {
      const b = g.getBoundingClientRect();
      if (b.left < v.left - 1 || b.top < v.top - 1 || b.right > v.right + 1 || b.bottom > v.bottom + 1)
        out.push(g.dataset.node ?? "?");
    }
    return out;
  });
}

async function waitDrawn(page: Page, pass: string): Promise<string> {
  const sel = `#view-graph[data-pass="${pass}"]:is([data-state=rendered],[data-state=rendered-fallback])`;
  await page.waitForSelector(sel, { timeout: 60_000 });
  return (await page.locator("#view-graph").getAttribute("data-state")) ?? "";
}

for (const script of scripts) {
  const name = script.slice(REPO.length + 1);
  test(
    `${name}: every pass of every compiled function draws without a page error or layout failure, and fit-to-view shows every node`,
    { timeout: 600_000 },
    async () => {
      const run = profileOnce(script, { timeoutMs: 300_000 });
      assert.equal(run.code, 0, run.stderr);
      const report: Report = run.report;
      assert.ok(report.compilations.length > 0, "something was compiled");
      const file = writeStandalonePage(join(dir, `${name.replace(/\W/g, "_")}.html`), report);
      const page = await browser.newPage({ viewport: { width: 900, height: 800 } });
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(pathToFileURL(file).href);
      // It opens on the compiled function with the most GPU time (the GRU's training step, not
      // the eager QR of its orthogonal init that compiled first).
      await page.waitForSelector("#view-graph[data-compilation]", { timeout: 60_000 });
      const opened = await page.locator("#view-graph").getAttribute("data-compilation");
      const gpuNs = (id: string): number =>
        report.kernels.filter((k) => k.compilation === id).reduce((a, k) => a + k.totalNs, 0);
      const costliest = Math.max(...report.compilations.map((c) => gpuNs(c.id)));
      assert.equal(gpuNs(opened ?? ""), costliest, `opened on ${opened}`);
      if (name.endsWith("gru_mixup_rmsprop.ts"))
        assert.equal(report.compilations.find((c) => c.id === opened)?.functionName, "trainStep");
      if (/(gru_mixup_rmsprop|examples\/cnn|examples\/mlp_adam)\.ts$/.test(name)) {
        // Past 60 ops the scopes start closed: with every scope open the GRU's step drew 262
        // nodes, the CNN's 110 and the MLP-Adam's 138, at 2–3 px a label once fitted.
        await page.waitForSelector("#view-graph[data-state=rendered]", { timeout: 60_000 });
        const ids = await page
          .locator("#view-graph .jit-node")
          .evaluateAll((gs) => gs.map((g) => (g as SVGGElement).dataset.node ?? ""));
        assert.ok(ids.length <= 60, `${ids.length} nodes drawn at open`);
        assert.ok(
          ids.some((id) => id.startsWith("scope:")),
          `a closed scope among ${ids.join(" ")}`,
        );
      }
      if (name.endsWith("pendulum_scan.ts")) {
        // Its simulation is one scan: one op, one kernel (not "1 ops · 1 kernels"). Chosen by
        // name: on a loaded machine its one-call Jacobian can measure costlier and open first.
        await page.waitForSelector("#view-graph[data-state=rendered]", { timeout: 60_000 });
        await chooseFunction(page, "simulate");
        assert.match((await page.locator("#view-graph .jit-status").textContent()) ?? "", /^1 op · 1 kernel$/);
      }
      if (name.endsWith("vit_patches.ts")) {
        // Its blocks' halves are named scopes; each records the line that called it, and a
        // helper inside one the line of its own call (an arrow's, not the scope's).
        const sites = report.compilations.find((c) => c.functionName === "step")?.scopeSites ?? {};
        const lineOf = (path: string) => sites[`step/grad(loss)/logits/block/${path}`]?.line;
        assert.deepEqual(
          ["#1/attention", "#2/attention", "#1/mlp", "#2/mlp", "#1/attention/layerNorm", "#2/mlp/layerNorm"].map(
            lineOf,
          ),
          [67, 67, 75, 75, 68, 76],
          JSON.stringify(Object.keys(sites)),
        );
      }
      if (name.endsWith("resnet_batchnorm.ts")) {
        // Ten kernels named conv, all at the conv helper's line: the Scope column tells them
        // apart, forward calls from their gradients (under transpose), and says which line called.
        await page.locator("#tab-kernels").click();
        const titles = await page.locator("#view-kernels tbody tr").evaluateAll((trs) =>
          trs
            // A long scope is cut at its start in the cell; its title holds all of it and the call's line.
            .map((tr) =>
              ["name", "fn", "scope"]
                .map((key) => tr.querySelector<HTMLElement>(`td[data-key="${key}"]`))
                .map((td) => td?.title || td?.textContent || ""),
            )
            .filter((cells) => cells[0] === "conv" && cells[1] === "trainStep")
            .map((cells) => cells[2]!),
        );
        const scopes = titles.map((t) => t.split("\n")[0]!);
        // Every conv instance was called from one of the lines that call conv (75-83), the two
        // calls on line 82 told apart by their columns.
        const sites = titles
          .filter((t) => / › conv #\d+\n/.test(t))
          .map((t) => /\ncalled at resnet_batchnorm\.ts:(\d+):(\d+)$/.exec(t));
        assert.ok(sites.length >= 10, JSON.stringify(titles));
        assert.ok(
          sites.every((m) => m !== null && [75, 77, 78, 81, 82, 83].includes(Number(m[1]))),
          JSON.stringify(titles),
        );
        assert.ok(new Set(sites.map((m) => m![0])).size >= 6, JSON.stringify(titles));
        assert.ok(scopes.length >= 10, JSON.stringify(scopes));
        assert.ok(new Set(scopes).size >= 6, `distinct scopes: ${JSON.stringify(scopes)}`);
        assert.ok(
          scopes.some((s) => /^grad\(loss\) › forward › conv #\d+$/.test(s)),
          JSON.stringify(scopes),
        );
        assert.ok(
          scopes.some((s) => /^grad\(loss\) › transpose › forward › conv #\d+$/.test(s)),
          JSON.stringify(scopes),
        );
        await page.locator("#tab-graph").click();
        // The optimizer's update and apply_updates are one closed group each, and the 21
        // parameters each of them alone reads are one "p · 21 arrays" node beside it: 168 ops
        // and 60 pills at the step's top level before.
        await page.waitForSelector("#view-graph[data-state=rendered]", { timeout: 60_000 });
        const drawn = await page
          .locator("#view-graph .jit-node")
          .evaluateAll((gs) =>
            gs.map((g) => ({ id: (g as SVGGElement).dataset.node ?? "", cls: g.getAttribute("class") ?? "" })),
          );
        const ids = drawn.map((d) => d.id);
        assert.ok(ids.includes("scope:trainStep/optim.chain(add_decayed_weights, sgd).update"), ids.join(" "));
        assert.ok(ids.includes("scope:trainStep/optim.apply_updates"), ids.join(" "));
        const pBundles = ids.filter((id) => /^bundle:in:scope:trainStep\/optim\..*:p$/.test(id));
        assert.equal(pBundles.length, 2, ids.join(" "));
        const pills = drawn.filter((d) => /kind-(input|output)\b/.test(d.cls) && !d.id.startsWith("bundle:"));
        assert.ok(pills.length <= 12, `${pills.length} input and output pills: ${pills.map((d) => d.id).join(" ")}`);
      }
      if (name.endsWith("rnn_unrolled.ts")) {
        // Its JS loop's 32 iterations are 32 closed calls of loss, drawn as a diagonal staircase
        // of specks before; now one fold, which a click unfolds and "close every scope" folds again.
        await page.waitForSelector("#view-graph[data-state=rendered]", { timeout: 60_000 });
        const fold = page.locator('#view-graph .jit-node[data-node^="scopes:"]');
        assert.equal(await fold.count(), 1);
        assert.match((await fold.textContent()) ?? "", /#1–#32 ×32/);
        await fold.click();
        await page.waitForSelector("#view-graph[data-state=rendered]", { timeout: 60_000 });
        const calls = await page
          .locator('#view-graph .jit-node[data-node^="scope:"]')
          .evaluateAll((gs) => gs.map((g) => (g as SVGGElement).dataset.node ?? ""));
        assert.equal(calls.filter((id) => /\/#\d+$/.test(id)).length, 32, calls.join(" "));
        // Closing every scope folds them again: opened, grad(loss) shows the fold, not 32 calls.
        await page.locator("#close-scopes").click();
        await page.waitForSelector("#view-graph[data-state=rendered]", { timeout: 60_000 });
        await page.locator('#view-graph .jit-node[data-node="scope:trainStep/grad(loss)"]').click();
        await page.waitForSelector("#view-graph[data-state=rendered]", { timeout: 60_000 });
        assert.equal(await page.locator('#view-graph .jit-node[data-node^="scopes:"]').count(), 1);
      }
      if (name.endsWith("moe_transformer.ts")) {
        // Adam's update of each of its 14 parameters is a kernel of its own, alike but for the
        // array: a row of 14 clusters 8,000 px wide before. They draw as folds ("×9", "×5": two op
        // sequences), which unfold on a click and fold again from a member's label.
        await page.waitForSelector("#view-graph[data-state=rendered]", { timeout: 60_000 });
        const folds = () =>
          page
            .locator('#view-graph .jit-node[data-node^="repeat:"]')
            .evaluateAll((gs) => gs.map((g) => g.textContent ?? ""));
        const labels = await folds();
        const counts = labels.map((l) => Number(/×(\d+)/.exec(l)?.[1] ?? 0));
        assert.ok(counts.length > 0 && counts.every((n) => n >= 4), JSON.stringify(labels));
        assert.equal(
          counts.reduce((a, b) => a + b, 0),
          14,
          `the folds hold the 14 parameter updates: ${JSON.stringify(labels)}`,
        );
        const clustersBefore = await page.locator("#view-graph .jit-cluster").count();
        await page.locator('#view-graph .jit-node[data-node^="repeat:"]').first().click();
        await page.waitForSelector("#view-graph[data-state=rendered]", { timeout: 60_000 });
        assert.equal(await page.locator("#view-graph .jit-cluster").count(), clustersBefore + counts[0]!);
        const foldName = labels[0]!.split(" ×")[0]!;
        await page.locator("#view-graph .jit-cluster text", { hasText: foldName }).first().click();
        await page.waitForSelector("#view-graph[data-state=rendered]", { timeout: 60_000 });
        assert.equal(await page.locator("#view-graph .jit-cluster").count(), clustersBefore);
        assert.equal((await folds()).length, counts.length);
      }
      for (const c of report.compilations) {
        await page.evaluate((id) => {
          const el = document.querySelector("#compilation-select") as (HTMLElement & { value: string }) | null;
          if (el && el.value !== id) {
            el.value = id;
            el.dispatchEvent(new Event("change"));
          }
        }, c.id);
        // Opened at its default pass: fitted on open.
        const first = (await page.locator("#view-graph").getAttribute("data-pass")) ?? "";
        assert.equal(
          await waitDrawn(page, first),
          "rendered",
          `${c.functionName} at ${first}: ${await page.locator(".jit-layout-error").textContent()}`,
        );
        assert.deepEqual(
          await nodesOutsideView(page),
          [],
          `${c.functionName} at ${first}: nodes outside the view on open`,
        );
        // Then every pass from the first, each fitted on demand.
        for (let i = 0; i < c.passes.length; i++) await page.keyboard.press("ArrowLeft");
        for (const [i, pass] of c.passes.entries()) {
          if (i > 0) await page.keyboard.press("ArrowRight");
          const state = await waitDrawn(page, pass.name);
          assert.equal(
            state,
            "rendered",
            `${c.functionName} at ${pass.name}: ${await page.locator(".jit-layout-error").textContent()}`,
          );
          assert.equal(
            (await page.locator("#view-graph .jit-node").count()) > 0,
            true,
            `${c.functionName} at ${pass.name}: nodes drawn`,
          );
          await page.keyboard.press("f");
          assert.deepEqual(
            await nodesOutsideView(page),
            [],
            `${c.functionName} at ${pass.name}: nodes outside the view after fit`,
          );
        }
      }
      assert.deepEqual(errors, []);
      await page.close();
    },
  );
}
