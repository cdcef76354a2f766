// The panel's Hints list on a real run: the dense-lookup script profiled with the CLI (its one
// hint) plus a host-sync hint at another line, dark and light in a 600×800 side panel. The tab
// counts them, rows run largest saving first with saving, kind, file:line, message and details,
// and clicking one on the standalone page says where it is. Screenshots go to
// test-artifacts/webview/hints-*.png.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { formatSaving, type Report } from "@jitscope/contract";
import { CHROMIUM, CHROMIUM_ARGS, writeStandalonePage } from "../../webview/standalonePage.js";
import { REPO, runCli } from "../cli/runCli.js";

const ARTIFACTS = join(process.cwd(), "test-artifacts", "webview");
const dir = mkdtempSync(join(tmpdir(), "jitscope-webview-hints-"));
const script = join(REPO, "test/fixtures/hints/dense_lookup.ts");
let browser: Browser;
let report: Report;
let page = "";
let empty = "";

before(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const run = runCli(script);
  assert.equal(run.code, 0, run.stderr);
  const lookup = run.report.hints![0]!;
  report = {
    ...run.report,
    hints: [
      lookup,
      {
        kind: "host-sync-in-loop",
        message: "a readback here ran 60 times, each waiting for the GPU: read once after the loop",
        location: { file: script, line: 13, column: 44 },
        estimatedSavingMs: lookup.estimatedSavingMs / 4,
        details: ["60 readbacks of 4 bytes each"],
      },
    ],
  };
  page = writeStandalonePage(join(dir, "hints.html"), report);
  empty = writeStandalonePage(join(dir, "empty.html"), { ...run.report, hints: [] });
});
after(async () => {
  await browser?.close();
});

for (const theme of [
  { tag: "dark", cls: "vscode-dark" },
  { tag: "light", cls: "vscode-light" },
]) {
  test(`Hints list, 600x800 ${theme.tag}: the tab counts 2; rows by saving with kind, file:line, message and details; a click says where`, async () => {
    const p = await browser.newPage({ viewport: { width: 600, height: 800 } });
    const errors: string[] = [];
    p.on("pageerror", (e) => errors.push(e.message));
    await p.goto(pathToFileURL(page).href);
    await p.evaluate((t) => {
      document.body.className = t;
    }, theme.cls);
    assert.equal(await p.locator("#tab-hints").textContent(), "Hints (2)");
    await p.locator("#tab-hints").click();
    const rows = p.locator("#view-hints .jit-hint");
    assert.equal(await rows.count(), 2);
    const first = report.hints![0]!;
    assert.equal(await rows.nth(0).getAttribute("data-kind"), "dense-lookup");
    assert.equal(await rows.nth(0).locator(".jit-hint-saving").textContent(), formatSaving(first));
    assert.equal(await rows.nth(0).locator(".jit-hint-kind").textContent(), "dense lookup");
    assert.equal(await rows.nth(0).locator(".jit-hint-where").textContent(), `dense_lookup.ts:${first.location!.line}`);
    assert.equal(await rows.nth(0).locator(".jit-hint-message").textContent(), first.message);
    assert.deepEqual(await rows.nth(0).locator(".jit-hint-details li").allTextContents(), first.details);
    assert.equal(await rows.nth(1).locator(".jit-hint-kind").textContent(), "host sync in loop");
    assert.match((await rows.nth(1).locator(".jit-hint-saving").textContent())!, / per run$/);
    mkdirSync(ARTIFACTS, { recursive: true });
    await p.mouse.move(1, 1);
    await p.screenshot({ path: join(ARTIFACTS, `hints-600x800-${theme.tag}.png`) });
    await rows.nth(0).click();
    assert.match(
      (await p.locator("#view-graph .jit-status").textContent()) ?? "",
      new RegExp(`dense lookup at dense_lookup\\.ts:${first.location!.line}: −`),
    );
    assert.deepEqual(errors, []);
    await p.close();
  });
}

test("a report without hints: the tab reads 'Hints' and the list says there are none", async () => {
  const p = await browser.newPage({ viewport: { width: 600, height: 400 } });
  await p.goto(pathToFileURL(empty).href);
  assert.equal(await p.locator("#tab-hints").textContent(), "Hints");
  await p.locator("#tab-hints").click();
  assert.match((await p.locator("#view-hints .jit-empty").textContent())!, /^No hints/);
  await p.close();
});
