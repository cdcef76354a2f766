// The folder profile runs write their reports to: names a person can read, and pruning that keeps
// the newest reports and every one in use, and touches nothing else.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { ReportFolder } from "../../../extension/src/runner/reportFolder.js";

async function withFolder(body: (dir: string) => Promise<void>): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), "jitscope-report-folder-"));
  try {
    await body(root);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

test("a new report path is named after the time and the script, inside the folder it creates", async () => {
  await withFolder(async (root) => {
    const folder = new ReportFolder(join(root, "reports"));
    const at = new Date("2026-12-06T22:40:01.123Z");
    const p = await folder.newPath("/work/my model.v2.ts", at);
    assert.equal(p, join(root, "reports", "2026-12-06T22-40-01.123Z-my_model.v2.report.json"));
    assert.deepEqual(await readdir(join(root, "reports")), [], "the folder exists, the file is the CLI's to write");
  });
});

test("two reports asked for in the same millisecond get two different names", async () => {
  await withFolder(async (root) => {
    const folder = new ReportFolder(root);
    const at = new Date("2026-12-06T22:40:01.123Z");
    const a = await folder.newPath("/w/a.ts", at);
    const b = await folder.newPath("/w/a.ts", at);
    const c = await folder.newPath("/w/a.ts", new Date("2026-12-06T22:40:01.124Z"));
    assert.equal(basename(a), "2026-12-06T22-40-01.123Z-a.report.json");
    assert.equal(basename(b), "2026-12-06T22-40-01.123Z-1-a.report.json");
    assert.equal(basename(c), "2026-12-06T22-40-01.124Z-a.report.json");
  });
});

test("pruning keeps the newest reports and those in use, removes the other reports and nothing else", async () => {
  await withFolder(async (root) => {
    const folder = new ReportFolder(root, 3);
    const names = ["r0", "r1", "r2", "r3", "r4", "r5"].map((n) => `${n}.report.json`);
    for (const [i, n] of names.entries()) {
      await writeFile(join(root, n), "{}");
      const t = new Date(Date.UTC(2026, 0, 1 + i)); // r5 newest
      await utimes(join(root, n), t, t);
    }
    await writeFile(join(root, "notes.json"), "{}"); // not a report this folder named
    const outside = join(root, "..", "elsewhere.report.json");

    const removed = await folder.prune([join(root, "r1.report.json"), outside, null, undefined]);

    assert.deepEqual(removed.map((p) => basename(p)).sort(), ["r0.report.json", "r2.report.json"]);
    assert.deepEqual((await readdir(root)).sort(), [
      "notes.json",
      "r1.report.json",
      "r3.report.json",
      "r4.report.json",
      "r5.report.json",
    ]);
    assert.deepEqual(await folder.prune([]), [join(root, "r1.report.json")], "once out of use it goes too");
  });
});

test("pruning a folder that does not exist yet removes nothing", async () => {
  await withFolder(async (root) => {
    assert.deepEqual(await new ReportFolder(join(root, "never-made")).prune([]), []);
  });
});
