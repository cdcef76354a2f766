// The surface functions under transformations: grad against central finite differences (and jvp
// along a direction), vmap against a loop, and jit ≡ eager on WebGPU for a program that uses
// them together.
import { test } from "node:test";
import assert from "node:assert/strict";
import "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import * as nn from "../../../runtime/src/nn.js";
import * as lax from "../../../runtime/src/lax.js";
import { config } from "../../../runtime/src/config.js";
import { vmap } from "../../../runtime/src/trace/vmap.js";
import { grad } from "../../../runtime/src/trace/grad.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { assertClose, onBackend, webgpuOrSkip, type Nested } from "../ops/harness.js";
import { checkGradient, input, toArray } from "./fd.js";

config({ backend: "cpu" });

type F = (...xs: Tracer[]) => Tracer;
const W = (shape: number[], seed: number) => toArray(input(shape, seed));
/** A weighted sum makes every output element matter to the gradient. */
const weighted = (y: Tracer, seed: number) => np.sum(np.multiply(y, W(y.shape, seed)));

const gradCases: [
  string,
  F,
  number[][],
  { lo?: number; hi?: number; rtol?: number; atol?: number; eps?: number; seed?: number }?,
][] = [
  ["cumsum axis 1", (x) => weighted(np.cumsum(x, 1), 1), [[3, 4]]],
  ["cumsum flattened", (x) => weighted(np.cumsum(x), 2), [[2, 3]]],
  [
    "cumsum of a 600-long row (two-level scan)",
    (x) => weighted(np.cumsum(x, 0), 23),
    [[600, 1]],
    { rtol: 5e-2, atol: 5e-2 },
  ],
  ["cumprod axis 0 (inputs away from 0)", (x) => weighted(np.cumprod(x, 0), 3), [[3, 2]], { lo: 0.5, hi: 1.5 }],
  ["prod over axis 1 (inputs away from 0)", (x) => weighted(np.prod(x, 1), 4), [[2, 3]], { lo: 0.5, hi: 1.5 }],
  ["sort (distinct values)", (x) => weighted(np.sort(x), 5), [[2, 5]]],
  ["sort axis 0", (x) => weighted(np.sort(x, 0), 6), [[4, 2]]],
  // (seed 31's input has an exact tie, where a finite difference straddles the swap)
  ["lax.top_k values", (x) => weighted(lax.top_k(x, 2)[0], 7), [[3, 4]], { seed: 77 }],
  ["flip", (x) => weighted(np.flip(x, 1), 8), [[2, 3]]],
  ["roll", (x) => weighted(np.roll(x, 2, 1), 9), [[2, 3]]],
  [
    "pad",
    (x) =>
      weighted(
        np.pad(x, [
          [1, 0],
          [0, 2],
        ]),
        10,
      ),
    [[2, 2]],
  ],
  ["tril", (x) => weighted(np.tril(x), 11), [[3, 3]]],
  ["tile", (x) => weighted(np.tile(x, [2, 3]), 12), [[2, 2]]],
  ["repeat", (x) => weighted(np.repeat(x, 3, 1), 13), [[2, 2]]],
  ["log1p", (x) => weighted(np.log1p(x), 14), [[5]], { lo: -0.5, hi: 2 }],
  ["expm1", (x) => weighted(np.expm1(x), 15), [[5]]],
  ["logaddexp", (a, b) => weighted(np.logaddexp(a, b), 16), [[4], [4]]],
  ["clip", (x) => weighted(np.clip(x, -0.5, 0.5), 17), [[6]]],
  ["var and std", (x) => np.add(np.var(x), np.sum(np.std(x, 0))), [[4, 3]]],
  ["linalg.norm", (x) => np.linalg.norm(x), [[3, 3]]],
  ["linalg.norm ord 3 axis 1", (x) => weighted(np.linalg.norm(x, 3, 1), 18), [[2, 3]]],
  [
    "einsum bij,bjk->bik",
    (a, b) => weighted(np.einsum("bij,bjk->bik", a, b), 19),
    [
      [2, 2, 3],
      [2, 3, 2],
    ],
  ],
  ["outer", (a, b) => weighted(np.outer(a, b), 20), [[3], [2]]],
  [
    "softplus, silu, elu, log_sigmoid, leaky_relu",
    (x) => np.sum(np.stack([nn.softplus(x), nn.silu(x), nn.elu(x), nn.log_sigmoid(x), nn.leaky_relu(x)])),
    [[6]],
    { lo: -3, hi: 3 },
  ],
  ["standardize", (x) => weighted(nn.standardize(x), 21), [[2, 4]]],
  ["lax.rsqrt", (x) => weighted(lax.rsqrt(x), 22), [[4]], { lo: 0.5, hi: 2 }],
];

for (const [name, f, shapes, o = {}] of gradCases) {
  test(`grad of ${name} = central finite differences (and jvp along a direction)`, async () => {
    await checkGradient(
      f,
      shapes.map((s, i) => input(s, (o.seed ?? 31) + i, o.lo, o.hi)),
      { rtol: o.rtol, atol: o.atol, eps: o.eps },
    );
  });
}

test("grad of softplus at 0 is 1/2 (the two branches share the kink), of logaddexp(x, x) 1/2 each", async () => {
  assert.deepEqual(await (grad((x: Tracer) => np.sum(nn.softplus(x)))(np.array([0])) as Tracer).toArray(), [0.5]);
  const [ga, gb] = grad((a: Tracer, b: Tracer) => np.sum(np.logaddexp(a, b)), [0, 1])(
    np.array([1]),
    np.array([1]),
  ) as Tracer[];
  assert.deepEqual([await ga!.toArray(), await gb!.toArray()], [[0.5], [0.5]]);
});

test("floor, round and isnan have zero gradient", async () => {
  const g = grad((x: Tracer) => np.sum(np.add(np.floor(x), np.round(x))))(np.array([0.3, 1.7])) as Tracer;
  assert.deepEqual(await g.toArray(), [0, 0]);
});

// vmap against a loop over the mapped axis.
function loop(f: F, args: readonly Tracer[], axis = 0): Tracer {
  const n = args[0]!.shape[axis]!;
  const outs: Tracer[] = [];
  for (let i = 0; i < n; i++) outs.push(f(...args.map((a) => np.take(a, i, axis))));
  return np.stack(outs, 0);
}

const vmapCases: [string, F, number[][], number?][] = [
  ["sort", (x) => np.sort(x), [[4, 5]]],
  ["argsort", (x) => np.argsort(x), [[4, 5]]],
  ["sort along the mapped axis 1", (x) => np.sort(x), [[5, 3]], 1],
  ["cumsum", (x) => np.cumsum(x), [[3, 4]]],
  ["cumprod of rows", (x) => np.cumprod(x, 1), [[3, 2, 3]]],
  ["flip", (x) => np.flip(x, 0), [[3, 4, 2]]],
  ["prod", (x) => np.prod(x), [[3, 4]]],
  ["top_k indices", (x) => lax.top_k(x, 2)[1], [[3, 5]]],
  [
    "einsum",
    (a, b) => np.einsum("ij,jk->ik", a, b),
    [
      [2, 3, 4],
      [2, 4, 2],
    ],
  ],
  ["one_hot of argsort", (x) => nn.one_hot(np.argsort(x), 4), [[3, 4]]],
  ["tril, roll, pad", (x) => np.pad(np.roll(np.tril(x), 1, 0), 1), [[2, 3, 3]]],
  [
    "logaddexp, log1p, var",
    (a, b) => np.add(np.logaddexp(a, b), np.var(np.log1p(np.abs(a)))),
    [
      [3, 4],
      [3, 4],
    ],
  ],
];

for (const [name, f, shapes, axis = 0] of vmapCases) {
  test(`vmap of ${name} = a loop over the mapped axis`, async () => {
    const args = shapes.map((s, i) => W(s, 41 + i));
    const got = vmap(f, axis)(...args);
    const want = loop(f, args, axis);
    assert.deepEqual(got.shape, want.shape);
    assert.equal(got.dtype, want.dtype);
    assertClose(await got.toArray(), (await want.toArray()) as Nested, got.dtype, 1e-5, 1e-5);
  });
}

test("jit ≡ eager on webgpu: a program using sort, cumsum, flip, logaddexp, einsum, norm, top_k and their gradients", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const program = (x: Tracer, w: Tracer) => {
    const s = np.sort(np.add(x, np.flip(x, 1)), 1);
    const c = np.cumsum(np.multiply(s, w), 1);
    const l = np.logaddexp(c, np.einsum("ij,kj->ik", x, w));
    const [top] = lax.top_k(l, 2);
    const n = np.linalg.norm(np.subtract(x, np.mean(x, 0)), 2, 1);
    return np.add(np.sum(top), np.sum(np.multiply(n, np.std(x, 1))));
  };
  const withGrad = (x: Tracer, w: Tracer) => [program(x, w), ...(grad(program, [0, 1])(x, w) as Tracer[])];
  const x = onBackend("webgpu", () => W([4, 4], 51));
  const w = onBackend("webgpu", () => W([4, 4], 52));
  const eager = onBackend("webgpu", () => withGrad(x, w));
  const jitted = onBackend("webgpu", () => jit(withGrad)(x, w)) as Tracer[];
  const cpu = onBackend("cpu", () => withGrad(W([4, 4], 51), W([4, 4], 52)));
  for (let i = 0; i < eager.length; i++) {
    const want = (await cpu[i]!.toArray()) as Nested;
    assertClose(await eager[i]!.toArray(), want, "float32", 1e-4, 1e-4, `eager ${i}`);
    assertClose(await jitted[i]!.toArray(), want, "float32", 1e-4, 1e-4, `jit ${i}`);
  }
});
