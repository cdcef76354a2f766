#!/usr/bin/env python3
"""jnp.einsum with a letter repeated within one operand (a diagonal or a trace): "ii" (trace),
"ii->i", "bii->bi", "iij->j", "iii->i", "ij,jj->i", "ii,i->", "...ii->...i", "jii->ij" (the
diagonal placed before another axis), on int32 too, and the gradient of a weighted diagonal.

Writes test/fixtures/jax/einsum_diagonal.json, replayed by test/unit/ops/einsumDiagonal.test.ts on
CPU and WebGPU, eager and under jit (through surface2Expected.ts's fixtureCases).
Run:  $JAX_PYTHON scripts/jax/run_jax_einsum_diagonal.py   (~2 s)
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


def arr(*shape):
    n = int(np.prod(shape))
    return np.sin(np.arange(n, dtype=np.float64) * 0.7 + 0.3).reshape(shape).astype(np.float32)


sq = arr(4, 4)
case("trace", [sq], jnp.einsum("ii", sq))
case("diag", [sq], jnp.einsum("ii->i", sq))
b = arr(3, 4, 4)
case("batched_diag", [b], jnp.einsum("bii->bi", b))
t = arr(3, 3, 5)
case("diag_then_sum", [t], jnp.einsum("iij->j", t))
cube = arr(3, 3, 3)
case("triple", [cube], jnp.einsum("iii->i", cube))
m = arr(2, 4)
case("with_matrix", [m, sq], jnp.einsum("ij,jj->i", m, sq))
v = arr(4)
case("trace_dot", [sq, v], jnp.einsum("ii,i->", sq, v))
e = arr(2, 3, 4, 4)
case("ellipsis_diag", [e], jnp.einsum("...ii->...i", e))
j = arr(5, 3, 3)
case("diag_before", [j], jnp.einsum("jii->ij", j))
ints = np.arange(16, dtype=np.int32).reshape(4, 4)
case("trace_int", [ints], jnp.einsum("ii", ints))
w = arr(4) + 1
case("grad_diag", [sq, w], jax.grad(lambda x: jnp.sum(jnp.einsum("ii->i", x) * w))(sq))
case.write("einsum_diagonal")
