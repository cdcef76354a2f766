// The eleventh API batch against JAX (scripts/jax/run_jax_surface11.py wrote
// test/fixtures/jax/surface11.json): the modified Bessel functions of the first kind
// (lax.bessel_i0e / bessel_i1e, np.i0, scipy.special.i0 i0e i1 i1e) on both sides of |x| = 8, at
// 0, ±inf, NaN and where I0 overflows, on int32 input, with gradients (at 0 too); and lax.clz and
// np.bitwise_count on int32's edges. Each on the CPU reference, on WebGPU and under jit on
// WebGPU (harness.ts opCases). Then bad input.
import { test } from "node:test";
import { grad, lax, scipy, vmap } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, opCases, refuses, type Nested, type OpCase } from "./harness.js";
import { fixtureCases } from "./surface2Expected.js";

const { jaxOpCase } = fixtureCases("surface11");
const f = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const i32 = (v: Nested): Tracer => np.array(v as never, { dtype: "int32" });
// Cephes' float32 expansions: a few ulps from JAX's evaluation of the same series.
const close = { rtol: 2e-6, atol: 1e-7 };
const gradOf = (fn: (v: Tracer) => Tracer) => (x: Nested) => vmap(grad(fn))(f(x)) as Tracer;

const cases: OpCase[] = [
  jaxOpCase("bessel_i0e", (x) => lax.bessel_i0e(f(x)), close),
  jaxOpCase("bessel_i1e", (x) => lax.bessel_i1e(f(x)), close),
  jaxOpCase("bessel_i0e_edges", (x) => lax.bessel_i0e(f(x)), close),
  jaxOpCase("bessel_i1e_edges", (x) => lax.bessel_i1e(f(x)), close),
  jaxOpCase("i0", (x) => np.i0(f(x)), close),
  jaxOpCase("i0_edges", (x) => np.i0(f(x)), close),
  jaxOpCase("i0_int", (x) => np.i0(i32(x)), close),
  jaxOpCase("sp_i0", (x) => scipy.special.i0(f(x)), close),
  jaxOpCase("sp_i0e", (x) => scipy.special.i0e(f(x)), close),
  jaxOpCase("sp_i1", (x) => scipy.special.i1(f(x)), close),
  jaxOpCase("sp_i1e", (x) => scipy.special.i1e(f(x)), close),
  jaxOpCase("sp_i1e_int", (x) => scipy.special.i1e(i32(x)), close),
  jaxOpCase("grad_bessel_i0e", gradOf(lax.bessel_i0e), { rtol: 1e-5, atol: 1e-6 }),
  jaxOpCase("grad_bessel_i1e", gradOf(lax.bessel_i1e), { rtol: 1e-5, atol: 1e-6 }),
  jaxOpCase("grad_i0", gradOf(np.i0), { rtol: 1e-5, atol: 1e-6 }),
  jaxOpCase("grad_i1", gradOf(scipy.special.i1), { rtol: 1e-5, atol: 1e-6 }),
  jaxOpCase("clz", (x) => lax.clz(i32(x)), { dtype: "int32" }),
  jaxOpCase("bitwise_count", (x) => np.bitwise_count(i32(x)), { dtype: "int32" }),
  jaxOpCase("bitwise_count_bool", (x) => np.bitwise_count(np.array(x as never, { dtype: "bool" })), {
    dtype: "int32",
  }),
];
opCases("surface11", cases);

test("lax.bessel_i0e / bessel_i1e take float32 only and clz / bitwise_count integers only, each error naming the function", () => {
  onBackend("cpu", () => {
    refuses(() => lax.bessel_i0e(i32([1])), /lax\.bessel_i0e takes float32, got int32\[1\]/);
    refuses(() => lax.bessel_i1e(np.array([true])), /lax\.bessel_i1e takes float32/);
    refuses(() => lax.clz(f([1.5])), /lax\.clz: needs int32 operands, got float32\[1\]/);
    refuses(() => np.bitwise_count(f([2])), /bitwise_count: needs an int32 or bool array, got float32\[1\]/);
  });
});
