#!/usr/bin/env python3
"""The thirteenth API batch: the Hurwitz zeta function and polygamma (lax's and
jax.scipy.special's: the poles, the domain edges, negative q, large x, and their gradients);
lax.approx_max_k / approx_min_k along either axis; jnp.vectorize (broadcasting, size-1 loop axes,
gufunc signatures with one and two results, an excluded argument); the array API / NumPy 2 names
cumulative_prod matvec vecmat diag_indices_from tril_indices_from triu_indices_from ediff1d
fromfunction apply_over_axes modf put_along_axis array_equiv unstack and the bitwise_* shifts;
jnp.linalg.cond (every p, a singular and a batched input) and jnp.linalg.tensordot.

Writes test/fixtures/jax/surface13.json, replayed by test/unit/ops/surface13.test.ts on CPU and
WebGPU, eager and under jit (through surface2Expected.ts's fixtureCases).
Run:  $JAX_PYTHON scripts/jax/run_jax_surface13.py   (~3 s)
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
f32 = lambda v: np.array(v, np.float32)  # noqa: E731

# zeta(x, q): ordinary points, q near 0, large q and x, the pole x = 1, x < 1, q a non-positive
# integer (even / odd / fractional x), negative fractional q with integer and fractional x.
zx = f32([2.0, 3.0, 1.5, 4.0, 2.0, 30.0, 50.0, 1.0001, 2.0, 6.0, 1.0, 0.5, 4.0, 3.0, 2.5, 2.0, 3.0, 2.5, 2.0])
zq = f32([1.0, 2.5, 0.1, 0.5, 1e-3, 1.0, 2.0, 1.0, 100.0, 7.0, 1.0, 1.0, -1.0, -2.0, -1.0, -1.5, -0.5, -0.5, 0.0])
case("zeta", [zx, zq], jss.zeta(zx, zq))
gx = f32([2.0, 3.0, 1.5, 4.0, 2.5])
gq = f32([1.5, 0.7, 2.0, 1.0, 3.0])
case("grad_zeta_q", [gx, gq], jax.vmap(jax.grad(jss.zeta, 1))(gx, gq))
case("grad_zeta_x", [gx, gq], jax.vmap(jax.grad(jss.zeta, 0))(gx, gq))
pn = np.array([0, 1, 2, 3, 1, 1, 1, 4, 2, 0, 3], np.int32)
px = f32([0.5, 0.5, 2.0, 1.0, -1.5, -2.0, 0.0, 10.0, -0.5, -2.5, 30.0])
case("polygamma", [pn, px], jss.polygamma(pn, px))
case("lax_polygamma_bad_n", [f32([-1.0, 0.5, 1.0]), f32([1.0, 1.0, 1.0])],
     lax.polygamma(f32([-1.0, 0.5, 1.0]), f32([1.0, 1.0, 1.0])))
gpx = f32([0.5, 1.5, 3.0, 7.0])
case("grad_polygamma_1", [gpx], jax.vmap(jax.grad(lambda v: jss.polygamma(1, v)))(gpx))

tk = f32([[3.0, 1.0, 4.0, 1.0, 5.0], [9.0, 2.0, 6.0, 5.0, 3.0], [5.0, 8.0, 9.0, 7.0, 9.0]])
case("approx_max_k_last", [tk], lax.approx_max_k(tk, 2))
case("approx_min_k_last", [tk], lax.approx_min_k(tk, 3))
case("approx_max_k_axis0", [tk], lax.approx_max_k(tk, 2, reduction_dimension=0))
case("approx_min_k_axis0", [tk], lax.approx_min_k(tk, 1, reduction_dimension=0))

# vectorize
va = f32([[1.0], [2.0], [3.0]])
vb = f32([0.5, -1.0, 2.0, 4.0])
case("vectorize_elementwise", [va, vb],
     jnp.vectorize(lambda a, b: jnp.where(a > b, a - b, a * b))(va, vb))
vm = np.arange(24, dtype=np.float32).reshape(2, 1, 3, 4) / 10
vv = f32([[1.0, 0.0, -1.0, 2.0], [0.5, 0.5, 0.5, 0.5], [3.0, -2.0, 1.0, 0.0]])
case("vectorize_matvec", [vm, vv], jnp.vectorize(lambda m, v: m @ v, signature="(m,n),(n)->(m)")(vm, vv))
vx = np.arange(12, dtype=np.float32).reshape(3, 4) - 5
case("vectorize_two_results", [vx],
     jnp.vectorize(lambda r: (jnp.max(r), jnp.argmax(r).astype(jnp.float32)), signature="(n)->(),()")(vx))
case("vectorize_excluded", [vb], jnp.vectorize(lambda x, p: x ** p, excluded={1})(vb, 3))

cp = f32([[1.0, 2.0, 3.0], [0.5, -2.0, 4.0]])
case("cumulative_prod_axis1", [cp], jnp.cumulative_prod(cp, axis=1))
case("cumulative_prod_initial", [cp], jnp.cumulative_prod(cp, axis=0, include_initial=True))
cb = np.array([True, True, False, True])
case("cumulative_prod_bool", [cb], jnp.cumulative_prod(cb))
mm = np.arange(12, dtype=np.float32).reshape(2, 2, 3) / 4
mv = f32([1.0, -1.0, 2.0])
case("matvec", [mm, mv], jnp.matvec(mm, mv))
case("vecmat", [f32([[1.0, 2.0], [0.0, -1.0]]), mm], jnp.vecmat(f32([[1.0, 2.0], [0.0, -1.0]]), mm))
sq = np.zeros((3, 3, 3), np.float32)
case("diag_indices_from", [sq], jnp.diag_indices_from(sq))
rect = np.zeros((3, 4), np.float32)
case("tril_indices_from", [rect], jnp.tril_indices_from(rect, k=1))
case("triu_indices_from", [rect], jnp.triu_indices_from(rect, k=-1))
ed = f32([[1.0, 4.0], [9.0, 16.0]])
case("ediff1d", [ed], jnp.ediff1d(ed))
case("ediff1d_ends", [ed], jnp.ediff1d(ed, to_begin=f32([-1.0, -2.0]), to_end=f32(100.0)))
case("fromfunction", [], jnp.fromfunction(lambda i, j: i * 10 + j ** 2, (3, 4), dtype=jnp.float32))
case("fromfunction_int", [], jnp.fromfunction(lambda i, j: i - j, (2, 3), dtype=jnp.int32))
ao = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
case("apply_over_axes", [ao], jnp.apply_over_axes(jnp.sum, ao, [0, 2]))
case("apply_over_axes_keep", [ao], jnp.apply_over_axes(lambda a, ax: jnp.cumsum(a, axis=ax), ao, [1]))
mf = f32([2.75, -2.75, 0.5, -0.5, 3.0, -0.0, np.inf, -np.inf, np.nan])
case("modf", [mf], jnp.modf(mf))
pa = np.arange(12, dtype=np.float32).reshape(3, 4)
pi = np.array([[1], [3], [0]], np.int32)
case("put_along_axis", [pa, pi], jnp.put_along_axis(pa, pi, f32([[-1.0], [-2.0], [-3.0]]), axis=1, inplace=False))
pi0 = np.array([[2, 0, 1, 2]], np.int32)
case("put_along_axis_axis0", [pa, pi0], jnp.put_along_axis(pa, pi0, f32(99.0), axis=0, inplace=False))
pio = np.array([[5], [-1], [1]], np.int32)
case("put_along_axis_outside", [pa, pio], jnp.put_along_axis(pa, pio, f32(-7.0), axis=1, inplace=False))
case("put_along_axis_clip", [pa, pio],
     jnp.put_along_axis(pa, pio, f32(-7.0), axis=1, inplace=False, mode="clip"))
case("array_equiv_broadcast", [f32([1.0, 2.0]), f32([[1.0, 2.0], [1.0, 2.0]])],
     jnp.array_equiv(f32([1.0, 2.0]), f32([[1.0, 2.0], [1.0, 2.0]])))
case("array_equiv_differ", [f32([1.0, 2.0]), f32([[1.0, 2.0], [1.0, 3.0]])],
     jnp.array_equiv(f32([1.0, 2.0]), f32([[1.0, 2.0], [1.0, 3.0]])))
# Shapes that do not broadcast: JAX means False (its source catches the broadcast error), but
# jax 0.10's equal raises TypeError, which it does not catch; numpy gives False. The test asserts
# False by hand.
case("unstack_axis1", [ao[0]], jnp.unstack(ao[0], axis=1))
bi = np.array([1, -8, 255, 7], np.int32)
case("bitwise_invert", [bi], jnp.bitwise_invert(bi))
case("bitwise_left_shift", [bi], jnp.bitwise_left_shift(bi, np.array([1, 2, 3, 31], np.int32)))
case("bitwise_right_shift", [bi], jnp.bitwise_right_shift(bi, np.array([1, 2, 3, 1], np.int32)))

ca = f32([[4.0, 1.0, 0.5], [2.0, 3.0, 1.0], [0.0, 1.0, 5.0]])
for p in [None, 2, -2, "fro", 1, -1, np.inf, -np.inf, "nuc"]:
    case(f"cond_{p}", [ca], jnp.linalg.cond(ca, p))
sing = f32([[1.0, 2.0], [2.0, 4.0]])
case("cond_singular_1", [sing], jnp.linalg.cond(sing, 1))
batch = np.stack([ca[:2, :2], f32([[2.0, 0.0], [0.0, 0.5]])])
case("cond_batched", [batch], jnp.linalg.cond(batch))
case("cond_rect", [ca[:2]], jnp.linalg.cond(ca[:2]))
td = np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 8
te = np.arange(12, dtype=np.float32).reshape(3, 4) / 3
case("linalg_tensordot", [td, te], jnp.linalg.tensordot(td, te, axes=2))

case.write("surface13")
