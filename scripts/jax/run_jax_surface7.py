#!/usr/bin/env python3
"""Expected values for the seventh API batch: structural and set functions. array_split, rot90,
rollaxis, matrix_transpose, vecdot, vander, geomspace, diagflat, diag_indices, fill_diagonal,
block, insert, delete, indices, ix_, resize, apply_along_axis, piecewise, argpartition /
partition (JAX's exact output order), gradient, unwrap, isin, setdiff1d / union1d / intersect1d
(size= and fill_value=), and the windows hanning, hamming, blackman, bartlett, kaiser; gradients
where they are defined, and a vmap case.

Writes test/fixtures/jax/surface7.json, replayed by test/unit/ops/surface7.test.ts on CPU and
WebGPU, eager and under jit. JAX in float32 on float32 inputs.
Run:  /tmp/jaxvenv/bin/python scripts/jax/run_jax_surface7.py   (from any directory)
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
rng = np.random.default_rng(7)
case = Cases()




def wsum(f):
    """grad of Σ f(x) · w for a fixed weight w 1, 2, 3, … of f(x)'s shape (each entry counts)."""

    def loss(x):
        y = f(x)
        return jnp.sum(y * jnp.arange(1.0, y.size + 1.0).reshape(y.shape))

    return jax.grad(loss)


A = f32(rng.normal(size=(3, 4)))
C = f32(rng.normal(size=(2, 3, 4)))
V7 = f32(np.arange(7) * 1.5 - 4)

# Structure.
case("array_split_3", [V7], jnp.array_split(V7, 3))
case("array_split_axis1", [A], jnp.array_split(A, 3, axis=1))
case("array_split_indices", [V7], jnp.array_split(V7, [2, 2, 7]))
case("rot90_1", [A], jnp.rot90(A))
case("rot90_2", [A], jnp.rot90(A, 2))
case("rot90_3_axes", [C], jnp.rot90(C, 3, axes=(1, 2)))
case("rot90_neg1_axes_reversed", [C], jnp.rot90(C, -1, axes=(2, 0)))
case("grad_rot90", [A], wsum(lambda x: jnp.rot90(x))(A))
case("rollaxis_2_0", [C], jnp.rollaxis(C, 2))
case("rollaxis_0_3", [C], jnp.rollaxis(C, 0, 3))
case("matrix_transpose", [C], jnp.matrix_transpose(C))
VD_B = f32(rng.normal(size=(4,)))
case("vecdot_last", [C, VD_B], jnp.vecdot(C, VD_B))
case("vecdot_axis0", [A, A], jnp.vecdot(A, A, axis=0))
case("grad_vecdot", [C, VD_B], wsum(lambda x: jnp.vecdot(x, VD_B))(C))
VX = f32([2.0, -1.5, 0.0, 3.0])
case("vander", [VX], jnp.vander(VX))
case("vander_N3_increasing", [VX], jnp.vander(VX, 3, increasing=True))
case("vander_int", [i32([1, -2, 3])], jnp.vander(i32([1, -2, 3])))
case("geomspace", [], jnp.geomspace(1.0, 1000.0, 4))
case("geomspace_negative_open", [], jnp.geomspace(-2.0, -32.0, 4, endpoint=False))
case("diagflat", [A[:2, :2]], jnp.diagflat(A[:2, :2]))
case("diagflat_k_neg1", [VX], jnp.diagflat(VX, -1))
case("diag_indices", [], jnp.diag_indices(3, 3))
case("fill_diagonal_scalar", [A], jnp.fill_diagonal(A, 9.0, inplace=False))
case("fill_diagonal_values", [A], jnp.fill_diagonal(A.T, f32([7.0, 8.0]), inplace=False))
case("fill_diagonal_3d", [], jnp.fill_diagonal(jnp.zeros((3, 3, 3), dtype=jnp.float32), f32([1.0, 2.0, 3.0]), inplace=False))
case("grad_fill_diagonal", [A], wsum(lambda x: jnp.fill_diagonal(x, 0.0, inplace=False))(A))
B1, B2, B3 = f32(rng.normal(size=(2, 2))), f32(rng.normal(size=(2, 3))), f32(rng.normal(size=(1, 5)))
case("block_2d", [B1, B2, B3], jnp.block([[B1, B2], [B3]]))
case("block_1d", [VX, V7], jnp.block([VX, V7]))
case("block_scalars_lifted", [VX], jnp.block([[1.0, 2.0], [VX[:2]]]))
case("grad_block", [B1, B2, B3], wsum(lambda x: jnp.block([[x, B2], [B3]]))(B1))
case("resize_grow", [VX], jnp.resize(VX, (3, 3)))
case("resize_shrink", [A], jnp.resize(A, 5))

# insert / delete.
case("insert_flat", [A], jnp.insert(A, 2, 9.0))
case("insert_list", [VX], jnp.insert(VX, jnp.array([1, 3, -1, 10]), f32([5.0, 6.0, 7.0, 8.0])))
case("insert_axis1_scalar_index", [A], jnp.insert(A, 1, f32([1.0, 2.0, 3.0]), axis=1))
case("insert_axis0_row", [A], jnp.insert(A, -1, f32([1.0, 2.0, 3.0, 4.0]), axis=0))
case("insert_slice", [VX], jnp.insert(VX, slice(0, 4, 2), f32([-1.0, -2.0])))
case("grad_insert_values", [VX], jax.grad(lambda v: jnp.sum(jnp.insert(VX, jnp.array([1, 3]), v) * jnp.arange(1.0, 7.0)))(f32([5.0, 6.0])))
case("grad_insert_array", [VX], wsum(lambda x: jnp.insert(x, jnp.array([0, 2]), 3.0))(VX))
case("delete_int", [V7], jnp.delete(V7, 3))
case("delete_list", [V7], jnp.delete(V7, jnp.array([0, -1, 2])))
case("delete_axis1", [A], jnp.delete(A, jnp.array([1, 2]), axis=1))
case("delete_slice", [V7], jnp.delete(V7, slice(1, None, 2)))
case("grad_delete", [A], wsum(lambda x: jnp.delete(x, jnp.array([0, 2]), axis=1))(A))

# indices / ix_.
case("indices_dense", [], jnp.indices((2, 3)))
case("indices_sparse", [], jnp.indices((2, 3), sparse=True))
case("ix_", [], jnp.ix_(i32([0, 2]), i32([1, 2, 3])))
case("ix_take", [A], A[jnp.ix_(i32([0, 2]), i32([1, 3]))])

# apply_along_axis / piecewise.
case("apply_along_axis_0", [C], jnp.apply_along_axis(lambda v: jnp.sum(v * v), 0, C))
case("apply_along_axis_1_vector_out", [C], jnp.apply_along_axis(lambda v: v[::-1] * 2.0, 1, C))
case("apply_along_axis_last_matrix_out", [A], jnp.apply_along_axis(lambda v: jnp.outer(v[:2], v[:3]), 1, A))
PX = f32([-2.0, -0.5, 0.0, 0.5, 1.0, 3.0])
case("piecewise_default", [PX], jnp.piecewise(PX, [PX < 0, PX >= 1], [lambda x: -x, lambda x: x * x, 0.5]))
case("piecewise_overlap_last_wins", [PX], jnp.piecewise(PX, [PX < 1, PX < 0], [1.0, 2.0]))
case("grad_piecewise", [PX], jax.grad(lambda x: jnp.sum(jnp.piecewise(x, [x < 0, x >= 1], [lambda x: -x, lambda x: x * x, lambda x: 3 * x])))(PX))

# partition / argpartition: JAX's exact order.
PV = f32([5.0, 1.0, 4.0, 2.0, 3.0, 0.0, 7.0])
PM = f32([[5.0, 1.0, 4.0], [2.0, 3.0, 0.0], [6.0, -1.0, 8.0]])
PI = i32([3, 1, 3, 0, 2, 1, 5])
case("partition_3", [PV], jnp.partition(PV, 3))
case("partition_neg1", [PV], jnp.partition(PV, -1))
case("partition_0", [PV], jnp.partition(PV, 0))
case("partition_axis0", [PM], jnp.partition(PM, 1, axis=0))
case("partition_int_ties", [PI], jnp.partition(PI, 2))
case("argpartition_3", [PV], jnp.argpartition(PV, 3))
case("argpartition_axis0", [PM], jnp.argpartition(PM, 1, axis=0))
case("argpartition_int_ties", [PI], jnp.argpartition(PI, 2))
case("argpartition_last", [PM], jnp.argpartition(PM, 1))
case("grad_partition", [PV], wsum(lambda x: jnp.partition(x, 3))(PV))

# gradient / unwrap.
G = f32([1.0, 4.0, 9.0, 16.0, 25.0])
case("gradient_1d", [G], jnp.gradient(G))
case("gradient_spacing", [G], jnp.gradient(G, 2.0))
case("gradient_2d_all", [A], jnp.gradient(A))
case("gradient_axis1", [A], jnp.gradient(A, 0.5, axis=1))
case("gradient_two_spacings", [A], jnp.gradient(A, 2.0, 3.0))
case("grad_gradient", [A], wsum(lambda x: jnp.gradient(x, 0.5, axis=1))(A))
PH = f32([0.0, 3.0, 6.5, -3.0, 1.0, 7.5, np.pi])
case("unwrap", [PH], jnp.unwrap(PH))
case("unwrap_period_discont", [PH], jnp.unwrap(PH, discont=4.0, period=5.0))
case("unwrap_axis0", [C * 4], jnp.unwrap(C * 4, axis=0))
case("grad_unwrap", [PH], wsum(jnp.unwrap)(PH))

# Sets.
SA = f32([[3.0, 1.0, np.nan], [2.0, 5.0, 1.0]])
SB = f32([2.0, 5.0, 7.0, np.nan])
case("isin", [SA, SB], jnp.isin(SA, SB))
case("isin_invert", [SA, SB], jnp.isin(SA, SB, invert=True))
case("isin_int_empty", [], jnp.isin(i32([1, 2]), i32([])))
X1 = f32([3.0, 1.0, 2.0, 5.0, 1.0, -4.0])
X2 = f32([2.0, 5.0, 7.0, 5.0])
case("setdiff1d", [X1, X2], jnp.setdiff1d(X1, X2, size=4))
case("setdiff1d_fill", [X1, X2], jnp.setdiff1d(X1, X2, size=5, fill_value=-1.0))
case("setdiff1d_truncated", [X1, X2], jnp.setdiff1d(X1, X2, size=2))
case("union1d", [X1, X2], jnp.union1d(X1, X2, size=8))
case("union1d_fill", [X1, X2], jnp.union1d(X1, X2, size=8, fill_value=99.0))
case("intersect1d", [X1, X2], jnp.intersect1d(X1, X2, size=4))
case("intersect1d_fill", [X1, X2], jnp.intersect1d(X1, X2, size=4, fill_value=-9.0))
case("intersect1d_disjoint", [X1], jnp.intersect1d(X1, f32([100.0, 200.0]), size=3))
I1, I2 = i32([[4, 1], [4, 9]]), i32([9, 0, 4])
case("intersect1d_int", [I1, I2], jnp.intersect1d(I1, I2, size=3))
case("setdiff1d_int", [I1, I2], jnp.setdiff1d(I1, I2, size=3))
case("union1d_int", [I1, I2], jnp.union1d(I1, I2, size=6))
# vmap: set ops with a size run per row.
ROWS = f32([[1.0, 2.0, 3.0], [3.0, 3.0, 0.0]])
case("vmap_setdiff1d", [ROWS], jax.vmap(lambda r: jnp.setdiff1d(r, f32([3.0]), size=3, fill_value=-1.0))(ROWS))
case("vmap_partition", [ROWS], jax.vmap(lambda r: jnp.partition(r, 1))(ROWS))

# Edge values: NaN, ±inf, -0, empty.
NI = f32([np.nan, 1.0, np.inf, -np.inf, 2.0, -0.0, 0.0])
case("partition_nan_inf_2", [NI], jnp.partition(NI, 2))
case("partition_nan_inf_5", [NI], jnp.partition(NI, 5))
case("argpartition_nan_inf_2", [NI], jnp.argpartition(NI, 2))
case("argpartition_nan_inf_5", [NI], jnp.argpartition(NI, 5))
case("isin_signed_zero_inf_nan", [], jnp.isin(f32([-0.0, np.inf, np.nan]), f32([0.0, np.inf])))
case("setdiff1d_empty_fill", [], jnp.setdiff1d(f32([]), f32([1.0]), size=2, fill_value=3.0))
case("union1d_empty_fill", [], jnp.union1d(f32([]), f32([]), size=2, fill_value=1.0))
case("array_split_empty", [], jnp.array_split(f32([]), 3))
case("insert_into_empty", [], jnp.insert(f32([]), 0, 5.0))
case("delete_all", [], jnp.delete(f32([1.0, 2.0]), jnp.array([0, 1])))
case("resize_from_empty", [], jnp.resize(f32([]), (2,)))
case("unwrap_inf", [], jnp.unwrap(f32([0.0, np.inf, 1.0])))
case("gradient_inf", [], jnp.gradient(f32([0.0, np.inf, 1.0, 2.0])))
case("geomspace_1", [], jnp.geomspace(3.0, 5.0, 1))
case("rot90_empty", [], jnp.rot90(jnp.zeros((0, 3), dtype=jnp.float32)))
case("matrix_transpose_empty", [], jnp.matrix_transpose(jnp.zeros((2, 0, 3), dtype=jnp.float32)))
case("rollaxis_empty", [], jnp.rollaxis(jnp.zeros((2, 0, 3), dtype=jnp.float32), 2))

# Windows.
for M in (0, 1, 5, 8):
    case(f"hanning_{M}", [], jnp.hanning(M))
    case(f"hamming_{M}", [], jnp.hamming(M))
    case(f"blackman_{M}", [], jnp.blackman(M))
    case(f"bartlett_{M}", [], jnp.bartlett(M))
case("kaiser_6_beta3", [], jnp.kaiser(6, 3.0))
case("kaiser_5_beta14", [], jnp.kaiser(5, 14.0))
case("kaiser_1", [], jnp.kaiser(1, 5.0))

case.write("surface7")
