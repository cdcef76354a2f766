"""optax's masking, partition and accumulation wrappers, each run for several steps on the small
MLP of run_optax.py (its inputs, read from test/fixtures/jax/optax.json), step i on the batch
x · (1 + 0.1 (i mod 3)) so that the mini-steps MultiSteps accumulates differ: masked (a function mask),
adamw and add_decayed_weights with masks (a function, a tree), partition / multi_transform (three
labels with set_to_zero, a label function), freeze, selective_transform, MultiSteps (mean, sum, a
schedule of k, skip_large_updates with a threshold some mini-steps cross), ema, apply_if_finite,
zero_nans, and inject_hyperparams (a learning rate set by hand mid-run, a schedule's values).
The runs are in float64, as run_optax_adaptive.py's. Writes
test/fixtures/jax/optax_wrappers.json, replayed by test/unit/transforms/optimWrappers.test.ts.
Needs optax (pip install optax). Run:
    $JAX_PYTHON scripts/jax/run_optax_wrappers.py
"""
import functools
import json
import os

import jax

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp
import numpy as np
import optax

here = os.path.dirname(__file__)
base = json.load(open(os.path.join(here, "..", "..", "test", "fixtures", "jax", "optax.json")))
f64 = lambda a: np.asarray(a, np.float64)  # noqa: E731
x, y = f64(base["inputs"]["x"]), f64(base["inputs"]["y"])
params0 = {k: f64(v) for k, v in base["inputs"]["params"].items()}


def loss(p, x, y):
    h = jnp.tanh(x @ p["w1"] + p["b1"])
    return jnp.mean((h @ p["w2"] + p["b2"] - y) ** 2)


def batch(i):
    return x * (1 + 0.1 * (i % 3)), y


def weights_only(p):
    return jax.tree.map(lambda a: a.ndim > 1, p)


def sq_norm(g):
    return float(sum(jnp.sum(a ** 2) for a in jax.tree.leaves(g)))


# The squared gradient norms of MultiSteps(adam, 2)'s first two mini-steps (one set of params, the
# second batch's larger): a threshold between them makes skip_large_updates drop the second.
norms = [sq_norm(jax.grad(loss)(params0, *batch(i))) for i in range(2)]
max_squared_norm = round((norms[0] + norms[1]) / 2, 6)

OPTS = {
    "masked_fn": (optax.chain(optax.masked(optax.scale_by_adam(), weights_only), optax.scale(-0.05)), 5),
    "adamw_mask_fn": (optax.adamw(0.05, weight_decay=0.5, mask=weights_only), 5),
    "add_decayed_weights_mask_tree": (optax.chain(
        optax.add_decayed_weights(0.5, {"w1": True, "b1": False, "w2": True, "b2": False}), optax.sgd(0.1)), 5),
    "partition": (optax.partition(
        {"adam": optax.adam(0.05), "sgd": optax.sgd(0.2, momentum=0.9), "frozen": optax.set_to_zero()},
        {"w1": "adam", "b1": "sgd", "w2": "adam", "b2": "frozen"}), 5),
    "multi_transform_fn": (optax.multi_transform(
        {"w": optax.adamw(0.05, weight_decay=0.1), "b": optax.sgd(0.1)},
        lambda p: jax.tree.map(lambda a: "w" if a.ndim > 1 else "b", p)), 5),
    "freeze": (optax.chain(optax.freeze({"w1": True, "b1": True, "w2": False, "b2": False}), optax.adam(0.05)), 4),
    "selective_transform": (optax.selective_transform(
        optax.adam(0.05), freeze_mask={"w1": False, "b1": True, "w2": False, "b2": True}), 4),
    "multisteps_mean_k3": (optax.MultiSteps(optax.adam(0.05), 3), 7),
    "multisteps_sum_k2": (optax.MultiSteps(optax.sgd(0.05), 2, use_grad_mean=False), 5),
    "multisteps_schedule": (optax.MultiSteps(optax.adam(0.05), lambda s: jnp.where(s < 1, 2, 3)), 8),
    "multisteps_skip_large": (optax.MultiSteps(optax.adam(0.05), 2, should_skip_update_fn=functools.partial(
        optax.skip_large_updates, max_squared_norm=max_squared_norm)), 6),
    "ema": (optax.chain(optax.ema(0.8), optax.scale(-0.1)), 5),
    "ema_no_debias": (optax.chain(optax.ema(0.5, debias=False), optax.scale(-0.2)), 4),
    "apply_if_finite": (optax.apply_if_finite(optax.adam(0.05), 2), 4),
    "zero_nans": (optax.chain(optax.zero_nans(), optax.sgd(0.1)), 3),
}
runs = {}
for name, (opt, steps) in OPTS.items():
    params = jax.tree.map(jnp.asarray, params0)
    state = opt.init(params)
    losses, updated = [], []
    for i in range(steps):
        l, g = jax.value_and_grad(loss)(params, *batch(i))
        losses.append(float(l))
        updates, state = opt.update(g, state, params)
        params = optax.apply_updates(params, updates)
        if isinstance(opt, optax.MultiSteps):
            updated.append(bool(opt.has_updated(state)))
    run = {"losses": losses, "params": {k: np.asarray(v, np.float64).tolist() for k, v in params.items()}}
    if updated:
        run["has_updated"] = updated
    runs[name] = run

# inject_hyperparams: the learning rate in the state, set by hand between steps (adam, 0.05 then
# 0.01 from step 3), or a schedule's value recorded per step (sgd with momentum).
inject = {}
for name, (opt, steps, set_at) in {
    "inject_adam_lr_set": (optax.inject_hyperparams(optax.adam)(learning_rate=0.05), 5, 3),
    "inject_sgd_schedule": (optax.inject_hyperparams(optax.sgd)(
        learning_rate=optax.linear_schedule(0.1, 0.02, 4), momentum=0.9), 5, None),
}.items():
    params = jax.tree.map(jnp.asarray, params0)
    state = opt.init(params)
    losses, rates = [], []
    for i in range(steps):
        if i == set_at:
            state.hyperparams["learning_rate"] = jnp.asarray(0.01)
        l, g = jax.value_and_grad(loss)(params, *batch(i))
        losses.append(float(l))
        updates, state = opt.update(g, state, params)
        params = optax.apply_updates(params, updates)
        rates.append(float(state.hyperparams["learning_rate"]))
    inject[name] = {"losses": losses, "rates": rates,
                    "params": {k: np.asarray(v, np.float64).tolist() for k, v in params.items()}}

out = {
    "jax": jax.__version__,
    "optax": optax.__version__,
    "runs_in": "float64",
    "batch_scale": "1 + 0.1 * (step % 3)",
    "max_squared_norm": max_squared_norm,
    "runs": runs,
    "inject": inject,
}
path = os.path.join(here, "..", "..", "test", "fixtures", "jax", "optax_wrappers.json")
with open(path, "w") as fh:
    json.dump(out, fh)
    fh.write("\n")
print(f"wrote {os.path.normpath(path)}; max_squared_norm {max_squared_norm} of {norms}")
