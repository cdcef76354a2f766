#!/usr/bin/env python3
"""jax.scipy.sparse.linalg: cg, gmres (both solve methods) and bicgstab in float32 on
- a 2-D Poisson problem on a 16x16 grid, the operator a matrix-free 5-point stencil (a function);
- a dense SPD matrix (cg, with a Jacobi preconditioner, with x0);
- a nonsymmetric diagonally dominant matrix (gmres with restart 5 < n, bicgstab, preconditioned);
- a dict right-hand side under a blockwise operator;
- maxiter stopping early on well-conditioned systems (JAX's partial iterates);
- gradients of a scalar loss of the solution in b, in the matrix and in a shift the stencil
  function closes over (JAX differentiates implicitly, through custom_linear_solve);
- vmap over a batch of right-hand sides.

Writes test/fixtures/jax/sparse_linalg.json, replayed by test/unit/ops/sparseLinalg.test.ts on
CPU and WebGPU, eager and under jit (through surface2Expected.ts's fixtureCases).
Run:  $JAX_PYTHON scripts/jax/run_jax_sparse_linalg.py   (~5 s)
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import jax  # noqa: E402

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
import jax.scipy.sparse.linalg as sl  # noqa: E402
import numpy as np  # noqa: E402

from fixture_json import Cases  # noqa: E402

case = Cases()
rng = np.random.default_rng(17)
f32 = np.float32


def stencil(u, shift=0.0):
    """The 5-point Laplacian with zero Dirichlet boundary, plus shift * u."""
    p = jnp.pad(u, 1)
    return (4.0 + shift) * u - p[:-2, 1:-1] - p[2:, 1:-1] - p[1:-1, :-2] - p[1:-1, 2:]


# Poisson on 16x16, matrix-free.
rhs = rng.standard_normal((16, 16)).astype(f32)
case("poisson_cg", [rhs], sl.cg(stencil, rhs)[0])
case("poisson_gmres", [rhs], sl.gmres(stencil, rhs, restart=30)[0])
case("poisson_bicgstab", [rhs], sl.bicgstab(stencil, rhs)[0])
w16 = rng.standard_normal((16, 16)).astype(f32)
shift = f32(0.5)
case(
    "poisson_cg_grad",
    [rhs, w16, shift],
    jax.grad(lambda b, s: jnp.sum(w16 * sl.cg(lambda u: stencil(u, s), b)[0]), (0, 1))(rhs, shift),
)

# Dense SPD: B B^T / n + I, its diagonal spread so Jacobi helps.
n = 12
B = rng.standard_normal((n, n)).astype(f32)
D = np.diag(np.linspace(1.0, 8.0, n)).astype(f32)
spd = (D @ (B @ B.T / n + np.eye(n)) @ D).astype(f32)
spd = ((spd + spd.T) / 2).astype(f32)
b12 = rng.standard_normal(n).astype(f32)
x0 = rng.standard_normal(n).astype(f32)
jacobi = np.diag(1.0 / np.diag(spd)).astype(f32)
case("spd_cg", [spd, b12], sl.cg(spd, b12)[0])
case("spd_cg_jacobi", [spd, b12, jacobi], sl.cg(spd, b12, M=jacobi)[0])
case("spd_cg_x0", [spd, b12, x0], sl.cg(spd, b12, x0=x0, tol=1e-6)[0])
case("spd_cg_atol", [spd, b12], sl.cg(spd, b12, tol=0.0, atol=1e-3)[0])
w12 = rng.standard_normal(n).astype(f32)
case(
    "spd_cg_grad",
    [spd, b12, w12],
    jax.grad(lambda a, b: jnp.sum(w12 * sl.cg(a, b)[0]), (0, 1))(spd, b12),
)

# Nonsymmetric, diagonally dominant.
ns = (rng.standard_normal((n, n)) + np.diag(np.full(n, 6.0) + np.arange(n))).astype(f32)
nsdiag = np.diag(ns)
case("ns_gmres_batched", [ns, b12], sl.gmres(ns, b12, restart=5, solve_method="batched")[0])
case("ns_gmres_incremental", [ns, b12], sl.gmres(ns, b12, restart=5, solve_method="incremental")[0])
case("ns_gmres_jacobi", [ns, b12], sl.gmres(ns, b12, restart=5, M=lambda v: v / nsdiag)[0])
case("ns_gmres_x0", [ns, b12, x0], sl.gmres(ns, b12, x0, restart=4, solve_method="incremental")[0])
case("ns_bicgstab", [ns, b12], sl.bicgstab(ns, b12)[0])
case("ns_bicgstab_jacobi", [ns, b12], sl.bicgstab(ns, b12, M=lambda v: v / nsdiag)[0])
case("ns_bicgstab_x0", [ns, b12, x0], sl.bicgstab(ns, b12, x0)[0])
for method in ["batched", "incremental"]:
    case(
        f"ns_gmres_{method}_grad",
        [ns, b12, w12],
        jax.grad(lambda a, b: jnp.sum(w12 * sl.gmres(a, b, restart=5, solve_method=method)[0]), (0, 1))(ns, b12),
    )
case(
    "ns_bicgstab_grad",
    [ns, b12, w12],
    jax.grad(lambda a, b: jnp.sum(w12 * sl.bicgstab(a, b)[0]), (0, 1))(ns, b12),
)
_, info = sl.gmres(ns, b12, restart=5)
case("ns_gmres_info", [ns, b12], info)

# A dict right-hand side: a coupled block operator on {"a": 4 values, "b": 3 values}.
A1 = (np.eye(4) * 5 + rng.standard_normal((4, 4)) * 0.3).astype(f32)
A1 = ((A1 + A1.T) / 2).astype(f32)
A2 = (np.eye(3) * 4 + rng.standard_normal((3, 3)) * 0.3).astype(f32)
A2 = ((A2 + A2.T) / 2).astype(f32)
C = (rng.standard_normal((4, 3)) * 0.5).astype(f32)


def block(t):
    return {"a": A1 @ t["a"] + C @ t["b"], "b": C.T @ t["a"] + A2 @ t["b"]}


tb = {"a": rng.standard_normal(4).astype(f32), "b": rng.standard_normal(3).astype(f32)}
ins = [A1, A2, C, tb["a"], tb["b"]]
for name, solver in [("cg", sl.cg), ("gmres", sl.gmres), ("bicgstab", sl.bicgstab)]:
    x = solver(block, tb)[0]
    case(f"tree_{name}", ins, [x["a"], x["b"]])

# maxiter stopping early, on a well-conditioned SPD system (eigenvalues in [1, 2]).
Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
wc = (Q @ np.diag(np.linspace(1.0, 2.0, n)) @ Q.T).astype(f32)
wc = ((wc + wc.T) / 2).astype(f32)
wn = (wc + 0.1 * rng.standard_normal((n, n))).astype(f32)
case("early_cg", [wc, b12], sl.cg(wc, b12, maxiter=3)[0])
case("early_bicgstab", [wn, b12], sl.bicgstab(wn, b12, maxiter=2)[0])
case("early_gmres_incremental", [wn, b12], sl.gmres(wn, b12, restart=3, maxiter=1, solve_method="incremental")[0])
case("early_gmres_batched", [wn, b12], sl.gmres(wn, b12, restart=3, maxiter=1, solve_method="batched")[0])

# vmap over a batch of right-hand sides.
bs = rng.standard_normal((3, n)).astype(f32)
case("vmap_cg", [spd, bs], jax.vmap(lambda b: sl.cg(spd, b)[0])(bs))
case("vmap_gmres", [ns, bs], jax.vmap(lambda b: sl.gmres(ns, b, restart=5)[0])(bs))
case("vmap_bicgstab", [ns, bs], jax.vmap(lambda b: sl.bicgstab(ns, b)[0])(bs))
case.write("sparse_linalg")
