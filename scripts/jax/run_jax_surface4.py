#!/usr/bin/env python3
"""Expected values for the fourth NumPy surface batch: stacking (hstack, vstack, dstack,
column_stack, atleast_*d, moveaxis), NaN-skipping reductions (nanmax ... nanstd), searching and
counting (searchsorted, digitize, interp, bincount, histogram, select, nonzero / argwhere /
flatnonzero with size), creation helpers (full_like, identity, tri, tril/triu_indices), cov,
corrcoef, vdot, cbrt, trunc, fmax / fmin, and finfo / iinfo; gradients where they are defined.

Writes test/fixtures/jax/surface4.json, replayed by test/unit/ops/surface4.test.ts. JAX in
float32 on float32 inputs. NaN, ±inf and -0 are strings (fixture_json.py).
Run (from scripts/jax):  /work/venv-jax/bin/python run_jax_surface4.py
"""
import json

import jax

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

from fixture_json import Cases  # noqa: E402

f32 = lambda a: np.asarray(a, dtype=np.float32)  # noqa: E731
i32 = lambda a: np.asarray(a, dtype=np.int32)  # noqa: E731
rng = np.random.default_rng(4)
case = Cases()


V1 = f32([1.0, 2.0, 3.0])
V2 = f32([4.0, 5.0, 6.0])
M1 = f32(rng.normal(size=(2, 3)))
M2 = f32(rng.normal(size=(2, 3)))
T = f32(rng.normal(size=(2, 3, 4)))
case("hstack_1d", [V1, V2], jnp.hstack([V1, V2]))
case("hstack_2d", [M1, M2], jnp.hstack([M1, M2]))
case("vstack_1d", [V1, V2], jnp.vstack([V1, V2]))
case("vstack_mixed", [M1, V2], jnp.vstack([M1, V2]))
case("dstack", [M1, M2], jnp.dstack([M1, M2]))
case("dstack_1d", [V1, V2], jnp.dstack([V1, V2]))
case("column_stack", [V1, M1.T], jnp.column_stack([V1, M1.T]))
case("atleast_2d_vector", [V1], jnp.atleast_2d(V1))
case("atleast_3d_matrix", [M1], jnp.atleast_3d(M1))
case("atleast_3d_vector", [V1], jnp.atleast_3d(V1))
case("moveaxis_one", [T], jnp.moveaxis(T, 0, -1))
case("moveaxis_two", [T], jnp.moveaxis(T, [0, 1], [2, 0]))
case("grad_moveaxis", [T], jax.grad(lambda t: jnp.sum(jnp.moveaxis(t, 2, 0) * jnp.arange(4.0)[:, None, None]))(T))

NR = f32([[1.0, np.nan, 3.0, -2.0], [np.nan, np.nan, np.nan, np.nan], [0.5, 4.0, np.nan, 4.0]])
case("nanmax_axis1", [NR], jnp.nanmax(NR, axis=1))
case("nanmin_axis1", [NR], jnp.nanmin(NR, axis=1))
case("nanmax_all", [NR], jnp.nanmax(NR))
case("nanargmax_axis1", [NR], jnp.nanargmax(NR, axis=1))
case("nanargmin_axis1", [NR], jnp.nanargmin(NR, axis=1))
case("nanargmax_flat", [NR], jnp.nanargmax(NR))
case("nanprod_axis1", [NR], jnp.nanprod(NR, axis=1))
case("nanvar_axis1", [NR], jnp.nanvar(NR, axis=1))
case("nanvar_ddof1_axis0", [NR], jnp.nanvar(NR, axis=0, ddof=1))
case("nanstd_all", [NR], jnp.nanstd(NR))
case("grad_nanmax", [NR[[0, 2]]], jax.grad(lambda a: jnp.sum(jnp.nanmax(a, axis=1)))(NR[[0, 2]]))
case("grad_nanvar", [NR[[0, 2]]], jax.grad(lambda a: jnp.sum(jnp.nanvar(a, axis=1)))(NR[[0, 2]]))

SA = f32([-3.0, -1.0, 0.0, 0.0, 2.5, 7.0, np.nan])
SV = f32([[-5.0, 0.0, 2.5], [8.0, np.nan, -1.0]])
case("searchsorted_left", [SA, SV], jnp.searchsorted(SA, SV))
case("searchsorted_right", [SA, SV], jnp.searchsorted(SA, SV, side="right"))
IA = i32([1, 3, 3, 5, 9])
IV = i32([0, 3, 4, 9, 10])
case("searchsorted_int", [IA, IV], jnp.searchsorted(IA, IV, side="right"))
BINS = f32([0.0, 1.0, 2.5, 4.0])
DX = f32([-1.0, 0.0, 0.5, 1.0, 2.5, 3.9, 4.0, 7.0])
case("digitize", [DX, BINS], jnp.digitize(DX, BINS))
case("digitize_right", [DX, BINS], jnp.digitize(DX, BINS, right=True))
case("digitize_decreasing", [DX, BINS[::-1].copy()], jnp.digitize(DX, BINS[::-1].copy()))
XP = f32([0.0, 1.0, 1.0, 3.0, 6.0])
FP = f32([1.0, 3.0, -1.0, 2.0, 0.0])
XQ = f32([-2.0, 0.0, 0.25, 0.999, 1.0, 2.0, 4.5, 6.0, 9.0])
case("interp", [XQ, XP, FP], jnp.interp(XQ, XP, FP))
case("interp_left_right", [XQ, XP, FP], jnp.interp(XQ, XP, FP, left=-7.0, right=7.0))
XQ2 = f32([0.25, 2.0, 4.5, 5.5])
case("grad_interp_x", [XQ2, XP, FP], jax.vmap(jax.grad(lambda x: jnp.interp(x, XP, FP)))(XQ2))
case("grad_interp_fp", [XQ2, XP, FP], jax.grad(lambda fp: jnp.sum(jnp.interp(XQ2, XP, fp) * jnp.arange(1.0, 5.0)))(FP))
BC = i32([0, 1, 1, 3, 2, 1, 7, -2, 4])
BW = f32([0.5, 1.0, 2.0, -1.0, 3.0, 0.25, 4.0, 1.5, 2.0])
case("bincount", [BC], jnp.bincount(BC, length=6))
case("bincount_weights", [BC, BW], jnp.bincount(BC, weights=BW, length=5))
H = f32(rng.normal(size=200) * 2 + 0.3)
c, e = jnp.histogram(H, bins=7)
case("histogram_counts", [H], c)
case("histogram_edges", [H], e)
c, e = jnp.histogram(H, bins=5, range=(-2.0, 3.0), weights=jnp.abs(H), density=True)
case("histogram_range_weights_density", [H], c)
EDGES = f32([-3.0, -1.0, 0.0, 0.5, 2.0, 5.0])
c, _ = jnp.histogram(H, bins=EDGES)
case("histogram_edges_given", [H, EDGES], c)
SX = f32([-2.0, -0.5, 0.0, 0.5, 2.0, 5.0])
case("select", [SX], jnp.select([SX < 0, SX < 1, SX > 4], [-SX, SX * 10, SX * 0 + 99], default=-1.0))

NZ = f32([[0.0, 1.5, 0.0, 2.0], [3.0, 0.0, 0.0, -1.0], [0.0, 0.0, np.nan, 0.0]])
r, cc = jnp.nonzero(NZ, size=8)
case("nonzero_rows_size8", [NZ], r)
case("nonzero_cols_size8", [NZ], cc)
r, cc = jnp.nonzero(NZ, size=3, fill_value=-1)
case("nonzero_cols_size3", [NZ], cc)
case("argwhere_size7_fill", [NZ], jnp.argwhere(NZ, size=7, fill_value=-1))
case("flatnonzero_size6", [NZ], jnp.flatnonzero(NZ, size=6))
case("full_like", [M1], jnp.full_like(M1, 2.5))
case("identity", [], jnp.identity(3))
case("tri_k1", [], jnp.tri(3, 5, 1))
case("tril_indices_rows", [], jnp.tril_indices(4, -1, 5)[0])
case("tril_indices_cols", [], jnp.tril_indices(4, -1, 5)[1])
case("triu_indices_rows", [], jnp.triu_indices(3, 1)[0])
case("triu_indices_cols", [], jnp.triu_indices(3, 1)[1])

CM = f32(rng.normal(size=(3, 8)))
CY = f32(rng.normal(size=(8,)))
case("cov", [CM], jnp.cov(CM))
case("cov_cols_bias", [CM], jnp.cov(CM.T, rowvar=False, bias=True))
case("cov_ddof0_with_y", [CM, CY], jnp.cov(CM, CY, ddof=0))
case("cov_1d", [CY], jnp.cov(CY))
case("corrcoef", [CM], jnp.corrcoef(CM))
case("grad_cov", [CM], jax.grad(lambda m: jnp.sum(jnp.cov(m) * jnp.arange(9.0).reshape(3, 3)))(CM))
case("vdot", [M1, M2], jnp.vdot(M1, M2))
CB = f32([-27.0, -8.0, -1e-3, 0.0, 1e-6, 2.0, 27.0, 1000.0])
case("cbrt", [CB], jnp.cbrt(CB))
CG = f32([-27.0, -2.0, 0.5, 8.0])
case("grad_cbrt", [CG], jax.vmap(jax.grad(jnp.cbrt))(CG))
TX = f32([-2.7, -0.5, -0.0, 0.0, 0.4, 1.0, 3.9, np.inf, np.nan])
case("trunc", [TX], jnp.trunc(TX))
FA = f32([1.0, np.nan, 3.0, np.nan, -0.5])
FB = f32([2.0, 4.0, np.nan, np.nan, -1.5])
case("fmax", [FA, FB], jnp.fmax(FA, FB))
case("fmin", [FA, FB], jnp.fmin(FA, FB))
fi = jnp.finfo(jnp.float32)
case("finfo_float32", [], f32([fi.eps, fi.max, fi.min, fi.tiny, fi.smallest_normal, fi.resolution, fi.bits]))
ii = jnp.iinfo(jnp.int32)
case("iinfo_int32", [], i32([ii.min, ii.max, ii.bits]))

case.write("surface4")
