#!/usr/bin/env python3
"""Expected values for nn.gelu (both forms, with gradients) and np.linalg.cho_solve.

gelu: jax.nn.gelu(x, approximate=True) (the tanh form, JAX's default) and approximate=False
(x·Φ(x), which JAX computes as 0.5·x·erfc(-x/√2)) over x in [-6, 6] in steps of 0.25, with 0,
-0, large |x| and ±inf / NaN for the values; first derivatives by vmap(grad) on the finite part.
cho_solve: jax.scipy.linalg.cho_solve((c, lower), b) with c from a float32 SPD matrix's
Cholesky factor (lower and upper), junk in the unread triangle, vector, matrix and batched b,
and the gradient of a weighted sum in c and b.

Writes test/fixtures/jax/gelu_cho_solve.json, replayed by test/unit/ops/geluChoSolve.test.ts.
JAX runs in float32 (its default). NaN, ±inf and -0 are strings.
Run:  /tmp/venv/bin/python scripts/jax/run_jax_gelu_cho_solve.py   (any Python with JAX, ~3 s)
"""
import json
import os

import jax
import jax.numpy as jnp
import numpy as np

from fixture_json import enc
from jax.scipy.linalg import cho_solve

f32 = lambda a: np.asarray(a, dtype=np.float32)


cases = {}


def case(name, inputs, out):
    cases[name] = {"inputs": [enc(i) for i in inputs], "expect": enc(out)}


# --- gelu ----------------------------------------------------------------------------------------
grid = f32(np.arange(-24, 25) / 4)  # -6 … 6 in steps of 0.25, 0 included
large = f32([-1000, -100, -30, -10, 10, 30, 100, 1000])
finite = np.concatenate([grid, f32([-0.0, 1e-3, -1e-3]), large])
values = np.concatenate([finite, f32([np.inf, -np.inf, np.nan])])

for approximate in (True, False):
    tag = "tanh" if approximate else "exact"
    g = lambda x, a=approximate: jax.nn.gelu(x, approximate=a)
    case(f"gelu_{tag}", [values], g(values))
    case(f"grad_gelu_{tag}", [finite], jax.vmap(jax.grad(g))(finite))

# --- cho_solve -----------------------------------------------------------------------------------
rng = np.random.default_rng(7)


def spd(n):
    m = f32(rng.standard_normal((n, n)))
    return f32(m @ m.T + n * np.eye(n))


a = spd(4)
low = f32(jnp.linalg.cholesky(a))
up = f32(low.T)
junk = f32(np.triu(rng.standard_normal((4, 4)), 1))  # above the diagonal: never read when lower
low_junk = f32(low + junk)
up_junk = f32(up + junk.T)
bv = f32(rng.standard_normal(4))
bm = f32(rng.standard_normal((4, 2)))
case("cho_lower_vector", [low_junk, bv], cho_solve((low_junk, True), bv))
case("cho_upper_vector", [up_junk, bv], cho_solve((up_junk, False), bv))
case("cho_lower_matrix", [low_junk, bm], cho_solve((low_junk, True), bm))
case("cho_upper_matrix", [up_junk, bm], cho_solve((up_junk, False), bm))
case("cho_solve_a", [a, bm], jnp.linalg.solve(a, bm))

ab = np.stack([spd(3), spd(3)])
lb = f32(jnp.linalg.cholesky(ab))
bb = f32(rng.standard_normal((2, 3, 2)))
case("cho_batch_matrix", [lb, bb], cho_solve((lb, True), bb))
# (A batch of vectors b [2, 3] is deprecated in JAX 0.10 and will become a 2-D solve; we take
# b[..., None] only, so no case here: the test checks the error.)
# One factor, a batch of right-hand sides [3, 4, 2]: batch axes broadcast.
b3 = f32(rng.standard_normal((3, 4, 2)))
case("cho_broadcast_b", [low, b3], cho_solve((low, True), b3))

w = f32(rng.standard_normal((4, 2)))
for lower, c in ((True, low_junk), (False, up_junk)):
    tag = "lower" if lower else "upper"
    loss = lambda c, b, lower=lower: jnp.sum(cho_solve((c, lower), b) * w)
    gc, gb = jax.grad(loss, argnums=(0, 1))(c, bm)
    case(f"grad_cho_{tag}", [c, bm, w], jnp.concatenate([jnp.ravel(gc), jnp.ravel(gb)]))

out = os.path.join(os.path.dirname(__file__), "../../test/fixtures/jax/gelu_cho_solve.json")
with open(out, "w") as fh:
    json.dump({"jax": jax.__version__, "cases": cases}, fh, indent=None, separators=(",", ":"))
    fh.write("\n")
print(f"wrote {len(cases)} cases to {os.path.normpath(out)}")
