"""jax.nn.initializers' scales, for test/unit/ops/initializers.test.ts.

    /work/venv-jax/bin/python scripts/jax/run_jax_initializers.py

Writes test/fixtures/jax/initializers.json: the fans JAX computes for weight shapes (dense, conv
HWIO, with in/out/batch axes given), and for each initializer a large draw's statistics (mean,
standard deviation, least and greatest value) on float32. Our draws differ from JAX's (random.ts),
so the test compares distributions: the same spread and the same bounds.
"""

import json
import os

import jax

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
from jax.nn import initializers as I  # noqa: E402
from jax._src.nn.initializers import _compute_fans  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "test", "fixtures", "jax", "initializers.json")

FANS = [
    {"shape": [784, 256]},
    {"shape": [3, 3, 16, 32]},
    {"shape": [5, 7]},
    {"shape": [4, 6, 10], "in_axis": 0, "out_axis": 2},
    {"shape": [8, 16, 32], "batch_axis": [0]},
    {"shape": [2, 3, 4, 5], "in_axis": [0, 1], "out_axis": -1},
]

SHAPE = [256, 512]
INITS = {
    "glorot_normal": lambda: I.glorot_normal(),
    "glorot_uniform": lambda: I.glorot_uniform(),
    "lecun_normal": lambda: I.lecun_normal(),
    "lecun_uniform": lambda: I.lecun_uniform(),
    "he_normal": lambda: I.he_normal(),
    "he_uniform": lambda: I.he_uniform(),
    "variance_scaling(0.5, fan_out, normal)": lambda: I.variance_scaling(0.5, "fan_out", "normal"),
    "normal(0.02)": lambda: I.normal(0.02),
    "uniform(0.1)": lambda: I.uniform(0.1),
    "truncated_normal(0.05)": lambda: I.truncated_normal(0.05),
}


def main():
    fans = []
    for case in FANS:
        kw = {k: (tuple(v) if isinstance(v, list) else v) for k, v in case.items() if k != "shape"}
        fan_in, fan_out = _compute_fans(tuple(case["shape"]), **kw)
        fans.append({**case, "fan_in": float(fan_in), "fan_out": float(fan_out)})
    draws = []
    for i, (name, make) in enumerate(INITS.items()):
        x = make()(jax.random.key(i), tuple(SHAPE), jnp.float32)
        draws.append(
            {
                "name": name,
                "shape": SHAPE,
                "mean": float(jnp.mean(x)),
                "std": float(jnp.std(x)),
                "min": float(jnp.min(x)),
                "max": float(jnp.max(x)),
            }
        )
    with open(OUT, "w") as f:
        json.dump({"jax": jax.__version__, "fans": fans, "draws": draws}, f, indent=1)
        f.write("\n")
    print(f"wrote {OUT}: {len(fans)} fan cases, {len(draws)} draws")


if __name__ == "__main__":
    main()
