// Trigonometric and hyperbolic functions (np/trig.ts) against JAX (test/fixtures/jax/surface2.json)
// on the CPU reference, on WebGPU and under jit on WebGPU: values across each domain, gradients at
// points inside it, and the domain edges JAX defines (NaN outside, ±inf at the poles, the
// quadrants and signed zeros of arctan2).
import { test } from "node:test";
import assert from "node:assert/strict";
import { grad, jvp, vmap } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, opCases, webgpuOrSkip, type Nested } from "./harness.js";
import { jaxCase, jaxOpCase } from "./surface2Expected.js";

const arr = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
type Unary = (x: Tracer) => Tracer;
const UNARY: [string, Unary][] = [
  ["tan", np.tan],
  ["arcsin", np.arcsin],
  ["arccos", np.arccos],
  ["arctan", np.arctan],
  ["sinh", np.sinh],
  ["cosh", np.cosh],
  ["arcsinh", np.arcsinh],
  ["arccosh", np.arccosh],
  ["arctanh", np.arctanh],
];
/** d f(x_i)/d x_i for each element: the gradient of the sum of an elementwise f. */
const gradEach = (f: Unary) => grad((x: Tracer) => np.sum(f(x)));

opCases("np trig", [
  // lavapipe's exp carries a relative error of about |x|·3e-8 (it is exp2 of a rounded x·log2 e), so
  // sinh and cosh near |x| = 89 (exp(|x|/2) squared) are 7e-6 off on WebGPU; their formulas add an ulp.
  ...UNARY.map(([name, f]) =>
    jaxOpCase(name, (x) => f(arr(x)), {
      title: `${name} = JAX across its domain`,
      rtol: name === "sinh" || name === "cosh" ? 1e-5 : 2e-6,
    }),
  ),
  ...UNARY.map(([name, f]) =>
    jaxOpCase(`grad_${name}`, (x) => gradEach(f)(arr(x)), {
      title: `grad ${name} = JAX inside its domain`,
      rtol: 1e-5,
    }),
  ),
  jaxOpCase("arctan2", (y, x) => np.arctan2(arr(y), arr(x)), {
    title: "arctan2 = JAX in every quadrant, on the axes, at ±0 and ±inf, NaN in NaN out",
  }),
  jaxOpCase(
    "grad_arctan2",
    (y, x) => np.stack(grad((a: Tracer, b: Tracer) => np.sum(np.arctan2(a, b)), [0, 1])(arr(y), arr(x))),
    {
      title: "grad arctan2 in both arguments = JAX",
    },
  ),
  jaxOpCase(
    "grad_arctan2",
    (y, x) => {
      const [a, b] = [arr(y), arr(x)];
      const [one, zero] = [np.ones_like(a), np.zeros_like(a)];
      const dy = jvp(np.arctan2, [a, b], [one, zero])[1];
      const dx = jvp(np.arctan2, [a, b], [zero, one])[1];
      return np.stack([dy, dx]);
    },
    { title: "jvp arctan2 along each argument = JAX's partial derivatives" },
  ),
  jaxOpCase("grad_arcsin", (x) => jvp(np.arcsin, [arr(x)], [np.ones_like(arr(x))])[1], {
    title: "jvp arcsin = JAX's derivative",
    rtol: 1e-5,
  }),
  jaxOpCase("edge_arcsin", (x) => np.arcsin(arr(x)), { title: "arcsin: NaN outside [-1, 1], ±π/2 at ±1" }),
  jaxOpCase("edge_arccos", (x) => np.arccos(arr(x)), { title: "arccos: NaN outside [-1, 1], 0 and π at the ends" }),
  jaxOpCase("edge_arctanh", (x) => np.arctanh(arr(x)), { title: "arctanh: ±inf at ±1, NaN outside" }),
  jaxOpCase("edge_arccosh", (x) => np.arccosh(arr(x)), { title: "arccosh: 0 at 1, NaN below 1 (also below -1)" }),
  jaxOpCase("edge_grad_arcsin", (x) => gradEach(np.arcsin)(arr(x)), { title: "grad arcsin at ±1 is +inf, as JAX" }),
  jaxOpCase("edge_grad_arccos", (x) => gradEach(np.arccos)(arr(x)), { title: "grad arccos at ±1 is -inf, as JAX" }),
  jaxOpCase("edge_grad_arctanh", (x) => gradEach(np.arctanh)(arr(x)), { title: "grad arctanh at ±1 is +inf, as JAX" }),
  jaxOpCase("edge_grad_arccosh", (x) => gradEach(np.arccosh)(arr(x)), { title: "grad arccosh at 1 is +inf, as JAX" }),
  jaxOpCase("edge_sinh_cosh", (x) => np.stack([np.sinh(arr(x)), np.cosh(arr(x))]), {
    title: "sinh and cosh stay finite past exp's overflow (|x| = 89) and overflow where JAX does",
    rtol: 1e-5,
  }),
  jaxOpCase("hypot", (x, y) => np.hypot(arr(x), arr(y)), {
    title: "hypot = JAX: no overflow at 1e30, inf beats NaN",
  }),
  jaxOpCase(
    "grad_hypot",
    (x, y) => np.stack(grad((a: Tracer, b: Tracer) => np.sum(np.hypot(a, b)), [0, 1])(arr(x), arr(y))),
    {
      title: "grad hypot in both arguments = JAX",
    },
  ),
  jaxOpCase("deg2rad", (x) => np.deg2rad(arr(x))),
  jaxOpCase("rad2deg", (x) => np.rad2deg(arr(x))),
  jaxOpCase(
    "int_inputs",
    (x) => {
      const i = np.array(x as never, { dtype: "int32" });
      return np.stack([np.arctan(i), np.sinh(i), np.tan(i), np.deg2rad(i)]);
    },
    { title: "int32 inputs promote to float32 (arctan, sinh, tan, deg2rad)" },
  ),
  jaxOpCase("grad_sinh", (x) => vmap(grad((v: Tracer) => np.sinh(v)))(arr(x)), {
    title: "vmap(grad(sinh)) = JAX's per-element derivative",
    rtol: 1e-5,
  }),
  jaxOpCase("arcsin", (x) => vmap((v: Tracer) => np.asin(v))(arr(x)), { title: "vmap of the alias asin = JAX arcsin" }),
]);

test("np trig: arctan2 keeps the signs of zero JAX gives (±0, ±π) [cpu, webgpu]", async (t) => {
  const { inputs, expect } = jaxCase("arctan2");
  const want = (expect as number[]).slice(4, 8); // (±0, +0) and (±0, -0)
  const backends: ("cpu" | "webgpu")[] = (await webgpuOrSkip(t)) ? ["cpu", "webgpu"] : ["cpu"];
  for (const b of backends) {
    const got = (await onBackend(b, () => np.arctan2(arr(inputs[0]!), arr(inputs[1]!))).toArray()) as number[];
    want.forEach((w, i) =>
      assert.ok(Object.is(got[4 + i], w), `[${b}] element ${4 + i}: expected ${w}, got ${got[4 + i]}`),
    );
  }
});

test("np trig: the aliases are the same functions (asin = arcsin, …)", () => {
  assert.equal(np.asin, np.arcsin);
  assert.equal(np.acos, np.arccos);
  assert.equal(np.atan, np.arctan);
  assert.equal(np.atan2, np.arctan2);
  assert.equal(np.asinh, np.arcsinh);
  assert.equal(np.acosh, np.arccosh);
  assert.equal(np.atanh, np.arctanh);
});

test("np constants: pi, e, euler_gamma, inf and nan are JAX's values, exactly", () => {
  const [pi, e, gamma, inf, nan] = jaxCase("constants").expect as number[];
  assert.equal(np.pi, pi);
  assert.equal(np.e, e);
  assert.equal(np.euler_gamma, gamma);
  assert.equal(np.inf, inf);
  assert.ok(Number.isNaN(np.nan) && Number.isNaN(nan));
});

opCases("np constants", [
  jaxOpCase(
    "constants_weak",
    (d) => np.stack([np.multiply(arr(d), np.pi), np.where(np.greater(arr(d), 0), arr(d), np.nan)]),
    {
      title: "np.pi and np.nan mix with float32 arrays as weakly typed scalars = JAX",
    },
  ),
]);
