#!/usr/bin/env python3
"""jax.scipy.special's bessel_jn, hyp1f1 and hyp2f1 in float32.

bessel_jn: J_0..J_4 over z from 0 to 60, negative, NaN and inf (JAX's float32 recurrence gives
NaN for z below ~3.4, where its start 1e-16 grows past float32's range, and drifts for z past
n_iter: those values are JAX's and are kept), v = 0 on a 0-d input, a shorter n_iter, v past
n_iter (n_iter + 1 rows), int32 input, and the gradient of J_2 in z (against SciPy: float32 JAX's
is wrong there). hyp1f1: a grid through JAX's conventions (a = 0, a = b, b = 0, NaN, inf), both sides of
|x| = 100 (series and asymptotic expansion), with gradients in a, b and x on a moderate grid.
hyp2f1: every case of JAX's case analysis (x = 0, a or b = 0, c = 0 or a negative whole c, Euler's
transformation, b = c, a = c, x > 1, x = 1 with Gauss's formula, the ψ transformation near x = 1
with d = c - a - b whole, the terminating sums, the plain series), NaN, and gradients in a, b, c
and x. Beside JAX's float32 values, float64 references (JAX with x64 off cannot give them; SciPy's
jv, hyp1f1 and hyp2f1 do) for the grids where float32 JAX is accurate, so the tests can say how
far float32 is from the true value.

Writes test/fixtures/jax/special_hyp.json, replayed by test/unit/ops/specialHyp.test.ts on CPU
and WebGPU, eager and under jit (through surface2Expected.ts's fixtureCases).
Run:  $JAX_PYTHON scripts/jax/run_jax_special_hyp.py   (~5 s)
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import jax  # noqa: E402

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
import scipy.special as ss  # noqa: E402
from jax.scipy.special import bessel_jn, hyp1f1, hyp2f1  # noqa: E402

from fixture_json import Cases  # noqa: E402

case = Cases()
f32 = lambda v: np.asarray(v, np.float32)  # noqa: E731
nan, inf = np.nan, np.inf

# ---- bessel_jn ----
z = f32([0, 1e-3, 0.5, 1, 1.5, 2, 3.7, 5, 10, 20, 35, 50, 60, -3, nan, inf])
case("jn_grid", [z], bessel_jn(z, v=4))
case("jn_scalar_v0", [f32(2.5)], bessel_jn(f32(2.5), v=0))
z2 = f32([[2, 4.5], [7, 12]])
case("jn_niter30", [z2], bessel_jn(z2, v=2, n_iter=30))
case("jn_v_past_niter", [f32([3, 6])], bessel_jn(f32([3, 6]), v=10, n_iter=5))
case("jn_int32", [np.asarray([2, 5, 9], np.int32)], bessel_jn(jnp.asarray([2, 5, 9], jnp.int32), v=1))
# float32 JAX's gradient through its scan is wrong below z ~ 10 (0 at 3.5, -4.9 at 4, 1.85 at 6:
# the reverse pass overflows) and NaN below ~3.4; the expected values are SciPy's float64 J2'(z).
zg = f32([3.5, 4, 6, 11, 25])
case("jn_grad_scipy64", [zg], ss.jvp(2, zg.astype(np.float64)))
zs = f32([3.7, 5, 8, 11, 18, 25])
case("jn_scipy64", [zs], np.stack([ss.jv(n, zs.astype(np.float64)) for n in range(4)]))

# ---- hyp1f1 ----
rows1 = [
    (0.5, 1.5, 0.3), (1, 2, -1), (2, 1, 5), (0, 2, 1), (0, 0, 1), (3, 3, 2), (1.5, 0, 1), (-2.5, 1.5, 2),
    (-3, 2, -4), (2, 3, 120), (1, 2, -150), (0.5, 1, 99.9), (nan, 1, 1), (1, inf, 1), (1, 2, nan),
    (1, 2, 0), (0.7, 2.2, 30), (2, 5, -20), (4, 1.5, 10), (1, 1.5, -0.5), (-1, 3, 7), (2, 2.5, 200),
]
a1, b1, x1 = [f32(v) for v in zip(*rows1)]
case("h1_grid", [a1, b1, x1], hyp1f1(a1, b1, x1))
ga, gb, gx = f32([0.5, 1, 2, 1.5, 3, 0.7]), f32([1.5, 2, 1, 2.5, 4, 2.2]), f32([0.3, -1, 2, 4, -2.5, 6])
case("h1_grad", [ga, gb, gx], jax.vmap(jax.grad(hyp1f1, (0, 1, 2)))(ga, gb, gx))
case("h1_scipy64", [ga, gb, gx], ss.hyp1f1(*(v.astype(np.float64) for v in (ga, gb, gx))))
case("h1_broadcast", [f32([[0.5], [2]]), f32(1.5), f32([-1, 0.5, 3])], hyp1f1(f32([[0.5], [2]]), f32(1.5), f32([-1, 0.5, 3])))

# ---- hyp2f1 ----
rows2 = [
    (1, 1, 2, 0.5), (0.5, 1.5, 2.5, -0.7), (2, 3, 4, 0.95), (1.5, 2.5, 4, 0.95), (1, 2, 3, 0.95), (1, 1, 2, 0.99),
    (0.5, 0.5, 3, 0.97), (-3, 2, 1.5, 0.4), (2, -4, 3, 0.8), (-2, -3, -5, 0.3), (1, 2, 0, 0.3), (1, 2, -2, 0.3),
    (1, 2, 3, 1.2), (1, 2, 3, 1.0), (1, 2, 4.5, 1.0), (3, 2, 2, 0.5), (3, 2, 3, 0.5), (0, 2, 3, 0.5),
    (1, 2, 3, 0), (2, 3, 1, 0.5), (2, 3, 1, 0.95), (2.5, 3, 1, 0.95), (nan, 1, 2, 0.5), (1, 1, 2, nan),
    (1, 1, 2, -3), (0.5, 1, 1.5, -0.9), (1, 1, 4, 0.99), (0.3, 0.7, 1.2, 0.93), (-2.5, 1, 2, 0.95),
    (2, 2, 5, 0.92), (1, 3, 2, -0.5), (-1.5, -3, 2, 0.6), (1, -3, -1, 0.5), (2, 3, 4, 0.91), (2, 3, 7, 0.95),
]
a2, b2, c2, x2 = [f32(v) for v in zip(*rows2)]
case("h2_grid", [a2, b2, c2, x2], hyp2f1(a2, b2, c2, x2))
pa, pb, pc, px = f32([1, 0.5, 2, 1.5, 0.3]), f32([1, 1.5, 3, 2.5, 0.7]), f32([2, 2.5, 4, 4, 1.2]), f32([0.5, -0.7, 0.3, -0.4, 0.6])
case("h2_grad", [pa, pb, pc, px], jax.vmap(jax.grad(hyp2f1, (0, 1, 2, 3)))(pa, pb, pc, px))
case("h2_scipy64", [pa, pb, pc, px], ss.hyp2f1(*(v.astype(np.float64) for v in (pa, pb, pc, px))))
near = [f32(v) for v in zip((2, 3, 4, 0.95), (1.5, 2.5, 4, 0.95), (1, 1, 4, 0.99), (0.3, 0.7, 1.2, 0.93))]
case("h2_near_one_scipy64", near, ss.hyp2f1(*(v.astype(np.float64) for v in near)))
case.write("special_hyp")
