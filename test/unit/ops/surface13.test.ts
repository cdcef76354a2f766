// The thirteenth API batch against JAX (scripts/jax/run_jax_surface13.py wrote
// test/fixtures/jax/surface13.json): the Hurwitz zeta function and polygamma (poles, domain
// edges, negative q, large x, gradients), lax.approx_max_k / approx_min_k along either axis,
// np.vectorize (broadcasting, size-1 loop axes, gufunc signatures, an excluded argument), the
// array API / NumPy 2 names (cumulative_prod matvec vecmat *_indices_from ediff1d fromfunction
// apply_over_axes modf put_along_axis array_equiv unstack bitwise_* shifts), np.linalg.cond for
// every p and np.linalg.tensordot. Each on the CPU reference, on WebGPU and under jit on WebGPU
// (harness.ts opCases). Then what JAX gets wrong, by hand, and bad input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { grad, lax, scipy, vmap } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, opCases, refuses, type Nested, type OpCase } from "./harness.js";
import { fixtureCases } from "./surface2Expected.js";

const { jaxOpCase, jaxParts } = fixtureCases("surface13");
const f = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const i32 = (v: Nested): Tracer => np.array(v as never, { dtype: "int32" });
const sp = scipy.special;
const series = { rtol: 2e-5, atol: 1e-6 }; // sums of ~20 powers, each a few ulps
const I = "int32" as const;

const cases: OpCase[] = [
  jaxOpCase("zeta", (x, q) => sp.zeta(f(x), f(q)), series),
  jaxOpCase(
    "grad_zeta_q",
    (x, q) => vmap(grad((a: Tracer, b: Tracer) => sp.zeta(a, b), 1))(f(x), f(q)) as Tracer,
    series,
  ),
  jaxOpCase("grad_zeta_x", (x, q) => vmap(grad((a: Tracer, b: Tracer) => sp.zeta(a, b), 0))(f(x), f(q)) as Tracer, {
    rtol: 1e-4,
    atol: 1e-6,
  }),
  jaxOpCase("polygamma", (n, x) => sp.polygamma(i32(n), f(x)), series),
  jaxOpCase("lax_polygamma_bad_n", (n, x) => lax.polygamma(f(n), f(x)), series),
  jaxOpCase("grad_polygamma_1", (x) => vmap(grad((v: Tracer) => sp.polygamma(1, v)))(f(x)) as Tracer, series),
  ...jaxParts("approx_max_k_last", ["float32", I], (x) => lax.approx_max_k(f(x), 2)),
  ...jaxParts("approx_min_k_last", ["float32", I], (x) => lax.approx_min_k(f(x), 3)),
  ...jaxParts("approx_max_k_axis0", ["float32", I], (x) => lax.approx_max_k(f(x), 2, { reduction_dimension: 0 })),
  ...jaxParts("approx_min_k_axis0", ["float32", I], (x) => lax.approx_min_k(f(x), 1, { reduction_dimension: 0 })),
  jaxOpCase("vectorize_elementwise", (a, b) =>
    np.vectorize((x: Tracer, y: Tracer) => np.where(np.greater(x, y), np.subtract(x, y), np.multiply(x, y)))(
      f(a),
      f(b),
    ),
  ),
  jaxOpCase("vectorize_matvec", (m, v) =>
    np.vectorize((a: Tracer, b: Tracer) => np.matmul(a, b), { signature: "(m,n),(n)->(m)" })(f(m), f(v)),
  ),
  ...jaxParts("vectorize_two_results", 2, (x) =>
    np.vectorize((r: Tracer) => [np.max(r), np.argmax(r).astype("float32")], { signature: "(n)->(),()" })(f(x)),
  ),
  jaxOpCase("vectorize_excluded", (x) =>
    np.vectorize((v: Tracer, p: number) => np.power(v, p), { excluded: [1] })(f(x), 3),
  ),
  jaxOpCase("cumulative_prod_axis1", (x) => np.cumulative_prod(f(x), { axis: 1 })),
  jaxOpCase("cumulative_prod_initial", (x) => np.cumulative_prod(f(x), { axis: 0, include_initial: true })),
  jaxOpCase("cumulative_prod_bool", (x) => np.cumulative_prod(np.array(x as never, { dtype: "bool" })), { dtype: I }),
  jaxOpCase("matvec", (m, v) => np.matvec(f(m), f(v))),
  jaxOpCase("vecmat", (v, m) => np.vecmat(f(v), f(m))),
  ...jaxParts("diag_indices_from", [I, I, I], (x) => np.diag_indices_from(f(x))),
  ...jaxParts("tril_indices_from", [I, I], (x) => np.tril_indices_from(f(x), 1)),
  ...jaxParts("triu_indices_from", [I, I], (x) => np.triu_indices_from(f(x), -1)),
  jaxOpCase("ediff1d", (x) => np.ediff1d(f(x))),
  jaxOpCase("ediff1d_ends", (x) => np.ediff1d(f(x), { to_begin: f([-1, -2]), to_end: f(100) })),
  jaxOpCase("fromfunction", () =>
    np.fromfunction((i, j) => np.add(np.multiply(i, 10), np.square(j)), [3, 4], { dtype: "float32" }),
  ),
  jaxOpCase("fromfunction_int", () => np.fromfunction((i, j) => np.subtract(i, j), [2, 3], { dtype: "int32" }), {
    dtype: I,
  }),
  jaxOpCase("apply_over_axes", (x) => np.apply_over_axes((a, ax) => np.sum(a, ax), f(x), [0, 2])),
  jaxOpCase("apply_over_axes_keep", (x) => np.apply_over_axes((a, ax) => np.cumsum(a, ax), f(x), [1])),
  ...jaxParts("modf", 2, (x) => np.modf(f(x))),
  jaxOpCase("put_along_axis", (a, i) => np.put_along_axis(f(a), i32(i), f([[-1], [-2], [-3]]), 1)),
  jaxOpCase("put_along_axis_axis0", (a, i) => np.put_along_axis(f(a), i32(i), 99, 0, { inplace: false })),
  jaxOpCase("put_along_axis_outside", (a, i) => np.put_along_axis(f(a), i32(i), -7, 1)),
  jaxOpCase("put_along_axis_clip", (a, i) => np.put_along_axis(f(a), i32(i), -7, 1, { mode: "clip" })),
  jaxOpCase("array_equiv_broadcast", (a, b) => np.array_equiv(f(a), f(b)), { dtype: "bool" }),
  jaxOpCase("array_equiv_differ", (a, b) => np.array_equiv(f(a), f(b)), { dtype: "bool" }),
  ...jaxParts("unstack_axis1", 4, (x) => np.unstack(f(x), { axis: 1 })),
  jaxOpCase("bitwise_invert", (x) => np.bitwise_invert(i32(x)), { dtype: I }),
  jaxOpCase("bitwise_left_shift", (x) => np.bitwise_left_shift(i32(x), i32([1, 2, 3, 31])), { dtype: I }),
  jaxOpCase("bitwise_right_shift", (x) => np.bitwise_right_shift(i32(x), i32([1, 2, 3, 1])), { dtype: I }),
  ...(
    [
      ["None", undefined],
      ["2", 2],
      ["-2", -2],
      ["fro", "fro"],
      ["1", 1],
      ["-1", -1],
      ["inf", Infinity],
      ["-inf", -Infinity],
      ["nuc", "nuc"],
    ] as const
  ).map(([name, p]) => jaxOpCase(`cond_${name}`, (x) => np.linalg.cond(f(x), p), { rtol: 1e-4, atol: 1e-5 })),
  jaxOpCase("cond_singular_1", (x) => np.linalg.cond(f(x), 1)),
  jaxOpCase("cond_batched", (x) => np.linalg.cond(f(x)), { rtol: 1e-4, atol: 1e-5 }),
  jaxOpCase("cond_rect", (x) => np.linalg.cond(f(x)), { rtol: 1e-4, atol: 1e-5 }),
  jaxOpCase("linalg_tensordot", (a, b) => np.linalg.tensordot(f(a), f(b), 2), { rtol: 1e-5, atol: 1e-6 }),
];
opCases("surface13", cases);

test("array_equiv of shapes that do not broadcast is false (numpy's answer and JAX's intent; jax 0.10 raises)", async () => {
  const r = onBackend("cpu", () => np.array_equiv(f([1, 2]), f([1, 2, 3])));
  assert.equal(await r.toArray(), false);
});

test("lax.broadcast_shapes and with_sharding_constraint: the broadcast shape, and the value itself", () => {
  assert.deepEqual(lax.broadcast_shapes([3, 1], [4], [1, 1, 1]), [1, 3, 4]);
  const tree = { w: f([1, 2]) };
  assert.equal(lax.with_sharding_constraint(tree, null), tree);
});

test("the thirteenth batch refuses bad input, naming it: polygamma's n, vectorize's signature and core sizes, put_along_axis in place, cond of a non-square matrix", () => {
  onBackend("cpu", () => {
    refuses(() => sp.polygamma(f([1]), f([2])), /scipy\.special\.polygamma: n must be integers .* got float32/);
    refuses(() => sp.polygamma(1.5, f([2])), /scipy\.special\.polygamma: n must be integers .* got 1\.5/);
    refuses(
      () => np.vectorize((a: Tracer) => a, { signature: "(n)->" })(f([1])),
      /vectorize: signature "\(n\)->" gives 0 result\(s\); the function returned one|vectorize: the signature \(n\)-> gives 0 result/,
    );
    refuses(
      () => np.vectorize((a: Tracer) => a, { signature: "n->n" })(f([1])),
      /vectorize: signature "n->n" is not of the form/,
    );
    refuses(
      () => np.vectorize((a: Tracer, b: Tracer) => np.dot(a, b), { signature: "(n),(n)->()" })(f([1, 2]), f([1, 2, 3])),
      /vectorize: core axis n is 2 in one argument and 3 in argument 1/,
    );
    refuses(
      () => np.vectorize((a: Tracer) => a, { signature: "(n)->()" })(f([[1, 2]])),
      /vectorize: result 0 should have 0 core axes \(\) per the signature \(n\)->\(\), got float32\[2\]/,
    );
    refuses(
      () => np.put_along_axis(f([1, 2]), i32([0]), 5, 0, { inplace: true }),
      /put_along_axis: arrays cannot be modified in place/,
    );
    refuses(
      () =>
        np.linalg.cond(
          f([
            [1, 2, 3],
            [4, 5, 6],
          ]),
          1,
        ),
      /linalg\.cond: for p = 1 the matrices must be square/,
    );
    refuses(() => np.linalg.cond(f([1, 2])), /linalg\.cond: needs at least 2 axes/);
  });
});
