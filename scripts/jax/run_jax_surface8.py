#!/usr/bin/env python3
"""Expected values for the eighth API batch: lax.reduce_window with JAX's computation functions
(lax.add, lax.mul, lax.max, lax.min, a lambda) and window_dilation, with gradients; jnp.convolve and
jnp.correlate in every mode, either argument longer, int32, with gradients; jnp.linalg's array-API
names (trace, diagonal, outer, cross, matmul, vector_norm, matrix_norm, multi_dot, matrix_power,
tensorsolve, tensorinv).

Writes test/fixtures/jax/surface8.json, replayed by test/unit/ops/surface8.test.ts on CPU and
WebGPU, eager and under jit. JAX in float32 on float32 inputs (float64 for the solves' reference).
Run:  $JAX_PYTHON scripts/jax/run_jax_surface8.py   (from any directory; ~3 s)
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import jax  # noqa: E402

jax.config.update("jax_platforms", "cpu")
jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402
from jax import lax  # noqa: E402
import numpy as np  # noqa: E402

from fixture_json import Cases  # noqa: E402

f32 = lambda a: np.asarray(a, dtype=np.float32)  # noqa: E731
i32 = lambda a: np.asarray(a, dtype=np.int32)  # noqa: E731
rng = np.random.default_rng(8)
case = Cases()




# Inputs are float32; float64 evaluation of them is the reference where rounding matters.
def f64(*xs):
    return [jnp.asarray(x, dtype=jnp.float64) for x in xs]


NINF, INF, Z, ONE = f32(-np.inf), f32(np.inf), f32(0), f32(1)

M = f32(rng.normal(size=(3, 4, 4)))
R = f32(rng.normal(size=(2, 3, 5)))

# reduce_window: a max pool, a sum with a lambda, products, min with padding, dilated windows.
X = f32(rng.normal(size=(2, 6, 7, 3)))
V = f32(rng.normal(size=(9,)))
G = f32(rng.uniform(0.5, 1.5, size=(2, 5, 6, 2)))
case("rw_max_pool", [X], lax.reduce_window(X, NINF, lax.max, (1, 2, 2, 1), (1, 2, 2, 1), "VALID"))
case("rw_sum_lambda_same", [X], lax.reduce_window(X, Z, lambda a, b: a + b, (1, 3, 3, 1), (1, 1, 1, 1), "SAME"))
case("rw_min_padded", [X], lax.reduce_window(X, INF, lax.min, (1, 3, 2, 1), (1, 2, 1, 1), ((0, 0), (1, 1), (0, 1), (0, 0))))
case("rw_mul", [G], lax.reduce_window(G, ONE, lax.mul, (1, 2, 3, 1), (1, 1, 2, 1), "VALID"))
case("rw_max_dilated", [X], lax.reduce_window(X, NINF, lax.max, (1, 3, 2, 1), (1, 1, 2, 1), "SAME", None, (1, 2, 3, 1)))
case("rw_sum_dilated_1d", [V], lax.reduce_window(V, Z, lax.add, (3,), (2,), "VALID", None, (2,)))
case("rw_init_not_identity", [V], lax.reduce_window(V, f32(1.5), lax.add, (2,), (1,), "VALID"))
case("rw_int_max", [i32([3, -1, 4, 1, -5, 9, 2, 6])], lax.reduce_window(i32([3, -1, 4, 1, -5, 9, 2, 6]), np.int32(-2147483648), lax.max, (3,), (1,), "VALID"))
W = f32(rng.normal(size=(2, 6, 7, 3)))
case("rw_max_pool_grad", [X, W], jax.grad(lambda x: jnp.sum(lax.reduce_window(x, NINF, lax.max, (1, 2, 2, 1), (1, 2, 2, 1), "VALID") * W[:, :3, :3, :]))(X))
# JAX has no reverse mode for a generic (mul) reduce_window: its gradient here is that of the
# same window products written as strided slices.
def window_products(g):
    out = 1.0
    for di in range(2):
        for dj in range(3):
            out = out * g[:, di : di + 4, dj : dj + 3 : 2, :]
    return out


assert np.allclose(window_products(G), lax.reduce_window(G, ONE, lax.mul, (1, 2, 3, 1), (1, 1, 2, 1), "VALID"), rtol=1e-6)
case("rw_mul_grad", [G], jax.grad(lambda g: jnp.sum(window_products(g)))(G))
case("rw_sum_dilated_grad", [V], jax.grad(lambda v: jnp.sum(jnp.sin(lax.reduce_window(v, Z, lax.add, (3,), (1,), "SAME", None, (2,)))))(V))
# Nor for a max with window dilation: its gradient here is that of the max of the dilated
# window's strided slices (random normal data: no ties).
def dilated_max(x):
    xp = jnp.pad(x, ((0, 0), (2, 2), (1, 2), (0, 0)), constant_values=-jnp.inf)
    out = None
    for di in range(3):
        for dj in range(2):
            part = xp[:, 2 * di : 2 * di + 6, 3 * dj : 3 * dj + 7 : 2, :]
            out = part if out is None else jnp.maximum(out, part)
    return out


assert np.array_equal(dilated_max(X), lax.reduce_window(X, NINF, lax.max, (1, 3, 2, 1), (1, 1, 2, 1), "SAME", None, (1, 2, 3, 1)))
case("rw_max_dilated_grad", [X], jax.grad(lambda x: jnp.sum(dilated_max(x) ** 2))(X))
B = f32(rng.normal(size=(4, 9)))
case("rw_vmap", [B], jax.vmap(lambda r: lax.reduce_window(r, NINF, lax.max, (3,), (2,), "SAME"))(B))

case("rw_base_dilated_sum", [V], lax.reduce_window(V, Z, lax.add, (3,), (1,), "VALID", (2,), None))
case("rw_base_dilated_max_same", [X], lax.reduce_window(X, NINF, lax.max, (1, 2, 3, 1), (1, 2, 2, 1), "SAME", (1, 2, 1, 1), None))
case("rw_base_dilated_grad", [V], jax.grad(lambda v: jnp.sum(jnp.cos(lax.reduce_window(v, Z, lax.add, (3,), (2,), ((1, 2),), (3,), None))))(V))

# lax's bit operations, bitcast, reduce with a computation, collapse.
I = i32([-1, -8, 16, 5, 0, 2147483647, -2147483648, 12345])
N = i32([28, 1, 2, 32, 3, 31, 31, -1])
case("lax_shift_right_logical", [I, N], lax.shift_right_logical(I, N))
case("lax_shift_left", [I, N], lax.shift_left(I, N))
case("lax_shift_right_arithmetic", [I, N], lax.shift_right_arithmetic(I, N))
case("lax_population_count", [I], lax.population_count(I))
case("lax_and", [I, N], lax.bitwise_and(I, N))
case("lax_or", [I, N], lax.bitwise_or(I, N))
case("lax_xor", [I, N], lax.bitwise_xor(I, N))
case("lax_not", [I], lax.bitwise_not(I))
F = f32([1.0, -0.0, 0.0, -2.5, np.inf, 1e-45, 3.4e38])
case("lax_bitcast_to_int", [F], lax.bitcast_convert_type(F, jnp.int32))
case("lax_bitcast_to_float", [i32([1065353216, -2147483648, 1, 2139095040])], lax.bitcast_convert_type(i32([1065353216, -2147483648, 1, 2139095040]), jnp.float32))
case("lax_reduce_add", [M], lax.reduce(M, f32(0), lax.add, (0, 2)))
case("lax_reduce_max_lambda_init", [M], lax.reduce(M, f32(0.5), lambda a, b: jnp.maximum(a, b), (1,)))
case("lax_reduce_mul", [G], lax.reduce(G, f32(1), lax.mul, (1, 2)))
case("lax_reduce_min_int", [I], lax.reduce(I, np.int32(2147483647), lax.min, (0,)))
case("lax_reduce_grad", [M], jax.grad(lambda m: jnp.sum(lax.reduce(m, f32(0), lax.add, (1,)) ** 2))(M))
case("lax_collapse", [X], lax.collapse(X, 1, 3))
case("lax_collapse_to_end", [X], lax.collapse(X, 2))

# convolve / correlate.
A = f32(rng.normal(size=(11,)))
K = f32(rng.normal(size=(4,)))
K5 = f32(rng.normal(size=(5,)))
for mode in ["full", "same", "valid"]:
    case(f"convolve_{mode}", [A, K], jnp.convolve(*f64(A, K), mode=mode))
    case(f"convolve_{mode}_odd", [A, K5], jnp.convolve(*f64(A, K5), mode=mode))
    case(f"convolve_{mode}_swapped", [K, A], jnp.convolve(*f64(K, A), mode=mode))
    case(f"correlate_{mode}", [A, K], jnp.correlate(*f64(A, K), mode=mode))
    case(f"correlate_{mode}_odd", [A, K5], jnp.correlate(*f64(A, K5), mode=mode))
    case(f"correlate_{mode}_swapped", [K, A], jnp.correlate(*f64(K, A), mode=mode))
case("convolve_int", [i32([1, 2, 3, -4]), i32([2, -1])], jnp.convolve(i32([1, 2, 3, -4]), i32([2, -1])))
case("convolve_scalar_kernel", [A, f32([2.5])], jnp.convolve(*f64(A, f32([2.5])), mode="same"))
case("convolve_grad_a", [A, K], jax.grad(lambda a: jnp.sum(jnp.convolve(a, K, mode="same") ** 2))(*f64(A)))
case("convolve_grad_v", [A, K], jax.grad(lambda v: jnp.sum(jnp.sin(jnp.convolve(A, v))))(*f64(K)))
case("correlate_grad_both", [A, K], jax.grad(lambda a, v: jnp.sum(jnp.correlate(a, v, mode="full") * jnp.arange(14.0)), argnums=(0, 1))(*f64(A, K))[1])
case("convolve_vmap", [B, K], jax.vmap(lambda r: jnp.convolve(r, K, mode="valid"))(*f64(B)))

# jnp.linalg's array-API names.
case("linalg_trace", [M], jnp.linalg.trace(M))
case("linalg_trace_offset", [R], jnp.linalg.trace(R, offset=1))
case("linalg_diagonal", [R], jnp.linalg.diagonal(R))
case("linalg_diagonal_offset", [R], jnp.linalg.diagonal(R, offset=-1))
case("linalg_outer", [A, K], jnp.linalg.outer(A, K))
P = f32(rng.normal(size=(3, 2, 4)))
Q = f32(rng.normal(size=(3, 2, 4)))
case("linalg_cross_axis0", [P, Q], jnp.linalg.cross(P, Q, axis=0))
P3 = f32(rng.normal(size=(5, 3)))
Q3 = f32(rng.normal(size=(3,)))
case("linalg_cross_broadcast", [P3, Q3], jnp.linalg.cross(P3, Q3))
case("linalg_matmul", [M, R[0, :, :4].T], jnp.linalg.matmul(M, R[0, :, :4].T))
case("vector_norm_all", [M], jnp.linalg.vector_norm(M))
case("vector_norm_axis_keep", [M], jnp.linalg.vector_norm(M, axis=1, keepdims=True))
case("vector_norm_axes_1", [M], jnp.linalg.vector_norm(M, axis=(0, 2), ord=1))
case("vector_norm_inf", [M], jnp.linalg.vector_norm(M, axis=-1, ord=jnp.inf))
case("vector_norm_3", [M], jnp.linalg.vector_norm(M, axis=(1, 2), ord=3))
case("vector_norm_all_keep", [M], jnp.linalg.vector_norm(M, keepdims=True))
case("matrix_norm_fro", [M], jnp.linalg.matrix_norm(M))
case("matrix_norm_1_keep", [R], jnp.linalg.matrix_norm(R, ord=1, keepdims=True))
case("matrix_norm_inf", [R], jnp.linalg.matrix_norm(R, ord=jnp.inf))
case("vector_norm_grad", [M], jax.grad(lambda m: jnp.sum(jnp.linalg.vector_norm(m, axis=(1, 2))))(M))
C1 = f32(rng.normal(size=(6,)))
C2 = f32(rng.normal(size=(6, 30)))
C3 = f32(rng.normal(size=(30, 2)))
C4 = f32(rng.normal(size=(2, 20)))
C5 = f32(rng.normal(size=(20,)))
case("multi_dot_vectors", [C1, C2, C3, C4, C5], jnp.linalg.multi_dot(f64(C1, C2, C3, C4, C5)))
case("multi_dot_matrices", [C2.T, C1[:, None], C1[None, :], C2], jnp.linalg.multi_dot(f64(C2.T, C1[:, None], C1[None, :], C2)))
case("multi_dot_grad", [C2, C3, C4], jax.grad(lambda a: jnp.sum(jnp.linalg.multi_dot([a, C3, C4]) ** 2))(*f64(C2)))
S = f32(rng.normal(size=(2, 3, 3)) * 0.6 + np.eye(3) * 1.5)
case("matrix_power_0", [S], jnp.linalg.matrix_power(S, 0))
case("matrix_power_1", [S], jnp.linalg.matrix_power(S, 1))
case("matrix_power_5", [S], jnp.linalg.matrix_power(*f64(S), 5))
case("matrix_power_neg3", [S], jnp.linalg.matrix_power(*f64(S), -3))
case("matrix_power_grad", [S], jax.grad(lambda s: jnp.sum(jnp.linalg.matrix_power(s, 3)))(*f64(S)))
Tsq = f32(rng.normal(size=(6, 6)) + 4 * np.eye(6))
a_ts = Tsq.reshape(2, 3, 6)
b_ts = f32(rng.normal(size=(2, 3)))
case("tensorsolve", [a_ts, b_ts], jnp.linalg.tensorsolve(*f64(a_ts, b_ts)))
a_ti = Tsq.reshape(6, 2, 3)
case("tensorinv", [a_ti], jnp.linalg.tensorinv(*f64(a_ti), ind=1))

case.write("surface8")
