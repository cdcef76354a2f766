// np.einsum with a letter repeated within one operand, against JAX
// (scripts/jax/run_jax_einsum_diagonal.py wrote test/fixtures/jax/einsum_diagonal.json): a trace,
// a diagonal, batched, then summed, three times repeated, beside a matrix, with an ellipsis, the
// diagonal placed before another axis, int32, and a gradient. Each on the CPU reference, on
// WebGPU and under jit on WebGPU (harness.ts opCases).
import { test } from "node:test";
import assert from "node:assert/strict";
import { grad } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { opCases, type Nested, type OpCase } from "./harness.js";
import { fixtureCases } from "./surface2Expected.js";

const { jaxOpCase, ids } = fixtureCases("einsum_diagonal");
const f = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const tol = { rtol: 1e-5, atol: 1e-6 };

const cases: OpCase[] = [
  jaxOpCase("trace", (x) => np.einsum("ii", f(x)), tol),
  jaxOpCase("diag", (x) => np.einsum("ii->i", f(x))),
  jaxOpCase("batched_diag", (x) => np.einsum("bii->bi", f(x))),
  jaxOpCase("diag_then_sum", (x) => np.einsum("iij->j", f(x)), tol),
  jaxOpCase("triple", (x) => np.einsum("iii->i", f(x))),
  jaxOpCase("with_matrix", (x, y) => np.einsum("ij,jj->i", f(x), f(y)), tol),
  jaxOpCase("trace_dot", (x, y) => np.einsum("ii,i->", f(x), f(y)), tol),
  jaxOpCase("ellipsis_diag", (x) => np.einsum("...ii->...i", f(x))),
  jaxOpCase("diag_before", (x) => np.einsum("jii->ij", f(x))),
  jaxOpCase("trace_int", (x) => np.einsum("ii", np.array(x as never, { dtype: "int32" })), { dtype: "int32" }),
  jaxOpCase(
    "grad_diag",
    (x, w) => grad((v: Tracer) => np.sum(np.multiply(np.einsum("ii->i", v), f(w))))(f(x)) as Tracer,
    tol,
  ),
];
opCases("einsum diagonal", cases);

test("every case the JAX script wrote is replayed here", () => {
  assert.deepEqual(cases.map((c) => c.name).sort(), [...ids].sort());
});
