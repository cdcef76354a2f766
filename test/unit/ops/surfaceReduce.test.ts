// var std prod any all cumsum cumprod sort argsort lax.top_k against JAX's values (fixture) on
// the CPU reference, on WebGPU and under jit; hand-computed edge cases (NaN last, ties stable,
// empty products).
import { opCases } from "./harness.js";
import * as np from "../../../runtime/src/np.js";
import * as lax from "../../../runtime/src/lax.js";
import { arr, fixtureCase } from "./surfaceExpected.js";
import type { Nested } from "./harness.js";

const pick = (i: number) => (e: Nested) => (e as Nested[])[i]!;

opCases("np surface reductions", [
  fixtureCase("var", "float32", (x) => np.var(arr(x))),
  fixtureCase("var_axis0_ddof1", "float32", (x) => np.var(arr(x), 0, { ddof: 1 }), { title: "var axis 0, ddof 1" }),
  fixtureCase("std_axis1_keepdims", "float32", (x) => np.std(arr(x), 1, { keepdims: true }), {
    title: "std axis 1 keepdims",
  }),
  fixtureCase("prod_axis1", "float32", (x) => np.prod(arr(x), 1), { title: "prod axis 1" }),
  fixtureCase("prod_all", "float32", (x) => np.prod(arr(x)), { title: "prod of all elements" }),
  fixtureCase("any_all", "bool", (x) => np.any(arr(x, "int32"), 1), { title: "any axis 1", pick: pick(0) }),
  fixtureCase(
    "any_all",
    "bool",
    () =>
      np.all(
        np.array(
          [
            [1, 2, 3],
            [1, 0, 1],
          ],
          { dtype: "int32" },
        ),
        1,
      ),
    { title: "all axis 1", pick: pick(1) },
  ),
  fixtureCase("cumsum_axis1", "float32", (x) => np.cumsum(arr(x), 1), { title: "cumsum axis 1" }),
  fixtureCase("cumsum_flat", "float32", (x) => np.cumsum(arr(x)), { title: "cumsum of the flattened array" }),
  fixtureCase("cumprod_axis0", "float32", (x) => np.cumprod(arr(x), 0), { title: "cumprod axis 0" }),
  fixtureCase("sort", "float32", (x) => np.sort(arr(x)), { title: "sort puts NaN last" }),
  fixtureCase("argsort", "int32", (x) => np.argsort(arr(x)), {
    title: "argsort is stable (equal values keep their order)",
  }),
  fixtureCase("sort_axis0", "float32", (x) => np.sort(arr(x), 0), { title: "sort axis 0" }),
  fixtureCase("argsort_axis0", "int32", (x) => np.argsort(arr(x), 0), { title: "argsort axis 0" }),
  fixtureCase("top_k", "float32", (x) => lax.top_k(arr(x), 3)[0], {
    title: "lax.top_k values, largest first",
    pick: pick(0),
  }),
  fixtureCase("top_k", "int32", (x) => lax.top_k(arr(x), 3)[1], {
    title: "lax.top_k indices, ties by lower index",
    pick: pick(1),
  }),
  fixtureCase("var_axis0_ddof1", "float32", (x) => arr(x).var(0, { ddof: 1 }), {
    title: "x.var(0, { ddof: 1 }) method",
  }),
  fixtureCase("cumsum_axis1", "float32", (x) => arr(x).cumsum(1), { title: "x.cumsum(1) method" }),
  fixtureCase("sort", "float32", (x) => arr(x).sort(), { title: "x.sort() method" }),
  // Hand-computed.
  {
    name: "cumsum of a 1,000-long axis (two-level scan) is k(k+1)/2, along axis 0 of [1000, 2]",
    build: () => np.cumsum(np.stack([np.arange(1, 1001), np.arange(1, 1001)], 1), 0),
    expect: Array.from({ length: 1000 }, (_, k) => [((k + 1) * (k + 2)) / 2, ((k + 1) * (k + 2)) / 2]),
    dtype: "int32",
  },
  {
    name: "cumprod of 700 alternating ±1 (two-level scan, the padding's identity is 1)",
    build: () =>
      np.cumprod(np.where(np.equal(np.mod(np.arange(700, undefined, undefined, { dtype: "int32" }), 3), 1), -1, 1)),
    expect: Array.from({ length: 700 }, (_, k) => (Math.floor((k + 2) / 3) % 2 === 1 ? -1 : 1)),
    dtype: "int32",
  },
  {
    name: "cumsum of int32 wraps like int32",
    build: () => np.cumsum(np.array([2147483647, 1, 1], { dtype: "int32" })),
    expect: [2147483647, -2147483648, -2147483647],
    dtype: "int32",
  },
  {
    name: "cumsum of bool counts in int32",
    build: () => np.cumsum(np.array([true, false, true])),
    expect: [1, 1, 2],
    dtype: "int32",
  },
  { name: "prod over an empty axis is 1", build: () => np.prod(np.zeros([2, 0]), 1), expect: [1, 1], dtype: "float32" },
  {
    name: "prod of int32 over axes (0, 2) keepdims",
    build: () => np.prod(np.reshape(np.arange(1, 9, 1, { dtype: "int32" }), [2, 2, 2]), [0, 2], { keepdims: true }),
    expect: [[[1 * 2 * 5 * 6], [3 * 4 * 7 * 8]]],
    dtype: "int32",
  },
  {
    name: "sort of int32 rows",
    build: () =>
      np.sort(
        np.array(
          [
            [3, -1, 2],
            [0, 0, -5],
          ],
          { dtype: "int32" },
        ),
      ),
    expect: [
      [-1, 2, 3],
      [-5, 0, 0],
    ],
    dtype: "int32",
  },
  {
    name: "sort of a computed value (exp) under the same kernel rules",
    build: () => np.sort(np.exp(np.array([0, -1, 1]))),
    expect: [Math.exp(-1), 1, Math.exp(1)],
    dtype: "float32",
    rtol: 1e-6,
  },
  {
    name: "argsort of bool: false first",
    build: () => np.argsort(np.array([true, false, true, false])),
    expect: [1, 3, 0, 2],
    dtype: "int32",
  },
  {
    name: "any of an empty array is false, all is true",
    build: () => np.stack([np.any(np.zeros([0])), np.all(np.zeros([0]))]),
    expect: [false, true],
    dtype: "bool",
  },
]);
