// jax.scipy's special functions and distributions against JAX (scripts/jax/run_jax_scipy.py
// wrote test/fixtures/jax/scipy.json): logsumexp with weights and signs, the error and gamma
// functions, xlogy / xlog1py with JAX's derivative at x = 0, ndtr / log_ndtr far into the tail,
// ndtri near 0 and 1; the log densities of thirteen distributions at and past their supports'
// edges, and their gradients in the parameters. Each on the CPU reference, on WebGPU and under
// jit on WebGPU (harness.ts opCases); then errors, and np.broadcast_shapes / broadcast_arrays.
import { test } from "node:test";
import assert from "node:assert/strict";
import { grad, scipy, vmap } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { opCases, type Nested, type OpCase, refuses } from "./harness.js";
import { fixtureCases } from "./surface2Expected.js";

const { special: sp, stats: st } = scipy;
const { jaxOpCase, ids } = fixtureCases("scipy");
const f = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const close = { rtol: 1e-5, atol: 1e-6 };
const loose = { rtol: 1e-4, atol: 1e-5 };
const each = (fn: (x: Tracer) => Tracer) => (x: Nested) => vmap(grad(fn))(f(x)) as Tracer;
const sumOf = (t: Tracer): Tracer => np.sum(t);

const cases: OpCase[] = [
  jaxOpCase("logsumexp_axis1", (a) => sp.logsumexp(f(a), 1), close),
  jaxOpCase("logsumexp_all_keepdims", (a) => sp.logsumexp(f(a), null, { keepdims: true }), close),
  jaxOpCase("logsumexp_b", (a, b) => sp.logsumexp(f(a), 1, { b: f(b) }), close),
  jaxOpCase("logsumexp_b_sign_value", (a, b) => sp.logsumexp(f(a), 0, { b: f(b), return_sign: true })[0], close),
  jaxOpCase("logsumexp_b_sign_sign", (a, b) => sp.logsumexp(f(a), 0, { b: f(b), return_sign: true })[1]),
  jaxOpCase(
    "grad_logsumexp_b",
    (a, b) => grad((x: Tracer) => sumOf(sp.logsumexp(x, 1, { b: np.add(np.abs(f(b)), 0.1) })))(f(a)) as Tracer,
    close,
  ),
  jaxOpCase("erf", (x) => sp.erf(f(x)), close),
  jaxOpCase("erfc", (x) => sp.erfc(f(x)), close),
  jaxOpCase("erfinv", (x) => sp.erfinv(f(x)), loose),
  jaxOpCase("gammaln", (x) => sp.gammaln(f(x)), { rtol: 2e-5, atol: 1e-6 }),
  jaxOpCase("digamma", (x) => sp.digamma(f(x)), { rtol: 2e-5, atol: 1e-6 }),
  jaxOpCase("betaln", (a, b) => sp.betaln(f(a), f(b)), { rtol: 2e-5, atol: 2e-6 }),
  jaxOpCase("expit", (x) => sp.expit(f(x)), close),
  jaxOpCase("logit", (p) => sp.logit(f(p)), close),
  jaxOpCase("xlogy", (x, y) => sp.xlogy(f(x), f(y)), close),
  jaxOpCase("xlog1py", (x, y) => sp.xlog1py(f(x), np.subtract(f(y), 0.5)), close),
  jaxOpCase(
    "grad_xlogy_x",
    (x, y) => vmap(grad((a: Tracer, b: Tracer) => sp.xlogy(a, b), 0))(f(x), f(y)) as Tracer,
    close,
  ),
  jaxOpCase(
    "grad_xlogy_y",
    (x, y) => vmap(grad((a: Tracer, b: Tracer) => sp.xlogy(a, b), 1))(f(x), f(y)) as Tracer,
    close,
  ),
  jaxOpCase(
    "grad_xlog1py_x",
    (x, y) => vmap(grad((a: Tracer, b: Tracer) => sp.xlog1py(a, b), 0))(f(x), f(y)) as Tracer,
    close,
  ),
  jaxOpCase("entr", (x) => sp.entr(f(x)), close),
  jaxOpCase("ndtr", (x) => sp.ndtr(f(x)), loose),
  jaxOpCase("log_ndtr", (x) => sp.log_ndtr(f(x)), loose),
  jaxOpCase("grad_log_ndtr", each(sp.log_ndtr), loose),
  jaxOpCase("ndtri", (p) => sp.ndtri(f(p)), loose),
  jaxOpCase("grad_ndtri", each(sp.ndtri), { rtol: 2e-4, atol: 1e-5 }),
  jaxOpCase("softmax", (a) => sp.softmax(f(a), -1), close),

  jaxOpCase("norm_logpdf", (x) => st.norm.logpdf(f(x), 0.5, 2), close),
  jaxOpCase("norm_cdf", (x) => st.norm.cdf(f(x), 0.5, 2), loose),
  jaxOpCase("norm_logcdf", (x) => st.norm.logcdf(np.multiply(f(x), 10), 0.5, 2), loose),
  jaxOpCase("norm_sf", (x) => st.norm.sf(f(x), 0.5, 2), loose),
  jaxOpCase("norm_ppf", (p) => st.norm.ppf(f(p), 0.5, 2), loose),
  jaxOpCase(
    "grad_norm_logpdf_loc_scale",
    (x) =>
      np.stack(grad((m: Tracer, s: Tracer) => sumOf(st.norm.logpdf(f(x), m, s)), [0, 1])(f(0.5), f(2)) as Tracer[]),
    close,
  ),
  jaxOpCase("bernoulli_logpmf", (k, p) => st.bernoulli.logpmf(f(k), f(p)), close),
  jaxOpCase(
    "grad_bernoulli_logpmf_p",
    (k) => grad((p: Tracer) => sumOf(st.bernoulli.logpmf(np.array((k as number[]).slice(1, 3)), p)))(f(0.3)) as Tracer,
    close,
  ),
  jaxOpCase("beta_logpdf", (x) => st.beta.logpdf(f(x), 2.5, 1.5), loose),
  jaxOpCase("beta_logpdf_loc_scale", (x) => st.beta.logpdf(np.multiply(f(x), 3), 2.5, 1.5, -0.5, 3), loose),
  jaxOpCase(
    "grad_beta_logpdf_ab",
    (x) =>
      np.stack(
        grad((a: Tracer, b: Tracer) => sumOf(st.beta.logpdf(np.array((x as number[]).slice(2, 6)), a, b)), [0, 1])(
          f(2.5),
          f(1.5),
        ) as Tracer[],
      ),
    loose,
  ),
  jaxOpCase("gamma_logpdf", (x) => st.gamma.logpdf(f(x), 2.2, 0, 1.5), loose),
  jaxOpCase(
    "grad_gamma_logpdf_a",
    (x) => grad((a: Tracer) => sumOf(st.gamma.logpdf(np.array((x as number[]).slice(2)), a, 0, 1.5)))(f(2.2)) as Tracer,
    loose,
  ),
  jaxOpCase("expon_logpdf", (x) => st.expon.logpdf(f(x), 0.05, 2), close),
  jaxOpCase("laplace_logpdf", (x) => st.laplace.logpdf(f(x), 0.5, 1.5), close),
  jaxOpCase("laplace_cdf", (x) => st.laplace.cdf(f(x), 0.5, 1.5), close),
  jaxOpCase("logistic_logpdf", (x) => st.logistic.logpdf(f(x), 0.5, 1.5), close),
  jaxOpCase("logistic_cdf", (x) => st.logistic.cdf(f(x), 0.5, 1.5), close),
  jaxOpCase("logistic_ppf", (p) => st.logistic.ppf(f(p), 0.5, 1.5), close),
  jaxOpCase("uniform_logpdf", (x) => st.uniform.logpdf(f(x), -1, 3), close),
  jaxOpCase("cauchy_logpdf", (x) => st.cauchy.logpdf(f(x), 0.5, 1.5), close),
  jaxOpCase("t_logpdf", (x) => st.t.logpdf(f(x), 3.5, 0.5, 1.5), loose),
  jaxOpCase(
    "grad_t_logpdf_df",
    (x) => grad((d: Tracer) => sumOf(st.t.logpdf(f(x), d, 0.5, 1.5)))(f(3.5)) as Tracer,
    loose,
  ),
  jaxOpCase("poisson_logpmf", (k) => st.poisson.logpmf(f(k), 2.5), loose),
  jaxOpCase("mvn_logpdf", (x, m, c) => st.multivariate_normal.logpdf(f(x), f(m), f(c)), loose),
  jaxOpCase(
    "grad_mvn_mean",
    (x, m, c) => grad((mu: Tracer) => sumOf(st.multivariate_normal.logpdf(f(x), mu, f(c))))(f(m)) as Tracer,
    loose,
  ),
  jaxOpCase(
    "grad_mvn_cov",
    (x, m, c) => grad((cov: Tracer) => sumOf(st.multivariate_normal.logpdf(f(x), f(m), cov)))(f(c)) as Tracer,
    loose,
  ),
  jaxOpCase("dirichlet_logpdf", (x, a) => st.dirichlet.logpdf(f(x), f(a)), loose),
  jaxOpCase("dirichlet_logpdf_k_minus_1", (x, a) => st.dirichlet.logpdf(f(x), f(a)), loose),
];

test("every case in scipy.json has a check here, and no check names a missing case", () => {
  assert.deepEqual(cases.map((c) => c.name).sort(), [...ids].sort());
});

opCases("scipy", cases);

test("scipy refuses what it cannot compute, naming the function: a batch of covariances, a Dirichlet x whose first axis is not alpha's length, logsumexp's unknown option", () => {
  refuses(
    () => st.multivariate_normal.logpdf(np.zeros([4, 3]), np.zeros([3]), np.zeros([2, 3, 3])),
    /multivariate_normal\.logpdf: cov must be one \[n, n\] matrix for x of shape \[4,3\] \(n = its last axis\), got \[2,3,3\]/,
  );
  refuses(
    () => st.dirichlet.logpdf(np.zeros([5, 2]), np.ones([3])),
    /dirichlet\.logpdf: x's first axis must have alpha's length 3 \(or 2\), got x \[5,2\] and alpha \[3\]/,
  );
  refuses(
    () => sp.logsumexp(np.zeros([3]), 0, { keep_dims: true } as never),
    /logsumexp: unknown option "keep_dims": did you mean "keepdims"/,
  );
});

test("np.broadcast_shapes and np.broadcast_arrays broadcast as NumPy, and refuse shapes that do not", async () => {
  assert.deepEqual(np.broadcast_shapes([3, 1], [4], [1, 1, 1]), [1, 3, 4]);
  assert.deepEqual(np.broadcast_shapes(5, [2, 1]), [2, 5]);
  const [a, b] = np.broadcast_arrays(np.array([[1], [2]]), np.array([10, 20, 30]));
  assert.deepEqual(await a!.toArray(), [
    [1, 1, 1],
    [2, 2, 2],
  ]);
  assert.deepEqual(await b!.toArray(), [
    [10, 20, 30],
    [10, 20, 30],
  ]);
  refuses(() => np.broadcast_shapes([3], [4]), /broadcast_shapes: operands could not be broadcast together/);
});
