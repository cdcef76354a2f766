// jax.lax's own names against JAX (scripts/jax/run_jax_lax.py wrote test/fixtures/jax/lax.json):
// C-style div / rem, round's two methods, logistic, integer_pow, select / select_n / clamp,
// convert_element_type; dot_general over batch and mixed dimensions; broadcast_in_dim, reshape
// with dimensions, strided slices, pad with interior and negative padding; reductions, scans in
// both directions, sort of several operands; lgamma, digamma, erf_inv with their poles and ends;
// random_gamma_grad on a grid and at JAX's own gamma draws.
// Each on the CPU reference, on WebGPU and under jit on WebGPU (harness.ts opCases); then errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { grad, vmap, lax } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { opCases, type Nested, type OpCase, refuses } from "./harness.js";
import { fixtureCases } from "./surface2Expected.js";

const { jaxOpCase, ids } = fixtureCases("lax");
const f = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const i = (v: Nested): Tracer => np.array(v as never, { dtype: "int32" });
const b = (v: Nested): Tracer => np.array(v as never, { dtype: "bool" });
const int = { dtype: "int32" } as const;
const close = { rtol: 1e-5, atol: 1e-6 };
const elementwiseGrad = (fn: (x: Tracer) => Tracer) => (x: Nested) => vmap(grad(fn))(f(x)) as Tracer;
const PAD_CONFIG = [
  [1, 2, 1],
  [-1, 1, 2],
] as const;

const cases: OpCase[] = [
  jaxOpCase("div_int", (x, y) => lax.div(i(x), i(y)), int),
  jaxOpCase("rem_int", (x, y) => lax.rem(i(x), i(y)), int),
  jaxOpCase("div_float", (x, y) => lax.div(f(x), f(y))),
  jaxOpCase("rem_float", (x, y) => lax.rem(f(x), f(y))),
  jaxOpCase("round_away_from_zero", (x) => lax.round(f(x))),
  jaxOpCase("round_to_even", (x) => lax.round(f(x), lax.RoundingMethod.TO_NEAREST_EVEN)),
  jaxOpCase("logistic", (x) => lax.logistic(f(x)), close),
  jaxOpCase("grad_logistic", elementwiseGrad(lax.logistic), close),
  jaxOpCase("integer_pow_3", (x) => lax.integer_pow(f(x), 3), close),
  jaxOpCase("integer_pow_neg2", (x) => lax.integer_pow(f(x), -2), close),
  jaxOpCase(
    "grad_integer_pow_3",
    elementwiseGrad((x) => lax.integer_pow(x, 3)),
    close,
  ),
  jaxOpCase("select", (p, x) => lax.select(b(p), f(x), np.negative(f(x)))),
  jaxOpCase("select_n", (w, x) => lax.select_n(i(w), f(x), np.multiply(f(x), 10), np.multiply(f(x), 100))),
  jaxOpCase("clamp", (x) => lax.clamp(-1, f(x), 2)),
  jaxOpCase("convert_float_to_int", (x) => lax.convert_element_type(f(x), np.int32), int),
  jaxOpCase(
    "dot_general_batch",
    (x, y) =>
      lax.dot_general(f(x), f(y), [
        [[2], [1]],
        [[0], [0]],
      ]),
    close,
  ),
  jaxOpCase(
    "dot_general_mixed",
    (x, y) =>
      lax.dot_general(f(x), f(y), [
        [[2], [0]],
        [[0], [1]],
      ]),
    close,
  ),
  jaxOpCase(
    "dot_general_outer",
    (x, y) =>
      lax.dot_general(f(x), f(y), [
        [[], []],
        [[], []],
      ]),
    close,
  ),
  jaxOpCase(
    "grad_dot_general",
    (x, y) =>
      grad((a: Tracer) =>
        np.sum(
          np.square(
            lax.dot_general(a, f(y), [
              [[2], [0]],
              [[0], [1]],
            ]),
          ),
        ),
      )(f(x)) as Tracer,
    { rtol: 1e-4, atol: 1e-5 },
  ),
  jaxOpCase("dot_matvec", (m, v) => lax.dot(f(m), f(v)), close),
  jaxOpCase("broadcast_in_dim_vector", (v) => lax.broadcast_in_dim(f(v), [2, 3, 4], [1])),
  jaxOpCase("broadcast_in_dim_column", (v) => lax.broadcast_in_dim(f(v), [3, 4], [0, 1])),
  jaxOpCase("broadcast_prepends", (v) => lax.broadcast(f(v), [2])),
  jaxOpCase("reshape_dimensions", (a) => lax.reshape(f(a), [4, 6], [2, 0, 1])),
  jaxOpCase("slice_strides", (x) => lax.slice(f(x), [1, 0], [5, 6], [2, 3])),
  jaxOpCase("slice_in_dim", (x) => lax.slice_in_dim(f(x), 1, 5, 2, 1)),
  jaxOpCase("index_in_dim_drop", (x) => lax.index_in_dim(f(x), -2, 0, false)),
  jaxOpCase("pad_interior_negative", (x) => lax.pad(f(x), -1, PAD_CONFIG)),
  jaxOpCase(
    "grad_pad",
    (x) =>
      grad((t: Tracer) =>
        np.sum(np.multiply(lax.pad(t, 0, PAD_CONFIG), np.reshape(np.arange(42, { dtype: "float32" }), [6, 7]))),
      )(f(x)) as Tracer,
  ),
  jaxOpCase("rev", (a) => lax.rev(f(a), [0, 2])),
  jaxOpCase("broadcasted_iota", () => lax.broadcasted_iota("int32", [3, 4], 1), int),
  jaxOpCase("full_like", (m) => lax.full_like(f(m), 7)),
  jaxOpCase("reduce_sum", (a) => lax.reduce_sum(f(a), [0, 2]), close),
  jaxOpCase("reduce_max", (a) => lax.reduce_max(f(a), [1])),
  jaxOpCase("reduce_prod", (r) => lax.reduce_prod(f(r), [1]), close),
  jaxOpCase("argmax_axis0", (r) => lax.argmax(f(r), 0, "int32"), int),
  jaxOpCase("cumsum_reverse", (r) => lax.cumsum(f(r), 1, true), close),
  jaxOpCase("cumprod", (r) => lax.cumprod(f(r), 0), close),
  jaxOpCase("cummax", (r) => lax.cummax(f(r), 1)),
  jaxOpCase("cummin_reverse", (r) => lax.cummin(f(r), 1, true)),
  jaxOpCase("cumlogsumexp", (r) => lax.cumlogsumexp(f(r), 1), close),
  jaxOpCase(
    "grad_cumlogsumexp",
    (r) =>
      grad((x: Tracer) => np.sum(np.multiply(lax.cumlogsumexp(x, 1), np.arange(5, { dtype: "float32" }))))(
        f(r),
      ) as Tracer,
    close,
  ),
  jaxOpCase("grad_cummax", (r) => grad((x: Tracer) => np.sum(lax.cummax(x, 1)))(f(r)) as Tracer),
  jaxOpCase("sort_keys", (k, v) => (lax.sort([f(k), i(v)]) as Tracer[])[0]!),
  jaxOpCase("sort_values", (k, v) => (lax.sort([f(k), i(v)]) as Tracer[])[1]!, int),
  jaxOpCase("sort_key_val_values", (r) => lax.sort_key_val(f(r), np.broadcast_to(np.arange(5), [3, 5]), 1)[1], int),
  // JAX's own float32 Lanczos is off by ~5e-7 at 1 and 2 (lgamma(1) = 4.8e-7 there).
  jaxOpCase("lgamma", (x) => lax.lgamma(f(x)), { rtol: 2e-5, atol: 2e-6 }),
  jaxOpCase("lgamma_poles", () => lax.lgamma(f([0, -1, -3]))),
  jaxOpCase("grad_lgamma", elementwiseGrad(lax.lgamma), { rtol: 1e-4, atol: 1e-5 }),
  jaxOpCase("digamma", (x) => lax.digamma(f(x)), { rtol: 2e-5, atol: 2e-6 }),
  jaxOpCase("digamma_poles", () => lax.digamma(f([0, -1, -3]))),
  jaxOpCase("erf_inv", (x) => lax.erf_inv(f(x)), { rtol: 2e-5, atol: 1e-6 }),
  jaxOpCase("grad_erf_inv", elementwiseGrad(lax.erf_inv), { rtol: 1e-4, atol: 1e-5 }),
  // The series sums in float32 with cancellation at large a: 3.6e-5 relative at a = 1000.
  jaxOpCase("random_gamma_grad", (a, z) => lax.random_gamma_grad(f(a), f(z)), { rtol: 1e-4, atol: 1e-6 }),
  jaxOpCase("random_gamma_grad_draws", (a, z) => lax.random_gamma_grad(f(a), f(z)), { rtol: 1e-4, atol: 1e-6 }),
];

test("every case in lax.json has a check here, and no check names a missing case", () => {
  assert.deepEqual(cases.map((c) => c.name).sort(), [...ids].sort());
});

opCases("lax", cases);

test("lax's names refuse what JAX refuses, naming the function: dot_general's mismatched sizes, broadcast_in_dim's decreasing dimensions, a pad config per dimension, lgamma of an int array, select on a float predicate", () => {
  refuses(
    () =>
      lax.dot_general(np.ones([2, 3]), np.ones([4, 5]), [
        [[1], [0]],
        [[], []],
      ]),
    /lax.dot_general: lhs dimension 1 \(3\) does not match rhs dimension 0 \(4\)/,
  );
  refuses(
    () => lax.broadcast_in_dim(np.ones([2, 3]), [3, 2], [1, 0]),
    /lax.broadcast_in_dim: cannot put \[2,3\] into \[3,2\] at dimensions \[1,0\]/,
  );
  refuses(
    () => lax.pad(np.ones([2, 3]), 0, [[1, 1, 0]]),
    /lax.pad: padding_config needs one \[low, high, interior ≥ 0\]/,
  );
  refuses(() => lax.lgamma(np.arange(3)), /lax.lgamma takes float32, got int32/);
  refuses(() => lax.select(np.ones([2]), 1, 2), /lax.select: pred must be bool, got float32/);
});
