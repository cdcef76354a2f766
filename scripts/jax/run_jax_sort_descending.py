#!/usr/bin/env python3
"""jnp.sort and jnp.argsort with descending=True (ties keep their order, NaN first, 0 before -0
where they were so), along the last axis, axis 0 and flattened (axis=None), on float32 with
ties, NaN and signed zeros and on int32; stable=False; and the gradient of a weighted sum of a
descending sort.

Writes test/fixtures/jax/sort_descending.json, replayed by test/unit/ops/sortDescending.test.ts
on CPU and WebGPU, eager and under jit (through surface2Expected.ts's fixtureCases).
Run:  $JAX_PYTHON scripts/jax/run_jax_sort_descending.py   (~2 s)
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import jax  # noqa: E402

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

from fixture_json import Cases  # noqa: E402

case = Cases()
v = np.array([2, 1, 2, 1, 3, np.nan, -0.0, 0.0], np.float32)
m = np.array([[3.0, 1.0, 2.0, 1.0], [1.0, 1.0, 0.0, 5.0], [3.0, -2.0, 2.0, 1.0]], np.float32)
iv = np.array([4, -1, 4, 7, 0, -1], np.int32)
case("sort_vector", [v], jnp.sort(v, descending=True))
case("argsort_vector", [v], jnp.argsort(v, descending=True))
case("argsort_unstable", [v], jnp.argsort(v, stable=False))
case("sort_rows", [m], jnp.sort(m, axis=-1, descending=True))
case("argsort_rows", [m], jnp.argsort(m, axis=-1, descending=True))
case("sort_axis0", [m], jnp.sort(m, axis=0, descending=True))
case("argsort_axis0", [m], jnp.argsort(m, axis=0, descending=True))
case("sort_flat", [m], jnp.sort(m, axis=None, descending=True))
case("argsort_flat", [m], jnp.argsort(m, axis=None, descending=True))
case("sort_int", [iv], jnp.sort(iv, descending=True))
case("argsort_int", [iv], jnp.argsort(iv, descending=True))
w = np.array([[1.0, -2.0, 0.5, 3.0], [2.0, 1.0, -1.0, 0.25], [0.5, 0.5, 4.0, -3.0]], np.float32)
case("grad_sort_rows", [m, w], jax.grad(lambda x: jnp.sum(jnp.sort(x, axis=-1, descending=True) * w))(m))
case.write("sort_descending")
