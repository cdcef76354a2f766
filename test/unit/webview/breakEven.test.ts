import { test } from "node:test";
import assert from "node:assert/strict";
import { findBreakEven } from "../../../webview/src/model/breakEven.js";
import { mlpReport } from "./fixtures.js";

test("break-even lies where compile + n·jit = n·eager when it falls on a sweep point", () => {
  // eager 2 ms/call; jit 10 ms compile + 1 ms/call: equal at n = 10 (20 ms).
  const pts = [1, 10, 100].map((calls) => ({ calls, eagerMs: 2 * calls, jitMs: 10 + calls }));
  const be = findBreakEven(pts)!;
  assert.ok(Math.abs(be.calls - 10) < 1e-9);
  assert.ok(Math.abs(be.ms - 20) < 1e-9);
});

test("between sweep points the crossing is found on the log-log segments the chart draws", () => {
  // Two points; eager 1→100, jit 10→10 (flat): in log space the gap closes halfway, at calls 10^0.5·…
  const pts = [{ calls: 1, eagerMs: 1, jitMs: 10 }, { calls: 100, eagerMs: 100, jitMs: 10 }];
  const be = findBreakEven(pts)!;
  // log eager = log calls, log jit = log 10 → equal at calls = 10, ms = 10.
  assert.ok(Math.abs(be.calls - 10) < 1e-9);
  assert.ok(Math.abs(be.ms - 10) < 1e-9);
});

test("no break-even when jit never catches up, and the first point when jit is never slower", () => {
  assert.equal(findBreakEven([{ calls: 1, eagerMs: 1, jitMs: 5 }, { calls: 10, eagerMs: 10, jitMs: 14 }]), null);
  assert.deepEqual(findBreakEven([{ calls: 2, eagerMs: 5, jitMs: 4 }, { calls: 1, eagerMs: 3, jitMs: 2.5 }]), { calls: 1, ms: 2.5 });
  assert.equal(findBreakEven([]), null);
});

test("the fixture's step breaks even near compile / (eager − jit) = 18.5 / 1.31 ≈ 14.1 calls", () => {
  const sweep = mlpReport().comparison!.sweeps[0]!;
  const be = findBreakEven(sweep.points)!;
  // Between 10 and 20 calls; log-log interpolation of straight lines lands close to the exact 14.12.
  assert.ok(be.calls > 13 && be.calls < 15.5, String(be.calls));
});
