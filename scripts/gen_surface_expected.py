#!/usr/bin/env python3
"""Expected values for the NumPy/JAX surface tests (test/unit/ops/surface*.test.ts).

Writes test/fixtures/expected/surface.json: for every case its inputs and JAX's result, so a test
builds the same call from the same inputs and compares. Computed by JAX in float64 (x64 enabled)
from the float32-rounded inputs (the tests' tolerances cover float32 evaluation). The optimizer
trajectories are optax's update rules written out (optax is not installed beside JAX here).
Run with a Python that has JAX (see scripts/jax/README.md):
    /work/venv-jax/bin/python scripts/gen_surface_expected.py
"""
import json
import math
import os

import jax
import numpy as np

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402

f32 = lambda a: np.asarray(a, dtype=np.float32).astype(np.float64)

X = f32([[1.5, -2.25, 0.5, 3.0], [-0.75, 2.0, -1.0, 0.25], [0.0, 1.25, -3.5, 2.5]])  # [3, 4]
V = f32([0.3, -1.7, 2.2, 0.0, -0.4, 1.1])                                           # [6]
POS = f32([[0.5, 1.5, 2.0], [3.0, 0.25, 1.0]])                                        # [2, 3]
SMALL = f32([-1e-3, 1e-5, 0.02, -0.5, 3.0, -7.0])
ROUNDS = f32([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.49, -3.7])
NONFINITE = np.array([1.0, float("nan"), float("inf"), float("-inf"), -0.0, 3.0])
INTS_A = np.array([7, -7, 7, -7, 0, 9], dtype=np.int64)
INTS_B = np.array([3, 3, -3, -3, 5, 4], dtype=np.int64)
FA = f32([5.5, -5.5, 5.5, -5.5, 0.0, 7.25])
FB = f32([2.0, 2.0, -2.0, -2.0, 3.0, 0.5])
SORTME = np.array([3.0, float("nan"), -1.0, 2.0, -1.0, 0.0, 5.5, 2.0])
LABELS = np.array([0, 2, 1, 3, -1])


def enc(v):
    """Nested lists with NaN/±inf as strings (JSON has no spelling for them)."""
    if isinstance(v, (np.ndarray, jax.Array)):
        return enc(np.asarray(v).tolist())
    if isinstance(v, (list, tuple)):
        return [enc(x) for x in v]
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


cases = {}


def case(name, inputs, out):
    cases[name] = {"inputs": [enc(i) for i in inputs], "expect": enc(out)}


with np.errstate(all="ignore"):
    # elementwise
    case("floor", [ROUNDS], jnp.floor(ROUNDS))
    case("ceil", [ROUNDS], jnp.ceil(ROUNDS))
    case("round", [ROUNDS], jnp.round(ROUNDS))
    case("round_2", [f32([1.2345, -2.6789, 3.14159])], jnp.round(f32([1.2345, -2.6789, 3.14159]), 2))
    case("log1p", [SMALL], jnp.log1p(SMALL))
    case("expm1", [SMALL], jnp.expm1(SMALL))
    case("log2", [POS], jnp.log2(POS))
    case("log10", [POS], jnp.log10(POS))
    case("exp2", [X], jnp.exp2(X))
    case("reciprocal", [POS], jnp.reciprocal(POS))
    case("logaddexp", [X, X[::-1]], jnp.logaddexp(X, X[::-1]))
    case("isnan", [NONFINITE], jnp.isnan(NONFINITE))
    case("isinf", [NONFINITE], jnp.isinf(NONFINITE))
    case("isfinite", [NONFINITE], jnp.isfinite(NONFINITE))
    case("mod_int", [INTS_A, INTS_B], jnp.mod(INTS_A, INTS_B))
    case("floor_divide_int", [INTS_A, INTS_B], jnp.floor_divide(INTS_A, INTS_B))
    case("mod_float", [FA, FB], jnp.mod(FA, FB))
    case("floor_divide_float", [FA, FB], jnp.floor_divide(FA, FB))
    case("clip", [X], jnp.clip(X, -1.0, 2.0))
    LA, LB = np.array([True, True, False, False]), np.array([True, False, True, False])
    case("logical", [LA, LB], [jnp.logical_and(LA, LB), jnp.logical_or(LA, LB), jnp.logical_xor(LA, LB)])
    case("rsqrt", [POS], 1 / jnp.sqrt(POS))
    # reductions and scans
    case("var", [X], jnp.var(X))
    case("var_axis0_ddof1", [X], jnp.var(X, axis=0, ddof=1))
    case("std_axis1_keepdims", [X], jnp.std(X, axis=1, keepdims=True))
    case("prod_axis1", [X], jnp.prod(X, axis=1))
    case("prod_all", [POS], jnp.prod(POS))
    AN, AL = np.array([[0, 0, 1], [0, 0, 0]]), np.array([[1, 2, 3], [1, 0, 1]])
    case("any_all", [AN], [jnp.any(AN, axis=1), jnp.all(AL, axis=1)])
    case("cumsum_axis1", [X], jnp.cumsum(X, axis=1))
    case("cumsum_flat", [X], jnp.cumsum(X))
    case("cumprod_axis0", [X], jnp.cumprod(X, axis=0))
    case("sort", [SORTME], jnp.sort(SORTME))
    case("argsort", [SORTME], jnp.argsort(SORTME, stable=True))
    case("sort_axis0", [X], jnp.sort(X, axis=0))
    case("argsort_axis0", [X], jnp.argsort(X, axis=0, stable=True))
    TK = np.array([1.0, 5.0, 3.0, 5.0, -2.0, 4.0])
    case("top_k", [TK], list(jax.lax.top_k(TK, 3)))
    # shape
    case("pad", [POS], jnp.pad(POS, [[1, 0], [2, 1]], constant_values=-1.0))
    case("roll", [X], jnp.roll(X, 1, axis=1))
    case("roll_flat", [X], jnp.roll(X, -5))
    case("roll_2axes", [X], jnp.roll(X, (1, -1), axis=(0, 1)))
    case("tril", [X], jnp.tril(X))
    case("triu_k1", [X], jnp.triu(X, 1))
    case("tril_km1", [X], jnp.tril(X, -1))
    case("split", [V], jnp.split(V, 3))
    case("split_indices", [X], jnp.split(X, [1, 3], axis=1))
    case("tile", [POS], jnp.tile(POS, (2, 1)))
    case("tile_rank_up", [V[:2]], jnp.tile(V[:2], (2, 2)))
    case("repeat_axis0", [POS], jnp.repeat(POS, 2, axis=0))
    case("repeat_flat", [POS], jnp.repeat(POS, 2))
    case("flip", [X], jnp.flip(X, 1))
    case("flip_all", [X], jnp.flip(X))
    case("outer", [V[:3], V[3:]], jnp.outer(V[:3], V[3:]))
    case("einsum_matmul", [X, X.T], jnp.einsum("ij,jk->ik", X, X.T))
    case("einsum_batch", [X.reshape(3, 2, 2), X.reshape(3, 2, 2)], jnp.einsum("bij,bkj->bik", X.reshape(3, 2, 2), X.reshape(3, 2, 2)))
    case("einsum_trace_free", [X, V[:4]], jnp.einsum("ij,j->i", X, V[:4]))
    case("einsum_implicit", [X, X], jnp.einsum("ij,ij", X, X))
    case("einsum_three", [POS, POS.T, POS], jnp.einsum("ab,bc,cd->ad", POS, POS.T, POS))
    case("norm", [X], jnp.linalg.norm(X))
    case("norm_ord1_axis1", [X], jnp.linalg.norm(X, 1, axis=1))
    case("norm_inf_vector", [V], jnp.linalg.norm(V, np.inf))
    case("norm_3", [V], jnp.linalg.norm(V, 3))
    case("norm_matrix_1", [X], jnp.linalg.norm(X, 1))
    case("norm_matrix_inf", [X], jnp.linalg.norm(X, np.inf))
    # nn
    case("one_hot", [LABELS], jax.nn.one_hot(LABELS, 4))
    case("softplus", [X], jax.nn.softplus(X))
    case("silu", [X], jax.nn.silu(X))
    case("leaky_relu", [X], jax.nn.leaky_relu(X))
    case("elu", [X], jax.nn.elu(X))
    case("log_sigmoid", [X], jax.nn.log_sigmoid(X))
    case("standardize", [X], jax.nn.standardize(X))
    case("log_softmax", [X], jax.nn.log_softmax(X))

    # optim: three steps of each optimizer on f(w) = sum(w²)/2 + w·c, grad = w + c
    c = f32([0.5, -1.0, 2.0])
    w0 = f32([1.0, 2.0, -3.0])

    def run(update):
        w, state = w0.copy(), None
        traj = []
        for t in range(1, 4):
            g = w + c
            u, state = update(g, state, w, t)
            w = w + u
            traj.append(w.copy())
        return traj

    def sgd(g, s, w, t):
        return -0.1 * g, s

    def momentum(g, s, w, t):
        v = g + 0.9 * (s if s is not None else 0)
        return -0.1 * v, v

    def adam_like(wd):
        def upd(g, s, w, t):
            m, v = s if s is not None else (0.0, 0.0)
            m = 0.9 * m + 0.1 * g
            v = 0.999 * v + 0.001 * g * g
            mh = m / (1 - 0.9 ** t)
            vh = v / (1 - 0.999 ** t)
            return -0.1 * (mh / (np.sqrt(vh) + 1e-8) + wd * w), (m, v)
        return upd

    case("optim_sgd", [w0, c], run(sgd))
    case("optim_momentum", [w0, c], run(momentum))
    case("optim_adam", [w0, c], run(adam_like(0.0)))
    case("optim_adamw", [w0, c], run(adam_like(0.01)))

out = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "expected", "surface.json")
with open(out, "w") as fh:
    json.dump({"generator": "scripts/gen_surface_expected.py", "jax": jax.__version__, "cases": cases}, fh, indent=None, separators=(",", ":"))
    fh.write("\n")
print(f"wrote {len(cases)} cases to {os.path.normpath(out)}")
