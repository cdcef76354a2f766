#!/usr/bin/env python3
"""jax.scipy.ndimage.map_coordinates: orders 0 and 1 with every mode (constant with a cval,
nearest, wrap, mirror, reflect) on a 2-D image at coordinates inside, between and outside the
pixels (halves included, for order 0's rounding); a 1-D and a 3-D input; an int32 image; and
gradients in the input and the coordinates.

Writes test/fixtures/jax/ndimage.json, replayed by test/unit/ops/ndimage.test.ts on CPU and WebGPU,
eager and under jit (through surface2Expected.ts's fixtureCases).
Run:  $JAX_PYTHON scripts/jax/run_jax_ndimage.py   (~2 s)
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import jax  # noqa: E402

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
from jax.scipy import ndimage  # noqa: E402
import numpy as np  # noqa: E402

from fixture_json import Cases  # noqa: E402

case = Cases()
img = np.arange(20, dtype=np.float32).reshape(4, 5) ** 1.5 / 10
rows = np.array([[0.0, 0.5, 1.25, 3.0], [-1.5, -0.5, 3.5, 4.75], [2.5, 7.2, -3.3, 1.0]], np.float32)
cols = np.array([[0.0, 1.5, 2.75, 4.0], [-0.5, 5.5, 2.0, -2.25], [4.5, 0.5, 9.1, -6.0]], np.float32)
for order in [0, 1]:
    for mode in ["constant", "nearest", "wrap", "mirror", "reflect"]:
        case(f"order{order}_{mode}", [img, rows, cols],
             ndimage.map_coordinates(img, [rows, cols], order, mode=mode, cval=-1.0))
sig = np.array([1.0, 4.0, -2.0, 0.5, 3.0], np.float32)
at = np.array([-1.2, 0.3, 2.5, 3.9, 5.6], np.float32)
case("signal_linear_reflect", [sig, at], ndimage.map_coordinates(sig, [at], 1, mode="reflect"))
vol = np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 3
c3 = [np.array([0.5, 1.0, -0.2], np.float32), np.array([1.5, 2.2, 0.0], np.float32), np.array([0.25, 3.5, 2.0], np.float32)]
case("volume_linear", [vol, *c3], ndimage.map_coordinates(vol, c3, 1))
iimg = np.arange(20, dtype=np.int32).reshape(4, 5) * 3
case("int_linear", [iimg, rows, cols], ndimage.map_coordinates(iimg, [rows, cols], 1, mode="nearest"))
case("grad_input", [img, rows, cols],
     jax.grad(lambda v: jnp.sum(ndimage.map_coordinates(v, [rows, cols], 1, mode="mirror")))(img))
case("grad_coords", [img, rows, cols],
     jax.grad(lambda r, c: jnp.sum(ndimage.map_coordinates(img, [r, c], 1, mode="nearest")), (0, 1))(rows, cols))
case.write("ndimage")
