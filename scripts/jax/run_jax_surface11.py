#!/usr/bin/env python3
"""The eleventh API batch: the modified Bessel functions of the first kind (`lax.bessel_i0e
bessel_i1e`, `jnp.i0`, `scipy.special.i0 i0e i1 i1e`) on both sides of |x| = 8, at 0, at ±inf
and NaN, large arguments where I0 overflows, int32 input, with gradients (at 0 too); and the
bit counts `lax.clz` and `jnp.bitwise_count` on 0, powers of two, negatives and int32's ends.

Writes test/fixtures/jax/surface11.json, replayed by test/unit/ops/surface11.test.ts on CPU and
WebGPU, eager and under jit (through surface2Expected.ts's fixtureCases).
Run:  $JAX_PYTHON scripts/jax/run_jax_surface11.py   (~2 s)
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import jax  # noqa: E402

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
import jax.scipy.special as jss  # noqa: E402
import numpy as np  # noqa: E402
from jax import lax  # noqa: E402

from fixture_json import Cases  # noqa: E402

case = Cases()
x = np.array([-30.0, -8.5, -8.0, -3.2, -1.0, -1e-3, 0.0, 1e-6, 0.5, 2.0, 7.99, 8.0, 8.01, 15.0,
              50.0, 700.0], np.float32)
edges = np.array([np.inf, -np.inf, np.nan, 89.0, -95.0], np.float32)
xi = np.array([-4, 0, 3, 9], np.int32)

case("bessel_i0e", [x], lax.bessel_i0e(x))
case("bessel_i1e", [x], lax.bessel_i1e(x))
case("bessel_i0e_edges", [edges], lax.bessel_i0e(edges))
case("bessel_i1e_edges", [edges], lax.bessel_i1e(edges))
case("i0", [x], jnp.i0(x))
case("i0_edges", [edges], jnp.i0(edges))
case("i0_int", [xi], jnp.i0(xi))
case("sp_i0", [x], jss.i0(x))
case("sp_i0e", [x], jss.i0e(x))
case("sp_i1", [x], jss.i1(x))
case("sp_i1e", [x], jss.i1e(x))
case("sp_i1e_int", [xi], jss.i1e(xi))
g = np.array([-9.0, -2.5, -1e-9, 0.0, 1e-9, 0.3, 4.0, 8.0, 12.0], np.float32)
case("grad_bessel_i0e", [g], jax.vmap(jax.grad(lax.bessel_i0e))(g))
case("grad_bessel_i1e", [g], jax.vmap(jax.grad(lax.bessel_i1e))(g))
case("grad_i0", [g], jax.vmap(jax.grad(jnp.i0))(g))
case("grad_i1", [g], jax.vmap(jax.grad(jss.i1))(g))

bits = np.array([0, 1, 2, 3, 255, 256, 65535, 1 << 20, 2**31 - 1, -1, -2, -(2**31), -12345], np.int32)
case("clz", [bits], lax.clz(bits))
case("bitwise_count", [bits], jnp.bitwise_count(bits).astype(np.int32))
case("bitwise_count_bool", [np.array([True, False, True])],
     jnp.bitwise_count(np.array([True, False, True])).astype(np.int32))

case.write("surface11")
