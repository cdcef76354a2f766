#!/usr/bin/env python3
"""jax.ops.segment_sum / segment_prod / segment_max / segment_min: values (ids out of range and
negative ones dropped, empty segments reading the identity, rows of 2-D data, int32 data) and the
gradients of a weighted sum of segment_sum and segment_max in the data.

Writes test/fixtures/jax/segment.json, replayed by test/unit/ops/segment.test.ts on CPU and
WebGPU, eager and under jit (through surface2Expected.ts's fixtureCases).
Run:  /work/venv-jax/bin/python scripts/jax/run_jax_segment.py   (~3 s)
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import jax  # noqa: E402

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

from fixture_json import enc  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "test", "fixtures", "jax", "segment.json")

rng = np.random.default_rng(7)
cases = {}


def case(name, inputs, out):
    cases[name] = {"inputs": [enc(np.asarray(i)) for i in inputs], "expect": enc(np.asarray(out))}


D = np.asarray(rng.normal(size=(9, 3)), dtype=np.float32)
IDS = np.asarray([0, 2, 2, 0, 5, -1, 1, 2, 4], dtype=np.int32)  # 5 and -1 dropped for 5 segments; 3 empty
V = D[:, 0]
DI = np.asarray([[4, 1], [7, -3], [2, 9], [5, 5], [0, 1], [1, 1], [3, 8], [6, 2], [9, 9]], dtype=np.int32)
ops = jax.ops
for name, f in [("sum", ops.segment_sum), ("prod", ops.segment_prod), ("max", ops.segment_max), ("min", ops.segment_min)]:
    case(f"{name}_rows", [D, IDS], f(D, IDS, num_segments=5))
    case(f"{name}_vector", [V, IDS], f(V, IDS, num_segments=6))
case("max_int", [DI, IDS], ops.segment_max(DI, IDS, num_segments=5))
case("min_int", [DI, IDS], ops.segment_min(DI, IDS, num_segments=5))
W = np.asarray(rng.normal(size=(5, 3)), dtype=np.float32)
case("grad_sum", [D, IDS, W], jax.grad(lambda d: jnp.sum(ops.segment_sum(d, IDS, num_segments=5) * W))(D))
case("grad_max", [D, IDS, W], jax.grad(lambda d: jnp.sum(jnp.where(jnp.isfinite(ops.segment_max(d, IDS, num_segments=5)), ops.segment_max(d, IDS, num_segments=5) * W, 0.0)))(D))

with open(OUT, "w") as fh:
    json.dump({"jax": jax.__version__, "cases": cases}, fh)
    fh.write("\n")
print(f"wrote {OUT}: {len(cases)} cases")
