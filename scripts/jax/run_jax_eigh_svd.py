#!/usr/bin/env python3
"""Expected values for np.linalg.eigh / eigvalsh, svd / svdvals, pinv, lstsq and matrix_rank:
symmetric matrices with distinct eigenvalues (4×4, 16×16, 64×64, a batch [3, 5, 5]), a repeated
eigenvalue, UPLO="U" without symmetrising, tall / wide / batched / rank-deficient matrices for the
SVD and what is built on it, the gradients of sum(w·c) and sum(c·V²) for eigh and of sum(s·c) for
svd, and ZCA whitening of a [128, 16] data matrix. Eigenvectors and singular vectors have arbitrary
signs, so they are stored with each column's largest-magnitude entry made positive (Vh's rows take
U's column signs); the test does the same.

Writes test/fixtures/jax/eigh_svd.json, replayed by test/unit/ops/eighSvd.test.ts. JAX in float32.
Run (from scripts/jax):  /tmp/jaxvenv/bin/python run_jax_eigh_svd.py
"""

import jax

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

from fixture_json import Cases  # noqa: E402

f32 = lambda a: np.asarray(a, dtype=np.float32)  # noqa: E731
rng = np.random.default_rng(11)
case = Cases()


def sym(n, *batch):
    a = rng.normal(size=(*batch, n, n))
    return f32((a + np.swapaxes(a, -1, -2)) / 2)


def column_signs(v):
    """+1 or -1 per column: the sign of its largest-magnitude entry."""
    v = np.asarray(v)
    idx = np.argmax(np.abs(v), axis=-2)[..., None, :]
    return np.where(np.take_along_axis(v, idx, axis=-2) >= 0, 1.0, -1.0).astype(np.float32)


def fixed(v):
    return f32(np.asarray(v) * column_signs(v))


S4, S16, S64, SB = sym(4), sym(16), sym(64), sym(5, 3)
for name, a in [("4", S4), ("16", S16), ("64", S64), ("batch", SB)]:
    w, v = jnp.linalg.eigh(a)
    case(f"eigh_w_{name}", [a], w)
    case(f"eigh_v_{name}", [a], fixed(v))
q, _ = np.linalg.qr(rng.normal(size=(5, 5)))
REPEATED = f32(q @ np.diag([1.0, 2.0, 2.0, 2.0, 5.0]) @ q.T)
case("eigh_w_repeated", [REPEATED], jnp.linalg.eigh(REPEATED)[0])
NONSYM = f32(rng.normal(size=(4, 4)))
case("eigh_w_upper", [NONSYM], jnp.linalg.eigh(NONSYM, UPLO="U", symmetrize_input=False)[0])
case("eigh_v_upper", [NONSYM], fixed(jnp.linalg.eigh(NONSYM, UPLO="U", symmetrize_input=False)[1]))
case("eigh_w_lower_raw", [NONSYM], jnp.linalg.eigh(NONSYM, UPLO="L", symmetrize_input=False)[0])
case("eigh_w_symmetrized", [NONSYM], jnp.linalg.eigh(NONSYM)[0])
case("eigvalsh_batch", [SB], jnp.linalg.eigvalsh(SB))
case("eigvalsh_vmap", [SB], jax.vmap(jnp.linalg.eigvalsh)(SB))
ODD = sym(3)
case("eigvalsh_3", [ODD], jnp.linalg.eigvalsh(ODD))
C4 = f32(rng.normal(size=(4,)))
C44 = f32(rng.normal(size=(4, 4)))
case("grad_eigh_values", [S4, C4], jax.grad(lambda a: jnp.sum(jnp.linalg.eigh(a)[0] * C4))(S4))
case("grad_eigh_vectors", [S4, C44], jax.grad(lambda a: jnp.sum(C44 * jnp.linalg.eigh(a)[1] ** 2))(S4))
C5 = f32(np.arange(1.0, 6.0))
case("vmap_grad_eigvalsh", [SB], jax.vmap(jax.grad(lambda a: jnp.sum(jnp.linalg.eigvalsh(a) * C5)))(SB))
case("grad_eigh_values_nonsym", [NONSYM, C4], jax.grad(lambda a: jnp.sum(jnp.linalg.eigvalsh(a) * C4))(NONSYM))

TALL = f32(rng.normal(size=(6, 4)))
WIDE = f32(rng.normal(size=(3, 5)))
SQ = f32(rng.normal(size=(5, 5)))
SVB = f32(rng.normal(size=(3, 5, 4)))
RANK2 = f32(rng.normal(size=(5, 2)) @ rng.normal(size=(2, 4)))
for name, a in [("tall", TALL), ("wide", WIDE), ("square", SQ), ("batch", SVB)]:
    u, s, vh = jnp.linalg.svd(a, full_matrices=False)
    sg = column_signs(u)
    case(f"svd_s_{name}", [a], s)
    case(f"svd_u_{name}", [a], f32(u * sg))
    case(f"svd_vh_{name}", [a], f32(vh * np.swapaxes(sg, -1, -2)))
case("svd_s_full_tall", [TALL], jnp.linalg.svd(TALL)[1])
case("svdvals_rank2", [RANK2], jnp.linalg.svdvals(RANK2))
case("svdvals_vmap", [SVB], jax.vmap(jnp.linalg.svdvals)(SVB))
case("svd_compute_uv_false", [WIDE], jnp.linalg.svd(WIDE, compute_uv=False))
C3 = f32(rng.normal(size=(3,)))
C4b = f32(rng.normal(size=(4,)))
case("grad_svd_sum_s", [TALL], jax.grad(lambda a: jnp.sum(jnp.linalg.svdvals(a)))(TALL))
case("grad_svd_weighted_s", [WIDE, C3], jax.grad(lambda a: jnp.sum(jnp.linalg.svd(a, compute_uv=False) * C3))(WIDE))
CU = f32(rng.normal(size=(6, 4)))
case(
    "grad_svd_vectors",
    [TALL, CU],
    jax.grad(lambda a: jnp.sum(CU * jnp.linalg.svd(a, full_matrices=False)[0] ** 2))(TALL),
)

case("pinv_tall", [TALL], jnp.linalg.pinv(TALL))
case("pinv_rank2", [RANK2], jnp.linalg.pinv(RANK2))
case("pinv_batch", [SVB], jnp.linalg.pinv(SVB))
case("pinv_rtol", [SQ], jnp.linalg.pinv(SQ, rtol=0.3))
CP = f32(rng.normal(size=(4, 6)))
case("grad_pinv", [TALL, CP], jax.grad(lambda a: jnp.sum(CP * jnp.linalg.pinv(a)))(TALL))
case("matrix_rank_full", [TALL], jnp.linalg.matrix_rank(TALL))
case("matrix_rank_rank2", [RANK2], jnp.linalg.matrix_rank(RANK2))
case("matrix_rank_batch", [SVB], jnp.linalg.matrix_rank(SVB))
case("matrix_rank_rtol", [SQ], jnp.linalg.matrix_rank(SQ, rtol=1.0))
case("matrix_rank_vector", [f32([0.0, 0.0, 2.0])], jnp.linalg.matrix_rank(f32([0.0, 0.0, 2.0])))
BV = f32(rng.normal(size=(6,)))
BM = f32(rng.normal(size=(6, 2)))
B5 = f32(rng.normal(size=(5,)))
for name, a, b, kw in [
    ("vector", TALL, BV, {}),
    ("matrix", TALL, BM, {}),
    ("rank2", RANK2, B5, {}),
    ("rcond", TALL, BV, {"rcond": 0.5}),
]:
    x, res, rank, s = jnp.linalg.lstsq(a, b, **kw)
    for k, out in enumerate([x, res, rank, s]):
        case(f"lstsq_{name}_{k}", [a, b], out)

# The matrix norms that need singular values: norm and matrix_norm with ord 2, -2, "nuc".
case("norm_2", [SQ], jnp.linalg.norm(SQ, 2))
case("norm_nuc", [TALL], jnp.linalg.norm(TALL, "nuc"))
case("norm_neg2_axes_keep", [SVB], jnp.linalg.norm(SVB, -2, axis=(2, 0), keepdims=True))
case("matrix_norm_nuc_batch", [SVB], jnp.linalg.matrix_norm(SVB, ord="nuc"))
case("matrix_norm_2_keep", [SVB], jnp.linalg.matrix_norm(SVB, ord=2, keepdims=True))
case("grad_norm_nuc", [TALL], jax.grad(lambda a: jnp.linalg.norm(a, "nuc"))(TALL))

# ZCA whitening: cov = xcᵀxc / n, eigh, project onto the eigenvectors, scale, project back.
DATA = f32(rng.normal(size=(128, 16)) @ (np.diag(np.linspace(0.5, 3.0, 16)) + 0.3 * rng.normal(size=(16, 16))))


def zca(x):
    xc = x - jnp.mean(x, axis=0)
    w, v = jnp.linalg.eigh(xc.T @ xc / x.shape[0])
    return ((xc @ v) / jnp.sqrt(w)) @ v.T


case("zca_whitening", [DATA], jax.jit(zca)(DATA))
case.write("eigh_svd")
