// The Roofline and Memory views' models, DOM-free, on small reports with hand-computed values.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Compilation, KernelReport, MemoryBuffer, Report } from "@jitscope/contract";
import { attainable, rooflineModel } from "../../../webview/src/model/rooflineModel.js";
import { lifetimeText, memoryLayout, writtenAtText } from "../../../webview/src/model/memoryModel.js";
import { visibleLiveBytes } from "../../../webview/src/model/timelineModel.js";
import { mlpReport } from "./fixtures.js";

function withKernels(parts: Partial<KernelReport>[]): Report {
  const r = mlpReport();
  const base = r.kernels[0]!;
  r.kernels = parts.map((p, i) => ({ ...base, id: `k${i}`, name: `k${i}`, ...p }));
  r.totalGpuNs = r.kernels.reduce((s, k) => s + k.totalNs, 0);
  r.device.peaks = {
    gbPerS: 10,
    gflopPerS: 20,
    dispatchUs: 5,
    timestampTickNs: 1,
    source: "measured",
    measuredAt: "t",
  };
  return r;
}

const THREE = [
  { flops: 1000, bytesRead: 400, bytesWritten: 100, totalNs: 2000, medianNs: 1000, gflopPerS: 1 },
  { flops: 0, bytesRead: 400, bytesWritten: 400, totalNs: 500, medianNs: 250, gflopPerS: 0 },
  { flops: 10, bytesRead: 4, bytesWritten: 4, totalNs: 0, medianNs: 0, gflopPerS: 0 },
];

test("roofline model: kernels with flops at flops/bytes, those without in the band, untimed ones counted, roofs from the peaks", () => {
  const m = rooflineModel(withKernels(THREE));
  assert.deepEqual(
    m.points.map((p) => [p.id, p.intensity, p.gflopPerS, p.share]),
    [["k0", 2, 1, 0.8]],
  );
  assert.deepEqual(
    m.band.map((p) => [p.id, p.intensity, p.share]),
    [["k1", null, 0.2]],
  );
  assert.equal(m.untimed, 1);
  assert.deepEqual(m.roofs, { gbPerS: 10, gflopPerS: 20, ridge: 2 });
  // x: the decades around 2 (the kernel and the ridge); y: around 1 and the 20 GFLOP/s ceiling.
  assert.deepEqual(m.x, [1, 10]);
  assert.deepEqual(m.y, [0.1, 100]);
  assert.equal(attainable(m.roofs!, 1), 10);
  assert.equal(attainable(m.roofs!, 4), 20);
});

test("roofline model without peaks (an old or CPU report): no roofs, the same dots", () => {
  const r = withKernels(THREE);
  delete r.device.peaks;
  const m = rooflineModel(r);
  assert.equal(m.roofs, null);
  assert.equal(m.points.length, 1);
  assert.deepEqual(m.x, [1, 10]);
  assert.deepEqual(m.y, [0.1, 10]);
});

const buf = (id: string, kind: MemoryBuffer["kind"], bytes: number, start: number, end: number): MemoryBuffer => ({
  id,
  kind,
  bytes,
  start,
  end,
  label: id,
  location: null,
});

test("memory layout: columns stack the live buffers, bars split where a buffer below is freed, the peak's buffers largest first", () => {
  const c: Compilation = {
    ...mlpReport().compilations[0]!,
    memory: {
      steps: 3,
      peakBytes: 180,
      peakStep: 1,
      buffers: [
        buf("out", "output", 10, 2, 2),
        buf("b", "intermediate", 30, 1, 2),
        buf("in0", "input", 100, 0, 2),
        buf("a", "intermediate", 50, 0, 1),
      ],
    },
  };
  const l = memoryLayout(c, new Map([["k0", "matmul_tanh_0"]]))!;
  assert.deepEqual(
    l.buffers.map((b) => b.id),
    ["in0", "a", "b", "out"],
  );
  assert.deepEqual(l.liveBytes, [150, 180, 140]);
  assert.deepEqual(
    l.segments.map((s) => [l.buffers[s.buffer]!.id, s.from, s.to, s.offset]),
    [
      ["in0", 0, 2, 0],
      ["a", 0, 1, 100],
      ["b", 1, 1, 150],
      ["b", 2, 2, 100],
      ["out", 2, 2, 130],
    ],
  );
  assert.deepEqual(
    l.atPeak.map((i) => l.buffers[i]!.id),
    ["in0", "a", "b"],
  );
  assert.equal(lifetimeText(l.buffers[0]!, 3), "the whole call");
  assert.equal(lifetimeText(l.buffers[1]!, 3), "steps 0–1");
  assert.equal(lifetimeText(l.buffers[3]!, 3), "step 2");
});

test("a buffer with no line reads as a captured constant or an argument of the call, by its kind", () => {
  const base = { id: "b", label: "b", bytes: 4, start: 0, end: 1, location: null };
  assert.equal(writtenAtText({ ...base, kind: "constant" }), "a constant the function captured");
  assert.equal(writtenAtText({ ...base, kind: "input" }), "argument of the call");
  assert.equal(
    writtenAtText({ ...base, kind: "intermediate", location: { file: "/w/gru.ts", line: 25, column: 3 } }),
    "gru.ts:25",
  );
});

test("a report without a memory plan has no layout", () => {
  const c = { ...mlpReport().compilations[0]! };
  delete c.memory;
  assert.equal(memoryLayout(c, new Map()), null);
});

test("the live-bytes lane draws the samples in view and the one before, whose value holds at its left edge", () => {
  const s = [10, 20, 30, 40, 50].map((t) => ({ t, bytes: t * 2 }));
  assert.deepEqual(
    visibleLiveBytes(s, 25, 41).map((x) => x.t),
    [20, 30, 40, 50],
  );
  assert.deepEqual(
    visibleLiveBytes(s, 0, 5).map((x) => x.t),
    [10],
  );
});
