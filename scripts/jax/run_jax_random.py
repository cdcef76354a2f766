"""jax.random.fold_in's exact bits, for test/unit/transforms/randomFoldIn.test.ts.

    /tmp/venv/bin/python scripts/jax/run_jax_random.py

Writes test/fixtures/jax/random.json. Keys are raw uint32 pairs (jax.random.PRNGKey(seed) and
explicit words), so the cases do not depend on how JAX lays out split's counters (which differ
from ours); fold_in is threefry2x32(key, counter = (0, data)) in both. Every key and result is
written as the int32 bit pattern our int32[2] keys hold.
"""

import json
import os

import jax

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "test", "fixtures", "jax", "random.json")

KEYS = [[0, 0], [0, 42], [1, 5], [0x12345678, 0x9ABCDEF0], [0xFFFFFFFF, 0xFFFFFFFF]]
DATA = [0, 1, 7, 123456, 2**31 - 1, 2**31, 2**32 - 1]


def as_int32(words):
    return [int(w) for w in np.asarray(words, dtype=np.uint32).view(np.int32)]


def raw(key_words):
    return jnp.asarray(np.asarray(key_words, dtype=np.uint32))


def main():
    fold_in = []
    for k in KEYS:
        for d in DATA:
            out = jax.random.fold_in(raw(k), np.uint32(d))
            fold_in.append({"key": as_int32(k), "data": d, "out": as_int32(out)})
    # fold_in of PRNGKey(seed) with the step, three times over: a training loop's keys.
    chain = []
    key = jax.random.PRNGKey(2024)
    for step in range(3):
        key = jax.random.fold_in(key, step)
        chain.append(as_int32(key))
    # vmap over keys and data at once.
    keys = np.asarray([[0, 42], [1, 5], [7, 8]], dtype=np.uint32)
    data = np.asarray([3, 0, 99], dtype=np.uint32)
    batched = jax.vmap(jax.random.fold_in)(jnp.asarray(keys), jnp.asarray(data))
    out = {
        "jax_version": jax.__version__,
        "fold_in": fold_in,
        "chain": {"seed": 2024, "keys": chain},
        "vmap": {"keys": [as_int32(k) for k in keys], "data": [int(d) for d in data], "out": [as_int32(r) for r in np.asarray(batched)]},
    }
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
