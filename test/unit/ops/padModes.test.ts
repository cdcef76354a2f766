// np.pad in every mode against JAX (scripts/jax/run_jax_pad.py wrote test/fixtures/jax/pad.json):
// constant with a value per side, edge, wrap, reflect and symmetric (even and odd, shorter and
// longer than the axis, a single value), linear_ramp, maximum / minimum / mean / median (whole
// axis, stat_length per side and axis, int32 rounded half to even), empty; gradients in each mode
// and vmap. Each on the CPU reference, on WebGPU and under jit on WebGPU (harness.ts opCases).
// Then what a jitted pad compiles to, and bad input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { grad, jit, vmap } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { PadOptions, PadWidth } from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, opCases, refuses, type Nested, type OpCase } from "./harness.js";
import { fixtureCases } from "./surface2Expected.js";

const { jaxOpCase, ids } = fixtureCases("pad");
const f = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const i32 = (v: Nested): Tracer => np.array(v as never, { dtype: "int32" });
const INT = { dtype: "int32" } as const;
const padded = (id: string, width: PadWidth, options: PadOptions = {}, int = false): OpCase =>
  jaxOpCase(id, (x) => np.pad(int ? i32(x) : f(x), width, options), int ? INT : {});

const MIRRORS = (["reflect", "symmetric"] as const).flatMap((mode) => [
  padded(`${mode}_short`, [2, 3], { mode }),
  padded(`${mode}_long`, [9, 13], { mode }),
  padded(`${mode}_odd_short`, [2, 3], { mode, reflect_type: "odd" }),
  padded(`${mode}_odd_long`, [9, 13], { mode, reflect_type: "odd" }),
  padded(`${mode}_single`, [2, 3], { mode }),
  padded(
    `${mode}_2d`,
    [
      [2, 4],
      [3, 5],
    ],
    { mode },
  ),
  padded(`${mode}_int`, [5, 2], { mode }, true),
]);
const STATS = (["maximum", "minimum", "mean", "median"] as const).flatMap((mode) => [
  padded(`${mode}_whole`, 3, { mode }),
  padded(`${mode}_stat_sides`, [2, 3], { mode, stat_length: [1, 2] }),
  padded(`${mode}_stat_long`, 2, { mode, stat_length: 10 }),
  padded(
    `${mode}_2d`,
    [
      [1, 2],
      [2, 1],
    ],
    {
      mode,
      stat_length: [
        [1, 2],
        [2, 3],
      ],
    },
  ),
]);
const INT_STATS = ["a", "b", "c", "d"].flatMap((k) => [
  padded(`mean_int_${k}`, 2, { mode: "mean" }, true),
  padded(`median_int_${k}`, 2, { mode: "median" }, true),
]);
const GRADS: [string, PadOptions][] = [
  ["edge", { mode: "edge" }],
  ["wrap", { mode: "wrap" }],
  ["reflect", { mode: "reflect" }],
  ["symmetric_odd", { mode: "symmetric", reflect_type: "odd" }],
  ["reflect_odd", { mode: "reflect", reflect_type: "odd" }],
  ["linear_ramp", { mode: "linear_ramp", end_values: [2, -1] }],
  ["maximum", { mode: "maximum", stat_length: [2, 3] }],
  ["mean", { mode: "mean" }],
  ["constant_pairs", { mode: "constant", constant_values: [1, 2] }],
];

const cases: OpCase[] = [
  padded("constant_scalar", 2, { constant_values: 7 }),
  padded(
    "constant_pairs",
    [
      [1, 2],
      [2, 1],
    ],
    {
      constant_values: [
        [1, 2],
        [3, 4],
      ],
    },
  ),
  padded(
    "edge_2d",
    [
      [1, 2],
      [3, 0],
    ],
    { mode: "edge" },
  ),
  padded("edge_int", [2, 3], { mode: "edge" }, true),
  padded("wrap_short", [2, 3], { mode: "wrap" }),
  padded("wrap_long", [7, 12], { mode: "wrap" }),
  padded(
    "wrap_2d",
    [
      [1, 2],
      [5, 3],
    ],
    { mode: "wrap" },
  ),
  ...MIRRORS,
  padded("linear_ramp", [4, 3], { mode: "linear_ramp", end_values: [10, -3] }),
  padded("linear_ramp_default", 2, { mode: "linear_ramp" }),
  padded(
    "linear_ramp_pairs",
    [
      [1, 2],
      [3, 1],
    ],
    {
      mode: "linear_ramp",
      end_values: [
        [1, 2],
        [3, 4],
      ],
    },
  ),
  padded("linear_ramp_int", [4, 3], { mode: "linear_ramp", end_values: [10, -3] }, true),
  ...STATS,
  ...INT_STATS,
  padded("empty", [2, 1], { mode: "empty" }),
  ...GRADS.map(([name, options]) =>
    jaxOpCase(
      `grad_${name}`,
      (x, w) => grad((v: Tracer) => np.sum(np.multiply(np.pad(v, [7, 8], options), f(w))))(f(x)) as Tracer,
      { rtol: 1e-5, atol: 1e-6 },
    ),
  ),
  jaxOpCase("vmap_reflect_rows", (x) => vmap((r: Tracer) => np.pad(r, [2, 3], { mode: "reflect" }))(f(x)) as Tracer),
  jaxOpCase("vmap_mean_cols", (x) => vmap((r: Tracer) => np.pad(r, [1, 2], { mode: "mean" }), [1], 1)(f(x)) as Tracer),
];
opCases("pad", cases);

test("every case the JAX script wrote is replayed here", () => {
  assert.deepEqual(cases.map((c) => c.name).sort(), [...ids].sort());
});

test("a jitted reflect pad and the elementwise op after it compile to one kernel", async () => {
  const lowered = await onBackend("cpu", () =>
    jit((x: Tracer) =>
      np.tanh(
        np.pad(
          x,
          [
            [1, 1],
            [2, 3],
          ],
          { mode: "reflect" },
        ),
      ),
    ).lower(np.ones([16, 16])),
  );
  assert.equal(lowered.kernels.length, 1, lowered.kernels.map((k) => k.ops.join("+")).join(", "));
});

test("pad refuses bad input, naming it: an unknown mode, an option of another mode, an empty axis to read, stat_length 0, a bad pad_width", () => {
  onBackend("cpu", () => {
    const x = f([1, 2, 3]);
    refuses(
      () => np.pad(x, 1, { mode: "circular" as never }),
      /pad: unknown mode "circular"; use one of "constant", "edge"/,
    );
    refuses(
      () => np.pad(x, 1, { mode: "edge", constant_values: 3 }),
      /pad: constant_values does not apply to mode "edge"/,
    );
    refuses(() => np.pad(x, 1, { reflect_type: "odd" }), /pad: reflect_type does not apply to mode "constant"/);
    refuses(
      () => np.pad(np.zeros([0]), 1, { mode: "reflect" }),
      /pad: cannot pad an empty axis \(0\) in mode "reflect"/,
    );
    refuses(() => np.pad(x, 1, { mode: "mean", stat_length: 0 }), /pad: stat_length must be whole numbers ≥ 1/);
    refuses(() => np.pad(x, -1), /pad: pad_width must be whole numbers ≥ 0/);
    refuses(() => np.pad(x, [[1, 2, 3]] as never), /pad: pad_width must be n, \[before, after\]/);
  });
});
