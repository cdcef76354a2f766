#!/usr/bin/env python3
"""Expected values for np.linalg.qr: reduced, complete and "r" modes on tall, wide, square and
batched matrices, an upper-triangular input (no reflection needed: LAPACK keeps R's signs), a
zero column, and the gradients of Q and R.

Writes test/fixtures/jax/qr.json, replayed by test/unit/ops/qr.test.ts. JAX in float32.
Run (from scripts/jax):  /work/venv-jax/bin/python run_jax_qr.py
"""

import jax

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

from fixture_json import Cases  # noqa: E402

f32 = lambda a: np.asarray(a, dtype=np.float32)  # noqa: E731
rng = np.random.default_rng(6)
case = Cases()


TALL = f32(rng.normal(size=(5, 3)))
WIDE = f32(rng.normal(size=(3, 5)))
SQ = f32(rng.normal(size=(4, 4)))
BATCH = f32(rng.normal(size=(2, 4, 3)))
UPPER = f32(np.triu(rng.normal(size=(3, 3))) * np.array([1.0, -1.0, 1.0]))
ZCOL = f32(rng.normal(size=(4, 3)))
ZCOL[:, 1] = 0.0
W33 = f32(np.arange(1.0, 10.0).reshape(3, 3))
W53 = f32(np.arange(1.0, 16.0).reshape(5, 3) / 10)

for name, a in [("tall", TALL), ("wide", WIDE), ("square", SQ), ("batch", BATCH), ("upper", UPPER), ("zero_column", ZCOL)]:
    q, r = jnp.linalg.qr(a)
    case(f"q_{name}", [a], q)
    case(f"r_{name}", [a], r)
qc, rc = jnp.linalg.qr(TALL, mode="complete")
case("q_complete_tall", [TALL], qc)
case("r_complete_tall", [TALL], rc)
case("r_mode_tall", [TALL], jnp.linalg.qr(TALL, mode="r"))
case("grad_r_tall", [TALL, W33], jax.grad(lambda a: jnp.sum(jnp.linalg.qr(a)[1] * W33))(TALL))
case("grad_q_tall", [TALL, W53], jax.grad(lambda a: jnp.sum(jnp.linalg.qr(a)[0] * W53))(TALL))
case("grad_q_square", [SQ], jax.grad(lambda a: jnp.sum(jnp.linalg.qr(a)[0] ** 3))(SQ))

case.write("qr")
