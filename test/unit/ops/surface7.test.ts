// The seventh API batch against JAX (scripts/jax/run_jax_surface7.py wrote
// test/fixtures/jax/surface7.json): array_split (uneven, indices), rot90 (k, axes), rollaxis,
// matrix_transpose, vecdot, vander, geomspace, diagflat, diag_indices, fill_diagonal, block,
// resize, insert / delete (integer, list, slice, axis), indices (dense, sparse), ix_,
// apply_along_axis, piecewise, partition / argpartition in JAX's exact order, gradient, unwrap,
// isin, setdiff1d / union1d / intersect1d (size, fill_value, int32), NaN / ±inf / -0 / empty
// edges, the windows; gradients of
// the differentiable ones and vmap cases; each on the CPU reference, on WebGPU and under jit on
// WebGPU (harness.ts opCases). Then the argument errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { grad, vmap } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, opCases, refuses, type Nested, type OpCase } from "./harness.js";
import { fixtureCases } from "./surface2Expected.js";

const { jaxOpCase, jaxParts } = fixtureCases("surface7");
const f = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const i32 = (v: Nested): Tracer => np.array(v as never, { dtype: "int32" });
const int = { dtype: "int32" } as const;
const bool = { dtype: "bool" } as const;
const close = { rtol: 1e-5, atol: 1e-6 };
/** The gradient of Σ g(x) · w, w = 1, 2, 3, … in g(x)'s shape (the script's wsum). */
const wsum = (g: (x: Tracer) => Tracer) =>
  grad((x: Tracer) => {
    const y = g(x);
    return np.sum(np.multiply(y, np.reshape(np.arange(1, y.size + 1, { dtype: "float32" }), y.shape)));
  });
const sum1 =
  (g: (x: Tracer) => Tracer) =>
  (x: Tracer): Tracer =>
    wsum(g)(x) as Tracer;

const structure: OpCase[] = [
  ...jaxParts("array_split_3", 3, (v) => np.array_split(f(v), 3)),
  ...jaxParts("array_split_axis1", 3, (a) => np.array_split(f(a), 3, 1)),
  ...jaxParts("array_split_indices", 4, (v) => np.array_split(f(v), [2, 2, 7])),
  jaxOpCase("rot90_1", (a) => np.rot90(f(a))),
  jaxOpCase("rot90_2", (a) => np.rot90(f(a), 2)),
  jaxOpCase("rot90_3_axes", (c) => np.rot90(f(c), 3, [1, 2])),
  jaxOpCase("rot90_neg1_axes_reversed", (c) => np.rot90(f(c), -1, [2, 0])),
  jaxOpCase("grad_rot90", (a) => sum1((x) => np.rot90(x))(f(a))),
  jaxOpCase("rollaxis_2_0", (c) => np.rollaxis(f(c), 2)),
  jaxOpCase("rollaxis_0_3", (c) => np.rollaxis(f(c), 0, 3)),
  jaxOpCase("matrix_transpose", (c) => np.matrix_transpose(f(c))),
  jaxOpCase("vecdot_last", (c, b) => np.vecdot(f(c), f(b)), close),
  jaxOpCase("vecdot_axis0", (a, b) => np.vecdot(f(a), f(b), { axis: 0 }), close),
  jaxOpCase("grad_vecdot", (c, b) => sum1((x) => np.vecdot(x, f(b)))(f(c)), close),
  jaxOpCase("vander", (x) => np.vander(f(x))),
  jaxOpCase("vander_N3_increasing", (x) => np.vander(f(x), 3, true)),
  jaxOpCase("vander_int", (x) => np.vander(i32(x)), int),
  jaxOpCase("geomspace", () => np.geomspace(1, 1000, 4), close),
  jaxOpCase("geomspace_negative_open", () => np.geomspace(-2, -32, 4, { endpoint: false }), close),
  jaxOpCase("diagflat", (a) => np.diagflat(f(a))),
  jaxOpCase("diagflat_k_neg1", (v) => np.diagflat(f(v), -1)),
  ...jaxParts("diag_indices", 3, () => np.diag_indices(3, 3), "int32"),
  jaxOpCase("fill_diagonal_scalar", (a) => np.fill_diagonal(f(a), 9, false, { inplace: false })),
  jaxOpCase("fill_diagonal_values", (a) => np.fill_diagonal(np.transpose(f(a)), f([7, 8]), false, { inplace: false })),
  jaxOpCase("fill_diagonal_3d", () => np.fill_diagonal(np.zeros([3, 3, 3]), f([1, 2, 3]), false, { inplace: false })),
  jaxOpCase("grad_fill_diagonal", (a) => sum1((x) => np.fill_diagonal(x, 0, false, { inplace: false }))(f(a))),
  jaxOpCase("block_2d", (b1, b2, b3) => np.block([[f(b1), f(b2)], [f(b3)]])),
  jaxOpCase("block_1d", (x, v) => np.block([f(x), f(v)])),
  jaxOpCase("block_scalars_lifted", (x) => np.block([[1, 2], [np.slice(f(x), [0], [2])]])),
  jaxOpCase("grad_block", (b1, b2, b3) => sum1((x) => np.block([[x, f(b2)], [f(b3)]]))(f(b1))),
  jaxOpCase("resize_grow", (x) => np.resize(f(x), [3, 3])),
  jaxOpCase("resize_shrink", (a) => np.resize(f(a), 5)),
];

const insertDelete: OpCase[] = [
  jaxOpCase("insert_flat", (a) => np.insert(f(a), 2, 9)),
  jaxOpCase("insert_list", (x) => np.insert(f(x), [1, 3, -1, 10], f([5, 6, 7, 8]))),
  jaxOpCase("insert_axis1_scalar_index", (a) => np.insert(f(a), 1, f([1, 2, 3]), 1)),
  jaxOpCase("insert_axis0_row", (a) => np.insert(f(a), -1, f([1, 2, 3, 4]), 0)),
  jaxOpCase("insert_slice", (x) => np.insert(f(x), { start: 0, stop: 4, step: 2 }, f([-1, -2]))),
  jaxOpCase("grad_insert_values", (x) =>
    grad((v: Tracer) => np.sum(np.multiply(np.insert(f(x), [1, 3], v), np.arange(1, 7, { dtype: "float32" }))))(
      f([5, 6]),
    ),
  ),
  jaxOpCase("grad_insert_array", (x) => sum1((t) => np.insert(t, [0, 2], 3))(f(x))),
  jaxOpCase("delete_int", (v) => np.delete(f(v), 3)),
  jaxOpCase("delete_list", (v) => np.delete(f(v), [0, -1, 2])),
  jaxOpCase("delete_axis1", (a) => np.delete(f(a), [1, 2], 1)),
  jaxOpCase("delete_slice", (v) => np.delete(f(v), { start: 1, step: 2 })),
  jaxOpCase("grad_delete", (a) => sum1((x) => np.delete(x, [0, 2], 1))(f(a))),
  jaxOpCase("indices_dense", () => np.indices([2, 3]) as Tracer, int),
  ...jaxParts("indices_sparse", 2, () => np.indices([2, 3], { sparse: true }), "int32"),
  ...jaxParts("ix_", 2, () => np.ix_(i32([0, 2]), i32([1, 2, 3])), "int32"),
  jaxOpCase("ix_take", (a) => {
    const [rows, cols] = np.ix_(i32([0, 2]), i32([1, 3]));
    return f(a).at(rows!, cols!).get();
  }),
];

const functional: OpCase[] = [
  jaxOpCase("apply_along_axis_0", (c) => np.apply_along_axis((v) => np.sum(np.multiply(v, v)), 0, f(c)), close),
  jaxOpCase("apply_along_axis_1_vector_out", (c) => np.apply_along_axis((v) => np.multiply(np.flip(v), 2), 1, f(c))),
  jaxOpCase("apply_along_axis_last_matrix_out", (a) =>
    np.apply_along_axis((v) => np.outer(np.slice(v, [0], [2]), np.slice(v, [0], [3])), 1, f(a)),
  ),
  jaxOpCase("piecewise_default", (x) =>
    np.piecewise(
      f(x),
      [np.less(f(x), 0), np.greater_equal(f(x), 1)],
      [(t) => np.negative(t), (t) => np.square(t), 0.5],
    ),
  ),
  jaxOpCase("piecewise_overlap_last_wins", (x) => np.piecewise(f(x), [np.less(f(x), 1), np.less(f(x), 0)], [1, 2])),
  jaxOpCase("grad_piecewise", (x) =>
    grad((t: Tracer) =>
      np.sum(
        np.piecewise(
          t,
          [np.less(t, 0), np.greater_equal(t, 1)],
          [(u) => np.negative(u), (u) => np.square(u), (u) => np.multiply(u, 3)],
        ),
      ),
    )(f(x)),
  ),
  jaxOpCase("partition_3", (v) => np.partition(f(v), 3)),
  jaxOpCase("partition_neg1", (v) => np.partition(f(v), -1)),
  jaxOpCase("partition_0", (v) => np.partition(f(v), 0)),
  jaxOpCase("partition_axis0", (m) => np.partition(f(m), 1, 0)),
  jaxOpCase("partition_int_ties", (v) => np.partition(i32(v), 2), int),
  jaxOpCase("argpartition_3", (v) => np.argpartition(f(v), 3), int),
  jaxOpCase("argpartition_axis0", (m) => np.argpartition(f(m), 1, 0), int),
  jaxOpCase("argpartition_int_ties", (v) => np.argpartition(i32(v), 2), int),
  jaxOpCase("argpartition_last", (m) => np.argpartition(f(m), 1), int),
  jaxOpCase("grad_partition", (v) => sum1((x) => np.partition(x, 3))(f(v))),
  jaxOpCase("gradient_1d", (g) => np.gradient(f(g)) as Tracer),
  jaxOpCase("gradient_spacing", (g) => np.gradient(f(g), 2) as Tracer),
  ...jaxParts("gradient_2d_all", 2, (a) => np.gradient(f(a)) as Tracer[]),
  jaxOpCase("gradient_axis1", (a) => np.gradient(f(a), 0.5, { axis: 1 }) as Tracer),
  ...jaxParts("gradient_two_spacings", 2, (a) => np.gradient(f(a), [2, 3]) as Tracer[]),
  jaxOpCase("grad_gradient", (a) => sum1((x) => np.gradient(x, 0.5, { axis: 1 }) as Tracer)(f(a))),
  jaxOpCase("unwrap", (p) => np.unwrap(f(p)), close),
  jaxOpCase("unwrap_period_discont", (p) => np.unwrap(f(p), { discont: 4, period: 5 }), close),
  jaxOpCase("unwrap_axis0", (c) => np.unwrap(f(c), { axis: 0 }), close),
  jaxOpCase("grad_unwrap", (p) => sum1((x) => np.unwrap(x))(f(p))),
];

const sets: OpCase[] = [
  jaxOpCase("isin", (a, b) => np.isin(f(a), f(b)), bool),
  jaxOpCase("isin_invert", (a, b) => np.isin(f(a), f(b), { invert: true }), bool),
  jaxOpCase("isin_int_empty", () => np.isin(i32([1, 2]), np.zeros([0], int)), bool),
  jaxOpCase("setdiff1d", (a, b) => np.setdiff1d(f(a), f(b), { size: 4 })),
  jaxOpCase("setdiff1d_fill", (a, b) => np.setdiff1d(f(a), f(b), { size: 5, fill_value: -1 })),
  jaxOpCase("setdiff1d_truncated", (a, b) => np.setdiff1d(f(a), f(b), { size: 2 })),
  jaxOpCase("union1d", (a, b) => np.union1d(f(a), f(b), { size: 8 })),
  jaxOpCase("union1d_fill", (a, b) => np.union1d(f(a), f(b), { size: 8, fill_value: 99 })),
  jaxOpCase("intersect1d", (a, b) => np.intersect1d(f(a), f(b), { size: 4 })),
  jaxOpCase("intersect1d_fill", (a, b) => np.intersect1d(f(a), f(b), { size: 4, fill_value: -9 })),
  jaxOpCase("intersect1d_disjoint", (a) => np.intersect1d(f(a), f([100, 200]), { size: 3 })),
  jaxOpCase("intersect1d_int", (a, b) => np.intersect1d(i32(a), i32(b), { size: 3 }), int),
  jaxOpCase("setdiff1d_int", (a, b) => np.setdiff1d(i32(a), i32(b), { size: 3 }), int),
  jaxOpCase("union1d_int", (a, b) => np.union1d(i32(a), i32(b), { size: 6 }), int),
  jaxOpCase("vmap_setdiff1d", (rows) =>
    vmap((r: Tracer) => np.setdiff1d(r, f([3]), { size: 3, fill_value: -1 }))(f(rows)),
  ),
  jaxOpCase("vmap_partition", (rows) => vmap((r: Tracer) => np.partition(r, 1))(f(rows))),
];

const edges: OpCase[] = [
  jaxOpCase("partition_nan_inf_2", (v) => np.partition(f(v), 2)),
  jaxOpCase("partition_nan_inf_5", (v) => np.partition(f(v), 5)),
  jaxOpCase("argpartition_nan_inf_2", (v) => np.argpartition(f(v), 2), int),
  jaxOpCase("argpartition_nan_inf_5", (v) => np.argpartition(f(v), 5), int),
  jaxOpCase("isin_signed_zero_inf_nan", () => np.isin(f([-0, Infinity, NaN]), f([0, Infinity])), bool),
  jaxOpCase("setdiff1d_empty_fill", () => np.setdiff1d(np.zeros([0]), f([1]), { size: 2, fill_value: 3 })),
  jaxOpCase("union1d_empty_fill", () => np.union1d(np.zeros([0]), np.zeros([0]), { size: 2, fill_value: 1 })),
  ...jaxParts("array_split_empty", 3, () => np.array_split(np.zeros([0]), 3)),
  jaxOpCase("insert_into_empty", () => np.insert(np.zeros([0]), 0, 5)),
  jaxOpCase("delete_all", () => np.delete(f([1, 2]), [0, 1])),
  jaxOpCase("resize_from_empty", () => np.resize(np.zeros([0]), [2])),
  jaxOpCase("unwrap_inf", () => np.unwrap(f([0, Infinity, 1]))),
  jaxOpCase("gradient_inf", () => np.gradient(f([0, Infinity, 1, 2])) as Tracer),
  jaxOpCase("geomspace_1", () => np.geomspace(3, 5, 1)),
  jaxOpCase("rot90_empty", () => np.rot90(np.zeros([0, 3]))),
  jaxOpCase("matrix_transpose_empty", () => np.matrix_transpose(np.zeros([2, 0, 3]))),
  jaxOpCase("rollaxis_empty", () => np.rollaxis(np.zeros([2, 0, 3]), 2)),
];

const windowFns = { hanning: np.hanning, hamming: np.hamming, blackman: np.blackman, bartlett: np.bartlett };
const windows: OpCase[] = [
  ...[0, 1, 5, 8].flatMap((M) =>
    Object.entries(windowFns).map(([name, w]) => jaxOpCase(`${name}_${M}`, () => w(M), close)),
  ),
  jaxOpCase("kaiser_6_beta3", () => np.kaiser(6, 3), close),
  jaxOpCase("kaiser_5_beta14", () => np.kaiser(5, 14), { rtol: 1e-5, atol: 1e-9 }),
  jaxOpCase("kaiser_1", () => np.kaiser(1, 5), close),
];

opCases("surface7", [...structure, ...insertDelete, ...functional, ...sets, ...edges, ...windows]);

test("geomspace and the windows are float32 constants of the asked length, zero-length included", async () => {
  const w = onBackend("cpu", () => np.hanning(0));
  assert.deepEqual([w.shape, w.dtype], [[0], "float32"]);
  assert.deepEqual(await onBackend("cpu", () => np.geomspace(2, 2, 3)).toArray(), [2, 2, 2]);
});

test("the batch refuses what JAX refuses or cannot size, naming it", () => {
  onBackend("cpu", () => {
    refuses(() => np.setdiff1d(np.ones([3]), np.ones([2])), /setdiff1d: pass \{ size \}/);
    refuses(() => np.union1d(np.ones([3]), np.ones([2])), /union1d: pass \{ size \}/);
    refuses(() => np.intersect1d(np.ones([3]), np.ones([2]), { size: -1 }), /intersect1d: pass \{ size \}/);
    refuses(
      () => np.fill_diagonal(np.ones([2, 2]), 1),
      /fill_diagonal: arrays are immutable; pass \{ inplace: false \}/,
    );
    refuses(() => np.fill_diagonal(np.ones([2, 2]), 1, true, { inplace: false }), /fill_diagonal: wrap=true/);
    refuses(
      () => np.fill_diagonal(np.ones([2, 3, 3]), 1, false, { inplace: false }),
      /every axis must have the same length/,
    );
    refuses(
      () => np.array_split(np.ones([5]), [3, 1]),
      /array_split: indices must be non-decreasing integers in \[0, 5\]/,
    );
    refuses(() => np.array_split(np.ones([5]), 0), /array_split: the number of sections must be an integer ≥ 1/);
    refuses(() => np.rot90(np.ones([3])), /rot90: needs an array of at least 2 axes/);
    refuses(() => np.rot90(np.ones([2, 2]), 1, [1, 1]), /rot90: the two axes must differ/);
    refuses(() => np.partition(np.ones([4]), 4), /partition: kth must be an integer in \[-4, 4\)/);
    refuses(() => np.delete(np.ones([4]), [4]), /delete: index 4 is out of bounds for axis 0 of size 4/);
    refuses(() => np.insert(np.ones([4]), [1.5], 2), /insert: obj must be an integer, a list of integers or a slice/);
    refuses(() => np.vecdot(np.ones([2, 3]), np.ones([2])), /vecdot: the vectors along axis -1 differ in length/);
    refuses(() => np.gradient(np.ones([1, 3])), /gradient: every axis differentiated along needs at least 2 elements/);
    refuses(
      () => np.piecewise(np.ones([3]), [np.less(np.ones([3]), 2)], [1, 2, 3]),
      /piecewise: with 1 condition\(s\), either 1 or 2 functions/,
    );
    refuses(() => np.geomspace(0, 10, 3), /geomspace: start and stop must be nonzero and of the same sign/);
    refuses(() => np.kaiser(4.5, 2), /kaiser: M must be an integer/);
    refuses(() => np.vander(np.ones([2, 2])), /vander: x must be 1-D/);
  });
});
