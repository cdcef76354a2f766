#!/usr/bin/env python3
"""jnp.unique with return_index / return_inverse / return_counts (each alone and together), with
size larger than the number of distinct values (padding) and with fill_value, on an int32 matrix
(flattened, the inverse in its shape as JAX returns it) and on floats with repeated NaNs; and the
Array API forms unique_values, unique_counts, unique_inverse and unique_all (equal_nan false, so
each NaN is its own value).

Writes test/fixtures/jax/unique.json, replayed by test/unit/ops/uniqueResults.test.ts on CPU and
WebGPU, eager and under jit (through surface2Expected.ts's fixtureCases).
Run:  $JAX_PYTHON scripts/jax/run_jax_unique.py   (~2 s)
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
ints = np.array([[3, 1, 4, 1], [5, 9, 2, 6], [5, 3, 5, 1]], np.int32)
floats = np.array([2.5, np.nan, -1.0, 2.5, np.nan, 0.0, -1.0, 7.0], np.float32)

case("unique_index", [ints], jnp.unique(ints, return_index=True, size=7))
case("unique_inverse", [ints], jnp.unique(ints, return_inverse=True, size=7))
case("unique_counts", [ints], jnp.unique(ints, return_counts=True, size=7))
case("unique_all_flags_padded", [ints],
     jnp.unique(ints, return_index=True, return_inverse=True, return_counts=True, size=10))
case("unique_counts_fill", [ints], jnp.unique(ints, return_counts=True, size=10, fill_value=-1))
case("unique_float_nan", [floats],
     jnp.unique(floats, return_index=True, return_inverse=True, return_counts=True, size=5))
case("unique_values", [floats], jnp.unique_values(floats, size=6))
r = jnp.unique_counts(ints, size=8)
case("unique_counts_api", [ints], [r.values, r.counts])
r = jnp.unique_inverse(ints, size=8)
case("unique_inverse_api", [ints], [r.values, r.inverse_indices])
r = jnp.unique_all(floats, size=7)
case("unique_all_api", [floats], [r.values, r.indices, r.inverse_indices, r.counts])
case.write("unique")
