// `jitscope profile --ablate fuse` on a script with a fused chain: the script runs again with
// fusion turned off, and the report, CLI summary, HTML page and panel say per function what
// fusion was worth: dispatches per call exact (1 → 8 for the chain, 1 → 9 for the softmax: one
// row-local kernel on lavapipe, which has subgroups), and
// the cost of a call with and without it. Screenshot: test-artifacts/webview/ablations.png.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { ablationText, callCostOf } from "@jitscope/contract";
import { CHROMIUM, CHROMIUM_ARGS, writeStandalonePage } from "../../webview/standalonePage.js";
import { fixture, runCli } from "./runCli.js";

const ARTIFACTS = join(process.cwd(), "test-artifacts", "webview");

test("--ablate fuse reports per function the dispatches and cost per call with and without fusion", async () => {
  const run = runCli(fixture("fused_chain.ts"), ["--ablate", "fuse", "--html", "{dir}/page.html"], {
    timeoutMs: 300_000,
  });
  assert.equal(run.code, 0, run.stderr);
  // Both runs compute the same values: the chain at x = −2 is tanh(−2.5)·(−2) − exp(−4).
  const expected = Math.tanh(-2.5) * -2 - Math.exp(-4);
  assert.equal(run.stdout.match(/chain\(x\)\[0\] = (\S+);/g)?.length, 2, run.stdout);
  for (const m of run.stdout.matchAll(/chain\(x\)\[0\] = (\S+); sum of softmax = (\S+)/g)) {
    assert.ok(Math.abs(Number(m[1]) - expected) < 1e-4, m[0]);
    assert.equal(m[2], "256.00");
  }
  const r = run.report;
  assert.equal(r.ablations?.length, 1);
  const a = r.ablations![0]!;
  assert.equal(a.pass, "fuse");
  const by = new Map(a.functions.map((f) => [f.name, f]));
  assert.deepEqual([...by.keys()].sort(), ["chain", "softmax"]);
  const chain = by.get("chain")!;
  const softmax = by.get("softmax")!;
  assert.deepEqual([chain.dispatchesWith, chain.dispatchesWithout], [1, 8]);
  assert.deepEqual([softmax.dispatchesWith, softmax.dispatchesWithout], [1, 9]);
  // "with" is the report's own cost of a call; "without" was measured in the ablated run.
  for (const f of [chain, softmax]) {
    const fn = r.functions.find((g) => g.name === f.name)!;
    assert.equal(f.msWith, callCostOf(fn).ms);
    assert.ok(f.msWithout > 0 && Number.isFinite(f.msWithout), `${f.name}: ${f.msWithout}`);
  }
  // The summary prints one line per function, the HTML page carries the report.
  const line = run.stdout.split("\n").find((l) => l.startsWith("chain ") && l.includes("fuse:"))!;
  assert.ok(line.includes(ablationText("fuse", chain)), line);
  assert.match(ablationText("fuse", chain), /^fuse: −7 dispatches, [−+±]/);
  assert.match(run.stdout, /what each pass is worth \(--ablate/);
  assert.match(run.stdout, /softmax\s+fuse: −8 dispatches, .* per call\s+1 → 9\s/);
  assert.match(run.stderr, /run 1 of 1 with fuse turned off \(--ablate fuse\)/);
  const html = readFileSync(join(run.dir, "page.html"), "utf8");
  assert.ok(html.includes('"ablations":[{"pass":"fuse"'));

  // The panel's Compare tab shows the same lines.
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 420 } });
    await page.goto(pathToFileURL(writeStandalonePage(join(run.dir, "panel.html"), r)).href);
    await page.waitForSelector("#view-graph[data-state=rendered]", { timeout: 30_000 });
    await page.locator("#tab-compare").click();
    const cells = await page.locator('#ablations tr[data-function="chain"] td').allTextContents();
    assert.equal(cells[1], ablationText("fuse", chain));
    assert.equal(cells[2], "1 → 8");
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, "ablations.png") });
  } finally {
    await browser.close();
  }
});
