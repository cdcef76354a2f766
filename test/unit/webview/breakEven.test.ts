import { test } from "node:test";
import assert from "node:assert/strict";
import { reportedBreakEven } from "../../../webview/src/model/breakEven.js";
import { mlpReport } from "./fixtures.js";

test("the marker sits on a sweep point when the report's break-even is one", () => {
  // eager 2 ms/call; jit 10 ms compile + 1 ms/call: the report says 11 (10 ties).
  const pts = [1, 11, 100].map((calls) => ({ calls, eagerMs: 2 * calls, jitMs: 10 + calls }));
  assert.deepEqual(reportedBreakEven(pts, 11), { calls: 11, ms: 22 });
});

test("between sweep points the marker is on the eager segment as drawn (log-log)", () => {
  const pts = [
    { calls: 1, eagerMs: 1, jitMs: 10 },
    { calls: 100, eagerMs: 100, jitMs: 10 },
  ];
  const be = reportedBreakEven(pts, 10)!;
  assert.ok(Math.abs(be.ms - 10) < 1e-9, String(be.ms));
});

test("no marker without a break-even or outside the sweep", () => {
  const pts = [
    { calls: 10, eagerMs: 10, jitMs: 14 },
    { calls: 100, eagerMs: 100, jitMs: 50 },
  ];
  assert.equal(reportedBreakEven(pts, null), null);
  assert.equal(reportedBreakEven(pts, 5), null);
  assert.equal(reportedBreakEven(pts, 1000), null);
  assert.equal(reportedBreakEven([], 3), null);
});

test("the fixture's step: the marker at the report's 15 calls, on its eager line", () => {
  const r = mlpReport();
  const fn = r.comparison!.functions.find((f) => f.name === "step")!;
  const sweep = r.comparison!.sweeps.find((s) => s.name === "step")!;
  const be = reportedBreakEven(sweep.points, fn.breakEvenCalls)!;
  assert.equal(be.calls, 15);
  assert.ok(Math.abs(be.ms - 15 * 1.72) / (15 * 1.72) < 0.02, `${be.ms} ms ≈ 15 × 1.72 ms`);
});
