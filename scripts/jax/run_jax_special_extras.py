#!/usr/bin/env python3
"""jax.scipy.special's erfcx, exp1, expi, expn, dawsn, sici, fresnel, spence, bernoulli and owens_t
on grids that cross each expansion's switch points (erfcx at 5 and 9.4; Eₙ at x = 1 and n = 5000;
Ei at 0, 2, 4, …, 64; dawsn at 3.25 and 6.25; sici at 4, 8 and 1e9; fresnel at x² = 2.5625 and
36974; spence at ½, 1.5 and 2; owens_t at |a| = 1 and |a|h = 0.67), at 0, negative arguments,
±inf, NaN and large arguments, on int32 input, with gradients.

erfcx's expected values are JAX's float64 ones rounded to float32: JAX's float32 erfcx computes
e^{x²}·erfc(x) up to 9.4, where erfc is subnormal (erfcx(9.4) = 0 there); ours switches to the
asymptotic series at 5. Every other case is JAX's float32 value. For each function the script
prints JAX float32's largest relative error against JAX float64 on the same grid, which is what
the test's tolerances are set from.

JAX's expn runs its series and continued fraction in while_loops over the whole array (every
branch is evaluated), so a very small x (1e-30) in an array makes the fraction loop near forever:
such points are computed one at a time here.

Writes test/fixtures/jax/special_extras.json, replayed by test/unit/ops/specialExtras.test.ts on
CPU and WebGPU, eager and under jit (through surface2Expected.ts's fixtureCases).
Run:  $JAX_PYTHON scripts/jax/run_jax_special_extras.py   (~1 min)
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import jax  # noqa: E402

jax.config.update("jax_platforms", "cpu")
jax.config.update("jax_enable_x64", True)
import jax.scipy.special as jss  # noqa: E402
import numpy as np  # noqa: E402

from fixture_json import Cases  # noqa: E402

case = Cases()
f32, f64 = np.float32, np.float64


def rel_err(fn, *args):
    """JAX float32's largest relative error against JAX float64 (finite points, |value| > 1e-30)."""
    lo = fn(*[np.asarray(a, f32) for a in args])
    hi = fn(*[np.asarray(a, f64) for a in args])
    lo, hi = (lo, hi) if isinstance(lo, (tuple, list)) else ((lo,), (hi,))
    worst = 0.0
    for a, b in zip(lo, hi):
        a, b = np.asarray(a, f64), np.asarray(b, f64)
        ok = np.isfinite(a) & np.isfinite(b) & (np.abs(b) > 1e-30)
        if ok.any():
            worst = max(worst, float(np.max(np.abs(a[ok] - b[ok]) / np.abs(b[ok]))))
    return worst


def both(name, fn, *args):
    """The float32 case, and JAX float32's error against float64 on it."""
    ins = [np.asarray(a, f32) if np.asarray(a).dtype.kind == "f" else np.asarray(a) for a in args]
    case(name, ins, fn(*ins))
    print(f"{name:24s} jax f32 vs f64: {rel_err(fn, *args):.2e}")


def grad_of(fn):
    return jax.vmap(jax.grad(fn))


edges = [0.0, -0.0, np.inf, -np.inf, np.nan]

# erfcx: the direct branch (negative x too, to overflow near −9.4), our switch at 5, JAX's at 9.4.
xe = np.array([-9.5, -9.3, -5.0, -1.5, -1e-3, 0.0, 0.3, 1.0, 2.5, 4.0, 4.99, 5.0, 5.01, 7.0, 9.0, 9.3,
               9.4, 9.5, 12.0, 30.0, 1e3, 1e20, np.inf, -np.inf, np.nan], f32)
case("erfcx", [xe], np.asarray(jss.erfcx(xe.astype(f64)), f32))
print(f"{'erfcx':24s} jax f32 vs f64: {rel_err(jss.erfcx, xe):.2e} (f32 flushes to 0 at 9.4)")
both("erfcx_int", jss.erfcx, np.array([-3, 0, 2, 7], np.int32))
ge = np.array([-3.0, -0.5, 0.0, 0.7, 3.0, 6.0, 20.0], f32)
both("grad_erfcx", grad_of(jss.erfcx), ge)

# E₁ and Eₙ: the series (x ≤ 1), the fraction (x > 1, slowest near 1), n = 0, n ≥ 5000, edges.
x1 = np.array([1e-6, 1e-3, 0.1, 0.5, 0.999, 1.0, 1.001, 1.5, 2.0, 5.0, 10.0, 30.0, 80.0, 100.0], f32)
both("exp1", jss.exp1, x1)
case("exp1_edges", [np.array([0.0, -1.0, np.inf, np.nan, 1e-30], f32)],
     np.array([jss.exp1(f32(v)) for v in [0.0, -1.0, np.inf, np.nan, 1e-30]], f32))
both("exp1_int", jss.exp1, np.array([1, 2, 5], np.int32))
nn = np.array([0, 1, 2, 3, 5, 10, 30, 100, 4999, 5000, 6000], f32)
xn = np.array([0.3, 1.0, 1.2, 2.0, 5.0, 40.0], f32)
N, X = np.meshgrid(nn, xn, indexing="ij")
both("expn", jss.expn, N, X)
ne = np.array([2, 1, 2, 3, 0, -1, 2, 1, 2], f32)
xe2 = np.array([0.0, 0.0, np.inf, np.nan, np.inf, 1.0, -1.0, 1e-30, 1e-30], f32)
case("expn_edges", [ne, xe2], np.array([jss.expn(f32(a), f32(b)) for a, b in zip(ne, xe2)], f32))
gx = np.array([0.2, 0.9, 1.5, 4.0, 20.0], f32)
both("grad_exp1", grad_of(jss.exp1), gx)
both("grad_expn3", grad_of(lambda v: jss.expn(f32(3), v)), gx)

# Ei: each Cephes piece (0, 2], (2, 4], …, (32, 64], beyond; negatives through E₁; overflow.
xi = np.array([-80.0, -10.0, -1.0, -1e-4, 1e-4, 0.5, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0, 24.0,
               32.0, 50.0, 64.0, 70.0, 88.0, 100.0], f32)
both("expi", jss.expi, xi)
case("expi_edges", [np.array(edges, f32)], jss.expi(np.array(edges, f32)))
both("grad_expi", grad_of(jss.expi), np.array([-3.0, -0.5, 0.5, 3.0, 20.0], f32))

# dawsn: the three rational approximations (switches at 3.25 and 6.25), odd.
xd = np.array([-20.0, -6.3, -3.0, -1e-3, 0.0, 0.5, 0.9241, 2.0, 3.24, 3.25, 5.0, 6.24, 6.25, 10.0,
               100.0, 1e20], f32)
both("dawsn", jss.dawsn, xd)
case("dawsn_edges", [np.array(edges, f32)], jss.dawsn(np.array(edges, f32)))
both("grad_dawsn", grad_of(jss.dawsn), np.array([-4.0, 0.0, 1.0, 3.5, 8.0], f32))

# sici: the series up to 4, the asymptotic pieces (4, 8) and [8, 1e9], sin/cos over x beyond.
xs = np.array([-30.0, -4.0, -0.5, 1e-4, 0.5, 1.0, 3.9, 4.0, 4.1, 7.9, 8.0, 8.1, 20.0, 100.0, 1e4, 2e9],
              f32)
both("sici", jss.sici, xs)
case("sici_edges", [np.array(edges, f32)], jss.sici(np.array(edges, f32)))
gs = np.array([-2.0, 0.5, 3.0, 6.0, 12.0], f32)
both("grad_si", grad_of(lambda v: jss.sici(v)[0]), gs)
both("grad_ci", grad_of(lambda v: jss.sici(v)[1]), gs)

# fresnel: the polynomials (x² < 2.5625), the auxiliary functions, ½ beyond 36974.
xf = np.array([-3.0, -1.0, 0.1, 0.5, 1.0, 1.5, 1.6, 1.7, 2.0, 3.3, 5.0, 10.0, 100.5, 1000.25, 36000.0,
               4e4], f32)
both("fresnel", jss.fresnel, xf)
case("fresnel_edges", [np.array(edges, f32)], jss.fresnel(np.array(edges, f32)))
gf = np.array([-1.2, 0.3, 1.0, 2.5, 7.0], f32)
both("grad_fresnel_s", grad_of(lambda v: jss.fresnel(v)[0]), gf)
both("grad_fresnel_c", grad_of(lambda v: jss.fresnel(v)[1]), gf)

# spence: below ½ (reflection), [½, 1.5], (1.5, 2], beyond 2 (inversion), 0, 1, negatives.
xp = np.array([1e-6, 0.1, 0.49, 0.5, 0.9, 1.2, 1.5, 1.51, 2.0, 2.01, 3.0, 10.0, 1e3, 1e30], f32)
both("spence", jss.spence, xp)
case("spence_edges", [np.array([0.0, 1.0, -1.0, np.inf, np.nan], f32)],
     jss.spence(np.array([0.0, 1.0, -1.0, np.inf, np.nan], f32)))
# JAX's gradient is NaN on (1, 2] (the reflection branch's log(1 − x) leaks through the select);
# the test checks ours there against log x/(1 − x) instead.
both("grad_spence", grad_of(jss.spence), np.array([0.2, 0.7, 0.95, 2.5, 4.0], f32))

# bernoulli: n < 3, the formula's even entries, and past float32's range (inf from 64 on). It
# computes in the default float type, so float64 is switched off for it.
jax.config.update("jax_enable_x64", False)
for n in [0, 1, 2, 3, 10, 30, 70]:
    case(f"bernoulli_{n}", [np.array(n, np.int32)], jss.bernoulli(n).astype(f32))
b32 = np.asarray(jss.bernoulli(30), f64)
jax.config.update("jax_enable_x64", True)
b64 = np.asarray(jss.bernoulli(30), f64)
print(f"{'bernoulli_30':24s} jax f32 vs f64: {np.nanmax(np.abs(b32 - b64) / np.maximum(np.abs(b64), 1e-30)):.2e}")

# owens_t: |a| ≤ 1 quadrature, |a| > 1 reflection on both sides of |a|h = 0.67, h = 0, a = 1, signs.
hh = np.array([0.0, 0.3, 1.0, 2.5, -1.5, 6.0], f32)
aa = np.array([0.0, 0.4, 1.0, -0.9, 1.5, 3.0, -20.0], f32)
H, A = np.meshgrid(hh, aa, indexing="ij")
both("owens_t", jss.owens_t, H, A)
he = np.array([np.inf, 1.0, np.nan, 1.0, 0.0, 2.0], f32)
ae = np.array([0.5, np.inf, 1.0, np.nan, np.inf, -np.inf], f32)
case("owens_t_edges", [he, ae], jss.owens_t(he, ae))
gh = np.array([0.0, 0.5, 1.0, 2.0, -1.0], f32)
ga = np.array([0.3, 2.0, -0.7, 1.0, 5.0], f32)
case("grad_owens_t", [gh, ga], jax.vmap(jax.grad(jss.owens_t, argnums=(0, 1)))(gh, ga))

case.write("special_extras")
