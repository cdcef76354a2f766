// On WebGPU (lavapipe in CI), a real run through the profiler: results checked by hand, then the
// numbers a user reads. Injected outliers leave Σ kernel totals within the wall time and are
// flagged; the timestamp tick is read off the samples; GPU slices never overlap on the timeline.
import "./timeEveryDispatch.js";
import { live } from "./builderRecorder.js";
import { test } from "node:test";
import assert from "node:assert/strict";
import { np, jit, config } from "../../../runtime/src/index.js";
import { webgpuOrSkip } from "../ops/harness.js";

test("on WebGPU: Σ kernel totals ≤ wall time with injected outliers, the tick read off the samples, GPU slices never overlap", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const prev = config({ backend: "webgpu" });
  const t0 = performance.now();
  try {
    const step = jit(function step(x: ReturnType<typeof np.ones>) {
      return np.add(np.multiply(x, 2), 1);
    });
    let x = np.ones([4096]);
    for (let i = 0; i < 40; i++) {
      x = step(np.multiply(x, 0.5)); // eager multiply, then the jitted step: x → x + 1
      if (i % 10 === 9) await x.blockUntilReady();
    }
    // 1 → 2 → … : x_{n+1} = x_n + 1, so after 40 steps every element is 41.
    const data = await x.data();
    assert.equal(data.length, 4096);
    assert.ok(
      data.every((v) => v === 41),
      `expected 41 everywhere, got ${data[0]}`,
    );
  } finally {
    config(prev);
  }
  // Let the last timestamps land (they resolve after the readback).
  let before = -1;
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 50));
    const n = live.builder
      .build({ script: "x", status: "completed", wallMs: 1 })
      .kernels.reduce((a, k) => a + k.gpuTimesNs.length, 0);
    if (n === before) break;
    before = n;
  }
  const wallMs = performance.now() - t0;
  // Inject outliers: three stalled 1.3 s samples of the busiest kernel.
  const clean = live.builder.build({ script: "x", status: "completed", wallMs });
  const busiest = [...clean.kernels].sort((a, b) => b.dispatches - a.dispatches)[0]!;
  for (let i = 0; i < 3; i++)
    live.write({ e: "dispatch", kernel: busiest.id, gpuNs: 1_313_000_000, start: wallMs + i });
  const report = live.builder.build({ script: "x", status: "completed", wallMs });

  const sum = report.kernels.reduce((a, k) => a + k.totalNs, 0);
  assert.ok(sum / 1e6 <= wallMs, `Σ totals ${(sum / 1e6).toFixed(1)} ms > wall ${wallMs.toFixed(1)} ms`);
  const k = report.kernels.find((x) => x.id === busiest.id)!;
  const injected = k.gpuTimesNs.map((v, i) => (v === 1_313_000_000 ? i : -1)).filter((i) => i >= 0);
  assert.ok(
    injected.every((i) => k.outliers!.includes(i)),
    `the three injected samples are flagged: ${JSON.stringify(k.gpuTimesNs)} → ${JSON.stringify(k.outliers)}`,
  );
  assert.equal(k.gpuTimesNs.filter((v) => v === 1_313_000_000).length, 3, "and kept in the samples");
  assert.ok(k.p10Ns! <= k.medianNs && k.medianNs <= k.p90Ns!);

  if (report.device.timestampQuery) {
    const tick = report.device.timestampTickNs;
    assert.ok(tick !== undefined && tick > 0, "the tick is read off the samples");
    // Dawn's 65.5 µs rounding is off (backend/webgpuDevice.ts): the device's own resolution shows.
    assert.ok(tick < 65_536, `a tick finer than Dawn's quantization: ${tick} ns`);
    for (const kk of report.kernels)
      for (const v of kk.gpuTimesNs) assert.equal(v % tick!, 0, `${v} is a whole number of ${tick} ns ticks`);
  }
  const ds = [...report.timeline.dispatches].sort((a, b) => a.start - b.start);
  assert.ok(ds.length >= 80, `every dispatch is on the timeline (${ds.length})`);
  for (let i = 1; i < ds.length; i++) {
    assert.ok(ds[i - 1]!.start + ds[i - 1]!.dur <= ds[i]!.start + 1e-9, `GPU slices ${i - 1} and ${i} overlap`);
  }
});
