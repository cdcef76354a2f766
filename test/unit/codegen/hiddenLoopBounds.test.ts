// Small kernels hide their loops' trip counts from the driver (codegen/opaqueTripCount.ts):
// lavapipe unrolled a short constant loop whole and took seconds to compile it. The bound reads
// `N | (arrayLength(&in0) & 0x80000000u)`, which is N at run time, so these kernels must still
// compute what the CPU backend computes; a larger kernel keeps the plain bound.

import { test } from "node:test";
import assert from "node:assert/strict";
import { grad, np } from "../../../runtime/src/index.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { forceRowKernels } from "../../../runtime/src/codegen/subgroupSupport.js";
import { jitOnWebGpuMatchesCpu, webgpuBackendOrSkip } from "../ops/harness.js";

type A = Tracer;
forceRowKernels(true);

const data = (shape: number[], seed: number): A =>
  np.reshape(
    np.array(Float32Array.from({ length: shape.reduce((p, d) => p * d, 1) }, (_, i) => Math.sin(i * 1.7 + seed))),
    shape,
  ) as A;
const hidden = /\d+u \| \(arrayLength\(&in\d+\) & 0x80000000u\)/;
const layerNorm = (x: A): A => {
  const d = np.subtract(x, np.mean(x, -1, { keepdims: true }));
  return np.divide(d, np.sqrt(np.add(np.mean(np.square(d), -1, { keepdims: true }), 1e-5))) as A;
};
const kernelOf = (wgsls: readonly string[], header: RegExp): string => {
  const k = wgsls.find((w) => header.test(w.split("\n")[0]!));
  assert.ok(k, `no kernel whose header matches ${header}: ${wgsls.map((w) => w.split("\n")[0]).join(" | ")}`);
  return k;
};

test("a 16×32 @ 32×32 matmul hides its 8-step K loop's bound and matches the CPU; a 129×32 @ 32×128 one (16,512 outputs) writes `kSteps = 8u`", async (t) => {
  if (!(await webgpuBackendOrSkip(t))) return;
  const mm = (a: A, b: A) => np.matmul(a, b) as A;
  const small = await jitOnWebGpuMatchesCpu("small matmul", mm, () => [data([16, 32], 1), data([32, 32], 2)]);
  assert.match(
    kernelOf(
      small.kernels.map((k) => k.wgsl),
      /matmul/,
    ),
    new RegExp(`let kSteps = ${hidden.source};`),
  );
  const large = await jitOnWebGpuMatchesCpu("large matmul", mm, () => [data([129, 32], 3), data([32, 128], 4)]);
  const wgsl = kernelOf(
    large.kernels.map((k) => k.wgsl),
    /matmul/,
  );
  assert.match(wgsl, /let kSteps = 8u;/);
  assert.doesNotMatch(wgsl, hidden);
});

test("a layer norm's gradient over [16, 32] is a row kernel whose row loops hide their bounds, and matches the CPU; over [256, 128] the loops read plain numbers", async (t) => {
  if (!(await webgpuBackendOrSkip(t))) return;
  const loss = (x: A, w: A) => np.sum(np.multiply(layerNorm(x), w)) as A;
  const g = (x: A, w: A) => grad(loss)(x, w) as A;
  const small = await jitOnWebGpuMatchesCpu("small rows", g, () => [data([16, 32], 5), data([16, 32], 6)], 1e-3);
  const rows = kernelOf(
    small.kernels.map((k) => k.wgsl),
    /row-local/,
  );
  assert.match(rows, new RegExp(`for \\(var jj = 0; jj < i32\\(${hidden.source}\\);`));
  const large = await jitOnWebGpuMatchesCpu("large rows", g, () => [data([256, 128], 7), data([256, 128], 8)], 1e-3);
  const plain = kernelOf(
    large.kernels.map((k) => k.wgsl),
    /row-local/,
  );
  assert.match(plain, /for \(var jj = 0; jj < \d+; jj = jj \+ 1\)/);
  assert.doesNotMatch(plain, hidden);
});
