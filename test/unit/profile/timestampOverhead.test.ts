// What a timestamped pass adds to its span is measured at the start of a profiled run and taken
// off every timed span (profile/timestampOverhead.ts, backend/timing.ts). Here: the arithmetic on
// hand-made timestamps, the timer's correction on a device whose readback returns them, and the
// measurement on the real adapter.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  measureTimestampOverhead,
  overheadFromStamps,
  overheadNote,
  peaksAtRunFloor,
} from "../../../runtime/src/profile/timestampOverhead.js";
import { classifyKernel } from "../../../runtime/src/advice/roofline.js";
import type { DevicePeaks } from "@jitscope/contract";
import { DispatchTimer } from "../../../runtime/src/backend/timing.js";
import { TimingPolicy } from "../../../runtime/src/backend/timingPolicy.js";
import { createRecorder, MemorySink } from "../../../runtime/src/profile/recorder.js";
import { eagerKernel, FILE } from "./sampleRun.js";
import { webgpuBackendOrSkip } from "../ops/harness.js";

const PER_ROUND = 32;
const ROUNDS = 4;

/** Stamps as the measurement lays them out: per round, PER_ROUND single passes (begin, end),
 *  then one (begin, end) around PER_ROUND back-to-back passes. */
function stamps(single: (r: number, d: number) => number, batchedEach: number, step = 1): BigUint64Array {
  const out: number[] = [];
  let t = 1_000_000;
  for (let r = 0; r < ROUNDS; r++) {
    for (let d = 0; d < PER_ROUND; d++) {
      out.push(t, t + single(r, d));
      t += single(r, d) + 11 * step;
    }
    out.push(t, t + PER_ROUND * batchedEach);
    t += PER_ROUND * batchedEach + 11 * step;
  }
  return BigUint64Array.from(out.map((v) => BigInt(Math.round(v / step) * step)));
}

test("the overhead is the single passes' mean (outliers set aside) less a dispatch back to back: 100 − 30 = 70 µs", () => {
  // Singles of 95, 100 and 105 µs (mean 100), one of the 100s stalled at 5 ms; back to back 30 µs each.
  const t = stamps((r, d) => (r === 2 && d === 0 ? 5_000_000 : [100_000, 95_000, 100_000, 105_000][d % 4]!), 30_000);
  const { result, note } = overheadFromStamps(t);
  assert.equal(note, null);
  assert.deepEqual(result, { overheadNs: 70_000, emptyDispatchNs: 30_000 });
  assert.equal(
    overheadNote(result!),
    "each timed kernel's span is reduced by 70 µs, what a timestamped pass added on this adapter at the start of the run (a small kernel timed alone against back to back with others), and reads at least one such dispatch back to back (30.0 µs)",
  );
});

test("single passes no slower than back to back give no overhead (never a negative one)", () => {
  const { result } = overheadFromStamps(stamps(() => 20_000, 25_000));
  assert.deepEqual(result, { overheadNs: 0, emptyDispatchNs: 25_000 });
});

test("timestamps rounded to 65.5 µs cannot resolve the overhead: no correction, and a note says why", () => {
  const { result, note } = overheadFromStamps(stamps(() => 131_072, 65_536, 65_536));
  assert.equal(result, null);
  assert.equal(note, "timestamps tick every 66 µs: timed spans are not reduced by what a timestamped pass adds");
});

/** A device whose one readback returns `spans` as (begin, end) pairs. */
function deviceReturning(spans: readonly number[]) {
  const t = BigUint64Array.from(
    spans.flatMap((s, i) => [BigInt(1_000_000 * (i + 1)), BigInt(1_000_000 * (i + 1) + s)]),
  );
  const buffer = () => ({
    mapAsync: () => Promise.resolve(),
    getMappedRange: () => t.buffer.slice(0),
    destroy() {},
    unmap() {},
  });
  const device = { createQuerySet: () => ({ destroy() {} }), createBuffer: buffer, queue: {} };
  const encoder = { resolveQuerySet() {}, copyBufferToBuffer() {} };
  return { device: device as unknown as GPUDevice, encoder: encoder as unknown as GPUCommandEncoder };
}

test("the timer takes the overhead off each span and never reads below one dispatch back to back: 150 → 80, 50 → 30, 1070 → 1000 µs", async () => {
  const spans = [150_000, 50_000, 1_070_000];
  const { device, encoder } = deviceReturning(spans);
  const sink = new MemorySink();
  const recorder = createRecorder(sink);
  recorder.setDeviceInfo({ backend: "webgpu", adapter: "test adapter", timestampQuery: true, notes: [] });
  recorder.registerKernel(eagerKernel);
  const timer = new DispatchTimer(device, recorder, true, new TimingPolicy({ mode: "every", costNs: 1 }));
  timer.correctSpans({ overheadNs: 70_000, emptyDispatchNs: 30_000 });
  for (let i = 0; i < spans.length; i++) assert.ok(timer.next(eagerKernel.id, i));
  timer.resolve(encoder)!();
  await new Promise((resolve) => setTimeout(resolve, 10));
  const report = sink.builder.build({ script: FILE, status: "completed", wallMs: 50 });
  assert.deepEqual(report.kernels.find((k) => k.id === eagerKernel.id)!.gpuTimesNs, [80_000, 30_000, 1_000_000]);
});

test("on the WebGPU adapter the measurement lands: an overhead ≥ 0 and a dispatch back to back > 0, in whole ns", async (t) => {
  const backend = await webgpuBackendOrSkip(t);
  if (!backend) return;
  const { result, note } = await measureTimestampOverhead(backend.device);
  assert.equal(note, null);
  assert.ok(result, "a result");
  assert.ok(Number.isInteger(result.overheadNs) && result.overheadNs >= 0, JSON.stringify(result));
  assert.ok(Number.isInteger(result.emptyDispatchNs) && result.emptyDispatchNs > 0, JSON.stringify(result));
});

test("the run's back-to-back dispatch becomes the latency floor where it is below the calibration's, so a kernel at the floor reads 100%, never 130%", () => {
  const peaks: DevicePeaks = {
    gbPerS: 13.5,
    gflopPerS: 36.8,
    dispatchUs: 29.8,
    timestampTickNs: 1,
    source: "cache",
    measuredAt: "2026-12-04T10:39:37.428Z",
  };
  const lower = peaksAtRunFloor(peaks, { overheadNs: 35_000, emptyDispatchNs: 22_900 });
  assert.deepEqual(lower.peaks, { ...peaks, dispatchUs: 22.9 });
  assert.equal(
    lower.note,
    "empty dispatch 22.9 µs, as measured back to back at the start of this run (the calibration read 29.8 µs): no kernel time reads less, so it is the latency floor",
  );
  // A kernel corrected down to the floor (22.9 µs) against the floor used.
  const atFloor = classifyKernel({ bytesRead: 16, bytesWritten: 16, flops: 0 }, 22_900, lower.peaks);
  assert.deepEqual(atFloor, { bound: "latency", efficiency: 1 });
  const higher = peaksAtRunFloor(peaks, { overheadNs: 35_000, emptyDispatchNs: 31_000 });
  assert.deepEqual(higher, { peaks, note: null });
  assert.deepEqual(peaksAtRunFloor(peaks, null), { peaks, note: null });
});
