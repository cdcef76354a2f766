// Indexing with values known only on the device: np.take / take_along_axis as one `gather`,
// x.at(...).get/set/add/multiply/min/max (scatter with duplicate indices, slices, tuples), against
// hand values on the CPU reference, WebGPU and jit; gradients against finite differences; vmap
// against a loop; the kernels they make (one gather, never a one-hot reduction).
import { test } from "node:test";
import assert from "node:assert/strict";
import "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import { config } from "../../../runtime/src/config.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { vmap } from "../../../runtime/src/trace/vmap.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { assertClose, expectUserError, here, onBackend, opCases, webgpuOrSkip, type Nested } from "./harness.js";
import { checkGradient, input, toArray } from "../transforms/fd.js";

const m = () => np.arange(12).reshape(3, 4); // [[0..3],[4..7],[8..11]]
const i32 = (v: number[] | number[][]) => np.array(v, { dtype: "int32" });
const f32 = (v: number[] | number[][]) => np.array(v);

opCases("gather (np.take with an index array)", [
  { name: "embedding rows with a repeated and a negative id", build: () => np.take(f32([[1, 2], [3, 4], [5, 6]]), i32([2, 0, 2, -1]), 0), expect: [[5, 6], [1, 2], [5, 6], [5, 6]], dtype: "float32" },
  { name: "an index outside the axis after counting from the end reads NaN (JAX's fill)", build: () => np.take(f32([10, 20, 30]), i32([1, 3, -4, -1])), expect: [20, NaN, NaN, 30], dtype: "float32" },
  { name: "a 2-D index array on the middle axis", build: () => np.take(np.arange(8).reshape(2, 2, 2), i32([[1, 0]]), 1), expect: [[[[2, 3], [0, 1]]], [[[6, 7], [4, 5]]]], dtype: "int32" },
]);

opCases("take_along_axis", [
  { name: "one column per row (a label's logit)", build: () => np.take_along_axis(m(), i32([[3], [0], [2]]), 1), expect: [[3], [4], [10]], dtype: "int32" },
  { name: "along axis 0 with a broadcast index row", build: () => np.take_along_axis(m(), i32([[2, 1, 0, -1]]), 0), expect: [[8, 5, 2, 11]], dtype: "int32" },
  { name: "an index of size-1 columns broadcasts over them", build: () => np.take_along_axis(f32([[1, 2, 3]]), i32([[2, 0]]), 1), expect: [[3, 1]], dtype: "float32" },
]);

opCases("x.at(index).get()", [
  { name: "a number and a slice: x[1, ::2]", build: () => m().at(1, "::2").get(), expect: [4, 6], dtype: "int32" },
  { name: "a list of rows", build: () => m().at([2, 0]).get(), expect: [[8, 9, 10, 11], [0, 1, 2, 3]], dtype: "int32" },
  { name: "two index arrays pick points: x[[0, 2], [3, 1]]", build: () => m().at(i32([0, 2]), i32([3, 1])).get(), expect: [3, 9], dtype: "int32" },
  { name: "a slice then an index array: x[1:, [0, 0]]", build: () => m().at("1:", [0, 0]).get(), expect: [[4, 4], [8, 8]], dtype: "int32" },
  { name: "index arrays apart go first: x3[[1], :, [0]]", build: () => np.arange(8).reshape(2, 2, 2).at([1], null, [0]).get(), expect: [[4, 6]], dtype: "int32" },
  { name: "an ellipsis: x[..., 0]", build: () => m().at("...", 0).get(), expect: [0, 4, 8], dtype: "int32" },
  { name: "NumPy's index as one string: x[\"1:, :-1\"] is x[1:, :-1]", build: () => m().at("1:, :-1").get(), expect: [[4, 5, 6], [8, 9, 10]], dtype: "int32" },
  { name: "one string with a number and an ellipsis: x[\"..., -1\"]", build: () => m().at("..., -1").get(), expect: [3, 7, 11], dtype: "int32" },
  { name: "a string of two entries beside a number: x3[1, :, 1]", build: () => np.arange(8).reshape(2, 2, 2).at("1, :", 1).get(), expect: [5, 7], dtype: "int32" },
]);

opCases("x.at(index) updates", [
  { name: "add with duplicate indices adds every update", build: () => f32([0, 0, 0]).at(i32([0, 2, 0, 0])).add(f32([1, 2, 3, 4])), expect: [8, 0, 2], dtype: "float32" },
  { name: "set with duplicate indices keeps the last", build: () => f32([0, 0, 0]).at(i32([1, 1])).set(f32([5, 7])), expect: [0, 7, 0], dtype: "float32" },
  { name: "multiply with duplicates multiplies all", build: () => f32([1, 2, 3]).at(i32([2, 2, 0])).multiply(f32([2, 5, 10])), expect: [10, 2, 30], dtype: "float32" },
  { name: "min and max with duplicates", build: () => np.stack([f32([5, 5]).at(i32([0, 0])).min(f32([7, 1])), f32([5, 5]).at(i32([1, 1])).max(f32([7, 9]))]), expect: [[1, 5], [5, 9]], dtype: "float32" },
  { name: "an out-of-range index drops its update", build: () => i32([1, 2]).at(i32([5, -3, 1])).add(i32([100, 100, 10])), expect: [1, 12], dtype: "int32" },
  { name: "rows of a matrix, a scalar broadcast", build: () => m().at([0, 2]).set(-1), expect: [[-1, -1, -1, -1], [4, 5, 6, 7], [-1, -1, -1, -1]], dtype: "int32" },
  { name: "a stencil interior in one string: x.at['1:-1, 1:-1'].set", build: () => np.zeros([3, 4], { dtype: "int32" }).at("1:-1, 1:-1").set(i32([[7, 8]])), expect: [[0, 0, 0, 0], [0, 7, 8, 0], [0, 0, 0, 0]], dtype: "int32" },
  { name: "a stencil interior: x.at['1:-1', '1:-1'].set", build: () => np.zeros([3, 4], { dtype: "int32" }).at("1:-1", "1:-1").set(i32([[7, 8]])), expect: [[0, 0, 0, 0], [0, 7, 8, 0], [0, 0, 0, 0]], dtype: "int32" },
  { name: "a strided slice add: x[:, ::2] += 100", build: () => m().at(null, "::2").add(100), expect: [[100, 1, 102, 3], [104, 5, 106, 7], [108, 9, 110, 11]], dtype: "int32" },
  { name: "a point update x[1, 2] = 0", build: () => m().at(1, 2).set(0), expect: [[0, 1, 2, 3], [4, 5, 0, 7], [8, 9, 10, 11]], dtype: "int32" },
  { name: "points by two index arrays, with a repeat", build: () => np.zeros([2, 2]).at(i32([0, 1, 0]), i32([1, 0, 1])).add(f32([1, 2, 3])), expect: [[0, 4], [2, 0]], dtype: "float32" },
]);

config({ backend: "cpu" });

test("gradients through take, take_along_axis and every at() update match finite differences", async () => {
  const ids = () => i32([2, 0, 2]);
  await checkGradient((e) => np.sum(np.square(np.take(e, ids(), 0))), [input([3, 2], 1)]);
  await checkGradient((x) => np.sum(np.multiply(np.take_along_axis(x, i32([[1], [0]]), 1), f32([[2], [3]]))), [input([2, 3], 2)]);
  for (const mode of ["set", "add", "multiply", "min", "max"] as const) {
    await checkGradient((x, u) => np.sum(np.square(x.at(i32([2, 0]))[mode](u))), [input([3, 2], 3), input([2, 2], 4)]);
  }
  await checkGradient((x, u) => np.sum(np.square(x.at("1:-1", "::2").set(np.tanh(u)))), [input([3, 4], 5), input([1, 2], 6)]);
});

test("vmap of gather and scatter equals a loop, with the array, the indices or both batched", async () => {
  const X = toArray(input([4, 3, 2], 7));
  const I = i32([[0, 2], [1, 1], [2, 0], [-1, 5]]);
  const U = toArray(input([4, 2, 2], 8));
  const loop = (f: (...a: Tracer[]) => Tracer, args: Tracer[], axes: (number | null)[]) =>
    np.stack([0, 1, 2, 3].map((b) => f(...args.map((a, k) => (axes[k] === null ? a : np.take(a, b, axes[k]!))))));
  const cases: [(...a: Tracer[]) => Tracer, Tracer[], (number | null)[]][] = [
    [(x, i) => np.take(x, i, 0), [X, np.take(I, 0, 0)], [0, null]],
    [(x, i) => np.take(x, i, 1), [np.take(X, 0, 0), I], [null, 0]],
    [(x, i) => np.take(x, i, 0), [X, I], [0, 0]],
    [(x, i) => np.take(x, i, 1), [X, I], [0, 0]],
    [(x, i, u) => x.at(i).add(u), [X, I, U], [0, 0, 0]],
    [(x, i, u) => x.at(i).set(u), [np.take(X, 0, 0), I, U], [null, 0, 0]],
    [(x, i, u) => x.at(i).max(u), [X, np.take(I, 1, 0), U], [0, null, 0]],
  ];
  for (const [f, args, axes] of cases) {
    const got = vmap(f, axes)(...args);
    const want = loop(f, args, axes);
    assert.deepEqual(got.shape, want.shape);
    assertClose(await got.toArray(), (await want.toArray()) as Nested, "float32");
  }
});

test("np.take with traced indices is one gather kernel that reads only the gathered rows (no one-hot reduction)", async () => {
  const table = np.ones([1000, 64]);
  const lo = await jit((t: Tracer, ids: Tracer) => np.take(t, ids, 0)).lower(table, i32([1, 5, 9, 999]));
  assert.equal(lo.kernels.length, 1);
  assert.ok(lo.kernels[0]!.ops.includes("gather"), lo.kernels[0]!.ops.join(","));
  assert.ok(!lo.kernels[0]!.ops.some((o) => o.startsWith("reduce")), lo.kernels[0]!.ops.join(","));
  assert.equal(lo.kernels[0]!.bytesWritten, 4 * 64 * 4);
});

test("the gradient of an embedding lookup is one scatter-add kernel at the table's shape", async () => {
  const { grad } = await import("../../../runtime/src/trace/grad.js");
  const f = (t: Tracer, ids: Tracer) => np.sum(np.take(t, ids, 0));
  const lo = await jit((t: Tracer, ids: Tracer) => grad(f)(t, ids)).lower(np.ones([50, 8]), i32([1, 1, 3]));
  const scatters = lo.kernels.filter((k) => k.ops.includes("scatter"));
  assert.equal(scatters.length, 1);
  const g = jit((t: Tracer, ids: Tracer) => grad(f)(t, ids))(np.ones([5, 2]), i32([1, 1, 3])) as Tracer;
  assertClose(await g.toArray(), [[0, 0], [2, 2], [0, 0], [1, 1], [0, 0]], "float32");
});

test("jit of gather and scatter on WebGPU equals eager on the CPU reference", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const f = (x: Tracer, i: Tracer, u: Tracer) => np.add(np.tanh(x.at(i).add(u)), np.take(np.exp(x), i, 0).sum());
  const args = () => [toArray(input([6, 5], 9)), i32([5, 0, 5, 2]), toArray(input([4, 5], 10))];
  const want = onBackend("cpu", () => f(...(args() as [Tracer, Tracer, Tracer])));
  const got = onBackend("webgpu", () => jit(f)(...(args() as [Tracer, Tracer, Tracer])) as Tracer);
  assertClose(await got.toArray(), (await want.toArray()) as Nested, "float32", 1e-5, 1e-5);
});

test("bad indices name the op, the shapes and the user's line", async (t) => {
  let line = here() + 1;
  await expectUserError(t, () => np.take(f32([1, 2]), f32([0])), "gatherScatter.test.ts", line, "take", "int32");
  line = here() + 1;
  await expectUserError(t, () => m().at(0, 0, 0).get(), "gatherScatter.test.ts", line, "3 indices for 2 axes");
  line = here() + 1;
  await expectUserError(t, () => m().at(np.greater(m(), 3)).set(0), "gatherScatter.test.ts", line, "boolean masks", "np.where");
  line = here() + 1;
  await expectUserError(t, () => np.take_along_axis(m(), i32([1, 2]), 1), "gatherScatter.test.ts", line, "take_along_axis", "rank");
  line = here() + 1;
  await expectUserError(t, () => m().at("0, 1, 2").get(), "gatherScatter.test.ts", line, '"0, 1, 2"', "3 indices for 2 axes");
  line = here() + 1;
  await expectUserError(t, () => m().at(":, x").get(), "gatherScatter.test.ts", line, '"x" is not a slice');
});

test("a stencil step x.at('1:-1', '1:-1').set(mean of four shifted slices) is one kernel", async () => {
  const step = (g: Tracer) => g.at("1:-1", "1:-1").set(np.multiply(np.add(np.add(g.at(":-2", "1:-1").get(), g.at("2:", "1:-1").get()), np.add(g.at("1:-1", ":-2").get(), g.at("1:-1", "2:").get())), 0.25));
  const lo = await jit(step).lower(np.ones([16, 16]));
  assert.equal(lo.kernels.length, 1);
  const out = jit(step)(np.zeros([4, 4]).at(null, 0).set(8)) as Tracer;
  assertClose(await out.toArray(), [[8, 0, 0, 0], [8, 2, 0, 0], [8, 2, 0, 0], [8, 0, 0, 0]], "float32");
});

test("update values that do not fit the indexed shape name at(), both shapes and the user's line", async (t) => {
  const line = here() + 1;
  await expectUserError(t, () => np.zeros([3, 4]).at([0, 1]).set(np.ones([3])), "gatherScatter.test.ts", line, "at([0,1]).set", "float32[3]", "[2,4]");
});
