#!/usr/bin/env python3
"""Expected values for jax.scipy: special (logsumexp with b and return_sign, erf, erfc, erfinv,
gammaln, digamma, betaln, expit, logit, xlogy, xlog1py, entr, ndtr, log_ndtr far into the
tail, ndtri near 0 and 1, softmax) and stats (norm, bernoulli, beta, gamma, expon, laplace,
logistic, uniform, cauchy, t, poisson, multivariate_normal, dirichlet), with their supports'
edges; gradients where models take them (xlogy at x = 0, log_ndtr, ndtri, the log densities in
their parameters).

Writes test/fixtures/jax/scipy.json, replayed by test/unit/ops/scipy.test.ts. JAX in float32.
Run (from scripts/jax):  /work/venv-jax/bin/python run_jax_scipy.py
"""

import jax

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
import jax.scipy.special as sp  # noqa: E402
import jax.scipy.stats as st  # noqa: E402
import numpy as np  # noqa: E402

from fixture_json import Cases  # noqa: E402

f32 = lambda a: np.asarray(a, dtype=np.float32)  # noqa: E731
rng = np.random.default_rng(11)
case = Cases()
grad_each = lambda f: jax.vmap(jax.grad(f))  # noqa: E731

# special
A = f32(rng.normal(size=(3, 5)) * 4)
B = f32(rng.uniform(-1, 2, size=(3, 5)))
B[0, 1] = 0.0
case("logsumexp_axis1", [A], sp.logsumexp(A, axis=1))
case("logsumexp_all_keepdims", [A], sp.logsumexp(A, keepdims=True))
case("logsumexp_b", [A, B], sp.logsumexp(A, axis=1, b=B))
lse, sign = sp.logsumexp(A, axis=0, b=B, return_sign=True)
case("logsumexp_b_sign_value", [A, B], lse)
case("logsumexp_b_sign_sign", [A, B], sign)
case("grad_logsumexp_b", [A, B], jax.grad(lambda a, b: jnp.sum(sp.logsumexp(a, axis=1, b=jnp.abs(b) + 0.1)))(A, B))
X = f32([-3.0, -1.0, -0.25, 0.0, 0.3, 1.0, 2.5])
case("erf", [X], sp.erf(X))
case("erfc", [X], sp.erfc(X))
case("erfinv", [f32([-0.999, -0.5, 0.0, 0.3, 0.9, 0.9999])], sp.erfinv(f32([-0.999, -0.5, 0.0, 0.3, 0.9, 0.9999])))
POS = f32([0.1, 0.5, 1.0, 2.5, 7.0, 30.0])
case("gammaln", [POS], sp.gammaln(POS))
case("digamma", [POS], sp.digamma(POS))
case("betaln", [POS, POS[::-1].copy()], sp.betaln(POS, POS[::-1].copy()))
case("expit", [X], sp.expit(X))
P = f32([1e-6, 0.01, 0.25, 0.5, 0.8, 0.999])
case("logit", [P], sp.logit(P))
XL = f32([0.0, 0.0, 1.0, 2.0, 0.5, 3.0])
YL = f32([0.0, 2.0, 1.0, 0.5, 3.0, 1e-3])
case("xlogy", [XL, YL], sp.xlogy(XL, YL))
case("xlog1py", [XL, YL], sp.xlog1py(XL, YL - 0.5))
YP = f32([0.5, 2.0, 1.0, 0.5, 3.0, 0.25])
case("grad_xlogy_x", [XL, YP], jax.vmap(jax.grad(sp.xlogy, 0))(XL, YP))
case("grad_xlogy_y", [XL, YP], jax.vmap(jax.grad(sp.xlogy, 1))(XL, YP))
case("grad_xlog1py_x", [XL, YP], jax.vmap(jax.grad(sp.xlog1py, 0))(XL, YP))
case("entr", [f32([-1.0, 0.0, 0.2, 1.0, 3.0])], sp.entr(f32([-1.0, 0.0, 0.2, 1.0, 3.0])))
ND = f32([-40.0, -12.0, -9.0, -5.0, -1.5, 0.0, 0.7, 3.0, 5.5, 8.0])
case("ndtr", [ND], sp.ndtr(ND))
case("log_ndtr", [ND], sp.log_ndtr(ND))
case("grad_log_ndtr", [ND], grad_each(sp.log_ndtr)(ND))
Q = f32([1e-30, 1e-10, 1e-5, 0.001, 0.02, 0.3, 0.5, 0.7, 0.98, 0.9999, 0.0, 1.0])
case("ndtri", [Q], sp.ndtri(Q))
QG = f32([1e-10, 1e-5, 0.02, 0.3, 0.7, 0.98])
case("grad_ndtri", [QG], grad_each(sp.ndtri)(QG))
case("softmax", [A], sp.softmax(A, axis=-1))

# stats
XS = f32([-3.0, -0.5, 0.0, 0.4, 1.7, 6.0])
case("norm_logpdf", [XS], st.norm.logpdf(XS, 0.5, 2.0))
case("norm_cdf", [XS], st.norm.cdf(XS, 0.5, 2.0))
case("norm_logcdf", [XS], st.norm.logcdf(XS * 10, 0.5, 2.0))
case("norm_sf", [XS], st.norm.sf(XS, 0.5, 2.0))
case("norm_ppf", [P], st.norm.ppf(P, 0.5, 2.0))
case("grad_norm_logpdf_loc_scale", [XS], jax.grad(lambda m, s: jnp.sum(st.norm.logpdf(XS, m, s)), (0, 1))(0.5, 2.0))
K = f32([-1.0, 0.0, 1.0, 1.0, 0.0, 2.0])
PB = f32([0.3, 0.3, 0.3, 1.0, 1.0, 0.5])
case("bernoulli_logpmf", [K, PB], st.bernoulli.logpmf(K, PB))
case("grad_bernoulli_logpmf_p", [K], jax.grad(lambda p: jnp.sum(st.bernoulli.logpmf(K[1:3], p)))(0.3))
XB = f32([-0.1, 0.0, 0.05, 0.3, 0.7, 0.99, 1.0, 1.2])
case("beta_logpdf", [XB], st.beta.logpdf(XB, 2.5, 1.5))
case("beta_logpdf_loc_scale", [XB], st.beta.logpdf(XB * 3, 2.5, 1.5, -0.5, 3.0))
case("grad_beta_logpdf_ab", [XB], jax.grad(lambda a, b: jnp.sum(st.beta.logpdf(XB[2:6], a, b)), (0, 1))(2.5, 1.5))
XG = f32([-1.0, 0.0, 0.1, 1.0, 3.5, 12.0])
case("gamma_logpdf", [XG], st.gamma.logpdf(XG, 2.2, 0.0, 1.5))
case("grad_gamma_logpdf_a", [XG], jax.grad(lambda a: jnp.sum(st.gamma.logpdf(XG[2:], a, 0.0, 1.5)))(2.2))
case("expon_logpdf", [XG], st.expon.logpdf(XG, 0.05, 2.0))
case("laplace_logpdf", [XS], st.laplace.logpdf(XS, 0.5, 1.5))
case("laplace_cdf", [XS], st.laplace.cdf(XS, 0.5, 1.5))
case("logistic_logpdf", [XS * 30], st.logistic.logpdf(XS * 30, 0.5, 1.5))
case("logistic_cdf", [XS], st.logistic.cdf(XS, 0.5, 1.5))
case("logistic_ppf", [P], st.logistic.ppf(P, 0.5, 1.5))
case("uniform_logpdf", [XS], st.uniform.logpdf(XS, -1.0, 3.0))
case("cauchy_logpdf", [XS], st.cauchy.logpdf(XS, 0.5, 1.5))
case("t_logpdf", [XS], st.t.logpdf(XS, 3.5, 0.5, 1.5))
case("grad_t_logpdf_df", [XS], jax.grad(lambda d: jnp.sum(st.t.logpdf(XS, d, 0.5, 1.5)))(3.5))
KP = f32([-1.0, 0.0, 1.0, 2.5, 3.0, 10.0])
case("poisson_logpmf", [KP], st.poisson.logpmf(KP, 2.5))
MU = f32([0.5, -1.0, 2.0])
L = f32(rng.normal(size=(3, 3)))
COV = f32(L @ L.T + 0.5 * np.eye(3))
XM = f32(rng.normal(size=(2, 4, 3)))
case("mvn_logpdf", [XM, MU, COV], st.multivariate_normal.logpdf(XM, MU, COV))
gm, gc = jax.grad(lambda m, c: jnp.sum(st.multivariate_normal.logpdf(XM, m, c)), (0, 1))(MU, COV)
case("grad_mvn_mean", [XM, MU, COV], gm)
case("grad_mvn_cov", [XM, MU, COV], gc)
ALPHA = f32([1.5, 2.0, 0.7])
XD = f32([[0.2, 0.5, 0.0, 0.3], [0.3, 0.25, 0.6, 0.3], [0.5, 0.25, 0.4, 0.5]])
case("dirichlet_logpdf", [XD, ALPHA], st.dirichlet.logpdf(XD, ALPHA))
case("dirichlet_logpdf_k_minus_1", [XD[:2], ALPHA], st.dirichlet.logpdf(XD[:2], ALPHA))

case.write("scipy")
