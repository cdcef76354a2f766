// Crash detection says "crash" only when the child crashed: a signal or a native abort while the
// script was running. Constructed outcomes of the child, one per way a run ends.

import { test } from "node:test";
import assert from "node:assert/strict";
import { outcomeError } from "../../../runtime/src/cli/profileCommand.js";
import type { ChildOutcome } from "../../../runtime/src/cli/runScript.js";

const outcome = (over: Partial<ChildOutcome>): ChildOutcome => ({
  how: "exited",
  code: 0,
  signal: null,
  wallMs: 10,
  console: [],
  consoleDropped: 0,
  stderrTail: [],
  ...over,
});
const BUNDLE = "/tmp/none/script.jitscope-bundle.mjs";

test("a script that threw and then died by SIGSEGV in its exit's native teardown ends with its error, not a crash", () => {
  const r = outcomeError(
    outcome({ how: "signal", code: null, signal: "SIGSEGV", stderrTail: ["RangeError: expected a positive number"] }),
    300,
    "",
    true,
    BUNDLE,
  );
  assert.deepEqual(r, { status: "error", error: null });
});

test("a throw (exit code 1 with its error recorded) is an error, not a crash", () => {
  assert.deepEqual(outcomeError(outcome({ code: 1 }), 300, "", true, BUNDLE), { status: "error", error: null });
});

test("an error recorded and then exit code 139 is still the script's error", () => {
  assert.deepEqual(outcomeError(outcome({ code: 139 }), 300, "", true, BUNDLE), { status: "error", error: null });
});

test("a timeout is a timeout, even though the child was killed by a signal", () => {
  const r = outcomeError(outcome({ how: "timeout", code: null, signal: "SIGKILL" }), 2, "", false, BUNDLE);
  assert.equal(r.status, "timeout");
  assert.equal(r.error!.kind, "timeout");
});

test("a signal with no error recorded is a crash, named by its signal", () => {
  const r = outcomeError(outcome({ how: "signal", code: null, signal: "SIGSEGV" }), 300, "", false, BUNDLE);
  assert.equal(r.status, "crashed");
  assert.equal(r.error!.kind, "crash");
  assert.match(r.error!.message, /segmentation fault in native code/);
});

test("a non-zero exit with no error recorded and no native abort is a runtime error, not a crash", () => {
  const r = outcomeError(outcome({ code: 2, stderrTail: ["bye"] }), 300, "", false, BUNDLE);
  assert.equal(r.status, "error");
  assert.equal(r.error!.kind, "runtime");
});
