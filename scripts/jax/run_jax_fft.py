#!/usr/bin/env python3
"""Complex arrays and jnp.fft as JAX computes them (complex64, CPU): the 1-D transforms at
lengths done as one matrix product (8, 6, 9), split four-step (300 = 15·20, 512 = 16·32),
primes above the split threshold done by Bluestein's chirp (263, 1031) and a split with such a
factor (1042 = 2·521); rfft/irfft with n cutting and padding, irfft of
coefficients whose zero and Nyquist terms have imaginary parts; the 2-D and n-D forms with s and
axes; the three norms; hfft/ihfft; fftfreq, rfftfreq, fftshift, ifftshift; complex arithmetic
(multiply, divide, exp, log, sqrt, abs, angle; matmul and einsum); gradients through a power
spectrum, of a function of a complex input (JAX's conjugate convention) and vjp's; a spectral
Poisson solve and a Fourier-neural-operator layer (forward and the gradient of its loss with
respect to its complex weights, given as real and imaginary parts).

Complex values are written {"re": [...], "im": [...]}.
Writes test/fixtures/jax/fft.json, read by test/unit/ops/fft.test.ts.
Run:  $JAX_PYTHON scripts/jax/run_jax_fft.py   (~3 s)
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

rng = np.random.RandomState(7)


def short(v):
    """float32 values to 9 significant digits (enough to give back the same float32): the
    fixture is half the size of one written with float64's 17."""
    if isinstance(v, list):
        return [short(x) for x in v]
    return float("%.9g" % v) if isinstance(v, float) else v


def cenc(v):
    a = np.asarray(v)
    if np.iscomplexobj(a):
        return {"re": short(enc(a.real.astype(np.float32))), "im": short(enc(a.imag.astype(np.float32)))}
    return short(enc(a))


def real(*shape):
    return rng.uniform(-1, 1, shape).astype(np.float32)


def cplx(*shape):
    return (real(*shape) + 1j * real(*shape)).astype(np.complex64)


cases = {}


def case(name, inputs, out):
    cases[name] = {"inputs": [cenc(i) for i in inputs], "expect": cenc(out)}


for n in (8, 6, 9, 300, 512, 263, 1031, 1042):
    b = 2 if n < 100 else 1  # one row at the long lengths keeps the fixture small
    x = cplx(b, n)
    case(f"fft_{n}", [x], jnp.fft.fft(x))
    case(f"ifft_{n}", [x], jnp.fft.ifft(x))
    r = real(b + 1, n)
    case(f"rfft_{n}", [r], jnp.fft.rfft(r))
    z = cplx(b + 1, n // 2 + 1)
    case(f"irfft_{n}", [z], jnp.fft.irfft(z, n))

x = real(4, 10)
case("rfft_n16", [x], jnp.fft.rfft(x, 16))
case("rfft_n6", [x], jnp.fft.rfft(x, 6))
case("fft_axis0", [x], jnp.fft.fft(x, axis=0))
z = cplx(5, 7)
case("irfft_default", [z], jnp.fft.irfft(z))
case("irfft_n9_axis0", [z], jnp.fft.irfft(z, 9, axis=0))
for norm in ("ortho", "forward"):
    case(f"fft_{norm}", [z], jnp.fft.fft(z, norm=norm))
    case(f"ifft_{norm}", [z], jnp.fft.ifft(z, norm=norm))
    case(f"rfft_{norm}", [x], jnp.fft.rfft(x, norm=norm))
    case(f"irfft_{norm}", [z], jnp.fft.irfft(z, norm=norm))

z3 = cplx(4, 6, 8)
r3 = real(4, 6, 8)
case("fft2", [z3], jnp.fft.fft2(z3))
case("ifft2", [z3], jnp.fft.ifft2(z3))
case("fftn_axes02", [z3], jnp.fft.fftn(z3, axes=(0, 2)))
case("ifftn", [z3], jnp.fft.ifftn(z3))
case("rfft2", [r3], jnp.fft.rfft2(r3))
case("rfftn", [r3], jnp.fft.rfftn(r3))
case("rfft2_s", [r3], jnp.fft.rfft2(r3, s=(4, 10)))
zh = cplx(4, 6, 5)
case("irfft2", [zh], jnp.fft.irfft2(zh))
case("irfft2_s", [zh], jnp.fft.irfft2(zh, s=(5, 9)))
case("irfftn", [zh], jnp.fft.irfftn(zh))
zc = cplx(3, 5)
case("hfft", [zc], jnp.fft.hfft(zc))
case("hfft_n7", [zc], jnp.fft.hfft(zc, 7))
case("ihfft", [x], jnp.fft.ihfft(x))

case("fftfreq_8", [], jnp.fft.fftfreq(8))
case("fftfreq_7_d", [], jnp.fft.fftfreq(7, 0.1))
case("rfftfreq_9_d", [], jnp.fft.rfftfreq(9, 0.5))
m = real(5, 6)
case("fftshift", [m], jnp.fft.fftshift(m))
case("ifftshift", [m], jnp.fft.ifftshift(m))
case("fftshift_axis1", [z], jnp.fft.fftshift(z, axes=1))

a, b = cplx(3, 4), cplx(3, 4)
b[0, 0] = 0.5  # a divisor with no imaginary part
w = np.array([[1.5, -2, 0, -0.0], [3, -1, 0.25, 4], [-3, 2, 1, -1]], np.float32)
case("multiply", [a, b], a * b)
case("multiply_real", [a, w], a * w)
case("divide", [a, b], a / b)
case("divide_real", [w, b], w / b)
case("add_real", [a, w], a + w)
case("subtract_real", [w, a], w - a)
case("exp", [a], jnp.exp(a))
case("log", [a], jnp.log(a))
case("sqrt", [a], jnp.sqrt(a))
edges = (w + 1j * np.array([[0, 0, 0, 0], [-0.0, 1, -1, 0], [2, -2, 0, 0]], np.float32)).astype(np.complex64)
case("sqrt_edges", [edges], jnp.sqrt(edges))
neg = np.array([complex(-4, -0.0), complex(-4, 0.0), complex(-0.0, -0.0)], np.complex64)
case("sqrt_negative_real", [neg], jnp.sqrt(neg))
case("log_negative_real", [neg[:2]], jnp.log(neg[:2]))
case("abs", [a], jnp.abs(a))
case("angle", [edges], jnp.angle(edges))
c1, c2 = cplx(3, 4), cplx(4, 5)
case("matmul", [c1, c2], c1 @ c2)
case("matmul_real", [c1, w.T], c1 @ w.T)
e1, e2 = cplx(2, 3, 4), cplx(3, 4, 5)
case("einsum", [e1, e2], jnp.einsum("bij,ijk->bk", e1, e2))
case("power_2", [a], a**2)
case("power_3", [a], a**3)
case("power_neg2", [a], a ** -2)
case("power_half", [a], a**0.5)
case("power_real_base", [w, a], jnp.power(jnp.abs(w) + 0.5, a))
v2 = cplx(3, 4)
case("vdot", [c1, v2], jnp.vdot(c1, v2))
case("norm_vector", [zc], jnp.linalg.norm(zc[0]))
case("norm_fro", [zc], jnp.linalg.norm(zc))
case("norm_1", [zc], jnp.linalg.norm(zc, 1))
case("norm_inf_axis", [zc], jnp.linalg.norm(zc, jnp.inf, axis=1))
case("sum_axis1", [z3], jnp.sum(z3, axis=1))
case("mean", [z3], jnp.mean(z3))

# scipy.signal's fft method (fftconvolve): every mode, in1 shorter or longer, 2-D, correlate.
import jax.scipy.signal as jsig  # noqa: E402

s1, s2, s3 = real(40), real(7), real(9, 12)
k2 = real(3, 4)
for mode in ("full", "same", "valid"):
    case(f"fftconvolve_{mode}", [s1, s2], jsig.convolve(s1, s2, mode, method="fft"))
case("fftconvolve_same_short", [s2, s1], jsig.convolve(s2, s1, "same", method="fft"))
case("fftconvolve_2d_same", [s3, k2], jsig.convolve(s3, k2, "same", method="fft"))
case("fftcorrelate_valid", [s1, s2], jsig.correlate(s1, s2, "valid", method="fft"))
case("grad_fftconvolve", [s1, s2], jax.grad(lambda a: jnp.sum(jsig.convolve(a, s2, "same", method="fft") ** 2))(s1))

# Gradients.
xs = real(16)
case("grad_power", [xs], jax.grad(lambda v: jnp.sum(jnp.abs(jnp.fft.rfft(v)) ** 2))(xs))
case("grad_spectrum_filter", [xs], jax.grad(lambda v: jnp.sum(jnp.fft.irfft(jnp.fft.rfft(v) * jnp.arange(9.0), 16) ** 2))(xs))
zg = cplx(5)
wg = cplx(5)
fz = lambda z: jnp.sum(jnp.abs(z * wg) ** 2) + jnp.real(jnp.sum(z * z))  # noqa: E731
case("grad_complex_input", [zg, wg], jax.grad(fz)(zg))
_, pull = jax.vjp(lambda z: jnp.fft.fft(z * wg), zg)
ct = cplx(5)
case("vjp_complex", [zg, wg, ct], pull(ct)[0])

# A spectral Poisson solve on the periodic unit square: −Δu = f, f with zero mean.
N = 32
g = np.arange(N) / N
X, Y = np.meshgrid(g, g, indexing="ij")
f = (np.sin(2 * np.pi * X) * np.cos(4 * np.pi * Y) + 0.5 * np.cos(6 * np.pi * X)).astype(np.float32)
k = 2 * np.pi * jnp.fft.fftfreq(N, 1.0 / N)
k2 = k[:, None] ** 2 + k[None, :] ** 2
fh = jnp.fft.fft2(f)
uh = jnp.where(k2 == 0, 0, fh / jnp.where(k2 == 0, 1, k2))
case("poisson", [f], jnp.real(jnp.fft.ifft2(uh)))

# One Fourier layer of an FNO on a 1-D grid: rfft, the lowest modes mixed by complex weights,
# irfft, plus a pointwise linear path; loss the mean square against a target.
B, C, L, M = 2, 3, 32, 6
u = real(B, C, L)
wre, wim = (real(C, C, M) / C), (real(C, C, M) / C)
lin = real(C, C)
target = real(B, C, L)


def fno(wre, wim, u):
    uh = jnp.fft.rfft(u)[:, :, :M]
    wc = wre + 1j * wim
    mixed = jnp.einsum("bim,iom->bom", uh, wc)
    out_h = jnp.zeros((B, C, L // 2 + 1), jnp.complex64).at[:, :, :M].set(mixed)
    return jax.nn.gelu(jnp.fft.irfft(out_h, L) + jnp.einsum("bil,io->bol", u, lin), approximate=False)


loss = lambda wre, wim: jnp.mean((fno(wre, wim, u) - target) ** 2)  # noqa: E731
case("fno_forward", [wre, wim, u, lin], fno(wre, wim, u))
gre, gim = jax.grad(loss, argnums=(0, 1))(wre, wim)
case("fno_grad_re", [target], gre)
case("fno_grad_im", [], gim)

out = os.path.join(os.path.dirname(__file__), "../../test/fixtures/jax/fft.json")
with open(out, "w") as fh_:
    json.dump({"jax": jax.__version__, "cases": cases}, fh_, indent=None, separators=(",", ":"))
    fh_.write("\n")
print(f"wrote {len(cases)} cases to {os.path.normpath(out)}")
