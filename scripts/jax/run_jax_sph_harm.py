#!/usr/bin/env python3
"""jax.scipy.special.sph_harm_y(n, m, theta, phi, n_max=None): complex spherical harmonics. Cases:
every (n, m) with n <= 4, |m| <= n, at colatitudes over [0, pi] (both poles included) and
longitudes over [0, 2pi]; a scalar theta and phi; n_max below max(n) (JAX clips n and |m| to it);
a 2-D phi broadcast against the [N] harmonics; theta shorter than n (JAX reuses its last value);
n < 0 and |m| > n (JAX's documented "undefined" values, which are what its index clipping gives);
the gradient of a real loss in theta and phi.
Each result is stored as two cases, `<id>_re` and `<id>_im` (the fixture format has no complex).

Writes test/fixtures/jax/sph_harm.json, replayed by test/unit/ops/sphHarm.test.ts on CPU and
WebGPU, eager and under jit (through surface2Expected.ts's fixtureCases).
Run:  $JAX_PYTHON scripts/jax/run_jax_sph_harm.py   (~2 s)
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import jax  # noqa: E402

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from jax.scipy.special import sph_harm_y  # noqa: E402

from fixture_json import Cases  # noqa: E402

case = Cases()
i32 = lambda v: np.asarray(v, np.int32)  # noqa: E731
f32 = lambda v: np.asarray(v, np.float32)  # noqa: E731


def both(name, inputs, out):
    case(f"{name}_re", inputs, np.real(out))
    case(f"{name}_im", inputs, np.imag(out))


pairs = [(n, m) for n in range(5) for m in range(-n, n + 1)]
thetas = [0.0, 0.3, np.pi / 4, 1.2, np.pi / 2, 2.0, 2.8, np.pi]
n = i32([p[0] for p in pairs for _ in thetas])
m = i32([p[1] for p in pairs for _ in thetas])
theta = f32([t for _ in pairs for t in thetas])
# Longitudes over [0, 2pi], 0 and 2pi included, varied against theta.
phi = f32(np.linspace(0, 2 * np.pi, len(n))[::-1].copy())
both("grid", [n, m, theta, phi], sph_harm_y(n, m, theta, phi))

n5, m5 = i32([0, 1, 2, 3, 4]), i32([0, -1, 2, -3, 1])
both("scalar_angles", [n5, m5, f32(0.7), f32(1.9)], sph_harm_y(n5, m5, f32(0.7), f32(1.9)))
th5 = f32([0.1, 0.9, 1.7, 2.5, 3.0])
both("n_max_clips", [n5, m5, th5, f32(0.4)], sph_harm_y(n5, m5, th5, f32(0.4), n_max=2))
phi2 = f32([[0.0], [1.0], [5.5]])
both("phi_2d", [n5, m5, th5, phi2], sph_harm_y(n5, m5, th5, phi2))
th2 = f32([0.6, 2.2])
both("theta_short", [n5, m5, th2, f32(0.8)], sph_harm_y(n5, m5, th2, f32(0.8)))
both("m_scalar", [n5, i32(0), th5, f32(2.0)], sph_harm_y(n5, i32(0), th5, f32(2.0)))
nb, mb = i32([-1, 3, 2, 4]), i32([0, 5, 3, -4])
thb = f32([0.5, 0.6, 1.0, 2.0])
both("undefined_range", [nb, mb, thb, f32(0.3)], sph_harm_y(nb, mb, thb, f32(0.3), n_max=3))

# Gradients in theta and phi (JAX's come from differentiating its implementation; ours likewise),
# away from the poles, where d sin(theta)/d cos(theta) is infinite.
thg, phg = f32([0.1, 0.9, 1.7, 2.5, 3.0]), f32([0.4, 1.0, 2.0, 3.0, 5.0])
loss = lambda t, p: jnp.sum(sph_harm_y(n5, m5, t, p).real + 2 * sph_harm_y(n5, m5, t, p).imag)  # noqa: E731
case("grad", [n5, m5, thg, phg], jax.grad(loss, (0, 1))(thg, phg))

case.write("sph_harm")
