// The tenth API batch against JAX (scripts/jax/run_jax_surface10.py wrote
// test/fixtures/jax/surface10.json): polynomial arithmetic (polyadd, polysub, polymul, polyder,
// polyint: unequal lengths, int32 and mixed dtypes, m = 0 and past the degree, integration
// constants) with gradients, and the complex-number functions on real inputs (real, imag, conj,
// conjugate, iscomplex, isreal, angle with −0, int32 and deg), and lax.igamma / igammac
// (scipy.special.gammainc / gammaincc) with gradients in a and x and the distributions built on
// them (scipy.stats.gamma's cdf family, chi2, poisson.cdf). Each on the CPU reference, on
// WebGPU and under jit on WebGPU (harness.ts opCases). Then iscomplexobj / isrealobj and bad input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { grad, lax, scipy } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, opCases, refuses, type Nested, type OpCase } from "./harness.js";
import { fixtureCases } from "./surface2Expected.js";

const { jaxOpCase, jaxParts } = fixtureCases("surface10");
const f = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const i32 = (v: Nested): Tracer => np.array(v as never, { dtype: "int32" });
const near = { rtol: 1e-6, atol: 1e-6 };

const cases: OpCase[] = [
  jaxOpCase("polyadd", (a, b) => np.polyadd(f(a), f(b))),
  jaxOpCase("polyadd_rev", (a, b) => np.polyadd(f(a), f(b))),
  jaxOpCase("polyadd_int", (a, b) => np.polyadd(i32(a), i32(b)), { dtype: "int32" }),
  jaxOpCase("polyadd_mixed", (a, b) => np.polyadd(i32(a), f(b))),
  jaxOpCase("polysub", (a, b) => np.polysub(f(a), f(b))),
  jaxOpCase("polysub_rev", (a, b) => np.polysub(f(a), f(b))),
  jaxOpCase("polymul", (a, b) => np.polymul(f(a), f(b))),
  jaxOpCase("polymul_long", (a, b) => np.polymul(f(a), f(b)), near),
  jaxOpCase("polymul_int", (a, b) => np.polymul(i32(a), i32(b)), { dtype: "int32" }),
  jaxOpCase("polyder", (c) => np.polyder(f(c))),
  jaxOpCase("polyder_2", (c) => np.polyder(f(c), 2)),
  jaxOpCase("polyder_0", (c) => np.polyder(f(c), 0)),
  jaxOpCase("polyder_4", (c) => np.polyder(f(c), 4)),
  jaxOpCase("polyder_int", (c) => np.polyder(i32(c), 2), { dtype: "int32" }),
  jaxOpCase("polyint", (a) => np.polyint(f(a)), near),
  jaxOpCase("polyint_2", (c) => np.polyint(f(c), 2), near),
  jaxOpCase("polyint_k", (a) => np.polyint(f(a), 1, 5), near),
  jaxOpCase("polyint_ks", (a, k) => np.polyint(f(a), 2, f(k)), near),
  jaxOpCase("polyint_int", (a) => np.polyint(i32(a)), near),
  jaxOpCase("polyint_0", (c) => np.polyint(f(c), 0)),
  ...jaxParts(
    "grad_polymul",
    2,
    (c, a) => grad((p: Tracer, q: Tracer) => np.sum(np.square(np.polymul(p, q))), [0, 1])(f(c), f(a)) as Tracer[],
  ),
  jaxOpCase(
    "grad_polyder_polyint",
    (c) => grad((p: Tracer) => np.sum(np.multiply(np.polyder(p, 2), np.polyint(p).at("0:3").get())))(f(c)) as Tracer,
    near,
  ),
  jaxOpCase("real", (x) => np.real(f(x))),
  jaxOpCase("imag", (x) => np.imag(f(x))),
  jaxOpCase("imag_int", (x) => np.imag(i32(x)), { dtype: "int32" }),
  jaxOpCase("conj", (x) => np.conj(f(x))),
  jaxOpCase("conjugate", (x) => np.conjugate(f(x))),
  jaxOpCase("iscomplex", (x) => np.iscomplex(f(x)), { dtype: "bool" }),
  jaxOpCase("isreal", (x) => np.isreal(f(x)), { dtype: "bool" }),
  jaxOpCase("angle", (x) => np.angle(f(x))),
  jaxOpCase("angle_deg", (x) => np.angle(f(x), { deg: true })),
  jaxOpCase("angle_int", (x) => np.angle(i32(x))),
  jaxOpCase(
    "grad_real_conj",
    (x) => grad((v: Tracer) => np.sum(np.add(np.multiply(np.real(v), np.conj(v)), np.imag(v))))(f(x)) as Tracer,
  ),
  jaxOpCase("igamma", (a, x) => lax.igamma(f(a), f(x)), { rtol: 5e-5, atol: 1e-6 }),
  jaxOpCase("igammac", (a, x) => lax.igammac(f(a), f(x)), { rtol: 5e-5, atol: 1e-6 }),
  jaxOpCase("igamma_grad_a", (a, x) => grad((v: Tracer) => np.sum(lax.igamma(v, f(x))))(f(a)) as Tracer, {
    rtol: 1e-4,
    atol: 1e-6,
  }),
  jaxOpCase("igamma_grad_x", (a, x) => grad((v: Tracer) => np.sum(lax.igamma(f(a), v)))(f(x)) as Tracer, {
    rtol: 5e-5,
    atol: 1e-6,
  }),
  ...jaxParts(
    "igammac_grad",
    2,
    (a, x) =>
      grad(
        (u: Tracer, v: Tracer) => np.sum(np.multiply(lax.igammac(u, v), np.arange(8, { dtype: "float32" }))),
        [0, 1],
      )(f(a), f(x)) as Tracer[],
  ).map((c) => ({ ...c, rtol: 1e-4, atol: 1e-6 })),
  jaxOpCase("gammainc_int", () => scipy.special.gammainc(3, np.array([1, 4], { dtype: "int32" })), near),
  jaxOpCase("gamma_cdf", (x) => scipy.stats.gamma.cdf(f(x), 2), near),
  jaxOpCase("gamma_cdf_loc_scale", (x) => scipy.stats.gamma.cdf(f(x), 2, 1, 3), near),
  jaxOpCase("gamma_sf", (x) => scipy.stats.gamma.sf(f(x), 2), near),
  jaxOpCase("gamma_logcdf", (x) => scipy.stats.gamma.logcdf(f(x), 2), near),
  jaxOpCase("gamma_logsf", (x) => scipy.stats.gamma.logsf(f(x), 2), near),
  jaxOpCase("chi2_cdf", (x) => scipy.stats.chi2.cdf(f(x), 3), near),
  jaxOpCase("chi2_sf", (x) => scipy.stats.chi2.sf(f(x), 3), near),
  jaxOpCase("chi2_logpdf", (x) => scipy.stats.chi2.logpdf(f(x), 3), near),
  jaxOpCase("chi2_pdf_loc_scale", (x) => scipy.stats.chi2.pdf(f(x), 3, -0.5, 2), near),
  jaxOpCase("poisson_cdf", (k) => scipy.stats.poisson.cdf(f(k), 3), near),
  jaxOpCase("poisson_cdf_loc", (k) => scipy.stats.poisson.cdf(f(k), 3, 1), near),
  jaxOpCase("chi2_cdf_grad_x", (x) => grad((v: Tracer) => np.sum(scipy.stats.chi2.cdf(v, 3)))(f(x)) as Tracer, near),
];
opCases("surface10", cases);

test("iscomplexobj is false and isrealobj true for float32, int32 and bool arrays (no complex dtype here)", () => {
  onBackend("cpu", () => {
    for (const x of [f([1.5]), i32([2]), np.array([true])]) {
      assert.equal(np.iscomplexobj(x), false);
      assert.equal(np.isrealobj(x), true);
    }
  });
});

test("the polynomial functions refuse bad input, naming it: 2-D coefficients, a negative or fractional m, k of the wrong length, trim_leading_zeros", () => {
  onBackend("cpu", () => {
    refuses(() => np.polyadd(np.ones([2, 2]), f([1])), /polyadd: takes 1-D coefficients, got shape \[2,2\]/);
    refuses(() => np.polyder(f([1, 2]), -1), /polyder: m must be a whole number ≥ 0, got -1/);
    refuses(() => np.polyint(f([1, 2]), 1.5), /polyint: m must be a whole number ≥ 0, got 1\.5/);
    refuses(
      () => np.polyint(f([1, 2]), 3, f([1, 2])),
      /polyint: k must be a number or 3 of them \(one per integration\), got 2/,
    );
    refuses(
      () => np.polymul(f([0, 1]), f([1]), { trim_leading_zeros: true }),
      /polymul: trim_leading_zeros is not supported/,
    );
    refuses(() => np.angle(f([1]), { degrees: true } as never), /angle: unknown option "degrees"/);
  });
});
