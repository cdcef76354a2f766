// argmax/argmin inside differentiated code (issue 21): as in JAX their integer outputs get a zero
// cotangent and gradients flow through every other path: an accuracy computed beside the loss, a
// top-1 routing mask. Under grad, jvp, jit(grad) and vmap(grad), on CPU and WebGPU, against
// hand-computed gradients.
import { test } from "node:test";
import assert from "node:assert/strict";
import { grad, jit, jvp, np, valueAndGrad, vmap } from "../../../runtime/src/index.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { assertClose, onBackend, webgpuOrSkip, type Nested } from "../ops/harness.js";

const logits = [
  [2, -1, 0.5],
  [0.1, 0.3, -2],
];
const labels = [0, 2];

/** Cross-entropy-free loss sum(x²)/2 plus 0·accuracy: the accuracy uses argmax of x itself. */
function lossWithAccuracy(x: Tracer): Tracer {
  const acc = np.mean(np.astype(np.equal(np.argmax(x, -1), np.array(labels, { dtype: "int32" })), "float32"));
  return np.add(np.multiply(np.sum(np.square(x)), 0.5), np.multiply(acc, 0));
}
// d/dx = x.
const lossWithAccuracyGrad: Nested = logits;

/** Top-1 routing: only the largest entry of each row passes, squared. */
function routed(x: Tracer): Tracer {
  const top = np.argmax(x, -1, { keepdims: true });
  const mask = np.equal(np.arange(3), top);
  return np.sum(np.where(mask, np.square(x), 0));
}
// d/dx = 2x at each row's argmax, 0 elsewhere.
const routedGrad: Nested = [
  [4, 0, 0],
  [0, 0.6, 0],
];

/** argmin picks the smallest: gradient 3x² there, as x³ only passes at the minimum. */
function routedMin(x: Tracer): Tracer {
  const low = np.argmin(x, -1, { keepdims: true });
  return np.sum(np.where(np.equal(np.arange(3), low), np.multiply(np.square(x), x), 0));
}
const routedMinGrad: Nested = [
  [0, 3, 0],
  [0, 0, 12],
];

const cases: [string, (x: Tracer) => Tracer, Nested][] = [
  [
    "an accuracy beside the loss (argmax of the differentiated value, not reaching the loss)",
    lossWithAccuracy,
    lossWithAccuracyGrad,
  ],
  ["a top-1 routing mask from argmax", routed, routedGrad],
  ["a bottom-1 routing mask from argmin", routedMin, routedMinGrad],
];

for (const [what, f, expected] of cases) {
  test(`grad through ${what}: zero cotangent for the index, hand-computed gradient elsewhere [cpu, eager and jit]`, async () => {
    const g = onBackend("cpu", () => grad(f)(np.array(logits)));
    assertClose(await g.toArray(), expected, "float32");
    const gj = onBackend("cpu", () => jit(grad(f))(np.array(logits)));
    assertClose(await gj.toArray(), expected, "float32");
  });
  test(`grad through ${what} [webgpu, eager and jit]`, async (t) => {
    if (!(await webgpuOrSkip(t))) return;
    assertClose(await onBackend("webgpu", () => grad(f)(np.array(logits))).toArray(), expected, "float32");
    assertClose(await onBackend("webgpu", () => jit(grad(f))(np.array(logits))).toArray(), expected, "float32");
  });
}

test("vmap(grad) of the top-1 routing over rows equals the per-row gradients", async () => {
  const perRow = (row: Tracer) => np.sum(np.where(np.equal(np.arange(3), np.argmax(row)), np.square(row), 0));
  const g = onBackend("cpu", () => vmap(grad(perRow))(np.array(logits)));
  assertClose(await g.toArray(), routedGrad, "float32");
  const gj = onBackend("cpu", () => jit(vmap(grad(perRow)))(np.array(logits)));
  assertClose(await gj.toArray(), routedGrad, "float32");
});

test("jvp through argmax: the index's tangent is zero, the routed value's is 2x·t at the argmax", async () => {
  const [y, ty] = onBackend("cpu", () => jvp(routed, [np.array(logits)], [np.ones([2, 3])]));
  assertClose(await y.toArray(), 4 + 0.09, "float32");
  assertClose(await ty.toArray(), 4 + 0.6, "float32");
});

test("valueAndGrad returns the loss and the argmax-free gradient; the argmax itself is an int32 value", async () => {
  const f = (x: Tracer) => np.add(np.sum(np.square(x)), np.multiply(np.astype(np.argmax(x), "float32"), 0));
  const [v, g] = onBackend("cpu", () => valueAndGrad(f)(np.array([1, 3, 2])));
  assertClose(await v.toArray(), 14, "float32");
  assertClose(await g.toArray(), [2, 6, 4], "float32");
  assert.equal(np.argmax(np.array([1, 3, 2])).dtype, "int32");
});
