#!/usr/bin/env python3
"""jax.lax.ragged_dot: rows of lhs [m, k] in consecutive groups, each group times its own
rhs[g] [k, n]. Cases: uneven groups, an empty group, groups summing to less than m (JAX gives
0 for the rows past them), one group, int32 operands, gradients in lhs and rhs, under vmap over
a batch of lhs (each element's result: JAX 0.10 cannot vmap it), and a mixture-of-experts layer as people write it: a router's top-1 choice, the
tokens sorted by expert, ragged_dot through each expert's weights, a gelu, and the tokens put
back in order, with the gradient of a loss in the experts' weights.

Writes test/fixtures/jax/ragged_dot.json, replayed by test/unit/ops/raggedDot.test.ts on CPU and
WebGPU, eager and under jit (through surface2Expected.ts's fixtureCases).
Run:  $JAX_PYTHON scripts/jax/run_jax_ragged_dot.py   (~3 s)
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import jax  # noqa: E402

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from jax import lax  # noqa: E402

from fixture_json import Cases  # noqa: E402

case = Cases()
rng = np.random.default_rng(5)
f32 = lambda *s: rng.standard_normal(s).astype(np.float32)  # noqa: E731
i32 = lambda v: np.asarray(v, np.int32)  # noqa: E731

lhs, rhs = f32(10, 6), f32(4, 6, 3)
for name, sizes in [("uneven", [3, 1, 4, 2]), ("empty_group", [4, 0, 3, 3]), ("short", [2, 3, 1, 1]), ("one_group", [0, 10, 0, 0])]:
    case(f"ragged_{name}", [lhs, rhs, i32(sizes)], lax.ragged_dot(lhs, rhs, i32(sizes)))
sizes = i32([3, 1, 4, 2])
w = f32(10, 3)
loss = lambda a, b: jnp.sum(jnp.tanh(lax.ragged_dot(a, b, sizes)) * w)  # noqa: E731
case("ragged_grad", [lhs, rhs, sizes, w], jax.grad(loss, (0, 1))(lhs, rhs))
short = i32([2, 3, 1, 1])
case("ragged_grad_short", [lhs, rhs, short, w], jax.grad(lambda a, b: jnp.sum(lax.ragged_dot(a, b, short) * w), (0, 1))(lhs, rhs))
ints_l = i32(rng.integers(-3, 4, (5, 4)))
ints_r = i32(rng.integers(-3, 4, (2, 4, 3)))
case("ragged_int32", [ints_l, ints_r, i32([2, 3])], lax.ragged_dot(ints_l, ints_r, i32([2, 3])))
batch = f32(3, 10, 6)
# JAX 0.10 cannot vmap ragged_dot over lhs alone ("NYI"): the expected value is each element's.
case("ragged_vmap", [batch, rhs, sizes], jnp.stack([lax.ragged_dot(a, rhs, sizes) for a in batch]))

# A mixture-of-experts layer: 16 tokens of width 8, 4 experts of hidden width 12, top-1 routing.
tokens, router, w_in, w_out = f32(16, 8), f32(8, 4), f32(4, 8, 12) * 0.3, f32(4, 12, 8) * 0.3


def moe(tokens, router, w_in, w_out):
    expert = jnp.argmax(tokens @ router, axis=-1)
    order = jnp.argsort(expert, stable=True)
    group_sizes = jnp.bincount(expert, length=4).astype(jnp.int32)
    x = tokens[order]
    h = jax.nn.gelu(lax.ragged_dot(x, w_in, group_sizes), approximate=False)
    y = lax.ragged_dot(h, w_out, group_sizes)
    return jnp.zeros_like(y).at[order].set(y)


case("moe_forward", [tokens, router, w_in, w_out], moe(tokens, router, w_in, w_out))
target = f32(16, 8)
case(
    "moe_grad",
    [tokens, router, w_in, w_out, target],
    jax.grad(lambda a, b: jnp.mean((moe(tokens, router, a, b) - target) ** 2), (0, 1))(w_in, w_out),
)
case.write("ragged_dot")
