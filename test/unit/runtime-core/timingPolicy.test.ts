import { test } from "node:test";
import assert from "node:assert/strict";
import {
  BATCH,
  isCheckpoint,
  TimingPolicy,
  timestampCostNs,
  timingModeFromEnv,
} from "../../../runtime/src/backend/timingPolicy.js";

/** Runs `n` dispatches of one kernel, each timestamp landing at once with `ns`; returns which were timed. */
function run(policy: TimingPolicy, n: number, ns: number, kernel = "k"): boolean[] {
  const timed: boolean[] = [];
  for (let i = 0; i < n; i++) {
    const t = policy.shouldTime(kernel);
    timed.push(t);
    if (t) policy.observe(kernel, ns);
  }
  return timed;
}
const count = (xs: boolean[]) => xs.filter((x) => x).length;

test("every: each dispatch is timed, however short", () => {
  const p = new TimingPolicy({ mode: "every", costNs: 50_000 });
  assert.equal(count(run(p, 500, 0)), 500);
  assert.equal(p.untimed, 0);
});

test("sampled: a 65 µs kernel is timed on its first 8 dispatches, then exactly 1 in 16 and on its 16th, 32nd, 64th and 128th", () => {
  // 50 µs of timing cost within 5% of 65 µs needs a period of ceil(50000 / 3250) = 16.
  const p = new TimingPolicy({ mode: "sampled", costNs: 50_000, budget: 0.05, warmup: 8 });
  const timed = run(p, 8 + 160, 65_000);
  assert.ok(
    timed.slice(0, 8).every((t) => t),
    "warm-up dispatches all timed",
  );
  const after = timed.slice(8);
  assert.equal(count(after), 14);
  // Evenly spaced: the 16th, 32nd, … dispatch after the warm-up (15, 31, …, 159), and the
  // checkpoints, dispatches 16, 32, 64 and 128 (7, 23, 55, 119 here).
  assert.deepEqual(
    after.flatMap((t, i) => (t ? [i] : [])),
    [7, 15, 23, 31, 47, 55, 63, 79, 95, 111, 119, 127, 143, 159],
  );
  assert.equal(p.untimed, 146);
});

test("sampled: a kernel long enough for timing to cost under 5% is timed every time", () => {
  const p = new TimingPolicy({ mode: "sampled", costNs: 50_000, budget: 0.05, warmup: 8 });
  assert.equal(count(run(p, 300, 1_000_000)), 300); // 1 ms: period ceil(50000 / 50000) = 1
  // The defaults: timing may cost 2.5% of a kernel's time.
  const sw = new TimingPolicy({ mode: "sampled", costNs: timestampCostNs(true) });
  assert.equal(count(run(sw, 300, 10_000_000)), 300); // 10 ms on lavapipe: 250 µs is 2.5%
  const hw = new TimingPolicy({ mode: "sampled", costNs: timestampCostNs(false) });
  assert.equal(count(run(hw, 300, 1_200_000)), 300); // 1.2 ms on hardware: 30 µs is 2.5%
});

test("sampled: kernels are counted apart, 0 ns kernels sample at the slowest rate, unknown lengths 1 in 8", () => {
  const p = new TimingPolicy({ mode: "sampled", costNs: 50_000, budget: 0.05, warmup: 8, maxPeriod: 64 });
  const zero = run(p, 8 + 128, 0, "zero");
  // 1 in 64 (dispatches 72 and 136), and the checkpoints 16, 32, 64 and 128.
  assert.deepEqual(
    zero.flatMap((t, i) => (t && i >= 8 ? [i + 1] : [])),
    [16, 32, 64, 72, 128, 136],
  );
  const long = run(p, 40, 5_000_000, "long");
  assert.equal(count(long), 40);
  // Timestamps still in flight (none landed, as in a loop that never awaits): after the warm-up,
  // 1 in 8, whatever the kernel's length turns out to be.
  const q = new TimingPolicy({ mode: "sampled", costNs: 50_000, budget: 0.05, warmup: 8 });
  const pending = Array.from({ length: 8 + 80 }, () => q.shouldTime("pending"));
  assert.ok(pending.slice(0, 8).every((t) => t));
  assert.equal(count(pending.slice(8)), 10);
});

test("defaults: 3 warm-up dispatches, then a 1 ms kernel on lavapipe 1 in ceil(250 / 25) = 10, and dispatches 8, 16, 32 and 64", () => {
  const p = new TimingPolicy({ mode: "sampled", costNs: timestampCostNs(true) });
  const timed = run(p, 3 + 100, 1_000_000);
  assert.ok(timed.slice(0, 3).every((t) => t));
  assert.deepEqual(
    timed.slice(3).flatMap((t, i) => (t ? [i] : [])),
    [4, 9, 12, 19, 28, 29, 39, 49, 59, 60, 69, 79, 89, 99],
  );
});

test("capped (no query slot free): the warm-up and then only dispatches 8, 16, 32, … are timed, in either mode; the rest count as untimed", () => {
  for (const mode of ["sampled", "every"] as const) {
    const p = new TimingPolicy({ mode, costNs: timestampCostNs(true) });
    const timed = Array.from({ length: 600 }, () => p.shouldTime("k", true));
    assert.deepEqual(
      timed.flatMap((t, i) => (t ? [i + 1] : [])),
      [1, 2, 3, 8, 16, 32, 64, 128, 256, 512],
      mode,
    );
    assert.equal(p.untimed, 590, mode);
  }
  // A kernel's count goes on across capped and free stretches: 5 free dispatches of a 1 ms
  // kernel (its length known), then capped from the 6th: the 8th is its next sample.
  const q = new TimingPolicy({ mode: "sampled", costNs: timestampCostNs(true) });
  run(q, 5, 1_000_000);
  const later = Array.from({ length: 11 }, () => q.shouldTime("k", true));
  assert.deepEqual(
    later.flatMap((t, i) => (t ? [i + 6] : [])),
    [8, 16],
  );
  assert.deepEqual([1, 4, 7, 8, 9, 12, 16, 24, 1024, 1025].map(isCheckpoint), [
    false,
    false,
    false,
    true,
    false,
    false,
    true,
    false,
    true,
    false,
  ]);
});

test("the mode comes from JITSCOPE_TIMING; software adapters cost more per timestamp", () => {
  assert.equal(timingModeFromEnv({ JITSCOPE_TIMING: "every" }), "every");
  assert.equal(timingModeFromEnv({}), "sampled");
  assert.ok(timestampCostNs(true) > timestampCostNs(false));
});

test("a timestamp is priced at 250 µs on a CPU adapter and 30 µs on a GPU: a 200 µs GPU kernel is timed 1 in ceil(30 / 5) = 6 (and on its checkpoints)", () => {
  assert.equal(timestampCostNs(true), 250_000);
  assert.equal(timestampCostNs(false), 30_000);
  const hw = new TimingPolicy({ mode: "sampled", costNs: timestampCostNs(false) });
  const timed = run(hw, 3 + 60, 200_000);
  assert.deepEqual(
    timed.slice(3).flatMap((t, i) => (t ? [i] : [])),
    [4, 5, 11, 12, 17, 23, 28, 29, 35, 41, 47, 53, 59], // 4, 12, 28: dispatches 8, 16, 32
  );
});

test("JITSCOPE_TIMESTAMP_COST_NS replaces the estimate for both adapter kinds; a value that is not a positive number is ignored", () => {
  assert.equal(timestampCostNs(true, { JITSCOPE_TIMESTAMP_COST_NS: "1000" }), 1000);
  assert.equal(timestampCostNs(false, { JITSCOPE_TIMESTAMP_COST_NS: "1e12" }), 1e12);
  for (const bad of ["", "0", "-5", "fast", "Infinity"]) {
    assert.equal(timestampCostNs(false, { JITSCOPE_TIMESTAMP_COST_NS: bad }), 30_000, JSON.stringify(bad));
  }
});

test("a kernel whose last 3 single spans were at most one tick is then timed in batches of 16; a longer one never is", () => {
  const TICK = 65_536;
  const p = new TimingPolicy({ mode: "every", costNs: 50_000 });
  // Another kernel's spans of 2 and 3 ticks reveal the tick (their GCD).
  p.shouldTime("long");
  p.observe("long", 2 * TICK);
  p.shouldTime("long");
  p.observe("long", 3 * TICK);
  for (const span of [TICK, 0, TICK]) {
    assert.equal(p.batchOf("tiny"), 1, "single dispatches until 3 sub-tick samples in a row");
    p.shouldTime("tiny");
    p.observe("tiny", span);
  }
  assert.equal(p.batchOf("tiny"), BATCH);
  assert.equal(BATCH, 16);
  // A batched span (its per-dispatch time 5 ticks / 16) keeps it batched; "long" never batches.
  p.observe("tiny", (5 * TICK) / 16, 16, 5 * TICK);
  assert.equal(p.batchOf("tiny"), BATCH);
  assert.equal(p.batchOf("long"), 1);
  // One single span of two ticks ends the sub-tick run.
  const q = new TimingPolicy({ mode: "every", costNs: 50_000 });
  for (const span of [0, 0, 2 * TICK]) {
    q.shouldTime("k");
    q.observe("k", span);
  }
  assert.equal(q.batchOf("k"), 1);
});

test("a batched kernel's period counts the 15 extra runs of its batch as timing cost", () => {
  const TICK = 65_536;
  const p = new TimingPolicy({ mode: "sampled", costNs: 50_000, budget: 0.05, warmup: 3, maxPeriod: 10_000 });
  p.shouldTime("long");
  p.observe("long", 2 * TICK);
  p.shouldTime("long");
  p.observe("long", 3 * TICK);
  // Three single dispatches read 0 ticks: the kernel is then timed in batches of 16.
  for (let i = 0; i < 3; i++) {
    assert.equal(p.shouldTime("tiny"), true);
    p.observe("tiny", 0);
  }
  assert.equal(p.batchOf("tiny"), BATCH);
  // Eight batched spans say 20 µs per dispatch (the median of the last eight is its length).
  for (let i = 0; i < 8; i++) p.observe("tiny", 20_000, BATCH, 20_000 * BATCH);
  // (50 µs + 15 × 20 µs) within 5% of 20 µs: 1 in ceil(350000 / 1000) = 350, not 1 in 50
  // (dispatches 353 and 703); the rest are its checkpoints.
  const timed = Array.from({ length: 700 }, () => p.shouldTime("tiny"));
  assert.deepEqual(
    timed.flatMap((t, i) => (t ? [i + 4] : [])),
    [8, 16, 32, 64, 128, 256, 353, 512, 703],
  );
});

test("a kernel's length is the median of its recent samples: a cold first dispatch does not set its rate", () => {
  const p = new TimingPolicy({ mode: "sampled", costNs: 50_000, budget: 0.05, warmup: 8 });
  const timed: boolean[] = [];
  for (let i = 0; i < 8 + 160; i++) {
    const t = p.shouldTime("k");
    timed.push(t);
    if (t) p.observe("k", i === 0 ? 3_000_000 : 65_000);
  }
  // As for a steady 65 µs kernel: 1 in 16 after the warm-up, 10 of 160, and 4 checkpoints (a
  // mean with the 3 ms sample in it would have given 1 in 3).
  assert.equal(timed.slice(8).filter((t) => t).length, 14);
});

test("the period follows each landed timestamp at once: 1 in 8 while unknown, every dispatch once a long one lands", () => {
  // Timestamps land late here (as after a submit): the policy's cached period must change at the
  // observe, not at some later recomputation.
  const p = new TimingPolicy({ mode: "sampled", costNs: 50_000, budget: 0.05, warmup: 1 });
  assert.equal(p.shouldTime("k"), true);
  const unknown = Array.from({ length: 16 }, () => p.shouldTime("k"));
  assert.deepEqual(
    unknown.flatMap((t, i) => (t ? [i + 2] : [])),
    [8, 9, 16, 17], // 9 and 17 by the period, 8 and 16 checkpoints
  );
  p.observe("k", 10_000_003);
  assert.ok(Array.from({ length: 5 }, () => p.shouldTime("k")).every((t) => t));
  // Shorter samples land (distinct lengths, so none reads as one timestamp tick): the median
  // moves below what timing every dispatch allows.
  for (let i = 0; i < 8; i++) p.observe("k", 100_000 + i);
  const after = Array.from({ length: 20 }, () => p.shouldTime("k"));
  // ceil(50_000 / (0.05 × ~100_004)) = 10.
  assert.deepEqual(
    after.flatMap((t, i) => (t ? [i] : [])),
    [9, 19],
  );
});
