// The standalone page opened from a file in headless Chromium (Debian's /usr/bin/chromium, which
// CI installs for the end-to-end rig): the panel boots from the embedded report with no errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { REPO, runCli } from "./runCli.js";

const CHROMIUM = process.env.JITSCOPE_CHROMIUM ?? "/usr/bin/chromium";

test("--html writes one self-contained page that shows the panel from a file, without errors", async () => {
  assert.ok(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM} (set JITSCOPE_CHROMIUM)`);
  const r = runCli(join(REPO, "examples/softmax.ts"), ["--html", "{dir}/softmax.html"]);
  assert.equal(r.code, 0, r.stderr);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    page.on("request", (q) => requests.push(q.url()));
    await page.goto(pathToFileURL(join(r.dir, "softmax.html")).href);
    await page.waitForFunction(() => (document.getElementById("app")?.innerText ?? "").includes("softmax"), undefined, {
      timeout: 20_000,
    });
    const text = await page.evaluate(() => document.getElementById("app")!.innerText);
    assert.match(text, /examples\/softmax\.ts/);
    assert.deepEqual(errors, []);
    assert.deepEqual(
      requests.filter((u) => !/^(file|data|blob):/.test(u)),
      [],
      "no remote resources",
    );
  } finally {
    await browser.close();
  }
});
