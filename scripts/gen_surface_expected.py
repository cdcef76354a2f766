#!/usr/bin/env python3
"""Expected values for the NumPy/JAX surface tests (test/unit/ops/surface*.test.ts).

Writes test/fixtures/expected/surface.json: for every case its inputs and NumPy's result, so a
test builds the same call from the same inputs and compares. Computed in float64 from the
float32-rounded inputs (the tests' tolerances cover float32 evaluation). JAX itself could not be
installed here (no PyPI access), so the reference is NumPy with JAX's definitions written out
where the two differ (softplus, one_hot, standardize, top_k, Adam). Run:
    python3 scripts/gen_surface_expected.py
"""
import json
import math
import os

import numpy as np

f32 = lambda a: np.asarray(a, dtype=np.float32).astype(np.float64)

X = f32([[1.5, -2.25, 0.5, 3.0], [-0.75, 2.0, -1.0, 0.25], [0.0, 1.25, -3.5, 2.5]])  # [3, 4]
V = f32([0.3, -1.7, 2.2, 0.0, -0.4, 1.1])                                           # [6]
POS = f32([[0.5, 1.5, 2.0], [3.0, 0.25, 1.0]])                                        # [2, 3]
SMALL = f32([-1e-3, 1e-5, 0.02, -0.5, 3.0, -7.0])
ROUNDS = f32([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.49, -3.7])
NONFINITE = [1.0, float("nan"), float("inf"), float("-inf"), -0.0, 3.0]
INTS_A = np.array([7, -7, 7, -7, 0, 9], dtype=np.int64)
INTS_B = np.array([3, 3, -3, -3, 5, 4], dtype=np.int64)
FA = f32([5.5, -5.5, 5.5, -5.5, 0.0, 7.25])
FB = f32([2.0, 2.0, -2.0, -2.0, 3.0, 0.5])
SORTME = [3.0, float("nan"), -1.0, 2.0, -1.0, 0.0, 5.5, 2.0]
LABELS = [0, 2, 1, 3, -1]


def enc(v):
    """Nested lists with NaN/±inf as strings (JSON has no spelling for them)."""
    if isinstance(v, np.ndarray):
        return enc(v.tolist())
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


def softplus(x):
    return np.logaddexp(x, 0.0)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


with np.errstate(all="ignore"):
    # elementwise
    case("floor", [ROUNDS], np.floor(ROUNDS))
    case("ceil", [ROUNDS], np.ceil(ROUNDS))
    case("round", [ROUNDS], np.round(ROUNDS))
    case("round_2", [f32([1.2345, -2.6789, 3.14159])], np.round(f32([1.2345, -2.6789, 3.14159]), 2))
    case("log1p", [SMALL], np.log1p(SMALL))
    case("expm1", [SMALL], np.expm1(SMALL))
    case("log2", [POS], np.log2(POS))
    case("log10", [POS], np.log10(POS))
    case("exp2", [X], np.exp2(X))
    case("reciprocal", [POS], np.reciprocal(POS))
    case("logaddexp", [X, X[::-1]], np.logaddexp(X, X[::-1]))
    case("isnan", [NONFINITE], np.isnan(NONFINITE))
    case("isinf", [NONFINITE], np.isinf(NONFINITE))
    case("isfinite", [NONFINITE], np.isfinite(NONFINITE))
    case("mod_int", [INTS_A, INTS_B], np.mod(INTS_A, INTS_B))
    case("floor_divide_int", [INTS_A, INTS_B], np.floor_divide(INTS_A, INTS_B))
    case("mod_float", [FA, FB], np.mod(FA, FB))
    case("floor_divide_float", [FA, FB], np.floor_divide(FA, FB))
    case("clip", [X], np.clip(X, -1.0, 2.0))
    case("logical", [[True, True, False, False], [True, False, True, False]],
         [np.logical_and([1, 1, 0, 0], [1, 0, 1, 0]), np.logical_or([1, 1, 0, 0], [1, 0, 1, 0]), np.logical_xor([1, 1, 0, 0], [1, 0, 1, 0])])
    case("rsqrt", [POS], 1 / np.sqrt(POS))
    # reductions and scans
    case("var", [X], np.var(X))
    case("var_axis0_ddof1", [X], np.var(X, axis=0, ddof=1))
    case("std_axis1_keepdims", [X], np.std(X, axis=1, keepdims=True))
    case("prod_axis1", [X], np.prod(X, axis=1))
    case("prod_all", [POS], np.prod(POS))
    case("any_all", [[[0, 0, 1], [0, 0, 0]]], [np.any([[0, 0, 1], [0, 0, 0]], axis=1), np.all([[1, 2, 3], [1, 0, 1]], axis=1)])
    case("cumsum_axis1", [X], np.cumsum(X, axis=1))
    case("cumsum_flat", [X], np.cumsum(X))
    case("cumprod_axis0", [X], np.cumprod(X, axis=0))
    case("sort", [SORTME], np.sort(SORTME))
    case("argsort", [SORTME], np.argsort(SORTME, kind="stable"))
    case("sort_axis0", [X], np.sort(X, axis=0))
    case("argsort_axis0", [X], np.argsort(X, axis=0, kind="stable"))
    # lax.top_k: largest first, ties by lower index (a stable sort of -x)
    tk = np.argsort(-np.array([1.0, 5.0, 3.0, 5.0, -2.0, 4.0]), kind="stable")[:3]
    case("top_k", [[1.0, 5.0, 3.0, 5.0, -2.0, 4.0]], [np.array([1.0, 5.0, 3.0, 5.0, -2.0, 4.0])[tk], tk])
    # shape
    case("pad", [POS], np.pad(POS, [[1, 0], [2, 1]], constant_values=-1.0))
    case("roll", [X], np.roll(X, 1, axis=1))
    case("roll_flat", [X], np.roll(X, -5))
    case("roll_2axes", [X], np.roll(X, (1, -1), axis=(0, 1)))
    case("tril", [X], np.tril(X))
    case("triu_k1", [X], np.triu(X, 1))
    case("tril_km1", [X], np.tril(X, -1))
    case("split", [V], np.split(V, 3))
    case("split_indices", [X], np.split(X, [1, 3], axis=1))
    case("tile", [POS], np.tile(POS, (2, 1)))
    case("tile_rank_up", [V[:2]], np.tile(V[:2], (2, 2)))
    case("repeat_axis0", [POS], np.repeat(POS, 2, axis=0))
    case("repeat_flat", [POS], np.repeat(POS, 2))
    case("flip", [X], np.flip(X, 1))
    case("flip_all", [X], np.flip(X))
    case("outer", [V[:3], V[3:]], np.outer(V[:3], V[3:]))
    case("einsum_matmul", [X, X.T], np.einsum("ij,jk->ik", X, X.T))
    case("einsum_batch", [X.reshape(3, 2, 2), X.reshape(3, 2, 2)], np.einsum("bij,bkj->bik", X.reshape(3, 2, 2), X.reshape(3, 2, 2)))
    case("einsum_trace_free", [X, V[:4]], np.einsum("ij,j->i", X, V[:4]))
    case("einsum_implicit", [X, X], np.einsum("ij,ij", X, X))
    case("einsum_three", [POS, POS.T, POS], np.einsum("ab,bc,cd->ad", POS, POS.T, POS))
    case("norm", [X], np.linalg.norm(X))
    case("norm_ord1_axis1", [X], np.linalg.norm(X, 1, axis=1))
    case("norm_inf_vector", [V], np.linalg.norm(V, np.inf))
    case("norm_3", [V], np.linalg.norm(V, 3))
    case("norm_matrix_1", [X], np.linalg.norm(X, 1))
    case("norm_matrix_inf", [X], np.linalg.norm(X, np.inf))
    # nn
    case("one_hot", [LABELS], (np.array(LABELS)[:, None] == np.arange(4)[None, :]).astype(np.float32))
    case("softplus", [X], softplus(X))
    case("silu", [X], X * sigmoid(X))
    case("leaky_relu", [X], np.where(X >= 0, X, 0.01 * X))
    case("elu", [X], np.where(X > 0, X, np.expm1(X)))
    case("log_sigmoid", [X], -softplus(-X))
    mean = X.mean(-1, keepdims=True)
    case("standardize", [X], (X - mean) / np.sqrt(X.var(-1, keepdims=True) + 1e-5))
    case("log_softmax", [X], X - np.log(np.exp(X).sum(-1, keepdims=True)))

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
    json.dump({"generator": "scripts/gen_surface_expected.py", "numpy": np.__version__, "cases": cases}, fh, indent=None, separators=(",", ":"))
    fh.write("\n")
print(f"wrote {len(cases)} cases to {os.path.normpath(out)}")
