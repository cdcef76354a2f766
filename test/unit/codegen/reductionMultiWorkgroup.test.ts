// Whole-array reductions on many workgroups (issue 16): a sum/max/min of at least 32768 elements
// to one value is two kernels (P workgroups reduce slices, a second kernel their partials), with
// the prologue in the first and the epilogue in the second; smaller ones stay one kernel. Every
// WebGPU result is compared with the CPU backend's: exactly on integer-valued float32 data (every
// partial sum is exact below 2^24), within 2e-6·Σ|x| on fractional data (summation order differs).

import { test } from "node:test";
import assert from "node:assert/strict";
import { jit, np } from "../../../runtime/src/index.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, webgpuBackendOrSkip } from "../ops/harness.js";
import { setSplitMinElements, SPLIT_MIN_ELEMENTS } from "../../../runtime/src/passes/fuseSplitReductions.js";

type A = Tracer;
// The split is made by default on hardware adapters only (passes/fuseSplitReductions.ts has the
// lavapipe measurements); this file tests it, so it asks for it on a CPU adapter too.
setSplitMinElements(SPLIT_MIN_ELEMENTS);
const SIZES = [1, 7, 1000, 32768, (1 << 20) + 3];
const ints = (n: number) => Float32Array.from({ length: n }, (_, i) => ((i * 7919) % 13) - 6);
const fracs = (n: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) * 2);

/** name, function, whether a prologue/epilogue surrounds the reduction. */
const CASES: readonly [string, (x: A) => A][] = [
  ["sum", (x) => np.sum(x) as A],
  ["max", (x) => np.max(x) as A],
  ["min", (x) => np.min(x) as A],
  ["sum of squares (prologue)", (x) => np.sum(np.square(x)) as A],
  ["mean + 1 (epilogue)", (x) => np.add(np.mean(x), 1) as A],
  ["max of -|x| (prologue)", (x) => np.max(np.negative(np.abs(x))) as A],
];

async function run(
  f: (x: A) => A,
  host: Float32Array,
  shape: number[],
): Promise<{ got: number; want: number; kernels: string[] }> {
  const arg = () => np.reshape(np.array(host), shape) as A;
  const want = (await onBackend("cpu", () => f(arg())).data())[0]!;
  const compiled = jit(f);
  const got = (await onBackend("webgpu", () => compiled(arg())).data())[0]!;
  const lo = await onBackend("webgpu", () => compiled.lower(arg()));
  return { got, want, kernels: lo.kernels.map((k) => k.plan) };
}

test("whole-array sum, max and min (with prologue and epilogue) of 1, 7, 1000, 32768 and 2^20+3 elements equal the CPU exactly on integer data", async (t) => {
  const b = await webgpuBackendOrSkip(t);
  if (!b) return;
  for (const n of SIZES)
    for (const [name, f] of CASES) {
      const { got, want, kernels } = await run(f, ints(n), [n]);
      assert.equal(got, want, `${name} of ${n}`);
      if (n >= 32768) {
        assert.equal(kernels.length, 2, `${name} of ${n}: two kernels`);
        assert.match(kernels[0]!, /first stage: \d+ workgroups of 64/);
      } else assert.equal(kernels.length, 1, `${name} of ${n}: one kernel`);
    }
});

test("a whole-array sum of fractional data over 2^20+3 elements and over a [1024, 1027] matrix is within 2e-6·Σ|x| of the CPU", async (t) => {
  const b = await webgpuBackendOrSkip(t);
  if (!b) return;
  for (const shape of [[(1 << 20) + 3], [1024, 1027], [4096, 1024]]) {
    const n = shape.reduce((a, d) => a * d, 1);
    const host = fracs(n);
    const bound = 2e-6 * host.reduce((s, v) => s + Math.abs(v), 0);
    const { got, want, kernels } = await run((x) => np.sum(x) as A, host, shape);
    assert.ok(Math.abs(got - want) <= bound, `sum [${shape}]: ${got} vs ${want} (bound ${bound})`);
    assert.equal(kernels.length, 2);
  }
});

test("the split is in the fusion record: a partial-reduction boundary between the two stages, each stage's reason says which it is", async (t) => {
  const b = await webgpuBackendOrSkip(t);
  if (!b) return;
  const x = onBackend("webgpu", () => np.array(ints(100000)));
  const lo = await onBackend("webgpu", () => jit((v: A) => np.sum(np.square(v)) as A).lower(x));
  assert.equal(lo.fusion.decisions.length, 2);
  assert.match(lo.fusion.decisions[0]!.reason, /first stage: 13 workgroups each reduce a slice.*prologue \(1 op\)/);
  assert.match(lo.fusion.decisions[1]!.reason, /second stage: the 13 partial results to one value/);
  const split = lo.fusion.boundaries.filter((bd) => bd.rule === "partial-reduction");
  assert.equal(split.length, 1);
  assert.equal(split[0]!.fromKernel, lo.fusion.decisions[0]!.kernel);
  assert.equal(split[0]!.toKernel, lo.fusion.decisions[1]!.kernel);
  assert.match(split[0]!.reason, /reduce_sum of 100000 elements to one value: 13 workgroups/);
});

test("int32 whole-array sum and max of 2^20+3 elements equal the CPU", async (t) => {
  const b = await webgpuBackendOrSkip(t);
  if (!b) return;
  const n = (1 << 20) + 3;
  const host = Int32Array.from({ length: n }, (_, i) => ((i * 31) % 17) - 8);
  for (const f of [(x: A) => np.sum(x) as A, (x: A) => np.max(x) as A]) {
    const want = (await onBackend("cpu", () => f(np.array(host) as A)).data())[0];
    const got = (await onBackend("webgpu", () => jit(f)(np.array(host) as A)).data())[0];
    assert.equal(got, want);
  }
});
