#!/usr/bin/env python3
"""jax.experimental.ode.odeint and its adjoint gradients: Lotka–Volterra with its four rates as a
dict of args (the solution at 6 times, and the gradient of a loss on it in the rates, in y0 and in
the times), a pendulum with a state given as a tuple (q, p), and a small tanh network's vector
field (a neural ODE) with its weight gradients. Solved at rtol = atol = 1e-7 in float64, so the
values are the true solution to ~1e-7: the runtime's float32 solver (another step sequence, no
interpolation) is compared at a looser tolerance.

Writes test/fixtures/jax/odeint.json, replayed by test/unit/transforms/odeint.test.ts on CPU and
WebGPU, eager and under jit (through surface2Expected.ts's fixtureCases).
Run:  $JAX_PYTHON scripts/jax/run_jax_odeint.py   (~5 s)
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import jax  # noqa: E402

jax.config.update("jax_platforms", "cpu")
jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402
from jax.experimental.ode import odeint  # noqa: E402
import numpy as np  # noqa: E402

from fixture_json import Cases  # noqa: E402

case = Cases()
tol = dict(rtol=1e-7, atol=1e-7)
f32 = lambda a: np.asarray(a, np.float32)  # noqa: E731


def lotka(y, t, p):
    x, z = y[0], y[1]
    return jnp.stack([p["a"] * x - p["b"] * x * z, p["d"] * x * z - p["c"] * z])


rates = {"a": 1.1, "b": 0.4, "c": 0.4, "d": 0.1}
y0 = f32([10.0, 5.0])
ts = f32(np.linspace(0, 3, 6))
w = f32(np.random.default_rng(2).normal(size=(6, 2)))
r = [f32(rates[k]) for k in "abcd"]


def lv_loss(y0, ts, a, b, c, d):
    ys = odeint(lotka, y0, ts, {"a": a, "b": b, "c": c, "d": d}, **tol)
    return jnp.sum(ys * w)


case("lotka_volterra", [y0, ts, *r], odeint(lotka, y0, ts, dict(zip("abcd", r)), **tol))
case("lotka_volterra_grad", [y0, ts, *r, w], jax.grad(lv_loss, argnums=(0, 1, 2, 3, 4, 5))(y0, ts, *r))


def pendulum(state, t, g):
    q, p = state
    return (p, -g * jnp.sin(q))


q0, p0, g0 = f32(1.2), f32(0.0), f32(9.81)
tp = f32([0.0, 0.4, 0.9, 1.5])
qs, ps = odeint(pendulum, (q0, p0), tp, g0, **tol)
case("pendulum_tuple", [q0, p0, tp, g0], [qs, ps])
case("pendulum_grad_g", [q0, p0, tp, g0],
     jax.grad(lambda g: jnp.sum(odeint(pendulum, (q0, p0), tp, g, **tol)[0] ** 2))(g0))

rng = np.random.default_rng(5)
W1, b1 = f32(rng.normal(size=(2, 8)) * 0.5), f32(np.zeros(8))
W2 = f32(rng.normal(size=(8, 2)) * 0.5)
z0 = f32([0.5, -0.3])
tn = f32([0.0, 0.5, 1.0])


def field(z, t, W1, b1, W2):
    return jnp.tanh(z @ W1 + b1) @ W2


def node_loss(W1, b1, W2):
    return jnp.sum(odeint(field, z0, tn, W1, b1, W2, **tol)[-1] ** 2)


case("neural_ode", [z0, tn, W1, b1, W2], odeint(field, z0, tn, W1, b1, W2, **tol))
case("neural_ode_grad", [z0, tn, W1, b1, W2], jax.grad(node_loss, argnums=(0, 1, 2))(W1, b1, W2))
case.write("odeint")
