// The statistics behind a diff's verdicts, against hand-computed order statistics of
// Binomial(n, 1/2): a change is significant only when the two 95% intervals do not overlap.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  estimateOf,
  measuredDelta,
  medianIntervalRank,
  sumOf,
  verdictOf,
  withinTick,
} from "../../../runtime/src/profile/diffStats.js";

test("the 95% interval of the median spans ranks 1..n for n ≤ 8, 2..9 for n = 10, 6..15 for n = 20", () => {
  // P(B ≤ 0) = 1/64 ≤ 2.5% < P(B ≤ 1) = 7/64 for n = 6; n = 10: P(B ≤ 1) = 11/1024, P(B ≤ 2) = 56/1024;
  // n = 20: P(B ≤ 5) = 0.0207, P(B ≤ 6) = 0.0577.
  assert.deepEqual([1, 2, 5, 6, 8].map(medianIntervalRank), [1, 1, 1, 1, 1]);
  assert.equal(medianIntervalRank(9), 2); // P(B ≤ 1) = 10/512 = 0.0195
  assert.equal(medianIntervalRank(10), 2);
  assert.equal(medianIntervalRank(20), 6);
  // The normal approximation above 200 samples: 500/2 − 1.96·√500/2 = 228.09.
  assert.equal(medianIntervalRank(500), 228);
});

test("estimateOf gives the median and the order statistics at the interval ranks", () => {
  const e = estimateOf([10, 1, 9, 2, 8, 3, 7, 4, 6, 5]);
  assert.deepEqual(e, { median: 5.5, low: 2, high: 9, samples: 10 });
  assert.equal(estimateOf([]), null);
});

test("overlapping intervals read no significant change; disjoint ones slower or faster; under 3 samples too few", () => {
  const a = estimateOf([1.0, 1.1, 0.9, 1.05, 0.95, 1.2, 0.8, 1.0, 1.02, 0.98]);
  const b = estimateOf([1.1, 1.2, 1.0, 1.15, 1.05, 1.3, 0.9, 1.1, 1.12, 1.08]); // +10%, overlapping
  const c = estimateOf([2.0, 2.1, 1.9, 2.05, 1.95, 2.2, 1.8, 2.0, 2.02, 1.98]);
  assert.equal(verdictOf(a, b), "no significant change");
  assert.equal(verdictOf(a, c), "slower");
  assert.equal(verdictOf(c, a), "faster");
  assert.equal(verdictOf(estimateOf([1, 1]), estimateOf([5, 5, 5])), "too few samples");
  const d = measuredDelta(a, c);
  assert.equal(d.delta, 2.0 - 1.0);
  assert.equal(d.relative, 1);
});

test("a sum of medians adds medians and interval ends and keeps the fewest samples", () => {
  const s = sumOf([{ median: 1, low: 0.5, high: 2, samples: 10 }, null, { median: 3, low: 2, high: 4, samples: 4 }]);
  assert.deepEqual(s, { median: 4, low: 2.5, high: 6, samples: 4 });
  assert.equal(sumOf([null]), null);
});

test("with a 65,536 ns timestamp tick, a one-tick change is not significant and a two-tick change is", () => {
  const tick = 65_536;
  const at = (ticks: number) => withinTick(estimateOf(Array.from({ length: 10 }, () => ticks * tick)), tick);
  assert.deepEqual(at(1), { median: tick, low: tick / 2, high: 1.5 * tick, samples: 10 });
  assert.equal(verdictOf(at(1), at(2)), "no significant change");
  assert.equal(verdictOf(at(1), at(3)), "slower");
  assert.equal(withinTick(estimateOf([5]), undefined)!.low, 5, "no tick known: the interval is left as it is");
});
