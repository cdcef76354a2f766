#!/usr/bin/env python3
"""lax.conv_general_dilated_patches (im2col): NCHW with a 2×3 window, VALID; strides (2, 1), SAME,
with rhs_dilation (2, 1); NHWC input and output with an HWIO filter spec, explicit padding and
lhs_dilation; a 1-D case; and the gradient of a weighted sum of the patches in the input; plus
the patches times a reshaped weight equal to the convolution by it.

Writes test/fixtures/jax/conv_patches.json, replayed by test/unit/ops/convPatches.test.ts on CPU
and WebGPU, eager and under jit (through surface2Expected.ts's fixtureCases).
Run:  $JAX_PYTHON scripts/jax/run_jax_conv_patches.py   (~2 s)
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import jax  # noqa: E402

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
from jax import lax  # noqa: E402
import numpy as np  # noqa: E402

from fixture_json import Cases  # noqa: E402

case = Cases()
rng = np.random.default_rng(12)
x = rng.standard_normal((2, 3, 5, 6)).astype(np.float32)
case("nchw_valid", [x], lax.conv_general_dilated_patches(x, (2, 3), (1, 1), "VALID"))
case("nchw_same_strided_dilated", [x],
     lax.conv_general_dilated_patches(x, (2, 2), (2, 1), "SAME", rhs_dilation=(2, 1)))
xh = rng.standard_normal((2, 4, 5, 3)).astype(np.float32)
case("nhwc_padded_lhs_dilated", [xh],
     lax.conv_general_dilated_patches(xh, (3, 2), (1, 2), [(1, 0), (0, 1)], lhs_dilation=(1, 2),
                                      dimension_numbers=("NHWC", "HWIO", "NHWC")))
x1 = rng.standard_normal((3, 2, 7)).astype(np.float32)
case("one_d", [x1], lax.conv_general_dilated_patches(x1, (3,), (2,), "VALID"))
w = rng.standard_normal((2, 18, 4, 4)).astype(np.float32)
case("grad_lhs", [x, w],
     jax.grad(lambda a: jnp.sum(lax.conv_general_dilated_patches(a, (2, 3), (1, 1), "VALID") * w))(x))
k = rng.standard_normal((4, 3, 2, 3)).astype(np.float32)  # OIHW
case("patches_matmul_is_conv", [x, k],
     jnp.einsum("nphw,op->nohw", lax.conv_general_dilated_patches(x, (2, 3), (1, 1), "VALID"), k.reshape(4, -1)))
case("conv_reference", [x, k], lax.conv_general_dilated(x, k, (1, 1), "VALID"))
case.write("conv_patches")
