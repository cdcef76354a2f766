// The third NumPy surface batch against JAX (scripts/jax/run_jax_surface3.py wrote
// test/fixtures/jax/surface3.json): quantile / percentile / median in every method, along axes,
// with q as an array, keepdims and NaN slices; average with weights; ptp; nansum / nanmean;
// count_nonzero; diff; logspace; trapezoid; polyval; isclose / allclose with infinities and NaN;
// nan_to_num; sinc; heaviside; tensordot; and gradients where JAX defines them. Each on the CPU
// reference, on WebGPU and under jit on WebGPU (harness.ts opCases); then the argument errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { grad, vmap } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { opCases, type Nested, type OpCase, refuses } from "./harness.js";
import { fixtureCases } from "./surface2Expected.js";

const { jaxOpCase, ids } = fixtureCases("surface3");
const f = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const METHODS = ["linear", "lower", "higher", "nearest", "midpoint"] as const;

const cases: OpCase[] = [
  ...METHODS.flatMap((method) => [
    jaxOpCase(`quantile_${method}_flat`, (v, q) => np.quantile(f(v), f(q), { method })),
    jaxOpCase(`quantile_${method}_axis1`, (a) => np.quantile(f(a), 0.3, { axis: 1, method })),
  ]),
  jaxOpCase("quantile_q_array_axis0_keepdims", (a, q) => np.quantile(f(a), f(q), { axis: 0, keepdims: true })),
  jaxOpCase("quantile_q_array_axis1", (a, q) => np.quantile(f(a), f(q), { axis: 1 })),
  jaxOpCase("percentile_axis0", (a) => np.percentile(f(a), 75, { axis: 0 })),
  jaxOpCase("median_flat", (v) => np.median(f(v))),
  jaxOpCase("median_axis1_even", (a) => np.median(f(a), 1)),
  jaxOpCase("median_nan_row", (a) => np.median(f(a), 1)),
  jaxOpCase("grad_quantile_linear", (v) => grad((x: Tracer) => np.quantile(x, 0.3))(f(v)) as Tracer),
  jaxOpCase("grad_median_axis1", (a) => grad((x: Tracer) => np.sum(np.median(x, 1)))(f(a)) as Tracer),
  jaxOpCase("average_plain_axis0", (a) => np.average(f(a), 0)),
  jaxOpCase("average_weights_full", (a, w) => np.average(f(a), 1, { weights: f(w) }), { rtol: 1e-5 }),
  jaxOpCase("average_weights_1d", (a, w) => np.average(f(a), 1, { weights: f(w) }), { rtol: 1e-5 }),
  jaxOpCase("average_weights_all", (a, w) => np.average(f(a), null, { weights: f(w) }), { rtol: 1e-5 }),
  jaxOpCase(
    "grad_average_weights",
    (a, w) => grad((ww: Tracer) => np.sum(np.average(f(a), 1, { weights: ww })))(f(w)) as Tracer,
    { rtol: 1e-5, atol: 1e-6 },
  ),
  jaxOpCase("ptp_axis1", (a) => np.ptp(f(a), 1)),
  jaxOpCase("nansum_axis1", (a) => np.nansum(f(a), 1)),
  jaxOpCase("nanmean_axis1", (a) => np.nanmean(f(a), 1)),
  jaxOpCase("nanmean_all_nan", (a) => np.nanmean(f(a), 1)),
  jaxOpCase("count_nonzero_axis1", (a) => np.count_nonzero(f(a), 1), { dtype: "int32" }),
  jaxOpCase("diff_n1", (a) => np.diff(f(a))),
  jaxOpCase("diff_n2_axis0", (a) => np.diff(f(a), 2, 0)),
  jaxOpCase("logspace", () => np.logspace(-2, 3, 6), { rtol: 2e-5 }),
  jaxOpCase("logspace_base2_no_end", () => np.logspace(0, 4, 5, { endpoint: false, base: 2 }), { rtol: 2e-5 }),
  jaxOpCase("trapezoid_dx", (a) => np.trapezoid(f(a), null, 0.5), { rtol: 1e-5, atol: 1e-6 }),
  jaxOpCase("trapezoid_x_axis1", (a, x) => np.trapezoid(f(a), f(x), 1, 1), { rtol: 1e-5, atol: 1e-6 }),
  jaxOpCase("grad_trapezoid", (a, x) => grad((y: Tracer) => np.sum(np.trapezoid(y, f(x), 1, 1)))(f(a)) as Tracer),
  jaxOpCase("polyval", (p, x) => np.polyval(f(p), f(x)), { rtol: 1e-5 }),
  jaxOpCase("grad_polyval_x", (p, x) => vmap(grad((v: Tracer) => np.polyval(f(p), v)))(f(x)) as Tracer, { rtol: 1e-5 }),
  jaxOpCase("isclose", (a, b) => np.isclose(f(a), f(b)), { dtype: "bool" }),
  jaxOpCase("isclose_equal_nan", (a, b) => np.isclose(f(a), f(b), { equal_nan: true }), { dtype: "bool" }),
  jaxOpCase("isclose_tols", (a, b) => np.isclose(f(a), f(b), { rtol: 1e-2, atol: 1e-3 }), { dtype: "bool" }),
  jaxOpCase("allclose_true", (a, b) => np.allclose(f(a), f(b)), { dtype: "bool" }),
  jaxOpCase("allclose_false", (a, b) => np.allclose(f(a), f(b)), { dtype: "bool" }),
  jaxOpCase("nan_to_num", (x) => np.nan_to_num(f(x))),
  jaxOpCase("nan_to_num_values", (x) => np.nan_to_num(f(x), { nan: -1, posinf: 9, neginf: -9 })),
  jaxOpCase("sinc", (x) => np.sinc(f(x)), { rtol: 1e-5, atol: 1e-6 }),
  jaxOpCase("grad_sinc", (x) => vmap(grad((v: Tracer) => np.sinc(v)))(f(x)) as Tracer, { rtol: 1e-4, atol: 1e-5 }),
  jaxOpCase("heaviside", (x, h) => np.heaviside(f(x), f(h))),
  jaxOpCase("tensordot_2", (a, b) => np.tensordot(f(a), f(b), 2), { rtol: 1e-5, atol: 1e-6 }),
  jaxOpCase(
    "tensordot_pairs",
    (a, c) =>
      np.tensordot(f(a), f(c), [
        [2, 0],
        [0, 1],
      ]),
    { rtol: 1e-5, atol: 1e-6 },
  ),
  jaxOpCase("tensordot_0", (a, b) => np.tensordot(f(a), f(b), 0), { rtol: 1e-5, atol: 1e-6 }),
  jaxOpCase(
    "grad_tensordot",
    (a, b) => grad((x: Tracer) => np.sum(np.square(np.tensordot(x, f(b), 2))))(f(a)) as Tracer,
    { rtol: 1e-4, atol: 1e-5 },
  ),
];

test("every case in surface3.json has a check here, and no check names a missing case", () => {
  assert.deepEqual(cases.map((c) => c.name).sort(), [...ids].sort());
});

opCases("surface3", cases);

test("the batch refuses bad arguments, naming the function: q of 2 dims, an unknown method, weights of another shape, tensordot's mismatched axes, a negative diff order", () => {
  const a = np.ones([3, 4]);
  refuses(() => np.quantile(a, np.ones([2, 2])), /quantile: q must be a number or a 1-D array, got shape \[2,2\]/);
  refuses(() => np.quantile(a, 0.5, { method: "cubic" as never }), /quantile: method must be linear, lower, higher/);
  refuses(
    () => np.average(a, 1, { weights: np.ones([3]) }),
    /average: 1-D weights of length 3 do not match axis 1 of \[3,4\]/,
  );
  refuses(
    () => np.tensordot(a, np.ones([3, 4]), 1),
    /tensordot: axis 1 of \[3,4\] \(4\) does not match axis 0 of \[3,4\] \(3\)/,
  );
  refuses(() => np.diff(a, -1), /diff: n must be an integer ≥ 0, got -1/);
});
