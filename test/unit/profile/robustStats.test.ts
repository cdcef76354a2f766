// Robust kernel statistics on constructed samples: spreads, outliers flagged and kept, totals an
// outlier cannot own, the timestamp tick read off the samples, and times below it said as such.

import { test } from "node:test";
import assert from "node:assert/strict";
import { createRecorder, MemorySink } from "../../../runtime/src/profile/recorder.js";
import { gpuNsText, kernelMedianText, outlierText, spreadNsText } from "@jitscope/contract";
import { jitGpuPerCall, kernelReport } from "../../../runtime/src/profile/kernelCost.js";
import {
  outlierIndices,
  quantile,
  robustTotal,
  spreadOf,
  timestampTickNs,
} from "../../../runtime/src/profile/stats.js";
import { eagerKernel, FILE, fusedKernel } from "./sampleRun.js";

const TICK = 65_536;

test("quantiles interpolate between order statistics; p10 and p90 by hand", () => {
  assert.equal(quantile([], 0.5), 0);
  assert.equal(quantile([7], 0.9), 7);
  // 11 samples 0..100 step 10: p10 is the 2nd (10), p90 the 10th (90).
  const s = Array.from({ length: 11 }, (_, i) => 100 - i * 10);
  assert.deepEqual(spreadOf(s), { p10: 10, p90: 90 });
  // [1, 2, 3, 4]: p10 at position 0.3 → 1.3; p90 at 2.7 → 3.7.
  const sp = spreadOf([4, 1, 3, 2]);
  assert.ok(Math.abs(sp.p10 - 1.3) < 1e-12 && Math.abs(sp.p90 - 3.7) < 1e-12, JSON.stringify(sp));
});

test("a 1,313 ms sample among 262 µs ones is flagged as an outlier, kept in the samples and left out of the total", () => {
  const samples = [262_000, 262_000, 270_000, 255_000, 1_313_000_000, 262_000];
  assert.deepEqual(outlierIndices(samples, TICK), [4]);
  const k = kernelReport(fusedKernel, samples, samples.length, TICK);
  assert.deepEqual(k.gpuTimesNs, samples, "the outlier stays in the samples");
  assert.deepEqual(k.outliers, [4]);
  // Total: the first sample (262,000 ns) + 5 dispatches × the mean of the other samples but the
  // outlier ((262,000 + 270,000 + 255,000 + 262,000) / 4 = 262,250 ns).
  assert.equal(k.totalNs, 262_000 + 5 * 262_250);
  assert.equal(outlierText(k), "1 outlier left out of the total");
});

test("an injected outlier moves a kernel's total by one dispatch's worth (the others' mean, 105 µs), never by itself", () => {
  const base = [100_000, 120_000, 90_000, 110_000, 105_000, 95_000, 115_000, 100_000];
  const before = kernelReport(fusedKernel, base, base.length, TICK).totalNs;
  // The first sample apart, then 7 × the mean of the other seven (105,000 ns).
  assert.equal(before, 100_000 + 7 * 105_000);
  for (const outlier of [2e6, 5e7, 1.3e9]) {
    const withIt = [...base, outlier];
    const after = kernelReport(fusedKernel, withIt, withIt.length, TICK).totalNs;
    assert.equal(after - before, 105_000, `outlier ${outlier}: ${before} → ${after}`);
  }
});

test("a kernel's total counts its first sample once and the others' mean for the other dispatches: a cold 2 ms first among 100 µs ones over 130 dispatches", () => {
  const samples = [2_000_000, 100_000, 90_000, 110_000];
  // Not an outlier: the fence is median + 5 robust deviations; the median of four is 105 µs, the
  // deviations 1,895, 5, 15 and 5 µs (MAD 10 µs), so the fence is at least 105 + 5 × 26.25 µs.
  const outliers = outlierIndices(samples, 0);
  assert.deepEqual(outliers, [0], "a 2 ms first among 100 µs ones is beyond the fence");
  assert.equal(robustTotal(samples, 130, outliers), 130 * 100_000, "an outlier first counts as the others' mean");
  const cold = [200_000, 100_000, 90_000, 110_000];
  assert.deepEqual(outlierIndices(cold, 0), []);
  assert.equal(robustTotal(cold, 130, []), 200_000 + 129 * 100_000);
  // As one sample among four it would have stood for a quarter of the dispatches: 130 × 125 µs.
  assert.equal(robustTotal(cold, 4, []), 500_000, "every dispatch timed: the plain sum");
  assert.equal(robustTotal([300_000], 5, []), 1_500_000, "one sample stands for every dispatch");
});

test("a call's GPU spread sums each kernel's p10 and p90 over its samples other than outliers: a 3 ms first dispatch among 80 µs ones does not set the p90", () => {
  // Kernel a: four samples 80..110 µs and a 3 ms first dispatch (an outlier); kernel b: no outlier.
  const a = kernelReport(fusedKernel, [3_000_000, 80_000, 90_000, 100_000, 110_000], 5, 1);
  const b = kernelReport(eagerKernel, [40_000, 50_000, 60_000], 3, 1);
  assert.deepEqual(a.outliers, [0]);
  const call = jitGpuPerCall([a, b], 5);
  // a without its outlier: p10 of [80, 90, 100, 110] µs = 83 µs, p90 = 107 µs; b: 42 and 58 µs.
  assert.ok(Math.abs(call.p10Ns - (83_000 + 42_000)) < 1e-6, String(call.p10Ns));
  assert.ok(Math.abs(call.p90Ns - (107_000 + 58_000)) < 1e-6, String(call.p90Ns));
  // The central figure is the robust mean (the outlier left out too): 95 + 50 µs.
  assert.ok(Math.abs(call.ns - (95_000 + 50_000)) < 1e-6, String(call.ns));
  // Over every sample, kernel a's p90 alone would have been 1.87 ms.
  assert.ok(a.p90Ns! > 1_800_000);
});

test("equal samples flag no outliers (the fence is at least a tick and a quarter of the median wide)", () => {
  assert.deepEqual(outlierIndices([TICK, TICK, TICK, 2 * TICK, TICK], TICK), []);
  assert.deepEqual(outlierIndices([1000, 1000, 1000, 1200], 0), []);
  assert.deepEqual(outlierIndices([1000, 1000], 0), [], "two samples say nothing about outliers");
});

test("a sub-tick kernel's total is its first sample + 79 × the mean of its other 0- and 1-tick samples", () => {
  const samples = [0, 0, TICK, 0, TICK, 0, 0, 0];
  const total = robustTotal(samples, 80, outlierIndices(samples, TICK));
  assert.ok(Math.abs(total - (79 * (2 * TICK)) / 7) < 1e-6, String(total));
});

test("the timestamp tick is the greatest common divisor of the samples; host timing (fractions) has none", () => {
  assert.equal(timestampTickNs([0, TICK, 3 * TICK, 5 * TICK, 2 * TICK]), TICK);
  assert.equal(timestampTickNs([1234, 5678]), 2);
  assert.equal(timestampTickNs([TICK, TICK, 0]), null, "one distinct value cannot tell a tick from a duration");
  assert.equal(timestampTickNs([1000.5, 2001]), null);
});

test('a time below the tick reads "< 65.5 µs", never 0; one without a known tick reads "< timer resolution"', () => {
  assert.equal(gpuNsText(0, TICK), "< 65.5 µs");
  assert.equal(gpuNsText(30_000, TICK), "< 65.5 µs");
  assert.equal(gpuNsText(TICK, TICK), "65.5 µs");
  assert.equal(gpuNsText(0), "< timer resolution");
  assert.equal(gpuNsText(1_250_000), "1.25 ms");
  assert.equal(spreadNsText(0, 131_072, TICK), "p10–p90 < 65.5 µs–131 µs");
  const k = kernelReport(fusedKernel, [0, 0, TICK, 0], 4, TICK);
  assert.equal(
    kernelMedianText(k, { timestampTickNs: TICK }),
    "< 65.5 µs",
    "no spread to show when all of it is below a tick",
  );
  const k2 = kernelReport(fusedKernel, [0, TICK, 2 * TICK, 3 * TICK, 2 * TICK], 5, TICK);
  assert.equal(kernelMedianText(k2, { timestampTickNs: TICK }), "131 µs (p10–p90 < 65.5 µs–170 µs)");
});

test("Σ kernel totals on one queue stays within the run's wall time with injected outliers", () => {
  // Two kernels run back to back on one queue for 100 ms of a 120 ms run: 500 dispatches of
  // ~120 µs and 400 of ~100 µs, every one timed, three of them stalled samples of over a second.
  const sink = new MemorySink();
  const r = createRecorder(sink);
  r.setDeviceInfo({ backend: "webgpu", adapter: "test adapter", timestampQuery: true, notes: [] });
  r.registerKernel(fusedKernel);
  r.registerKernel(eagerKernel);
  let t = 0;
  const stalls = new Set([40, 300, 777]);
  for (let i = 0; i < 900; i++) {
    const id = i % 9 < 5 ? "k1" : "k2";
    const ns = stalls.has(i)
      ? 1_313_000_000
      : (id === "k1" ? 2 : 1.5) * TICK + (i % 3) * 1000 - (id === "k1" ? 11_072 : 0);
    r.recordDispatch(id, Math.round(ns), t);
    t += 0.11;
  }
  const wallMs = 120;
  const report = sink.builder.build({ script: FILE, status: "completed", wallMs });
  const sum = report.kernels.reduce((a, k) => a + k.totalNs, 0);
  assert.equal(report.totalGpuNs, sum);
  assert.ok(sum / 1e6 <= wallMs, `Σ totals ${sum / 1e6} ms > wall ${wallMs} ms`);
  assert.equal(
    report.kernels.reduce((a, k) => a + (k.outliers?.length ?? 0), 0),
    3,
  );
  // Without the robust total the same samples would claim over 3.9 s of a 120 ms run.
  const naive = report.kernels.reduce((a, k) => a + k.gpuTimesNs.reduce((x, y) => x + y, 0), 0);
  assert.ok(naive / 1e6 > 3900);
  assert.ok(
    report.device.notes.some((n) => n.startsWith("3 GPU time samples far above")),
    report.device.notes.join("\n"),
  );
});

test("a run whose kernel time still exceeds its wall time says so in the device notes", () => {
  const sink = new MemorySink();
  const r = createRecorder(sink);
  r.setDeviceInfo({ backend: "webgpu", adapter: "test adapter", timestampQuery: true, notes: [] });
  r.registerKernel(fusedKernel);
  for (let i = 0; i < 4; i++) r.recordDispatch("k1", 2_000_000, i); // 4 × 2 ms in a 5 ms run
  const report = sink.builder.build({ script: FILE, status: "completed", wallMs: 5 });
  assert.ok(
    report.device.notes.includes(
      "kernel time (8.0 ms) exceeds the run's wall time (5.0 ms): some GPU time samples overstate their kernels",
    ),
    report.device.notes.join("\n"),
  );
  const ok = sink.builder.build({ script: FILE, status: "completed", wallMs: 9 });
  assert.ok(!ok.device.notes.some((n) => n.startsWith("kernel time")));
});

// One kernel's body as two compilations name its values (codegen names a value after its IR id).
const SUM_AT_V12 = `// sum_exp_div: reduce_sum over axes [1]
@compute @workgroup_size(64)
fn sum_exp_div_kernel() {
  let v12_0 = in0[o];
  let v21_1 = (v12_0 / f32(0.05));
  acc = acc + exp(v21_1);
}`;
const SUM_AT_V0 = SUM_AT_V12.replace("// sum_exp_div: reduce_sum over axes [1]", "// after the loop")
  .replaceAll("v12_0", "v0_0")
  .replaceAll("v21_1", "v9_1");

test("a kernel timed once or twice is judged against its twins (same WGSL up to comments and value names, grid, bytes and FLOPs): its stalled sample is an outlier, and a kernel whose only sample stalled takes its twins' mean", () => {
  const sink = new MemorySink();
  const r = createRecorder(sink);
  r.setDeviceInfo({ backend: "webgpu", adapter: "test adapter", timestampQuery: true, notes: [] });
  const twin = (id: string, line: number) => ({ ...eagerKernel, id, locations: [{ file: FILE, line, column: 1 }] });
  for (const k of [
    { ...twin("a", 3), wgsl: SUM_AT_V12 },
    { ...twin("b", 5), wgsl: SUM_AT_V12 },
    // c is the same shader under other value names and comments (a loop body's kernel and its
    // twin after the loop, from test/fixtures/programs/sinkhorn_flow.ts): one pipeline.
    { ...twin("c", 7), wgsl: SUM_AT_V0 },
    { ...twin("d", 9), wgsl: SUM_AT_V0.replace("0.05", "0.5") },
  ])
    r.registerKernel(k);
  // Samples from test/fixtures/programs/gpt_step.ts's profile: 66 µs, then a preempted 7,959 µs.
  const samples: Record<string, number[]> = {
    a: [66_000, 7_959_000],
    b: [67_000, 119_000, 91_000],
    c: [11_911_000],
    d: [70_000, 9_000_000],
  };
  let t = 0;
  for (const [id, ns] of Object.entries(samples)) for (const v of ns) r.recordDispatch(id, v, (t += 1));
  const report = sink.builder.build({ script: FILE, status: "completed", wallMs: 50 });
  const k = (id: string) => report.kernels.find((x) => x.id === id)!;
  // The pool a+b+c: [66, 7959, 67, 119, 91, 11911] µs, median 105 µs, MAD 38.5 µs: fence
  // 105 + 5 × max(1.4826 × 38.5, 105 / 4) = 390.4 µs.
  assert.deepEqual(k("a").outliers, [1]);
  assert.equal(k("a").totalNs, 2 * 66_000);
  assert.deepEqual(k("b").outliers, []);
  assert.equal(k("b").totalNs, 67_000 + 119_000 + 91_000);
  assert.deepEqual(k("c").outliers, [0]);
  assert.equal(k("c").totalNs, (66_000 + 67_000 + 119_000 + 91_000) / 4, "c's one dispatch at its twins' mean");
  // d divides by another constant: other WGSL, whose two samples say nothing about outliers.
  assert.deepEqual(k("d").outliers, []);
  assert.equal(k("d").totalNs, 9_070_000);
  assert.equal(k("a").medianNs, (66_000 + 7_959_000) / 2, "the median stays the kernel's own samples'");
  assert.ok(
    report.device.notes.some((n) =>
      n.startsWith(
        "2 GPU time samples far above their kernel's others (beyond median + 5 robust deviations of its samples and those of kernels running the same pipeline on the same grid)",
      ),
    ),
    report.device.notes.join("\n"),
  );
});
