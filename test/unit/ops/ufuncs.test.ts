// np's ufuncs against JAX's jnp.ufunc (scripts/jax/run_jax_ufuncs.py wrote
// test/fixtures/jax/ufuncs.json): outer of vectors and matrices, reduce over axes with keepdims,
// initial and where (the sum/prod/max/min/all/any paths and the generic loop), accumulate along
// axes (cumsum, cumprod, cummax, cummin and the generic scan), at with repeated indices and
// inplace: false, reduceat, and a frompyfunc hypot with its methods. Each on the CPU reference,
// on WebGPU and under jit on WebGPU (harness.ts opCases). Then the attributes, np.add still a
// plain function, and what JAX refuses.
import assert from "node:assert/strict";
import { test } from "node:test";
import { lax } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, opCases, refuses, type Nested, type OpCase } from "./harness.js";
import { fixtureCases } from "./surface2Expected.js";

const { jaxOpCase } = fixtureCases("ufuncs");
const f = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const i = (v: Nested): Tracer => np.array(v as never, { dtype: "int32" });
const b = (v: Nested): Tracer => np.array(v as never, { dtype: "bool" });
const tol = { rtol: 1e-5, atol: 1e-5 };
const hypot = np.frompyfunc((p: Tracer, q: Tracer) => np.sqrt(np.add(np.multiply(p, p), np.multiply(q, q))), 2, 1, {
  identity: 0,
});
const noInplace = { inplace: false };

const cases: OpCase[] = [
  jaxOpCase("outer_multiply_vec", (x, y) => np.multiply.outer(f(x), f(y))),
  jaxOpCase("outer_add_mat", (x, y) => np.add.outer(f(x), f(y))),
  jaxOpCase("outer_subtract_int", (x, y) => np.subtract.outer(i(x), i(y)), { dtype: "int32" }),
  jaxOpCase("outer_maximum_mat", (x, y) => np.maximum.outer(f(x), f(y))),

  jaxOpCase("reduce_add_axis0", (x) => np.add.reduce(f(x)), tol),
  jaxOpCase("reduce_add_axis1_keepdims", (x) => np.add.reduce(f(x), 1, { keepdims: true }), tol),
  jaxOpCase("reduce_add_none", (x) => np.add.reduce(f(x), null), tol),
  jaxOpCase("reduce_add_where", (x, m) => np.add.reduce(f(x), 1, { where: b(m) }), tol),
  jaxOpCase("reduce_multiply_initial", (x) => np.multiply.reduce(f(x), 1, { initial: 2 }), tol),
  jaxOpCase("reduce_maximum_neg1", (x) => np.maximum.reduce(f(x), -1)),
  jaxOpCase("reduce_maximum_where_initial", (x, m) => np.maximum.reduce(f(x), 0, { where: b(m), initial: -5 })),
  jaxOpCase("reduce_minimum_none_keepdims", (x) => np.minimum.reduce(f(x), null, { keepdims: true })),
  jaxOpCase("reduce_logical_and", (x) => np.logical_and.reduce(b(x)), { dtype: "bool" }),
  jaxOpCase("reduce_logical_or_keepdims", (x) => np.logical_or.reduce(b(x), 1, { keepdims: true }), { dtype: "bool" }),
  jaxOpCase("reduce_logical_xor", (x) => np.logical_xor.reduce(b(x), 1), { dtype: "bool" }),
  jaxOpCase("reduce_bitwise_or", (x) => np.bitwise_or.reduce(i(x), 1), { dtype: "int32" }),
  jaxOpCase("reduce_bitwise_and_where", (x, m) => np.bitwise_and.reduce(i(x), 0, { where: b(m) }), { dtype: "int32" }),
  jaxOpCase("reduce_bitwise_xor_initial", (x) => np.bitwise_xor.reduce(i(x), null, { initial: 5 }), { dtype: "int32" }),
  jaxOpCase("reduce_subtract", (x) => np.subtract.reduce(f(x), 0), tol),
  jaxOpCase("reduce_logaddexp", (x) => np.logaddexp.reduce(f(x), 1), tol),

  jaxOpCase("accumulate_add_axis1", (x) => np.add.accumulate(f(x), 1), tol),
  jaxOpCase("accumulate_multiply_axis0", (x) => np.multiply.accumulate(f(x)), tol),
  jaxOpCase("accumulate_maximum_axis1", (x) => np.maximum.accumulate(f(x), 1)),
  jaxOpCase("accumulate_minimum_axis0", (x) => np.minimum.accumulate(f(x), 0)),
  jaxOpCase("accumulate_bitwise_or", (x) => np.bitwise_or.accumulate(i(x), 1), { dtype: "int32" }),
  jaxOpCase("accumulate_subtract_neg1", (x) => np.subtract.accumulate(f(x), -1), tol),
  jaxOpCase("accumulate_logical_xor", (x) => np.logical_xor.accumulate(b(x), 1), { dtype: "bool" }),
  jaxOpCase("accumulate_add_bool", (x) => np.add.accumulate(b(x), 1), { dtype: "int32" }),
  jaxOpCase("accumulate_maximum_bool", (x) => np.maximum.accumulate(b(x), 1), { dtype: "bool" }),

  jaxOpCase("at_add_dup", (x, k, v) => np.add.at(f(x), i(k), f(v), noInplace), tol),
  jaxOpCase("at_multiply_dup", (x, k, v) => np.multiply.at(f(x), i(k), f(v), noInplace), tol),
  jaxOpCase("at_maximum_dup", (x, k, v) => np.maximum.at(f(x), i(k), f(v), noInplace)),
  jaxOpCase("at_minimum_dup", (x, k, v) => np.minimum.at(f(x), i(k), f(v), noInplace)),
  jaxOpCase("at_subtract_dup", (x, k, v) => np.subtract.at(f(x), i(k), f(v), noInplace), tol),
  jaxOpCase("at_add_scalar", (x) => np.add.at(f(x), 2, 10, noInplace)),
  jaxOpCase("at_bitwise_xor_dup", (x, k, v) => np.bitwise_xor.at(i(x), i(k), i(v), noInplace), { dtype: "int32" }),
  jaxOpCase("at_add_rows", (x, k, v) => np.add.at(f(x), i(k), f(v), noInplace), tol),
  jaxOpCase("at_add_pairs", (x, r, c) => np.add.at(f(x), [i(r), i(c)], 1, noInplace), tol),
  jaxOpCase("at_logical_or_pairs", (x, r, c) => np.logical_or.at(b(x), [i(r), i(c)], true, noInplace), {
    dtype: "bool",
  }),

  jaxOpCase("reduceat_add", (x) => np.add.reduceat(f(x), i([0, 2, 5])), tol),
  jaxOpCase("reduceat_multiply_unordered", (x) => np.multiply.reduceat(f(x), i([1, 4, 2, 6])), tol),
  jaxOpCase("reduceat_maximum_axis1", (x) => np.maximum.reduceat(f(x), i([0, 3, 4]), 1)),
  jaxOpCase("reduceat_bitwise_or_int", (x) => np.bitwise_or.reduceat(i(x), i([0, 1]), 0), { dtype: "int32" }),

  jaxOpCase("py_call", (x, y) => hypot(f(x), f(y)), tol),
  jaxOpCase("py_outer", (x, y) => hypot.outer(f(x), f(y)), tol),
  jaxOpCase("py_reduce_axis1", (x) => hypot.reduce(f(x), 1), tol),
  jaxOpCase("py_reduce_where", (x, m) => hypot.reduce(f(x), 0, { where: b(m) }), tol),
  jaxOpCase("py_accumulate", (x) => hypot.accumulate(f(x), 1), tol),
  jaxOpCase("py_at", (x, k, v) => hypot.at(f(x), i(k), f(v), noInplace), tol),
  jaxOpCase("py_reduceat", (x) => hypot.reduceat(f(x), i([0, 2, 5])), tol),
];
opCases("np ufunc methods", cases);

test("ufunc attributes are JAX 0.10's: nin 2, nout 1, identity 0/1/None/True/False/-1/-inf, __name__", () => {
  const expected: [np.UfuncMethods, number | boolean | null, string][] = [
    [np.add, 0, "add"],
    [np.multiply, 1, "multiply"],
    [np.subtract, null, "subtract"],
    [np.maximum, null, "maximum"],
    [np.minimum, null, "minimum"],
    [np.logical_and, true, "logical_and"],
    [np.logical_or, false, "logical_or"],
    [np.logical_xor, false, "logical_xor"],
    [np.bitwise_and, -1, "bitwise_and"],
    [np.bitwise_or, 0, "bitwise_or"],
    [np.bitwise_xor, 0, "bitwise_xor"],
    [np.logaddexp, -Infinity, "logaddexp"],
    [np.logaddexp2, -Infinity, "logaddexp2"],
  ];
  for (const [u, identity, name] of expected) {
    assert.deepEqual([u.nin, u.nout, u.identity, u.__name__], [2, 1, identity, name]);
  }
  assert.deepEqual([hypot.nin, hypot.nout, hypot.identity], [2, 1, 0]);
});

test("np.add stays a function: called directly, and passed as a value to lax.associative_scan gives [1, 3, 6]", async () => {
  await onBackend("cpu", async () => {
    assert.deepEqual(await np.add(np.array([1, 2]), 3).data(), new Float32Array([4, 5]));
    const out = lax.associative_scan(np.add, np.array([1, 2, 3]));
    assert.deepEqual(await out.data(), new Float32Array([1, 3, 6]));
  });
});

test("ufunc methods refuse what JAX refuses: inplace at, where without identity or initial, non-bool where, nin≠2, a zero-size reduce with no identity", () => {
  onBackend("cpu", () => {
    const x = np.array([1, 2, 3]);
    refuses(() => np.add.at(x, 0, 1), /add\.at: JAX arrays are immutable.*\{ inplace: false \}/);
    refuses(() => np.add.at(x, 0, 1, { inplace: true }), /add\.at: JAX arrays are immutable/);
    refuses(
      () => np.maximum.reduce(x, 0, { where: np.array([true, false, true]) }),
      /reduction operation 'maximum' does not have an identity, so to use a where mask one has to specify 'initial'/,
    );
    refuses(
      () => np.add.reduce(x, 0, { where: np.array([1, 0, 1]) }),
      /where argument must have dtype=bool; got dtype=float32/,
    );
    const neg = np.frompyfunc((p: Tracer) => np.negative(p), 1, 1);
    refuses(() => neg.reduce(x), /reduce only supported for binary ufuncs \(nin=2\), got nin=1/);
    refuses(() => neg.outer(x, x), /outer only supported for binary ufuncs/);
    refuses(() => neg.accumulate(x), /accumulate only supported for binary ufuncs/);
    refuses(() => neg.reduceat(x, np.array([0], { dtype: "int32" })), /reduceat only supported for binary ufuncs/);
    refuses(
      () => np.subtract.reduce(np.zeros([0, 2])),
      /zero-size array to reduction operation subtract which has no identity/,
    );
    refuses(() => np.add.reduce(x, 0, { out: x } as never), /unknown option/);
  });
});
