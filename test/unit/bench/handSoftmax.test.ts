// The bench's hand softmax kernels are its baseline for the row-softmax rows: each variant,
// the online one (a running max, the sum rescaled as it grows) included, must compute a row
// softmax. Checked against a float64 softmax on the host, on rows whose values span ±30 (so a
// sum not rescaled to the final max would be off by e^60) and a row count no workgroup shape
// divides.

import { test } from "node:test";
import assert from "node:assert/strict";
import { rowVariants } from "../../../bench/handSuite.js";
import { storageBuffer } from "../../../bench/handKernels.js";
import { webgpuBackendOrSkip } from "../ops/harness.js";

test("bench hand softmax: every variant, the online one included, matches a float64 softmax of [21, 1024] within 2e-6", async (t) => {
  const gpu = await webgpuBackendOrSkip(t);
  if (!gpu) return;
  const [R, C] = [21, 1024];
  const xs = Float32Array.from({ length: R * C }, (_, i) => (((i * 7919) % 6001) / 100 - 30) * (i % 3 === 0 ? 1 : 0.1));
  const want = new Float64Array(R * C);
  for (let r = 0; r < R; r++) {
    const row = Array.from(xs.subarray(r * C, (r + 1) * C));
    const m = Math.max(...row);
    const s = row.reduce((acc, v) => acc + Math.exp(v - m), 0);
    row.forEach((v, j) => (want[r * C + j] = Math.exp(v - m) / s));
  }
  const kernels = rowVariants(gpu.device, "softmax", storageBuffer(gpu.device, xs), R, C);
  const names = kernels.map((k) => k.name);
  if (gpu.device.features.has("subgroups"))
    assert.ok(
      names.some((n) => n.endsWith(" online")),
      `an online variant among ${names.join(", ")}`,
    );
  for (const k of kernels) {
    k.submit();
    const got = await k.read();
    let worst = 0;
    got.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - want[i]!))));
    assert.ok(worst <= 2e-6, `${k.name}: largest difference ${worst}`);
  }
});
