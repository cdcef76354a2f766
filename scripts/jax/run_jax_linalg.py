"""np.linalg factorisations in JAX: writes test/fixtures/jax/linalg.json, replayed by
test/unit/ops/linalgJax.test.ts on CPU and WebGPU, eager and under jit, where each case is written
again with our API under the same name. Inputs are float32 values built here from closed formulas
(SPD matrices as A·Aᵀ + n·I) and stored in the fixture; JAX evaluates in float64 on those float32
values, so the expected values carry no float32 error of their own, and each case records the
2-norm condition number of its matrices, which sets the test's tolerance. Run:
    /tmp/venv/bin/python scripts/jax/run_jax_linalg.py
"""
import json
import os

import jax

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from jax.scipy.linalg import solve_triangular  # noqa: E402


def f32(x):
    return np.asarray(x, np.float32)


def grid(shape, salt):
    """((k·7 + salt) mod 11 − 5) / 4 in row-major order: exact in float32."""
    k = np.arange(int(np.prod(shape))) * 7 + salt
    return f32(((k % 11) - 5) / 4.0).reshape(shape)


def spd(n, salt, batch=()):
    a = grid((*batch, n, n), salt).astype(np.float64)
    return f32(a @ np.swapaxes(a, -1, -2) + n * np.eye(n))


def general(n, salt):
    a = grid((n, n), salt) + f32(np.diag(np.arange(1, n + 1) % 3))
    a[0, 0] = 0.0  # the first column needs a row exchange
    return f32(a)


# Ill-conditioned but valid: eigenvalues 1 … 1e-3 in a fixed orthogonal basis (cond 1e3).
_q, _ = np.linalg.qr(grid((6, 6), 5).astype(np.float64) + 3 * np.eye(6))
ILL = f32(_q @ np.diag(np.logspace(0, -3, 6)) @ _q.T)

A2 = f32([[4.0, 2.0], [2.0, 3.0]])
S8 = spd(8, 1)
G5 = general(5, 2)
B3 = spd(8, 3, (3,))
W8 = grid((8, 8), 4)
W5 = grid((5, 5), 6)
R83 = grid((8, 3), 7)
R52 = grid((5, 2), 8)
T8 = grid((8, 8), 9)
L8 = f32(np.linalg.cholesky(S8.astype(np.float64)))

# A Gaussian process on 12 inputs: an RBF kernel (variance 1.3) plus noise 0.1, and its negative
# log marginal likelihood in the log-lengthscale, through cholesky and solve_triangular.
GP_X = f32(np.linspace(-2.0, 2.0, 12))
GP_Y = f32(np.sin(3.0 * GP_X) + 0.3 * np.cos(7.0 * GP_X))


def gp_nll(log_ell, x, y):
    d = x[:, None] - x[None, :]
    k = 1.3 * jnp.exp(-0.5 * d * d / jnp.exp(2.0 * log_ell)) + 0.1 * jnp.eye(x.shape[0])
    l = jnp.linalg.cholesky(k)
    alpha = solve_triangular(l, y, lower=True)
    return 0.5 * jnp.sum(alpha * alpha) + jnp.sum(jnp.log(jnp.diagonal(l))) + 0.5 * x.shape[0] * jnp.log(2 * jnp.pi)


def gp_nll_slogdet(log_ell, x, y):
    d = x[:, None] - x[None, :]
    k = 1.3 * jnp.exp(-0.5 * d * d / jnp.exp(2.0 * log_ell)) + 0.1 * jnp.eye(x.shape[0])
    return 0.5 * y @ jnp.linalg.solve(k, y) + 0.5 * jnp.linalg.slogdet(k)[1] + 0.5 * x.shape[0] * jnp.log(2 * jnp.pi)


def logdet(a):
    return jnp.linalg.slogdet(a)[1]


def jvp1(f):
    return lambda a, t: jax.jvp(f, (a,), (t,))[1]


LN = jnp.linalg
CASES = {
    # The 2×2 worked by hand in the test as well: L = [[2, 0], [1, √2]], det 8, inv = [[3, -2], [-2, 4]] / 8.
    "cholesky/2x2": (LN.cholesky, [A2]),
    "solve/2x2": (LN.solve, [A2, f32([1.0, 2.0])]),
    "inv/2x2": (LN.inv, [A2]),
    "det/2x2": (LN.det, [A2]),
    "slogdet/2x2": (lambda a: tuple(LN.slogdet(a)), [A2]),
    "cholesky/spd8": (LN.cholesky, [S8]),
    "cholesky-upper/spd8": (lambda a: LN.cholesky(a, upper=True), [S8]),
    "solve_triangular/lower/spd8": (lambda l, b: solve_triangular(l, b, lower=True), [L8, R83]),
    "solve_triangular/trans/spd8": (lambda l, b: solve_triangular(l, b, lower=True, trans=1), [L8, R83]),
    "solve_triangular/upper/spd8": (lambda l, b: solve_triangular(l.T, b, lower=False), [L8, R83]),
    "solve_triangular/unit-vector/spd8": (
        lambda l, b: solve_triangular(l, b, lower=True, unit_diagonal=True),
        [L8, R83[:, 0]],
    ),
    "solve/spd8": (LN.solve, [S8, R83]),
    "solve/general5": (LN.solve, [G5, R52]),
    "solve-vector/general5": (LN.solve, [G5, R52[:, 1]]),
    "inv/general5": (LN.inv, [G5]),
    "det/general5": (LN.det, [G5]),
    "slogdet/general5": (lambda a: tuple(LN.slogdet(a)), [G5]),
    "det/spd8": (LN.det, [S8]),
    "cholesky/batched": (LN.cholesky, [B3]),
    "solve/batched": (LN.solve, [B3, grid((3, 8, 2), 10)]),
    "solve/batched-broadcast-b": (LN.solve, [B3, grid((8, 2), 11)]),
    "inv/batched": (LN.inv, [B3]),
    "det/batched": (LN.det, [B3]),
    "slogdet/batched": (lambda a: tuple(LN.slogdet(a)), [B3]),
    "cholesky/not-positive-definite": (LN.cholesky, [f32([[1.0, 2.0], [2.0, 1.0]])]),
    "det/singular": (LN.det, [f32([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]])]),
    "slogdet/singular": (lambda a: tuple(LN.slogdet(a)), [f32([[1.0, 2.0], [2.0, 4.0]])]),
    "cholesky/ill-conditioned": (LN.cholesky, [ILL]),
    "solve/ill-conditioned": (LN.solve, [ILL, grid((6, 2), 12)]),
    "slogdet/ill-conditioned": (lambda a: tuple(LN.slogdet(a)), [ILL]),
    # Gradients (reverse mode) of scalar functions, in every array argument.
    "grad/cholesky/spd8": (jax.grad(lambda a, w: jnp.sum(w * LN.cholesky(a))), [S8, W8]),
    "grad/solve_triangular/spd8": (
        jax.grad(lambda l, b: jnp.sum(jnp.sin(solve_triangular(l, b, lower=True))), argnums=(0, 1)),
        [L8, R83],
    ),
    "grad/solve/general5": (jax.grad(lambda a, b: jnp.sum(jnp.sin(LN.solve(a, b))), argnums=(0, 1)), [G5, R52]),
    "grad/inv/general5": (jax.grad(lambda a, w: jnp.sum(w * LN.inv(a))), [G5, W5]),
    "grad/det/general5": (jax.grad(LN.det), [G5]),
    "grad/logdet/spd8": (jax.grad(logdet), [S8]),
    "grad/logdet/ill-conditioned": (jax.grad(logdet), [ILL]),
    "grad/cholesky/batched": (jax.grad(lambda a: jnp.sum(jnp.tanh(LN.cholesky(a)))), [B3]),
    "grad2/logdet/spd8": (jax.grad(lambda a, w: jnp.sum(w * jax.grad(logdet)(a))), [S8, W8]),
    "gp/nll": (gp_nll, [f32(np.log(0.7)), GP_X, GP_Y]),
    "gp/grad-lengthscale": (jax.grad(gp_nll), [f32(np.log(0.7)), GP_X, GP_Y]),
    "gp/grad-lengthscale-slogdet": (jax.grad(gp_nll_slogdet), [f32(np.log(0.7)), GP_X, GP_Y]),
    # Forward mode.
    "jvp/cholesky/spd8": (jvp1(LN.cholesky), [S8, T8]),
    "jvp/inv/general5": (jvp1(LN.inv), [G5, W5]),
    "jvp/det/general5": (jvp1(LN.det), [G5, W5]),
    "jvp/solve/general5": (lambda a, t, b: jax.jvp(lambda m: LN.solve(m, b), (a,), (t,))[1], [G5, W5, R52]),
    # vmap over the leading axis of a batch.
    "vmap/grad-logdet/batched": (jax.vmap(jax.grad(logdet)), [B3]),
    "vmap/solve/batched": (jax.vmap(LN.solve), [B3, grid((3, 8, 2), 10)]),
}


def gp_kernel(log_ell, x):
    d = x[:, None] - x[None, :]
    return 1.3 * np.exp(-0.5 * d * d / np.exp(2.0 * log_ell)) + 0.1 * np.eye(x.shape[0])


def cond(name, args):
    """The 2-norm condition number of the matrix the case factorises (the first argument; the
    GP's kernel matrix), the largest over a batch; 1 for singular matrices (exact answers)."""
    x = np.asarray(args[0], np.float64)
    if name.startswith("gp/"):
        x = gp_kernel(x, np.asarray(args[1], np.float64))
    with np.errstate(all="ignore"):
        k = np.linalg.cond(x)
    return float(np.max(np.where(np.isfinite(k) & (k < 1e12), k, 1.0)))


def plain(y):
    """NaN as null, ±inf as the strings "inf" / "-inf" (JSON has neither)."""
    if isinstance(y, (tuple, list)):
        return [plain(v) for v in y]
    y = np.asarray(y, np.float64)
    if y.ndim == 0:
        v = float(y)
        return None if np.isnan(v) else ("inf" if v == np.inf else "-inf" if v == -np.inf else v)
    return [plain(v) for v in y]


out = []
for name, (fn, args) in CASES.items():
    xs = [jnp.asarray(np.asarray(a, np.float64)) for a in args]
    y = fn(*xs)
    out.append(
        {
            "name": name,
            "args": [np.asarray(a, np.float64).tolist() for a in args],
            "y": plain(y),
            "cond": cond(name, args),
        }
    )

path = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "jax", "linalg.json")
with open(path, "w") as fh:
    json.dump({"jax": jax.__version__, "cases": out}, fh)
    fh.write("\n")
print(f"wrote {len(out)} cases to {os.path.normpath(path)}")
