// lax.gather / lax.scatter with XLA's dimension numbers against JAX
// (scripts/jax/run_jax_gather_scatter.py wrote test/fixtures/jax/gather_scatter.json): embedding
// rows, points, whole windows, offset dims before the batch dims, start_index_map reversed, a 2-D
// batch of indices, operand batching dims, each mode with windows partly outside (gather: fill
// with the dtype's default or a fill_value, clip, the clamping default; scatter: the dropping
// default, clip), every scatter combiner with duplicate indices, gradients and vmap. Each on the
// CPU reference, on WebGPU and under jit on WebGPU (harness.ts opCases). Then bad input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { grad, jit, lax, vmap } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, opCases, refuses, type Nested, type OpCase } from "./harness.js";
import { fixtureCases } from "./surface2Expected.js";

const { jaxOpCase, jaxParts } = fixtureCases("gather_scatter");
const f = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const i32 = (v: Nested): Tracer => np.array(v as never, { dtype: "int32" });
const near = { rtol: 1e-6, atol: 1e-6 };

const emb = lax.GatherDimensionNumbers({ offset_dims: [1], collapsed_slice_dims: [0], start_index_map: [0] });
const point = lax.GatherDimensionNumbers({ offset_dims: [], collapsed_slice_dims: [0, 1], start_index_map: [0, 1] });
const win = lax.GatherDimensionNumbers({ offset_dims: [1, 2], collapsed_slice_dims: [], start_index_map: [0, 1] });
const col = { offset_dims: [0], collapsed_slice_dims: [1], start_index_map: [1] };
const rev = { offset_dims: [1], collapsed_slice_dims: [1], start_index_map: [1, 0] };
const bat = {
  offset_dims: [2],
  collapsed_slice_dims: [1],
  start_index_map: [1],
  operand_batching_dims: [0],
  start_indices_batching_dims: [0],
};
const srow = lax.ScatterDimensionNumbers({
  update_window_dims: [1],
  inserted_window_dims: [0],
  scatter_dims_to_operand_dims: [0],
});
const spt = { update_window_dims: [], inserted_window_dims: [0, 1], scatter_dims_to_operand_dims: [0, 1] };
const swin = { update_window_dims: [1, 2], inserted_window_dims: [], scatter_dims_to_operand_dims: [0, 1] };
const swinFirst = { update_window_dims: [0, 2], inserted_window_dims: [], scatter_dims_to_operand_dims: [0, 1] };
const sbat = {
  update_window_dims: [2],
  inserted_window_dims: [1],
  scatter_dims_to_operand_dims: [1],
  operand_batching_dims: [0],
  scatter_indices_batching_dims: [0],
};

const cases: OpCase[] = [
  jaxOpCase("gather_rows", (x, i) => lax.gather(f(x), i32(i), emb, [1, 3])),
  jaxOpCase("gather_points", (x, i) => lax.gather(f(x), i32(i), point, [1, 1])),
  jaxOpCase("gather_windows", (x, i) => lax.gather(f(x), i32(i), win, [2, 3])),
  jaxOpCase("gather_cols_offset_first", (x, i) => lax.gather(f(x), i32(i), col, [4, 1])),
  jaxOpCase("gather_map_reversed", (x, i) => lax.gather(f(x), i32(i), rev, [3, 1])),
  jaxOpCase("gather_batch_2d", (x, i) => lax.gather(f(x), i32(i), emb, [1, 3])),
  jaxOpCase("gather_fill_default", (x, i) => lax.gather(f(x), i32(i), win, [2, 2], { mode: "fill" })),
  jaxOpCase("gather_default_oob", (x, i) => lax.gather(f(x), i32(i), win, [2, 2])),
  jaxOpCase("gather_fill_value", (x, i) =>
    lax.gather(f(x), i32(i), win, [2, 2], { mode: lax.GatherScatterMode.FILL_OR_DROP, fill_value: -9 }),
  ),
  jaxOpCase("gather_clip", (x, i) => lax.gather(f(x), i32(i), win, [2, 2], { mode: "clip" })),
  jaxOpCase("gather_promise", (x, i) =>
    lax.gather(f(x), i32(i), win, [2, 2], { mode: lax.GatherScatterMode.PROMISE_IN_BOUNDS }),
  ),
  jaxOpCase("gather_int_fill", (x, i) => lax.gather(i32(x), i32(i), emb, [1, 3], { mode: "fill" }), {
    dtype: "int32",
  }),
  jaxOpCase("gather_int_clip", (x, i) => lax.gather(i32(x), i32(i), emb, [1, 3], { mode: "clip" }), {
    dtype: "int32",
  }),
  jaxOpCase("gather_batching", (x, i) => lax.gather(f(x), i32(i), bat, [1, 1, 2])),
  jaxOpCase(
    "grad_gather_rows",
    (x, i) => grad((v: Tracer) => np.sum(np.square(lax.gather(v, i32(i), emb, [1, 3]))))(f(x)) as Tracer,
  ),
  jaxOpCase(
    "grad_gather_fill",
    (x, i) =>
      grad((v: Tracer) => np.sum(np.sin(lax.gather(v, i32(i), win, [2, 2], { mode: "fill", fill_value: 0 }))))(
        f(x),
      ) as Tracer,
    near,
  ),
  jaxOpCase(
    "vmap_gather_points",
    (i, x) => vmap((ix: Tracer) => lax.gather(f(x), ix, point, [1, 1]))(i32(i)) as Tracer,
  ),
  jaxOpCase("vmap_gather_operand", (x, i) => vmap((v: Tracer) => lax.gather(v, i32(i), point, [1, 1]))(f(x)) as Tracer),
  jaxOpCase("scatter_add_dup", (x, i, u) => lax.scatter_add(f(x), i32(i), f(u), srow)),
  jaxOpCase("scatter_sub_dup", (x, i, u) => lax.scatter_sub(f(x), i32(i), f(u), srow)),
  jaxOpCase("scatter_mul_dup", (x, i, u) => lax.scatter_mul(f(x), i32(i), f(u), srow)),
  jaxOpCase("scatter_min_dup", (x, i, u) => lax.scatter_min(f(x), i32(i), f(u), srow)),
  jaxOpCase("scatter_max_dup", (x, i, u) => lax.scatter_max(f(x), i32(i), f(u), srow)),
  jaxOpCase("scatter_set", (x, i, u) => lax.scatter(f(x), i32(i), f(u), srow)),
  jaxOpCase("scatter_points", (x, i, u) => lax.scatter(f(x), i32(i), f(u), spt)),
  jaxOpCase("scatter_add_int", (x, i, u) => lax.scatter_add(i32(x), i32(i), i32(u), spt), { dtype: "int32" }),
  jaxOpCase("scatter_add_windows", (x, i, u) => lax.scatter_add(f(x), i32(i), f(u), swin), near),
  jaxOpCase("scatter_windows_first", (x, i, u) => lax.scatter_add(f(x), i32(i), f(u), swinFirst), near),
  jaxOpCase("scatter_drop", (x, i, u) => lax.scatter_add(f(x), i32(i), f(u), swin), near),
  jaxOpCase("scatter_clip", (x, i, u) => lax.scatter_add(f(x), i32(i), f(u), swin, { mode: "clip" }), near),
  jaxOpCase("scatter_set_drop", (x, i, u) => lax.scatter(f(x), i32(i), f(u), srow)),
  jaxOpCase("scatter_add_batching", (x, i, u) => lax.scatter_add(f(x), i32(i), f(u), sbat), near),
  ...jaxParts(
    "grad_scatter_add",
    2,
    (x, i, u) =>
      grad((v: Tracer, w: Tracer) => np.sum(np.multiply(np.tanh(lax.scatter_add(v, i32(i), w, srow)), f(x))), [0, 1])(
        f(x),
        f(u),
      ) as Tracer[],
  ).map((c) => ({ ...c, rtol: 1e-4, atol: 5e-6 })) /* tanh′ near saturation */,
  ...jaxParts(
    "grad_scatter_set",
    2,
    (x, i, u) =>
      grad(
        (v: Tracer, w: Tracer) => np.sum(np.power(lax.scatter(v, i32(i), w, srow, { unique_indices: true }), 3)),
        [0, 1],
      )(f(x), f(u)) as Tracer[],
  ).map((c) => ({ ...c, ...near })),
  ...jaxParts(
    "grad_scatter_mul",
    2,
    (x, i, u) =>
      grad((v: Tracer, w: Tracer) => np.sum(np.square(lax.scatter_mul(v, i32(i), w, srow))), [0, 1])(
        f(x),
        f(u),
      ) as Tracer[],
  ).map((c) => ({ ...c, ...near })),
  jaxOpCase(
    "vmap_scatter_updates",
    (x, i, u) => vmap((w: Tracer) => lax.scatter_add(f(x), i32(i), w, spt))(f(u)) as Tracer,
  ),
];
opCases("gather_scatter", cases);

// np.take, take_along_axis and x.at(…) with indices outside the axis, by JAX's modes.
const v3 = (x: Nested) => f(x);
opCases("out-of-range indices by mode", [
  jaxOpCase("take_default_fill", (x, i) => np.take(v3(x), i32(i))),
  jaxOpCase("take_fill_value", (x, i) => np.take(v3(x), i32(i), null, { mode: "fill", fill_value: 5 })),
  jaxOpCase("take_clip", (x, i) => np.take(v3(x), i32(i), null, { mode: "clip" })),
  jaxOpCase("take_wrap", (x, i) => np.take(v3(x), i32(i), null, { mode: "wrap" })),
  jaxOpCase("take_int_fill", (x, i) => np.take(i32(x), i32(i)), { dtype: "int32" }),
  jaxOpCase("take_rows_fill", (x, i) => np.take(f(x), i32(i), 0)),
  jaxOpCase("take_along_fill", (x, i) => np.take_along_axis(f(x), i32(i), 1)),
  jaxOpCase("take_along_clip", (x, i) => np.take_along_axis(f(x), i32(i), 1, { mode: "clip" })),
  jaxOpCase("at_get_default", (x, i) => f(x).at(i32(i)).get()),
  jaxOpCase("at_get_fill", (x, i) => f(x).at(i32(i)).get({ mode: "fill" })),
  jaxOpCase("at_get_fill_value", (x, i) => f(x).at(i32(i)).get({ mode: "fill", fill_value: -1 })),
  jaxOpCase("at_get_points_default", (x, i, j) => f(x).at(i32(i), i32(j)).get()),
  jaxOpCase("at_get_points_fill", (x, i, j) => f(x).at(i32(i), i32(j)).get({ mode: "fill" })),
  jaxOpCase("at_set_default", (x, i, u) => f(x).at(i32(i)).set(f(u))),
  jaxOpCase("at_set_clip", (x, i, u) => f(x).at(i32(i)).set(f(u), { mode: "clip" })),
  jaxOpCase("at_add_clip", (x, i, u) => f(x).at(i32(i)).add(f(u), { mode: "clip" })),
  jaxOpCase("at_add_drop", (x, i, u) => f(x).at(i32(i)).add(f(u), { mode: "drop" })),
]);

// Python's slices with a negative step, as JAX's x.at[::-1] reads them: the forward slice reversed.
const negSteps = ["rev", "8_2_m2", "m2_m3", "to3", "past_ends", "empty"] as const;
const negSlice: Record<(typeof negSteps)[number], string> = {
  rev: "::-1",
  "8_2_m2": "8:2:-2",
  m2_m3: "-2::-3",
  to3: ":3:-1",
  past_ends: "50:-50:-4",
  empty: "2:8:-1",
};
opCases("x.at() with negative slice steps", [
  ...negSteps.map((k) =>
    jaxOpCase(`at_neg_step_${k}`, (x) => f(x).at(negSlice[k]).get(), { title: `x.at("${negSlice[k]}").get()` }),
  ),
  jaxOpCase("at_neg_step_2d", (x) => f(x).at("::-1, 3::-2").get(), { title: 'x.at("::-1, 3::-2").get()' }),
  jaxOpCase("at_neg_step_beside_array", (x, i) => f(x).at("::-2", i32(i)).get(), {
    title: 'x.at("::-2", [0, 4, 2]).get()',
  }),
  jaxOpCase("at_neg_step_set", (x, u) => f(x).at("7::-2").set(f(u)), {
    title: 'x.at("7::-2").set(values in the walk\'s order)',
  }),
  jaxOpCase(
    "at_neg_step_add_2d",
    (x) =>
      f(x)
        .at("1:", "::-2")
        .add(f([1, 2, 3])),
    { title: 'x.at("1:", "::-2").add(a row per walked row)' },
  ),
  jaxOpCase("at_neg_step_max_rows", (x, i) => f(x).at("::-1", i32(i)).max(5), { title: 'x.at("::-1", [1, 0]).max(5)' }),
  jaxOpCase(
    "grad_at_neg_step",
    (x, w) =>
      grad((v: Tracer) => np.sum(np.multiply(np.tanh(v.at("::-3").get()), f((w as number[]).slice(0, 4)))))(
        f(x),
      ) as Tracer,
    {
      rtol: 1e-4,
      atol: 1e-6, // 1 − tanh² near saturation loses digits
      title: 'grad of sum(tanh(x.at("::-3").get()) · w)',
    },
  ),
]);

test("static take indices follow the mode: clip and wrap bring them inside, the default refuses one outside", async () => {
  const clipped = onBackend("cpu", () => np.take(f([10, 20, 30]), [-1, 5], null, { mode: "clip" }));
  assert.deepEqual(Array.from(await clipped.data()), [10, 30]);
  const wrapped = onBackend("cpu", () => np.take(f([10, 20, 30]), [-4, 5], null, { mode: "wrap" }));
  assert.deepEqual(Array.from(await wrapped.data()), [30, 30]);
  onBackend("cpu", () => {
    const x = f([10, 20, 30]);
    refuses(
      () => np.take(x, [5]),
      /take: index 5 is out of bounds for axis 0 of float32\[3\] \(size 3\); pass \{ mode: "clip" \}/,
    );
    refuses(
      () => np.take(x, i32([1]), null, { mode: "raise" as never }),
      /take: unknown mode "raise" .*"raise" needs the index values on the host/,
    );
    refuses(() => x.at(i32([1])).get({ mode: "wrap" }), /at\(\)\.get: unknown mode "wrap"/);
    refuses(() => x.at(i32([1])).set(1, { fill_value: 0 } as never), /at\(\)\.set: unknown option "fill_value"/);
  });
});

test("lax.gather of embedding rows under jit is one gather kernel: the index arithmetic fuses into it", async () => {
  const lo = await jit((t: Tracer, ids: Tracer) => lax.gather(t, ids, emb, [1, 64])).lower(
    np.ones([1000, 64]),
    i32([[1], [5], [9], [999]]),
  );
  assert.equal(lo.kernels.length, 1, lo.kernels.map((k) => k.ops.join(",")).join(" | "));
  assert.ok(lo.kernels[0]!.ops.includes("gather"), lo.kernels[0]!.ops.join(","));
  assert.equal(lo.kernels[0]!.bytesWritten, 4 * 64 * 4);
});

test("lax.scatter_add of rows under jit is one scatter kernel at the operand's shape", async () => {
  const lo = await jit((t: Tracer, ids: Tracer, u: Tracer) => lax.scatter_add(t, ids, u, srow)).lower(
    np.ones([50, 8]),
    i32([[1], [1], [3]]),
    np.ones([3, 8]),
  );
  const scatters = lo.kernels.filter((k) => k.ops.includes("scatter") || k.ops.includes("scatter_sorted"));
  assert.equal(scatters.length, 1, lo.kernels.map((k) => k.ops.join(",")).join(" | "));
  assert.equal(scatters[0]!.bytesWritten, 50 * 8 * 4);
});

test("lax.gather and lax.scatter refuse bad dimension numbers, naming the field and the shapes", () => {
  onBackend("cpu", () => {
    const x = np.zeros([5, 3]);
    const i = i32([[1], [2]]);
    refuses(
      () => lax.gather(x, i, emb, [1]),
      /lax\.gather: slice_sizes must list one size per axis of the operand float32\[5,3\]/,
    );
    refuses(
      () => lax.gather(x, i, emb, [2, 3]),
      /lax\.gather: slice_sizes\[0\] must be 1 for collapsed_slice_dims axis 0, got 2/,
    );
    refuses(() => lax.gather(x, i, emb, [1, 4]), /slice_sizes\[1\] = 4 must be an integer in \[0, 3\]/);
    refuses(
      () => lax.gather(x, i, { ...emb, offset_dims: [] }, [1, 3]),
      /offset_dims \[\] must have one axis per operand axis not in collapsed_slice_dims or operand_batching_dims \(1\)/,
    );
    refuses(
      () => lax.gather(x, i32([[1, 0]]), emb, [1, 3]),
      /the indices' last axis \(2\) must have one entry per start_index_map axis \(1\)/,
    );
    refuses(() => lax.gather(x, f([[1]]), emb, [1, 3]), /lax\.gather: indices must be an int32 array/);
    refuses(() => lax.gather(x, i, emb, [1, 3], { mode: "wrap" as never }), /lax\.gather: unknown mode "wrap"/);
    refuses(
      () => lax.gather(x, i, emb, [1, 3], { fillValue: 0 } as never),
      /unknown option "fillValue": did you mean "fill_value"/,
    );
    refuses(
      () => lax.scatter_add(x, i, np.zeros([2, 4]), srow),
      /lax\.scatter_add: updates float32\[2,4\] do not match the indices int32\[2,1\] and dimension numbers/,
    );
    refuses(
      () => lax.scatter_add(np.array([true, false]), i32([[0]]), np.array([true]), spt1),
      /not defined for bool operands/,
    );
    refuses(
      () => lax.ScatterDimensionNumbers({ ...srow, window_dims: [1] } as never),
      /ScatterDimensionNumbers: unknown option "window_dims"/,
    );
  });
});

const spt1 = { update_window_dims: [], inserted_window_dims: [0], scatter_dims_to_operand_dims: [0] };

test("np.take's default fill and x.at(i).get({ mode: 'fill' }) under jit are one gather kernel each: the bounds check fuses in", async () => {
  const table = np.ones([1000, 64]);
  const ids = i32([1, 5, 9, 999]);
  for (const f of [
    (t: Tracer, i: Tracer) => np.take(t, i, 0),
    (t: Tracer, i: Tracer) => t.at(i).get({ mode: "fill" }),
  ]) {
    const lo = await jit(f).lower(table, ids);
    assert.equal(lo.kernels.length, 1, lo.kernels.map((k) => k.ops.join(",")).join(" | "));
    assert.ok(lo.kernels[0]!.ops.includes("gather"), lo.kernels[0]!.ops.join(","));
  }
});
