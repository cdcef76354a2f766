#!/usr/bin/env python3
"""optax.lion and optax.piecewise_constant_schedule: the schedule's values at steps 0-12, and the
parameters after each of 6 steps of Lion on a small linear regression (with the default weight
decay, with none, and with a piecewise-constant learning rate), from inputs given by a closed
formula the test repeats: x[i] = ((3i + 1) mod 7 - 3) / 4, y[i] = ((5i + 2) mod 9 - 4) / 8,
w[i] = ((7i + 3) mod 5 - 2) / 10, b = 0.

Writes test/fixtures/jax/optax_lion.json, replayed by test/unit/transforms/optimLion.test.ts on
CPU and WebGPU, eager and as a jitted step. Needs optax.
Run:  /work/venv-jax/bin/python scripts/jax/run_optax_lion.py   (~3 s)
"""
import json
import os

import jax

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
import optax  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "test", "fixtures", "jax", "optax_lion.json")

flat = lambda n, a, b, m, s, d: (((jnp.arange(n) * a + b) % m - s) / d).astype(jnp.float32)  # noqa: E731
x = flat(8 * 4, 3, 1, 7, 3, 4).reshape(8, 4)
y = flat(8 * 3, 5, 2, 9, 4, 8).reshape(8, 3)
params0 = {"w": flat(4 * 3, 7, 3, 5, 2, 10).reshape(4, 3), "b": jnp.zeros(3, jnp.float32)}


def loss(p):
    return jnp.mean((x @ p["w"] + p["b"] - y) ** 2)


def train(opt, steps=6):
    p, s = params0, opt.init(params0)
    out = []
    for _ in range(steps):
        g = jax.grad(loss)(p)
        u, s = opt.update(g, s, p)
        p = optax.apply_updates(p, u)
        out.append({"w": [float(v) for v in p["w"].reshape(-1)], "b": [float(v) for v in p["b"]], "loss": float(loss(p))})
    return out


sched = optax.piecewise_constant_schedule(0.05, {3: 0.5, 7: 0.1, 10: 2.0})
cases = {
    "schedule": [float(sched(t)) for t in range(13)],
    "lion_default": train(optax.lion(0.01)),
    "lion_no_decay": train(optax.lion(0.02, b1=0.8, b2=0.95, weight_decay=0.0)),
    "lion_piecewise": train(optax.lion(optax.piecewise_constant_schedule(0.05, {2: 0.5, 4: 0.2}), weight_decay=0.01)),
}
with open(OUT, "w") as fh:
    json.dump({"jax": jax.__version__, "optax": optax.__version__, "cases": cases}, fh)
    fh.write("\n")
print(f"wrote {OUT}")
