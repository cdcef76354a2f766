#!/usr/bin/env python3
"""jax.scipy's small modules: fft (dct, idct, dctn, idctn), integrate.trapezoid, cluster.vq.vq
and interpolate.RegularGridInterpolator.

- dct / idct at lengths done as one cosine-matrix product (7, 8, 13, 256) and through one FFT
  (257 prime, 300, 315 odd), each norm; n cutting and padding (also across the 256 threshold),
  along axis 0; dctn / idctn over all axes, chosen axes, s; round trips; an 8x8 JPEG block with
  "ortho"; gradients through both paths.
- trapezoid with x (1-D and y's shape), with dx, along axis 0, and its gradient.
- vq: 200 2-D points from 5 clusters against 5 centroids, a tie (the first code wins), 1-D
  observations, the gradient of the distances.
- RegularGridInterpolator on an uneven 2-D grid and a 3-D grid with trailing value axes: points
  inside, on the grid lines and corners, halfway (nearest keeps the lower node) and outside with
  fill NaN, a number and None (extrapolation); "nearest"; xi of several leading axes; gradients
  in values and xi.

Writes test/fixtures/jax/scipy_misc.json, replayed by test/unit/ops/scipyMisc.test.ts on CPU and
WebGPU, eager and under jit (through surface2Expected.ts's fixtureCases).
Run:  $JAX_PYTHON scripts/jax/run_jax_scipy_misc.py   (~40 s on two cores)
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import jax  # noqa: E402

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
import jax.scipy.cluster.vq as vqm  # noqa: E402
import jax.scipy.fft as sf  # noqa: E402
import jax.scipy.integrate as si  # noqa: E402
from jax.scipy.interpolate import RegularGridInterpolator  # noqa: E402
import numpy as np  # noqa: E402

from fixture_json import Cases  # noqa: E402

case = Cases()
rng = np.random.default_rng(17)


def sig(*shape):
    """Inputs in multiples of 1/32: exact in float32, and short in the JSON."""
    return (rng.integers(-96, 97, size=shape) / 32).astype(np.float32)


# ---- scipy.fft -----------------------------------------------------------------------------
for n in [7, 8, 13, 256]:
    x = sig(2 if n < 256 else 1, n)
    for norm in [None, "ortho"]:
        tag = norm or "backward"
        case(f"dct_{n}_{tag}", [x], sf.dct(x, norm=norm))
        case(f"idct_{n}_{tag}", [x], sf.idct(x, norm=norm))
for n, norm in [(257, None), (300, "ortho"), (315, None)]:
    x = sig(n)
    tag = norm or "backward"
    case(f"dct_{n}_{tag}", [x], sf.dct(x, norm=norm))
    case(f"idct_{n}_{tag}", [x], sf.idct(x, norm=norm))
x38 = sig(3, 8)
case("dct_n12_axis0", [x38], sf.dct(x38.T, n=12, axis=0))
case("dct_n5", [x38], sf.dct(x38, n=5, norm="ortho"))
case("idct_n12_ortho", [x38], sf.idct(x38, n=12, norm="ortho"))
case("idct_n5_axis0", [x38], sf.idct(x38.T, n=5, axis=0))
x200 = sig(200)
case("dct_200_pad_300", [x200], sf.dct(x200, n=300))
x300 = sig(300)
case("idct_300_cut_260_ortho", [x300], sf.idct(x300, n=260, norm="ortho"))
x345 = sig(3, 4, 5)
case("dctn_all", [x345], sf.dctn(x345))
case("dctn_all_ortho", [x345], sf.dctn(x345, norm="ortho"))
case("dctn_axes_0_2", [x345], sf.dctn(x345, axes=[0, 2]))
case("dctn_s_6_3", [x345], sf.dctn(x345, s=[6, 3]))
case("dctn_s_2", [x345], sf.dctn(x345, s=[2], norm="ortho"))
case("idctn_all", [x345], sf.idctn(x345))
case("idctn_axes_1_ortho", [x345], sf.idctn(x345, axes=[1], norm="ortho"))
case("idctn_s_2_7_axes_2_0", [x345], sf.idctn(x345, s=[2, 7], axes=[2, 0]))
x13 = sig(2, 13)
for norm in [None, "ortho"]:
    tag = norm or "backward"
    case(f"roundtrip_13_{tag}", [x13], sf.idct(sf.dct(x13, norm=norm), norm=norm))
    case(f"roundtrip_300_{tag}", [x300], sf.idct(sf.dct(x300, norm=norm), norm=norm))
case("roundtrip_n_345", [x345], sf.idctn(sf.dctn(x345)))
# A JPEG block: pixel values 0..255 shifted by 128, the orthonormal 2-D DCT and back.
block = (np.round(128 + 60 * np.sin(np.arange(64).reshape(8, 8) / 5.0)) - 128).astype(np.float32)
case("jpeg_block_dctn_ortho", [block], sf.dctn(block, norm="ortho"))
coef = np.asarray(sf.dctn(block, norm="ortho"))
quant = (np.round(coef / 16) * 16).astype(np.float32)
case("jpeg_block_idctn_ortho", [quant], sf.idctn(quant, norm="ortho"))
w8 = sig(2, 8)
x8 = sig(2, 8)
case("grad_dct_8_ortho", [x8, w8], jax.grad(lambda a: jnp.sum(sf.dct(a, norm="ortho") * w8))(x8))
case("grad_idct_8", [x8, w8], jax.grad(lambda a: jnp.sum(sf.idct(a) * w8))(x8))
w300 = sig(300)
case("grad_dct_300", [x300, w300], jax.grad(lambda a: jnp.sum(sf.dct(a) * w300))(x300))
case("grad_idct_300_ortho", [x300, w300], jax.grad(lambda a: jnp.sum(sf.idct(a, norm="ortho") * w300))(x300))

# ---- scipy.integrate -----------------------------------------------------------------------
t = np.sort(rng.uniform(0, 3, 9)).astype(np.float32)
y = np.sin(2 * t).astype(np.float32)
case("trapezoid_x", [y, t], si.trapezoid(y, t))
case("trapezoid_dx", [y], si.trapezoid(y, dx=0.25))
y2 = sig(6, 4)
case("trapezoid_axis0_x", [y2, t[:6]], si.trapezoid(y2, t[:6], axis=0))
x2 = np.cumsum(np.abs(sig(3, 5)) + 0.25, axis=1).astype(np.float32)
yy = sig(3, 5)
case("trapezoid_x_like_y", [yy, x2], si.trapezoid(yy, x2))
case("grad_trapezoid", [y, t], jax.grad(lambda a, b: si.trapezoid(a * a, b), (0, 1))(y, t))

# ---- scipy.cluster.vq ----------------------------------------------------------------------
centres = np.array([[0, 0], [4, 1], [1, 5], [-3, 3], [5, -4]], np.float32)
pts = (centres[rng.integers(0, 5, 200)] + rng.normal(0, 1.2, (200, 2))).astype(np.float32)
book = (centres + rng.normal(0, 0.3, (5, 2))).astype(np.float32)
case("vq_kmeans", [pts, book], vqm.vq(pts, book))
tie_obs = np.array([[1, 0], [0, 1], [1, 1], [3, 0]], np.float32)
tie_book = np.array([[0, 0], [2, 0], [0, 2], [2, 2]], np.float32)
case("vq_ties", [tie_obs, tie_book], vqm.vq(tie_obs, tie_book))
case("vq_1d", [pts[:12, 0], book[:, 0]], vqm.vq(pts[:12, 0], book[:, 0]))
case("grad_vq", [pts[:20], book], jax.grad(lambda a, b: jnp.sum(vqm.vq(a, b)[1]), (0, 1))(pts[:20], book))

# ---- scipy.interpolate ---------------------------------------------------------------------
gx = np.array([0, 0.5, 1.5, 3, 4.5], np.float32)
gy = np.array([-1, 0, 0.25, 2], np.float32)
v2 = sig(5, 4)
inside = rng.uniform([0, -1], [4.5, 2], (6, 2))
edges = [[0, -1], [4.5, 2], [0, 2], [4.5, -1], [1.5, 0.1], [2.2, 0.25], [0.25, 1.125], [3.75, -0.5]]
outside = [[-0.5, 0], [5, 1], [1, -1.5], [2, 2.5], [-1, 3]]
xi2 = np.concatenate([inside, edges, outside]).astype(np.float32)
g2 = (gx, gy)
case("rgi_2d_linear", [gx, gy, v2, xi2], RegularGridInterpolator(g2, v2)(xi2))
case("rgi_2d_nearest", [gx, gy, v2, xi2], RegularGridInterpolator(g2, v2, method="nearest")(xi2))
case("rgi_2d_fill_number", [gx, gy, v2, xi2], RegularGridInterpolator(g2, v2, fill_value=-7.5)(xi2))
case("rgi_2d_extrapolate", [gx, gy, v2, xi2], RegularGridInterpolator(g2, v2, fill_value=None)(xi2))
case(
    "rgi_2d_nearest_extrapolate",
    [gx, gy, v2, xi2],
    RegularGridInterpolator(g2, v2, fill_value=None)(xi2, method="nearest"),
)
xi_lead = xi2[:12].reshape(2, 3, 2, 2)
case("rgi_2d_lead_axes", [gx, gy, v2, xi_lead], RegularGridInterpolator(g2, v2)(xi_lead))
case("rgi_2d_flat_xi", [gx, gy, v2, xi2[:4].ravel()], RegularGridInterpolator(g2, v2)(xi2[:4].ravel()))
ga = np.array([0, 1, 3, 3.5], np.float32)
gb = np.array([-2, 0, 0.5], np.float32)
gc = np.array([0, 0.25, 0.5, 1.5, 2], np.float32)
v3 = sig(4, 3, 5, 2)
xi3 = np.concatenate(
    [
        rng.uniform([0, -2, 0], [3.5, 0.5, 2], (5, 3)),
        [[0, -2, 0], [3.5, 0.5, 2], [1, 0, 0.25], [0.5, -1, 1.0]],
        [[-1, 0, 1], [2, 1, 1], [2, 0, 2.5]],
    ]
).astype(np.float32)
g3 = (ga, gb, gc)
case("rgi_3d_trailing_linear", [ga, gb, gc, v3, xi3], RegularGridInterpolator(g3, v3)(xi3))
case("rgi_3d_trailing_nearest", [ga, gb, gc, v3, xi3], RegularGridInterpolator(g3, v3, "nearest", False, 0.0)(xi3))
case("rgi_3d_trailing_extrapolate", [ga, gb, gc, v3, xi3], RegularGridInterpolator(g3, v3, fill_value=None)(xi3))
wv = sig(6)
xin = xi2[:6]
case(
    "grad_rgi_values_xi",
    [gx, gy, v2, xin, wv],
    jax.grad(lambda v, p: jnp.sum(RegularGridInterpolator(g2, v)(p) * wv), (0, 1))(v2, xin),
)
case.write("scipy_misc")
