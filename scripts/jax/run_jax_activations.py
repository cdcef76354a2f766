"""jax.nn's activations, for test/unit/ops/activations.test.ts: values and derivatives.

    /work/venv-jax/bin/python scripts/jax/run_jax_activations.py

Writes test/fixtures/jax/activations.json: each activation on a grid over [-8, 8] with its kinks
and edges (0, ±1, ±3, 6, ±1e-3, ±20), its value and its derivative (vmap of grad), and glu on a
[4, 8] input along both axes with the gradient of a weighted sum.
"""

import json
import os

import jax

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "test", "fixtures", "jax", "activations.json")

GRID = sorted(set(np.linspace(-8, 8, 33).tolist() + [-20, -6, -3, -1, -1e-3, 0, 1e-3, 1, 3, 6, 20]))
x = jnp.asarray(np.asarray(GRID, np.float32))
N = jax.nn
FNS = {
    "relu6": N.relu6,
    "hard_sigmoid": N.hard_sigmoid,
    "hard_silu": N.hard_silu,
    "hard_tanh": N.hard_tanh,
    "selu": N.selu,
    "celu": N.celu,
    "celu_alpha_0.5": lambda v: N.celu(v, 0.5),
    "soft_sign": N.soft_sign,
    "sparse_plus": N.sparse_plus,
    "sparse_sigmoid": N.sparse_sigmoid,
    "squareplus": N.squareplus,
    "squareplus_b_1": lambda v: N.squareplus(v, 1.0),
    "mish": N.mish,
}


def main():
    out = {"grid": np.asarray(x).tolist(), "fns": {}}
    for name, f in FNS.items():
        out["fns"][name] = {
            "value": np.asarray(f(x), np.float64).tolist(),
            "grad": np.asarray(jax.vmap(jax.grad(f))(x), np.float64).tolist(),
        }
    g_in = jnp.asarray(np.sin(np.arange(32, dtype=np.float32)).reshape(4, 8) * 3)
    glu = {"input": np.asarray(g_in).tolist()}
    for axis in (-1, 0):
        if g_in.shape[axis] % 2:
            continue
        f = lambda v: N.glu(v, axis)  # noqa: E731
        y = f(g_in)
        w = jnp.cos(jnp.arange(y.size, dtype=jnp.float32)).reshape(y.shape)
        glu[f"axis{axis}"] = {
            "value": np.asarray(y, np.float64).tolist(),
            "grad": np.asarray(jax.grad(lambda v: jnp.sum(f(v) * w))(g_in), np.float64).tolist(),
        }
    out["glu"] = glu
    with open(OUT, "w") as fh:
        json.dump({"jax": jax.__version__, **out}, fh)
        fh.write("\n")
    print(f"wrote {OUT}: {len(FNS)} activations on {len(GRID)} points, glu along {[k for k in glu if k != 'input']}")


if __name__ == "__main__":
    main()
