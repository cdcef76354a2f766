// Derivatives at ties of max and min against JAX (scripts/jax/run_jax_ties.py wrote
// test/fixtures/jax/ties.json): np.maximum / np.minimum split a tie half and half between their
// operands (lax.max's balanced rule), so np.clip's derivative at a bound is 0.5; nn.relu has its
// own rule, 0 at 0 (inside relu(relu(x)) too), as do relu6's ends; reductions split a tie evenly;
// nn.sparse_sigmoid, a clip, is 0.25 at ±1. Each on the CPU reference, on WebGPU and under jit.
import { test } from "node:test";
import assert from "node:assert/strict";
import { grad, nn, vmap } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { opCases, type Nested, type OpCase } from "../ops/harness.js";
import { fixtureCases } from "../ops/surface2Expected.js";

const { jaxOpCase, ids } = fixtureCases("ties");
const f = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const weights = () => np.arange(1, 7, { dtype: "float32" });
const slope = (fn: (x: Tracer) => Tracer) => (x: Nested) => vmap(grad(fn))(f(x)) as Tracer;
const pairGrad = (fn: (a: Tracer, b: Tracer) => Tracer, argnum: 0 | 1) => (x: Nested, y: Nested) =>
  (
    grad((a: Tracer, b: Tracer) => np.sum(np.multiply(fn(a, b), weights())), argnum) as (a: Tracer, b: Tracer) => Tracer
  )(f(x), f(y));

const cases: OpCase[] = [
  jaxOpCase("grad_maximum_x", pairGrad(np.maximum, 0)),
  jaxOpCase("grad_maximum_y", pairGrad(np.maximum, 1)),
  jaxOpCase("grad_minimum_x", pairGrad(np.minimum, 0)),
  jaxOpCase("grad_minimum_y", pairGrad(np.minimum, 1)),
  jaxOpCase(
    "grad_maximum_scalar_zero",
    slope((x) => np.maximum(x, 0)),
  ),
  jaxOpCase(
    "grad_clip_bounds",
    slope((x) => np.clip(x, -1, 1)),
  ),
  jaxOpCase("grad_relu", slope(nn.relu)),
  jaxOpCase(
    "grad_relu_of_relu",
    slope((x) => nn.relu(np.subtract(nn.relu(x), 1))),
  ),
  jaxOpCase("grad_relu6", slope(nn.relu6)),
  jaxOpCase(
    "grad_max_reduce_ties",
    (m) =>
      grad((x: Tracer) => np.sum(np.multiply(np.max(x, 1), np.arange(1, 4, { dtype: "float32" }))))(f(m)) as Tracer,
  ),
  jaxOpCase("grad_min_reduce_all", (m) => grad((x: Tracer) => np.min(x))(f(m)) as Tracer),
  jaxOpCase("grad_sparse_sigmoid", slope(nn.sparse_sigmoid)),
];

test("every case in ties.json has a check here, and no check names a missing case", () => {
  assert.deepEqual(cases.map((c) => c.name).sort(), [...ids].sort());
});

opCases("ties", cases);
