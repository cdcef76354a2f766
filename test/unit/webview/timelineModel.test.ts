import { test } from "node:test";
import assert from "node:assert/strict";
import { DRIVER_LANE, GPU_LANE, timelineModel, visibleItems } from "../../../webview/src/model/timelineModel.js";
import { mlpReport } from "./fixtures.js";

const model = timelineModel(mlpReport());

test("host spans get a lane per category and kernels the GPU lane, named after their kernel", () => {
  assert.deepEqual(model.lanes, ["call", "trace", "compile", "pipeline", "encode", "submit", GPU_LANE]);
  const gpu = model.items.filter((i) => i.lane === GPU_LANE);
  assert.equal(gpu.length, 15);
  assert.equal(gpu[0]!.label, "matmul_tanh_0");
  assert.equal(gpu[0]!.callId, 0);
});

test("the time extent covers the first span to the last kernel, padded by 2%", () => {
  // First: trace at 1 ms. Last: call 4's host span, 6 + 4 × 0.6 + 0.45 = 8.85 (its last kernel ends at 8.669).
  const lo = 1;
  const hi = 8.85;
  const pad = (hi - lo) * 0.02;
  assert.ok(Math.abs(model.extent[0] - (lo - pad)) < 1e-9);
  assert.ok(Math.abs(model.extent[1] - (hi + pad)) < 1e-9);
});

test("zooming in keeps only the items overlapping the visible range", () => {
  const inCall0 = visibleItems(model.items, 6.0, 6.3);
  assert.deepEqual(
    inCall0.filter((i) => i.lane === GPU_LANE).map((i) => i.kernel),
    ["k0", "k1", "k2"],
  );
  assert.ok(inCall0.every((i) => i.start <= 6.3 && i.start + i.dur >= 6.0));
  assert.equal(visibleItems(model.items, 100, 200).length, 0);
});

test("a driver compile gets the driver lane, just above the GPU's, labelled as the compile of its kernel", () => {
  const r = mlpReport();
  const first = r.timeline.dispatches[0]!;
  r.timeline.dispatches.unshift({ kernel: first.kernel, start: first.start - 2, dur: 1.8, compile: true });
  const m = timelineModel(r);
  assert.deepEqual(m.lanes.slice(-2), [DRIVER_LANE, GPU_LANE]);
  const driver = m.items.filter((i) => i.lane === DRIVER_LANE);
  assert.deepEqual(
    driver.map((i) => [i.label, i.dur, i.kernel]),
    [["compile matmul_tanh_0 (the driver, at its first dispatch)", 1.8, first.kernel]],
  );
  assert.equal(m.items.filter((i) => i.lane === GPU_LANE).length, 15, "the kernels' runs are unchanged");
});
