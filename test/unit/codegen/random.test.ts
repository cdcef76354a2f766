// Random bits and uniforms on the GPU equal ops/threefry.ts bit for bit; iota counts along its axis.

import { test } from "node:test";
import assert from "node:assert/strict";
import { bitsToUniform, randomBitsAt } from "../../../runtime/src/ops/threefry.js";
import { Builder, gpuOrSkip, i32, range, runGroup } from "./harness.js";

test("random_bits over 1000 elements equals threefry2x32 word 0 of counter (i, 0)", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  const B = new Builder();
  const key = B.input([2], "int32");
  const bits = B.op("random_bits", [key], { shape: [10, 100] }, { shape: [10, 100], dtype: "int32" });
  const u = B.op("random_uniform", [key], { shape: [10, 100] }, { shape: [10, 100], dtype: "float32" });
  const g = B.group("elementwise", [key], [bits, u]);
  const [gb, gu] = await runGroup(b, g, [i32([42, -7])]);
  assert.deepEqual(
    gb,
    range(1000, (i) => randomBitsAt(42, -7, i)),
  );
  assert.deepEqual(
    gu,
    range(1000, (i) => bitsToUniform(randomBitsAt(42, -7, i))),
  );
});

test("iota along axis 1 of [2,3] is [[0,1,2],[0,1,2]]", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  const B = new Builder();
  const out = B.op("iota", [], { shape: [2, 3], axis: 1, dtype: "int32" }, { shape: [2, 3], dtype: "int32" });
  const [got] = await runGroup(b, B.group("elementwise", [], [out]), []);
  assert.deepEqual(got, [0, 1, 2, 0, 1, 2]);
});

test("random_bits and random_uniform with a batch of 3 keys: row b is threefry2x32 of key b, counter (i, 0)", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  const B = new Builder();
  const keys = B.input([3, 2], "int32");
  const bits = B.op("random_bits", [keys], { shape: [3, 5, 7] }, { shape: [3, 5, 7], dtype: "int32" });
  const u = B.op("random_uniform", [keys], { shape: [3, 35] }, { shape: [3, 35], dtype: "float32" });
  const [gb, gu] = await runGroup(b, B.group("elementwise", [keys], [bits, u]), [i32([42, -7, 0, 1, -3, 99])]);
  const key = [
    [42, -7],
    [0, 1],
    [-3, 99],
  ];
  const want = range(105, (i) => randomBitsAt(key[Math.floor(i / 35)]![0]!, key[Math.floor(i / 35)]![1]!, i % 35));
  assert.deepEqual(gb, want);
  assert.deepEqual(
    gu,
    want.map((w) => bitsToUniform(w)),
  );
});
