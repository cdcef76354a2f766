// A compiled call's dispatches are recorded as one event (recorder.recordDispatches, gathered by
// the timer while the call is encoded) and build the same report as one dispatch event each:
// counts, timeline entries, their call ids, and the samples that land for them afterwards.
import { live } from "./builderRecorder.js";
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRecorder, MemorySink } from "../../../runtime/src/profile/recorder.js";
import type { RecorderEvent } from "../../../runtime/src/profile/events.js";
import type { KernelInfo, Recorder } from "../../../runtime/src/profile/recorderApi.js";
import { DispatchTimer } from "../../../runtime/src/backend/timing.js";
import { TimingPolicy } from "../../../runtime/src/backend/timingPolicy.js";
import { np, jit, config } from "../../../runtime/src/index.js";
import { webgpuOrSkip } from "../ops/harness.js";
import { fusedKernel } from "./sampleRun.js";

/** The sample run's jit kernel under compilation c0 (the report's ids: "c0/k0"…). */
const kernel = (id: string): KernelInfo => ({ ...fusedKernel, id, name: `k_${id.slice(3)}`, compilation: "c0" });

/** Two calls of a three-kernel program (c0/k1 twice a call), one of c0/k0's dispatches timed. */
function record(asRuns: boolean) {
  const sink = new MemorySink();
  const rec = createRecorder(sink);
  rec.setDeviceInfo({ backend: "webgpu", adapter: "test adapter", timestampQuery: true, notes: [] });
  for (const id of ["c0/k0", "c0/k1", "c0/k2"]) rec.registerKernel(kernel(id));
  for (const callId of [1, 2]) {
    const kernels = ["c0/k0", "c0/k1", "c0/k1", "c0/k2"];
    const starts = kernels.map((_, i) => callId * 10 + i * 0.25);
    if (asRuns) rec.recordDispatches([...kernels], [...starts], callId);
    else kernels.forEach((k, i) => rec.recordDispatch(k, null, starts[i]!, callId));
    rec.recordSample("c0/k0", 5_000 * callId, starts[0]!, 1_000 * callId);
  }
  return { sink, report: sink.builder.build({ script: "/s/a.ts", status: "completed", wallMs: 30 }) };
}

test("a call's dispatches as one event build the same report as one dispatch event each: counts, timeline, call ids, samples", () => {
  const each = record(false);
  const runs = record(true);
  assert.deepEqual({ ...runs.report, createdAt: "" }, { ...each.report, createdAt: "" });
  assert.equal(runs.sink.events.filter((e) => e.e === "dispatch").length, 0);
  assert.equal(runs.sink.events.filter((e) => e.e === "dispatches").length, 2);
  // Not vacuous: the dispatches are counted, placed and matched to their samples.
  assert.deepEqual(
    runs.report.kernels.map((k) => [k.id, k.dispatches, k.gpuTimesNs]),
    [
      ["c0/k0", 2, [5_000, 10_000]],
      ["c0/k1", 4, []],
      ["c0/k2", 2, []],
    ],
  );
  const placed = runs.report.timeline.dispatches.filter((d) => d.kernel === "c0/k0");
  assert.deepEqual(
    placed.map((d) => [d.callId, d.dur, d.estimated ?? false]),
    [
      [1, 0.005, false],
      [2, 0.01, false],
    ],
  );
});

test("an empty run writes nothing; a run's arrays are taken as they are", () => {
  const sink = new MemorySink();
  const rec = createRecorder(sink);
  rec.recordDispatches([], [], 3);
  assert.deepEqual(sink.events, []);
  rec.recordDispatches(["c0/k0"], [1.5]);
  assert.deepEqual(sink.events, [{ e: "dispatches", kernels: ["c0/k0"], starts: [1.5] }]);
});

/** A device whose readbacks never land (the timer's untimed path needs none). */
function fakeDevice(): GPUDevice {
  const buffer = () => ({ mapAsync: () => new Promise<void>(() => {}), destroy() {}, unmap() {} });
  return {
    createQuerySet: () => ({ destroy() {} }),
    createBuffer: buffer,
    queue: { onSubmittedWorkDone: () => new Promise<void>(() => {}) },
  } as unknown as GPUDevice;
}

test("the timer gathers a call's dispatches between beginRun and endRun into one event, in order; other calls' dispatches stay separate", () => {
  const sink = new MemorySink();
  const rec = createRecorder(sink);
  const policy = new TimingPolicy({ mode: "sampled", costNs: 1e15, warmup: 1 });
  const timer = new DispatchTimer(fakeDevice(), rec, true, policy);
  timer.beginRun(7);
  // Timed (each kernel's first dispatch is its warm-up) or not, each is counted in the run.
  assert.ok(timer.next("c0/k0", 1, 7), "the first dispatch of c0/k0 is timed");
  timer.next("c0/k1", 2, 7);
  timer.next("eager", 2.5); // no call id: not this call's
  timer.next("c0/k0", 3, 7);
  assert.deepEqual(sink.events, [{ e: "dispatch", kernel: "eager", gpuNs: null, start: 2.5 }]);
  timer.endRun();
  const expected: RecorderEvent = {
    e: "dispatches",
    kernels: ["c0/k0", "c0/k1", "c0/k0"],
    starts: [1, 2, 3],
    callId: 7,
  };
  assert.deepEqual(sink.events[1], expected);
  // After the run, dispatches are recorded one by one again, and an empty run writes nothing.
  timer.next("c0/k1", 4, 8);
  timer.beginRun(9);
  timer.endRun();
  assert.deepEqual(sink.events.slice(2), [{ e: "dispatch", kernel: "c0/k1", gpuNs: null, start: 4, callId: 8 }]);
});

test("a recorder without recordDispatches gets one recordDispatch per dispatch of a run", () => {
  const got: [string, number, number | undefined][] = [];
  const rec = {
    enabled: true,
    recordDispatch: (k: string, _ns: number | null, start: number, callId?: number) => got.push([k, start, callId]),
  } as unknown as Recorder;
  const timer = new DispatchTimer(fakeDevice(), rec, false, new TimingPolicy({ mode: "sampled", costNs: 1e15 }));
  timer.beginRun(2);
  timer.next("c0/k0", 1, 2);
  timer.next("c0/k1", 2, 2);
  timer.endRun();
  assert.deepEqual(got, [
    ["c0/k0", 1, 2],
    ["c0/k1", 2, 2],
  ]);
});

test("on WebGPU, each call of a three-kernel jitted function is one dispatches event, and the report counts every kernel once a call", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const prev = config({ backend: "webgpu" });
  const runsBefore = live.dispatchRuns;
  let got: Float32Array;
  try {
    // max, then sum of exp: two reductions and the output, three kernels.
    const softmaxish = jit(function softmaxish(x: ReturnType<typeof np.ones>) {
      const e = np.exp(np.subtract(x, np.max(x)));
      return np.divide(e, np.sum(e));
    });
    const x = np.array(Float32Array.from({ length: 1024 }, (_, i) => Math.sin(i)));
    let y = softmaxish(x);
    for (let i = 0; i < 4; i++) y = softmaxish(x);
    got = (await y.data()) as Float32Array;
  } finally {
    config(prev);
  }
  // Values against a softmax computed here.
  const xs = Array.from({ length: 1024 }, (_, i) => Math.fround(Math.sin(i)));
  const m = Math.max(...xs);
  const total = xs.reduce((a, v) => a + Math.exp(v - m), 0);
  xs.forEach((v, i) => assert.ok(Math.abs(got[i]! - Math.exp(v - m) / total) < 1e-6, `element ${i}`));

  const report = live.builder.build({ script: "x", status: "completed", wallMs: performance.now() });
  const fn = report.functions.find((f) => f.name === "softmaxish")!;
  assert.equal(fn.calls, 5);
  const kernels = report.kernels.filter((k) => k.compilation === fn.compilations[0]);
  assert.ok(kernels.length >= 2, `${kernels.length} kernels`);
  for (const k of kernels) assert.equal(k.dispatches, 5, `${k.name} dispatched once a call`);
  assert.equal(live.dispatchRuns - runsBefore, 5);
  // Each call's dispatches carry its call id on the timeline (the driver's compiles are not runs).
  const ids = new Set(
    report.timeline.dispatches.filter((d) => !d.compile && kernels.some((k) => k.id === d.kernel)).map((d) => d.callId),
  );
  assert.equal(ids.size, 5);
});
