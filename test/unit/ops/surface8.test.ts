// The eighth API batch against JAX (scripts/jax/run_jax_surface8.py wrote
// test/fixtures/jax/surface8.json): lax.reduce_window with JAX's computation functions (lax.max,
// lax.mul, lax.min, a lambda), padding and window_dilation, with gradients and vmap;
// np.convolve / np.correlate in every mode with either argument longer, int32, gradients and vmap;
// np.linalg's array-API names (trace, diagonal, outer, cross, matmul, vector_norm, matrix_norm,
// multi_dot, matrix_power, tensorsolve, tensorinv). Each on the CPU reference, on WebGPU and under
// jit on WebGPU (harness.ts opCases). Then the argument errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { grad, vmap } from "../../../runtime/src/index.js";
import * as lax from "../../../runtime/src/lax.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, opCases, refuses, type Nested, type OpCase } from "./harness.js";
import { fixtureCases } from "./surface2Expected.js";

const { jaxOpCase } = fixtureCases("surface8");
const f = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const i32 = (v: Nested): Tracer => np.array(v as never, { dtype: "int32" });
const NHWC = (w: number[], s: number[]) => [w, s] as const;
const [pool2, pool2s] = NHWC([1, 2, 2, 1], [1, 2, 2, 1]);
const dilatedMax = (x: Tracer) =>
  lax.reduce_window(x, -Infinity, lax.max, [1, 3, 2, 1], [1, 1, 2, 1], "SAME", null, [1, 2, 3, 1]);
const windowProducts = (g: Tracer) => lax.reduce_window(g, 1, lax.mul, [1, 2, 3, 1], [1, 1, 2, 1], "VALID");
const modes = ["full", "same", "valid"] as const;

const cases: OpCase[] = [
  jaxOpCase("rw_max_pool", (x) => lax.reduce_window(f(x), -Infinity, lax.max, pool2, pool2s, "VALID")),
  jaxOpCase(
    "rw_sum_lambda_same",
    (x) => lax.reduce_window(f(x), 0, (a, b) => np.add(a, b), [1, 3, 3, 1], [1, 1, 1, 1], "SAME"),
    { rtol: 1e-5, atol: 1e-6 },
  ),
  jaxOpCase("rw_min_padded", (x) =>
    lax.reduce_window(
      f(x),
      Infinity,
      lax.min,
      [1, 3, 2, 1],
      [1, 2, 1, 1],
      [
        [0, 0],
        [1, 1],
        [0, 1],
        [0, 0],
      ],
    ),
  ),
  jaxOpCase("rw_mul", (g) => windowProducts(f(g)), { rtol: 1e-5 }),
  jaxOpCase("rw_max_dilated", (x) => dilatedMax(f(x))),
  jaxOpCase("rw_sum_dilated_1d", (v) => lax.reduce_window(f(v), 0, lax.add, [3], [2], "VALID", null, [2]), {
    rtol: 1e-5,
    atol: 1e-6,
  }),
  jaxOpCase("rw_init_not_identity", (v) => lax.reduce_window(f(v), 1.5, lax.add, [2], [1], "VALID"), {
    rtol: 1e-5,
    atol: 1e-6,
  }),
  jaxOpCase("rw_int_max", (v) => lax.reduce_window(i32(v), -2147483648, lax.max, [3], [1], "VALID"), {
    dtype: "int32",
  }),
  jaxOpCase(
    "rw_max_pool_grad",
    (x, w) =>
      grad((v: Tracer) =>
        np.sum(
          np.multiply(
            lax.reduce_window(v, -Infinity, lax.max, pool2, pool2s, "VALID"),
            np.slice(f(w), [0, 0, 0, 0], [2, 3, 3, 3]),
          ),
        ),
      )(f(x)) as Tracer,
  ),
  jaxOpCase("rw_mul_grad", (g) => grad((v: Tracer) => np.sum(windowProducts(v)))(f(g)) as Tracer, { rtol: 1e-5 }),
  jaxOpCase(
    "rw_sum_dilated_grad",
    (v) =>
      grad((x: Tracer) => np.sum(np.sin(lax.reduce_window(x, 0, lax.add, [3], [1], "SAME", null, [2]))))(
        f(v),
      ) as Tracer,
    { rtol: 1e-5, atol: 1e-6 },
  ),
  jaxOpCase("rw_max_dilated_grad", (x) => grad((v: Tracer) => np.sum(np.square(dilatedMax(v))))(f(x)) as Tracer),
  jaxOpCase(
    "rw_vmap",
    (b) => vmap((r: Tracer) => lax.reduce_window(r, -Infinity, lax.max, [3], [2], "SAME"))(f(b)) as Tracer,
  ),
  jaxOpCase("rw_base_dilated_sum", (v) => lax.reduce_window(f(v), 0, lax.add, [3], [1], "VALID", [2]), {
    rtol: 1e-5,
    atol: 1e-6,
  }),
  jaxOpCase("rw_base_dilated_max_same", (x) =>
    lax.reduce_window(f(x), -Infinity, lax.max, [1, 2, 3, 1], [1, 2, 2, 1], "SAME", [1, 2, 1, 1]),
  ),
  jaxOpCase(
    "rw_base_dilated_grad",
    (v) =>
      grad((x: Tracer) => np.sum(np.cos(lax.reduce_window(x, 0, lax.add, [3], [2], [[1, 2]], [3]))))(f(v)) as Tracer,
    { rtol: 1e-5, atol: 1e-6 },
  ),
  jaxOpCase("lax_shift_right_logical", (a, n) => lax.shift_right_logical(i32(a), i32(n)), { dtype: "int32" }),
  jaxOpCase("lax_shift_left", (a, n) => lax.shift_left(i32(a), i32(n)), { dtype: "int32" }),
  jaxOpCase("lax_shift_right_arithmetic", (a, n) => lax.shift_right_arithmetic(i32(a), i32(n)), { dtype: "int32" }),
  jaxOpCase("lax_population_count", (a) => lax.population_count(i32(a)), { dtype: "int32" }),
  jaxOpCase("lax_and", (a, n) => lax.and_(i32(a), i32(n)), { dtype: "int32" }),
  jaxOpCase("lax_or", (a, n) => lax.or_(i32(a), i32(n)), { dtype: "int32" }),
  jaxOpCase("lax_xor", (a, n) => lax.xor(i32(a), i32(n)), { dtype: "int32" }),
  jaxOpCase("lax_not", (a) => lax.not_(i32(a)), { dtype: "int32" }),
  jaxOpCase("lax_bitcast_to_int", (x) => lax.bitcast_convert_type(f(x), "int32"), { dtype: "int32" }),
  jaxOpCase("lax_bitcast_to_float", (a) => lax.bitcast_convert_type(i32(a), "float32"), { rtol: 0, atol: 0 }),
  jaxOpCase("lax_reduce_add", (m) => lax.reduce(f(m), 0, lax.add, [0, 2]), { rtol: 1e-6, atol: 1e-6 }),
  jaxOpCase("lax_reduce_max_lambda_init", (m) => lax.reduce(f(m), 0.5, (a, b) => np.maximum(a, b), [1])),
  jaxOpCase("lax_reduce_mul", (g) => lax.reduce(f(g), 1, lax.mul, [1, 2]), { rtol: 1e-5 }),
  jaxOpCase("lax_reduce_min_int", (a) => lax.reduce(i32(a), 2147483647, lax.min, [0]), { dtype: "int32" }),
  jaxOpCase(
    "lax_reduce_grad",
    (m) => grad((x: Tracer) => np.sum(np.square(lax.reduce(x, 0, lax.add, [1]))))(f(m)) as Tracer,
    {
      rtol: 1e-5,
      atol: 1e-6,
    },
  ),
  jaxOpCase("lax_collapse", (x) => lax.collapse(f(x), 1, 3)),
  jaxOpCase("lax_collapse_to_end", (x) => lax.collapse(f(x), 2)),
  ...modes.flatMap((mode) => [
    jaxOpCase(`convolve_${mode}`, (a, k) => np.convolve(f(a), f(k), mode), { rtol: 1e-5, atol: 1e-6 }),
    jaxOpCase(`convolve_${mode}_odd`, (a, k) => np.convolve(f(a), f(k), mode), { rtol: 1e-5, atol: 1e-6 }),
    jaxOpCase(`convolve_${mode}_swapped`, (k, a) => np.convolve(f(k), f(a), mode), { rtol: 1e-5, atol: 1e-6 }),
    jaxOpCase(`correlate_${mode}`, (a, k) => np.correlate(f(a), f(k), mode), { rtol: 1e-5, atol: 1e-6 }),
    jaxOpCase(`correlate_${mode}_odd`, (a, k) => np.correlate(f(a), f(k), mode), { rtol: 1e-5, atol: 1e-6 }),
    jaxOpCase(`correlate_${mode}_swapped`, (k, a) => np.correlate(f(k), f(a), mode), { rtol: 1e-5, atol: 1e-6 }),
  ]),
  jaxOpCase("convolve_int", (a, k) => np.convolve(i32(a), i32(k)), { dtype: "int32" }),
  jaxOpCase("convolve_scalar_kernel", (a, k) => np.convolve(f(a), f(k), "same"), { rtol: 1e-6 }),
  jaxOpCase(
    "convolve_grad_a",
    (a, k) => grad((x: Tracer) => np.sum(np.square(np.convolve(x, f(k), "same"))))(f(a)) as Tracer,
    { rtol: 1e-5, atol: 1e-5 },
  ),
  jaxOpCase("convolve_grad_v", (a, k) => grad((v: Tracer) => np.sum(np.sin(np.convolve(f(a), v))))(f(k)) as Tracer, {
    rtol: 1e-5,
    atol: 1e-5,
  }),
  jaxOpCase(
    "correlate_grad_both",
    (a, k) =>
      grad((x: Tracer, v: Tracer) => np.sum(np.multiply(np.correlate(x, v, "full"), np.arange(14))), [0, 1])(
        f(a),
        f(k),
      )[1] as Tracer,
    { rtol: 1e-5, atol: 1e-5 },
  ),
  jaxOpCase("convolve_vmap", (b, k) => vmap((r: Tracer) => np.convolve(r, f(k), "valid"))(f(b)) as Tracer, {
    rtol: 1e-5,
    atol: 1e-6,
  }),
  jaxOpCase("linalg_trace", (m) => np.linalg.trace(f(m)), { rtol: 1e-6, atol: 1e-6 }),
  jaxOpCase("linalg_trace_offset", (r) => np.linalg.trace(f(r), { offset: 1 }), { rtol: 1e-6, atol: 1e-6 }),
  jaxOpCase("linalg_diagonal", (r) => np.linalg.diagonal(f(r))),
  jaxOpCase("linalg_diagonal_offset", (r) => np.linalg.diagonal(f(r), { offset: -1 })),
  jaxOpCase("linalg_outer", (a, k) => np.linalg.outer(f(a), f(k))),
  jaxOpCase("linalg_cross_axis0", (p, q) => np.linalg.cross(f(p), f(q), { axis: 0 }), { rtol: 1e-5, atol: 1e-6 }),
  jaxOpCase("linalg_cross_broadcast", (p, q) => np.linalg.cross(f(p), f(q)), { rtol: 1e-5, atol: 1e-6 }),
  jaxOpCase("linalg_matmul", (m, r) => np.linalg.matmul(f(m), f(r)), { rtol: 1e-5, atol: 1e-6 }),
  jaxOpCase("vector_norm_all", (m) => np.linalg.vector_norm(f(m)), { rtol: 1e-6 }),
  jaxOpCase("vector_norm_axis_keep", (m) => np.linalg.vector_norm(f(m), { axis: 1, keepdims: true }), { rtol: 1e-6 }),
  jaxOpCase("vector_norm_axes_1", (m) => np.linalg.vector_norm(f(m), { axis: [0, 2], ord: 1 }), { rtol: 1e-6 }),
  jaxOpCase("vector_norm_inf", (m) => np.linalg.vector_norm(f(m), { axis: -1, ord: Infinity })),
  jaxOpCase("vector_norm_3", (m) => np.linalg.vector_norm(f(m), { axis: [1, 2], ord: 3 }), { rtol: 1e-5 }),
  jaxOpCase("vector_norm_all_keep", (m) => np.linalg.vector_norm(f(m), { keepdims: true }), { rtol: 1e-6 }),
  jaxOpCase("matrix_norm_fro", (m) => np.linalg.matrix_norm(f(m)), { rtol: 1e-6 }),
  jaxOpCase("matrix_norm_1_keep", (r) => np.linalg.matrix_norm(f(r), { ord: 1, keepdims: true }), { rtol: 1e-6 }),
  jaxOpCase("matrix_norm_inf", (r) => np.linalg.matrix_norm(f(r), { ord: Infinity }), { rtol: 1e-6 }),
  jaxOpCase(
    "vector_norm_grad",
    (m) => grad((x: Tracer) => np.sum(np.linalg.vector_norm(x, { axis: [1, 2] })))(f(m)) as Tracer,
    { rtol: 1e-5 },
  ),
  jaxOpCase("multi_dot_vectors", (...cs) => np.linalg.multi_dot(cs.map(f)), { rtol: 1e-4, atol: 1e-4 }),
  jaxOpCase("multi_dot_matrices", (...cs) => np.linalg.multi_dot(cs.map(f)), { rtol: 1e-4, atol: 1e-4 }),
  jaxOpCase(
    "multi_dot_grad",
    (a, b, c) => grad((x: Tracer) => np.sum(np.square(np.linalg.multi_dot([x, f(b), f(c)]))))(f(a)) as Tracer,
    { rtol: 1e-4, atol: 1e-3 },
  ),
  jaxOpCase("matrix_power_0", (s) => np.linalg.matrix_power(f(s), 0)),
  jaxOpCase("matrix_power_1", (s) => np.linalg.matrix_power(f(s), 1)),
  jaxOpCase("matrix_power_5", (s) => np.linalg.matrix_power(f(s), 5), { rtol: 1e-5, atol: 1e-4 }),
  jaxOpCase("matrix_power_neg3", (s) => np.linalg.matrix_power(f(s), -3), { rtol: 1e-4, atol: 1e-5 }),
  jaxOpCase("matrix_power_grad", (s) => grad((x: Tracer) => np.sum(np.linalg.matrix_power(x, 3)))(f(s)) as Tracer, {
    rtol: 1e-5,
    atol: 1e-5,
  }),
  jaxOpCase("tensorsolve", (a, b) => np.linalg.tensorsolve(f(a), f(b)), { rtol: 1e-4, atol: 1e-5 }),
  jaxOpCase("tensorinv", (a) => np.linalg.tensorinv(f(a), 1), { rtol: 1e-4, atol: 1e-5 }),
];

opCases("surface8", cases);

test("the batch refuses what it cannot do, naming it: a computation that is no monoid, dilations of the wrong rank or 0, a variadic or subtracting lax.reduce, float shifts, a bool bitcast, a reversed collapse, 2-D convolve, a bad mode, linalg.outer of matrices, cross of 2-vectors, multi_dot of one array, a non-integer matrix power", () => {
  onBackend("cpu", () => {
    const v = f([1, 2, 3, 4]);
    refuses(
      () => lax.reduce_window(v, 0, (a: Tracer, b: Tracer) => np.add(np.multiply(a, 2), b), [2]),
      /reduce_window: computation must combine its two arguments with one of add, mul, max, min .* does mul, add/,
    );
    refuses(
      () => lax.reduce_window(v, 0, (a: Tracer) => a, [2]),
      /reduce_window: computation must combine its two arguments .* does no operation/,
    );
    refuses(
      () => lax.reduce_window(v, 0, "prod" as never, [2]),
      /reduce_window: computation must be a function of two scalars .* got "prod"/,
    );
    refuses(
      () => lax.reduce_window(v, 0, lax.add, [2], [1], "VALID", [0]),
      /reduce_window: base_dilation needs 1 positive integers, got \[0\]/,
    );
    refuses(
      () => lax.reduce(v, 0, (a: Tracer, b: Tracer) => np.subtract(a, b), [0]),
      /lax.reduce: computation must combine its two arguments with one of add, mul, max, min .* does sub/,
    );
    refuses(() => lax.reduce([v, v] as never, 0, lax.add, [0]), /lax.reduce: one operand here; a variadic reduce/);
    refuses(() => lax.shift_right_logical(v, 1), /lax.shift_right_logical: needs int32 operands, got float32\[4\]/);
    refuses(
      () => lax.bitcast_convert_type(np.array([true]), "int32"),
      /lax.bitcast_convert_type: bool has no 32-bit form/,
    );
    refuses(
      () => lax.collapse(v, 1, 0),
      /lax.collapse: dimensions \[1, 0\) must be a range within the 1 axes of \[4\]/,
    );
    refuses(
      () => lax.reduce_window(v, 0, lax.add, [2], [1], "VALID", null, [1, 1]),
      /reduce_window: window_dilation needs 1 positive integers, got \[1,1\]/,
    );
    refuses(
      () => np.convolve(np.ones([2, 2]), v),
      /convolve: a and v must be 1-D, got float32\[2,2\] and float32\[4\]/,
    );
    refuses(() => np.correlate(v, np.ones([0])), /correlate: a and v must not be empty/);
    refuses(
      () => np.convolve(v, v, "circular" as never),
      /convolve: mode must be "full", "same" or "valid", got "circular"/,
    );
    refuses(() => np.linalg.outer(np.ones([2, 2]), v), /linalg.outer: both inputs must be 1-D/);
    refuses(
      () => np.linalg.cross(np.ones([2]), np.ones([2])),
      /linalg.cross: axis -1 must have length 3 in both inputs/,
    );
    refuses(() => np.linalg.multi_dot([v]), /linalg.multi_dot: needs a list of at least 2 arrays, got 1/);
    refuses(
      () => np.linalg.multi_dot([np.ones([2, 3]), np.ones([2, 3])]),
      /linalg.multi_dot: array 0 float32\[2,3\] cannot multiply array 1 float32\[2,3\]/,
    );
    refuses(() => np.linalg.matrix_power(np.eye(2), 1.5), /linalg.matrix_power: n must be an integer, got 1.5/);
    refuses(
      () => np.linalg.matrix_power(np.ones([2, 3]), 2),
      /linalg.matrix_power: needs square matrices, got float32\[2,3\]/,
    );
    refuses(() => np.linalg.vector_norm(v, { ord: 2, axes: 0 } as never), /vector_norm.*axes/);
  });
});

test("np.linalg.vecdot and np.linalg.matrix_transpose are np's vecdot and matrix_transpose (checked against JAX in surface7)", () => {
  assert.equal(np.linalg.vecdot, np.vecdot);
  assert.equal(np.linalg.matrix_transpose, np.matrix_transpose);
});
