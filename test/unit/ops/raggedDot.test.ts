// lax.ragged_dot against JAX (scripts/jax/run_jax_ragged_dot.py wrote
// test/fixtures/jax/ragged_dot.json): uneven groups, an empty group, groups summing to less than
// m (zeros past them), one group, int32, gradients in lhs and rhs, a batch under vmap, and a
// mixture-of-experts layer (top-1 routing, tokens sorted by expert, two ragged_dots through the
// experts' weights, tokens put back) with its gradient in the weights. Each on the CPU reference,
// on WebGPU and under jit on WebGPU (harness.ts opCases). Then bad input.
import { test } from "node:test";
import { grad, lax, nn, vmap } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, opCases, refuses, type Nested, type OpCase } from "./harness.js";
import { fixtureCases } from "./surface2Expected.js";

const { jaxOpCase, jaxParts } = fixtureCases("ragged_dot");
const f = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const i = (v: Nested): Tracer => np.array(v as never, { dtype: "int32" });
const tol = { rtol: 1e-5, atol: 1e-5 };

function moe(tokens: Tracer, router: Tracer, wIn: Tracer, wOut: Tracer): Tracer {
  const expert = np.argmax(np.matmul(tokens, router), -1);
  const order = np.argsort(expert, -1, { stable: true });
  const groupSizes = np.bincount(expert, { length: 4 });
  const x = np.take(tokens, order, 0);
  const h = nn.gelu(lax.ragged_dot(x, wIn, groupSizes), { approximate: false });
  const y = lax.ragged_dot(h, wOut, groupSizes);
  return np.zeros_like(y).at(order).set(y);
}

const cases: OpCase[] = [
  ...["uneven", "empty_group", "short", "one_group"].map((k) =>
    jaxOpCase(`ragged_${k}`, (a, b, s) => lax.ragged_dot(f(a), f(b), i(s)), tol),
  ),
  ...jaxParts(
    "ragged_grad",
    2,
    (a, b, s, w) =>
      grad((x: Tracer, y: Tracer) => np.sum(np.multiply(np.tanh(lax.ragged_dot(x, y, i(s))), f(w))), [0, 1])(
        f(a),
        f(b),
      ) as Tracer[],
  ).map((c) => ({ ...c, ...tol })),
  ...jaxParts(
    "ragged_grad_short",
    2,
    (a, b, s, w) =>
      grad((x: Tracer, y: Tracer) => np.sum(np.multiply(lax.ragged_dot(x, y, i(s)), f(w))), [0, 1])(
        f(a),
        f(b),
      ) as Tracer[],
  ).map((c) => ({ ...c, ...tol })),
  jaxOpCase("ragged_int32", (a, b, s) => lax.ragged_dot(i(a), i(b), i(s)), { dtype: "int32" }),
  jaxOpCase("ragged_vmap", (a, b, s) => vmap((x: Tracer) => lax.ragged_dot(x, f(b), i(s)))(f(a)), tol),
  jaxOpCase("moe_forward", (t, r, a, b) => moe(f(t), f(r), f(a), f(b)), tol),
  ...jaxParts(
    "moe_grad",
    2,
    (t, r, a, b, y) =>
      grad((wIn: Tracer, wOut: Tracer) => np.mean(np.square(np.subtract(moe(f(t), f(r), wIn, wOut), f(y)))), [0, 1])(
        f(a),
        f(b),
      ) as Tracer[],
  ).map((c) => ({ ...c, ...tol })),
];
opCases("lax.ragged_dot", cases);

test("lax.ragged_dot refuses bad input, naming it: ranks, k, group count, float group sizes, group_offset, an option", () => {
  onBackend("cpu", () => {
    const [a, b, s] = [np.ones([4, 3]), np.ones([2, 3, 5]), np.array([1, 3], { dtype: "int32" })];
    refuses(() => lax.ragged_dot(np.ones([4]), b, s), /lax\.ragged_dot: needs lhs \[m, k\] and rhs \[g, k, n\]/);
    refuses(() => lax.ragged_dot(np.ones([4, 2]), b, s), /lhs's k \(2\) is not rhs's \(3\)/);
    refuses(
      () => lax.ragged_dot(a, b, np.array([1, 2, 1], { dtype: "int32" })),
      /group_sizes must be \[g\] with g = 2 \(rhs's groups\)/,
    );
    refuses(() => lax.ragged_dot(a, b, np.array([1, 3])), /group_sizes must be integers, got float32/);
    refuses(() => lax.ragged_dot(a, b, s, { group_offset: np.array([1]) as never }), /group_offset is not supported/);
    refuses(() => lax.ragged_dot(a, b, s, { preffered_element_type: "float32" } as never), /unknown option/);
  });
});
