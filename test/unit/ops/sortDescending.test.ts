// np.sort and np.argsort with JAX's keyword options, against JAX (scripts/jax/run_jax_sort_descending.py
// wrote test/fixtures/jax/sort_descending.json): descending (ties keep their order, NaN first),
// along the last axis, axis 0 and flattened, float32 with ties, NaN and signed zeros, int32;
// stable false; the gradient of a descending sort. Each on the CPU reference, on WebGPU and under
// jit on WebGPU (harness.ts opCases). Then options put where the axis goes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { grad } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, opCases, refuses, type Nested, type OpCase } from "./harness.js";
import { fixtureCases } from "./surface2Expected.js";

const { jaxOpCase, ids } = fixtureCases("sort_descending");
const f = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const i32 = (v: Nested): Tracer => np.array(v as never, { dtype: "int32" });
const INT = { dtype: "int32" } as const;
const down = { descending: true };

const cases: OpCase[] = [
  jaxOpCase("sort_vector", (x) => np.sort(f(x), -1, down)),
  jaxOpCase("argsort_vector", (x) => np.argsort(f(x), -1, down), INT),
  jaxOpCase("argsort_unstable", (x) => np.argsort(f(x), -1, { stable: false }), INT),
  jaxOpCase("sort_rows", (x) => np.sort(f(x), -1, down)),
  jaxOpCase("argsort_rows", (x) => np.argsort(f(x), -1, down), INT),
  jaxOpCase("sort_axis0", (x) => np.sort(f(x), 0, down)),
  jaxOpCase("argsort_axis0", (x) => np.argsort(f(x), 0, down), INT),
  jaxOpCase("sort_flat", (x) => np.sort(f(x), null, down)),
  jaxOpCase("argsort_flat", (x) => np.argsort(f(x), null, down), INT),
  jaxOpCase("sort_int", (x) => np.sort(i32(x), -1, down), INT),
  jaxOpCase("argsort_int", (x) => np.argsort(i32(x), -1, down), INT),
  jaxOpCase(
    "grad_sort_rows",
    (x, w) => grad((v: Tracer) => np.sum(np.multiply(np.sort(v, -1, down), f(w))))(f(x)) as Tracer,
  ),
];
opCases("sort descending", cases);

test("every case the JAX script wrote is replayed here", () => {
  assert.deepEqual(cases.map((c) => c.name).sort(), [...ids].sort());
});

test("options written where the axis goes name the mistake: np.argsort(x, { descending: true }) and np.sort(x, { stable: true })", () => {
  onBackend("cpu", () => {
    refuses(
      () => np.argsort(f([1, 2]), { descending: true } as never),
      /argsort: got an object \{ descending \} where the axis goes/,
    );
    refuses(
      () => np.sort(f([1, 2]), { stable: true } as never),
      /sort: got an object \{ stable \} where the axis goes/,
    );
    refuses(() => np.sort(f([1, 2]), -1, { kind: "quicksort" } as never), /sort: unknown option "kind"/);
  });
});
