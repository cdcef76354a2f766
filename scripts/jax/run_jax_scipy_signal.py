#!/usr/bin/env python3
"""jax.scipy.signal: convolve and correlate in 1-D, 2-D and 3-D in each mode (full, same,
valid), with the larger input first and second; convolve2d and correlate2d (including
correlate2d's orientation when in2 is the larger, and equal shapes); and a gradient through
convolve2d.

Writes test/fixtures/jax/scipy_signal.json, replayed by test/unit/ops/scipySignal.test.ts on CPU
and WebGPU, eager and under jit (through surface2Expected.ts's fixtureCases).
Run:  $JAX_PYTHON scripts/jax/run_jax_scipy_signal.py   (~3 s)
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import jax  # noqa: E402

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
import jax.scipy.signal as sig  # noqa: E402
import numpy as np  # noqa: E402

from fixture_json import Cases  # noqa: E402

case = Cases()
rng = np.random.default_rng(9)
x1 = rng.standard_normal(9).astype(np.float32)
k1 = rng.standard_normal(4).astype(np.float32)
x2 = rng.standard_normal((6, 7)).astype(np.float32)
k2 = rng.standard_normal((3, 2)).astype(np.float32)
x3 = rng.standard_normal((4, 5, 3)).astype(np.float32)
k3 = rng.standard_normal((2, 3, 2)).astype(np.float32)
for mode in ["full", "same", "valid"]:
    case(f"convolve_1d_{mode}", [x1, k1], sig.convolve(x1, k1, mode))
    case(f"convolve_1d_{mode}_small_first", [k1, x1], sig.convolve(k1, x1, mode))
    case(f"correlate_1d_{mode}", [x1, k1], sig.correlate(x1, k1, mode))
    case(f"convolve_2d_{mode}", [x2, k2], sig.convolve(x2, k2, mode))
    case(f"convolve_3d_{mode}", [x3, k3], sig.convolve(x3, k3, mode))
    case(f"correlate_3d_{mode}", [x3, k3], sig.correlate(x3, k3, mode))
    case(f"convolve2d_{mode}", [x2, k2], sig.convolve2d(x2, k2, mode))
    case(f"correlate2d_{mode}", [x2, k2], sig.correlate2d(x2, k2, mode))
    case(f"correlate2d_{mode}_small_first", [k2, x2], sig.correlate2d(k2, x2, mode))
sq = rng.standard_normal((3, 3)).astype(np.float32)
sq2 = rng.standard_normal((3, 3)).astype(np.float32)
case("correlate2d_valid_same_shape", [sq, sq2], sig.correlate2d(sq, sq2, "valid"))
w = rng.standard_normal((8, 8)).astype(np.float32)
case("grad_convolve2d", [x2, k2, w], jax.grad(lambda a, b: jnp.sum(sig.convolve2d(a, b) * w), (0, 1))(x2, k2))
case.write("scipy_signal")
