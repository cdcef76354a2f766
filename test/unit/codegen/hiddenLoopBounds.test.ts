// Small matmul, row and conv kernels hide their loops' trip counts from the driver
// (codegen/opaqueTripCount.ts): lavapipe unrolled a short constant loop whole and took seconds
// to compile it. The bound reads `N | (arrayLength(&out0) & 0x80000000u)`, which is N at run
// time, so these kernels must still compute what the CPU backend computes; a larger kernel keeps
// the plain bound.

import { test } from "node:test";
import assert from "node:assert/strict";
import { grad, lax, np } from "../../../runtime/src/index.js";
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
const hidden = /\d+u \| \(arrayLength\(&out0\) & 0x80000000u\)/;
const layerNorm = (x: A): A => {
  const d = np.subtract(x, np.mean(x, -1, { keepdims: true }));
  return np.divide(d, np.sqrt(np.add(np.mean(np.square(d), -1, { keepdims: true }), 1e-5))) as A;
};
const kernelOf = (wgsls: readonly string[], header: RegExp): string => {
  const k = wgsls.find((w) => header.test(w.split("\n")[0]!));
  assert.ok(k, `no kernel whose header matches ${header}: ${wgsls.map((w) => w.split("\n")[0]).join(" | ")}`);
  return k;
};

test("a 16×32 @ 32×32 matmul hides its 8-step K loop's bound and matches the CPU; a 512×32 @ 32×128 one (2^21 multiply-adds) writes `kSteps = 8u`", async (t) => {
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
  const large = await jitOnWebGpuMatchesCpu("large matmul", mm, () => [data([512, 32], 3), data([32, 128], 4)]);
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

test("a layer norm's gradient over [16, 30] (scalar rows, nothing held in registers) hides its row loops' end and matches the CPU; over [256, 130] the end is a plain number", async (t) => {
  if (!(await webgpuBackendOrSkip(t))) return;
  const loss = (x: A, w: A) => np.sum(np.multiply(layerNorm(x), w)) as A;
  const g = (x: A, w: A) => grad(loss)(x, w) as A;
  const small = await jitOnWebGpuMatchesCpu(
    "small scalar rows",
    g,
    () => [data([16, 30], 13), data([16, 30], 14)],
    1e-3,
  );
  const rows = kernelOf(
    small.kernels.map((k) => k.wgsl),
    /row-local/,
  );
  assert.match(rows, new RegExp(`for \\(var j = lane; j < i32\\(${hidden.source}\\);`));
  const large = await jitOnWebGpuMatchesCpu(
    "large scalar rows",
    g,
    () => [data([256, 130], 15), data([256, 130], 16)],
    1e-3,
  );
  const plain = kernelOf(
    large.kernels.map((k) => k.wgsl),
    /row-local/,
  );
  assert.match(plain, /for \(var j = lane; j < 130; j = j \+ \d+\)/);
  assert.doesNotMatch(plain, hidden);
});

test("a 3×3 conv of 8 features over [2,8,8,8] hides its feature loop's bound and matches the CPU; over [8,32,32,8] (4.7M multiply-adds) the loop reads `ci < 8`", async (t) => {
  if (!(await webgpuBackendOrSkip(t))) return;
  const conv = (x: A, w: A) =>
    lax.conv_general_dilated(x, w, [1, 1], "SAME", { dimension_numbers: ["NHWC", "HWIO", "NHWC"] }) as A;
  const small = await jitOnWebGpuMatchesCpu("small conv", conv, () => [data([2, 8, 8, 8], 9), data([3, 3, 8, 8], 10)]);
  const k = kernelOf(
    small.kernels.map((x) => x.wgsl),
    /conv/,
  );
  assert.match(k, new RegExp(`for \\(var ci = 0; ci < i32\\(${hidden.source}\\);`));
  const large = await jitOnWebGpuMatchesCpu(
    "large conv",
    conv,
    () => [data([8, 32, 32, 8], 11), data([3, 3, 8, 8], 12)],
    1e-3,
  );
  const plain = kernelOf(
    large.kernels.map((x) => x.wgsl),
    /conv/,
  );
  assert.match(plain, /for \(var ci = 0; ci < 8; ci = ci \+ 1\)/);
  assert.doesNotMatch(plain, hidden);
});
