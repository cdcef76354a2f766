// np.asarray, np.shape, np.ndim, np.size, as jnp's: on arrays, numbers and nested lists, eagerly
// and on tracers under jit (where the shape is static), on the CPU and WebGPU backends.
import { test } from "node:test";
import assert from "node:assert/strict";
import { opCases } from "./harness.js";
import * as np from "../../../runtime/src/np.js";
import { jit } from "../../../runtime/src/index.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";

opCases("asarray", [
  {
    name: "a nested list, float32 by default",
    build: () =>
      np.asarray([
        [1, 2],
        [3, 4],
      ]),
    expect: [
      [1, 2],
      [3, 4],
    ],
    dtype: "float32",
  },
  { name: "a number with dtype int32", build: () => np.asarray(3.7, { dtype: "int32" }), expect: 3, dtype: "int32" },
  {
    name: "an array cast to int32",
    build: () => np.asarray(np.array([1.5, -2.5]), { dtype: "int32" }),
    expect: [1, -2],
    dtype: "int32",
  },
  {
    name: "an array is given back as is, and computes under jit",
    build: () => jit((x: Tracer) => np.multiply(np.asarray(x), 2))(np.array([1, 2, 3])),
    expect: [2, 4, 6],
    dtype: "float32",
  },
]);

test("np.shape, ndim and size read arrays, numbers and nested lists as jnp does", () => {
  const x = np.zeros([2, 3, 4]);
  assert.deepEqual(np.shape(x), [2, 3, 4]);
  assert.equal(np.ndim(x), 3);
  assert.equal(np.size(x), 24);
  assert.deepEqual(np.shape(5), []);
  assert.equal(np.ndim(5), 0);
  assert.equal(np.size(5), 1);
  assert.deepEqual(
    np.shape([
      [1, 2, 3],
      [4, 5, 6],
    ]),
    [2, 3],
  );
  assert.equal(
    np.size([
      [1, 2, 3],
      [4, 5, 6],
    ]),
    6,
  );
  assert.equal(np.size(np.zeros([0, 5])), 0);
});

test("np.shape of a tracer under jit is its static shape, usable to build other arrays", async () => {
  const f = jit((x: Tracer) => np.add(x, np.ones(np.shape(x))));
  assert.deepEqual(await f(np.zeros([2, 2])).toArray(), [
    [1, 1],
    [1, 1],
  ]);
});
