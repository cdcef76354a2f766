#!/usr/bin/env python3
"""lax.custom_root and lax.custom_linear_solve with their implicit gradients: a square root by
Newton's method in a while_loop (the root and d/da), a deep-equilibrium fixed point
z = tanh(W z + U x + b) found by iteration to a tolerance (z* and the gradients in W, U, b, with
tangent_solve a dense solve of the linearised map's Jacobian), a linear system solved by a
fixed number of conjugate-gradient steps (x and the gradients in A and b), a block system with a
pytree right-hand side, and has_aux (the solver's iteration count comes back, not differentiated).

Writes test/fixtures/jax/implicit.json, replayed by test/unit/transforms/implicitSolves.test.ts on
CPU and WebGPU, eager and under jit (through surface2Expected.ts's fixtureCases).
Run:  $JAX_PYTHON scripts/jax/run_jax_implicit.py   (~3 s)
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import jax  # noqa: E402

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
from jax import lax  # noqa: E402
import numpy as np  # noqa: E402

from fixture_json import Cases  # noqa: E402

case = Cases()
rng = np.random.default_rng(31)
f32 = lambda a: np.asarray(a, np.float32)  # noqa: E731


def newton_sqrt(a, has_aux=False):
    f = lambda x: x * x - a  # noqa: E731

    def solve(f, x0):
        def body(c):
            x, i = c
            return x - f(x) / (2 * x), i + 1

        def cond(c):
            x, i = c
            return jnp.logical_and(jnp.max(jnp.abs(f(x))) > 1e-6, i < 50)

        x, i = lax.while_loop(cond, body, (x0, 0))
        return (x, i) if has_aux else x

    tangent_solve = lambda g, y: y / g(jnp.ones_like(y))  # noqa: E731
    return lax.custom_root(f, jnp.ones_like(a), solve, tangent_solve, has_aux=has_aux)


a = f32(rng.uniform(0.5, 4.0, size=5))
w5 = f32(rng.normal(size=5))
case("sqrt_root", [a], newton_sqrt(a))
case("sqrt_root_grad", [a, w5], jax.grad(lambda a: jnp.sum(newton_sqrt(a) * w5))(a))
root, iters = newton_sqrt(a, has_aux=True)
case("sqrt_root_aux", [a], [root, iters])


def deq(W, U, b, x):
    f = lambda z: jnp.tanh(W @ z + U @ x + b) - z  # noqa: E731

    def solve(f, z0):
        def body(c):
            z, _, i = c
            z2 = f(z) + z
            return z2, jnp.max(jnp.abs(z2 - z)), i + 1

        z, _, _ = lax.while_loop(lambda c: jnp.logical_and(c[1] > 1e-7, c[2] < 200), body,
                                 (z0, jnp.float32(1.0), 0))
        return z

    tangent_solve = lambda g, y: jnp.linalg.solve(jax.jacfwd(g)(y), y)  # noqa: E731
    return lax.custom_root(f, jnp.zeros_like(b), solve, tangent_solve)


n, d = 6, 3
W = f32(rng.normal(size=(n, n)) * 0.15)
U = f32(rng.normal(size=(n, d)))
bb = f32(rng.normal(size=n) * 0.1)
xin = f32(rng.normal(size=d))
wn = f32(rng.normal(size=n))
case("deq_fixed_point", [W, U, bb, xin], deq(W, U, bb, xin))
case("deq_grad", [W, U, bb, xin, wn],
     jax.grad(lambda W, U, b: jnp.sum(deq(W, U, b, xin) * wn), argnums=(0, 1, 2))(W, U, bb))


def cg(matvec, b, steps=12):
    def body(_, c):
        x, r, p, rs = c
        Ap = matvec(p)
        alpha = rs / jnp.maximum(jnp.vdot(p, Ap), 1e-30)
        x = x + alpha * p
        r = r - alpha * Ap
        rs2 = jnp.vdot(r, r)
        p = r + (rs2 / jnp.maximum(rs, 1e-30)) * p
        return x, r, p, rs2

    x, _, _, _ = lax.fori_loop(0, steps, body, (jnp.zeros_like(b), b, b, jnp.vdot(b, b)))
    return x


def lin(A, b):
    return lax.custom_linear_solve(lambda x: A @ x, b, cg, symmetric=True)


M = f32(rng.normal(size=(4, 4)))
A = f32(M @ M.T + 4 * np.eye(4))
b4 = f32(rng.normal(size=4))
w4 = f32(rng.normal(size=4))
case("linear_solve", [A, b4], lin(A, b4))
case("linear_solve_grad", [A, b4, w4], jax.grad(lambda A, b: jnp.sum(lin(A, b) * w4), argnums=(0, 1))(A, b4))

A1 = f32(np.diag(rng.uniform(1, 3, size=3)) + 0.1)
A2 = f32(np.diag(rng.uniform(1, 3, size=2)))
b1, b2 = f32(rng.normal(size=3)), f32(rng.normal(size=2))


def block(b1, b2):
    mv = lambda t: (A1 @ t[0], A2 @ t[1])  # noqa: E731
    solve = lambda mv, t: (jnp.linalg.solve(A1, t[0]), jnp.linalg.solve(A2, t[1]))  # noqa: E731
    return lax.custom_linear_solve(mv, (b1, b2), solve, symmetric=True)


case("block_solve", [A1, A2, b1, b2], block(b1, b2))
case("block_solve_grad", [A1, A2, b1, b2],
     jax.grad(lambda b1, b2: jnp.sum(block(b1, b2)[0]) + 2 * jnp.sum(block(b1, b2)[1]), argnums=(0, 1))(b1, b2))
case.write("implicit")
