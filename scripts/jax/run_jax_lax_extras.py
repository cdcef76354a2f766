#!/usr/bin/env python3
"""The rest of jax.lax's public functions: conv_general_dilated_local (a locally connected layer:
NCHW, NHWC with SAME padding, strides and dilations, 1-D with lhs dilation, gradients in lhs and
rhs, and a small NHWC image batch through a locally connected layer, relu, pooling and a dense
head with its loss's gradient in the weights), conv_with_general_padding, the shape helpers
(conv_shape_tuple, conv_general_shape_tuple, conv_transpose_shape_tuple,
conv_dimension_numbers, conv_general_permutations, padtype_to_pads,
reduce_window_shape_tuple), lax.fft of each FftType (and a gradient through RFFT), mulhi,
index_take, scatter_apply, ragged_dot_general (ragged rows with rhs [g, n, k], and a ragged
contraction) and composite.

Writes test/fixtures/jax/lax_extras.json, replayed by test/unit/ops/laxExtras.test.ts and
convLocal.test.ts on CPU and WebGPU, eager and under jit (through surface2Expected.ts's
fixtureCases).
Run:  $JAX_PYTHON scripts/jax/run_jax_lax_extras.py   (~5 s)
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import jax  # noqa: E402

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from jax import lax  # noqa: E402

from fixture_json import Cases  # noqa: E402

case = Cases()
rng = np.random.default_rng(73)
f32 = lambda *s: rng.standard_normal(s).astype(np.float32)  # noqa: E731
i32 = lambda v: np.asarray(v, np.int32)  # noqa: E731
local = lax.conv_general_dilated_local

# --- conv_general_dilated_local ---
x, w = f32(2, 3, 6, 5), f32(4, 18, 4, 4)
case("local_nchw", [x, w], local(x, w, (1, 1), "VALID", (3, 2)))
dn = ("NHWC", "HWIO", "NHWC")
x2, w2 = f32(2, 7, 6, 2), f32(4, 6, 18, 3)
kw = dict(window_strides=(2, 1), padding="SAME", filter_shape=(3, 3), rhs_dilation=(1, 2), dimension_numbers=dn)
case("local_nhwc_same", [x2, w2], local(x2, w2, **kw))
y2 = f32(2, 4, 6, 3)
case("local_nhwc_grad", [x2, w2, y2], jax.grad(lambda a, b: jnp.sum(jnp.tanh(local(a, b, **kw)) * y2), (0, 1))(x2, w2))
x3, w3 = f32(3, 5, 2), f32(9, 2 * 3, 4)
kw3 = dict(window_strides=(1,), padding=((1, 1),), filter_shape=(3,), lhs_dilation=(2,), dimension_numbers=("NWC", "WIO", "NWC"))
case("local_1d_lhs_dilation", [x3, w3], local(x3, w3, **kw3))
# rhs spec "OIWH" with out "NCWH": the output positions in another order than the input's.
x4, w4 = f32(1, 2, 4, 5), f32(3, 8, 4, 2)
dn4 = ("NCHW", "OIWH", "NCWH")
case("local_mixed_specs", [x4, w4], local(x4, w4, (1, 2), "VALID", (2, 2), dimension_numbers=dn4))

# A locally connected layer on a small NHWC image batch: 3×3 windows, unshared weights per
# output position, bias, relu, global average pooling, a dense head, a cross-entropy loss.
imgs, lw, lb, hw = f32(4, 6, 6, 2), f32(4, 4, 18, 4) * 0.3, f32(4, 4, 4) * 0.1, f32(4, 3) * 0.5
labels = np.eye(3, dtype=np.float32)[[0, 2, 1, 2]]


def lc_net(lw, lb, hw, imgs):
    h = local(imgs, lw, (1, 1), "VALID", (3, 3), dimension_numbers=("NHWC", "HWIO", "NHWC")) + lb
    h = jnp.mean(jax.nn.relu(h), axis=(1, 2))
    return -jnp.mean(jnp.sum(jax.nn.log_softmax(h @ hw) * labels, axis=-1))


case("lc_layer_forward", [imgs, lw, lb, hw], local(imgs, lw, (1, 1), "VALID", (3, 3), dimension_numbers=("NHWC", "HWIO", "NHWC")))
case("lc_layer_loss", [imgs, lw, lb, hw, labels], lc_net(lw, lb, hw, imgs))
case("lc_layer_grad", [imgs, lw, lb, hw, labels], jax.grad(lc_net, (0, 1, 2))(lw, lb, hw, imgs))

xg, wg = f32(1, 2, 5, 5), f32(3, 2, 2, 2)
case("conv_general_padding", [xg, wg], lax.conv_with_general_padding(xg, wg, (1, 1), ((1, 0), (0, 2)), (2, 1), (1, 2)))

# --- shape helpers (inputs: none; the expected value is JAX's tuple, as one array) ---
case("shape_conv", [], np.asarray(lax.conv_shape_tuple((2, 3, 9, 8), (4, 3, 3, 2), (2, 3), "SAME")))
case("shape_conv_pads", [], np.asarray(lax.conv_shape_tuple((6, 3, 9, 8), (4, 3, 3, 2), (1, 2), ((1, 2), (0, -1)), 3)))
case("shape_conv_general", [], np.asarray(lax.conv_general_shape_tuple((2, 9, 8, 3), (3, 2, 3, 4), (2, 1), "VALID", dn)))
case("shape_conv_transpose_same", [], np.asarray(lax.conv_transpose_shape_tuple((2, 5, 4, 3), (3, 3, 3, 7), (2, 2), "SAME", dn)))
case("shape_conv_transpose_valid", [], np.asarray(lax.conv_transpose_shape_tuple((2, 5, 4, 3), (3, 1, 3, 7), (2, 3), "VALID", dn)))
case("shape_conv_transpose_pads", [], np.asarray(lax.conv_transpose_shape_tuple((2, 5, 4, 3), (3, 1, 3, 7), (1, 2), ((1, 2), (0, 0)), dn)))
case("shape_conv_dn", [], np.asarray(lax.conv_dimension_numbers((2, 9, 8, 3), (3, 2, 3, 4), ("NHWC", "HWIO", "NHWC"))))
case("shape_conv_dn_none", [], np.asarray(lax.conv_dimension_numbers((2, 3, 9, 8), (4, 3, 3, 2), None)))
case("shape_perms", [], np.asarray(lax.conv_general_permutations(("NCWH", "WHIO", "NHWC"))))
case("pads_same", [], np.asarray(lax.padtype_to_pads((9, 8, 1), (3, 4, 2), (2, 3, 1), "SAME")))
case("pads_same_lower", [], np.asarray(lax.padtype_to_pads((9, 8, 1), (3, 4, 2), (2, 3, 1), "SAME_LOWER")))
case("pads_valid", [], np.asarray(lax.padtype_to_pads((9, 8), (3, 4), (2, 3), "VALID")))
case("shape_reduce_window", [], np.asarray(lax.reduce_window_shape_tuple((2, 9, 8), (1, 3, 2), (1, 2, 2), ((0, 0), (1, 1), (0, 1)))))
case("shape_reduce_window_dilated", [], np.asarray(lax.reduce_window_shape_tuple((2, 9, 8), (1, 3, 2), (1, 2, 2), ((0, 0), (1, 1), (0, 1)), (1, 2, 1), (1, 1, 3))))

# --- lax.fft ---
zr, zi = f32(3, 8), f32(3, 8)
z = zr + 1j * zi
case("fft_1d", [zr, zi], (jnp.real(lax.fft(z, "FFT", (8,))), jnp.imag(lax.fft(z, "FFT", (8,)))))
zr2, zi2 = f32(2, 4, 6), f32(2, 4, 6)
z2 = zr2 + 1j * zi2
out = lax.fft(z2, lax.FftType.IFFT, (4, 6))
case("ifft_2d", [zr2, zi2], (jnp.real(out), jnp.imag(out)))
r = f32(3, 4, 6)
out = lax.fft(r, "RFFT", (4, 6))
case("rfft_2d", [r], (jnp.real(out), jnp.imag(out)))
hr, hi = f32(2, 3, 4), f32(2, 3, 4)
case("irfft_2d", [hr, hi], lax.fft(hr + 1j * hi, "IRFFT", (3, 6)))
case("fft_real_input", [r], (jnp.real(lax.fft(r, "fft", (6,))), jnp.imag(lax.fft(r, "fft", (6,)))))
r1 = f32(8)
case("rfft_grad", [r1], jax.grad(lambda v: jnp.sum(jnp.abs(lax.fft(v * v, "RFFT", (8,))) ** 2))(r1))

# --- mulhi, index_take, scatter_apply ---
ma = i32([-7, 2**31 - 1, -(2**31), 123456789, 0, -1, 65536, -65537, 40000, 2**31 - 1])
mb = i32([3, 2**31 - 1, -(2**31), -987654321, -5, -1, 65536, 65535, 40000, -(2**31)])
rand_a = i32(rng.integers(-(2**31), 2**31, 64))
rand_b = i32(rng.integers(-(2**31), 2**31, 64))
case("mulhi_edges", [ma, mb], lax.mulhi(ma, mb))
case("mulhi_random", [rand_a, rand_b], lax.mulhi(rand_a, rand_b))
src = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
ia, ib = i32([0, 1, -1, 3]), i32([3, -2, 5, 0])
case("index_take", [src, ia, ib], lax.index_take(src, (ia, ib), (0, 2)))
ic = i32([2, -1, 4])
case("index_take_one_axis", [src, ic], lax.index_take(src, (ic,), (1,)))
sdn = lax.ScatterDimensionNumbers(update_window_dims=(), inserted_window_dims=(0,), scatter_dims_to_operand_dims=(0,))
xs, si = np.arange(6, dtype=np.float32), i32([[1], [3], [3], [9]])
case("scatter_apply_dupes", [xs, si], lax.scatter_apply(xs, si, lambda v: v * 2 + 1, sdn, update_shape=(4,)))
case("scatter_apply_clip", [xs, si], lax.scatter_apply(xs, si, lambda v: v * 2 + 1, sdn, update_shape=(4,), mode="clip"))
# Rows of a [4, 3] matrix: a window over axis 1.
rdn = lax.ScatterDimensionNumbers(update_window_dims=(1,), inserted_window_dims=(0,), scatter_dims_to_operand_dims=(0,))
xm, ri = f32(4, 3), i32([[2], [0]])
case("scatter_apply_rows", [xm, ri], lax.scatter_apply(xm, ri, jnp.exp, rdn, update_shape=(2, 3)))
xi = i32(np.arange(5))
case("scatter_apply_int", [xi, i32([[4], [0], [4]])], lax.scatter_apply(xi, i32([[4], [0], [4]]), lambda v: v * 3, sdn, update_shape=(3,)))

# --- ragged_dot_general ---
RD = lax.RaggedDotDimensionNumbers
gl, gr = f32(9, 5), f32(3, 4, 5)
gs = i32([2, 4, 3])
rows = RD(dot_dimension_numbers=(([1], [2]), ([], [])), lhs_ragged_dimensions=[0], rhs_group_dimensions=[0])
case("ragged_general_rows", [gl, gr, gs], lax.ragged_dot_general(gl, gr, gs, rows))
cl, cr = f32(4, 7), f32(7, 3)
cgs = i32([2, 0, 4])
contract = RD(dot_dimension_numbers=(([1], [0]), ([], [])), lhs_ragged_dimensions=[1], rhs_group_dimensions=[])
case("ragged_general_contract", [cl, cr, cgs], lax.ragged_dot_general(cl, cr, cgs, contract))
# JAX 0.10 cannot differentiate the ragged contraction: the gradient expected is that of the
# same product written as a masked einsum (checked equal to ragged_dot_general here).
ends = np.cumsum(cgs)
kmask = ((np.arange(7) >= (ends - cgs)[:, None]) & (np.arange(7) < ends[:, None])).astype(np.float32)
masked = lambda a, b: jnp.einsum("gk,mk,kn->gmn", kmask, a, b)  # noqa: E731
assert np.allclose(masked(cl, cr), lax.ragged_dot_general(cl, cr, cgs, contract), atol=1e-5)
case("ragged_general_contract_grad", [cl, cr, cgs], jax.grad(lambda a, b: jnp.sum(jnp.sin(masked(a, b))), (0, 1))(cl, cr))

# --- composite: the decomposition (JAX 0.10 has no JVP rule for it) ---
gelu = lax.composite(lambda v: 0.5 * v * (1 + jnp.tanh(0.7978846 * (v + 0.044715 * v**3))), name="my.gelu")
xc = f32(2, 5)
case("composite_gelu", [xc], gelu(xc))
case.write("lax_extras")
