// closure_convert against JAX (scripts/jax/run_jax_transforms_misc.py wrote
// test/fixtures/jax/transforms_misc.json): JAX's custom-derivatives example, a fixed-point solver
// as a custom_vjp that takes the function to iterate, made differentiable in what that function
// closes over by closure_convert: Newton's √(w·a) with w closed over, its value and its gradient
// in w and a (CPU reference, WebGPU, jit on WebGPU). Then which closed-over values are hoisted
// (as JAX's: traced ones, not concrete arrays), the converted function's value, and refusals.
import { test } from "node:test";
import assert from "node:assert/strict";
import { closure_convert, custom_vjp, grad, jit, lax, vjp } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, opCases, refuses, type Nested } from "../ops/harness.js";
import { fixtureCases } from "../ops/surface2Expected.js";

const { jaxOpCase, jaxParts } = fixtureCases("transforms_misc");
const f = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const tol = { rtol: 2e-5, atol: 2e-5 };

type Iter = (a: Tracer, x: Tracer, ...consts: Tracer[]) => Tracer;

function fixedPointLoop(fn: Iter, a: Tracer, x0: Tracer, ...consts: Tracer[]): Tracer {
  const cond = ([prev, x]: Tracer[]) => np.greater(np.max(np.abs(np.subtract(prev!, x!))), 1e-6);
  const body = ([, x]: Tracer[]) => [x!, fn(a, x!, ...consts)];
  return lax.while_loop(cond, body, [x0, fn(a, x0, ...consts)])[1]!;
}

const solve = custom_vjp(fixedPointLoop, { nondiff_argnums: [0] });
solve.defvjp(
  (fn: Iter, a: Tracer, x0: Tracer, ...consts: Tracer[]) => {
    const xStar = solve(fn, a, x0, ...consts);
    return [xStar, [a, xStar, consts]];
  },
  ((fn: Iter, [a, xStar, consts]: [Tracer, Tracer, Tracer[]], xBar: Tracer) => {
    const [, vjpX] = vjp((x: Tracer) => fn(a, x, ...consts), xStar);
    const u = fixedPointLoop((_a, v) => np.add(xBar, (vjpX(v) as Tracer[])[0]!), a, xBar);
    const [, vjpAc] = vjp((a2: Tracer, ...c: Tracer[]) => fn(a2, xStar, ...c), a, ...consts);
    const [aBar, ...cBars] = vjpAc(u) as Tracer[];
    return [aBar, np.zeros_like(xStar), ...cBars];
  }) as never,
);

/** JAX's docs' fixed_point: the function's closed-over values passed through closure_convert. */
function fixedPoint(fn: (a: Tracer, x: Tracer) => Tracer, a: Tracer, x0: Tracer): Tracer {
  const [converted, consts] = closure_convert(fn, a, x0);
  return solve(converted as Iter, a, x0, ...consts);
}

const root = (w: Tracer, a: Tracer): Tracer =>
  fixedPoint((a2, x) => np.multiply(0.5, np.add(x, np.divide(np.multiply(w, a2), x))), a, a);

opCases("closure_convert", [
  jaxOpCase("cc_root", (w, a) => root(f(w), f(a)), tol),
  ...jaxParts(
    "cc_root_grad",
    2,
    (w, a) =>
      grad((wv: Tracer, av: Tracer) => np.sum(np.multiply(root(wv, av), np.arange(1, 4))), [0, 1])(
        f(w),
        f(a),
      ) as Tracer[],
  ).map((c) => ({ ...c, ...tol })),
]);

test("closure_convert hoists the closed-over values a transformation traces (grad's, jit's float32) and keeps concrete arrays and int32 jit values inside", () => {
  onBackend("cpu", () => {
    const c = np.array([1, 2]);
    const fromConcrete = closure_convert((x: Tracer) => np.multiply(x, c), np.ones([2]))[1];
    assert.equal(fromConcrete.length, 0);
    let underGrad = -1;
    grad((w: Tracer) => {
      underGrad = closure_convert((x: Tracer) => np.multiply(x, w), np.ones([2]))[1].length;
      return np.sum(w);
    })(np.ones([2]));
    assert.equal(underGrad, 1);
    let underJit: number[] = [];
    jit((w: Tracer, k: Tracer) => {
      underJit = [
        closure_convert((x: Tracer) => np.multiply(x, w), np.ones([2]))[1].length,
        closure_convert((x: Tracer) => np.multiply(x, k), np.ones([2]))[1].length,
      ];
      return w;
    })(np.ones([2]), np.ones([2], { dtype: "int32" }));
    assert.deepEqual(underJit, [1, 0]);
  });
});

test("closure_convert's function takes the arguments then the hoisted values: x·w with w = [2, 3] given as a const gives [2, 6]", async () => {
  const r = onBackend("cpu", () =>
    jit((w: Tracer) => {
      const [converted, consts] = closure_convert((x: Tracer) => np.multiply(x, w), np.ones([2]));
      return converted(np.array([1, 2]), ...consts) as Tracer;
    })(np.array([2, 3])),
  );
  assert.deepEqual(await r.toArray(), [2, 6]);
});

test("closure_convert's function refuses arguments of another structure or shape and too few values, naming them", () => {
  onBackend("cpu", () => {
    const [converted] = closure_convert((x: Tracer, y: Tracer) => np.add(x, y), np.ones([2]), np.ones([2]));
    refuses(() => converted(np.ones([2])), /must have the structure of the example arguments/);
    refuses(
      () => converted(np.ones([2]), np.ones([3])),
      /argument leaf 1 is float32\[3\] but the example was float32\[2\]/,
    );
    let calls = 0;
    grad((w: Tracer) => {
      const [c] = closure_convert((x: Tracer) => np.multiply(x, w), np.ones([2]));
      refuses(() => c(), /takes the arguments and then the 1 hoisted constants, but was called with 0 values/);
      calls++;
      return np.sum(w);
    })(np.ones([2]));
    assert.equal(calls, 1);
    refuses(() => closure_convert(3 as never), /closure_convert: the first argument must be a function, got number/);
  });
});
