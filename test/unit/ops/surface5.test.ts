// The fifth API batch against JAX (scripts/jax/run_jax_surface5.py wrote
// test/fixtures/jax/surface5.json): the array API's names (absolute, amax, amin, true_divide, pow,
// concat, permute_dims), hsplit / vsplit / dsplit, append, unravel_index (negative indices wrapped,
// out-of-range ones clipped, of an argmax), array_equal (shapes, NaN, equal_nan), unique (padded with
// the smallest value or fill_value, truncated, int32, NaNs as one or each apart), optim.global_norm;
// each on the CPU reference, on WebGPU and under jit on WebGPU (harness.ts opCases). Then
// device_put of a pytree, and the argument errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { device_put, optim } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, opCases, refuses, type Nested, type OpCase } from "./harness.js";
import { fixtureCases } from "./surface2Expected.js";

const { jaxOpCase, jaxParts } = fixtureCases("surface5");
const f = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const i32 = (v: Nested): Tracer => np.array(v as never, { dtype: "int32" });

const cases: OpCase[] = [
  jaxOpCase("absolute", (a) => np.absolute(f(a))),
  jaxOpCase("amax_axis1", (a) => np.amax(f(a), 1)),
  jaxOpCase("amin_all", (a) => np.amin(f(a))),
  jaxOpCase("true_divide", (a, b) => np.true_divide(f(a), f(b)), { rtol: 1e-6 }),
  jaxOpCase("pow", (a, b) => np.pow(f(a), f(b)), { rtol: 1e-5 }),
  jaxOpCase("concat_axis1", (a, b) => np.concat([f(a), f(b)], 1)),
  jaxOpCase("permute_dims", (c) => np.permute_dims(f(c), [2, 0, 1])),
  ...jaxParts("hsplit_2", 2, (a) => np.hsplit(f(a), 2)),
  ...jaxParts("hsplit_indices", 3, (a) => np.hsplit(f(a), [1, 3])),
  ...jaxParts("hsplit_1d", 3, (a) => np.hsplit(f(a), 3)),
  ...jaxParts("vsplit_3", 3, (a) => np.vsplit(f(a), 3)),
  ...jaxParts("dsplit_2", 2, (c) => np.dsplit(f(c), 2)),
  jaxOpCase("append_flat", (a, b) => np.append(f(a), f(b))),
  jaxOpCase("append_axis0", (a, b) => np.append(f(a), f(b), 0)),
  ...jaxParts("unravel_index", 2, (i) => np.unravel_index(i32(i), [3, 4]), "int32"),
  ...jaxParts("unravel_index_3d", 3, (i) => np.unravel_index(i32(i), [2, 3, 2]), "int32"),
  ...jaxParts("unravel_index_of_argmax", 3, (c) => np.unravel_index(np.argmax(f(c)), [2, 3, 4]), "int32"),
  jaxOpCase("array_equal_same", (a) => np.array_equal(f(a), f(a)), { dtype: "bool" }),
  jaxOpCase("array_equal_differ", (a, b) => np.array_equal(f(a), f(b)), { dtype: "bool" }),
  jaxOpCase("array_equal_shapes", (a) => np.array_equal(f(a), np.slice(f(a), [0, 0], [2, 4])), { dtype: "bool" }),
  jaxOpCase("array_equal_nan", (v) => np.array_equal(f(v), f(v)), { dtype: "bool" }),
  jaxOpCase("array_equal_nan_equal_nan", (v) => np.array_equal(f(v), f(v), { equal_nan: true }), { dtype: "bool" }),
  jaxOpCase("unique_size_exact", (u) => np.unique(f(u), { size: 4 })),
  jaxOpCase("unique_padded_min", (u) => np.unique(f(u), { size: 6 })),
  jaxOpCase("unique_padded_fill", (u) => np.unique(f(u), { size: 6, fill_value: -1 })),
  jaxOpCase("unique_truncated", (u) => np.unique(f(u), { size: 2 })),
  jaxOpCase("unique_int_2d", (u) => np.unique(i32(u), { size: 5 }), { dtype: "int32" }),
  jaxOpCase("unique_nan_equal", (u) => np.unique(f(u), { size: 4, fill_value: 0 })),
  jaxOpCase("unique_nan_distinct", (u) => np.unique(f(u), { size: 4, fill_value: 0, equal_nan: false })),
  jaxOpCase("global_norm", (a, c) => optim.global_norm({ w: f(a), b: f(c) }), { rtol: 1e-6 }),
];
opCases("surface5", cases);

test("device_put turns every leaf of a pytree into an array with the same values, and a typed array whole", async () => {
  const put = onBackend("cpu", () => device_put({ w: [1.5, 2], b: 3, x: np.array([4, 5]) }));
  assert.deepEqual(await put.w[0]!.toArray(), 1.5);
  assert.deepEqual(await put.b.toArray(), 3);
  assert.deepEqual(await put.x.toArray(), [4, 5]);
  const whole = onBackend("cpu", () => device_put(new Float32Array([6, 7])));
  assert.deepEqual(await whole.toArray(), [6, 7]);
});

test("the batch refuses what it cannot do, naming it: vsplit of a vector, unravel_index of floats or a bad shape, unique without a size or of an empty array without a fill", () => {
  onBackend("cpu", () => {
    refuses(() => np.vsplit(np.ones([4]), 2), /vsplit needs an array of at least 2 axes, got float32\[4\]/);
    refuses(() => np.dsplit(np.ones([2, 4]), 2), /dsplit needs an array of at least 3 axes/);
    refuses(() => np.unravel_index(np.array([1.5]), [2, 2]), /unravel_index: indices must be int32, got float32\[1\]/);
    refuses(() => np.unravel_index(3, [2, -1]), /unravel_index: shape must be a list of non-negative integers/);
    refuses(() => np.unique(np.array([1, 2])), /unique: pass \{ size \}/);
    refuses(
      () => np.unique(np.zeros([0]), { size: 2 }),
      /unique: an empty array with a nonzero size needs \{ fill_value \}/,
    );
  });
});
