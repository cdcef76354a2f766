// custom_gradient against JAX (scripts/jax/run_jax_custom_gradient.py wrote
// test/fixtures/jax/custom_gradient.json): each case written again with our API and run on the
// CPU reference, on WebGPU and under jit on WebGPU (harness.ts opCases). The vjp's values must
// survive the transformations around it: vmap(grad) and grad(vmap) (the closure's values
// batched, then read in another trace), grad of grad (the vjp itself differentiated), and a loop
// of calls under jit. Then bad input.
import { test } from "node:test";
import { custom_gradient, grad, jit, vmap } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, opCases, refuses, type Nested, type OpCase } from "../ops/harness.js";
import { fixtureCases } from "../ops/surface2Expected.js";

const { jaxOpCase, jaxParts } = fixtureCases("custom_gradient");
const f = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const tol = { rtol: 1e-6, atol: 1e-6 };

// JAX's docs example: the value x², the gradient deliberately g·x.
const squareHalfGrad = custom_gradient((x: Tracer) => [np.square(x), (g: Tracer) => [np.multiply(g, x)]] as const);
// A backward pass that clips the cotangent before the chain rule.
const clipBackward = custom_gradient(
  (x: Tracer) =>
    [
      np.multiply(3, np.sin(x)),
      (g: Tracer) => [np.multiply(np.multiply(np.clip(g, -0.5, 0.5), 3), np.cos(x))],
    ] as const,
);
// log(1 + eˣ) without overflow, its vjp the sigmoid of the same intermediate.
const log1pexp = custom_gradient((x: Tracer) => {
  const e = np.exp(np.negative(np.abs(x)));
  const value = np.add(np.maximum(x, 0), np.log1p(e));
  const sig = np.where(np.greater_equal(x, 0), np.divide(1, np.add(1, e)), np.divide(e, np.add(1, e)));
  return [value, (g: Tracer) => np.multiply(g, sig)] as const; // a lone argument's cotangent, bare
});
// Two arguments, the first a dict.
const weighted = custom_gradient((p: { w: Tracer; b: Tracer }, x: Tracer) => {
  const s = np.tanh(np.add(np.multiply(p.w, x), p.b));
  const ds = np.subtract(1, np.square(s));
  return [
    np.sum(s),
    (g: Tracer) => [
      { w: np.multiply(np.multiply(g, ds), x), b: np.multiply(g, ds) },
      np.multiply(np.multiply(g, ds), p.w),
    ],
  ] as const;
});

const sumOf = (fn: (v: Tracer) => Tracer) => (v: Tracer) => np.sum(fn(v));
const cases: OpCase[] = [
  jaxOpCase("square_value", (x) => squareHalfGrad(f(x))),
  jaxOpCase("square_grad", (x) => grad(sumOf(squareHalfGrad))(f(x))),
  jaxOpCase("square_grad_jit", (x) => jit(grad(sumOf(squareHalfGrad)))(f(x))),
  jaxOpCase("square_grad_grad", (x) => vmap(grad(grad(squareHalfGrad)))(f(x))),
  jaxOpCase("clip_grad", (x) => grad((v: Tracer) => np.sum(np.multiply(clipBackward(v), np.arange(1, 7))))(f(x)), tol),
  jaxOpCase("clip_vmap_grad", (x) => vmap(grad((v: Tracer) => np.multiply(clipBackward(v), 2)))(f(x)), tol),
  jaxOpCase("clip_grad_vmap", (x) => grad((v: Tracer) => np.sum(np.multiply(vmap(clipBackward)(v), 2)))(f(x)), tol),
  jaxOpCase("log1pexp_value", (x) => log1pexp(f(x)), tol),
  jaxOpCase("log1pexp_grad", (x) => grad(sumOf(log1pexp))(f(x)), tol),
  ...jaxParts("weighted_grad", 3, (w, b, x) => {
    const [gp, gx] = grad((p: { w: Tracer; b: Tracer }, v: Tracer) => np.square(weighted(p, v)), [0, 1])(
      { w: f(w), b: f(b) },
      f(x),
    ) as [{ w: Tracer; b: Tracer }, Tracer];
    return [gp.w, gp.b, gx];
  }).map((c) => ({ ...c, ...tol })),
  jaxOpCase(
    "unrolled_grad",
    (x) =>
      jit(
        grad((v: Tracer) => {
          let s: Tracer = np.array(0);
          for (let k = 0; k < 3; k++) s = np.add(s, np.sum(clipBackward(np.multiply(v, k + 1))));
          return s;
        }),
      )(f(x)),
    tol,
  ),
];
opCases("custom_gradient", cases);

test("custom_gradient refuses a fun not returning [value, vjp] and a vjp returning the wrong number of cotangents, naming the function", () => {
  onBackend("cpu", () => {
    const noVjp = custom_gradient(function noVjp(x: Tracer) {
      return [np.square(x), 3] as unknown as [Tracer, (g: Tracer) => Tracer];
    });
    refuses(
      () => grad((x: Tracer) => np.sum(noVjp(x)))(np.ones([2])),
      /custom_gradient\(noVjp\): fun must return \[value, vjp\]/,
    );
    const twoForOne = custom_gradient(function twoForOne(x: Tracer) {
      return [np.square(x), (g: Tracer) => [g, g]] as const;
    });
    refuses(
      () => grad((x: Tracer) => np.sum(twoForOne(x)))(np.ones([2])),
      /custom_gradient\(twoForOne\): vjp must return one cotangent per argument \(1\), got a list of 2/,
    );
    refuses(() => custom_gradient(3 as never), /custom_gradient: fun must be a function, got number/);
  });
});
