#!/usr/bin/env python3
"""jax.debug.print inside loops, the lines JAX prints: a scan whose body prints and runs an inner
scan that prints (iteration by iteration, in program order); a reverse scan under vmap (per
iteration, one line per batch element); grad through a scan (the primal values, once); a
fori_loop whose body's cond prints in the taken branch; lax.map; a vmap inside a scan body; and
the same nested scan run eagerly. Each under jit unless named eager.

Writes test/fixtures/jax/debug_print_loops.json, read by test/unit/transforms/debugPrintLoops.test.ts.
Run:  $JAX_PYTHON scripts/jax/run_jax_debug_print_loops.py   (~2 s)
"""
import contextlib
import io
import json
import os

import jax

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
from jax import lax  # noqa: E402


def nested(x):
    jax.debug.print("before {}", jnp.sum(x))

    def body(c, xi):
        jax.debug.print("it c={c} x={x}", c=c, x=xi)

        def inner(d, _):
            jax.debug.print("  inner d={}", d)
            return d + 1, None

        c2, _ = lax.scan(inner, c, None, length=2)
        return c2 + xi, c * 2

    c, ys = lax.scan(body, 0.0, x)
    jax.debug.print("after {}", c)
    return ys


def reverse_vmap(x):
    def body(c, xi):
        jax.debug.print("r c={} x={}", c, xi)
        return c + xi, None

    return lax.scan(body, 0.0, x, reverse=True)[0]


def grad_scan(x):
    def body(c, xi):
        jax.debug.print("g c={}", c)
        return c * xi, None

    return lax.scan(body, 1.0, x)[0]


def fori_cond(x):
    def body(i, v):
        def taken(v):
            jax.debug.print("taken i={}", i)
            return v + 1

        return lax.cond(i > 0, taken, lambda v: v, v)

    return lax.fori_loop(0, 3, body, x)


def mapped(xs):
    def row(r):
        jax.debug.print("row {}", r)
        return jnp.sum(r)

    return lax.map(row, xs)


def vmap_in_body(xs):
    def body(c, r):
        def el(e):
            jax.debug.print("el {} c={}", e, c)
            return e * c

        return c + 1, jax.vmap(el)(r)

    return lax.scan(body, 1.0, xs)


runs = {
    "nested": lambda: jax.jit(nested)(jnp.array([1.0, 2.0, 3.0])),
    "reverse_vmap": lambda: jax.jit(jax.vmap(reverse_vmap))(jnp.array([[1.0, 2.0], [10.0, 20.0]])),
    "grad_scan": lambda: jax.jit(jax.grad(grad_scan))(jnp.array([2.0, 3.0])),
    "fori_cond": lambda: jax.jit(fori_cond)(jnp.array(0.0)),
    "map": lambda: jax.jit(mapped)(jnp.array([[1.0, 2.0], [3.0, 4.0]])),
    "vmap_in_body": lambda: jax.jit(vmap_in_body)(jnp.array([[1.0, 2.0], [3.0, 4.0]])),
    "nested_eager": lambda: nested(jnp.array([1.0, 2.0, 3.0])),
}
out = {"jax": jax.__version__, "lines": {}, "results": {}}
for name, run in runs.items():
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        result = run()
        jax.block_until_ready(result)
        jax.effects_barrier()
    out["lines"][name] = buf.getvalue().splitlines()
    leaves = jax.tree_util.tree_leaves(result)
    out["results"][name] = [jnp.asarray(leaf).tolist() for leaf in leaves]
path = os.path.join(os.path.dirname(__file__), "../../test/fixtures/jax/debug_print_loops.json")
with open(path, "w") as fh:
    json.dump(out, fh, indent=1)
    fh.write("\n")
print(f"wrote {os.path.normpath(path)}")
