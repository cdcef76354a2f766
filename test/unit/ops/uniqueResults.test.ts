// np.unique's optional results and the Array API's unique_* against JAX
// (scripts/jax/run_jax_unique.py wrote test/fixtures/jax/unique.json): return_index,
// return_inverse (in the input's shape) and return_counts alone and together, padded past the
// distinct values with and without fill_value, on an int32 matrix and on floats with repeated
// NaNs (one value under unique's default equal_nan, each its own under the unique_* forms). Each
// on the CPU reference, on WebGPU and under jit on WebGPU (harness.ts opCases). Then bad input.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, opCases, refuses, type Nested, type OpCase } from "./harness.js";
import { fixtureCases } from "./surface2Expected.js";

const { jaxOpCase, jaxParts } = fixtureCases("unique");
const i32 = (v: Nested): Tracer => np.array(v as never, { dtype: "int32" });
const f32 = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
type T = Tracer;
const I = "int32" as const,
  F = "float32" as const;

const cases: OpCase[] = [
  ...jaxParts("unique_index", [I, I], (x) => np.unique(i32(x), { size: 7, return_index: true }) as T[]),
  ...jaxParts("unique_inverse", [I, I], (x) => np.unique(i32(x), { size: 7, return_inverse: true }) as T[]),
  ...jaxParts("unique_counts", [I, I], (x) => np.unique(i32(x), { size: 7, return_counts: true }) as T[]),
  ...jaxParts(
    "unique_all_flags_padded",
    [I, I, I, I],
    (x) => np.unique(i32(x), { size: 10, return_index: true, return_inverse: true, return_counts: true }) as T[],
  ),
  ...jaxParts(
    "unique_counts_fill",
    [I, I],
    (x) => np.unique(i32(x), { size: 10, fill_value: -1, return_counts: true }) as T[],
  ),
  ...jaxParts(
    "unique_float_nan",
    [F, I, I, I],
    (x) => np.unique(f32(x), { size: 5, return_index: true, return_inverse: true, return_counts: true }) as T[],
  ),
  jaxOpCase("unique_values", (x) => np.unique_values(f32(x), { size: 6 })),
  ...jaxParts("unique_counts_api", [I, I], (x) => {
    const r = np.unique_counts(i32(x), { size: 8 });
    return [r.values, r.counts];
  }),
  ...jaxParts("unique_inverse_api", [I, I], (x) => {
    const r = np.unique_inverse(i32(x), { size: 8 });
    return [r.values, r.inverse_indices];
  }),
  ...jaxParts("unique_all_api", [F, I, I, I], (x) => {
    const r = np.unique_all(f32(x), { size: 7 });
    return [r.values, r.indices, r.inverse_indices, r.counts];
  }),
];
opCases("np.unique results", cases);

test("unique's results refuse bad input, naming it: a missing size, an unknown option, an empty array's index", () => {
  onBackend("cpu", () => {
    refuses(() => np.unique(np.array([1, 2]), { return_counts: true }), /unique: .*size/);
    refuses(
      () => np.unique_all(np.array([1, 2]), { size: 2, equal_nan: true } as never),
      /unique_all: unknown option "equal_nan"/,
    );
    refuses(
      () => np.unique(np.zeros([0]), { size: 2, fill_value: 0, return_index: true }),
      /unique: index, inverse and counts need a nonempty array/,
    );
    assert.equal((np.unique(np.array([3, 1, 3]), { size: 2 }) as T).shape[0], 2, "values alone are one array");
  });
});
