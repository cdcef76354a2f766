// Kernels that need nd coordinates (transposes, slices, pads, concatenates) compute vec4s where
// their ops move the last axis's runs of 4 whole (codegen/lastAxisVec4.ts), and stay scalar
// where an op would split a vec4. Every case is compared with the CPU reference, exactly for
// pure data movement, and its kernel's plan says which way it was lowered.

import { test } from "node:test";
import assert from "node:assert/strict";
import { grad, jit, lax, nn, np } from "../../../runtime/src/index.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { assertClose, onBackend, webgpuOrSkip } from "../ops/harness.js";

type A = Tracer;
const VEC4 = /vec4 along the last axis/;

const data = (shape: number[], seed: number): A =>
  np.reshape(
    np.array(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => 2 * Math.sin(i * 0.37 + seed))),
    shape,
  ) as A;

/** The kernels' first lines (their plans), after checking the values against the CPU. */
async function plansMatchingCpu(name: string, f: (...xs: A[]) => A, inputs: () => A[], tol = 0): Promise<string[]> {
  const lowered = await onBackend("webgpu", () => jit(f).lower(...inputs()));
  const want = await onBackend("cpu", () => f(...inputs())).data();
  const got = await onBackend("webgpu", () => jit(f)(...inputs()) as A).data();
  if (tol === 0) assert.deepEqual(Array.from(got), Array.from(want), name);
  else assertClose(Array.from(got), Array.from(want), "float32", tol, tol, name);
  return lowered.kernels.map((k) => k.wgsl.split("\n")[0]!);
}

const MOVES: readonly [string, number[], (x: A) => A][] = [
  [
    "attention's heads: [B, T, H·D] → [B, H, T, D]",
    [2, 16, 32],
    (x) => np.transpose(np.reshape(x, [2, 16, 4, 8]), [0, 2, 1, 3]) as A,
  ],
  [
    "a scan's time-major moveaxis of [48, 24, 96] read as [1, 1152, 96]",
    [1, 1152, 96],
    (x) => np.moveaxis(np.reshape(x, [48, 24, 96]), 1, 0) as A,
  ],
  ["a slice at last-axis offsets 4..12, rows reversed", [6, 16], (x) => np.flip(lax.slice(x, [1, 4], [5, 12]), 0) as A],
  [
    "a pad of 4 and 8 on the last axis, 1 on the first",
    [3, 8],
    (x) =>
      np.pad(
        x,
        [
          [1, 0],
          [4, 8],
        ],
        { constant_values: -1 },
      ) as A,
  ],
  [
    "a concatenate along the last axis, then a transpose of the leading two",
    [2, 3, 4],
    (x) => np.transpose(np.concatenate([x, np.flip(x, 0)], -1), [1, 0, 2]) as A,
  ],
];

for (const [name, shape, f] of MOVES)
  test(`${name}: one vec4 kernel, exactly the CPU's values`, async (t) => {
    if (!(await webgpuOrSkip(t))) return;
    const plans = await plansMatchingCpu(name, f, () => [data(shape, 1)]);
    assert.equal(plans.length, 1, plans.join("\n"));
    assert.match(plans[0]!, VEC4);
  });

test("computed pieces, a rank-0 weight and a bool mask in a vec4 nd kernel: the CPU's values", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  // Mixup of a row-shuffled batch: λ·x + (1 − λ)·x[perm], λ a scalar computed in the kernel.
  const f = (x: A, y: A) => {
    const lam = nn.sigmoid(np.sum(np.multiply(y, 0.01)));
    const gated = np.concatenate([np.tanh(x), np.where(np.greater(x, 0.5), np.exp(x), y)], -1);
    const shifted = np.pad(lax.slice(gated, [1, 0], [4, 16]), [
      [0, 1],
      [0, 0],
    ]);
    return np.add(np.multiply(lam, shifted), np.multiply(np.subtract(1, lam), np.flip(gated, 0))) as A;
  };
  const plans = await plansMatchingCpu("mixed", f, () => [data([4, 8], 2), data([4, 8], 3)], 2e-5);
  assert.ok(
    plans.some((p) => VEC4.test(p)),
    plans.join("\n"),
  );
});

test("int32 and bool values move through a vec4 nd kernel exactly", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const f = (x: A) => {
    const ints = np.transpose(np.astype(np.multiply(np.reshape(x, [2, 3, 8]), 10), np.int32), [1, 0, 2]);
    const bools = np.transpose(np.reshape(np.less(x, 0), [2, 3, 8]), [1, 0, 2]);
    return np.astype(np.where(bools, ints, np.negative(ints)), np.float32) as A;
  };
  const plans = await plansMatchingCpu("int32 and bool", f, () => [data([6, 8], 4)]);
  assert.ok(
    plans.some((p) => VEC4.test(p)),
    plans.join("\n"),
  );
});

const SCALAR: readonly [string, number[], (x: A) => A][] = [
  ["a transpose that moves the last axis", [4, 8, 12], (x) => np.transpose(x, [2, 0, 1]) as A],
  ["a slice starting 2 into the last axis", [4, 16], (x) => np.flip(lax.slice(x, [0, 2], [4, 10]), 0) as A],
  ["a last axis of 6", [4, 5, 6], (x) => np.transpose(x, [1, 0, 2]) as A],
  ["a flip of the last axis", [4, 3, 8], (x) => np.flip(np.transpose(x, [1, 0, 2]), 2) as A],
  ["an iota along the last axis", [4, 3, 8], (x) => np.add(np.transpose(x, [1, 0, 2]), np.arange(8)) as A],
];

for (const [name, shape, f] of SCALAR)
  test(`${name}: stays one element per invocation, the CPU's values`, async (t) => {
    if (!(await webgpuOrSkip(t))) return;
    const plans = await plansMatchingCpu(name, f, () => [data(shape, 5)]);
    for (const p of plans) assert.doesNotMatch(p, VEC4);
  });

test("the gradient of a GRU's gates through np.split runs vec4 with a branch per gate, as the CPU", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const cell = (x: A, h: A) => {
    const [xz, xr, xn] = np.split(x, 3, -1) as A[];
    const z = nn.sigmoid(xz!),
      r = nn.sigmoid(xr!);
    return np.sum(
      np.add(np.multiply(np.subtract(1, z), np.tanh(np.add(xn!, np.multiply(r, h)))), np.multiply(z, h)),
    ) as A;
  };
  const dx = (x: A, h: A) => grad(cell)(x, h) as A;
  const plans = await plansMatchingCpu("GRU dx", dx, () => [data([48, 96], 6), data([48, 32], 7)], 2e-5);
  assert.deepEqual(plans.filter((p) => VEC4.test(p)).length, 1, plans.join("\n"));
});
