// A run whose timing policy left some dispatches untimed: every dispatch is counted, totals are
// estimated from the samples, the timeline marks the estimates, and the report says so.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRecorder, MemorySink } from "../../../runtime/src/profile/recorder.js";
import { validateReport } from "@jitscope/contract";
import { toChromeTrace } from "@jitscope/contract";
import { eagerKernel, FILE } from "./sampleRun.js";

function sampledRun() {
  const sink = new MemorySink();
  const r = createRecorder(sink);
  r.setDeviceInfo({ backend: "webgpu", adapter: "test adapter", timestampQuery: true, notes: [] });
  r.registerKernel(eagerKernel);
  // 4 timed (100, 200, 300, 400 ns) and 4 untimed dispatches, interleaved.
  [100, null, 200, null, 300, null, 400, null].forEach((ns, i) => r.recordDispatch("k2", ns, 10 + i));
  return sink.builder.build({ script: FILE, status: "completed", wallMs: 50, createdAt: "2026-01-01T00:00:00.000Z" });
}

test("untimed dispatches are counted; the total is the first sample + the others' mean × the other dispatches", () => {
  const report = sampledRun();
  const k = report.kernels[0]!;
  assert.equal(k.dispatches, 8);
  assert.deepEqual(k.gpuTimesNs, [100, 200, 300, 400]);
  assert.equal(k.medianNs, 250);
  assert.equal(k.totalNs, 100 + 7 * 300); // the first dispatch's 100, then the others' mean 300 × 7
  assert.equal(report.totalGpuNs, 2200);
  assert.match(report.device.notes.join("\n"), /4 of 8 dispatches were timed/);
  // Round trip through the schema (the extension reads it back).
  assert.deepEqual(validateReport(JSON.stringify(report)), report);
});

test("the timeline keeps every dispatch; untimed ones carry the mean of the samples after the first, marked estimated", () => {
  const report = sampledRun();
  const d = report.timeline.dispatches;
  assert.equal(d.length, 8);
  assert.deepEqual(
    d.map((x) => x.dur),
    [0.0001, 0.0003, 0.0002, 0.0003, 0.0003, 0.0003, 0.0004, 0.0003],
  );
  assert.deepEqual(
    d.map((x) => x.estimated === true),
    [false, true, false, true, false, true, false, true],
  );
  const gpu = toChromeTrace(report).traceEvents.filter((e) => e.cat === "gpu");
  assert.equal(gpu.length, 8);
  assert.equal(gpu.filter((e) => (e.args as Record<string, unknown>).estimated !== undefined).length, 4);
});

test("a fully timed run has no sampling note and totals are plain sums", () => {
  const sink = new MemorySink();
  const r = createRecorder(sink);
  r.setDeviceInfo({ backend: "webgpu", adapter: "test adapter", timestampQuery: true, notes: [] });
  r.registerKernel(eagerKernel);
  r.recordDispatch("k2", 100, 1);
  r.recordDispatch("k2", 250, 2);
  const report = sink.builder.build({ script: FILE, status: "completed", wallMs: 5 });
  assert.equal(report.kernels[0]!.dispatches, 2);
  assert.equal(report.kernels[0]!.totalNs, 350);
  assert.deepEqual(report.device.notes, []);
});

test("a timed dispatch is counted at once and its time lands later; one whose time never lands stays counted", () => {
  const sink = new MemorySink();
  const r = createRecorder(sink);
  r.setDeviceInfo({ backend: "webgpu", adapter: "test adapter", timestampQuery: true, notes: [] });
  r.registerKernel(eagerKernel);
  r.recordDispatch("k2", null, 5, 1);
  r.recordDispatch("k2", null, 6, 1);
  r.recordDispatch("k2", null, 7);
  // The run was killed here: the report so far has the three dispatches, none timed.
  const cut = sink.builder.build({ script: FILE, status: "cancelled", wallMs: 8 });
  assert.equal(cut.kernels[0]!.dispatches, 3);
  assert.deepEqual(cut.kernels[0]!.gpuTimesNs, []);
  assert.equal(cut.kernels[0]!.totalNs, 0);
  // Two samples land (out of order); the third never does.
  r.recordSample("k2", 3000, 6);
  r.recordSample("k2", 1000, 5);
  const report = sink.builder.build({ script: FILE, status: "completed", wallMs: 9 });
  const k = report.kernels[0]!;
  assert.equal(k.dispatches, 3);
  assert.deepEqual(k.gpuTimesNs, [1000, 3000], "in dispatch order");
  assert.equal(k.totalNs, 1000 + 2 * 3000); // the first dispatch's 1000, then 3000 × 2
  const d = report.timeline.dispatches;
  assert.deepEqual(
    d.map((x) => [x.start, x.dur, x.estimated === true, x.callId]),
    [
      [5, 0.001, false, 1],
      [6, 0.003, false, 1],
      [7, 0.003, true, undefined], // the samples after the first: 3000 ns
    ],
  );
});
