// Issue 13: the editor and the graph in step, in one real VS Code (code-server + headless
// Chromium) with the packaged .vsix: moving the cursor to a source line highlights that line's
// ops in the graph panel; clicking a node reveals its line in the editor group already showing
// the file, with no new editor group. Screenshots go to test-artifacts/e2e/13-*.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { launchVsCode, makeWorkspace, packageVsix, SHOTS } from "./driver.mjs";
import { clearShots, cursorLine, goToLine, LONG, reportsFor, until, waitCursorLine, waitToast } from "./workbench.mjs";

let vs;
let ws;

describe("JIT Scope in VS Code: editor and graph in step", { timeout: 15 * 60_000 }, () => {
  before(async () => {
    clearShots(SHOTS, ["13-"]);
    const vsix = packageVsix();
    ws = makeWorkspace({ "mlp_train.ts": "repo:examples/mlp_train.ts" });
    vs = await launchVsCode({ extensions: [vsix], workspace: ws });
  });

  after(async () => {
    await vs?.close();
  });

  test("the cursor's line highlights its ops; a node click reveals its line in the same editor group", async () => {
    try {
      await vs.openFile("mlp_train.ts");
      await vs.runCommand("JIT Scope: Profile Current File");
      await waitToast(vs, /JIT Scope: \d+ kernels? · /, LONG);
      const script = path.join(ws, "mlp_train.ts");
      const [{ report }] = reportsFor(vs, script).slice(-1);
      const c = report.compilations[0];
      const fuse = c.passes.find((p) => p.name === "fuse");
      // Lines with ops in the fuse pass, each with how many.
      const opsOn = new Map();
      for (const n of fuse.graph.nodes)
        if (n.kind === "op" && n.location?.file === script)
          opsOn.set(n.location.line, (opsOn.get(n.location.line) ?? 0) + 1);
      const [lineA, lineB] = [...opsOn.keys()].sort((a, b) => a - b);
      assert.ok(lineA && lineB, `two lines with ops: ${[...opsOn.keys()]}`);

      await vs.runCommand("JIT Scope: Show Graph Panel");
      const frame = await vs.webviewFrame("#view-graph[data-state=rendered] .jit-node", { timeoutMs: 90_000 });
      const groups = () => vs.page.locator(".part.editor .editor-group-container").count();
      const groupsBefore = await groups();

      // Cursor to a line: exactly its ops are marked in the panel.
      await goToLine(vs, lineA);
      await until(
        async () => (await frame.locator(".jit-node.revealed").count()) === opsOn.get(lineA),
        `line ${lineA}'s ${opsOn.get(lineA)} ops to be marked`,
        30_000,
      );
      await vs.screenshot("13-cursor-line-a");
      await goToLine(vs, lineB);
      await until(
        async () => (await frame.locator(".jit-node.revealed").count()) === opsOn.get(lineB),
        `line ${lineB}'s ${opsOn.get(lineB)} ops to be marked`,
        30_000,
      );
      await vs.screenshot("13-cursor-line-b");

      // Click a node of line A (after moving the cursor off it): the cursor goes there, in the
      // group that shows the file. The whole graph is fitted first so every node can be clicked.
      await goToLine(vs, 1);
      await until(
        async () => (await frame.locator(".jit-node.revealed").count()) === 0,
        "no ops marked on a comment line",
        30_000,
      );
      await frame.locator("#fit-view").click();
      const nodeA = fuse.graph.nodes.find((n) => n.kind === "op" && n.location?.line === lineA);
      await frame.locator(`.jit-node[data-node="${nodeA.id}"]`).click({ force: true });
      await waitCursorLine(vs, lineA);
      assert.equal(await cursorLine(vs), lineA);
      assert.equal(await groups(), groupsBefore, "no new editor group");
      // Again, from another line: still the same groups. First let the panel take the cursor's
      // move to line A (it marks, and may scroll to, that line's ops), then fit everything.
      await until(
        async () => (await frame.locator(".jit-node.revealed").count()) === opsOn.get(lineA),
        `line ${lineA}'s ops marked after the click`,
        30_000,
      );
      await vs.page.waitForTimeout(500);
      await frame.locator("#fit-view").click();
      const nodeB = fuse.graph.nodes.find((n) => n.kind === "op" && n.location?.line === lineB);
      await frame.locator(`.jit-node[data-node="${nodeB.id}"]`).click({ force: true });
      await waitCursorLine(vs, lineB);
      assert.equal(await groups(), groupsBefore, "no new editor group on a second click");
      await vs.screenshot("13-node-click-same-group");
      assert.ok(fs.existsSync(script));
    } catch (e) {
      await vs?.screenshot("13-failure").catch(() => {});
      console.error(`--- extension host log (tail) ---\n${(vs?.server.extHostLog() ?? "").slice(-3000)}`);
      throw e;
    }
  });
});
