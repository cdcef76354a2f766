// test/run.mjs, the runner behind `npm test`: a test file whose process dies by a signal runs once
// more alone, and the run passes only if that second run does; an assertion failure is never rerun.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const fixture = (name: string) => `test/fixtures/runner/${name}.test.mjs`;

function runner(...names: string[]): { status: number | null; out: string } {
  const mark = join(mkdtempSync(join(tmpdir(), "runner-mark-")), "crashed");
  // NODE_TEST_CONTEXT, set for this file by the outer `node --test`, would make the inner one
  // report to it instead of running as `npm test` does.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const r = spawnSync(process.execPath, ["test/run.mjs", ...names.map(fixture)], {
    encoding: "utf8",
    env: { ...env, JITSCOPE_RUNNER_MARK: mark },
    timeout: 120_000,
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

test("a file that aborts once and passes alone: the run exits 0, names the crash and keeps what the process printed", () => {
  const { status, out } = runner("passes", "abortsOnce");
  assert.equal(status, 0, out);
  assert.match(out, /running each once more, alone: test\/fixtures\/runner\/abortsOnce\.test\.mjs\n/);
  assert.match(out, /# CRASHED ONCE, passed when run again: test\/fixtures\/runner\/abortsOnce\.test\.mjs \(SIGABRT\)/);
  const summary = out.slice(out.indexOf("failing test (repeated from above)"));
  assert.match(
    summary,
    /what this file's process printed before it died[^\n]*\n(# .*\n)*# runner fixture: aborting on purpose\n/,
  );
});

test("a file that aborts every time: the run exits 1 after running it once more", () => {
  const { status, out } = runner("alwaysAborts");
  assert.equal(status, 1, out);
  assert.match(out, /running each once more, alone: test\/fixtures\/runner\/alwaysAborts\.test\.mjs/);
  assert.match(out, /# the crash came back: the run fails/);
});

test("a crash beside a failing assertion: the run exits 1 and reruns nothing", () => {
  const { status, out } = runner("abortsOnce", "fails");
  assert.equal(status, 1, out);
  assert.doesNotMatch(out, /once more, alone/);
  assert.match(out, /# 2 failing tests \(repeated from above\)/);
});

test("a run where everything passes exits 0 and reruns nothing", () => {
  const { status, out } = runner("passes");
  assert.equal(status, 0, out);
  assert.doesNotMatch(out, /once more, alone|failing test/);
});
