"""lax.conv_transpose in JAX: values and the gradients of a weighted sum in lhs and rhs.

    /work/venv-jax/bin/python scripts/jax/run_jax_conv_transpose.py

Writes test/fixtures/jax/conv_transpose.json, replayed by test/unit/ops/convTranspose.test.ts
on CPU and WebGPU, eager and under jit. Inputs come from a closed formula the test repeats:
lhs[i] = ((7i + 3) mod 11 - 5) / 4 and rhs[i] = ((5i + 1) mod 9 - 4) / 8 over the flat index;
the loss weights output element o by (1 + o mod 5) / 4.
"""

import json
import math
import os

import jax

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
from jax import lax  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "test", "fixtures", "jax", "conv_transpose.json")

# name, lhs shape, rhs shape, strides, padding, options
CASES = [
    ("NHWC 3x3 stride 2 SAME (a decoder's upsampling)", [2, 4, 4, 3], [3, 3, 3, 2], [2, 2], "SAME", {}),
    ("NHWC 3x3 stride 2 VALID", [1, 3, 4, 2], [3, 3, 2, 3], [2, 2], "VALID", {}),
    ("NHWC 4x4 stride 2 SAME (kernel larger than stride)", [1, 3, 3, 2], [4, 4, 2, 2], [2, 2], "SAME", {}),
    ("NHWC 2x2 stride 2 VALID (exact doubling)", [2, 3, 2, 4], [2, 2, 4, 1], [2, 2], "VALID", {}),
    ("NHWC stride 1 SAME (a plain conv's shape)", [1, 5, 5, 2], [3, 3, 2, 2], [1, 1], "SAME", {}),
    ("NHWC strides (1, 3), explicit padding", [1, 4, 3, 1], [2, 3, 1, 2], [1, 3], [[1, 0], [2, 1]], {}),
    ("NHWC transpose_kernel (Keras' Conv2DTranspose)", [1, 3, 3, 2], [3, 3, 3, 2], [2, 2], "SAME", {"transpose_kernel": True}),
    ("NHWC rhs_dilation 2", [1, 4, 4, 1], [2, 2, 1, 2], [2, 2], "SAME", {"rhs_dilation": [2, 2]}),
    ("NHC 1-D stride 3 VALID", [2, 5, 2], [3, 2, 3], [3], "VALID", {}),
    ("NCHW / OIHW given as dimension_numbers", [1, 2, 3, 3], [3, 2, 3, 3], [2, 2], "SAME", {"dimension_numbers": ["NCHW", "OIHW", "NCHW"]}),
]


def run(case):
    name, ls, rs, strides, padding, opts = case
    lhs = (((jnp.arange(math.prod(ls)) * 7 + 3) % 11 - 5) / 4).astype(jnp.float32).reshape(ls)
    rhs = (((jnp.arange(math.prod(rs)) * 5 + 1) % 9 - 4) / 8).astype(jnp.float32).reshape(rs)
    pad = padding if isinstance(padding, str) else [tuple(p) for p in padding]
    kw = dict(opts)
    if "dimension_numbers" in kw:
        kw["dimension_numbers"] = tuple(kw["dimension_numbers"])
    f = lambda a, b: lax.conv_transpose(a, b, strides, pad, **kw)  # noqa: E731
    y = jax.jit(f)(lhs, rhs)
    w = ((1 + jnp.arange(y.size) % 5) / 4).astype(jnp.float32).reshape(y.shape)
    gl, gr = jax.jit(jax.grad(lambda a, b: jnp.sum(f(a, b) * w), argnums=(0, 1)))(lhs, rhs)
    return {
        "name": name,
        "lhs_shape": ls,
        "rhs_shape": rs,
        "strides": strides,
        "padding": padding,
        "options": opts,
        "out_shape": list(y.shape),
        "out": [float(v) for v in y.reshape(-1)],
        "grad_lhs": [float(v) for v in gl.reshape(-1)],
        "grad_rhs": [float(v) for v in gr.reshape(-1)],
    }


def main():
    cases = [run(c) for c in CASES]
    with open(OUT, "w") as fh:
        json.dump({"jax": jax.__version__, "cases": cases}, fh)
        fh.write("\n")
    print(f"wrote {OUT}: {len(cases)} cases")


if __name__ == "__main__":
    main()
