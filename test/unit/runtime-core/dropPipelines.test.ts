// Fresh pipelines on demand, as the bench draws them each run (bench/measure.ts redraw): after
// WebGpuBackend.dropPipelines() a jitted call compiles its kernel again and still computes the
// same result; a hand kernel's redraw() gives a new pipeline that writes the same output.
import { test } from "node:test";
import assert from "node:assert/strict";
import { jit, np } from "../../../runtime/src/index.js";
import { handKernel, storageBuffer } from "../../../bench/handKernels.js";
import { assertClose, onBackend, webgpuBackendOrSkip } from "../ops/harness.js";

const A = Float32Array.from({ length: 64 * 32 }, (_, i) => ((i * 37) % 19) / 19 - 0.5);
const B = Float32Array.from({ length: 32 * 16 }, (_, i) => ((i * 11) % 23) / 23 - 0.5);

test("dropPipelines: the next jitted matmul compiles a new pipeline (0 → 1 cached) and matches the CPU", async (t) => {
  const gpu = await webgpuBackendOrSkip(t);
  if (!gpu) return;
  const f = (a: np.ArrayLike, b: np.ArrayLike) => np.tanh(np.matmul(a, b));
  const args = () => [np.reshape(np.array(A), [64, 32]), np.reshape(np.array(B), [32, 16])] as const;
  const want = Array.from(await onBackend("cpu", () => f(...args())).data());
  const g = jit(f);
  const first = Array.from(await onBackend("webgpu", () => g(...args())).data());
  assertClose(first, want, "float32", 1e-4, 1e-4, "before the drop");
  assert.ok(gpu.stats().pipelines >= 1, "the first call compiled its kernel");
  gpu.dropPipelines();
  assert.equal(gpu.stats().pipelines, 0, "no pipeline cached after the drop");
  const again = Array.from(await onBackend("webgpu", () => g(...args())).data());
  assertClose(again, want, "float32", 1e-4, 1e-4, "after the drop");
  assert.equal(gpu.stats().pipelines, 1, "the call compiled its one kernel again");
});

test("HandKernel.redraw: the vec4 copy on a new pipeline writes 1.5·x again, into the same output buffer", async (t) => {
  const gpu = await webgpuBackendOrSkip(t);
  if (!gpu) return;
  const n = 4096;
  const x = Float32Array.from({ length: n }, (_, i) => (i % 13) - 6);
  const k = handKernel(gpu.device, "scale_copy.wgsl", [storageBuffer(gpu.device, x)], n * 4, [n / 4 / 64, 1, 1], {
    WG: 64,
    PER: 1,
  });
  const output = k.output;
  k.submit();
  assert.deepEqual(
    Array.from(await k.read()),
    Array.from(x, (v) => v * 1.5),
  );
  // Clear the output, redraw, and run again: the new pipeline must write it all back.
  gpu.device.queue.writeBuffer(output, 0, new Float32Array(n));
  k.redraw();
  k.submit();
  assert.equal(k.output, output);
  assert.deepEqual(
    Array.from(await k.read()),
    Array.from(x, (v) => v * 1.5),
  );
});
