// The timeline on the GPU's own clock: timed slices where the GPU ran them (offset calibrated on
// enqueue times), never overlapping on the queue, untimed ones between their timed neighbours and
// marked estimated; the Chrome trace with every track properly nested.

import { test } from "node:test";
import assert from "node:assert/strict";
import { hostLanes, toChromeTrace, GPU_TID, type TraceEvent } from "@jitscope/contract";
import { placeOnGpuClock, type QueuedDispatch } from "../../../runtime/src/profile/gpuClock.js";
import { createRecorder, MemorySink } from "../../../runtime/src/profile/recorder.js";
import type { KernelDispatch } from "@jitscope/contract";
import { eagerKernel, FILE, fusedKernel } from "./sampleRun.js";

function assertNoOverlap(ds: readonly KernelDispatch[]): void {
  const sorted = [...ds].sort((a, b) => a.start - b.start);
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    assert.ok(
      a.start + a.dur <= b.start + 1e-9,
      `slice ${i - 1} [${a.start}, ${a.start + a.dur}] overlaps slice ${i} at ${b.start}`,
    );
  }
}

test("timed slices go where the GPU ran them: offset = max(enqueue − GPU start), queue order kept", () => {
  // Three dispatches enqueued within 0.2 ms; the GPU ran them 2 ms each, back to back from its t=5.
  const q: QueuedDispatch[] = [
    { kernel: "a", start: 0, dur: 2, gpuT: 5, epoch: 0 },
    { kernel: "b", start: 0.1, dur: 2, gpuT: 7, epoch: 0 },
    { kernel: "c", start: 0.2, dur: 2, gpuT: 9, epoch: 0 },
  ];
  const placed = placeOnGpuClock(q, () => 0);
  // Offset −5 (the first found the queue idle): slices at 0, 2, 4, not at their enqueue times.
  assert.deepEqual(
    placed.map((d) => [d.start, d.dur]),
    [
      [0, 2],
      [2, 2],
      [4, 2],
    ],
  );
  assertNoOverlap(placed);
});

test("an untimed dispatch is placed between its timed neighbours, marked estimated; a run too long for the gap is squeezed into it", () => {
  const q: QueuedDispatch[] = [
    { kernel: "a", start: 0, dur: 2, gpuT: 10, epoch: 0 },
    { kernel: "u", start: 0.05, dur: 0, estimated: true, epoch: 0 },
    { kernel: "b", start: 0.1, dur: 1, gpuT: 13, epoch: 0 },
    { kernel: "u", start: 0.15, dur: 0, estimated: true, epoch: 0 },
    { kernel: "u", start: 0.16, dur: 0, estimated: true, epoch: 0 },
    { kernel: "u", start: 0.17, dur: 0, estimated: true, epoch: 0 },
    { kernel: "c", start: 0.2, dur: 1, gpuT: 15, epoch: 0 },
  ];
  const placed = placeOnGpuClock(q, (k) => (k === "u" ? 0.5 : 0));
  assert.deepEqual(placed[1], { kernel: "u", start: 2, dur: 0.5, estimated: true });
  assert.deepEqual([placed[2]!.start, placed[6]!.start], [3, 5]);
  // Three of 0.5 ms in the 1 ms between b's end (4) and c's start (5): a third of a ms each.
  for (const [k, at] of [
    [3, 4],
    [4, 4 + 1 / 3],
    [5, 4 + 2 / 3],
  ] as const) {
    assert.ok(
      Math.abs(placed[k]!.start - at) < 1e-9 && Math.abs(placed[k]!.dur - 1 / 3) < 1e-9 && placed[k]!.estimated,
      JSON.stringify(placed[k]),
    );
  }
  assertNoOverlap(placed);
});

test("GPU slices never overlap, on random queues of timed and untimed dispatches over several runs", () => {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let trial = 0; trial < 200; trial++) {
    const q: QueuedDispatch[] = [];
    let host = 0;
    let gpu = rnd() * 10;
    for (let i = 0; i < 40; i++) {
      host += rnd() * 0.3;
      const dur = rnd() * 1.5;
      gpu = Math.max(gpu, host + 3) + rnd() * 0.2; // the GPU runs behind the host, in order
      const timed = rnd() < 0.6;
      q.push(
        timed
          ? { kernel: `k${i % 3}`, start: host, dur, gpuT: gpu - 3 + 1000, epoch: Math.floor(i / 20) }
          : { kernel: `k${i % 3}`, start: host, dur: 0, estimated: true, epoch: Math.floor(i / 20) },
      );
      gpu += dur;
    }
    const placed = placeOnGpuClock(q, () => rnd() * 2);
    assert.equal(placed.length, q.length);
    assertNoOverlap(placed);
    placed.forEach((d, i) => assert.equal(d.estimated === true, q[i]!.estimated === true));
  }
});

test("a recorded run's timeline sits on the GPU clock: samples with GPU starts land there, no overlaps", () => {
  const sink = new MemorySink();
  const r = createRecorder(sink);
  r.setDeviceInfo({ backend: "webgpu", adapter: "test adapter", timestampQuery: true, notes: [] });
  r.registerKernel(fusedKernel);
  r.registerKernel(eagerKernel);
  // Enqueued at 1, 1.01, 1.02 ms; GPU (its clock at 50 ms when the first began) ran 0.4 ms each.
  r.recordDispatch("k1", null, 1);
  r.recordDispatch("k2", null, 1.01);
  r.recordDispatch("k1", null, 1.02);
  r.recordSample("k1", 400_000, 1, 50_000_000);
  r.recordSample("k2", 400_000, 1.01, 50_400_000);
  r.recordSample("k1", 400_000, 1.02, 50_800_000);
  const report = sink.builder.build({ script: FILE, status: "completed", wallMs: 5 });
  const starts = report.timeline.dispatches.map((d) => Math.round(d.start * 1000) / 1000);
  assert.deepEqual(starts, [1, 1.4, 1.8]);
  assertNoOverlap(report.timeline.dispatches);
});

/** Every track's X slices nest or follow one another (what Perfetto needs to draw them). */
function assertNested(events: readonly TraceEvent[]): void {
  const byTid = new Map<number, TraceEvent[]>();
  for (const e of events) if (e.ph === "X") (byTid.get(e.tid) ?? byTid.set(e.tid, []).get(e.tid)!).push(e);
  for (const [tid, xs] of byTid) {
    xs.sort((a, b) => a.ts! - b.ts! || b.dur! - a.dur!);
    const open: number[] = [];
    for (const x of xs) {
      while (open.length && open[open.length - 1]! <= x.ts!) open.pop();
      const top = open[open.length - 1];
      assert.ok(
        top === undefined || x.ts! + x.dur! <= top + 1e-6,
        `tid ${tid}: ${x.name} [${x.ts}, ${x.ts! + x.dur!}] straddles a slice ending at ${top}`,
      );
      open.push(x.ts! + x.dur!);
    }
  }
}

test("the Chrome trace has no mis-nested slices: a span straddling another goes to a second host lane", () => {
  const spans = [
    { name: "call:step", cat: "call" as const, start: 0, dur: 10 },
    { name: "encode", cat: "encode" as const, start: 1, dur: 2 },
    { name: "readback", cat: "readback" as const, start: 8, dur: 5 }, // straddles the call's end
    { name: "call:step", cat: "call" as const, start: 12, dur: 3 },
  ];
  assert.deepEqual(hostLanes(spans), [0, 0, 1, 0]);
  const sink = new MemorySink();
  const r = createRecorder(sink);
  r.registerKernel(fusedKernel);
  for (const s of spans) r.span(s.name, s.cat, s.start, s.dur);
  r.recordDispatch("k1", null, 1);
  r.recordDispatch("k1", null, 1.5);
  r.recordSample("k1", 3_000_000, 1, 0);
  const report = sink.builder.build({ script: FILE, status: "completed", wallMs: 20 });
  const trace = toChromeTrace(report);
  assertNested(trace.traceEvents);
  const gpu = trace.traceEvents.filter((e) => e.ph === "X" && e.tid === GPU_TID);
  assert.equal(gpu.length, 2);
  assert.ok(gpu[1]!.args!.estimated, "the untimed dispatch is marked estimated in the trace");
});
