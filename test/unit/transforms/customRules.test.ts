// custom_jvp and custom_vjp: JAX's results (scripts/jax/run_jax_custom.py wrote
// test/fixtures/jax/custom.json) for a stable softplus with a custom_jvp, gradient clipping in the
// backward pass, a straight-through round, and a tanh layer whose bwd reads fwd's residuals,
// replayed on the CPU backend and on WebGPU, eager and under jit; under vmap in both orders and
// grad(grad(...)). Bad input: customRuleErrors.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as api from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import { config } from "../../../runtime/src/config.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { grad } from "../../../runtime/src/trace/grad.js";
import { jvp } from "../../../runtime/src/trace/jvp.js";
import { vmap } from "../../../runtime/src/trace/vmap.js";
import { custom_jvp, custom_vjp } from "../../../runtime/src/trace/custom.js";
import { Tracer } from "../../../runtime/src/trace/core.js";
import { assertClose, onBackend, webgpuOrSkip, type Nested } from "../ops/harness.js";

config({ backend: "cpu" });

type T = Tracer;
const file: { jax: string; cases: Record<string, Nested> } = JSON.parse(
  readFileSync(new URL("../../fixtures/jax/custom.json", import.meta.url), "utf8"),
);

// The functions of run_jax_custom.py, with our API.
export const log1pexp = custom_jvp(function log1pexp(x: T): T {
  return np.add(np.maximum(x, 0), np.log1p(np.exp(np.negative(np.abs(x)))));
});
log1pexp.defjvp(([x]: T[], [t]: T[]) => [
  log1pexp(x!),
  np.multiply(np.subtract(1, np.divide(1, np.add(1, np.exp(x!)))), t!),
]);

export const clip_gradient = custom_vjp(function clip_gradient(_lo: number, _hi: number, x: T): T {
  return x;
});
clip_gradient.defvjp(
  (lo, hi, x) => [x, [lo, hi]],
  ([lo, hi]: [T, T], g: T) => [null, null, np.clip(g, lo, hi)],
);

const clip_nd = custom_vjp(
  function clip_nd(_lo: number, _hi: number, x: T): T {
    return x;
  },
  { nondiff_argnums: [0, 1] },
);
clip_nd.defvjp(
  (_lo, _hi, x) => [x, null],
  (lo: number, hi: number, _res: null, g: T) => [np.clip(g, lo, hi)],
);

const ste_round = custom_jvp(function ste_round(x: T): T {
  return np.round(x);
});
ste_round.defjvp(([x]: T[], [t]: T[]) => [np.round(x!), t!]);

const tanh_layer = custom_vjp(function tanh_layer(w: T, x: T): T {
  return np.tanh(np.matmul(x, w));
});
tanh_layer.defvjp(
  (w, x) => {
    const y = np.tanh(np.matmul(x, w));
    return [y, [y, w, x]];
  },
  ([y, w, x]: [T, T, T], g: T) => {
    const dz = np.multiply(g, np.subtract(1, np.multiply(y, y)));
    return [np.matmul(np.transpose(x), dz), np.matmul(dz, np.transpose(w))];
  },
);

const inputs = () => {
  const W = np.divide(np.subtract(np.reshape(np.arange(12), [3, 4]), 5.5), 6);
  return {
    X: np.array([-100, -3, -0.5, 0, 0.7, 4, 100]),
    XS: np.array([-3, -0.5, 0, 0.7, 4]),
    T: np.array([0.5, -1, 2, 1, -0.25, 3, 1.5]),
    G: np.array([3, -0.2, 0.1, -2]),
    GX: np.array([1, 2, 3, 4]),
    Q: np.array([0.26, -1.34, 0.74, 2.5, -0.49]),
    TARGET: np.array([0.2, -1, 1.1, 2, 0]),
    W,
    XB: np.divide(np.subtract(np.reshape(np.arange(15), [5, 3]), 7), 5),
    W2: np.array([0.3, -0.7, 1.1, 0.4]),
  };
};
type In = ReturnType<typeof inputs>;

const mlpLoss = (w2: T) => (w: T, x: T) => np.square(np.sum(np.matmul(tanh_layer(w, x), w2)));
const steLoss = (target: T) => (q: T) =>
  np.sum(np.square(np.subtract(np.divide(ste_round(np.multiply(q, 2)), 2), target)));

/** Each case: the function of the inputs that gives the fixture's value. */
const CASES: Record<string, (i: In) => T> = {
  log1pexp_value: (i) => log1pexp(i.X),
  log1pexp_grad: (i) => grad((x: T) => np.sum(log1pexp(x)))(i.X),
  log1pexp_jvp_tangent: (i) => jvp(log1pexp, [i.X], [i.T])[1],
  log1pexp_grad_grad: (i) => vmap(grad(grad(log1pexp)))(i.XS),
  log1pexp_vmap_grad: (i) => vmap(grad(log1pexp))(i.X),
  clip_grad: (i) => grad((x: T) => np.sum(np.multiply(clip_gradient(-0.5, 0.5, x), i.G)))(i.GX),
  clip_nd_grad: (i) => grad((x: T) => np.sum(np.multiply(clip_nd(-0.5, 0.5, x), i.G)))(i.GX),
  clip_grad_of_vmap: (i) =>
    grad((x: T) => np.sum(vmap((xi: T, gi: T) => np.multiply(clip_gradient(-1, 1, np.multiply(xi, xi)), gi))(x, i.G)))(
      i.GX,
    ),
  ste_value: (i) => steLoss(i.TARGET)(i.Q),
  ste_grad: (i) => grad(steLoss(i.TARGET))(i.Q),
  ste_jvp_tangent: (i) => jvp(ste_round, [np.multiply(i.Q, 2)], [i.TARGET])[1],
  tanh_layer_value: (i) => mlpLoss(i.W2)(i.W, i.XB),
  tanh_layer_grad_w: (i) => grad(mlpLoss(i.W2), 0)(i.W, i.XB),
  tanh_layer_grad_x: (i) => grad(mlpLoss(i.W2), 1)(i.W, i.XB),
  tanh_layer_per_example_grad_w: (i) =>
    vmap(
      grad((w: T, xi: T) => np.square(np.sum(np.matmul(tanh_layer(w, np.expand_dims(xi, 0)), i.W2)))),
      [null, 0],
    )(i.W, i.XB),
};

test(`the custom-rule fixture holds JAX ${file.jax} results for exactly the cases written here`, () => {
  assert.deepEqual(Object.keys(file.cases).sort(), Object.keys(CASES).sort());
});

for (const backend of ["cpu", "webgpu"] as const) {
  for (const useJit of [false, true]) {
    test(`custom_jvp/custom_vjp cases match JAX on ${backend}${useJit ? " under jit" : " eagerly"} (rtol 1e-5)`, async (t) => {
      if (backend === "webgpu" && !(await webgpuOrSkip(t))) return;
      const results = onBackend(backend, () => {
        const i = inputs();
        return Object.entries(CASES).map(([id, f]) => {
          const run = useJit ? jit((...a: T[]) => f(unpack(a))) : (...a: T[]) => f(unpack(a));
          return [id, run(...pack(i))] as const;
        });
      });
      for (const [id, y] of results) assertClose(await y.toArray(), file.cases[id]!, "float32", 1e-5, 1e-6, id);
    });
  }
}

// jit takes the inputs as arguments (not closed-over constants), so the rules see traced values.
const KEYS = Object.keys(inputs()) as (keyof In)[];
const pack = (i: In): T[] => KEYS.map((k) => i[k]);
const unpack = (a: readonly T[]): In => Object.fromEntries(KEYS.map((k, j) => [k, a[j]!])) as unknown as In;

test("custom_jvp's rule replaces the function's own derivative: the naive log(1 + exp(x)) gives NaN at 100, log1pexp gives 1", async () => {
  const naive = grad((x: T) => np.log(np.add(1, np.exp(x))));
  assert.ok(Number.isNaN(((await naive(np.array(100)).toArray()) as number) ?? 0));
  assert.equal(await grad(log1pexp)(np.array(100)).toArray(), 1);
});

test("jit(grad(f)) of a custom_vjp compiles bwd into the program: its clip's max and min, on the transpose name stack", async () => {
  const f = jit(grad((x: T) => np.sum(np.multiply(clip_gradient(-0.5, 0.5, x), np.array([3, -0.2, 0.1, -2])))));
  const lowered = await f.lower(np.array([1, 2, 3, 4]));
  const clipOps = lowered.program.eqns.filter((e) => e.prim === "max" || e.prim === "min");
  assert.deepEqual(clipOps.map((e) => e.prim).sort(), ["max", "min"], lowered.text());
  for (const e of clipOps) assert.ok(e.nameStack.includes("transpose"), e.nameStack.join("/"));
  assert.deepEqual(await f(np.array([1, 2, 3, 4])).toArray(), [0.5, -0.2, 0.1, -0.5].map(Math.fround));
});

test("the public API exports custom_vjp and custom_jvp", () => {
  assert.equal(api.custom_vjp, custom_vjp);
  assert.equal(api.custom_jvp, custom_jvp);
});

// Two arguments computed from the differentiated value by different operations used to be taken
// for a closed-over value ("closes over a value being differentiated"): the rule must see both.
const mulLog = custom_jvp(function mulLog(a: T, b: T): T {
  return np.multiply(a, np.log(b));
});
mulLog.defjvp(([a, b]: T[], [da, db]: T[]) => [
  mulLog(a!, b!),
  np.add(np.multiply(da!, np.log(b!)), np.multiply(db!, np.divide(a!, b!))),
]);
const pairVjp = custom_vjp(function pairVjp(a: T, b: T): T {
  return np.multiply(a, b);
});
pairVjp.defvjp(
  (a: T, b: T) => [np.multiply(a, b), [a, b]],
  ([a, b]: T[], g: T) => [np.multiply(g, b!), np.multiply(g, a!)],
);

test("grad and jvp of a custom_jvp / custom_vjp whose arguments are two different functions of x: d/dx 2x·log(x + 1) = 2 log(x + 1) + 2x/(x + 1), d/dx (x²)(x + 3) = 3x² + 6x", async () => {
  const xs = [0.5, 0.2, 3];
  const want = xs.map((x) => 2 * Math.log(x + 1) + (2 * x) / (x + 1));
  const g = grad((u: T) => np.sum(mulLog(np.multiply(u, 2), np.add(u, 1))))(np.array(xs)) as T;
  assertClose(await g.toArray(), want, "float32", 1e-6, 1e-6, "grad of custom_jvp");
  const [, tangent] = jvp((u: T) => mulLog(np.multiply(u, 2), np.add(u, 1)), [np.array(xs)], [np.ones([3])]);
  assertClose(await (tangent as T).toArray(), want, "float32", 1e-6, 1e-6, "jvp of custom_jvp");
  const h = grad((u: T) => np.sum(pairVjp(np.square(u), np.add(u, 3))))(np.array(xs)) as T;
  assertClose(
    await h.toArray(),
    xs.map((x) => 3 * x * x + 6 * x),
    "float32",
    1e-6,
    1e-6,
    "grad of custom_vjp",
  );
});
