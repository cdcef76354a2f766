"""optax schedules, clip_by_global_norm and chain: writes test/fixtures/jax/optax.json, replayed
by test/unit/transforms/optimSchedules.test.ts on CPU and WebGPU, eager and under jit.
The inputs (a small MLP's parameters and data, from NumPy's seeded generator) are stored in the
fixture too. Needs optax (pip install optax). Run:
    $JAX_PYTHON scripts/jax/run_optax.py
"""
import json
import os

import jax
import jax.numpy as jnp
import numpy as np
import optax

rng = np.random.default_rng(7)
f32 = lambda a: np.asarray(a, np.float32)
inputs = {
    "x": f32(rng.normal(size=(8, 3))),
    "y": f32(rng.normal(size=(8, 1))),
    "params": {
        "w1": f32(rng.normal(size=(3, 5)) * 0.8),
        "b1": f32(rng.normal(size=(5,)) * 0.1),
        "w2": f32(rng.normal(size=(5, 1)) * 0.8),
        "b2": f32(np.zeros((1,))),
    },
}

def loss(p, x, y):
    h = jnp.tanh(x @ p["w1"] + p["b1"])
    return jnp.mean((h @ p["w2"] + p["b2"] - y) ** 2)

SCHEDULES = {
    "constant": optax.constant_schedule(0.1),
    "linear": optax.linear_schedule(0.0, 1.0, 5, 2),
    "exponential": optax.exponential_decay(1.0, 3, 0.5),
    "exponential_staircase_floor": optax.exponential_decay(1.0, 2, 0.5, transition_begin=1, staircase=True, end_value=0.2),
    "cosine": optax.cosine_decay_schedule(0.5, 8, alpha=0.1, exponent=2.0),
    "warmup_cosine": optax.warmup_cosine_decay_schedule(0.0, 1.0, 3, 10, end_value=0.05),
}
counts = jnp.arange(13, dtype=jnp.int32)
schedules = {k: np.asarray(jax.vmap(s)(counts) if k != "constant" else jnp.full(13, s(0)), np.float64).tolist() for k, s in SCHEDULES.items()}

OPTS = {
    "adam_clip_warmup_cosine": (optax.chain(
        optax.clip_by_global_norm(2.5),
        optax.adam(optax.warmup_cosine_decay_schedule(0.0, 0.05, 2, 8, end_value=0.005)),
    ), 6),
    "sgd_clip": (optax.chain(optax.clip_by_global_norm(1.0), optax.sgd(0.1)), 3),
    "sgd_momentum_exponential": (optax.sgd(optax.exponential_decay(0.1, 2, 0.5), momentum=0.9), 4),
    "chain_decay_sgd_nesterov": (optax.chain(optax.add_decayed_weights(5e-3), optax.sgd(0.05, momentum=0.9, nesterov=True)), 4),
    "adamw_linear": (optax.adamw(optax.linear_schedule(0.02, 0.001, 4), weight_decay=0.01), 4),
    "rmsprop": (optax.rmsprop(0.01), 4),
    "rmsprop_centered_nesterov": (optax.rmsprop(0.01, decay=0.8, centered=True, momentum=0.5, nesterov=True), 4),
    "rmsprop_bias_correction": (optax.rmsprop(0.01, decay=0.8, bias_correction=True), 4),
    "rmsprop_torch_eps_schedule": (
        optax.rmsprop(optax.exponential_decay(0.02, 2, 0.5), eps=1e-3, initial_scale=0.1, eps_in_sqrt=False),
        4,
    ),
    "adagrad": (optax.adagrad(0.1), 4),
    "chain_scale_by_adam_decay_schedule": (
        optax.chain(
            optax.scale_by_adam(b1=0.8, eps_root=1e-8),
            optax.add_decayed_weights(0.05),
            optax.scale_by_learning_rate(optax.linear_schedule(0.05, 0.01, 3)),
        ),
        4,
    ),
    "chain_clip_trace_scale": (optax.chain(optax.clip(0.05), optax.trace(0.9), optax.scale(-0.5)), 4),
    # Every leaf in one vector: the same trajectory as the chain it wraps, in fewer kernels.
    "flatten_clip_adamw": (
        optax.flatten(optax.chain(optax.clip_by_global_norm(2.5), optax.adamw(0.02, weight_decay=0.01))),
        4,
    ),
}
runs = {}
for name, (opt, steps) in OPTS.items():
    params = jax.tree.map(jnp.asarray, inputs["params"])
    state = opt.init(params)
    losses, norms = [], []
    for _ in range(steps):
        l, g = jax.value_and_grad(loss)(params, inputs["x"], inputs["y"])
        losses.append(float(l))
        norms.append(float(optax.tree.norm(g)))
        updates, state = opt.update(g, state, params)
        params = optax.apply_updates(params, updates)
    runs[name] = {
        "losses": losses,
        "grad_norms": norms,
        "params": {k: np.asarray(v, np.float64).tolist() for k, v in params.items()},
    }

out = {
    "jax": jax.__version__,
    "optax": optax.__version__,
    "inputs": {"x": inputs["x"].tolist(), "y": inputs["y"].tolist(), "params": {k: v.tolist() for k, v in inputs["params"].items()}},
    "schedules": schedules,
    "runs": runs,
}
path = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "jax", "optax.json")
with open(path, "w") as fh:
    json.dump(out, fh)
    fh.write("\n")
print(f"wrote {os.path.normpath(path)}")
