// Every kernel classified against the calibrated peaks and every fusion boundary priced, as the
// report builder assembles them; the one formatter each view reads them with; the fuse pass's
// boundary bytes (written + read back = 2 × the tensor).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ablationText,
  boundaryCostText,
  boundText,
  peaksText,
  type Compilation,
  type DevicePeaks,
} from "@jitscope/contract";
import { np, config } from "../../../runtime/src/index.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { createRecorder, MemorySink } from "../../../runtime/src/profile/recorder.js";
import { formatSummary } from "../../../runtime/src/cli/summary.js";
import { renderHtmlReport } from "../../../runtime/src/profile/html.js";
import { compilation, eagerKernel, FILE, fusedKernel } from "../profile/sampleRun.js";

config({ backend: "cpu" });

// 10 GB/s = 10^7 bytes per ms; 20 GFLOP/s; an empty dispatch 50 µs.
const PEAKS: DevicePeaks = {
  gbPerS: 10,
  gflopPerS: 20,
  dispatchUs: 50,
  timestampTickNs: 1000,
  source: "cache",
  measuredAt: "2026-11-30T06:00:00.000Z",
};

/** A copy kernel of 4 MB in + 4 MB out taking 2 ms (memory bound at 0.4), a tiny add taking
 *  100 µs (latency bound at 0.5), a kernel never timed, and one boundary of a 4 MB tensor. */
function run(peaks: DevicePeaks | undefined) {
  const sink = new MemorySink();
  const r = createRecorder(sink);
  r.setDeviceInfo({
    backend: "webgpu",
    adapter: "test adapter",
    timestampQuery: true,
    notes: [],
    ...(peaks ? { peaks } : {}),
  });
  const copy = { ...fusedKernel, bytesRead: 4e6, bytesWritten: 4e6, flops: 0 };
  const tiny = { ...eagerKernel, bytesRead: 32, bytesWritten: 16, flops: 4 };
  const idle = { ...eagerKernel, id: "k9", name: "never_timed" };
  for (const k of [copy, tiny, idle]) r.registerKernel(k);
  const c: Compilation = {
    ...compilation,
    fusion: {
      ...compilation.fusion,
      boundaries: [
        {
          from: "n1",
          to: "n2",
          fromKernel: "k1",
          toKernel: "k2",
          rule: "output",
          reason: "written to memory",
          bytes: 8e6,
        },
      ],
    },
  };
  r.registerCompilation(c);
  for (let i = 0; i < 3; i++) {
    r.recordDispatch("k1", 2e6, i);
    r.recordDispatch("k2", 100e3, i + 0.5);
  }
  r.recordDispatch("k9", null, 4);
  return sink.builder.build({ script: FILE, status: "completed", wallMs: 100 });
}

test("with calibrated peaks, each timed kernel gets its bound and efficiency, each boundary its cost per call", () => {
  const report = run(PEAKS);
  const by = new Map(report.kernels.map((k) => [k.id, k]));
  assert.equal(by.get("k1")!.bound, "memory");
  assert.equal(by.get("k1")!.efficiency, 0.4); // 8e6 B at 10^7 B/ms = 0.8 ms floor over 2 ms
  assert.equal(by.get("k2")!.bound, "latency");
  assert.equal(by.get("k2")!.efficiency, 0.5); // 50 µs floor over 100 µs
  assert.equal(by.get("k9")!.bound, undefined, "a kernel with no time is not classified");
  const b = report.compilations[0]!.fusion.boundaries[0]!;
  assert.equal(b.bytes, 8e6);
  assert.equal(b.costMs, 0.8);
  // The hover's line entry carries the same bytes and cost.
  const unfused = report.lines[`${FILE}:4`]!.unfused;
  assert.deepEqual(unfused, [{ op: "exp", reason: "written to memory", bytes: 8e6, costMs: 0.8 }]);
  assert.equal(report.device.peaks?.gbPerS, 10);
});

test("without peaks (CPU backend, no timestamps) kernels are not classified and boundaries keep only bytes", () => {
  const report = run(undefined);
  assert.ok(report.kernels.every((k) => k.bound === undefined && k.efficiency === undefined));
  const b = report.compilations[0]!.fusion.boundaries[0]!;
  assert.equal(b.bytes, 8e6);
  assert.equal(b.costMs, undefined);
});

test("bound, boundary cost, peaks and ablation read one way", () => {
  assert.equal(boundText({ bound: "memory", efficiency: 0.62 }), "memory-bound · 62% of peak");
  assert.equal(boundText({ bound: "latency", efficiency: 0.031 }), "latency-bound · 3.1% of peak");
  assert.equal(boundText({}), "");
  assert.equal(
    boundaryCostText({ bytes: 2 * 1024 * 1024, costMs: 0.3125 }),
    "2.00 MiB written and read back · 313 µs per call",
  );
  assert.equal(boundaryCostText({ bytes: 512 }), "512 B written and read back");
  assert.equal(boundaryCostText({}), "");
  assert.equal(
    peaksText({ backend: "webgpu", timestampQuery: true, peaks: PEAKS }),
    "peaks (calibration cache, measured 2026-11-30T06:00:00.000Z): 10.0 GB/s · 20.0 GFLOP/s · empty dispatch 50.0 µs · timestamp tick 1.00 µs",
  );
  assert.equal(
    peaksText({ backend: "cpu", timestampQuery: false }),
    "no peaks: the CPU backend is not calibrated, kernels are not classified",
  );
  const f = { name: "step", location: null, dispatchesWith: 4, dispatchesWithout: 30, msWith: 1.2, msWithout: 4.3 };
  assert.equal(ablationText("fuse", f), "fuse: −26 dispatches, −3.10 ms per call");
  assert.equal(
    ablationText("cse", { ...f, dispatchesWithout: 4, msWithout: 1.2 }),
    "cse: ±0 dispatches, ±0 ns per call",
  );
});

test("the CLI summary and the HTML page show each kernel's bound and each boundary's cost", () => {
  const report = run(PEAKS);
  const summary = formatSummary(report);
  assert.match(summary, /^peaks \(calibration cache, measured 2026-11-30T06:00:00\.000Z\): 10\.0 GB\/s/m);
  const row = summary.split("\n").find((l) => l.startsWith("fused_exp_sum_1 "))!;
  assert.match(row, /memory-bound · 40% of peak/);
  assert.match(
    summary.split("\n").find((l) => l.startsWith("eager_add "))!,
    /latency-bound · 50% of peak/,
  );
  assert.match(summary, /not fused: fusion boundaries, costliest first/);
  assert.match(
    summary,
    /step\s+fused_exp_sum_1 → eager_add\s+written to memory\s+7\.63 MiB written and read back · 800 µs per call/,
  );
  const html = renderHtmlReport(report, null);
  assert.match(html, /<td>memory-bound · 40% of peak<\/td>/);
  assert.match(html, /<td>7\.63 MiB written and read back · 800 µs per call<\/td>/);
  assert.match(html, /<p id="peaks">peaks \(calibration cache/);
  const cpu = formatSummary({ ...run(undefined), device: { ...report.device, backend: "cpu", peaks: undefined } });
  assert.match(cpu, /^no peaks: the CPU backend is not calibrated, kernels are not classified$/m);
});

test("the fuse pass records each boundary's bytes: the tensor written and read back, 2 × its size", async () => {
  // Softmax down the columns of [32, 64] (a row softmax is one row-local kernel): each reduction
  // result (64 floats = 256 B) crosses into the next kernel, written once and read back once.
  const colSoftmax = (x: np.ArrayLike) => {
    const e = np.exp(np.subtract(x, np.max(x, 0, { keepdims: true })));
    return np.divide(e, np.sum(e, 0, { keepdims: true }));
  };
  const lo = await jit(colSoftmax).lower(np.ones([32, 64]));
  assert.equal(lo.kernels.length, 3);
  assert.ok(lo.fusion.boundaries.length >= 2);
  for (const b of lo.fusion.boundaries) assert.equal(b.bytes, 2 * 64 * 4, `${b.from} → ${b.to}`);
});
