#!/usr/bin/env python3
"""The tenth API batch: polynomial arithmetic (`polyadd polysub polymul polyder polyint`: unequal
lengths, int32 and mixed dtypes, m = 0, m past the degree, integration constants as a number and
one per integration) with gradients, and the complex-number functions on real inputs (`real
imag conj conjugate iscomplex isreal angle`, with −0, negatives, int32 and `deg`), and the
regularized incomplete gamma functions (`lax.igamma igammac`, scipy.special's `gammainc
gammaincc`: both expansions, the domain's edges, gradients in a and x) with the distributions
built on them (`stats.gamma.cdf sf logcdf logsf`, `stats.chi2`, `stats.poisson.cdf`).

Writes test/fixtures/jax/surface10.json, replayed by test/unit/ops/surface10.test.ts on CPU and
WebGPU, eager and under jit (through surface2Expected.ts's fixtureCases).
Run:  $JAX_PYTHON scripts/jax/run_jax_surface10.py   (~3 s)
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import jax  # noqa: E402

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

from fixture_json import Cases  # noqa: E402

case = Cases()
a = np.array([1.0, 2.0, 3.0], np.float32)
b = np.array([4.0, 5.0], np.float32)
c = np.array([0.5, -1.5, 2.0, 0.25, -3.0], np.float32)
ai = np.array([1, 2, 3, 4], np.int32)
bi = np.array([7, -2], np.int32)

case("polyadd", [a, b], jnp.polyadd(a, b))
case("polyadd_rev", [b, a], jnp.polyadd(b, a))
case("polyadd_int", [ai, bi], jnp.polyadd(ai, bi))
case("polyadd_mixed", [ai, b], jnp.polyadd(ai, b))
case("polysub", [a, b], jnp.polysub(a, b))
case("polysub_rev", [b, c], jnp.polysub(b, c))
case("polymul", [a, b], jnp.polymul(a, b))
case("polymul_long", [c, a], jnp.polymul(c, a))
case("polymul_int", [ai, bi], jnp.polymul(ai, bi))
case("polyder", [c], jnp.polyder(c))
case("polyder_2", [c], jnp.polyder(c, 2))
case("polyder_0", [c], jnp.polyder(c, 0))
case("polyder_4", [c], jnp.polyder(c, 4))
case("polyder_int", [ai], jnp.polyder(ai, 2))
case("polyint", [a], jnp.polyint(a))
case("polyint_2", [c], jnp.polyint(c, 2))
case("polyint_k", [a], jnp.polyint(a, k=5.0))
case("polyint_ks", [a, np.array([1.0, 2.0], np.float32)], jnp.polyint(a, 2, k=jnp.array([1.0, 2.0])))
case("polyint_int", [ai], jnp.polyint(ai))
case("polyint_0", [c], jnp.polyint(c, 0))
case("grad_polymul", [c, a], jax.grad(lambda p, q: jnp.sum(jnp.polymul(p, q) ** 2), argnums=(0, 1))(c, a))
case("grad_polyder_polyint", [c], jax.grad(lambda p: jnp.sum(jnp.polyder(p, 2) * jnp.polyint(p)[:3]))(c))

x = np.array([-1.0, -0.0, 0.0, 2.0, -3.5], np.float32)
xi = np.array([-2, 0, 3], np.int32)
case("real", [x], jnp.real(x))
case("imag", [x], jnp.imag(x))
case("imag_int", [xi], jnp.imag(xi))
case("conj", [x], jnp.conj(x))
case("conjugate", [x], jnp.conjugate(x))
case("iscomplex", [x], jnp.iscomplex(x))
case("isreal", [x], jnp.isreal(x))
case("angle", [x], jnp.angle(x))
case("angle_deg", [x], jnp.angle(x, deg=True))
case("angle_int", [xi], jnp.angle(xi))
case("grad_real_conj", [x], jax.grad(lambda v: jnp.sum(jnp.real(v) * jnp.conj(v) + jnp.imag(v)))(x))

# The regularized incomplete gamma functions and the distributions built on them.
from jax import lax  # noqa: E402
from jax.scipy import special, stats  # noqa: E402

ga = np.array([0.5, 1, 3, 10, 0.1, 50, 2, 2, -1, 2, 2, 2, 0, 7.5, 0, np.inf, 0, 200], np.float32)
gx = np.array([0.3, 2, 2.5, 12, 5, 45, 0, np.inf, 1, -1, np.nan, 30, 1, 7, 0, 3, np.inf, 190], np.float32)
case("igamma", [ga, gx], lax.igamma(ga, gx))
case("igammac", [ga, gx], lax.igammac(ga, gx))
da = np.array([0.5, 1.0, 3.0, 10.0, 0.1, 50.0, 2.0, 4.0], np.float32)
dx = np.array([0.3, 2.0, 2.5, 12.0, 5.0, 45.0, 0.0, 9.0], np.float32)
case("igamma_grad_a", [da, dx], jax.grad(lambda a: jnp.sum(lax.igamma(a, dx)))(da))
case("igamma_grad_x", [da, dx], jax.grad(lambda v: jnp.sum(lax.igamma(da, v)))(dx))
case("igammac_grad", [da, dx], jax.grad(lambda a, v: jnp.sum(lax.igammac(a, v) * jnp.arange(8.0)), argnums=(0, 1))(da, dx))
case("gammainc_int", [], special.gammainc(3, jnp.array([1, 4])))
sx = np.array([-1.0, 0.0, 0.5, 2.0, 10.0], np.float32)
case("gamma_cdf", [sx], stats.gamma.cdf(sx, 2.0))
case("gamma_cdf_loc_scale", [sx], stats.gamma.cdf(sx, 2.0, 1.0, 3.0))
case("gamma_sf", [sx], stats.gamma.sf(sx, 2.0))
case("gamma_logcdf", [sx], stats.gamma.logcdf(sx, 2.0))
case("gamma_logsf", [sx], stats.gamma.logsf(sx, 2.0))
case("chi2_cdf", [sx], stats.chi2.cdf(sx, 3.0))
case("chi2_sf", [sx], stats.chi2.sf(sx, 3.0))
case("chi2_logpdf", [sx], stats.chi2.logpdf(sx, 3.0))
case("chi2_pdf_loc_scale", [sx], stats.chi2.pdf(sx, 3.0, -0.5, 2.0))
pk = np.array([-1.0, 0.0, 1.5, 3.0, 10.0], np.float32)
case("poisson_cdf", [pk], stats.poisson.cdf(pk, 3.0))
case("poisson_cdf_loc", [pk], stats.poisson.cdf(pk, 3.0, 1.0))
case("chi2_cdf_grad_x", [sx], jax.grad(lambda v: jnp.sum(stats.chi2.cdf(v, 3.0)))(sx))
case.write("surface10")
