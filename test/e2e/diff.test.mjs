// Issue 18 in a real VS Code (code-server 1.100 + headless Chromium, the packaged .vsix): profile
// a script, edit one line so fusion splits its kernel, profile again; the CodeLens over `jit(`
// says what changed against the previous run and the panel's Diff view shows the split.
// Screenshots go to test-artifacts/e2e/ (names starting "18-").
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { launchVsCode, makeWorkspace, packageVsix, SHOTS } from "./driver.mjs";
import {
  clearNotifications,
  clearShots,
  codeLensTitles,
  goToLine,
  LONG,
  profileAndWaitToast,
  reportsFor,
  waitToast,
} from "./workbench.mjs";

let vs;
let ws;

const OK_TOAST = /JIT Scope: \d+ kernels? · /;
// Line 6 of test/fixtures/diff/base.ts, and the edit: the computed values flattened, reversed
// and reshaped back. Fusion writes a computed value out before a reshape that does not cancel and
// before data movement, so the one fused kernel splits in three. (A reshape there and back
// alone no longer splits it: simplify cancels the pair, passes/sinkReshape.ts.)
const LINE = 6;
const EDITED = "  const bent = np.reshape(np.flip(np.tanh(np.add(np.reshape(scaled, [4096]), 0.5)), 0), [64, 64]);";

describe("JIT Scope in VS Code: compare with the previous run", { timeout: 15 * 60_000 }, () => {
  before(async () => {
    clearShots(SHOTS, ["18-"]);
    const vsix = packageVsix();
    ws = makeWorkspace({ "chain.ts": "repo:test/fixtures/diff/base.ts" });
    // The CPU backend: the kernels and their provenance are WebGPU's, the runs shorter.
    vs = await launchVsCode({ extensions: [vsix], workspace: ws, settings: { "jitscope.backend": "cpu" } });
  });

  after(async () => {
    await vs?.close();
  });

  test("profile, edit line 6, profile again: the CodeLens says '+2 dispatches/call … 1 kernel split' and the Diff view shows the split", async () => {
    try {
      const script = path.join(ws, "chain.ts");
      await vs.openFile("chain.ts");
      await vs.runCommand("JIT Scope: Profile Current File");
      await waitToast(vs, OK_TOAST, LONG);
      const first = await codeLensTitles(vs, /dispatch(?:es)?\/call · /);
      assert.ok(
        first.some((t) => t.startsWith("1 dispatch/call · ") && !t.includes("vs previous")),
        `first run's CodeLens: ${first}`,
      );
      await vs.screenshot("18-first-run");

      // Edit line 6 as a person would: select it and type the new text (the editor keeps the
      // focus, which the palette's "Profile Current File" needs).
      await clearNotifications(vs);
      await goToLine(vs, LINE);
      await vs.page.keyboard.press("Home");
      await vs.page.keyboard.press("Shift+End");
      await vs.page.keyboard.insertText(EDITED.trimStart());
      const toast = await profileAndWaitToast(
        vs,
        "JIT Scope: Profile Current File",
        /vs previous run: /,
        "18-second-run",
      );
      assert.match(toast, /chain: .*\+2 dispatches\/call.*1 kernel split/);
      const [{ report }] = reportsFor(vs, script).slice(-1);
      assert.equal(report.functions[0].kernelsPerCall, 3, "the edit split the chain into 3 kernels");

      const lenses = await codeLensTitles(vs, /vs previous run/);
      await vs.screenshot("18-codelens-after-edit");
      const lens = lenses.find((t) => t.includes("vs previous run"));
      assert.ok(lens, `a CodeLens comparing with the previous run: ${lenses}`);
      assert.match(
        lens,
        // The cost's change, when significant, reads in ms or µs ("+662 µs/call (+137%), ").
        /^3 dispatches\/call · .* · vs previous run: ([+−-][\d.]+ [µm]s\/call \([+−-][\d.]+%\), )?\+2 dispatches\/call, peak \+[\d.]+ KiB, 1 kernel split$/,
      );

      await vs.runCommand("JIT Scope: Show Graph Panel");
      const frame = await vs.webviewFrame("#tab-diff", { timeoutMs: 90_000 });
      await frame.locator("#tab-diff").click();
      await frame.locator('#view-diff table[data-kind="kernels"] tr.change-split').waitFor({ timeout: 30_000 });
      const row = await frame.locator('#view-diff table[data-kind="kernels"] tr.change-split').innerText();
      assert.match(row, /split\s+chain\s+fused_mul_add_tanh\s+/);
      assert.equal(
        await frame.locator(".jit-diff-kernel.change-split.side-new").count(),
        3,
        "three new kernels drawn for the split",
      );
      await vs.screenshot("18-diff-view");
    } catch (e) {
      await vs?.screenshot("18-failure").catch(() => {});
      console.error(`--- extension host log (tail) ---\n${(vs?.server.extHostLog() ?? "").slice(-3000)}`);
      throw e;
    }
  });
});
