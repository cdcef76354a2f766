// profileOnce: the suites that read a fixture program's default profile share one CLI run per
// test run (test/run.mjs names the folder), and without that folder each call runs the CLI.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixture, profileOnce } from "./runCli.js";

function withRuns<T>(dir: string | undefined, fn: () => T): T {
  const prev = process.env.JITSCOPE_TEST_RUNS;
  if (dir === undefined) delete process.env.JITSCOPE_TEST_RUNS;
  else process.env.JITSCOPE_TEST_RUNS = dir;
  try {
    return fn();
  } finally {
    if (prev === undefined) delete process.env.JITSCOPE_TEST_RUNS;
    else process.env.JITSCOPE_TEST_RUNS = prev;
  }
}

test("with JITSCOPE_TEST_RUNS, a second profileOnce of the same script returns the first run (its report, its folder) and leaves one result file", () => {
  const dir = mkdtempSync(join(tmpdir(), "jitscope-profile-once-"));
  const [first, second] = withRuns(dir, () => [
    profileOnce(fixture("tiny_loop.ts")),
    profileOnce(fixture("tiny_loop.ts")),
  ]);
  assert.equal(first!.code, 0, first!.stderr);
  assert.equal(second!.reportPath, first!.reportPath, "the same run");
  assert.deepEqual(second!.report, first!.report);
  assert.equal(second!.stdout, first!.stdout);
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith(".json")).length, 1, "one shared result file");
});

test("without JITSCOPE_TEST_RUNS, each profileOnce runs the CLI itself", () => {
  const [a, b] = withRuns(undefined, () => [
    profileOnce(fixture("tiny_loop.ts")),
    profileOnce(fixture("tiny_loop.ts")),
  ]);
  assert.equal(a!.code, 0, a!.stderr);
  assert.notEqual(a!.reportPath, b!.reportPath, "two runs");
});
