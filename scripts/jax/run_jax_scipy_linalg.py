#!/usr/bin/env python3
"""jax.scipy.linalg: cholesky (upper by default, lower) and cho_factor with cho_solve, lu (and
permute_l) of random matrices, solve with assume_a (gen, pos from one triangle, sym on the
whole matrix, as JAX), eigh (lower / upper, eigvals_only), svd, qr's modes, solve_triangular, inv,
det, expm (each Padé degree, a large norm that needs squarings, batched, upper_triangular, and
its gradient), block_diag and toeplitz.

Writes test/fixtures/jax/scipy_linalg.json, replayed by test/unit/ops/scipyLinalg.test.ts on CPU
and WebGPU, eager and under jit (through surface2Expected.ts's fixtureCases).
Run:  $JAX_PYTHON scripts/jax/run_jax_scipy_linalg.py   (~3 s)
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import jax  # noqa: E402

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
import jax.scipy.linalg as sl  # noqa: E402
import numpy as np  # noqa: E402

from fixture_json import Cases  # noqa: E402

case = Cases()
rng = np.random.default_rng(5)
m = rng.standard_normal((4, 4)).astype(np.float32)
spd = (m @ m.T + 4 * np.eye(4)).astype(np.float32)
case("cholesky_upper", [spd], sl.cholesky(spd))
case("cholesky_lower", [spd], sl.cholesky(spd, lower=True))
b = rng.standard_normal((4, 2)).astype(np.float32)
c, low = sl.cho_factor(spd)
case("cho_factor_solve", [spd, b], sl.cho_solve((c, low), b))
g = rng.standard_normal((5, 5)).astype(np.float32)
case("lu", [g], sl.lu(g))
case("lu_permute_l", [g], sl.lu(g, permute_l=True))
case("solve_gen", [g, g[:, :2]], sl.solve(g, g[:, :2]))
case("solve_pos", [spd, b], sl.solve(spd, b, assume_a="pos"))
half = np.triu(spd) + np.tril(rng.standard_normal((4, 4)).astype(np.float32), -1) * 100
case("solve_sym_upper", [half, b], sl.solve(half, b, assume_a="sym"))
halfl = np.tril(spd) + np.triu(rng.standard_normal((4, 4)).astype(np.float32), 1) * 100
case("solve_sym_lower", [halfl, b], sl.solve(halfl, b, assume_a="sym", lower=True))
sym = np.array([[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]], np.float32)
lower_only = sym + np.triu(np.full((3, 3), 7.0, np.float32), 1)
case("eigh_lower_values", [lower_only], sl.eigh(lower_only, eigvals_only=True))
upper_only = sym + np.tril(np.full((3, 3), 7.0, np.float32), -1)
case("eigh_upper_values", [upper_only], sl.eigh(upper_only, lower=False, eigvals_only=True))
case("svd_values", [g[:, :3]], sl.svd(g[:, :3], compute_uv=False))
case("qr_r", [g[:, :3]], jnp.abs(sl.qr(g[:, :3], mode="r")[0]))
case("solve_triangular_upper", [spd, b], sl.solve_triangular(spd, b))
case("inv", [g], sl.inv(g))
case("det", [g], sl.det(g))
for name, scale in [("pade3", 0.05), ("pade5", 0.3), ("pade7", 0.7), ("squarings", 6.0)]:
    a = (rng.standard_normal((4, 4)) * scale).astype(np.float32)
    case(f"expm_{name}", [a], sl.expm(a))
rot = np.array([[0.0, -1.0], [1.0, 0.0]], np.float32) * 2.5
case("expm_rotation", [rot], sl.expm(rot))
eb = (rng.standard_normal((3, 3, 3)) * 0.8).astype(np.float32)
case("expm_batched", [eb], sl.expm(eb))
ut = np.triu(rng.standard_normal((4, 4)).astype(np.float32))
case("expm_upper_triangular", [ut], sl.expm(ut, upper_triangular=True))
ga = (rng.standard_normal((3, 3)) * 0.5).astype(np.float32)
gw = rng.standard_normal((3, 3)).astype(np.float32)
case("grad_expm", [ga, gw], jax.grad(lambda v: jnp.sum(sl.expm(v) * gw))(ga))
case("block_diag", [], sl.block_diag(np.array([[1.0, 2.0], [3.0, 4.0]], np.float32), np.float32(5.0),
                                     np.array([6.0, 7.0, 8.0], np.float32)))
case("toeplitz", [], sl.toeplitz(np.array([1.0, 2.0, 3.0], np.float32), np.array([9.0, 4.0, 5.0, 6.0], np.float32)))
case("toeplitz_symmetric", [], sl.toeplitz(np.array([1.0, -2.0, 3.0], np.float32)))
case.write("scipy_linalg")
