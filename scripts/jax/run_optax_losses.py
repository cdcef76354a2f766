"""optax's losses, for test/unit/transforms/optimLosses.test.ts: values and gradients.

    /work/venv-jax/bin/python scripts/jax/run_optax_losses.py

Writes test/fixtures/jax/optax_losses.json: each case's inputs (NumPy's seeded generator, plus
edge values: logits of ±100, errors of ±50, soft labels), optax's per-example loss, and the
gradient of its sum in the first argument. Needs optax (pip install optax).
"""

import json
import os

import jax

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
import optax  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "test", "fixtures", "jax", "optax_losses.json")

rng = np.random.default_rng(11)
f32 = lambda a: np.asarray(a, np.float32)  # noqa: E731

logits = f32(rng.normal(size=(6, 5)) * 3)
logits[0, 0] = 100.0
logits[1, 2] = -100.0
soft = f32(rng.random(size=(6, 5)))
soft = soft / soft.sum(-1, keepdims=True)
ints = np.asarray(rng.integers(0, 5, size=(6,)), np.int32)
ints_axis0 = np.asarray(rng.integers(0, 6, size=(5,)), np.int32)
preds = f32(rng.normal(size=(4, 3)) * 2)
preds[0, 0] = 50.0
preds[1, 1] = -50.0
targets = f32(rng.normal(size=(4, 3)))
bce_logits = f32(rng.normal(size=(8,)) * 4)
bce_logits[0] = 100.0
bce_logits[1] = -100.0
bce_labels = f32([1, 0, 0.3, 1, 0, 0.5, 1, 0])

L = optax.losses
CASES = {
    "squared_error": (lambda p, t: L.squared_error(p, t), [preds, targets]),
    "squared_error_no_targets": (lambda p: L.squared_error(p), [preds]),
    "l2_loss": (lambda p, t: L.l2_loss(p, t), [preds, targets]),
    "huber_loss": (lambda p, t: L.huber_loss(p, t), [preds, targets]),
    "huber_loss_delta_0.5": (lambda p, t: L.huber_loss(p, t, delta=0.5), [preds, targets]),
    "log_cosh": (lambda p, t: L.log_cosh(p, t), [preds, targets]),
    "softmax_cross_entropy_onehot": (
        lambda l, y: L.softmax_cross_entropy(l, y),
        [logits, f32(np.eye(5)[ints])],
    ),
    "softmax_cross_entropy_soft": (lambda l, y: L.softmax_cross_entropy(l, y), [logits, soft]),
    "softmax_cross_entropy_axis0": (lambda l, y: L.softmax_cross_entropy(l, y, axis=0), [logits, soft]),
    "softmax_cross_entropy_with_integer_labels": (
        lambda l, y: L.softmax_cross_entropy_with_integer_labels(l, y),
        [logits, ints],
    ),
    "softmax_cross_entropy_with_integer_labels_axis0": (
        lambda l, y: L.softmax_cross_entropy_with_integer_labels(l, y, axis=0),
        [logits, ints_axis0],
    ),
    "sigmoid_binary_cross_entropy": (
        lambda l, y: L.sigmoid_binary_cross_entropy(l, y),
        [bce_logits, bce_labels],
    ),
}


def main():
    out = {}
    for name, (f, args) in CASES.items():
        value = f(*[jnp.asarray(a) for a in args])
        g = jax.grad(lambda first, *rest: jnp.sum(f(first, *rest)))(*[jnp.asarray(a) for a in args])
        out[name] = {
            "inputs": [a.tolist() for a in args],
            "dtypes": [str(a.dtype) for a in args],
            "value": np.asarray(value, np.float64).tolist(),
            "grad": np.asarray(g, np.float64).tolist(),
        }
    with open(OUT, "w") as fh:
        json.dump({"optax": optax.__version__, "jax": jax.__version__, "cases": out}, fh)
        fh.write("\n")
    print(f"wrote {OUT}: {len(out)} cases")


if __name__ == "__main__":
    main()
