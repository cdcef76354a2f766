// Eager ops capture their call site only when someone will read it (the recorder is on, or the op
// fails): with the recorder off, an op's error still names the user's line, found at the error.
import { test } from "node:test";
import assert from "node:assert/strict";
import { jit, JitScopeError, np } from "../../../runtime/src/index.js";
import { userFrameOfCapture } from "../../../runtime/src/ir/location.js";
import { recorder } from "../../../runtime/src/profile/recorder.js";

/** The line this is called from. */
function lineHere(): number {
  const holder = {};
  Error.captureStackTrace(holder, lineHere);
  return userFrameOfCapture(holder)!.line;
}

function errorOf(f: () => unknown): JitScopeError {
  try {
    f();
  } catch (e) {
    if (e instanceof JitScopeError) return e;
    throw e;
  }
  throw new Error("expected a JitScopeError");
}

const a = np.ones([2, 3]);
const b = np.ones([4, 5]);

test("with the recorder off, an eager op's shape error names the line of the failing call", () => {
  assert.equal(recorder.enabled, false);
  const [err, line] = [errorOf(() => np.matmul(a, b)), lineHere()];
  assert.ok(err.location, err.message);
  assert.ok(err.location.file.endsWith("eagerLocation.test.ts"), err.location.file);
  assert.equal(err.location.line, line);
  assert.match(err.message, /eagerLocation\.test\.ts:\d+:\d+/);
});

test("two failing eager calls on different lines name their own lines", () => {
  const first = errorOf(() => np.matmul(a, b));
  const second = errorOf(() => np.matmul(b, a));
  assert.equal(second.location!.line, first.location!.line + 1);
});

test("under jit (its stack captured at bind) the error names the traced op's line, the line above the call", () => {
  const f = jit((x: np.ArrayLike, y: np.ArrayLike) => np.matmul(x, y));
  const [err, line] = [errorOf(() => f(a, b)), lineHere()];
  assert.ok(err.location);
  assert.ok(err.location.file.endsWith("eagerLocation.test.ts"), err.location.file);
  assert.equal(err.location.line, line - 1);
});
