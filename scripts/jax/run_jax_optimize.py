#!/usr/bin/env python3
"""jax.scipy.optimize.minimize, BFGS and L-BFGS, on programs people fit: Rosenbrock in 2 and 8
variables, an L2-regularised logistic regression on 200 samples (data passed through `args`), a
least-squares fit of a decaying exponential, a 6-variable quadratic (whose inverse Hessian BFGS
should end near A^-1), BFGS stopped by `maxiter`, the gradient's 2-norm as the test with a looser
`gtol`, L-BFGS with a short history and with `maxfun`, and a multi-start fit of Himmelblau's
function under vmap (four starts, four different minima).

JAX 0.10's zoom stage fails every bracket entered from its high end on its first iteration (it
compares the signed bracket width with 1e-5), so its BFGS stops short on Rosenbrock from
(-1.2, 1) at f = 1.75. jax-ml/jax#40228 compares the width's magnitude with the dtype's epsilon
times the bracket's larger end; this script applies that one line to JAX's own line search (a
source patch at import, below) and records, for each case:
- "result": every field of OptimizeResults (x, success, status, fun, jac, nfev, njev, nit and
  BFGS's hess_inv), by the patched JAX in float32 under jit: what our minimize must match;
- "float64": x and fun by the patched JAX with x64, the minimizer float32 should approach;
- "as_shipped": status, nit and fun by JAX 0.10 as released, for the README's comparison.
Writes test/fixtures/jax/optimize.json, replayed by test/unit/ops/optimize.test.ts.
Run:  $JAX_PYTHON scripts/jax/run_jax_optimize.py   (~20 s)
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import jax  # noqa: E402

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
import inspect  # noqa: E402

import jax._src.scipy.optimize._lbfgs as lbfgs_mod  # noqa: E402
import jax._src.scipy.optimize.bfgs as bfgs_mod  # noqa: E402
import jax._src.scipy.optimize.line_search as ls_mod  # noqa: E402
from jax.scipy.optimize import minimize  # noqa: E402

from fixture_json import enc  # noqa: E402

SIGNED_GUARD = "state = state._replace(failed=state.failed | (dalpha <= threshold))"
MAGNITUDE_GUARD = (
    "state = state._replace(failed=state.failed | (jnp.abs(dalpha) <= "
    "dtypes.finfo(dalpha.dtype).eps * jnp.maximum(jnp.abs(state.a_lo), jnp.abs(state.a_hi))))"
)
SHIPPED_LINE_SEARCH = ls_mod.line_search


def use_line_search(patched):
    """Point BFGS and L-BFGS at JAX's line search as released or with jax-ml/jax#40228's guard."""
    if patched:
        src = inspect.getsource(ls_mod)
        assert src.count(SIGNED_GUARD) == 1, "JAX's zoom guard changed: check jax-ml/jax#40228"
        namespace = dict(ls_mod.__dict__)
        exec(compile(src.replace(SIGNED_GUARD, MAGNITUDE_GUARD), ls_mod.__file__, "exec"), namespace)
        search = namespace["line_search"]
    else:
        search = SHIPPED_LINE_SEARCH
    bfgs_mod.line_search = search
    lbfgs_mod.line_search = search

LBFGS = "l-bfgs-experimental-do-not-rely-on-this"
rng = np.random.default_rng(17)
cases = {}


def rosen(x):
    return jnp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


def logistic(w, X, y):
    z = X @ w
    return jnp.mean(jnp.logaddexp(0.0, z) - y * z) + 0.01 * jnp.sum(w * w)


def expfit(p, t, y):
    return jnp.sum((p[0] * jnp.exp(-p[1] * t) + p[2] - y) ** 2)


def quadratic(x, A, b):
    return 0.5 * x @ A @ x - b @ x


def himmelblau(p):
    return (p[0] ** 2 + p[1] - 11.0) ** 2 + (p[0] + p[1] ** 2 - 7.0) ** 2


FUNS = {"rosen": rosen, "logistic": logistic, "expfit": expfit, "quadratic": quadratic, "himmelblau": himmelblau}


def result(r):
    out = {k: enc(getattr(r, k)) for k in ["x", "success", "status", "fun", "jac", "nfev", "njev", "nit"]}
    if r.hess_inv is not None:
        out["hess_inv"] = enc(r.hess_inv)
    return out


def run(fun, x0, args, method, options, tol, x64=False):
    f = FUNS[fun]
    if x64:
        x0, args = np.asarray(x0, np.float64), tuple(np.asarray(a, np.float64) for a in args)
    solve = lambda x0, *a: minimize(f, x0, a, method=method, options=options, tol=tol)  # noqa: E731
    return jax.jit(jax.vmap(solve) if np.ndim(x0) == 2 else solve)(x0, *args)


def case(name, fun, x0, args=(), method="BFGS", options=None, tol=None):
    use_line_search(patched=False)
    shipped = run(fun, x0, args, method, options, tol)
    use_line_search(patched=True)
    r = run(fun, x0, args, method, options, tol)
    with jax.enable_x64(True):
        r64 = run(fun, x0, args, method, options, tol, x64=True)
        exact = {"x": enc(r64.x), "fun": enc(r64.fun), "status": enc(r64.status)}
    cases[name] = {
        "fun": fun,
        "method": method,
        "options": options or {},
        "x0": enc(x0),
        "args": [enc(a) for a in args],
        "result": result(r),
        "float64": exact,
        "as_shipped": {k: enc(getattr(shipped, k)) for k in ["status", "nit", "fun"]},
    }


f32 = lambda v: np.asarray(v, dtype=np.float32)  # noqa: E731

case("rosen2_bfgs", "rosen", f32([-1.2, 1.0]))
x8 = f32(rng.uniform(-0.5, 1.5, 8))
case("rosen8_bfgs", "rosen", x8)
case("rosen8_lbfgs", "rosen", x8, method=LBFGS)
case("rosen8_lbfgs_maxcor3", "rosen", x8, method=LBFGS, options={"maxcor": 3})
case("rosen2_bfgs_maxiter5", "rosen", f32([-1.2, 1.0]), options={"maxiter": 5})
case("rosen8_lbfgs_maxfun12", "rosen", x8, method=LBFGS, options={"maxfun": 12})

X = f32(rng.standard_normal((200, 5)))
w_true = f32([1.5, -2.0, 0.5, 0.0, 1.0])
y = f32((X @ w_true + 0.5 * rng.standard_normal(200)) > 0)
case("logistic_bfgs", "logistic", f32(np.zeros(5)), (X, y))
case("logistic_lbfgs", "logistic", f32(np.zeros(5)), (X, y), method=LBFGS)

t = f32(np.linspace(0.0, 4.0, 50))
y_exp = f32(2.5 * np.exp(-1.3 * t) + 0.5 + 0.02 * rng.standard_normal(50))
case("expfit_bfgs", "expfit", f32([1.0, 1.0, 0.0]), (t, y_exp))

M = rng.standard_normal((6, 6))
A = f32(M @ M.T / 6 + np.eye(6))
b = f32(rng.standard_normal(6))
case("quadratic_bfgs", "quadratic", f32(np.zeros(6)), (A, b))
case("quadratic_bfgs_norm2_gtol", "quadratic", f32(np.zeros(6)), (A, b), options={"norm": 2, "gtol": 1e-3})

starts = f32([[1.0, 1.0], [-2.0, 2.0], [-2.0, -2.0], [2.0, -1.0]])
case("himmelblau_vmap_bfgs", "himmelblau", starts)

out = os.path.join(os.path.dirname(__file__), "../../test/fixtures/jax/optimize.json")
with open(out, "w") as fh:
    json.dump({"jax": jax.__version__, "cases": cases}, fh, indent=None, separators=(",", ":"))
    fh.write("\n")
print(f"wrote {len(cases)} cases to {os.path.normpath(out)}")
for k, c in cases.items():
    r = c["result"]
    print(k, "status", r["status"], "nit", r["nit"], "nfev", r["nfev"], "| f64", c["float64"]["status"], "| shipped", c["as_shipped"])
