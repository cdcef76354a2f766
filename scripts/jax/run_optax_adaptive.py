"""optax's adaptive optimizers adamax, nadam, radam (both sides of its threshold, and nesterov),
adabelief, yogi, amsgrad and lamb (with weight decay), each run for several steps on the small
MLP of run_optax.py (its inputs, read from test/fixtures/jax/optax.json), and the losses
kl_divergence, cosine_similarity / cosine_distance (with epsilon), hinge_loss, smooth_labels and
sigmoid_focal_loss (with and without alpha) with a gradient. The runs are in float64 (below).
Writes
test/fixtures/jax/optax_adaptive.json, replayed by test/unit/transforms/optimAdaptive.test.ts.
Needs optax (pip install optax). Run:
    $JAX_PYTHON scripts/jax/run_optax_adaptive.py
"""
import json
import os

import jax

# The runs are taken in float64: RAdam's rectification near its threshold reads 1 − b2^t, which
# float32 rounds enough to move optax's own float32 trajectory by 1e-3 (relative) at the default
# b2 = 0.999, where this runtime's (−expm1(t·ln b2)) stays within 1e-5 of float64's.
jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp
import numpy as np
import optax

here = os.path.dirname(__file__)
base = json.load(open(os.path.join(here, "..", "..", "test", "fixtures", "jax", "optax.json")))
f32 = lambda a: np.asarray(a, np.float32)  # noqa: E731
f64 = lambda a: np.asarray(a, np.float64)  # noqa: E731
x, y = f64(base["inputs"]["x"]), f64(base["inputs"]["y"])
params0 = {k: f64(v) for k, v in base["inputs"]["params"].items()}


def loss(p, x, y):
    h = jnp.tanh(x @ p["w1"] + p["b1"])
    return jnp.mean((h @ p["w2"] + p["b2"] - y) ** 2)


OPTS = {
    "adamax": (optax.adamax(0.05), 5),
    "nadam": (optax.nadam(0.03, b1=0.8), 5),
    "radam": (optax.radam(0.05), 8),
    "radam_nesterov_rectified_at_step_5": (optax.radam(0.05, b2=0.95, threshold=4.5, nesterov=True), 8),
    "adabelief": (optax.adabelief(0.05), 5),
    "adabelief_nesterov": (optax.adabelief(0.05, nesterov=True), 5),
    "yogi": (optax.yogi(0.05), 5),
    "amsgrad": (optax.amsgrad(0.05, b2=0.9), 6),
    "lamb": (optax.lamb(0.05, weight_decay=0.01), 5),
    "lamb_schedule": (optax.lamb(optax.linear_schedule(0.05, 0.005, 4)), 5),
}
runs = {}
for name, (opt, steps) in OPTS.items():
    params = jax.tree.map(jnp.asarray, params0)
    state = opt.init(params)
    losses = []
    for _ in range(steps):
        l, g = jax.value_and_grad(loss)(params, x, y)
        losses.append(float(l))
        updates, state = opt.update(g, state, params)
        params = optax.apply_updates(params, updates)
    runs[name] = {"losses": losses, "params": {k: np.asarray(v, np.float64).tolist() for k, v in params.items()}}

rng = np.random.default_rng(4)
logits = f32(rng.normal(size=(4, 5)) * 2)
probs = np.array(jax.nn.softmax(f32(rng.normal(size=(4, 5)))), np.float32)
probs[0, 1] = 0
probs[0] /= probs[0].sum()
a, b = f32(rng.normal(size=(3, 4))), f32(rng.normal(size=(3, 4)))
b = b.copy()
b[2] = 0
signs = f32(np.sign(rng.normal(size=(6,))))
outs = f32(rng.normal(size=(6,)))
labels01 = f32(rng.integers(0, 2, size=(4, 5)))
onehot = f32(np.eye(5)[[0, 3, 1, 4]])
log_preds = jax.nn.log_softmax(logits)
losses = {
    "kl_divergence": optax.losses.kl_divergence(log_preds, probs),
    "cosine_similarity": optax.losses.cosine_similarity(a, b, epsilon=1e-6),
    "cosine_distance": optax.losses.cosine_distance(a, b, epsilon=1e-6),
    "hinge_loss": optax.losses.hinge_loss(outs, signs),
    "smooth_labels": optax.smooth_labels(onehot, 0.1),
    "sigmoid_focal_loss": optax.losses.sigmoid_focal_loss(logits, labels01),
    "sigmoid_focal_loss_alpha": optax.losses.sigmoid_focal_loss(logits, labels01, alpha=0.25, gamma=1.5),
    "grad_focal": jax.grad(lambda z: jnp.sum(optax.losses.sigmoid_focal_loss(z, labels01, alpha=0.25)))(logits),
    "grad_kl": jax.grad(lambda z: jnp.sum(optax.losses.kl_divergence(jax.nn.log_softmax(z), probs)))(logits),
    "grad_cosine": jax.grad(lambda z: jnp.sum(optax.losses.cosine_similarity(z, b, epsilon=1e-6)))(a),
}
out = {
    "jax": jax.__version__,
    "optax": optax.__version__,
    "runs_in": "float64",
    "runs": runs,
    "loss_inputs": {k: np.asarray(v).tolist() for k, v in
                    {"logits": logits, "probs": probs, "a": a, "b": b, "signs": signs, "outs": outs,
                     "labels01": labels01, "onehot": onehot}.items()},
    "losses": {k: np.asarray(v, np.float64).tolist() for k, v in losses.items()},
}
path = os.path.join(here, "..", "..", "test", "fixtures", "jax", "optax_adaptive.json")
with open(path, "w") as fh:
    json.dump(out, fh)
    fh.write("\n")
print(f"wrote {os.path.normpath(path)}")
