// The fourth NumPy surface batch against JAX (scripts/jax/run_jax_surface4.py wrote
// test/fixtures/jax/surface4.json): stacking and moveaxis; NaN-skipping reductions (all-NaN
// slices, ties); searchsorted / digitize with NaN and decreasing bins; interp with repeated
// points and its gradients; bincount; histogram (bins, range, weights, density, given edges);
// select; nonzero / argwhere / flatnonzero with size and fill; full_like, identity, tri, the
// triangle indices; cov / corrcoef / vdot; cbrt, trunc, fmax / fmin; finfo / iinfo. Each on the
// CPU reference, on WebGPU and under jit on WebGPU (harness.ts opCases); then the argument errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { grad, jit, vmap } from "../../../runtime/src/index.js";
import { JitScopeError } from "../../../runtime/src/ir/errors.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { opCases, type Nested, type OpCase, refuses } from "./harness.js";
import { fixtureCases } from "./surface2Expected.js";

const { jaxOpCase, ids } = fixtureCases("surface4");
const f = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const i = (v: Nested): Tracer => np.array(v as never, { dtype: "int32" });
const int = { dtype: "int32" } as const;
const close = { rtol: 1e-5, atol: 1e-6 };

const cases: OpCase[] = [
  jaxOpCase("hstack_1d", (a, b) => np.hstack([f(a), f(b)])),
  jaxOpCase("hstack_2d", (a, b) => np.hstack([f(a), f(b)])),
  jaxOpCase("vstack_1d", (a, b) => np.vstack([f(a), f(b)])),
  jaxOpCase("vstack_mixed", (a, b) => np.vstack([f(a), f(b)])),
  jaxOpCase("dstack", (a, b) => np.dstack([f(a), f(b)])),
  jaxOpCase("dstack_1d", (a, b) => np.dstack([f(a), f(b)])),
  jaxOpCase("column_stack", (a, b) => np.column_stack([f(a), f(b)])),
  jaxOpCase("atleast_2d_vector", (a) => np.atleast_2d(f(a))),
  jaxOpCase("atleast_3d_matrix", (a) => np.atleast_3d(f(a))),
  jaxOpCase("atleast_3d_vector", (a) => np.atleast_3d(f(a))),
  jaxOpCase("moveaxis_one", (t) => np.moveaxis(f(t), 0, -1)),
  jaxOpCase("moveaxis_two", (t) => np.moveaxis(f(t), [0, 1], [2, 0])),
  jaxOpCase(
    "grad_moveaxis",
    (t) =>
      grad((x: Tracer) =>
        np.sum(np.multiply(np.moveaxis(x, 2, 0), np.reshape(np.arange(4, { dtype: "float32" }), [4, 1, 1]))),
      )(f(t)) as Tracer,
  ),
  jaxOpCase("nanmax_axis1", (a) => np.nanmax(f(a), 1)),
  jaxOpCase("nanmin_axis1", (a) => np.nanmin(f(a), 1)),
  jaxOpCase("nanmax_all", (a) => np.nanmax(f(a))),
  jaxOpCase("nanargmax_axis1", (a) => np.nanargmax(f(a), 1), int),
  jaxOpCase("nanargmin_axis1", (a) => np.nanargmin(f(a), 1), int),
  jaxOpCase("nanargmax_flat", (a) => np.nanargmax(f(a)), int),
  jaxOpCase("nanprod_axis1", (a) => np.nanprod(f(a), 1)),
  jaxOpCase("nanvar_axis1", (a) => np.nanvar(f(a), 1), close),
  jaxOpCase("nanvar_ddof1_axis0", (a) => np.nanvar(f(a), 0, { ddof: 1 }), close),
  jaxOpCase("nanstd_all", (a) => np.nanstd(f(a)), close),
  jaxOpCase("grad_nanmax", (a) => grad((x: Tracer) => np.sum(np.nanmax(x, 1)))(f(a)) as Tracer),
  jaxOpCase("grad_nanvar", (a) => grad((x: Tracer) => np.sum(np.nanvar(x, 1)))(f(a)) as Tracer, close),
  jaxOpCase("searchsorted_left", (a, v) => np.searchsorted(f(a), f(v)), int),
  jaxOpCase("searchsorted_right", (a, v) => np.searchsorted(f(a), f(v), { side: "right" }), int),
  jaxOpCase("searchsorted_int", (a, v) => np.searchsorted(i(a), i(v), { side: "right" }), int),
  jaxOpCase("digitize", (x, b) => np.digitize(f(x), f(b)), int),
  jaxOpCase("digitize_right", (x, b) => np.digitize(f(x), f(b), true), int),
  jaxOpCase("digitize_decreasing", (x, b) => np.digitize(f(x), f(b)), int),
  jaxOpCase("interp", (x, xp, fp) => np.interp(f(x), f(xp), f(fp)), close),
  jaxOpCase("interp_left_right", (x, xp, fp) => np.interp(f(x), f(xp), f(fp), { left: -7, right: 7 }), close),
  jaxOpCase(
    "grad_interp_x",
    (x, xp, fp) => vmap(grad((v: Tracer) => np.interp(v, f(xp), f(fp))))(f(x)) as Tracer,
    close,
  ),
  jaxOpCase(
    "grad_interp_fp",
    (x, xp, fp) =>
      grad((p: Tracer) => np.sum(np.multiply(np.interp(f(x), f(xp), p), np.arange(1, 5, { dtype: "float32" }))))(
        f(fp),
      ) as Tracer,
    close,
  ),
  jaxOpCase("bincount", (x) => np.bincount(i(x), { length: 6 }), int),
  jaxOpCase("bincount_weights", (x, w) => np.bincount(i(x), { weights: f(w), length: 5 })),
  jaxOpCase("histogram_counts", (h) => np.histogram(f(h), 7)[0]),
  jaxOpCase("histogram_edges", (h) => np.histogram(f(h), 7)[1], close),
  jaxOpCase(
    "histogram_range_weights_density",
    (h) => np.histogram(f(h), 5, { range: [-2, 3], weights: np.abs(f(h)), density: true })[0],
    close,
  ),
  jaxOpCase("histogram_edges_given", (h, e) => np.histogram(f(h), f(e))[0]),
  jaxOpCase("select", (x) => {
    const s = f(x);
    return np.select(
      [np.less(s, 0), np.less(s, 1), np.greater(s, 4)],
      [np.negative(s), np.multiply(s, 10), np.add(np.multiply(s, 0), 99)],
      -1,
    );
  }),
  jaxOpCase("nonzero_rows_size8", (a) => np.nonzero(f(a), { size: 8 })[0]!, int),
  jaxOpCase("nonzero_cols_size8", (a) => np.nonzero(f(a), { size: 8 })[1]!, int),
  jaxOpCase("nonzero_cols_size3", (a) => np.nonzero(f(a), { size: 3, fill_value: -1 })[1]!, int),
  jaxOpCase("argwhere_size7_fill", (a) => np.argwhere(f(a), { size: 7, fill_value: -1 }), int),
  jaxOpCase("flatnonzero_size6", (a) => np.flatnonzero(f(a), { size: 6 }), int),
  jaxOpCase("full_like", (a) => np.full_like(f(a), 2.5)),
  jaxOpCase("identity", () => np.identity(3)),
  jaxOpCase("tri_k1", () => np.tri(3, 5, 1)),
  jaxOpCase("tril_indices_rows", () => np.tril_indices(4, -1, 5)[0], int),
  jaxOpCase("tril_indices_cols", () => np.tril_indices(4, -1, 5)[1], int),
  jaxOpCase("triu_indices_rows", () => np.triu_indices(3, 1)[0], int),
  jaxOpCase("triu_indices_cols", () => np.triu_indices(3, 1)[1], int),
  jaxOpCase("cov", (m) => np.cov(f(m)), close),
  jaxOpCase("cov_cols_bias", (m) => np.cov(np.transpose(f(m)), null, { rowvar: false, bias: true }), close),
  jaxOpCase("cov_ddof0_with_y", (m, y) => np.cov(f(m), f(y), { ddof: 0 }), close),
  jaxOpCase("cov_1d", (y) => np.cov(f(y)), close),
  jaxOpCase("corrcoef", (m) => np.corrcoef(f(m)), close),
  jaxOpCase(
    "grad_cov",
    (m) =>
      grad((x: Tracer) => np.sum(np.multiply(np.cov(x), np.reshape(np.arange(9, { dtype: "float32" }), [3, 3]))))(
        f(m),
      ) as Tracer,
    close,
  ),
  jaxOpCase("vdot", (a, b) => np.vdot(f(a), f(b)), close),
  jaxOpCase("cbrt", (x) => np.cbrt(f(x)), close),
  jaxOpCase("grad_cbrt", (x) => vmap(grad((v: Tracer) => np.cbrt(v)))(f(x)) as Tracer, close),
  jaxOpCase("trunc", (x) => np.trunc(f(x))),
  jaxOpCase("fmax", (a, b) => np.fmax(f(a), f(b))),
  jaxOpCase("fmin", (a, b) => np.fmin(f(a), f(b))),
  jaxOpCase("finfo_float32", () => {
    const fi = np.finfo(np.float32);
    return np.array([fi.eps, fi.max, fi.min, fi.tiny, fi.smallest_normal, fi.resolution, fi.bits], {
      dtype: np.float32,
    });
  }),
  jaxOpCase(
    "iinfo_int32",
    () => {
      const ii = np.iinfo(np.int32);
      return np.array([ii.min, ii.max, ii.bits], { dtype: np.int32 });
    },
    int,
  ),
];

test("every case in surface4.json has a check here, and no check names a missing case", () => {
  assert.deepEqual(cases.map((c) => c.name).sort(), [...ids].sort());
});

opCases("surface4", cases);

test("the fourth batch refuses what it cannot trace, naming the function: bincount and nonzero without a size, a 2-D sorted array, mismatched interp lengths, moveaxis lists of two lengths", () => {
  const ints = np.array([1, 2, 2], { dtype: "int32" });
  refuses(() => np.bincount(ints), /bincount: pass \{ length \}, the number of bins/);
  refuses(
    () => np.nonzero(ints),
    /nonzero: pass \{ size \}, how many indices to return: .* outside jit too here: an op returns before the device has computed them/,
  );
  assert.throws(
    () => jit((a: Tracer) => np.nonzero(a)[0])(ints),
    (e: unknown) =>
      e instanceof JitScopeError &&
      /the result's size must be known when tracing \(JAX asks the same under jit\)/.test(e.message),
  );
  refuses(() => np.nonzero(np.array(3)), /nonzero: a 0-d array has no axes to index/);
  refuses(() => np.searchsorted(np.ones([2, 2]), 1), /searchsorted: the sorted array must be 1-D, got shape \[2,2\]/);
  refuses(() => np.interp(1, np.ones([3]), np.ones([4])), /interp: xp and fp must be 1-D of one non-zero length/);
  refuses(() => np.moveaxis(np.ones([2, 3]), [0, 1], [1]), /moveaxis: source and destination must name as many axes/);
  refuses(() => np.finfo("int32"), /finfo: only float32 is a float dtype here, got int32/);
});

test("dtype names are the strings the runtime takes: astype(np.float32) of an int array gives float32 values", async () => {
  const x = np.array([1, 2, 3], { dtype: np.int32 }).astype(np.float32);
  assert.equal(x.dtype, "float32");
  assert.deepEqual(await x.toArray(), [1, 2, 3]);
  assert.equal(np.bool_, "bool");
});
