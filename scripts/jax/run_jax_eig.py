#!/usr/bin/env python3
"""jnp.linalg.eig / eigvals, jnp.roots and jnp.poly of a matrix. Eigenvalue order is LAPACK's,
not specified, so each case stores JAX's values and the test matches them as a multiset (nearest
pairs both ways); eigenvectors are compared up to a phase (|v_jaxᴴ v| = 1) and by A v = λ v.
Matrices: a rotation-like 3×3 (a complex pair), a random 8×8, a companion matrix, a triangular
one, close eigenvalues, a batch [3, 5, 5], a symmetric one (real results), 1×1, int32 input.
Roots: real, complex, a repeated root, trailing and leading zeros, strip_zeros=False (NaN roots).
NaN is stored as 1e6 on both sides so that NaN roots match NaN roots.

Writes test/fixtures/jax/eig.json, replayed by test/unit/ops/eigGeneral.test.ts on CPU and
WebGPU, eager and under jit (through surface2Expected.ts's fixtureCases).
Run:  $JAX_PYTHON scripts/jax/run_jax_eig.py   (~3 s)
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
rng = np.random.default_rng(11)
f32 = lambda *s: rng.standard_normal(s).astype(np.float32)  # noqa: E731


def parts(w):
    w = np.asarray(w)
    re, im = np.real(w).astype(np.float32), np.imag(w).astype(np.float32)
    bad = np.isnan(re) | np.isnan(im)
    return np.where(bad, 1e6, re), np.where(bad, 1e6, im)


def values_case(name, a):
    w = jnp.linalg.eigvals(a)
    re, im = parts(w)
    case(f"eigvals_{name}", [a, re, im], np.stack([re, im, np.zeros_like(re)]))


def vectors_case(name, a):
    w, v = jnp.linalg.eig(a)
    wr, wi = parts(w)
    vr, vi = parts(v)
    ones = np.ones_like(wr)
    case(f"eig_{name}", [a, wr, wi, vr, vi], np.stack([np.zeros_like(wr), ones, ones]))


rot = np.array([[0, -1, 0.5], [1, 0, 0.2], [0.3, 0.1, 2.0]], np.float32)
companion = np.zeros((5, 5), np.float32)
companion[0] = -np.array([2.0, -3.0, 1.5, 4.0, -2.0], np.float32)
companion[1:, :-1] += np.eye(4, dtype=np.float32)
tri = np.triu(f32(5, 5)) + np.diag(np.arange(5, dtype=np.float32))
close = np.array([[2, 1, 0.3], [0, 2.01, 1], [0, 0, 3]], np.float32)
sym = f32(6, 6)
sym = (sym + sym.T) / 2
matrices = {
    "rotation": rot,
    "random8": f32(8, 8),
    "companion": companion,
    "triangular": tri,
    "close": close,
    "batch": f32(3, 5, 5),
    "symmetric": sym,
    "one": np.array([[1.5]], np.float32),
}
for name, a in matrices.items():
    values_case(name, a)
    vectors_case(name, a)
a_int = np.array([[1, 2], [3, 4]], np.int32)
re, im = parts(jnp.linalg.eigvals(a_int))
case("eigvals_int", [a_int, re, im], np.stack([re, im, np.zeros_like(re)]))

for name, p, strip in [
    ("real", [1, -3, 2], True),
    ("complex", [1, 0, 1], True),
    ("mixed", [1, -1, 2, -2], True),
    ("quintic", [2, -1, 0.5, 3, -1, 1], True),
    ("repeated", [1, 0, -3, 2], True),
    ("trailing_zeros", [1, -3, 2, 0, 0], True),
    ("leading_zeros", [0, 0, 1, -3, 2], True),
    ("no_strip", [0, 1, -3, 2, 0], False),
    ("linear", [2, 1], True),
]:
    p = np.array(p, np.float32)
    re, im = parts(jnp.roots(p, strip_zeros=strip))
    case(f"roots_{name}", [p, re, im], np.stack([re, im, np.zeros_like(re)]))

c = jnp.poly(rot)
case("poly_matrix", [rot], np.stack([np.real(c), np.imag(c)]).astype(np.float32))

case.write("eig")
