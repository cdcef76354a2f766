#!/usr/bin/env python3
"""jnp's reductions with `where` (a mask broadcast against the array) and `initial`: sum, prod,
mean, var (ddof 0 and 1), std, max and min (with initial), any, all, over all axes, one axis and
with keepdims; a row left out entirely (mean and var give nan, max gives initial); int32; the
gradient of a masked mean and of a masked max; jax.nn.softmax and log_softmax with where, and
their gradients; jax.nn.logsumexp with where (and weights b), and its gradient.

Writes test/fixtures/jax/reduce_where.json, replayed by test/unit/ops/reduceWhere.test.ts on CPU
and WebGPU, eager and under jit (through surface2Expected.ts's fixtureCases).
Run:  $JAX_PYTHON scripts/jax/run_jax_reduce_where.py   (~2 s)
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import jax  # noqa: E402

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

from fixture_json import Cases  # noqa: E402

case = Cases()
x = np.array([[1.5, -2.0, 3.0, 0.5], [4.0, 1.0, -1.0, 2.5], [0.25, 6.0, -3.0, 2.0]], np.float32)
m = np.array([[True, False, True, True], [False, False, False, False], [True, True, False, True]])
col = np.array([True, False, True, True])  # broadcast along rows
xi = np.array([[3, -1, 4], [1, 5, -9]], np.int32)
mi = np.array([[True, True, False], [False, True, True]])

case("sum_all", [x, m], jnp.sum(x, where=m))
case("sum_rows", [x, m], jnp.sum(x, axis=1, where=m))
case("sum_initial_keepdims", [x, m], jnp.sum(x, axis=0, where=m, initial=10.0, keepdims=True))
case("sum_broadcast_mask", [x, col], jnp.sum(x, axis=1, where=col))
case("prod_rows", [x, m], jnp.prod(x, axis=1, where=m))
case("prod_initial", [x, m], jnp.prod(x, axis=0, where=m, initial=2.0))
case("mean_all", [x, m], jnp.mean(x, where=m))
case("mean_rows", [x, m], jnp.mean(x, axis=1, where=m))
case("var_rows", [x, m], jnp.var(x, axis=1, where=m))
case("var_ddof1_cols", [x, m], jnp.var(x, axis=0, ddof=1, where=m))
case("std_rows", [x, m], jnp.std(x, axis=1, where=m))
case("max_rows", [x, m], jnp.max(x, axis=1, where=m, initial=-5.0))
case("min_cols", [x, m], jnp.min(x, axis=0, where=m, initial=0.0))
case("max_initial_only", [x], jnp.max(x, axis=1, initial=3.0))
case("any_rows", [x, m], jnp.any(x > 2, axis=1, where=m))
case("all_rows", [x, m], jnp.all(x > 0, axis=1, where=m))
case("sum_int", [xi, mi], jnp.sum(xi, axis=1, where=mi))
case("max_int", [xi, mi], jnp.max(xi, axis=1, where=mi, initial=-100))
case("mean_int", [xi, mi], jnp.mean(xi, where=mi))
case("grad_mean", [x, m], jax.grad(lambda v: jnp.mean(v, where=m))(x))
case("grad_max", [x, m], jax.grad(lambda v: jnp.sum(jnp.max(v, axis=1, where=m, initial=-5.0)))(x))
# jax.nn.softmax and log_softmax with where: the elements left out come out 0 and -inf.
sx = np.array([[1.0, 2.0, 3.0, 9.0], [0.5, -1.0, 4.0, 2.0]], np.float32)
sm = np.array([[True, True, False, True], [False, True, True, False]])
sw = np.array([[1.0, 2.0, 3.0, 4.0], [-1.0, 0.5, 2.0, 1.0]], np.float32)
case("softmax_where", [sx, sm], jax.nn.softmax(sx, where=sm))
case("log_softmax_where", [sx, sm], jax.nn.log_softmax(sx, where=sm))
case("grad_softmax_where", [sx, sm, sw], jax.grad(lambda v: jnp.sum(jax.nn.softmax(v, where=sm) * sw))(sx))
case("grad_log_softmax_where", [sx, sm, sw],
     jax.grad(lambda v: jnp.sum(jnp.where(sm, jax.nn.log_softmax(v, where=sm), 0) * sw))(sx))
# jax.nn.logsumexp (jax.scipy.special.logsumexp) with where, with weights b beside it, a gradient.
case("logsumexp_where", [sx, sm], jax.nn.logsumexp(sx, axis=1, where=sm))
case("logsumexp_b_where", [sx, sm, sw], jax.nn.logsumexp(sx, axis=1, b=jnp.abs(sw), where=sm, keepdims=True))
case("grad_logsumexp_where", [sx, sm], jax.grad(lambda v: jnp.sum(jax.nn.logsumexp(v, axis=1, where=sm)))(sx))
case.write("reduce_where")
