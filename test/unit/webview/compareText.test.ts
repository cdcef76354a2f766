import { test } from "node:test";
import assert from "node:assert/strict";
import { reportedBreakEven } from "../../../webview/src/model/breakEven.js";
import { cardSubtitle } from "../../../webview/src/model/compareText.js";
import type { ComparedFunction, SweepResult } from "@jitscope/contract";

const fn: ComparedFunction = {
  name: "f",
  location: null,
  eager: { msPerCall: 2, dispatchesPerCall: 9 },
  jit: { msPerCall: 0.5, dispatchesPerCall: 1 },
  compileMs: 30,
  breakEvenCalls: 21,
  speedup: 4,
};

test("with a sweep, the card states the report's break-even (the one the CLI and hover show), not its own reading of the lines", () => {
  const sweep: SweepResult = {
    name: "f",
    location: null,
    compileMs: 30,
    breakEvenCalls: 19,
    points: [
      { calls: 10, eagerMs: 20, jitMs: 40 },
      { calls: 100, eagerMs: 200, jitMs: 80 },
    ],
  };
  assert.equal(cardSubtitle(fn, sweep), "compile 30.0 ms · 4.0× faster per call · break-even after 21 calls");
  assert.equal(cardSubtitle(null, sweep), "compile 30.0 ms · break-even after 19 calls");
  assert.equal(
    cardSubtitle(fn, { ...sweep, modeled: true }),
    "compile 30.0 ms · 4.0× faster per call · break-even after 21 calls · sweep projected",
  );
});

test("where both modes' costs are first runs, the card's speedup says 'per first run' instead of 'per call'", () => {
  const first: ComparedFunction = {
    ...fn,
    eager: { ...fn.eager, firstRun: true },
    jit: { ...fn.jit, firstRun: true },
  };
  assert.equal(cardSubtitle(first, null), "compile 30.0 ms · 4.0× faster per first run · break-even after 21 calls");
  // One mode with steady calls: its cost is a call's, and so is the comparison's wording.
  assert.equal(
    cardSubtitle({ ...first, eager: fn.eager }, null),
    "compile 30.0 ms · 4.0× faster per call · break-even after 21 calls",
  );
});

test("the chart's marker sits at the report's break-even on the drawn eager line", () => {
  const points = [
    { calls: 10, eagerMs: 20, jitMs: 40 },
    { calls: 100, eagerMs: 200, jitMs: 80 },
  ];
  const be = reportedBreakEven(points, 21)!;
  assert.equal(be.calls, 21);
  assert.ok(Math.abs(be.ms - 42) < 1e-9, String(be.ms)); // eager is 2 ms × N on this line
  assert.equal(reportedBreakEven(points, 5000), null, "outside the sweep");
  assert.equal(reportedBreakEven(points, null), null);
});

test("with three runs each the card says so, and a difference within the noise is no significant difference", () => {
  const noisy: ComparedFunction = {
    ...fn,
    speedup: 1.1,
    speedupRange: [0.9, 1.3],
    significant: false,
    jit: { ...fn.jit, runs: [0.5, 0.45, 0.6] },
  };
  assert.equal(
    cardSubtitle(noisy, null),
    "compile 30.0 ms · no significant difference (0.9–1.3×) · 3 runs of each mode · break-even after 21 calls",
  );
});

test("without a sweep it uses the report's estimate, and a slower jit says 'slower'", () => {
  assert.match(cardSubtitle(fn, null), /break-even after 21 calls$/);
  const slow = { ...fn, speedup: 0.5, breakEvenCalls: null };
  assert.match(cardSubtitle(slow, null), /2\.0× slower per call · never breaks even$/);
});

test("one call reads 'break-even after 1 call'", () => {
  assert.equal(
    cardSubtitle({ ...fn, breakEvenCalls: 1 }, null),
    "compile 30.0 ms · 4.0× faster per call · break-even after 1 call",
  );
});
