import { test } from "node:test";
import assert from "node:assert/strict";
import { cardSubtitle } from "../../../webview/src/model/compareText.js";
import type { ComparedFunction, SweepResult } from "@jitscope/contract";

const fn: ComparedFunction = {
  name: "f", location: null, eager: { msPerCall: 2, dispatchesPerCall: 9 }, jit: { msPerCall: 0.5, dispatchesPerCall: 1 },
  compileMs: 30, breakEvenCalls: 21, speedup: 4,
};

test("with a sweep, the card states the same break-even as the chart's marker (where the lines cross)", () => {
  // Lines cross between 10 and 100 calls: gap in log space is log(40/20) at 10 and log(80/200) at 100.
  const sweep: SweepResult = { name: "f", location: null, compileMs: 30, breakEvenCalls: 21,
    points: [{ calls: 10, eagerMs: 20, jitMs: 40 }, { calls: 100, eagerMs: 200, jitMs: 80 }] };
  const t = Math.log(2) / (Math.log(2) - Math.log(0.4));
  const calls = Math.round(Math.exp(Math.log(10) + t * Math.log(10)));
  assert.equal(cardSubtitle(fn, sweep).split(" · ")[2], `break-even ≈ ${calls} calls`);
  assert.match(cardSubtitle(fn, sweep), /^compile .* · 4\.0× faster per call · /);
});

test("without a sweep it uses the report's estimate, and a slower jit says 'slower'", () => {
  assert.match(cardSubtitle(fn, null), /break-even after 21 calls$/);
  const slow = { ...fn, speedup: 0.5, breakEvenCalls: null };
  assert.match(cardSubtitle(slow, null), /2\.0× slower per call · never breaks even$/);
  const sweep: SweepResult = { name: "f", location: null, compileMs: 30, breakEvenCalls: null,
    points: [{ calls: 10, eagerMs: 20, jitMs: 40 }, { calls: 100, eagerMs: 200, jitMs: 300 }] };
  assert.match(cardSubtitle(slow, sweep), /no break-even in this sweep$/);
});
