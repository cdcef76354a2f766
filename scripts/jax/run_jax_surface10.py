#!/usr/bin/env python3
"""The tenth API batch: polynomial arithmetic (`polyadd polysub polymul polyder polyint`: unequal
lengths, int32 and mixed dtypes, m = 0, m past the degree, integration constants as a number and
one per integration) with gradients, and the complex-number functions on real inputs (`real
imag conj conjugate iscomplex isreal angle`, with −0, negatives, int32 and `deg`).

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
case.write("surface10")
