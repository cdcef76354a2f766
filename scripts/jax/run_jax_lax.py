#!/usr/bin/env python3
"""Expected values for jax.lax's own names: elementwise (div / rem of ints and floats, round's
two methods, logistic, integer_pow, select, select_n, clamp, convert_element_type), structural
(dot_general, dot, broadcast_in_dim, reshape with dimensions, slice with strides, slice_in_dim,
index_in_dim, pad with interior and negative padding, rev, broadcasted_iota, full_like),
reductions and scans (reduce_*, argmax, cumsum / cumprod / cummax / cummin / cumlogsumexp with
reverse, sort of several operands, sort_key_val), lgamma / digamma / erf_inv, and
random_gamma_grad (at JAX's own gamma draws too); gradients where they are defined.

Writes test/fixtures/jax/lax.json, replayed by test/unit/ops/laxSurface.test.ts. JAX in float32.
Run (from scripts/jax):  /work/venv-jax/bin/python run_jax_lax.py
"""

import jax

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
from jax import lax  # noqa: E402
import numpy as np  # noqa: E402

from fixture_json import Cases  # noqa: E402

f32 = lambda a: np.asarray(a, dtype=np.float32)  # noqa: E731
i32 = lambda a: np.asarray(a, dtype=np.int32)  # noqa: E731
rng = np.random.default_rng(5)
case = Cases()


IA = i32([7, -7, 7, -7, 0, 9, -9])
IB = i32([2, 2, -2, -2, 3, -4, 4])
case("div_int", [IA, IB], lax.div(IA, IB))
case("rem_int", [IA, IB], lax.rem(IA, IB))
FA = f32([5.5, -5.5, 5.5, -5.5, 3.0, 0.25])
FB = f32([2.0, 2.0, -2.0, -2.0, 1.5, 4.0])
case("div_float", [FA, FB], lax.div(FA, FB))
case("rem_float", [FA, FB], lax.rem(FA, FB))
RX = f32([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.49999997, -0.49999997, 3.7, -3.2, 1e7 + 1])
case("round_away_from_zero", [RX], lax.round(RX))
case("round_to_even", [RX], lax.round(RX, lax.RoundingMethod.TO_NEAREST_EVEN))
LX = f32([-30.0, -4.0, -0.5, 0.0, 0.5, 4.0, 30.0])
case("logistic", [LX], lax.logistic(LX))
case("grad_logistic", [LX], jax.vmap(jax.grad(lax.logistic))(LX))
PX = f32([-2.0, -0.5, 0.75, 1.5, 3.0])
case("integer_pow_3", [PX], lax.integer_pow(PX, 3))
case("integer_pow_neg2", [PX], lax.integer_pow(PX, -2))
case("grad_integer_pow_3", [PX], jax.vmap(jax.grad(lambda x: lax.integer_pow(x, 3)))(PX))
SP = np.asarray([True, False, True, False, True])
case("select", [SP, PX], lax.select(SP, PX, -PX))
W3 = i32([0, 2, 1, 2, 0])
case("select_n", [W3, PX], lax.select_n(W3, PX, PX * 10, PX * 100))
case("clamp", [PX], lax.clamp(-1.0, PX, 2.0))
CX = f32([-2.7, 2.7, 0.5, -0.5, 100.9])
case("convert_float_to_int", [CX], lax.convert_element_type(CX, jnp.int32))

A = f32(rng.normal(size=(2, 3, 4)))
B = f32(rng.normal(size=(2, 4, 5)))
C = f32(rng.normal(size=(4, 2, 5)))
dn_batch = (((2,), (1,)), ((0,), (0,)))
dn_mixed = (((2,), (0,)), ((0,), (1,)))
case("dot_general_batch", [A, B], lax.dot_general(A, B, dn_batch))
case("dot_general_mixed", [A, C], lax.dot_general(A, C, dn_mixed))
case("dot_general_outer", [A[0], B[0]], lax.dot_general(A[0], B[0], (((), ()), ((), ()))))
case("grad_dot_general", [A, C], jax.grad(lambda a: jnp.sum(lax.dot_general(a, C, dn_mixed) ** 2))(A))
M = f32(rng.normal(size=(3, 4)))
VV = f32(rng.normal(size=(4,)))
case("dot_matvec", [M, VV], lax.dot(M, VV))
V3 = f32([1.0, 2.0, 3.0])
case("broadcast_in_dim_vector", [V3], lax.broadcast_in_dim(V3, (2, 3, 4), (1,)))
case("broadcast_in_dim_column", [V3.reshape(3, 1)], lax.broadcast_in_dim(V3.reshape(3, 1), (3, 4), (0, 1)))
case("broadcast_prepends", [V3], lax.broadcast(V3, (2,)))
case("reshape_dimensions", [A], lax.reshape(A, (4, 6), dimensions=(2, 0, 1)))
X56 = f32(np.arange(30).reshape(5, 6))
case("slice_strides", [X56], lax.slice(X56, (1, 0), (5, 6), (2, 3)))
case("slice_in_dim", [X56], lax.slice_in_dim(X56, 1, 5, 2, axis=1))
case("index_in_dim_drop", [X56], lax.index_in_dim(X56, -2, axis=0, keepdims=False))
P23 = f32([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
cfg = [(1, 2, 1), (-1, 1, 2)]
case("pad_interior_negative", [P23], lax.pad(P23, -1.0, cfg))
case("grad_pad", [P23], jax.grad(lambda x: jnp.sum(lax.pad(x, 0.0, cfg) * jnp.arange(42.0).reshape(6, 7)))(P23))
case("rev", [A], lax.rev(A, (0, 2)))
case("broadcasted_iota", [], lax.broadcasted_iota(jnp.int32, (3, 4), 1))
case("full_like", [M], lax.full_like(M, 7.0))

R = f32(rng.normal(size=(3, 5)))
case("reduce_sum", [A], lax.reduce_sum(A, (0, 2)))
case("reduce_max", [A], lax.reduce_max(A, (1,)))
case("reduce_prod", [R], lax.reduce_prod(R, (1,)))
case("argmax_axis0", [R], lax.argmax(R, 0, jnp.int32))
case("cumsum_reverse", [R], lax.cumsum(R, axis=1, reverse=True))
case("cumprod", [R], lax.cumprod(R, axis=0))
case("cummax", [R], lax.cummax(R, axis=1))
case("cummin_reverse", [R], lax.cummin(R, axis=1, reverse=True))
case("cumlogsumexp", [R], lax.cumlogsumexp(R, axis=1))
case("grad_cumlogsumexp", [R], jax.grad(lambda r: jnp.sum(lax.cumlogsumexp(r, axis=1) * jnp.arange(5.0)))(R))
case("grad_cummax", [R], jax.grad(lambda r: jnp.sum(lax.cummax(r, axis=1)))(R))
K = f32([3.0, 1.0, np.nan, 2.0, 1.0, -4.0])
VAL = i32([0, 1, 2, 3, 4, 5])
case("sort_keys", [K, VAL], lax.sort((K, VAL))[0])
case("sort_values", [K, VAL], lax.sort((K, VAL))[1])
case("sort_key_val_values", [R], lax.sort_key_val(R, jnp.broadcast_to(jnp.arange(5), (3, 5)), dimension=1)[1])

GX = f32([-3.5, -2.5, -0.5, -1e-3, 1e-3, 0.1, 0.5, 1.0, 1.5, 2.0, 3.0, 7.5, 30.0, 1000.0])
case("lgamma", [GX], lax.lgamma(GX))
case("lgamma_poles", [], lax.lgamma(f32([0.0, -1.0, -3.0])))
case("grad_lgamma", [GX], jax.vmap(jax.grad(lax.lgamma))(GX))
case("digamma", [GX], lax.digamma(GX))
case("digamma_poles", [], lax.digamma(f32([0.0, -1.0, -3.0])))
EX = f32([-1.0, -0.999, -0.9, -0.5, -0.1, 0.0, 1e-4, 0.3, 0.8, 0.99, 0.9999, 1.0])
case("erf_inv", [EX], lax.erf_inv(EX))
EG = f32([-0.9, -0.5, 0.0, 0.3, 0.8])
case("grad_erf_inv", [EG], jax.vmap(jax.grad(lax.erf_inv))(EG))

GA = f32([0.3, 0.3, 1.0, 2.5, 10.0, 50.0, 50.0, 1000.0])
GZ = f32([0.01, 2.0, 0.7, 2.0, 12.0, 45.0, 60.0, 1030.0])
case("random_gamma_grad", [GA, GZ], lax.random_gamma_grad(GA, GZ))
SA = jnp.repeat(f32([0.2, 1.0, 4.0, 30.0]), 6)
SZ = jax.random.gamma(jax.random.key(0), SA)
case("random_gamma_grad_draws", [SA, SZ], lax.random_gamma_grad(SA, SZ))
case.write("lax")
