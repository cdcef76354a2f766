// Profiled eager ops on WebGPU keep their call sites through the hot-path caches (locations
// cached per position, report ids per call site and kernel): the same kernel called from two
// lines is two report kernels, each at its own line, and a loop body's line counts every pass.
import { live } from "./builderRecorder.js";
import { test } from "node:test";
import assert from "node:assert/strict";
import { np, config } from "../../../runtime/src/index.js";
import { userFrameOfCapture } from "../../../runtime/src/ir/location.js";
import { webgpuOrSkip } from "../ops/harness.js";

function lineHere(): number {
  const holder = {};
  Error.captureStackTrace(holder, lineHere);
  return userFrameOfCapture(holder)!.line;
}

test("on WebGPU: one kernel from two lines is two eager kernels at their own lines; the loop body lines count 7 and 4 dispatches", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const prev = config({ backend: "webgpu" });
  let lineA = 0;
  let lineB = 0;
  try {
    let x = np.ones([1000]);
    for (let i = 0; i < 7; i++) {
      [x, lineA] = [np.multiply(x, 1.5), lineHere()];
      if (i % 2 === 0) [x, lineB] = [np.multiply(x, 1.5), lineHere()];
    }
    // 1.5^(7 + 4) everywhere: both lines ran the same kernel on the same data.
    const data = await x.data();
    assert.ok(
      data.every((v) => Math.abs(v - 1.5 ** 11) < 1e-3),
      `${data[0]}`,
    );
  } finally {
    config(prev);
  }
  assert.equal(lineB, lineA + 1);
  const report = live.builder.build({ script: "x", status: "completed", wallMs: performance.now() });
  const muls = report.kernels.filter(
    (k) => k.name === "eager_mul" && k.locations[0]?.file.endsWith("eagerCallSites.test.ts"),
  );
  const byLine = new Map(muls.map((k) => [k.locations[0]!.line, k]));
  assert.equal(muls.length, 2, muls.map((k) => k.id).join(", "));
  assert.equal(byLine.get(lineA)?.dispatches, 7);
  assert.equal(byLine.get(lineB)?.dispatches, 4);
  assert.notEqual(byLine.get(lineA)!.id, byLine.get(lineB)!.id);
  assert.equal(byLine.get(lineA)!.wgsl, byLine.get(lineB)!.wgsl);
});
