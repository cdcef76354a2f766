#!/usr/bin/env python3
"""lax.gather and lax.scatter with XLA's dimension numbers: embedding rows, points, windows
that are not collapsed, offset dims before the batch dims, start_index_map out of order,
operand batching dims, each mode (fill with the dtype's default and a given fill_value, clip,
promise_in_bounds, and the defaults: gather clamps, scatter drops) with windows partly out of range, and scatter's
combiners (set, add, sub, mul, min, max) with duplicate indices; gradients and vmap of both.
Then what jnp.take (fill by default, clip, wrap), take_along_axis (fill, clip) and .at[] (get
clamps by default or fills; updates drop by default or clip) do with indices outside the axis,
and .at[] with negative slice steps (x[::-1], x[8:2:-2], bounds past either end, beside an index
array, each update, the gradient of a reversed read).

Writes test/fixtures/jax/gather_scatter.json, replayed by test/unit/ops/laxGatherScatter.test.ts
on CPU and WebGPU, eager and under jit (through surface2Expected.ts's fixtureCases).
Run:  $JAX_PYTHON scripts/jax/run_jax_gather_scatter.py   (~3 s)
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import jax  # noqa: E402

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from jax import lax  # noqa: E402

from fixture_json import Cases  # noqa: E402

case = Cases()
G = lax.GatherDimensionNumbers
S = lax.ScatterDimensionNumbers

x53 = np.arange(15, dtype=np.float32).reshape(5, 3) * 0.5 - 2.0
x45 = np.arange(20, dtype=np.float32).reshape(4, 5) - 7.0
x65 = np.sin(np.arange(30, dtype=np.float32)).reshape(6, 5)
xi = np.arange(12, dtype=np.int32).reshape(4, 3) - 5

# Embedding rows: x[idx] along axis 0.
rows = np.array([[3], [0], [4], [3]], np.int32)
emb = G(offset_dims=(1,), collapsed_slice_dims=(0,), start_index_map=(0,))
case("gather_rows", [x53, rows], lax.gather(x53, rows, emb, (1, 3)))
# Points: x[i, j] for each (i, j).
pts = np.array([[0, 4], [3, 1], [2, 2]], np.int32)
point = G(offset_dims=(), collapsed_slice_dims=(0, 1), start_index_map=(0, 1))
case("gather_points", [x45, pts], lax.gather(x45, pts, point, (1, 1)))
# Windows kept whole: a 2×3 box at each start, batch dim first.
starts = np.array([[1, 2], [4, 0]], np.int32)
win = G(offset_dims=(1, 2), collapsed_slice_dims=(), start_index_map=(0, 1))
case("gather_windows", [x65, starts], lax.gather(x65, starts, win, (2, 3)))
# Offset dim before the batch dims: columns gathered into [4, 3].
cols = np.array([[4], [0], [2]], np.int32)
col = G(offset_dims=(0,), collapsed_slice_dims=(1,), start_index_map=(1,))
case("gather_cols_offset_first", [x45, cols], lax.gather(x45, cols, col, (4, 1)))
# start_index_map in reverse order: the index vector is (column, row).
rev = G(offset_dims=(1,), collapsed_slice_dims=(1,), start_index_map=(1, 0))
case("gather_map_reversed", [x65, np.array([[3, 1], [0, 4]], np.int32)],
     lax.gather(x65, np.array([[3, 1], [0, 4]], np.int32), rev, (3, 1)))
# A 2-D batch of indices.
rows2 = np.array([[[1], [2]], [[4], [0]], [[3], [3]]], np.int32)
case("gather_batch_2d", [x53, rows2], lax.gather(x53, rows2, emb, (1, 3)))
# Out of range: mode "fill" fills the whole slice (NaN for floats, the least int32 for int32);
# a window partly outside counts as outside. The default (promise_in_bounds) clamps, as clip.
oob = np.array([[0, 1], [-1, 0], [5, 2], [4, 3], [3, 3]], np.int32)
win22 = G(offset_dims=(1, 2), collapsed_slice_dims=(), start_index_map=(0, 1))
case("gather_fill_default", [x65, oob], lax.gather(x65, oob, win22, (2, 2), mode="fill"))
case("gather_default_oob", [x65, oob], lax.gather(x65, oob, win22, (2, 2)))
case("gather_fill_value", [x65, oob], lax.gather(x65, oob, win22, (2, 2), mode="fill", fill_value=-9.0))
case("gather_clip", [x65, oob], lax.gather(x65, oob, win22, (2, 2), mode="clip"))
case("gather_promise", [x65, starts], lax.gather(x65, starts, win22, (2, 2),
                                                  mode=lax.GatherScatterMode.PROMISE_IN_BOUNDS))
irow = np.array([[2], [-1], [4]], np.int32)
case("gather_int_fill", [xi, irow], lax.gather(xi, irow, emb, (1, 3), mode="fill"))
case("gather_int_clip", [xi, irow], lax.gather(xi, irow, emb, (1, 3), mode="clip"))
# Operand batching dims: per batch b, x[b, idx[b, n]] (a batched take_along_axis).
xb = np.cos(np.arange(30, dtype=np.float32)).reshape(3, 5, 2)
ib = np.array([[[4], [0], [2], [2]], [[1], [1], [3], [0]], [[0], [4], [4], [2]]], np.int32)
bat = G(offset_dims=(2,), collapsed_slice_dims=(1,), start_index_map=(1,),
        operand_batching_dims=(0,), start_indices_batching_dims=(0,))
case("gather_batching", [xb, ib], lax.gather(xb, ib, bat, (1, 1, 2)))
case("grad_gather_rows", [x53, rows],
     jax.grad(lambda v: jnp.sum(lax.gather(v, rows, emb, (1, 3)) ** 2))(x53))
case("grad_gather_fill", [x65, oob],
     jax.grad(lambda v: jnp.sum(jnp.sin(lax.gather(v, oob, win22, (2, 2), mode="fill", fill_value=0.0))))(x65))
vpts = np.array([[[0, 4], [3, 1]], [[2, 2], [1, 0]], [[3, 3], [0, 0]]], np.int32)
case("vmap_gather_points", [vpts, x45],
     jax.vmap(lambda i: lax.gather(x45, i, point, (1, 1)))(vpts))
vx = np.stack([x45, x45 * 2.0 + 1.0])
case("vmap_gather_operand", [vx, pts],
     jax.vmap(lambda v: lax.gather(v, pts, point, (1, 1)))(vx))

# Scatter: rows into a [5, 3] operand, index 1 twice.
dup = np.array([[1], [3], [1]], np.int32)
u33 = np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 4.0], [10.0, -2.0, 0.25]], np.float32)
srow = S(update_window_dims=(1,), inserted_window_dims=(0,), scatter_dims_to_operand_dims=(0,))
case("scatter_add_dup", [x53, dup, u33], lax.scatter_add(x53, dup, u33, srow))
case("scatter_sub_dup", [x53, dup, u33], lax.scatter_sub(x53, dup, u33, srow))
case("scatter_mul_dup", [x53, dup, u33], lax.scatter_mul(x53, dup, u33, srow))
case("scatter_min_dup", [x53, dup, u33], lax.scatter_min(x53, dup, u33, srow))
case("scatter_max_dup", [x53, dup, u33], lax.scatter_max(x53, dup, u33, srow))
uniq = np.array([[4], [0], [2]], np.int32)
case("scatter_set", [x53, uniq, u33], lax.scatter(x53, uniq, u33, srow))
# Points into [4, 5].
up3 = np.array([5.0, 6.0, 7.0], np.float32)
spt = S(update_window_dims=(), inserted_window_dims=(0, 1), scatter_dims_to_operand_dims=(0, 1))
case("scatter_points", [x45, pts, up3], lax.scatter(x45, pts, up3, spt))
case("scatter_add_int", [xi, np.array([[1, 2], [1, 2], [3, 0]], np.int32), np.array([5, 6, 7], np.int32)],
     lax.scatter_add(xi, np.array([[1, 2], [1, 2], [3, 0]], np.int32), np.array([5, 6, 7], np.int32), spt))
# Windows: 2×2 boxes, the update's window dims last; then first.
uw = np.arange(16, dtype=np.float32).reshape(4, 2, 2) + 100.0
swin = S(update_window_dims=(1, 2), inserted_window_dims=(), scatter_dims_to_operand_dims=(0, 1))
wst = np.array([[0, 0], [2, 3], [1, 1], [4, 3]], np.int32)
case("scatter_add_windows", [x65, wst, uw], lax.scatter_add(x65, wst, uw, swin))
uwf = np.transpose(uw, (1, 0, 2)).copy()
swin_first = S(update_window_dims=(0, 2), inserted_window_dims=(), scatter_dims_to_operand_dims=(0, 1))
case("scatter_windows_first", [x65, wst, uwf], lax.scatter_add(x65, wst, uwf, swin_first))
# Out of range: the default drops a window that does not fit whole; clip moves it inside.
case("scatter_drop", [x65, oob, np.ones((5, 2, 2), np.float32)],
     lax.scatter_add(x65, oob, np.ones((5, 2, 2), np.float32), swin))
case("scatter_clip", [x65, oob, np.ones((5, 2, 2), np.float32)],
     lax.scatter_add(x65, oob, np.ones((5, 2, 2), np.float32), swin, mode="clip"))
case("scatter_set_drop", [x53, np.array([[7], [2], [-1]], np.int32), u33],
     lax.scatter(x53, np.array([[7], [2], [-1]], np.int32), u33, srow))
# Batching dims: per batch b, out[b, idx[b, n]] += u[b, n].
sb = S(update_window_dims=(2,), inserted_window_dims=(1,), scatter_dims_to_operand_dims=(1,),
       operand_batching_dims=(0,), scatter_indices_batching_dims=(0,))
ub = np.arange(24, dtype=np.float32).reshape(3, 4, 2) * 0.25
case("scatter_add_batching", [xb, ib, ub], lax.scatter_add(xb, ib, ub, sb))
case("grad_scatter_add", [x53, dup, u33],
     jax.grad(lambda v, w: jnp.sum(jnp.tanh(lax.scatter_add(v, dup, w, srow)) * x53), argnums=(0, 1))(x53, u33))
case("grad_scatter_set", [x53, uniq, u33],
     jax.grad(lambda v, w: jnp.sum(lax.scatter(v, uniq, w, srow, unique_indices=True) ** 3), argnums=(0, 1))(x53, u33))
case("grad_scatter_mul", [x53, uniq, u33],
     jax.grad(lambda v, w: jnp.sum(lax.scatter_mul(v, uniq, w, srow, unique_indices=True) ** 2), argnums=(0, 1))(x53, u33))
vup = np.stack([up3, up3 * -1.0, up3 + 0.5])
case("vmap_scatter_updates", [x45, pts, vup],
     jax.vmap(lambda w: lax.scatter_add(x45, pts, w, spt))(vup))

# What jnp.take, take_along_axis and .at[] do with indices outside the axis, by mode.
v3 = np.array([10.0, 20.0, 30.0], np.float32)
oi = np.array([-1, -3, -4, 3, 7], np.int32)
case("take_default_fill", [v3, oi], jnp.take(v3, oi))
case("take_fill_value", [v3, oi], jnp.take(v3, oi, mode="fill", fill_value=5.0))
case("take_clip", [v3, oi], jnp.take(v3, oi, mode="clip"))
case("take_wrap", [v3, oi], jnp.take(v3, oi, mode="wrap"))
case("take_int_fill", [np.array([1, 2, 3], np.int32), oi], jnp.take(np.array([1, 2, 3], np.int32), oi))
case("take_rows_fill", [x53, np.array([[4, 5], [-6, 0]], np.int32)],
     jnp.take(x53, np.array([[4, 5], [-6, 0]], np.int32), axis=0))
case("take_along_fill", [x53, np.array([[0], [3], [-1], [-4], [2]], np.int32)],
     jnp.take_along_axis(x53, np.array([[0], [3], [-1], [-4], [2]], np.int32), axis=1))
case("take_along_clip", [x53, np.array([[0], [3], [-1], [-4], [2]], np.int32)],
     jnp.take_along_axis(x53, np.array([[0], [3], [-1], [-4], [2]], np.int32), axis=1, mode="clip"))
case("at_get_default", [v3, oi], jnp.asarray(v3).at[oi].get())
case("at_get_fill", [v3, oi], jnp.asarray(v3).at[oi].get(mode="fill"))
case("at_get_fill_value", [v3, oi], jnp.asarray(v3).at[oi].get(mode="fill", fill_value=-1.0))
case("at_get_points_default", [x45, np.array([5, -5, 1], np.int32), np.array([2, 9, -7], np.int32)],
     jnp.asarray(x45).at[np.array([5, -5, 1], np.int32), np.array([2, 9, -7], np.int32)].get())
case("at_get_points_fill", [x45, np.array([5, -5, 1], np.int32), np.array([2, 9, -7], np.int32)],
     jnp.asarray(x45).at[np.array([5, -5, 1], np.int32), np.array([2, 9, -7], np.int32)].get(mode="fill"))
u5 = np.array([1.0, 2.0, 3.0, 4.0, 5.0], np.float32)
case("at_set_default", [v3, oi, u5], jnp.asarray(v3).at[oi].set(u5))
case("at_set_clip", [v3, oi, u5], jnp.asarray(v3).at[oi].set(u5, mode="clip"))
case("at_add_clip", [v3, oi, u5], jnp.asarray(v3).at[oi].add(u5, mode="clip"))
case("at_add_drop", [v3, oi, u5], jnp.asarray(v3).at[oi].add(u5, mode="drop"))

# Negative slice steps: Python's bounds (start from the end, stop exclusive, past either end).
x10 = np.arange(10, dtype=np.float32) * 1.5 - 4.0
for name, sl in [("rev", slice(None, None, -1)), ("8_2_m2", slice(8, 2, -2)), ("m2_m3", slice(-2, None, -3)),
                 ("to3", slice(None, 3, -1)), ("past_ends", slice(50, -50, -4)), ("empty", slice(2, 8, -1))]:
    case(f"at_neg_step_{name}", [x10], jnp.asarray(x10).at[sl].get())
case("at_neg_step_2d", [x45], jnp.asarray(x45).at[::-1, 3::-2].get())
case("at_neg_step_beside_array", [x45, np.array([0, 4, 2], np.int32)],
     jnp.asarray(x45).at[::-2, np.array([0, 4, 2], np.int32)].get())
u4 = np.array([100.0, 200.0, 300.0, 400.0], np.float32)
case("at_neg_step_set", [x10, u4], jnp.asarray(x10).at[7::-2].set(u4))
case("at_neg_step_add_2d", [x45], jnp.asarray(x45).at[1:, ::-2].add(np.array([1.0, 2.0, 3.0], np.float32)))
case("at_neg_step_max_rows", [x45, np.array([1, 0], np.int32)],
     jnp.asarray(x45).at[::-1, np.array([1, 0], np.int32)].max(np.ones((4, 2), np.float32) * 5))
w10 = np.cos(np.arange(10, dtype=np.float32))
case("grad_at_neg_step", [x10, w10],
     jax.grad(lambda v: jnp.sum(jnp.tanh(v.at[::-3].get()) * w10[:4]))(x10))

case.write("gather_scatter")
