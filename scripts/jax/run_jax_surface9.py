#!/usr/bin/env python3
"""Expected values for the ninth API batch: choose (wrap, clip, broadcast), compress and extract
(size, fill_value, a condition longer than the axis), put and place (inplace=False; negative,
out-of-range and duplicate indices; repeated values), lexsort, ravel_multi_index (wrap, clip, order
"F"), histogram2d / histogramdd (counts, given edges, range, weights, density, points on the last
edge and outside), polyfit (plain, weighted, several columns, full, cov), jax.nn.identity, with
gradients where they exist.

Writes test/fixtures/jax/surface9.json, replayed by test/unit/ops/surface9.test.ts on CPU and
WebGPU, eager and under jit. JAX in float32 on float32 inputs (polyfit's reference in float64).
Run:  $JAX_PYTHON scripts/jax/run_jax_surface9.py   (from any directory; ~5 s)
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import jax  # noqa: E402

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

from fixture_json import Cases  # noqa: E402

f32 = lambda a: np.asarray(a, dtype=np.float32)  # noqa: E731
i32 = lambda a: np.asarray(a, dtype=np.int32)  # noqa: E731
rng = np.random.default_rng(9)
case = Cases()




# choose.
A = i32([0, 1, 2, 5, -1, 3])
C0, C1, C2 = f32(rng.normal(size=6)), f32(rng.normal(size=6)), f32(rng.normal(size=(2, 6)))
case("choose_wrap", [A, C0, C1, C2], jnp.choose(A, [C0, C1, C2], mode="wrap"))
case("choose_clip", [A, C0, C1, C2], jnp.choose(A, [C0, C1, C2], mode="clip"))
case("choose_scalar_choices", [A], jnp.choose(A, [f32(1.5), f32(-2.0), f32(7.0)], mode="wrap"))
case("choose_grad", [A, C0, C1, C2], jax.grad(lambda c1: jnp.sum(jnp.choose(A, [C0, c1, C2], mode="clip") ** 2))(C1))

# compress / extract.
M = f32(rng.normal(size=(5, 4)))
COND = np.array([True, False, True, True, False])
case("compress_axis0", [COND, M], jnp.compress(COND, M, axis=0, size=3))
case("compress_axis1_fill", [np.array([False, True, False, True]), M], jnp.compress(np.array([False, True, False, True]), M, axis=1, size=3, fill_value=-9.0))
case("compress_flat_long", [np.array([True, False, True, False, False, True, True]), M], jnp.compress(np.array([True, False, True, False, False, True, True]), M, size=4))
case("extract", [M > 0, M], jnp.extract(M > 0, M, size=12, fill_value=-1.0))
case("compress_grad", [COND, M], jax.grad(lambda m: jnp.sum(jnp.compress(COND, m, axis=0, size=3) ** 2))(M))

# put / place.
X = f32(rng.normal(size=(3, 4)))
IND = i32([-1, 13, 2, -20, 5, 2])
V3 = f32([10.0, 20.0, 30.0])
case("put_default", [X, IND, V3], jnp.put(X, IND, V3, inplace=False))
case("put_wrap", [X, IND, V3], jnp.put(X, IND, V3, mode="wrap", inplace=False))
case("put_clip_scalar", [X, IND], jnp.put(X, IND, f32(7.0), mode="clip", inplace=False))
case("put_int", [i32([[1, 2], [3, 4]]), i32([0, 3])], jnp.put(i32([[1, 2], [3, 4]]), i32([0, 3]), i32([-5, -6]), inplace=False))
case("put_grad", [X, IND, V3], jax.grad(lambda x: jnp.sum(jnp.put(x, IND, V3, mode="wrap", inplace=False) * X))(X))
MASK = X > 0.2
case("place", [X, MASK, V3], jnp.place(X, MASK, V3, inplace=False))
case("place_grad_vals", [X, MASK, V3], jax.grad(lambda v: jnp.sum(jnp.place(X, MASK, v, inplace=False) ** 2))(V3))

# lexsort / ravel_multi_index.
K0 = i32([3, 1, 2, 3, 1, 2, 3, 1])
K1 = f32([0.5, 0.5, -1.0, -1.0, 2.0, 0.5, 0.5, -1.0])
case("lexsort", [K0, K1], jnp.lexsort([K0, K1]))
K2 = f32(rng.integers(0, 3, size=(3, 5)))
K3 = f32(rng.integers(0, 2, size=(3, 5)))
case("lexsort_axis0", [K2, K3], jnp.lexsort([K2, K3], axis=0))
R0, R1 = i32([0, 2, 5, -1, 1]), i32([1, 0, 3, 1, -7])
case("ravel_multi_index_clip", [R0, R1], jnp.ravel_multi_index((R0, R1), (3, 4), mode="clip"))
case("ravel_multi_index_wrap", [R0, R1], jnp.ravel_multi_index((R0, R1), (3, 4), mode="wrap"))
case("ravel_multi_index_F", [R0, R1], jnp.ravel_multi_index((R0, R1), (3, 4), mode="clip", order="F"))

# histograms.
PX = f32(np.concatenate([rng.normal(size=60), [2.5, -4.0]]))
PY = f32(np.concatenate([rng.normal(size=60) * 2, [2.5, 9.0]]))
W = f32(rng.uniform(0.1, 2.0, size=62))
case("histogram2d", [PX, PY], jnp.histogram2d(PX, PY, bins=5))
case("histogram2d_bins_range", [PX, PY], jnp.histogram2d(PX, PY, bins=(3, 4), range=((-2.0, 2.0), (-3.0, 3.0))))
EDGES = f32([-3.0, -1.0, 0.0, 0.5, 2.5])
case("histogram2d_edges_weights", [PX, PY, EDGES, W], jnp.histogram2d(PX, PY, bins=EDGES, weights=W))
case("histogram2d_density", [PX, PY], jnp.histogram2d(PX, PY, bins=4, density=True))
S3 = f32(rng.normal(size=(40, 3)))
case("histogramdd", [S3], jnp.histogramdd(S3, bins=(2, 3, 4))[0])

# polyfit.
PXS = f32(np.linspace(-2, 3, 25))
PYS = f32(0.5 * PXS**3 - PXS + 2 + 0.1 * rng.normal(size=25))
x64 = np.asarray(PXS, np.float64)
case("polyfit_3", [PXS, PYS], np.polyfit(x64, np.asarray(PYS, np.float64), 3))
PW = f32(rng.uniform(0.5, 2.0, size=25))
case("polyfit_weighted", [PXS, PYS, PW], np.polyfit(x64, np.asarray(PYS, np.float64), 2, w=np.asarray(PW, np.float64)))
PY2 = f32(np.stack([PYS, np.sin(PXS)], axis=1))
case("polyfit_columns", [PXS, PY2], np.polyfit(x64, np.asarray(PY2, np.float64), 4))
full = np.polyfit(x64, np.asarray(PYS, np.float64), 2, full=True)
case("polyfit_full_residuals", [PXS, PYS], full[1])
case("polyfit_full_rank", [PXS, PYS], np.int32(full[2]))
c, cov = np.polyfit(x64, np.asarray(PYS, np.float64), 2, cov=True)
case("polyfit_cov", [PXS, PYS], cov)
case("polyfit_jax_f32", [PXS, PYS], jnp.polyfit(PXS, PYS, 3))

# jax.nn.identity.
case("nn_identity", [X], jax.nn.identity(X))

case.write("surface9")
