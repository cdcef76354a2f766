// The where and initial options of the reductions against JAX (scripts/jax/run_jax_reduce_where.py
// wrote test/fixtures/jax/reduce_where.json): sum, prod, mean, var, std, max, min, any, all with a
// mask (broadcast too), a row left out entirely, keepdims, int32, and gradients; nn.softmax,
// log_softmax and logsumexp with where. Each on the CPU
// reference, on WebGPU and under jit on WebGPU (harness.ts opCases). Then max without initial.
import { test } from "node:test";
import assert from "node:assert/strict";
import { grad } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import * as nn from "../../../runtime/src/nn.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, opCases, refuses, type Nested, type OpCase } from "./harness.js";
import { fixtureCases } from "./surface2Expected.js";

const { jaxOpCase, ids } = fixtureCases("reduce_where");
const f = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const i32 = (v: Nested): Tracer => np.array(v as never, { dtype: "int32" });
const b = (v: Nested): Tracer => np.array(v as never, { dtype: "bool" });
const tol = { rtol: 1e-5, atol: 1e-6 };
const INT = { dtype: "int32" } as const;
const BOOL = { dtype: "bool" } as const;

const cases: OpCase[] = [
  jaxOpCase("sum_all", (x, m) => np.sum(f(x), null, { where: b(m) })),
  jaxOpCase("sum_rows", (x, m) => np.sum(f(x), 1, { where: b(m) })),
  jaxOpCase("sum_initial_keepdims", (x, m) => np.sum(f(x), 0, { where: b(m), initial: 10, keepdims: true })),
  jaxOpCase("sum_broadcast_mask", (x, m) => np.sum(f(x), 1, { where: b(m) })),
  jaxOpCase("prod_rows", (x, m) => np.prod(f(x), 1, { where: b(m) })),
  jaxOpCase("prod_initial", (x, m) => np.prod(f(x), 0, { where: b(m), initial: 2 })),
  jaxOpCase("mean_all", (x, m) => np.mean(f(x), null, { where: b(m) }), tol),
  jaxOpCase("mean_rows", (x, m) => np.mean(f(x), 1, { where: b(m) }), tol),
  jaxOpCase("var_rows", (x, m) => np.var(f(x), 1, { where: b(m) }), tol),
  jaxOpCase("var_ddof1_cols", (x, m) => np.var(f(x), 0, { ddof: 1, where: b(m) }), tol),
  jaxOpCase("std_rows", (x, m) => np.std(f(x), 1, { where: b(m) }), tol),
  jaxOpCase("max_rows", (x, m) => np.max(f(x), 1, { where: b(m), initial: -5 })),
  jaxOpCase("min_cols", (x, m) => np.min(f(x), 0, { where: b(m), initial: 0 })),
  jaxOpCase("max_initial_only", (x) => np.max(f(x), 1, { initial: 3 })),
  jaxOpCase("any_rows", (x, m) => np.any(np.greater(f(x), 2), 1, { where: b(m) }), BOOL),
  jaxOpCase("all_rows", (x, m) => np.all(np.greater(f(x), 0), 1, { where: b(m) }), BOOL),
  jaxOpCase("sum_int", (x, m) => np.sum(i32(x), 1, { where: b(m) }), INT),
  jaxOpCase("max_int", (x, m) => np.max(i32(x), 1, { where: b(m), initial: -100 }), INT),
  jaxOpCase("mean_int", (x, m) => np.mean(i32(x), null, { where: b(m) }), tol),
  jaxOpCase("grad_mean", (x, m) => grad((v: Tracer) => np.mean(v, null, { where: b(m) }))(f(x)) as Tracer, tol),
  jaxOpCase(
    "grad_max",
    (x, m) => grad((v: Tracer) => np.sum(np.max(v, 1, { where: b(m), initial: -5 })))(f(x)) as Tracer,
    tol,
  ),
  jaxOpCase("softmax_where", (x, m) => nn.softmax(f(x), -1, { where: b(m) }), tol),
  jaxOpCase("log_softmax_where", (x, m) => nn.log_softmax(f(x), -1, { where: b(m) }), tol),
  jaxOpCase(
    "grad_softmax_where",
    (x, m, w) => grad((v: Tracer) => np.sum(np.multiply(nn.softmax(v, -1, { where: b(m) }), f(w))))(f(x)) as Tracer,
    tol,
  ),
  jaxOpCase(
    "grad_log_softmax_where",
    (x, m, w) =>
      grad((v: Tracer) => np.sum(np.multiply(np.where(b(m), nn.log_softmax(v, -1, { where: b(m) }), 0), f(w))))(
        f(x),
      ) as Tracer,
    tol,
  ),
  jaxOpCase("logsumexp_where", (x, m) => nn.logsumexp(f(x), 1, { where: b(m) }), tol),
  jaxOpCase(
    "logsumexp_b_where",
    (x, m, w) => nn.logsumexp(f(x), 1, { b: np.abs(f(w)), where: b(m), keepdims: true }),
    tol,
  ),
  jaxOpCase(
    "grad_logsumexp_where",
    (x, m) => grad((v: Tracer) => np.sum(nn.logsumexp(v, 1, { where: b(m) })))(f(x)) as Tracer,
    tol,
  ),
];
opCases("reductions with where", cases);

test("every case the JAX script wrote is replayed here", () => {
  assert.deepEqual(cases.map((c) => c.name).sort(), [...ids].sort());
});

test("max or min with where but no initial, and a mask that is not bool, are errors that say what to give", () => {
  onBackend("cpu", () => {
    refuses(() => np.max(f([1, 2]), null, { where: b([true, false]) }), /max: with where, give initial too/);
    refuses(() => np.min(f([1, 2]), null, { where: b([true, false]) }), /min: with where, give initial too/);
    refuses(() => np.sum(f([1, 2]), null, { where: f([1, 0]) }), /sum: where must be a bool array, got float32\[2\]/);
  });
});
