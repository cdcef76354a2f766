"""Runs the loop cases of the differential suite in JAX and writes their expected results.

    python3 scripts/jax/run_jax_loops.py      (see README.md; JAX in a virtual environment)

Each case is a small program over lax.scan / fori_loop / while_loop / cond / switch / map /
associative_scan, alone or under jvp, grad, vmap and jvp-of-grad. The same cases are written
with our API in test/unit/jax/jaxLoops.test.ts, which replays them against this file. Inputs come
from run_jax.py's generator (the LCG of test/unit/jax/dsl.ts); every case runs under jax.jit in
float32 and in float64 on the same float32 values, and test/fixtures/jax/loops.json keeps the
float64 results with, per element, how far JAX's own float32 run landed from them.
"""

import json
import os
import sys

import jax

from run_jax import FIXTURES, describe, g2, g9, make_input  # also enables float64, CPU only

import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from jax import lax  # noqa: E402


def f(shape, seed, lo=-2.0):
    return {"shape": shape, "dtype": "float32", "seed": seed, "lo": lo}


def i(seed, lo, span):
    return {"shape": [], "dtype": "int32", "seed": seed, "lo": lo, "span": span}


def rnn(w, xs, h0, reverse=False):
    def step(h, x):
        h2 = jnp.tanh(h @ (w * 0.25) + x)
        return h2, jnp.sum(h2 * h2)

    return lax.scan(step, h0, xs, reverse=reverse)


def rnn_loss(w, xs, h0):
    h, ys = rnn(w, xs, h0)
    return jnp.sum(ys) + jnp.sum(h)


def pytree_scan(xs, h0):
    def step(c, x):
        h, n = c
        h2 = jnp.sin(h * x["a"] + x["b"])
        return (h2, n + 1), {"s": jnp.sum(h2), "h": h2 * 2}

    (h, n), ys = lax.scan(step, (h0, jnp.int32(0)), {"a": xs * 0.5, "b": jnp.cos(xs)})
    return h, n, ys["s"], ys["h"]


def fori_body(i, c):
    v, u = c
    return jnp.sin(v * 0.9 + i.astype(v.dtype) * 0.3), u + v


def fori_static(v0):
    return fori_loop_pair(0, 9, v0)


def fori_loop_pair(lo, hi, v0):
    v, u = lax.fori_loop(lo, hi, fori_body, (v0, jnp.zeros_like(v0)))
    return v, u


def grow(z0):
    def cond(c):
        return c[0] < 20.0

    def body(c):
        z, k = c
        return z * 1.5 + 0.5, k + 1

    return lax.while_loop(cond, body, (jnp.abs(z0) + 0.1, jnp.int32(0)))


def branches(x, p, k):
    c = lax.cond(jnp.sum(p) > 0, lambda a: jnp.exp(a * 0.5), lambda a: jnp.sin(a), x)
    s = lax.switch(k, [lambda a: a * a, lambda a: jnp.tanh(a), lambda a: a * 3.0], x)
    return c, s


def matmul_prefix(m):
    return lax.associative_scan(jnp.matmul, m * 0.5)


CASES = {
    "scan_rnn": ([f([4, 4], 1), f([7, 4], 2), f([4], 3)], lambda w, xs, h0: rnn(w, xs, h0)),
    "scan_rnn_reverse": ([f([4, 4], 4), f([7, 4], 5), f([4], 6)], lambda w, xs, h0: rnn(w, xs, h0, True)),
    "scan_pytree_carry": ([f([6, 3], 7), f([3], 8)], pytree_scan),
    "fori_static": ([f([3], 9)], fori_static),
    "fori_traced_bounds": ([f([3], 10), i(11, 2, 4), i(12, 7, 5)], lambda v, lo, hi: fori_loop_pair(lo, hi, v)),
    "while_data_dependent": ([f([], 13)], grow),
    "cond_switch": ([f([5], 14), f([3], 15), i(16, -1, 5)], branches),
    "map": ([f([6, 3], 17)], lambda xs: lax.map(lambda r: jnp.sum(jnp.tanh(r)) * r, xs)),
    "associative_scan_matmul": ([f([7, 2, 2], 18)], matmul_prefix),
    "associative_scan_add_reverse": (
        [f([3, 9], 19)],
        lambda x: lax.associative_scan(jnp.add, x, reverse=True, axis=1),
    ),
    "jvp_scan": (
        [f([4, 4], 20), f([7, 4], 21), f([4], 22), f([4, 4], 23), f([7, 4], 24)],
        lambda w, xs, h0, tw, tx: jax.jvp(lambda a, b: rnn(a, b, h0), (w, xs), (tw, tx)),
    ),
    "jvp_while": ([f([], 25), f([], 26)], lambda z, t: jax.jvp(lambda a: grow(a)[0], (z,), (t,))),
    "jvp_fori": ([f([3], 27), f([3], 28)], lambda v, t: jax.jvp(fori_static, (v,), (t,))),
    "grad_scan": ([f([4, 4], 29), f([7, 4], 30), f([4], 31)], jax.grad(rnn_loss)),
    "hvp_scan": (
        [f([4, 4], 32), f([7, 4], 33), f([4], 34), f([4, 4], 35)],
        lambda w, xs, h0, v: jax.jvp(lambda a: jax.grad(rnn_loss)(a, xs, h0), (w,), (v,))[1],
    ),
    "vmap_scan": (
        [f([4, 4], 36), f([3, 7, 4], 37), f([4], 38)],
        lambda w, xs, h0: jax.vmap(lambda x: rnn(w, x, h0))(xs),
    ),
}


def flat(out):
    return [np.asarray(leaf) for leaf in jax.tree_util.tree_leaves(out)]


def run(case, fdtype):
    specs, fn = CASES[case]
    args = [make_input(s, fdtype) for s in specs]
    return flat(jax.jit(fn)(*args))


def main():
    entries = []
    for case, (specs, _) in CASES.items():
        y64, y32 = run(case, jnp.float64), run(case, jnp.float32)
        outs = []
        for a64, a32 in zip(y64, y32):
            kind = "bool" if a64.dtype == np.bool_ else "int" if np.issubdtype(a64.dtype, np.integer) else "float"
            f64, f32 = a64.astype(np.float64).ravel(), a32.astype(np.float64).ravel()
            assert np.all(np.isfinite(f64)), case
            outs.append(
                {
                    "shape": list(a64.shape),
                    "dtype": kind,
                    "y": [g9(v) for v in f64],
                    "err32": [g2(abs(p - q)) for p, q in zip(f32, f64)],
                }
            )
        entries.append({"id": case, "inputs": specs, "inputCheck": describe({"inputs": specs}), "outputs": outs})
    out = {"generated": "scripts/jax/run_jax_loops.py", "jax": jax.__version__, "cases": entries}
    with open(os.path.join(FIXTURES, "loops.json"), "w") as fh:
        json.dump(out, fh, separators=(",", ":"))
        fh.write("\n")
    print(f"{len(entries)} loop cases with JAX results", file=sys.stderr)


if __name__ == "__main__":
    main()
