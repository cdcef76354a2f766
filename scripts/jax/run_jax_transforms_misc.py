#!/usr/bin/env python3
"""jax.linear_transpose, jax.closure_convert and jax.custom_batching.custom_vmap as programs use
them. linear_transpose: of a matmul with a constant matrix, of a two-argument linear map, of a
convolution in its input and in its kernel, and of a linear scan. closure_convert: a fixed-point
solver (Newton's square root) as a custom_vjp taking the function, which closes over a
differentiated value, as JAX's custom-derivatives docs show: the value and its gradients.
custom_vmap: a matrix-vector product whose batching rule is one matmul (vectors batched, and
matrix and vectors batched), under vmap of jvp (the rule's jvp), and sequential_vmap.

Writes test/fixtures/jax/transforms_misc.json, replayed by test/unit/transforms/linearTranspose,
closureConvert and customVmap .test.ts on CPU and WebGPU, eager and under jit (fixtureCases).
Run:  $JAX_PYTHON scripts/jax/run_jax_transforms_misc.py   (~3 s)
"""
import os
import sys
from functools import partial

sys.path.insert(0, os.path.dirname(__file__))

import jax  # noqa: E402

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from jax import lax  # noqa: E402
from jax import custom_batching  # noqa: E402

from fixture_json import Cases  # noqa: E402

case = Cases()
rng = np.random.default_rng(73)
f32 = lambda *s: rng.standard_normal(s).astype(np.float32)  # noqa: E731

# --- linear_transpose
A, ct3 = f32(3, 4), f32(3)
case("lt_matmul", [A, ct3], jax.linear_transpose(lambda x: A @ x, jnp.zeros(4))(ct3)[0])
B, ct2 = f32(3, 2), f32(3)
two = lambda x, y: A @ x - 2.0 * (B @ y)  # noqa: E731
case("lt_two", [A, B, ct2], jax.linear_transpose(two, jnp.zeros(4), jnp.zeros(2))(ct2))
x, w, cty = f32(1, 2, 6, 6), f32(3, 2, 3, 3), f32(1, 3, 6, 6)
conv_x = lambda v: lax.conv(v, w, (1, 1), "SAME")  # noqa: E731
conv_w = lambda k: lax.conv(x, k, (1, 1), "SAME")  # noqa: E731
case("lt_conv_input", [x, w, cty], jax.linear_transpose(conv_x, jnp.zeros(x.shape))(cty)[0])
case("lt_conv_kernel", [x, w, cty], jax.linear_transpose(conv_w, jnp.zeros(w.shape))(cty)[0])
ct4 = f32(4)
scan_f = lambda xs: lax.scan(lambda c, xi: (0.5 * c + xi, c), jnp.zeros(()), xs)[1]  # noqa: E731
case("lt_scan", [ct4], jax.linear_transpose(scan_f, jnp.zeros(4))(ct4)[0])


# --- closure_convert in a custom_vjp fixed-point solver (JAX's custom-derivatives docs)
@partial(jax.custom_vjp, nondiff_argnums=(0,))
def _fixed_point(f, a, x_guess, *consts):
    def cond(carry):
        x_prev, x = carry
        return jnp.max(jnp.abs(x_prev - x)) > 1e-6

    def body(carry):
        _, x = carry
        return x, f(a, x, *consts)

    return lax.while_loop(cond, body, (x_guess, f(a, x_guess, *consts)))[1]


def _fp_fwd(f, a, x_guess, *consts):
    x_star = _fixed_point(f, a, x_guess, *consts)
    return x_star, (a, x_star, consts)


def _fp_bwd(f, res, x_bar):
    a, x_star, consts = res
    _, vjp_x = jax.vjp(lambda x: f(a, x, *consts), x_star)
    u = _fixed_point(lambda _, v: x_bar + vjp_x(v)[0], a, x_bar)
    _, vjp_ac = jax.vjp(lambda a2, *c: f(a2, x_star, *c), a, *consts)
    a_bar, *c_bars = vjp_ac(u)
    return (a_bar, jnp.zeros_like(x_star), *c_bars)


_fixed_point.defvjp(_fp_fwd, _fp_bwd)


def fixed_point(f, a, x0):
    converted, consts = jax.closure_convert(f, a, x0)
    return _fixed_point(converted, a, x0, *consts)


def root(w, a):  # sqrt(w * a) by Newton's iteration; w is closed over
    return fixed_point(lambda a2, x: 0.5 * (x + w * a2 / x), a, a)


wv, av = np.float32([2.0, 0.5, 3.0]), np.float32([8.0, 2.0, 1.5])
case("cc_root", [wv, av], root(wv, av))
case("cc_root_grad", [wv, av], jax.grad(lambda w, a: jnp.sum(root(w, a) * jnp.arange(1.0, 4.0)), (0, 1))(wv, av))


# --- custom_vmap: a matrix-vector product batched as one matmul
@custom_batching.custom_vmap
def matvec(m, v):
    return jnp.sum(m * v[None, :], axis=1)


@matvec.def_vmap
def _matvec_rule(axis_size, in_batched, m, v):
    m_b, v_b = in_batched
    if m_b and v_b:
        return jnp.einsum("bij,bj->bi", m, v), True
    if v_b:
        return v @ m.T, True
    return jnp.einsum("bij,j->bi", m, v), True


M, V, Ms = f32(4, 3), f32(5, 3), f32(5, 4, 3)
case("cv_vectors", [M, V], jax.vmap(matvec, (None, 0))(M, V))
case("cv_both", [Ms, V], jax.vmap(matvec)(Ms, V))
case("cv_matrices", [Ms, V], jax.vmap(matvec, (0, None))(Ms, V[0]))
Vn = f32(2, 5, 3)
case("cv_nested", [M, Vn], jax.vmap(jax.vmap(matvec, (None, 0)), (None, 0))(M, Vn))
T = f32(5, 3)
case("cv_vmap_jvp", [M, V, T], jax.vmap(lambda v, t: jax.jvp(lambda u: matvec(M, u), (v,), (t,)))(V, T))
seq = custom_batching.sequential_vmap(lambda m, v: jnp.tanh(m @ v))
case("cv_sequential", [M, V], jax.vmap(seq, (None, 0))(M, V))

case.write("transforms_misc")
