"""Runs the Jacobian cases (jacfwd, jacrev, hessian) in JAX and writes their expected results.

    python3 scripts/jax/run_jax_jacobians.py      (see README.md; JAX in a virtual environment)

Each case is a realistic use: an MLP layer's Jacobian with respect to its weights, softmax's
Jacobian, argnums lists, pytree inputs and outputs, Hessians of a logistic-regression loss and of
the Rosenbrock function, has_aux, Jacobians through lax.scan and fori_loop, and per-example
Jacobians under vmap. The same cases are written with our API in
test/unit/transforms/jacobians.test.ts, which replays them against this file. Inputs come from
run_jax.py's generator (the LCG of test/unit/jax/dsl.ts); every case runs under jax.jit in float32
and in float64 on the same float32 values, and test/fixtures/jax/jacobians.json keeps, per case,
the result's structure (JAX's nesting: output outside, input inside; dict keys sorted), and per
leaf the float64 values with how far JAX's own float32 run landed from them.
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


def mlp_layer(w, b, x):
    return jnp.tanh(x @ (w * 0.5) + b)


def two_args(a, b):
    return jnp.outer(jnp.sin(a), b) + jnp.sum(a * a) * 0.1


def affine_tree(p, x):
    return jnp.tanh(p["w"] @ x + p["b"])


def tree_out(x):
    return {"norm": jnp.sum(x * x), "act": jax.nn.sigmoid(x) * x[0]}


def logreg_loss(w, xs, t):
    z = xs @ w
    return jnp.mean(jax.nn.softplus(z) - jax.nn.sigmoid(t) * z)


def rosenbrock(x):
    return jnp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


def with_aux(x):
    y = jnp.sin(x) * jnp.sum(x)
    return y, {"mean": jnp.mean(y), "twice": x * 2.0}


def scalar_aux(x):
    return jnp.sum(jnp.exp(x * 0.5) * x), jnp.max(x)


def matmul_reduce(a, b):
    return jnp.sum(jnp.tanh(a @ b), axis=0) * jnp.mean(a)


def rnn(w, xs, h0):
    def step(h, x):
        h2 = jnp.tanh(h @ (w * 0.25) + x)
        return h2, jnp.sum(h2 * h2)

    h, ys = lax.scan(step, h0, xs)
    return jnp.concatenate([h, ys])


def rnn_loss(h0, w, xs):
    return jnp.sum(rnn(w, xs, h0) ** 2)


def fori_loss(v):
    u = lax.fori_loop(0, 5, lambda i, u: jnp.sin(u * 0.9 + v * 0.3), v)
    return jnp.sum(u * u)


CASES = {
    "mlp_layer_jacfwd_w": ([f([4, 3], 1), f([3], 2), f([4], 3)], jax.jacfwd(mlp_layer)),
    "mlp_layer_jacrev_w_batch": ([f([4, 3], 4), f([3], 5), f([2, 4], 6)], jax.jacrev(mlp_layer)),
    "softmax_jacrev": ([f([5], 7)], jax.jacrev(jax.nn.softmax)),
    "softmax_jacfwd": ([f([2, 3], 8)], jax.jacfwd(jax.nn.softmax)),
    "two_args_jacrev_argnums_01": ([f([3], 9), f([2], 10)], jax.jacrev(two_args, argnums=(0, 1))),
    "two_args_jacfwd_argnums_10": ([f([3], 11), f([2], 12)], jax.jacfwd(two_args, argnums=(1, 0))),
    "pytree_input_jacrev": (
        [f([2, 3], 13), f([2], 14), f([3], 15)],
        lambda w, b, x: jax.jacrev(affine_tree)({"b": b, "w": w}, x),
    ),
    "pytree_input_jacfwd_argnums_01": (
        [f([2, 3], 16), f([2], 17), f([3], 18)],
        lambda w, b, x: jax.jacfwd(affine_tree, argnums=(0, 1))({"b": b, "w": w}, x),
    ),
    "pytree_output_jacrev": ([f([3], 19)], jax.jacrev(tree_out)),
    "pytree_output_jacfwd": ([f([3], 20)], jax.jacfwd(tree_out)),
    "hessian_logreg": ([f([4], 21, -0.5), f([6, 4], 22), f([6], 23)], jax.hessian(logreg_loss)),
    "hessian_rosenbrock": ([f([5], 24, -1.0)], jax.hessian(rosenbrock)),
    "hessian_argnums_01": (
        [f([3], 25), f([2], 26)],
        jax.hessian(lambda a, b: jnp.sum(jnp.sin(a)) * jnp.sum(b * b) + jnp.sum(a) * b[0], argnums=(0, 1)),
    ),
    "jacrev_has_aux": ([f([3], 27)], jax.jacrev(with_aux, has_aux=True)),
    "jacfwd_has_aux": ([f([3], 28)], jax.jacfwd(with_aux, has_aux=True)),
    "hessian_has_aux": ([f([3], 29)], jax.hessian(scalar_aux, has_aux=True)),
    "matmul_reduce_jacrev_argnums_01": ([f([3, 4], 30), f([4, 2], 31)], jax.jacrev(matmul_reduce, argnums=(0, 1))),
    "matmul_reduce_jacfwd": ([f([3, 4], 32), f([4, 2], 33)], jax.jacfwd(matmul_reduce)),
    "scan_rnn_jacrev_w": ([f([3, 3], 34), f([4, 3], 35), f([3], 36)], jax.jacrev(rnn)),
    "scan_rnn_jacfwd_w": ([f([3, 3], 37), f([4, 3], 38), f([3], 39)], jax.jacfwd(rnn)),
    "scan_rnn_hessian_h0": ([f([3], 40), f([3, 3], 41), f([4, 3], 42)], jax.hessian(rnn_loss)),
    "fori_hessian": ([f([4], 43, -1.0)], jax.hessian(fori_loss)),
    "vmap_jacrev_per_example": (
        [f([4, 3], 44), f([3], 45), f([5, 4], 46)],
        lambda w, b, xs: jax.vmap(lambda x: jax.jacrev(mlp_layer, argnums=2)(w, b, x))(xs),
    ),
    "vmap_hessian_per_example": (
        [f([3, 4], 47, -1.0)],
        jax.vmap(jax.hessian(rosenbrock)),
    ),
}


def structure(tree):
    """The nesting in words: [..] for lists and tuples, {k:..} with keys sorted, [shape] leaves."""
    if isinstance(tree, dict):
        return "{" + ",".join(f"{k}:{structure(tree[k])}" for k in sorted(tree)) + "}"
    if isinstance(tree, (list, tuple)):
        return "(" + ",".join(structure(t) for t in tree) + ")"
    return "<" + ",".join(str(d) for d in np.shape(tree)) + ">"


def run(case, fdtype):
    specs, fn = CASES[case]
    args = [make_input(s, fdtype) for s in specs]
    return jax.jit(fn)(*args)


def main():
    entries = []
    for case, (specs, _) in CASES.items():
        y64, y32 = run(case, jnp.float64), run(case, jnp.float32)
        outs = []
        for a64, a32 in zip(jax.tree_util.tree_leaves(y64), jax.tree_util.tree_leaves(y32)):
            f64 = np.asarray(a64).astype(np.float64).ravel()
            f32 = np.asarray(a32).astype(np.float64).ravel()
            assert np.all(np.isfinite(f64)), case
            outs.append(
                {
                    "shape": list(np.shape(a64)),
                    "y": [g9(v) for v in f64],
                    "err32": [g2(abs(p - q)) for p, q in zip(f32, f64)],
                }
            )
        entries.append(
            {
                "id": case,
                "inputs": specs,
                "inputCheck": describe({"inputs": specs}),
                "structure": structure(y64),
                "outputs": outs,
            }
        )
    out = {"generated": "scripts/jax/run_jax_jacobians.py", "jax": jax.__version__, "cases": entries}
    with open(os.path.join(FIXTURES, "jacobians.json"), "w") as fh:
        json.dump(out, fh, separators=(",", ":"))
        fh.write("\n")
    print(f"{len(entries)} Jacobian cases with JAX results", file=sys.stderr)


if __name__ == "__main__":
    main()
