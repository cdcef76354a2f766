#!/usr/bin/env python3
"""jax.custom_gradient: a function returning (value, vjp), its vjp used by reverse mode.
Cases: JAX's docs example (x**2 whose gradient reads g*x), a backward pass that clips the
cotangent, a numerically stable log(1 + e^x) whose vjp is the sigmoid, two arguments with a
dict, under jit, vmap(grad) and grad(vmap) (the vjp's closed-over values batched), grad of grad
(the vjp differentiated), a Python-unrolled loop of calls, and a function whose value and vjp
both read a computed intermediate.

Writes test/fixtures/jax/custom_gradient.json, replayed by
test/unit/transforms/customGradient.test.ts (each case written again with our API) on CPU and
WebGPU, eager and under jit.
Run:  $JAX_PYTHON scripts/jax/run_jax_custom_gradient.py   (~3 s)
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


@jax.custom_gradient
def square_half_grad(x):
    return x**2, lambda g: (g * x,)


@jax.custom_gradient
def clip_backward(x):
    return 3.0 * jnp.sin(x), lambda g: (jnp.clip(g, -0.5, 0.5) * 3.0 * jnp.cos(x),)


@jax.custom_gradient
def log1pexp(x):
    e = jnp.exp(-jnp.abs(x))
    value = jnp.maximum(x, 0.0) + jnp.log1p(e)
    sig = jnp.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return value, lambda g: (g * sig,)


@jax.custom_gradient
def weighted(p, x):
    s = jnp.tanh(p["w"] * x + p["b"])
    return jnp.sum(s), lambda g: ({"w": g * (1 - s**2) * x, "b": g * (1 - s**2)}, g * (1 - s**2) * p["w"])


x = np.asarray([-3.0, -0.5, 0.0, 0.7, 2.0, 25.0], np.float32)
case("square_value", [x], square_half_grad(x))
case("square_grad", [x], jax.grad(lambda v: jnp.sum(square_half_grad(v)))(x))
case("square_grad_jit", [x], jax.jit(jax.grad(lambda v: jnp.sum(square_half_grad(v))))(x))
case("square_grad_grad", [x], jax.vmap(jax.grad(jax.grad(square_half_grad)))(x))
case("clip_grad", [x], jax.grad(lambda v: jnp.sum(clip_backward(v) * jnp.arange(1.0, 7.0)))(x))
case("clip_vmap_grad", [x], jax.vmap(jax.grad(lambda v: clip_backward(v) * 2.0))(x))
case("clip_grad_vmap", [x], jax.grad(lambda v: jnp.sum(jax.vmap(clip_backward)(v) * 2.0))(x))
case("log1pexp_value", [x], log1pexp(x))
case("log1pexp_grad", [x], jax.grad(lambda v: jnp.sum(log1pexp(v)))(x))
w = np.asarray([0.5, -1.0, 2.0], np.float32)
b = np.asarray([0.1, 0.2, -0.3], np.float32)
xs = np.asarray([1.0, 0.5, -0.25], np.float32)
gw, gx = jax.grad(lambda p, v: weighted(p, v) ** 2, (0, 1))({"w": w, "b": b}, xs)
case("weighted_grad", [w, b, xs], [gw["w"], gw["b"], gx])


def unrolled(v):
    s = 0.0
    for k in range(3):
        s = s + jnp.sum(clip_backward(v * (k + 1)))
    return s


case("unrolled_grad", [x], jax.jit(jax.grad(unrolled))(x))
case.write("custom_gradient")
