"""einsum with "..." in JAX: writes test/fixtures/jax/einsum.json, replayed by
test/unit/ops/einsumEllipsis.test.ts on CPU and WebGPU, eager and under jit. Operand values are
((k * 7) mod 11 - 5) / 4 for k = 0, 1, … in row-major order (exact in float32), written again in
the test. Run:
    $JAX_PYTHON scripts/jax/run_jax_einsum.py
"""
import json
import os

import jax
import jax.numpy as jnp
import numpy as np

def operand(shape, salt):
    n = int(np.prod(shape))
    k = np.arange(n) + salt
    return jnp.asarray((((k * 7) % 11) - 5) / 4.0, jnp.float32).reshape(shape)

CASES = [
    ("...ij,...jk->...ik", [[2, 3, 4], [4, 5]]),
    ("...ij,...jk->...ik", [[2, 1, 3, 4], [3, 4, 2]]),
    ("...ij,...jk", [[2, 3, 4], [2, 4, 5]]),
    ("...i,...i->...", [[2, 3, 4], [3, 4]]),
    ("...i,...i", [[5, 4], [5, 4]]),
    ("...i,...i->", [[2, 3], [2, 3]]),
    ("ij...,jk->ik...", [[3, 4, 2], [4, 5]]),
    ("ij...,jk", [[3, 4, 2], [4, 5]]),
    ("i...->...", [[3, 2, 4]]),
    ("...->...", [[2, 3]]),
    ("...ij,...jk->ik", [[2, 3, 4], [2, 4, 5]]),
    ("b...d,bd->b...", [[2, 3, 4, 5], [2, 5]]),
    ("...ij->...ji", [[2, 2, 3, 4]]),
    ("...ij,...jk->...ik", [[1, 3, 4], [2, 1, 4, 5]]),
]

out = []
for spec, shapes in CASES:
    ops = [operand(s, 3 * i) for i, s in enumerate(shapes)]
    y = jnp.einsum(spec, *ops)
    out.append({"spec": spec, "shapes": shapes, "shape": list(y.shape), "y": np.asarray(y, np.float64).tolist()})

path = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "jax", "einsum.json")
with open(path, "w") as fh:
    json.dump({"jax": jax.__version__, "cases": out}, fh)
    fh.write("\n")
print(f"wrote {len(out)} cases to {os.path.normpath(path)}")
