// The timing policy end to end on Dawn: a loop of 200 tiny dispatches is counted in full, timed
// in part (its kernel is far shorter than what a timestamp costs on lavapipe), and fully with
// --timing every. The total is the dispatches × the samples' mean without outliers.
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { fixture, runCli } from "./runCli.js";
import { robustTotal } from "../../../runtime/src/profile/stats.js";
import { driverCompileText } from "@jitscope/contract";

/** CI's lavapipe has timestamp queries; elsewhere (no adapter, or none) the test says why it skips. */
function hasTimestamps(r: ReturnType<typeof runCli>, t: TestContext): boolean {
  if (r.report.device.timestampQuery) return true;
  assert.notEqual(process.env.JITSCOPE_REQUIRE_WEBGPU, "1", `no timestamp queries on ${r.report.device.adapter}`);
  t.skip(`no timestamp queries on ${r.report.device.adapter}`);
  return false;
}

const multiplyOf = (r: ReturnType<typeof runCli>) => {
  assert.equal(r.code, 0, r.stderr);
  const k = r.report.kernels.filter((k) => k.ops.includes("mul"));
  assert.equal(k.length, 1, "one eager kernel for the one call site");
  return k[0]!;
};

test("sampled (default): 200 tiny dispatches counted, the first 3 and then 1 in N timed", (t) => {
  const r = runCli(fixture("tiny_loop.ts"));
  if (!hasTimestamps(r, t)) return;
  const k = multiplyOf(r);
  assert.equal(k.dispatches, 200);
  assert.ok(k.gpuTimesNs.length >= 3 && k.gpuTimesNs.length < 200, `timed ${k.gpuTimesNs.length} of 200`);
  // 200 × the mean of the samples without outliers (stats.ts robustTotal).
  assert.ok(Math.abs(k.totalNs - robustTotal(k.gpuTimesNs, 200, k.outliers!)) <= 1e-6 * Math.max(1, k.totalNs));
  assert.match(r.report.device.notes.join("\n"), new RegExp(`${k.gpuTimesNs.length} of \\d+ dispatches were timed`));
  const onTimeline = r.report.timeline.dispatches.filter((d) => d.kernel === k.id && !d.compile);
  assert.equal(onTimeline.length, 200);
  assert.equal(onTimeline.filter((d) => d.estimated).length, 200 - k.gpuTimesNs.length);
});

test("--timing every: each of the 200 dispatches has its own sample; the total is 200 × their mean without outliers", (t) => {
  const r = runCli(fixture("tiny_loop.ts"), ["--timing", "every"]);
  if (!hasTimestamps(r, t)) return;
  const k = multiplyOf(r);
  assert.equal(k.dispatches, 200);
  assert.equal(k.gpuTimesNs.length, 200);
  assert.ok(Math.abs(k.totalNs - robustTotal(k.gpuTimesNs, 200, k.outliers!)) <= 1e-6 * Math.max(1, k.totalNs));
  assert.ok(!r.report.device.notes.some((n) => /dispatches were timed/.test(n)));
});

test("a kernel first dispatched while 8 submits' timestamps are pending still gets a sample: no kernel reads 'not timed'", (t) => {
  const r = runCli(fixture("untimed_burst.ts"));
  if (!hasTimestamps(r, t)) return;
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.report.kernels.length, 13);
  const late = r.report.kernels.filter((k) => k.dispatches === 1);
  assert.equal(late.length, 5, "abs, sqrt, add, log, square: once each, after the loop");
  for (const k of r.report.kernels) assert.ok(k.gpuTimesNs.length >= 1, `${k.name} (${k.dispatches}×) has no sample`);
  assert.ok(!r.report.device.notes.some((n) => /no timed dispatch/.test(n)));
  assert.doesNotMatch(r.stdout, /not timed|< 1 ns/);
});

test("past the cap on pending readbacks, a loop that never yields times each of its kernels on dispatches 128 and 256, and past the 100th on powers of two only", (t) => {
  const r = runCli(fixture("untimed_burst.ts"));
  if (!hasTimestamps(r, t)) return;
  assert.equal(r.code, 0, r.stderr);
  const loop = r.report.kernels.filter((k) => k.dispatches === 300);
  assert.equal(loop.length, 8, "add, multiply, negative, exp, sin, cos, subtract, tanh: 300 each");
  for (const k of loop) {
    const mine = r.report.timeline.dispatches.filter((d) => d.kernel === k.id && !d.compile);
    assert.equal(mine.length, 300);
    const timed = mine.flatMap((d, i) => (d.estimated ? [] : [i + 1]));
    assert.equal(timed.length, k.gpuTimesNs.length, `${k.name}: every timed dispatch has its sample`);
    assert.deepEqual(timed.slice(0, 3), [1, 2, 3], `${k.name}: the warm-up`);
    assert.deepEqual(
      timed.filter((n) => n > 100),
      [128, 256],
      `${k.name} timed at ${timed.join(", ")}`,
    );
  }
});

test("the run line gives the driver compile: Report.driverCompile, one per pipeline, each on the timeline's driver lane", (t) => {
  const r = runCli(fixture("tiny_loop.ts"));
  if (!hasTimestamps(r, t)) return;
  assert.equal(r.code, 0, r.stderr);
  const d = r.report.driverCompile!;
  assert.ok(d && d.pipelines >= 1 && d.pipelines <= r.report.kernels.length, JSON.stringify(d));
  const compiles = r.report.timeline.dispatches.filter((x) => x.compile);
  assert.equal(compiles.length, d.pipelines);
  assert.ok(Math.abs(compiles.reduce((s, x) => s + x.dur * 1e6, 0) - d.totalNs) <= 1e-3 * d.totalNs + 1);
  assert.ok(
    r.stdout.includes(` · ${driverCompileText(r.report)!} · `),
    r.stdout.split("\n").find((l) => l.startsWith("run:")),
  );
});
