// jax.scipy.special's erfcx, exp1, expi, expn, dawsn, sici, fresnel, spence, bernoulli and
// owens_t against JAX (scripts/jax/run_jax_special_extras.py wrote
// test/fixtures/jax/special_extras.json): grids across each expansion's switch points, the edges
// (0, negatives, ±inf, NaN, large arguments), int32 input and gradients, each on the CPU
// reference, on WebGPU and under jit on WebGPU (harness.ts opCases). Then bad input.
// Tolerances: 1e-5 relative where JAX float32 is within ~2e-6 of float64 (the script prints
// each); looser where JAX's own float32 error is larger (named at the case).
import { test } from "node:test";
import assert from "node:assert/strict";
import { grad, scipy, vmap } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, opCases, refuses, type Nested, type OpCase } from "./harness.js";
import { fixtureCases } from "./surface2Expected.js";

const { jaxOpCase } = fixtureCases("special_extras");
const sp = scipy.special;
const f = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const i32 = (v: Nested): Tracer => np.array(v as never, { dtype: "int32" });
const close = { rtol: 1e-5, atol: 1e-7 };
const gradOf = (fn: (v: Tracer) => Tracer) => (x: Nested) => vmap(grad(fn))(f(x)) as Tracer;

const cases: OpCase[] = [
  // Against JAX float64: JAX's float32 erfcx is 0 at 9.4 (erfc subnormal), ours switches at 5.
  jaxOpCase("erfcx", (x) => sp.erfcx(f(x)), { ...close, title: "erfcx (vs JAX float64)" }),
  jaxOpCase("erfcx_int", (x) => sp.erfcx(i32(x)), close),
  // 2x·erfcx − 2/√π cancels at large x: JAX float32's own error there is 1e-4.
  jaxOpCase("grad_erfcx", gradOf(sp.erfcx), { rtol: 2e-4, atol: 1e-7 }),
  jaxOpCase("exp1", (x) => sp.exp1(f(x)), close),
  jaxOpCase("exp1_edges", (x) => sp.exp1(f(x)), close),
  jaxOpCase("exp1_int", (x) => sp.exp1(i32(x)), close),
  // JAX float32's Eₙ is within 1.5e-6 of float64 on this grid.
  jaxOpCase("expn", (n, x) => sp.expn(f(n), f(x)), { rtol: 1e-5, atol: 1e-30 }),
  jaxOpCase("expn_edges", (n, x) => sp.expn(f(n), f(x)), close),
  jaxOpCase("grad_exp1", gradOf(sp.exp1), close),
  jaxOpCase(
    "grad_expn3",
    gradOf((v) => sp.expn(3, v)),
    close,
  ),
  jaxOpCase("expi", (x) => sp.expi(f(x)), close),
  jaxOpCase("expi_edges", (x) => sp.expi(f(x)), close),
  jaxOpCase("grad_expi", gradOf(sp.expi), close),
  jaxOpCase("dawsn", (x) => sp.dawsn(f(x)), close),
  jaxOpCase("dawsn_edges", (x) => sp.dawsn(f(x)), close),
  // 1 − 2x·dawsn cancels near x = 0.92 (its maximum): JAX float32's own error is 7e-6 there.
  jaxOpCase("grad_dawsn", gradOf(sp.dawsn), { rtol: 2e-5, atol: 1e-6 }),
  jaxOpCase("sici_0", (x) => sp.sici(f(x))[0], close),
  jaxOpCase("sici_1", (x) => sp.sici(f(x))[1], { rtol: 1e-5, atol: 1e-6 }),
  jaxOpCase("sici_edges_0", (x) => sp.sici(f(x))[0], close),
  jaxOpCase("sici_edges_1", (x) => sp.sici(f(x))[1], close),
  jaxOpCase(
    "grad_si",
    gradOf((v) => sp.sici(v)[0]),
    close,
  ),
  jaxOpCase(
    "grad_ci",
    gradOf((v) => sp.sici(v)[1]),
    close,
  ),
  // JAX float32's Fresnel integrals are within 1.6e-5 of float64 (the auxiliary fit near x = 1.6).
  jaxOpCase("fresnel_0", (x) => sp.fresnel(f(x))[0], { rtol: 3e-5, atol: 1e-6 }),
  jaxOpCase("fresnel_1", (x) => sp.fresnel(f(x))[1], { rtol: 3e-5, atol: 1e-6 }),
  jaxOpCase("fresnel_edges_0", (x) => sp.fresnel(f(x))[0], close),
  jaxOpCase("fresnel_edges_1", (x) => sp.fresnel(f(x))[1], close),
  jaxOpCase(
    "grad_fresnel_s",
    gradOf((v) => sp.fresnel(v)[0]),
    { rtol: 1e-5, atol: 1e-6 },
  ),
  jaxOpCase(
    "grad_fresnel_c",
    gradOf((v) => sp.fresnel(v)[1]),
    { rtol: 1e-5, atol: 1e-6 },
  ),
  jaxOpCase("spence", (x) => sp.spence(f(x)), { rtol: 1e-5, atol: 1e-6 }),
  jaxOpCase("spence_edges", (x) => sp.spence(f(x)), close),
  jaxOpCase("grad_spence", gradOf(sp.spence), close),
  ...[0, 1, 2, 3, 10, 30, 70].map((n) => jaxOpCase(`bernoulli_${n}`, () => sp.bernoulli(n), close)),
  // The 13-point quadrature: JAX float32 within 2e-6 of float64.
  jaxOpCase("owens_t", (h, a) => sp.owens_t(f(h), f(a)), { rtol: 1e-5, atol: 1e-7 }),
  jaxOpCase("owens_t_edges", (h, a) => sp.owens_t(f(h), f(a)), close),
  jaxOpCase("grad_owens_t_0", (h, a) => vmap(grad(sp.owens_t, 0))(f(h), f(a)) as Tracer, close),
  jaxOpCase("grad_owens_t_1", (h, a) => vmap(grad(sp.owens_t, 1))(f(h), f(a)) as Tracer, close),
];
opCases("special_extras", cases);

test("scipy.special.bernoulli refuses a negative or fractional n, naming the function", () => {
  onBackend("cpu", () => {
    refuses(() => sp.bernoulli(-1), /scipy\.special\.bernoulli: n must be a non-negative integer/);
    refuses(() => sp.bernoulli(2.5), /scipy\.special\.bernoulli: n must be a non-negative integer.*2\.5/);
  });
});

test("scipy.special.expn gives NaN for a non-integer n and broadcasts n against x", async () => {
  const out = onBackend("cpu", () => sp.expn(f([1.5, 2]), f([[0.5], [2]])));
  assert.deepEqual(out.shape, [2, 2]);
  const v = (await out.toArray()) as number[][];
  assert.ok(Number.isNaN(v[0]![0]!) && Number.isNaN(v[1]![0]!));
  assert.ok(Math.abs(v[1]![1]! - 0.03753426) < 1e-7, `E₂(2) = ${v[1]![1]}`);
});

test("scipy.special.spence's gradient on (1, 2] is log x/(1 − x) (JAX's is NaN there, a NaN leaking from an unselected branch)", async () => {
  const xs = [1.3, 1.8];
  const g = (await onBackend("cpu", () => vmap(grad(sp.spence))(f(xs)) as Tracer).toArray()) as number[];
  xs.forEach((x, i) => {
    const want = Math.log(Math.fround(x)) / (1 - Math.fround(x));
    assert.ok(Math.abs(g[i]! - want) <= 1e-5 * Math.abs(want), `spence'(${x}) = ${g[i]}, want ${want}`);
  });
});
