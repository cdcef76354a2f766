// lax.erf and lax.erfc (lax/special.ts) against JAX (test/fixtures/jax/surface2.json) on the CPU
// reference, on WebGPU and under jit on WebGPU: values from -inf to inf (erfc's tail down to
// 1e-37 in relative terms), first and second derivatives, and the float32-only rule.
import { test } from "node:test";
import { grad, jvp } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import * as lax from "../../../runtime/src/lax.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { expectUserError, here, opCases, type Nested } from "./harness.js";
import { jaxOpCase } from "./surface2Expected.js";

const arr = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const gradEach = (f: (x: Tracer) => Tracer) => grad((x: Tracer) => np.sum(f(x)));

opCases("lax erf", [
  jaxOpCase("erf", (x) => lax.erf(arr(x)), {
    title: "erf = JAX from -inf to inf (±0, NaN)",
    rtol: 3e-7,
    atol: 1e-9,
  }),
  // atol 1e-40: JAX flushes erfc(9.9) = 1.5e-44 (subnormal) to 0, the CPU reference keeps it.
  jaxOpCase("erfc", (x) => lax.erfc(arr(x)), {
    title: "erfc = JAX in relative terms down to erfc(9) = 4e-37, 2 at -inf, 0 past 10",
    rtol: 1e-6,
    atol: 1e-40,
  }),
  jaxOpCase("grad_erf", (x) => gradEach(lax.erf)(arr(x)), { title: "grad erf = 2/√π·exp(-x²) as JAX" }),
  jaxOpCase("grad_erfc", (x) => gradEach(lax.erfc)(arr(x)), { title: "grad erfc = -2/√π·exp(-x²) as JAX" }),
  jaxOpCase("grad_erf", (x) => jvp(lax.erf, [arr(x)], [np.ones_like(arr(x))])[1], {
    title: "jvp erf = JAX's derivative",
  }),
  jaxOpCase("grad_erfc", (x) => jvp(lax.erfc, [arr(x)], [np.ones_like(arr(x))])[1], {
    title: "jvp erfc = JAX's derivative",
  }),
  jaxOpCase("grad2_erf", (x) => gradEach((v) => gradEach(lax.erf)(v))(arr(x)), {
    title: "second derivative of erf = JAX",
  }),
]);

test("lax erf: int32 input is an error, as in JAX's lax.erf", async (t) => {
  const f = () => lax.erf(np.array([1, 2], { dtype: "int32" }));
  const line = here() - 1;
  await expectUserError(t, f, "erf.test.ts", line, "lax.erf", "float32", "int32[2]");
});
