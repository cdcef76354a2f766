import { test } from "node:test";
import assert from "node:assert/strict";
import { createRecorder, MemorySink } from "../../../runtime/src/profile/recorder.js";
import { lineKey } from "@jitscope/contract";
import { breakEvenCalls, median } from "../../../runtime/src/profile/stats.js";
import { CONSOLE_LIMIT } from "../../../runtime/src/profile/reportBuilder.js";
import { eagerKernel, FILE, recordSampleRun } from "./sampleRun.js";

test("kernel statistics: median, total, GB/s and GFLOP/s from every sample", () => {
  const { report } = recordSampleRun();
  const k1 = report.kernels.find((k) => k.id === "k1")!;
  assert.deepEqual(k1.gpuTimesNs, [100, 300, 200]);
  assert.equal(k1.medianNs, 200);
  assert.equal(k1.totalNs, 600);
  assert.equal(k1.gbPerS, 6); // (800 + 400) bytes / 200 ns
  assert.equal(k1.gflopPerS, 0.5); // 100 flops / 200 ns
  const k2 = report.kernels.find((k) => k.id === "k2")!;
  assert.equal(k2.medianNs, 2000); // mean of the middle two of [1000, 3000]
  assert.equal(k2.totalNs, 4000);
  assert.equal(report.totalGpuNs, 4600);
  assert.equal(report.kernels.length, 2, "registering a kernel twice keeps one");
});

test("the line index splits each kernel's time among its distinct lines", () => {
  const { report } = recordSampleRun();
  const l3 = report.lines[lineKey(FILE, 3)]!;
  const l4 = report.lines[lineKey(FILE, 4)]!;
  // k1 (600 ns) came from lines 3 and 4 (line 4 twice, counted once): 300 each; k2 (4000) from line 3.
  assert.equal(l3.gpuNs, 4300);
  assert.equal(l4.gpuNs, 300);
  assert.deepEqual(l3.kernels, ["k1", "k2"]);
  assert.deepEqual(l4.kernels, ["k1"]);
  assert.equal(l3.share, 4300 / 4600);
  assert.equal(l4.share, 300 / 4600);
  assert.deepEqual(l4.unfused, [{ op: "exp", reason: "exp is needed by two kernels" }]);
  assert.deepEqual(l3.unfused, []);
});

test("jitted functions: calls, median wall time over the calls that did not compile, kernels and GPU time per call", () => {
  const { report } = recordSampleRun();
  assert.equal(report.functions.length, 1);
  const f = report.functions[0]!;
  assert.equal(f.name, "step");
  assert.equal(f.calls, 3);
  // The first call (5 ms) compiled: a pass span lies inside its call span. The median is over
  // the other two calls, 1 and 2 ms.
  assert.equal(f.msPerCall, 1.5);
  assert.equal(f.cost!.firstRun, undefined);
  assert.equal(f.kernelsPerCall, 1);
  assert.deepEqual(f.compilations, ["c1"]);
  assert.equal(f.gpuMsPerCall, 200 / 1e6); // k1's median
});

test("timeline, device and compilations are carried into the report", () => {
  const { report } = recordSampleRun();
  assert.equal(report.device.adapter, "test adapter");
  assert.equal(report.timeline.spans.length, 2);
  assert.equal(report.timeline.dispatches.length, 5);
  assert.deepEqual(report.timeline.dispatches[0], { kernel: "k1", start: 11, dur: 0.0001, callId: 1 });
  assert.equal(report.compilations[0]!.id, "c1");
  assert.equal(report.comparison, null);
});

test("a disabled recorder records nothing and hands out call ids all the same", () => {
  const r = createRecorder(null);
  assert.equal(r.enabled, false);
  r.recordDispatch("k", 1, 0);
  assert.equal(r.nextCallId(), 1);
});

test("a sample that is not a time is dropped instead of poisoning the statistics", () => {
  const { sink } = recordSampleRun();
  sink.write({ e: "dispatch", kernel: "k2", gpuNs: Number.NaN, start: 1 });
  const report = sink.builder.build({ script: FILE, status: "completed", wallMs: 1 });
  assert.equal(report.kernels.find((k) => k.id === "k2")!.gpuTimesNs.length, 2);
});

test("median and break-even calls by hand", () => {
  assert.equal(median([]), 0);
  assert.equal(median([4, 1, 3]), 3);
  // compile 10 ms, eager 3 ms/call, jit 1 ms/call: 10 + n < 3n first at n = 6 (5 ties).
  assert.equal(breakEvenCalls(10, 3, 1), 6);
  assert.equal(breakEvenCalls(10, 1, 1), null);
  assert.equal(breakEvenCalls(0, 2, 1), 1);
});

test("with jit disabled, dispatches and GPU time per call are counted inside the call spans", () => {
  const sink = new MemorySink();
  const r = createRecorder(sink);
  r.registerKernel({ ...eagerKernel, id: "e1" });
  // Two calls of f: [0, 2] ms with dispatches at 0.5 and 1.5 ms, [10, 11] with one at 10.5; one outside.
  r.span("call:f", "call", 0, 2);
  r.span("call:f", "call", 10, 1);
  r.recordDispatch("e1", 100, 0.5);
  r.recordDispatch("e1", 200, 1.5);
  r.recordDispatch("e1", 300, 10.5);
  r.recordDispatch("e1", 200, 20);
  r.functionCall("f", null, null, 2, 0);
  r.functionCall("f", null, null, 1, 0);
  const f = sink.builder.build({ script: FILE, status: "completed", wallMs: 30 }).functions[0]!;
  assert.equal(f.kernelsPerCall, 1.5); // 3 dispatches over 2 calls
  // Each dispatch costs e1's per-dispatch time, 200 ns (mean of 100, 200, 300, 200): calls of
  // 400 and 200 ns, median 300 ns; host parts 2 and 1 ms, median 1.5 ms.
  assert.ok(Math.abs(f.gpuMsPerCall - 300 / 1e6) < 1e-12, String(f.gpuMsPerCall));
  assert.ok(Math.abs(f.cost!.ms - (1.5 + 300 / 1e6)) < 1e-12, String(f.cost!.ms));
  assert.ok(Math.abs(f.cost!.p10 - (1.1 + 220 / 1e6)) < 1e-9, String(f.cost!.p10));
  assert.ok(Math.abs(f.cost!.p90 - (1.9 + 380 / 1e6)) < 1e-9, String(f.cost!.p90));
});

test("a script that prints without end keeps the report bounded, and says so", () => {
  const sink = new MemorySink();
  for (let i = 0; i < CONSOLE_LIMIT + 5; i++)
    sink.write({ e: "console", line: { stream: "stdout", text: `line ${i}`, t: i } });
  const report = sink.builder.build({ script: FILE, status: "completed", wallMs: 1 });
  assert.equal(report.console.length, CONSOLE_LIMIT);
  assert.ok(report.device.notes.includes(`console keeps the first ${CONSOLE_LIMIT} lines (5 more were printed)`));
});
