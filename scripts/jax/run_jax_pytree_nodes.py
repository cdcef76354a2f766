#!/usr/bin/env python3
"""Registered pytree nodes and ravel_pytree, as JAX has them: the keystr paths of a dataclass
(register_dataclass), a node registered without keys (register_pytree_node: flat indices) and
one with keys (register_pytree_with_keys); the gradient of a two-layer MLP whose layers are a
dataclass (with a meta field) inside a registered container, and three Adam steps on it;
jax.flatten_util.ravel_pytree on trees of mixed dtypes (the flat vector, its dtype, and the
tree unravel gives back for the flat vector times 2.5).

Writes test/fixtures/jax/pytree_nodes.json, read by test/unit/transforms/pytreeNodes.test.ts.
Run:  $JAX_PYTHON scripts/jax/run_jax_pytree_nodes.py   (~2 s)
"""
import json
import os
import sys
from dataclasses import dataclass

sys.path.insert(0, os.path.dirname(__file__))

import jax  # noqa: E402

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from jax import tree_util as tu  # noqa: E402
from jax.flatten_util import ravel_pytree  # noqa: E402

from fixture_json import enc  # noqa: E402


@dataclass
class Linear:
    w: jax.Array
    b: jax.Array
    act: str = "tanh"


tu.register_dataclass(Linear, data_fields=["w", "b"], meta_fields=["act"])


class MLP:
    def __init__(self, layers):
        self.layers = layers


tu.register_pytree_node(MLP, lambda m: ((m.layers,), None), lambda _aux, ch: MLP(ch[0]))


class Pair:
    def __init__(self, first, second):
        self.first = first
        self.second = second


tu.register_pytree_with_keys(
    Pair,
    lambda p: (((tu.GetAttrKey("first"), p.first), (tu.DictKey("second"), p.second)), None),
    lambda _aux, ch: Pair(*ch),
)


def apply(m, x):
    for layer in m.layers:
        x = x @ layer.w + layer.b
        if layer.act == "tanh":
            x = jnp.tanh(x)
    return x


def loss(m, x, y):
    return jnp.mean((apply(m, x) - y) ** 2)


w1 = np.sin(np.arange(12, dtype=np.float32)).reshape(3, 4)
b1 = np.array([0.1, -0.2, 0.3, 0.0], np.float32)
w2 = np.cos(np.arange(4, dtype=np.float32)).reshape(4, 1)
b2 = np.array([0.5], np.float32)
x = np.linspace(-1, 1, 15, dtype=np.float32).reshape(5, 3)
y = np.sin(x.sum(1, keepdims=True))
model = MLP([Linear(w1, b1), Linear(w2, b2, "none")])
g = jax.grad(loss)(model, x, y)

# Adam (lr 0.05, optax's defaults) by hand, so the script needs no optax.
params, m1, m2, losses = model, tu.tree_map(jnp.zeros_like, model), tu.tree_map(jnp.zeros_like, model), []
for t in range(1, 4):
    losses.append(float(loss(params, x, y)))
    gr = jax.grad(loss)(params, x, y)
    m1 = tu.tree_map(lambda a, b: 0.9 * a + 0.1 * b, m1, gr)
    m2 = tu.tree_map(lambda a, b: 0.999 * a + 0.001 * b * b, m2, gr)
    params = tu.tree_map(
        lambda p, a, b: p - 0.05 * (a / (1 - 0.9**t)) / (jnp.sqrt(b / (1 - 0.999**t)) + 1e-8), params, m1, m2
    )

paths = {
    "dataclass_in_dict": [tu.keystr(p) for p, _ in tu.tree_leaves_with_path({"l": Linear(w1, b1)})],
    "node_flat_index": [tu.keystr(p) for p, _ in tu.tree_leaves_with_path(model)],
    "with_keys": [tu.keystr(p) for p, _ in tu.tree_leaves_with_path(Pair(jnp.ones(2), [jnp.ones(1), 3.0]))],
}

ravel_cases = {}
trees = {
    "floats": {"a": np.arange(3, dtype=np.float32), "b": np.ones((2, 2), np.float32)},
    "int_and_float": {"a": np.arange(3, dtype=np.int32), "b": np.ones((2, 2), np.float32) * 0.3},
    "int_and_bool": [np.array([4, -1, 2], np.int32), np.array(True)],
    "bools": [np.array([True, False]), np.array([[False], [True]])],
    "dataclass": Linear(w1[:2, :2], b1[:2]),
}
for name, t in trees.items():
    flat, unravel = ravel_pytree(t)
    back = unravel((flat * 2.5).astype(flat.dtype)) if flat.dtype != jnp.bool_ else unravel(~flat)
    ravel_cases[name] = {
        "flat": enc(flat),
        "dtype": str(flat.dtype),
        "back": [enc(leaf) for leaf in tu.tree_leaves(back)],
        "back_dtypes": [str(jnp.asarray(leaf).dtype) for leaf in tu.tree_leaves(back)],
    }
flat, _ = ravel_pytree([])
ravel_cases["empty"] = {"flat": enc(flat), "dtype": str(flat.dtype), "back": [], "back_dtypes": []}

out = {
    "jax": jax.__version__,
    "paths": paths,
    "inputs": {"w1": enc(w1), "b1": enc(b1), "w2": enc(w2), "b2": enc(b2), "x": enc(x), "y": enc(y)},
    "grad": [enc(leaf) for leaf in tu.tree_leaves(g)],
    "adam_losses": losses,
    "adam_params": [enc(leaf) for leaf in tu.tree_leaves(params)],
    "ravel": ravel_cases,
}
path = os.path.join(os.path.dirname(__file__), "../../test/fixtures/jax/pytree_nodes.json")
with open(path, "w") as fh:
    json.dump(out, fh, separators=(",", ":"))
    fh.write("\n")
print(f"wrote {os.path.normpath(path)}")
