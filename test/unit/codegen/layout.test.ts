// Layout groups: concatenate, slice, pad, reshape, transpose as index arithmetic.

import { test } from "node:test";
import assert from "node:assert/strict";
import { Builder, cpuRunGroup, f32, gpuOrSkip, range, runGroup } from "./harness.js";

test("concatenate [2,2] and [2,3] along axis 1", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  const B = new Builder();
  const x = B.input([2, 2]);
  const y = B.input([2, 3]);
  const out = B.op("concatenate", [x, y], { axis: 1 }, { shape: [2, 5], dtype: "float32" });
  const [got] = await runGroup(b, B.group("layout", [x, y], [out]), [f32([1, 2, 3, 4]), f32([5, 6, 7, 8, 9, 10])]);
  assert.deepEqual(got, [1, 2, 5, 6, 7, 3, 4, 8, 9, 10]);
});

test("strided slice a[1:4:2, ::3] of a 5×7 iota-like matrix", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  const B = new Builder();
  const x = B.input([5, 7]);
  const out = B.op(
    "slice",
    [x],
    { starts: [1, 0], limits: [4, 7], strides: [2, 3] },
    { shape: [2, 3], dtype: "float32" },
  );
  const [got] = await runGroup(b, B.group("layout", [x], [out]), [f32(range(35))]);
  assert.deepEqual(got, [7, 10, 13, 21, 24, 27]);
});

test("pad [2,2] by (1,0) rows and (0,2) columns with -1", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  const B = new Builder();
  const x = B.input([2, 2]);
  const out = B.op("pad", [x], { low: [1, 0], high: [0, 2], value: -1 }, { shape: [3, 4], dtype: "float32" });
  const g = B.group("layout", [x], [out]);
  const [got] = await runGroup(b, g, [f32([1, 2, 3, 4])]);
  assert.deepEqual(got, [-1, -1, -1, -1, 1, 2, -1, -1, 3, 4, -1, -1]);
  assert.deepEqual(got, cpuRunGroup(g, [f32([1, 2, 3, 4])])[0]);
});

test("reshape then transpose then add: [6] → [2,3] → [3,2] + [3,2]", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  const B = new Builder();
  const x = B.input([6]);
  const y = B.input([3, 2]);
  const r = B.op("reshape", [x], { shape: [2, 3] }, { shape: [2, 3], dtype: "float32" });
  const tr = B.op("transpose", [r], { perm: [1, 0] }, { shape: [3, 2], dtype: "float32" });
  const out = B.op("add", [tr, y], {}, y.aval);
  const [got] = await runGroup(b, B.group("elementwise", [x, y], [out]), [
    f32(range(6)),
    f32([10, 10, 10, 10, 10, 10]),
  ]);
  assert.deepEqual(got, [10, 13, 11, 14, 12, 15]);
});
