#!/usr/bin/env python3
"""jax.lax.linalg's spellings and SciPy's LU pair: lax.linalg.lu ([lu, pivots, permutation]) of a
single and a batched matrix, one that needs no row swap and one whose pivots repeat a row;
lu_pivots_to_permutation (with a permutation longer than the pivots); scipy.linalg.lu_factor and
lu_solve for one and several right-hand sides, transposed (trans 1), batched, and the gradient
of a solve in the matrix and in b; lax.linalg.triangular_solve on either side, lower and upper,
transposed and with a unit diagonal; cholesky without symmetrising; qr complete and reduced;
eigh's [v, w] (as |v|, each eigenvector's sign being arbitrary); svd's s; and tridiagonal_solve
of a diagonally dominant batch, a second-difference system and its gradient in every diagonal.

Writes test/fixtures/jax/lax_linalg.json, replayed by test/unit/ops/laxLinalg.test.ts on CPU and
WebGPU, eager and under jit.
Run:  $JAX_PYTHON scripts/jax/run_jax_lax_linalg.py   (~3 s)
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import jax  # noqa: E402

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
import jax.scipy.linalg as jsl  # noqa: E402
from jax import lax  # noqa: E402
import numpy as np  # noqa: E402

from fixture_json import Cases  # noqa: E402

case = Cases()
rng = np.random.default_rng(31)
f32 = np.float32

a = rng.standard_normal((5, 5)).astype(f32)
ab = rng.standard_normal((3, 4, 4)).astype(f32)
ident_first = (np.eye(4) * 4 + rng.standard_normal((4, 4)) * 0.1).astype(f32)  # no swaps
# Pivots that repeat a row: the largest entries move down the first column in turn.
repeat = np.array([[1, 2, 0, 0], [2, 1, 3, 0], [4, 0, 1, 2], [3, 1, 0, 5]], f32)
for name, m in [("lu_5", a), ("lu_batch", ab), ("lu_no_swap", ident_first), ("lu_repeat", repeat)]:
    case(name, [m], lax.linalg.lu(m))

piv = np.array([[2, 2, 3], [1, 3, 3]], np.int32)
case("pivots_to_perm", [piv], lax.linalg.lu_pivots_to_permutation(piv, 5))

b = rng.standard_normal((5,)).astype(f32)
bk = rng.standard_normal((5, 3)).astype(f32)
bb = rng.standard_normal((3, 4, 2)).astype(f32)
case("lu_factor", [a], jsl.lu_factor(a))
case("lu_solve_vector", [a, b], jsl.lu_solve(jsl.lu_factor(a), b))
case("lu_solve_matrix", [a, bk], jsl.lu_solve(jsl.lu_factor(a), bk))
case("lu_solve_trans", [a, bk], jsl.lu_solve(jsl.lu_factor(a), bk, trans=1))
case("lu_solve_batch", [ab, bb], jsl.lu_solve(jsl.lu_factor(ab), bb))
w = rng.standard_normal((5, 3)).astype(f32)
loss = lambda m, r: jnp.sum(jsl.lu_solve(jsl.lu_factor(m), r) * w)  # noqa: E731
case("grad_lu_solve", [a, bk, w], jax.grad(loss, argnums=(0, 1))(a, bk))

lo = np.tril(rng.standard_normal((4, 4))).astype(f32) + 3 * np.eye(4, dtype=f32)
up = np.triu(rng.standard_normal((4, 4))).astype(f32) + 3 * np.eye(4, dtype=f32)
rl = rng.standard_normal((4, 2)).astype(f32)
rr = rng.standard_normal((2, 4)).astype(f32)
case("tri_left_lower", [lo, rl], lax.linalg.triangular_solve(lo, rl, left_side=True, lower=True))
case("tri_right_upper", [up, rr], lax.linalg.triangular_solve(up, rr))
case("tri_right_lower_trans", [lo, rr], lax.linalg.triangular_solve(lo, rr, lower=True, transpose_a=True))
case("tri_left_unit", [lo, rl], lax.linalg.triangular_solve(lo, rl, left_side=True, lower=True, unit_diagonal=True))

s = rng.standard_normal((4, 4)).astype(f32)
spd = (s @ s.T + 4 * np.eye(4)).astype(f32)
skew = spd + np.triu(np.ones((4, 4), f32), 1)  # its upper triangle is not spd's
case("cholesky", [skew], lax.linalg.cholesky(skew))
case("cholesky_lower_only", [skew], lax.linalg.cholesky(skew, symmetrize_input=False))
r = rng.standard_normal((5, 3)).astype(f32)
q, rr_ = lax.linalg.qr(r)
case("qr_complete_r_abs", [r], jnp.abs(rr_))  # signs follow q's
case("qr_complete_q_abs", [r], jnp.abs(q))
q2, r2 = lax.linalg.qr(r, full_matrices=False)
case("qr_reduced_product", [r], q2 @ r2)
v, ev = lax.linalg.eigh(spd)
case("eigh_w", [spd], ev)
case("eigh_v_abs", [spd], jnp.abs(v))
case("svd_s", [r], lax.linalg.svd(r, compute_uv=False))

m = 6
dl = np.concatenate([[0], rng.uniform(-1, 1, m - 1)]).astype(f32)
du = np.concatenate([rng.uniform(-1, 1, m - 1), [0]]).astype(f32)
d = (4 + rng.uniform(0, 1, m)).astype(f32)
rhs = rng.standard_normal((m, 2)).astype(f32)
case("tridiagonal", [dl, d, du, rhs], lax.linalg.tridiagonal_solve(dl, d, du, rhs))
bdl = np.concatenate([np.zeros((3, 1)), rng.uniform(-1, 1, (3, m - 1))], 1).astype(f32)
bdu = np.concatenate([rng.uniform(-1, 1, (3, m - 1)), np.zeros((3, 1))], 1).astype(f32)
bd = (3 + rng.uniform(0, 1, (3, m))).astype(f32)
brhs = rng.standard_normal((3, m, 1)).astype(f32)
case("tridiagonal_batch", [bdl, bd, bdu, brhs], lax.linalg.tridiagonal_solve(bdl, bd, bdu, brhs))
# The second difference of u'' = f on 8 interior points (Dirichlet ends), a Poisson solve.
n2 = 8
ones = np.ones(n2, f32)
sdl, sdu = ones.copy(), ones.copy()
sdl[0], sdu[-1] = 0, 0
fx = np.sin(np.linspace(0.1, 3.0, n2)).astype(f32)[:, None]
case("poisson_1d", [sdl, -2 * ones, sdu, fx], lax.linalg.tridiagonal_solve(sdl, -2 * ones, sdu, fx))
wt = rng.standard_normal((m, 2)).astype(f32)
tloss = lambda l, dd, u, r_: jnp.sum(lax.linalg.tridiagonal_solve(l, dd, u, r_) * wt)  # noqa: E731
case("grad_tridiagonal", [dl, d, du, rhs, wt], jax.grad(tloss, argnums=(0, 1, 2, 3))(dl, d, du, rhs))
case.write("lax_linalg")
