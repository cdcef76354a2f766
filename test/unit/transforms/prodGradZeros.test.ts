// Gradients of prod and cumprod where the input has zeros. JAX differentiates the products
// themselves, so the derivative at a lone zero is the product of the other elements and two zeros
// make every entry 0; a rule that divides by x gives NaN there. Expected values are JAX's, worked
// out by hand (leave-one-out products), and each case runs eager and under jit on the CPU backend
// and, where there is an adapter, on WebGPU.
import { test, type TestContext } from "node:test";
import "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import { config } from "../../../runtime/src/config.js";
import { grad } from "../../../runtime/src/trace/grad.js";
import { jvp } from "../../../runtime/src/trace/jvp.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { vmap } from "../../../runtime/src/trace/vmap.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { assertClose, onBackend, webgpuOrSkip, type Nested } from "../ops/harness.js";

config({ backend: "cpu" });

type F = (x: Tracer) => Tracer;
const W = (v: Nested) => np.array(v as never);
/** A weighted sum, so each output element's cotangent differs. */
const weighted = (y: Tracer, w: Nested) => np.sum(np.multiply(y, W(w)));

const cases: [string, F, Nested, Nested][] = [
  ["grad of prod at [2, 0, 4] is [0, 8, 0] (one zero)", (x) => grad(np.prod)(x) as Tracer, [2, 0, 4], [0, 8, 0]],
  ["grad of prod at [2, 0, 4, 0] is all 0 (two zeros)", (x) => grad(np.prod)(x) as Tracer, [2, 0, 4, 0], [0, 0, 0, 0]],
  ["grad of prod at [2, 3, 4] is [12, 8, 6] (no zeros)", (x) => grad(np.prod)(x) as Tracer, [2, 3, 4], [12, 8, 6]],
  ["grad of prod at [5] is [1] (a one-element row)", (x) => grad(np.prod)(x) as Tracer, [5], [1]],
  [
    "grad of prod along axis 1, weighted [1, 10], at [[2, 0, 4], [1, 3, 5]] is [[0, 8, 0], [150, 50, 30]]",
    (x) => grad((v: Tracer) => weighted(np.prod(v, 1), [1, 10]))(x) as Tracer,
    [
      [2, 0, 4],
      [1, 3, 5],
    ],
    [
      [0, 8, 0],
      [150, 50, 30],
    ],
  ],
  [
    "grad of prod over axes (0, 2) keepdims, weighted [1, 10], of a [2, 2, 2] with one zero in group 1",
    (x) => grad((v: Tracer) => weighted(np.prod(v, [0, 2], { keepdims: true }), [[[1], [10]]]))(x) as Tracer,
    [
      [
        [1, 2],
        [0, 3],
      ],
      [
        [4, 5],
        [6, 7],
      ],
    ],
    // group 0 (1·2·4·5 = 40): 40 / x; group 1: 10 · 3·6·7 at its zero, 0 elsewhere.
    [
      [
        [40, 20],
        [1260, 0],
      ],
      [
        [10, 8],
        [0, 0],
      ],
    ],
  ],
  [
    "grad of cumprod, weighted [1, 10, 100, 1000], at [2, 0, 3, 4] is [1, 24620, 0, 0]",
    // d/dx1 = 10·2 + 100·2·3 + 1000·2·3·4; x2 and x3 only reach products that hold x1 = 0.
    (x) => grad((v: Tracer) => weighted(np.cumprod(v), [1, 10, 100, 1000]))(x) as Tracer,
    [2, 0, 3, 4],
    [1, 24620, 0, 0],
  ],
  [
    "grad of cumprod, weighted [1, 10, 100, 1000], at [0, 2, 0, 4] is [21, 0, 0, 0] (two zeros)",
    (x) => grad((v: Tracer) => weighted(np.cumprod(v), [1, 10, 100, 1000]))(x) as Tracer,
    [0, 2, 0, 4],
    [21, 0, 0, 0],
  ],
  [
    "jvp of cumprod at [2, 0, 3, 4] along ones is [1, 2, 6, 24]",
    (x) => jvp(np.cumprod, [x], [np.ones([4])])[1],
    [2, 0, 3, 4],
    [1, 2, 6, 24],
  ],
  [
    "grad of sum(grad of prod) at [2, 0, 4] is [4, 6, 2] (second order through the zero)",
    (x) => grad((v: Tracer) => np.sum(grad(np.prod)(v) as Tracer))(x) as Tracer,
    [2, 0, 4],
    [4, 6, 2],
  ],
  [
    "vmap of grad of prod over rows [[2, 0, 4], [0, 0, 1], [1, 2, 3]] is [[0, 8, 0], [0, 0, 0], [6, 3, 2]]",
    (x) => vmap(grad(np.prod) as F)(x),
    [
      [2, 0, 4],
      [0, 0, 1],
      [1, 2, 3],
    ],
    [
      [0, 8, 0],
      [0, 0, 0],
      [6, 3, 2],
    ],
  ],
];

async function check(backend: "cpu" | "webgpu", f: F, x: Nested, want: Nested): Promise<void> {
  const eager = onBackend(backend, () => f(W(x)));
  assertClose(await eager.toArray(), want, "float32", 1e-6, 1e-6, `${backend} eager`);
  const jitted = onBackend(backend, () => jit(f)(W(x)) as Tracer);
  assertClose(await jitted.toArray(), want, "float32", 1e-6, 1e-6, `${backend} jit`);
}

for (const [name, f, x, want] of cases) {
  test(`${name} [cpu, eager and jit]`, async () => {
    await check("cpu", f, x, want);
  });
  test(`${name} [webgpu, eager and jit]`, async (t: TestContext) => {
    if (!(await webgpuOrSkip(t))) return;
    await check("webgpu", f, x, want);
  });
}
