// Elementwise surface (floor ceil round mod floor_divide log1p expm1 log2 log10 exp2 logaddexp
// reciprocal isnan isinf isfinite logical_* clip rsqrt) against JAX's values (fixture) on the
// CPU reference, on WebGPU and under jit; plus hand-computed edge cases.
import { opCases } from "./harness.js";
import * as np from "../../../runtime/src/np.js";
import * as lax from "../../../runtime/src/lax.js";
import { arr, fixtureCase } from "./surfaceExpected.js";
import type { Nested } from "./harness.js";

const pick = (i: number) => (e: Nested) => (e as Nested[])[i]!;

opCases("np surface math", [
  fixtureCase("floor", "float32", (x) => np.floor(arr(x))),
  fixtureCase("ceil", "float32", (x) => np.ceil(arr(x))),
  fixtureCase("round", "float32", (x) => np.round(arr(x)), { title: "round: half to even" }),
  fixtureCase("round_2", "float32", (x) => np.round(arr(x), 2), { title: "round to 2 decimals" }),
  fixtureCase("log1p", "float32", (x) => np.log1p(arr(x)), {
    title: "log1p keeps relative precision near 0",
    rtol: 2e-6,
  }),
  fixtureCase("expm1", "float32", (x) => np.expm1(arr(x)), {
    title: "expm1 keeps relative precision near 0",
    rtol: 2e-6,
  }),
  fixtureCase("log2", "float32", (x) => np.log2(arr(x))),
  fixtureCase("log10", "float32", (x) => np.log10(arr(x))),
  fixtureCase("exp2", "float32", (x) => np.exp2(arr(x))),
  fixtureCase("reciprocal", "float32", (x) => np.reciprocal(arr(x))),
  fixtureCase("logaddexp", "float32", (a, b) => np.logaddexp(arr(a), arr(b))),
  fixtureCase("isnan", "bool", (x) => np.isnan(arr(x))),
  fixtureCase("isinf", "bool", (x) => np.isinf(arr(x))),
  fixtureCase("isfinite", "bool", (x) => np.isfinite(arr(x))),
  fixtureCase("mod_int", "int32", (a, b) => np.mod(arr(a, "int32"), arr(b, "int32")), {
    title: "mod of int32 takes the divisor's sign",
  }),
  fixtureCase("floor_divide_int", "int32", (a, b) => np.floor_divide(arr(a, "int32"), arr(b, "int32")), {
    title: "floor_divide of int32 rounds toward -inf",
  }),
  fixtureCase("mod_float", "float32", (a, b) => np.mod(arr(a), arr(b))),
  fixtureCase("floor_divide_float", "float32", (a, b) => np.floor_divide(arr(a), arr(b))),
  fixtureCase("clip", "float32", (x) => np.clip(arr(x), -1, 2)),
  fixtureCase("logical", "bool", (a, b) => np.logical_and(arr(a, "bool"), arr(b, "bool")), {
    title: "logical_and",
    pick: pick(0),
  }),
  fixtureCase("logical", "bool", (a, b) => np.logical_or(arr(a, "bool"), arr(b, "bool")), {
    title: "logical_or",
    pick: pick(1),
  }),
  fixtureCase("logical", "bool", (a, b) => np.logical_xor(arr(a, "bool"), arr(b, "bool")), {
    title: "logical_xor",
    pick: pick(2),
  }),
  fixtureCase("rsqrt", "float32", (x) => lax.rsqrt(arr(x)), { title: "lax.rsqrt" }),
  // Hand-computed edge cases.
  {
    name: "floor of int32 is the value itself",
    build: () => np.floor(np.array([3, -2], { dtype: "int32" })),
    expect: [3, -2],
    dtype: "int32",
  },
  {
    name: "log1p(-1) is -inf, log1p(inf) is inf",
    build: () => np.log1p(np.array([-1, Infinity])),
    expect: [-Infinity, Infinity],
    dtype: "float32",
  },
  { name: "expm1(-inf) is -1", build: () => np.expm1(np.array([-Infinity, 0])), expect: [-1, 0], dtype: "float32" },
  {
    name: "logaddexp of equal infinities is that infinity",
    build: () => np.logaddexp(np.array([-Infinity, Infinity, 1000]), np.array([-Infinity, Infinity, 1000])),
    expect: [-Infinity, Infinity, 1000 + Math.LN2],
    dtype: "float32",
  },
  {
    name: "logical_and of numbers treats nonzero as true",
    build: () => np.logical_and(np.array([0, 2, -1]), 3),
    expect: [false, true, true],
    dtype: "bool",
  },
  {
    name: "clip with only a lower bound",
    build: () => np.clip(np.array([-3, 0, 3]), -1, null),
    expect: [-1, 0, 3],
    dtype: "float32",
  },
]);
