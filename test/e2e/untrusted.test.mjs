// Issue 8, scenario 5: with Workspace Trust on and the folder not trusted (Restricted Mode),
// "Profile Current File" runs nothing and says why.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { launchVsCode, makeWorkspace, packageVsix, processLines, SHOTS } from "./driver.mjs";
import { clearShots, reportsFor, waitToast } from "./workbench.mjs";

let vs;
let ws;

describe("JIT Scope in VS Code (untrusted workspace)", { timeout: 5 * 60_000 }, () => {
  before(async () => {
    clearShots(SHOTS, ["5-"]);
    ws = makeWorkspace({ "mlp_train.ts": "repo:examples/mlp_train.ts" });
    vs = await launchVsCode({ extensions: [packageVsix()], workspace: ws, trust: "untrusted" });
  });

  after(async () => {
    await vs?.close();
  });

  test("5. in Restricted Mode the profile command runs nothing and says it needs trust", async () => {
    try {
      const script = path.join(ws, "mlp_train.ts");
      // VS Code itself shows that this window is in Restricted Mode.
      await vs.page.locator(".part.statusbar", { hasText: "Restricted Mode" }).waitFor({ timeout: 60_000 });
      await vs.openFile("mlp_train.ts");
      await vs.runCommand("JIT Scope: Profile Current File");
      const why = await waitToast(vs, /trusted workspace/, 60_000);
      await vs.screenshot("5-untrusted");
      assert.match(why, /runs your script/);
      assert.match(why, /Trust this workspace/);
      // Nothing ran: no profiler process on the script, and no report for it was written.
      assert.deepEqual(
        processLines().filter((l) => l.includes(script)),
        [],
      );
      assert.deepEqual(reportsFor(vs, script), []);
      // No progress notification was shown either.
      assert.equal(
        await vs.page
          .locator(".notifications-toasts .notification-list-item", { hasText: /profiling mlp_train/ })
          .count(),
        0,
      );
    } catch (e) {
      await vs?.screenshot("5-failure").catch(() => {});
      console.error(vs?.server.extHostLog().slice(-3000));
      throw e;
    }
  });
});
