// The walkthrough "Get started with JIT Scope", step by step, in a real VS Code (code-server 1.100
// + headless Chromium) with this platform's .vsix from `npm run package:all` installed, starting
// from an empty folder: open an example, profile it (hovering a line while it runs, and the same
// word again after), open the graph, compare eager and jit. Screenshots: test-artifacts/e2e/w-*.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { launchVsCode, makeWorkspace, packageVsix, SHOTS } from "./driver.mjs";
import { clearNotifications, clearShots, LONG, reportsFor, waitToast } from "./workbench.mjs";

let vs;
let ws;

async function scenario(name, body) {
  try {
    await body();
  } catch (e) {
    await vs?.screenshot(`${name}-failure`).catch(() => {});
    console.error(`--- ${name}: extension host log (tail) ---\n${(vs?.server.extHostLog() ?? "").slice(-3000)}`);
    throw e;
  }
}

const OK_TOAST = /JIT Scope: \d+ kernels? · /;
const STEPS = ["Open an example", "Profile it", "Hover a line", "Open the graph", "Compare eager and jit"];

describe("the walkthrough in VS Code, from an empty folder", { timeout: 15 * 60_000 }, () => {
  before(async () => {
    clearShots(SHOTS, ["w-"]);
    const vsix = packageVsix();
    assert.match(path.basename(vsix), new RegExp(`^jitscope-${process.platform}-${process.arch}\\.vsix$`));
    // The workbench needs one row in the Explorer; nothing else is in the folder.
    ws = makeWorkspace({ "notes.md": "# my project\n" });
    vs = await launchVsCode({ extensions: [vsix], workspace: ws });
  });

  after(async () => {
    await vs?.close();
  });

  test("the walkthrough lists its five steps", async () => {
    await scenario("w-walkthrough", async () => {
      await vs.runCommand("Welcome: Open Walkthrough...");
      const box = vs.page.locator(".quick-input-widget .quick-input-box input");
      await box.waitFor({ state: "visible" });
      await box.fill("Get started with JIT Scope");
      await vs.page
        .locator(".quick-input-list .monaco-list-row", { hasText: "Get started with JIT Scope" })
        .first()
        .waitFor();
      await vs.page.keyboard.press("Enter");
      const steps = vs.page.locator(".gettingStartedContainer .getting-started-step .step-title");
      await steps.first().waitFor({ timeout: 30_000 });
      const titles = (await steps.allInnerTexts()).map((t) => t.trim());
      await vs.screenshot("w-walkthrough");
      assert.deepEqual(titles, STEPS);
      await vs.runCommand("View: Close All Editors");
    });
  });

  test("Open Example copies mlp_train.ts into the folder and opens it", async () => {
    await scenario("w-open-example", async () => {
      await vs.runCommand("JIT Scope: Open Example");
      const box = vs.page.locator(".quick-input-widget .quick-input-box input");
      await box.waitFor({ state: "visible" });
      await box.fill("mlp_train");
      await vs.page.locator(".quick-input-list .monaco-list-row", { hasText: "mlp_train.ts" }).first().waitFor();
      await vs.page.keyboard.press("Enter");
      await vs.page
        .locator(".editor-group-container.active .tab.active", { hasText: "mlp_train.ts" })
        .first()
        .waitFor({ timeout: 30_000 });
      await vs.page.locator(".editor-group-container.active .monaco-editor .view-lines .view-line").first().waitFor();
      await vs.screenshot("w-example-opened");
      assert.deepEqual(fs.readdirSync(path.join(ws, "examples")), ["mlp_train.ts"]);
    });
  });

  test("a word hovered while the run goes shows JIT Scope's hover when hovered again after it", async () => {
    await scenario("w-profile-hover", async () => {
      await clearNotifications(vs);
      await vs.runCommand("JIT Scope: Profile Current File");
      await waitToast(vs, /JIT Scope: profiling mlp_train\.ts/, 60_000);
      // During the run: nothing of ours yet (TypeScript may answer, or the hover stays loading).
      await vs.hoverWord("matmul", { timeoutMs: 8_000 }).catch(() => "");
      await vs.screenshot("w-hover-during-run");
      await waitToast(vs, OK_TOAST, LONG);
      const script = path.join(ws, "examples", "mlp_train.ts");
      const [{ report }] = reportsFor(vs, script).slice(-1);
      assert.equal(report.status, "completed");
      // The same word again, after the run: JIT Scope's hover, within a minute (it used to take
      // minutes, or never came back until another word was hovered).
      const hover = await vs.hoverWord("matmul", { expect: /fused with line/, timeoutMs: 60_000 });
      await vs.screenshot("w-hover-after-run");
      assert.match(hover, /GPU on this line|CPU on this line/);
    });
  });

  test("the graph panel opens with kernels drawn, and Compare shows both modes", async () => {
    await scenario("w-graph-compare", async () => {
      await vs.runCommand("JIT Scope: Show Graph Panel");
      const frame = await vs.webviewFrame("#view-graph[data-state=rendered] .jit-node", { timeoutMs: 90_000 });
      assert.ok((await frame.locator(".jit-cluster").count()) >= 1, "kernel clusters drawn");
      await vs.screenshot("w-graph");
      await clearNotifications(vs);
      await vs.page.keyboard.press("Escape");
      await vs.page.locator(".editor-group-container .tab", { hasText: "mlp_train.ts" }).first().click();
      await vs.runCommand("JIT Scope: Compare Eager vs JIT");
      await waitToast(vs, OK_TOAST, LONG);
      const [{ report }] = reportsFor(vs, path.join(ws, "examples", "mlp_train.ts")).slice(-1);
      assert.ok(report.comparison, "the report has a comparison");
      const cards = await vs.webviewFrame(".jit-card[data-function]", { timeoutMs: 60_000 });
      assert.ok(
        (await cards.locator(".jit-card[data-function]").count()) >= 1,
        "a comparison card per jitted function",
      );
      await vs.screenshot("w-compare");
    });
  });
});
