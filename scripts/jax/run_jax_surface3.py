#!/usr/bin/env python3
"""Expected values for the third NumPy surface batch: quantile / percentile / median (every
method, axes, keepdims, q as an array, NaN slices), average with weights, ptp, nansum / nanmean,
count_nonzero, diff, logspace, trapezoid, polyval, isclose / allclose (infinities, NaN,
equal_nan), nan_to_num, sinc, heaviside, tensordot; gradients where they are defined.

Writes test/fixtures/jax/surface3.json, replayed by test/unit/ops/surface3.test.ts. JAX in
float32 on float32 inputs. NaN, ±inf and -0 are strings (fixture_json.py).
Run:  /work/venv-jax/bin/python scripts/jax/run_jax_surface3.py
"""
import json
import os

import jax

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

from fixture_json import enc  # noqa: E402

f32 = lambda a: np.asarray(a, dtype=np.float32)  # noqa: E731
rng = np.random.default_rng(3)
cases = {}


def case(name, inputs, out):
    cases[name] = {"inputs": [enc(np.asarray(i)) for i in inputs], "expect": enc(np.asarray(out))}


A = f32(rng.normal(size=(4, 5)) * 3)
A[1, 2] = A[1, 3]  # a tie
V = f32([3.0, -1.0, 7.0, 2.0, 2.0, 10.0, -4.0])
NANROW = f32([[1.0, 2.0, np.nan, 4.0], [5.0, 1.0, 3.0, 2.0]])
Q = f32([0.0, 0.1, 0.25, 0.5, 0.9, 1.0])

for method in ["linear", "lower", "higher", "nearest", "midpoint"]:
    case(f"quantile_{method}_flat", [V, Q], jnp.quantile(V, Q, method=method))
    case(f"quantile_{method}_axis1", [A], jnp.quantile(A, 0.3, axis=1, method=method))
case("quantile_q_array_axis0_keepdims", [A, Q], jnp.quantile(A, Q, axis=0, keepdims=True))
case("quantile_q_array_axis1", [A, Q], jnp.quantile(A, Q, axis=1))
case("percentile_axis0", [A], jnp.percentile(A, 75.0, axis=0))
case("median_flat", [V], jnp.median(V))
case("median_axis1_even", [A[:, :4]], jnp.median(A[:, :4], axis=1))
case("median_nan_row", [NANROW], jnp.median(NANROW, axis=1))
case("grad_quantile_linear", [V], jax.grad(lambda v: jnp.quantile(v, 0.3))(V))
case("grad_median_axis1", [A], jax.grad(lambda a: jnp.sum(jnp.median(a, axis=1)))(A))

W = f32(rng.random(size=(4, 5)) + 0.1)
W1 = f32([1.0, 2.0, 0.5, 3.0, 1.5])
case("average_plain_axis0", [A], jnp.average(A, axis=0))
case("average_weights_full", [A, W], jnp.average(A, axis=1, weights=W))
case("average_weights_1d", [A, W1], jnp.average(A, axis=1, weights=W1))
case("average_weights_all", [A, W], jnp.average(A, weights=W))
case("grad_average_weights", [A, W], jax.grad(lambda a, w: jnp.sum(jnp.average(a, axis=1, weights=w)), (0, 1))(A, W)[1])
case("ptp_axis1", [A], jnp.ptp(A, axis=1))
case("nansum_axis1", [NANROW], jnp.nansum(NANROW, axis=1))
case("nanmean_axis1", [NANROW], jnp.nanmean(NANROW, axis=1))
case("nanmean_all_nan", [f32([[np.nan, np.nan], [1.0, np.nan]])], jnp.nanmean(f32([[np.nan, np.nan], [1.0, np.nan]]), axis=1))
CNZ = f32([[0.0, 1.0, -0.0, 2.0], [0.0, 0.0, 3.0, np.nan]])
case("count_nonzero_axis1", [CNZ], jnp.count_nonzero(CNZ, axis=1))

case("diff_n1", [A], jnp.diff(A))
case("diff_n2_axis0", [A], jnp.diff(A, n=2, axis=0))
case("logspace", [], jnp.logspace(-2.0, 3.0, 6))
case("logspace_base2_no_end", [], jnp.logspace(0.0, 4.0, 5, endpoint=False, base=2.0))
X = f32([0.0, 0.5, 1.5, 2.0, 4.0])
case("trapezoid_dx", [A], jnp.trapezoid(A, dx=0.5))
case("trapezoid_x_axis1", [A, X], jnp.trapezoid(A, X, axis=1))
case("grad_trapezoid", [A, X], jax.grad(lambda a: jnp.trapezoid(a, X, axis=1).sum())(A))
P = f32([2.0, -3.0, 0.5, 1.0])
PX = f32([-2.0, -0.5, 0.0, 0.7, 3.0])
case("polyval", [P, PX], jnp.polyval(P, PX))
case("grad_polyval_x", [P, PX], jax.vmap(jax.grad(lambda x: jnp.polyval(P, x)))(PX))

IA = f32([1.0, 1.0, 1e10, np.inf, np.inf, -np.inf, np.nan, np.nan, 0.0, 1e-9, 100.0])
IB = f32([1.0 + 1e-6, 1.1, 1.00001e10, np.inf, -np.inf, -np.inf, np.nan, 1.0, 1e-9, 0.0, 100.001])
case("isclose", [IA, IB], jnp.isclose(IA, IB))
case("isclose_equal_nan", [IA, IB], jnp.isclose(IA, IB, equal_nan=True))
case("isclose_tols", [IA, IB], jnp.isclose(IA, IB, rtol=1e-2, atol=1e-3))
case("allclose_true", [IA[:1], IB[:1]], jnp.allclose(IA[:1], IB[:1]))
case("allclose_false", [IA, IB], jnp.allclose(IA, IB))
NN = f32([np.nan, np.inf, -np.inf, 1.5, -0.0])
case("nan_to_num", [NN], jnp.nan_to_num(NN))
case("nan_to_num_values", [NN], jnp.nan_to_num(NN, nan=-1.0, posinf=9.0, neginf=-9.0))
SX = f32([-3.0, -1.5, -0.5, -1e-4, 0.0, 1e-4, 0.25, 1.0, 2.5, 10.0])
case("sinc", [SX], jnp.sinc(SX))
# Not at ±1e-4: there float32's sin(πx)/(πx) derivative is cancellation noise, in JAX as in ours.
SG = f32([-3.0, -1.5, -0.5, 0.0, 0.25, 1.0, 2.5, 10.0])
case("grad_sinc", [SG], jax.vmap(jax.grad(jnp.sinc))(SG))
HX = f32([-2.0, -0.0, 0.0, 3.0, np.nan])
case("heaviside", [HX, f32([0.5, 0.5, 0.25, 0.5, 0.5])], jnp.heaviside(HX, f32([0.5, 0.5, 0.25, 0.5, 0.5])))
TA = f32(rng.normal(size=(2, 3, 4)))
TB = f32(rng.normal(size=(3, 4, 5)))
TC = f32(rng.normal(size=(4, 2, 6)))
case("tensordot_2", [TA, TB], jnp.tensordot(TA, TB, 2))
case("tensordot_pairs", [TA, TC], jnp.tensordot(TA, TC, axes=([2, 0], [0, 1])))
case("tensordot_0", [TA[0, 0], TB[0, 0]], jnp.tensordot(TA[0, 0], TB[0, 0], 0))
case("grad_tensordot", [TA, TB], jax.grad(lambda a: jnp.sum(jnp.tensordot(a, TB, 2) ** 2))(TA))

out = os.path.join(os.path.dirname(__file__), "../../test/fixtures/jax/surface3.json")
with open(out, "w") as fh:
    json.dump({"jax": jax.__version__, "cases": cases}, fh, indent=None, separators=(",", ":"))
    fh.write("\n")
print(f"wrote {len(cases)} cases to {os.path.normpath(out)}")
