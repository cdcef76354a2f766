#!/usr/bin/env python3
"""Expected derivatives at ties of max and min: jnp.maximum / jnp.minimum split a tie's
derivative half and half between their operands (lax.max's balanced rule), so jnp.clip's
derivative at a bound is 0.5; nn.relu's custom rule gives 0 at 0 (also inside relu(relu(x))),
and reductions split a tie evenly among the tied entries.

Writes test/fixtures/jax/ties.json, replayed by test/unit/transforms/extremumTies.test.ts.
Run (from scripts/jax):  /work/venv-jax/bin/python run_jax_ties.py
"""

import jax

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

from fixture_json import Cases  # noqa: E402

f32 = lambda a: np.asarray(a, dtype=np.float32)  # noqa: E731
case = Cases()


X = f32([-1.0, 0.0, 0.0, 2.0, 3.0, 1.0])
Y = f32([0.0, 0.0, 1.0, 2.0, 1.0, 1.0])
for name, fn in [("maximum", jnp.maximum), ("minimum", jnp.minimum)]:
    gx, gy = jax.grad(lambda x, y: jnp.sum(fn(x, y) * jnp.arange(1.0, 7.0)), (0, 1))(X, Y)
    case(f"grad_{name}_x", [X, Y], gx)
    case(f"grad_{name}_y", [X, Y], gy)
S = f32([-1.0, 0.0, 2.0])
case("grad_maximum_scalar_zero", [S], jax.vmap(jax.grad(lambda x: jnp.maximum(x, 0.0)))(S))
C = f32([-2.0, -1.0, 0.0, 1.0, 2.0])
case("grad_clip_bounds", [C], jax.vmap(jax.grad(lambda x: jnp.clip(x, -1.0, 1.0)))(C))
R = f32([-1.0, 0.0, 1.0, 2.0])
case("grad_relu", [R], jax.vmap(jax.grad(jax.nn.relu))(R))
case("grad_relu_of_relu", [R], jax.vmap(jax.grad(lambda x: jax.nn.relu(jax.nn.relu(x) - 1.0)))(R))
case("grad_relu6", [f32([0.0, 3.0, 6.0])], jax.vmap(jax.grad(jax.nn.relu6))(f32([0.0, 3.0, 6.0])))
M = f32([[1.0, 3.0, 3.0, 0.0], [2.0, 2.0, 2.0, 2.0], [-1.0, 5.0, 0.0, 5.0]])
case("grad_max_reduce_ties", [M], jax.grad(lambda m: jnp.sum(jnp.max(m, axis=1) * jnp.arange(1.0, 4.0)))(M))
case("grad_min_reduce_all", [M], jax.grad(lambda m: jnp.min(m))(M))
SP = f32([-2.0, -1.0, 0.0, 1.0, 2.0])
case("grad_sparse_sigmoid", [SP], jax.vmap(jax.grad(jax.nn.sparse_sigmoid))(SP))

case.write("ties")
