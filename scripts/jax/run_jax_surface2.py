#!/usr/bin/env python3
"""Expected values for the second NumPy/JAX surface batch: trigonometric and hyperbolic functions
(values, gradients and domain edges), lax.dynamic_slice / dynamic_update_slice (clamping,
gradients, inside fori_loop, under vmap), diag / diagonal / trace / meshgrid / inner / cross /
kron, and erf / erfc.

Writes test/fixtures/jax/surface2.json, replayed by test/unit/ops/surface2*.test.ts. JAX runs in
float32 (its default) on float32 inputs, so the values are what a JAX user sees; the tests'
tolerances cover the last-ulp differences between backends. NaN, ±inf and -0 are strings.
Run:  /tmp/venv/bin/python scripts/jax/run_jax_surface2.py   (any Python with JAX)
"""
import json
import os

import jax
import jax.numpy as jnp
import numpy as np

from fixture_json import enc
from jax import lax

f32 = lambda a: np.asarray(a, dtype=np.float32)


cases = {}


def case(name, inputs, out):
    cases[name] = {"inputs": [enc(i) for i in inputs], "expect": enc(out)}


def flat(*xs):
    """Differently shaped results as one flat list (the tests concatenate theirs the same way)."""
    return jnp.concatenate([jnp.ravel(x) for x in xs])


def grad_each(f, x):
    """d f(x_i) / d x_i for each element (f elementwise)."""
    return jax.vmap(jax.grad(f))(x)


# --- 1. trigonometric and hyperbolic -------------------------------------------------------------
WIDE = f32([-3.0, -1.2, -0.5, -1e-4, 0.0, 1e-4, 0.3, 0.7, 1.4, 2.5, 10.0, 100.0])
UNIT = f32([-0.999, -0.9, -0.5, -0.1, -1e-5, 0.0, 1e-5, 0.2, 0.6, 0.95, 0.9999])
ABOVE1 = f32([1.0, 1.0001, 1.01, 1.5, 2.0, 10.0, 1e3, 3e4, 1e6])
BIG = f32([-88.5, -50.0, -20.0, -1.0, -1e-6, 0.0, 1e-6, 0.5, 5.0, 20.0, 80.0, 88.5, 89.2, 90.0])
SINHG = f32([-88.0, -20.0, -1.0, -1e-6, 0.0, 1e-6, 0.5, 5.0, 20.0, 80.0, 88.0])
ASINH = f32([-3e5, -50.0, -1.0, -1e-6, 0.0, 1e-6, 0.5, 3.0, 9e3, 2e4, 1e10, 1e30])
TAN_X = f32([-1.5, -0.7, -1e-5, 0.0, 0.4, 1.0, 1.5, 1.5707, 3.0, 20.0, 1000.0])

for name, xs in [
    ("tan", TAN_X),
    ("arcsin", UNIT),
    ("arccos", UNIT),
    ("arctan", f32([-1e30, -50.0, -2.5, -1.0, -0.4, -1e-6, 0.0, 1e-6, 0.41, 0.42, 1.0, 2.4, 2.5, 1e4, 1e30])),
    ("sinh", BIG),
    ("cosh", BIG),
    ("arcsinh", ASINH),
    ("arccosh", ABOVE1),
    ("arctanh", UNIT),
]:
    f = getattr(jnp, name)
    case(name, [xs], f(xs))

GRADS = {
    "tan": TAN_X[TAN_X != 1.5707],
    "arcsin": UNIT,
    "arccos": UNIT,
    "arctan": f32([-50.0, -2.5, -1.0, -0.4, 0.0, 0.41, 0.42, 1.0, 2.4, 2.5, 1e4]),
    "sinh": SINHG,
    "cosh": SINHG,
    "arcsinh": f32([-3e5, -50.0, -1.0, 0.0, 0.5, 3.0, 9e3, 2e4]),
    "arccosh": f32([1.0001, 1.01, 1.5, 2.0, 10.0, 1e3, 3e4]),
    "arctanh": UNIT,
}
for name, xs in GRADS.items():
    case(f"grad_{name}", [xs], grad_each(getattr(jnp, name), xs))

# Domain edges, each defined by JAX: NaN outside, ±inf at the poles, exact ends.
case("edge_arcsin", [f32([1.5, -1.5, 1.0, -1.0])], jnp.arcsin(f32([1.5, -1.5, 1.0, -1.0])))
case("edge_arccos", [f32([1.5, -1.5, 1.0, -1.0])], jnp.arccos(f32([1.5, -1.5, 1.0, -1.0])))
case("edge_arctanh", [f32([1.0, -1.0, 1.5, -2.0])], jnp.arctanh(f32([1.0, -1.0, 1.5, -2.0])))
case("edge_arccosh", [f32([1.0, 0.5, -1.0, -3.0])], jnp.arccosh(f32([1.0, 0.5, -1.0, -3.0])))
case("edge_grad_arcsin", [f32([1.0, -1.0])], grad_each(jnp.arcsin, f32([1.0, -1.0])))
case("edge_grad_arccos", [f32([1.0, -1.0])], grad_each(jnp.arccos, f32([1.0, -1.0])))
case("edge_grad_arctanh", [f32([1.0, -1.0])], grad_each(jnp.arctanh, f32([1.0, -1.0])))
case("edge_grad_arccosh", [f32([1.0])], grad_each(jnp.arccosh, f32([1.0])))
case("edge_sinh_cosh", [f32([89.0, -89.0, 89.5, 200.0, -200.0])],
     [jnp.sinh(f32([89.0, -89.0, 89.5, 200.0, -200.0])), jnp.cosh(f32([89.0, -89.0, 89.5, 200.0, -200.0]))])

# arctan2: every quadrant, the axes, signed zeros and infinities.
Y2 = f32([1.0, 1.0, -1.0, -1.0, 0.0, -0.0, 0.0, -0.0, 3.0, -3.0, 0.0, 2.0, np.inf, np.inf, -np.inf, 1.0, np.nan, 1e-30, 1e30])
X2 = f32([2.0, -2.0, 2.0, -2.0, 0.0, 0.0, -0.0, -0.0, 0.0, 0.0, -5.0, 1e-20, np.inf, -np.inf, 1.0, -np.inf, 1.0, 1e30, 1e-30])
case("arctan2", [Y2, X2], jnp.arctan2(Y2, X2))
GY = f32([1.0, -1.0, 0.3, -2.5, 4.0])
GX = f32([2.0, -2.0, -0.7, 1.5, 0.0])
case("grad_arctan2", [GY, GX], jax.vmap(jax.grad(jnp.arctan2, argnums=(0, 1)))(GY, GX))

HX = f32([3.0, -3.0, 0.0, 1e30, 1e-30, 0.0, np.inf, -np.inf, np.nan, 5.0, 2e19])
HY = f32([4.0, 4.0, 0.0, 1e30, 1e-30, -7.0, np.nan, 1.0, np.inf, np.nan, 2e19])
case("hypot", [HX, HY], jnp.hypot(HX, HY))
case("grad_hypot", [f32([3.0, -1.0, 0.5]), f32([4.0, 2.0, -1e-3])],
     jax.vmap(jax.grad(jnp.hypot, argnums=(0, 1)))(f32([3.0, -1.0, 0.5]), f32([4.0, 2.0, -1e-3])))
DEG = f32([-720.0, -90.0, 0.0, 45.0, 180.0, 359.0])
case("deg2rad", [DEG], jnp.deg2rad(DEG))
case("rad2deg", [DEG], jnp.rad2deg(DEG))
case("int_inputs", [[-2, 0, 1, 3]], [jnp.arctan(jnp.array([-2, 0, 1, 3])), jnp.sinh(jnp.array([-2, 0, 1, 3])),
                                    jnp.tan(jnp.array([-2, 0, 1, 3])), jnp.deg2rad(jnp.array([-2, 0, 1, 3]))])

# --- 4. lax.dynamic_slice and friends -----------------------------------------------------------
M = f32(np.arange(24).reshape(4, 6) * 0.5 - 3.0)       # [4, 6]
W = f32(np.linspace(-1.0, 2.0, 6).reshape(2, 3))         # weights for a [2, 3] slice
U = f32([[10.0, 11.0, 12.0], [13.0, 14.0, 15.0]])        # a [2, 3] update
STARTS = [(1, 2), (3, 5), (-1, -2), (-9, 1), (0, 0)]    # inside, clamped high, negative, clamped low
for k, (i, j) in enumerate(STARTS):
    case(f"ds_{k}", [M, [i, j]], lax.dynamic_slice(M, (i, j), (2, 3)))
    case(f"dus_{k}", [M, U, [i, j]], lax.dynamic_update_slice(M, U, (i, j)))
    case(f"ds_grad_{k}", [M, W, [i, j]], jax.grad(lambda x: jnp.sum(lax.dynamic_slice(x, (i, j), (2, 3)) * W))(M))
    gx, gu = jax.grad(lambda x, u: jnp.sum(lax.dynamic_update_slice(x, u, (i, j)) * M), argnums=(0, 1))(M, U)
    case(f"dus_grad_{k}", [M, U, [i, j]], jnp.concatenate([gx.ravel(), gu.ravel()]))
case("ds_in_dim", [M], flat(lax.dynamic_slice_in_dim(M, 2, 3, axis=1), lax.dynamic_index_in_dim(M, 3, 0, keepdims=False),
                            lax.dynamic_index_in_dim(M, -1, 1, keepdims=True)))
U4 = f32([10.0, 11.0, 12.0, 13.0])
case("dus_in_dim", [M, U4], flat(lax.dynamic_update_slice_in_dim(M, U[:, :2], 1, axis=1),
                                 lax.dynamic_update_index_in_dim(M, U4, 4, axis=1),
                                 lax.dynamic_update_index_in_dim(M, U4[None, :3], 1, axis=0)))
VSTARTS = np.array([0, 1, 3, -1, 7], dtype=np.int32)
case("ds_vmap", [M, VSTARTS], jax.vmap(lambda i: lax.dynamic_slice(M, (i, 1), (2, 4)))(VSTARTS))
case("dus_vmap", [M, U, VSTARTS], jax.vmap(lambda i: lax.dynamic_update_slice(M, U, (1, i)))(VSTARTS))
case("ds_vmap_grad", [M, VSTARTS], jax.vmap(lambda i: jax.grad(lambda x: jnp.sum(lax.dynamic_slice(x, (i, 1), (2, 4)) ** 2))(M))(VSTARTS))


def row_loop(x):
    """Sum over i of (i + 1) * row i of x, each row read by dynamic_index_in_dim with the counter."""
    body = lambda i, acc: acc + lax.dynamic_index_in_dim(x, i, 0, keepdims=False) * (i + 1).astype(x.dtype)
    return lax.fori_loop(0, x.shape[0], body, jnp.zeros(x.shape[1], x.dtype))


case("ds_fori", [M], row_loop(M))
case("ds_fori_grad", [M], jax.grad(lambda x: jnp.sum(row_loop(x) ** 2))(M))
case("ds_jit_arg", [M, [2, 3]], jax.jit(lambda x, i, j: lax.dynamic_slice(x, (i, j), (2, 3)))(M, 2, 3))

# --- 2. constants ------------------------------------------------------------------------------
case("constants", [], [jnp.pi, jnp.e, jnp.euler_gamma, jnp.inf, jnp.nan])
case("constants_weak", [DEG], [DEG * jnp.float32(jnp.pi), jnp.where(DEG > 0, DEG, jnp.nan)])

# --- 3. diag, diagonal, trace, meshgrid, inner, cross, kron ---------------------------------------
R = f32(np.arange(12).reshape(3, 4) * 0.5 - 2.0)         # [3, 4], not square
T3 = f32(np.arange(24).reshape(2, 3, 4) * 0.25 - 1.0)    # [2, 3, 4]
DV = f32([1.5, -2.0, 3.0])
for k in [0, 1, 3, -1, -2, 5, -4]:
    case(f"diagonal_{k}", [R], jnp.diagonal(R, k))
    case(f"trace_{k}", [R], jnp.trace(R, k))
for k in [0, 2, -1]:
    case(f"diag_make_{k}", [DV], jnp.diag(DV, k))
    case(f"diag_take_{k}", [R], jnp.diag(R, k))
case("diagonal_axes", [T3], flat(jnp.diagonal(T3, 1, 2, 1), jnp.diagonal(T3, 0, 0, 2), jnp.diagonal(T3, -1, -1, 0)))
case("trace_axes", [T3], jnp.trace(T3, 1, 2, 1))
case("trace_int", [[[1, 2], [3, 4]]], jnp.trace(jnp.array([[1, 2], [3, 4]])))
case("grad_diagonal", [T3], jax.grad(lambda t: jnp.sum(jnp.diagonal(t, 1, 2, 1) ** 2))(T3))
case("grad_diag_make", [DV], jax.grad(lambda v: jnp.sum(jnp.diag(v, -1) * jnp.arange(16.0).reshape(4, 4)))(DV))
case("grad_trace", [R], jax.grad(lambda r: jnp.trace(r, 1) ** 2)(R))
MX, MY, MZ = f32([1.0, 2.0, 3.0]), f32([-1.0, 0.5]), f32([7.0, 8.0, 9.0, 10.0])
case("meshgrid_xy", [MX, MY, MZ], [g for g in jnp.meshgrid(MX, MY, MZ)])
case("meshgrid_ij", [MX, MY, MZ], [g for g in jnp.meshgrid(MX, MY, MZ, indexing="ij")])
case("meshgrid_2", [MX, MY], [g for g in jnp.meshgrid(MX, MY)])
IA = f32(np.arange(6).reshape(2, 3) - 2.0)
IB = f32(np.arange(12).reshape(2, 2, 3) * 0.5)
case("inner", [IA, IB], jnp.inner(IA, IB))
case("inner_1d", [DV, f32([2.0, 1.0, -1.0])], jnp.inner(DV, f32([2.0, 1.0, -1.0])))
case("grad_inner", [IA, IB], jax.grad(lambda a, b: jnp.sum(jnp.inner(a, b) ** 2), argnums=(0, 1))(IA, IB)[0])
CA = f32([[1.0, 0.0, 0.0], [0.5, -2.0, 3.0]])
CB = f32([[0.0, 1.0, 0.0], [4.0, 1.5, -1.0]])
case("cross", [CA, CB], jnp.cross(CA, CB))
case("cross_bcast", [CA, CB[1]], jnp.cross(CA, CB[1]))
case("cross_2d", [CA[:, :2], CB[:, :2]], jnp.cross(CA[:, :2], CB[:, :2]))
case("grad_cross", [CA, CB], jax.grad(lambda a: jnp.sum(jnp.cross(a, CB) * jnp.arange(6.0).reshape(2, 3)))(CA))
KA = f32([[1.0, 2.0], [3.0, 4.0]])
KB = f32([[0.0, 5.0, 1.0], [6.0, 7.0, -1.0]])
case("kron", [KA, KB], jnp.kron(KA, KB))
case("kron_mixed", [DV, KA], jnp.kron(DV, KA))
case("grad_kron", [KA, KB], jax.grad(lambda a: jnp.sum(jnp.kron(a, KB) ** 2))(KA))

# --- 5. erf / erfc --------------------------------------------------------------------------------
ERF_X = f32([-np.inf, -5.0, -3.9, -2.0, -0.7, -1e-3, -0.0, 0.0, 1e-6, 0.01, 0.3, 0.5, 0.8, 0.99, 1.0, 1.5,
             2.0, 2.5, 3.0, 3.5, 4.5, np.inf, np.nan])
ERFC_X = f32([-np.inf, -6.0, -3.0, -1.0, -0.3, 0.0, 0.2, 0.5, 0.7, 0.99, 1.0, 1.5, 1.99, 2.0, 2.5, 3.0, 4.0,
              5.0, 6.0, 8.0, 9.0, 9.9, 10.5, 30.0, np.inf, np.nan])
case("erf", [ERF_X], lax.erf(ERF_X))
case("erfc", [ERFC_X], lax.erfc(ERFC_X))
GERF = f32([-4.0, -2.0, -0.5, 0.0, 0.3, 1.0, 2.5, 5.0])
case("grad_erf", [GERF], grad_each(lax.erf, GERF))
case("grad_erfc", [GERF], grad_each(lax.erfc, GERF))
case("grad2_erf", [GERF], grad_each(jax.grad(lax.erf), GERF))

out = os.path.join(os.path.dirname(__file__), "../../test/fixtures/jax/surface2.json")
with open(out, "w") as fh:
    json.dump({"jax": jax.__version__, "cases": cases}, fh, indent=None, separators=(",", ":"))
    fh.write("\n")
print(f"wrote {len(cases)} cases to {os.path.normpath(out)}")
