#!/usr/bin/env python3
"""jax.image: resize with every method (nearest, linear, cubic, cubic-pytorch with and without
antialias, lanczos3, lanczos5, area), up and down, with and without antialias, on an NHWC batch
and a 1-D signal; scale_and_translate with a shift; and the gradient of a bilinear upsampling.

Writes test/fixtures/jax/image.json, replayed by test/unit/ops/image.test.ts on CPU and WebGPU,
eager and under jit (through surface2Expected.ts's fixtureCases).
Run:  $JAX_PYTHON scripts/jax/run_jax_image.py   (~3 s)
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
rng = np.random.default_rng(3)
img = rng.standard_normal((2, 5, 6, 3)).astype(np.float32)  # NHWC
for method in ["nearest", "linear", "cubic", "lanczos3", "lanczos5", "area", "cubic-pytorch"]:
    case(f"up_{method}", [img], jax.image.resize(img, (2, 8, 9, 3), method))
    case(f"down_{method}", [img], jax.image.resize(img, (2, 3, 4, 3), method))
for method in ["linear", "cubic", "lanczos3", "cubic-pytorch"]:
    case(f"down_{method}_no_antialias", [img],
         jax.image.resize(img, (2, 3, 4, 3), method, antialias=False))
case("mixed_linear", [img], jax.image.resize(img, (2, 10, 3, 3), "bilinear"))
sig = np.array([0.0, 1.0, 4.0, 9.0, 16.0, 25.0, 36.0], np.float32)
case("signal_linear_up", [sig], jax.image.resize(sig, (12,), "linear"))
case("signal_nearest_down", [sig], jax.image.resize(sig, (3,), "nearest"))
case("signal_int_nearest", [sig.astype(np.int32)], jax.image.resize(sig.astype(np.int32), (10,), "nearest"))
case("scale_and_translate", [img],
     jax.image.scale_and_translate(img, (2, 7, 6, 3), (1, 2), jnp.array([1.5, 1.0]), jnp.array([0.5, -1.0]), "linear"))
case("scale_and_translate_cubic_down", [img],
     jax.image.scale_and_translate(img, (2, 4, 4, 3), (1, 2), jnp.array([0.6, 0.7]), jnp.array([0.2, 0.0]), "cubic"))
w = rng.standard_normal((2, 8, 9, 3)).astype(np.float32)
case("grad_bilinear", [img, w],
     jax.grad(lambda v: jnp.sum(jax.image.resize(v, (2, 8, 9, 3), "bilinear") * w))(img))
case.write("image")
