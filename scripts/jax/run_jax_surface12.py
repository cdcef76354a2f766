#!/usr/bin/env python3
"""The twelfth API batch: jax.scipy.special's functions built on log-gamma (`gamma gammasgn beta
betaln factorial poch comb loggamma multigammaln`: poles, negative arguments, −0, repetition),
`rel_entr kl_div boxcox boxcox1p` (the zero cases and λ = 0), with gradients; `jax.nn.tanh
log1mexp logmeanexp` (both sides of log 2, `where`, keepdims); and lax's `split tile stack
unstack broadcast_to_rank broadcast_like reduce_xor reduce_precision empty axis_size` and the
`bitwise_*` names (reduce_precision at bfloat16, float16 and a 4-bit-exponent format, with
overflow, underflow, ties and NaN); and `betainc` (both sides of its split, the edges, the
x-gradient) with `scipy.stats.beta`'s cdf family.

Writes test/fixtures/jax/surface12.json, replayed by test/unit/ops/surface12.test.ts on CPU and
WebGPU, eager and under jit (through surface2Expected.ts's fixtureCases).
Run:  $JAX_PYTHON scripts/jax/run_jax_surface12.py   (~3 s)
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import jax  # noqa: E402

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
import jax.scipy.special as jss  # noqa: E402
import numpy as np  # noqa: E402
from jax import lax  # noqa: E402

from fixture_json import Cases  # noqa: E402

case = Cases()
g = np.array([-3.5, -2.0, -1.5, -0.5, -0.0, 0.0, 0.25, 1.0, 2.5, 5.0, 10.0, 30.0], np.float32)
case("gamma", [g], jss.gamma(g))
case("gammasgn", [g], jss.gammasgn(g))
case("loggamma", [g], jss.loggamma(g))
a = np.array([0.5, 1.0, 2.5, -1.5, 7.0], np.float32)
b = np.array([0.5, 3.0, 1.5, 2.25, 0.1], np.float32)
case("beta", [a, b], jss.beta(a, b))
case("betaln", [a, b], jss.betaln(a, b))
n = np.array([-1.0, 0.0, 1.0, 4.0, 5.5, 12.0], np.float32)
case("factorial", [n], jss.factorial(n))
z = np.array([1.0, 2.5, 3.0, 0.5, 4.0], np.float32)
m = np.array([0.0, 1.0, 2.0, 3.5, -1.0], np.float32)
case("poch", [z, m], jss.poch(z, m))
N = np.array([5.0, 10.0, 3.0, 4.0, -1.0, 6.0], np.float32)
K = np.array([2.0, 3.0, 5.0, 0.0, 1.0, 2.5], np.float32)
case("comb", [N, K], jss.comb(N, K))
case("comb_rep", [N, K], jss.comb(N, K, repetition=True))
mg = np.array([2.0, 3.5, 10.0], np.float32)
case("multigammaln_3", [mg], jss.multigammaln(mg, 3))
p = np.array([0.0, 0.0, 0.5, 0.2, 1.0, -0.1, 0.3], np.float32)
q = np.array([0.0, 0.4, 0.25, 0.0, 3.0, 0.5, -0.2], np.float32)
case("rel_entr", [p, q], jss.rel_entr(p, q))
case("kl_div", [p, q], jss.kl_div(p, q))
bx = np.array([0.5, 1.0, 2.0, 7.5], np.float32)
bl = np.array([0.0, 0.5, -1.0, 2.0], np.float32)
case("boxcox", [bx, bl], jss.boxcox(bx, bl))
case("boxcox1p", [np.array([1e-4, 0.5, 2.0, -0.5], np.float32), bl],
     jss.boxcox1p(np.array([1e-4, 0.5, 2.0, -0.5], np.float32), bl))
case("grad_gamma", [np.array([0.7, 2.5, -1.5], np.float32)],
     jax.vmap(jax.grad(jss.gamma))(np.array([0.7, 2.5, -1.5], np.float32)))
case("grad_poch", [z[:4], m[:4]], jax.grad(lambda u, v: jnp.sum(jss.poch(u, v)), argnums=(0, 1))(z[:4], m[:4]))
case("grad_beta", [a[:3], b[:3]], jax.grad(lambda u, v: jnp.sum(jss.beta(u, v)), argnums=(0, 1))(a[:3], b[:3]))
case("grad_kl_div", [np.array([0.5, 0.2], np.float32), np.array([0.25, 0.7], np.float32)],
     jax.grad(lambda u, v: jnp.sum(jss.kl_div(u, v)), argnums=(0, 1))(
         np.array([0.5, 0.2], np.float32), np.array([0.25, 0.7], np.float32)))

lx = np.array([1e-6, 0.1, 0.6931, 0.7, 2.0, 20.0, 100.0], np.float32)
case("log1mexp", [lx], jax.nn.log1mexp(lx))
case("grad_log1mexp", [lx[1:]], jax.vmap(jax.grad(jax.nn.log1mexp))(lx[1:]))
case("nn_tanh", [g], jax.nn.tanh(g))
lm = np.array([[1.0, 2.0, -1.0, 100.0], [-50.0, 0.5, 0.5, 3.0]], np.float32)
case("logmeanexp_all", [lm], jax.nn.logmeanexp(lm))
case("logmeanexp_axis", [lm], jax.nn.logmeanexp(lm, axis=1))
mask = np.array([[True, True, False, False], [True, False, True, True]])
case("logmeanexp_where", [lm, mask], jax.nn.logmeanexp(lm, axis=-1, where=mask, keepdims=True))

s = np.arange(24, dtype=np.float32).reshape(4, 6)
case("split", [s], lax.split(s, (1, 3, 2), axis=1))
case("tile", [s[:2, :3]], lax.tile(s[:2, :3], (2, 1)))
case("stack", [s[0], s[1]], lax.stack([s[0], s[1]], axis=1))
case("unstack", [s], lax.unstack(s, axis=0))
case("broadcast_to_rank", [s[0]], lax.broadcast_to_rank(s[0], 3))
case("broadcast_like", [s[0], s], lax.broadcast_like(s[0], s))
xi = np.array([[5, -3, 12, 7, 0], [-1, 2, 2, 9, 1 << 30], [3, 3, 3, 3, 3]], np.int32)
case("reduce_xor_rows", [xi], lax.reduce_xor(xi, (1,)))
case("reduce_xor_all", [xi], lax.reduce_xor(xi, (0, 1)))
case("reduce_xor_cols", [xi], lax.reduce_xor(xi, (0,)))
xb = np.array([[True, False, True], [True, True, True]])
case("reduce_xor_bool", [xb], lax.reduce_xor(xb, (1,)))
case("bitwise_and", [xi[0], xi[1]], lax.bitwise_and(xi[0], xi[1]))
case("bitwise_not", [xi[0]], lax.bitwise_not(xi[0]))
rp = np.array([1.0, 1.00390625, 1.0078125, 1.01171875, 3.14159265, -2.718281828, 65504.0, 65520.0, 1e5,
               6e-5, 6e-8, 1e-40, 3.4e38, -3.4e38, np.inf, -np.inf, np.nan, -0.0, 0.1], np.float32)
case("reduce_precision_bf16", [rp], lax.reduce_precision(rp, 8, 7))
case("reduce_precision_f16", [rp], lax.reduce_precision(rp, 5, 10))
case("reduce_precision_e4m3", [rp], lax.reduce_precision(rp, 4, 3))
case("reduce_precision_m0", [rp], lax.reduce_precision(rp, 8, 0))
case("grad_reduce_precision", [rp[:6]],
     jax.grad(lambda v: jnp.sum(lax.reduce_precision(v, 5, 10) * v))(rp[:6]))
case("empty", [], lax.empty((2, 3), jnp.float32))
case("axis_size", [np.zeros((3, 2), np.float32)],
     jax.vmap(lambda r: r * lax.axis_size("i"), axis_name="i")(np.ones((3, 2), np.float32)))

# The regularized incomplete beta function: both sides of (a + 1)/(a + b + 2), tiny and large
# parameters, the edges (x at 0 and 1, a or b zero or infinite, outside the domain, NaN), its
# x-gradient, and scipy.stats.beta's cdf family on it.
ba = np.array([0.5, 1.0, 2.0, 5.0, 0.1, 30.0, 2.0, 1e-3, 3.0, 200.0], np.float32)
bb = np.array([0.5, 3.0, 2.0, 1.5, 0.1, 40.0, 8.0, 2.0, 0.05, 300.0], np.float32)
bx = np.array([0.3, 0.2, 0.5, 0.9, 0.7, 0.45, 0.99, 0.5, 0.1, 0.4], np.float32)
case("betainc", [ba, bb, bx], jss.betainc(ba, bb, bx))
ea = np.array([1.0, 1.0, 0.0, 2.0, 0.0, np.inf, -1.0, 2.0, 2.0, np.nan, 0.0, 2.0], np.float32)
eb = np.array([1.0, 2.0, 3.0, 0.0, 0.0, 2.0, 2.0, 3.0, 3.0, 1.0, 2.0, np.inf], np.float32)
ex = np.array([0.0, 1.0, 0.4, 0.4, 0.4, 0.3, 0.5, 1.5, -0.1, 0.5, 0.0, 0.7], np.float32)
case("betainc_edges", [ea, eb, ex], jss.betainc(ea, eb, ex))
case("grad_betainc_x", [ba[:8], bb[:8], bx[:8]],
     jax.grad(lambda v: jnp.sum(jss.betainc(ba[:8], bb[:8], v)))(bx[:8]))
sx = np.array([-0.5, 0.0, 0.25, 0.5, 0.75, 1.0, 2.0], np.float32)
case("beta_cdf", [sx], jax.scipy.stats.beta.cdf(sx, 2.0, 3.0))
case("beta_sf", [sx], jax.scipy.stats.beta.sf(sx, 2.0, 3.0))
case("beta_logcdf", [sx[2:5]], jax.scipy.stats.beta.logcdf(sx[2:5], 0.5, 4.0))
case("beta_logsf_loc", [sx], jax.scipy.stats.beta.logsf(sx, 2.0, 1.5, -1.0, 3.0))

case.write("surface12")
