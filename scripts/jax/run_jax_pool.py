"""Max / min window reductions in JAX: values, gradients and jvps, for the pooling tests.

    /work/venv-jax/bin/python scripts/jax/run_jax_pool.py

Writes test/fixtures/jax/pool.json, replayed by test/unit/ops/poolGrad.test.ts. Inputs are
small integers with many ties (x[i] = (7i + 3) mod 5 - 2), so every value below is exact in
float32 and the tie rule (JAX gives a window's cotangent to its first maximal element, in
row-major window order) decides the gradients. The loss weights each window differently:
loss = sum(pool(x) * (1 + o mod 7)) over the flat output index o. The jvp's tangent is
t[i] = i mod 11 - 5.
"""

import json
import os

import jax

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
from jax import lax  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "test", "fixtures", "jax", "pool.json")

# name, op, shape, window, strides, padding ("VALID" / "SAME" / explicit pairs)
CASES = [
    ("2x2 stride 2 (the CNN's pool)", "max", [2, 6, 6, 3], [1, 2, 2, 1], [1, 2, 2, 1], "VALID"),
    ("3x3 stride 2 SAME, odd sizes", "max", [1, 7, 5, 2], [1, 3, 3, 1], [1, 2, 2, 1], "SAME"),
    ("3x2 window, strides (1, 2), VALID", "max", [2, 5, 7, 1], [1, 3, 2, 1], [1, 1, 2, 1], "VALID"),
    ("2x2 stride 1 SAME (overlapping windows)", "max", [1, 4, 4, 1], [1, 2, 2, 1], [1, 1, 1, 1], "SAME"),
    ("3x3 stride 3, explicit padding", "max", [1, 8, 7, 2], [1, 3, 3, 1], [1, 3, 3, 1], [[0, 0], [1, 2], [0, 1], [0, 0]]),
    ("2x2 window, stride 3 (gaps)", "max", [1, 8, 8, 1], [1, 2, 2, 1], [1, 3, 3, 1], "VALID"),
    ("1-D window 3 stride 2, SAME", "max", [9], [3], [2], "SAME"),
    ("min 2x3 stride (2, 1), SAME", "min", [1, 5, 6, 2], [1, 2, 3, 1], [1, 2, 1, 1], "SAME"),
    ("window 4 stride 1 on an odd row", "max", [3, 7], [1, 4], [1, 1], "VALID"),
]


def size(shape):
    n = 1
    for d in shape:
        n *= d
    return n


def run(case):
    name, op, shape, win, strides, padding = case
    x = (jnp.arange(size(shape)) * 7 + 3) % 5 - 2
    x = x.astype(jnp.float32).reshape(shape)
    t = (jnp.arange(size(shape)) % 11 - 5).astype(jnp.float32).reshape(shape)
    pad = padding if isinstance(padding, str) else [tuple(p) for p in padding]
    if op == "max":
        pool = lambda v: lax.reduce_window(v, -jnp.inf, lax.max, win, strides, pad)  # noqa: E731
    else:
        pool = lambda v: lax.reduce_window(v, jnp.inf, lax.min, win, strides, pad)  # noqa: E731
    y = pool(x)
    w = (1 + jnp.arange(y.size) % 7).astype(jnp.float32).reshape(y.shape)
    loss = lambda v: jnp.sum(pool(v) * w)  # noqa: E731
    g = jax.jit(jax.grad(loss))(x)
    _, ty = jax.jvp(pool, (x,), (t,))
    return {
        "name": name,
        "op": op,
        "shape": shape,
        "window": win,
        "strides": strides,
        "padding": padding,
        "outShape": list(y.shape),
        "value": [float(v) for v in y.reshape(-1)],
        "grad": [float(v) for v in g.reshape(-1)],
        "jvp": [float(v) for v in ty.reshape(-1)],
    }


with open(OUT, "w") as f:
    json.dump({"jax": jax.__version__, "cases": [run(c) for c in CASES]}, f)
    f.write("\n")
print(f"wrote {OUT}")
