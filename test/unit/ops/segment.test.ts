// jax.ops' segment reductions against JAX (scripts/jax/run_jax_segment.py wrote
// test/fixtures/jax/segment.json): segment_sum / prod / max / min over rows and vectors with ids
// out of range and negative (dropped) and empty segments (the identity: 0, 1, ∓inf, int32's
// extremes), int32 data, and the gradients of segment_sum and segment_max in the data; each on
// the CPU reference, on WebGPU and under jit on WebGPU (harness.ts opCases). Then bad input.
import { test } from "node:test";
import { grad, ops } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, opCases, refuses, type Nested, type OpCase } from "./harness.js";
import { fixtureCases } from "./surface2Expected.js";

const { jaxOpCase } = fixtureCases("segment");
const f = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const i32 = (v: Nested): Tracer => np.array(v as never, { dtype: "int32" });
const reductions = { sum: ops.segment_sum, prod: ops.segment_prod, max: ops.segment_max, min: ops.segment_min };

const cases: OpCase[] = [
  ...Object.entries(reductions).flatMap(([name, op]) => [
    jaxOpCase(`${name}_rows`, (d, ids) => op(f(d), i32(ids), 5), { rtol: 1e-6 }),
    jaxOpCase(`${name}_vector`, (v, ids) => op(f(v), i32(ids), 6), { rtol: 1e-6 }),
  ]),
  jaxOpCase("max_int", (d, ids) => ops.segment_max(i32(d), i32(ids), 5), { dtype: "int32" }),
  jaxOpCase("min_int", (d, ids) => ops.segment_min(i32(d), i32(ids), 5), { dtype: "int32" }),
  jaxOpCase(
    "grad_sum",
    (d, ids, w) => grad((x: Tracer) => np.sum(np.multiply(ops.segment_sum(x, i32(ids), 5), f(w))))(f(d)) as Tracer,
    { rtol: 1e-6 },
  ),
  jaxOpCase(
    "grad_max",
    (d, ids, w) =>
      grad((x: Tracer) => {
        const m = ops.segment_max(x, i32(ids), 5);
        return np.sum(np.where(np.isfinite(m), np.multiply(m, f(w)), 0));
      })(f(d)) as Tracer,
    { rtol: 1e-6 },
  ),
];
opCases("segment", cases);

test("the segment reductions refuse bad input, naming it: no num_segments, float ids, one id per row missing, an unknown option", () => {
  onBackend("cpu", () => {
    const d = np.ones([4, 2]);
    const ids = np.array([0, 1, 1, 0], { dtype: "int32" });
    refuses(
      () => ops.segment_sum(d, ids, undefined as never),
      /ops\.segment_sum: num_segments must be a non-negative integer/,
    );
    refuses(
      () => ops.segment_max(d, np.array([0, 1, 1, 0]), 2),
      /segment_ids must be int32 with one id per row of data/,
    );
    refuses(
      () => ops.segment_min(d, np.array([0, 1], { dtype: "int32" }), 2),
      /data float32\[4,2\], segment_ids int32\[2\]/,
    );
    refuses(() => ops.segment_sum(d, ids, 2, { sorted: true } as never), /ops\.segment_sum: unknown option "sorted"/);
  });
});
