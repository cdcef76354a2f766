"""custom_vjp / custom_jvp cases in JAX: writes test/fixtures/jax/custom.json, replayed by
test/unit/transforms/customRules.test.ts (each case written again with our API) on CPU and
WebGPU, eager and under jit. Inputs are literal here and in the test. Run:
    $JAX_PYTHON scripts/jax/run_jax_custom.py
"""
import json
import os
from functools import partial

import jax
import jax.numpy as jnp
import numpy as np

f32 = jnp.float32

# Numerically stable softplus with a custom_jvp (JAX docs' log1pexp).
@jax.custom_jvp
def log1pexp(x):
    return jnp.maximum(x, 0.0) + jnp.log1p(jnp.exp(-jnp.abs(x)))

@log1pexp.defjvp
def log1pexp_jvp(primals, tangents):
    (x,), (t,) = primals, tangents
    return log1pexp(x), (1.0 - 1.0 / (1.0 + jnp.exp(x))) * t

# Gradient clipping in the backward pass (JAX docs), bounds as ordinary arguments...
@jax.custom_vjp
def clip_gradient(lo, hi, x):
    return x

def clip_fwd(lo, hi, x):
    return x, (lo, hi)

def clip_bwd(res, g):
    lo, hi = res
    return (None, None, jnp.clip(g, lo, hi))

clip_gradient.defvjp(clip_fwd, clip_bwd)

# ...and as nondiff_argnums.
@partial(jax.custom_vjp, nondiff_argnums=(0, 1))
def clip_nd(lo, hi, x):
    return x

def clip_nd_fwd(lo, hi, x):
    return x, None

def clip_nd_bwd(lo, hi, res, g):
    return (jnp.clip(g, lo, hi),)

clip_nd.defvjp(clip_nd_fwd, clip_nd_bwd)

# Straight-through estimator: round forward, identity derivative.
@jax.custom_jvp
def ste_round(x):
    return jnp.round(x)

@ste_round.defjvp
def ste_round_jvp(primals, tangents):
    return jnp.round(primals[0]), tangents[0]

# A tanh layer whose bwd reuses the forward's output from the residuals.
@jax.custom_vjp
def tanh_layer(w, x):
    return jnp.tanh(x @ w)

def tanh_layer_fwd(w, x):
    y = jnp.tanh(x @ w)
    return y, (y, w, x)

def tanh_layer_bwd(res, g):
    y, w, x = res
    dz = g * (1.0 - y * y)
    return (x.T @ dz, dz @ w.T)

tanh_layer.defvjp(tanh_layer_fwd, tanh_layer_bwd)

X = jnp.array([-100.0, -3.0, -0.5, 0.0, 0.7, 4.0, 100.0], f32)
XS = jnp.array([-3.0, -0.5, 0.0, 0.7, 4.0], f32)
T = jnp.array([0.5, -1.0, 2.0, 1.0, -0.25, 3.0, 1.5], f32)
G = jnp.array([3.0, -0.2, 0.1, -2.0], f32)
GX = jnp.array([1.0, 2.0, 3.0, 4.0], f32)
Q = jnp.array([0.26, -1.34, 0.74, 2.5, -0.49], f32)
TARGET = jnp.array([0.2, -1.0, 1.1, 2.0, 0.0], f32)
W = (jnp.arange(12, dtype=f32).reshape(3, 4) - 5.5) / 6.0
XB = (jnp.arange(15, dtype=f32).reshape(5, 3) - 7.0) / 5.0
W2 = jnp.array([0.3, -0.7, 1.1, 0.4], f32)

def mlp_loss(w, x):
    return jnp.sum(tanh_layer(w, x) @ W2) ** 2

def ste_loss(q):
    return jnp.sum((ste_round(q * 2.0) / 2.0 - TARGET) ** 2)

cases = {
    "log1pexp_value": log1pexp(X),
    "log1pexp_grad": jax.grad(lambda x: jnp.sum(log1pexp(x)))(X),
    "log1pexp_jvp_tangent": jax.jvp(log1pexp, (X,), (T,))[1],
    "log1pexp_grad_grad": jax.vmap(jax.grad(jax.grad(log1pexp)))(XS),
    "log1pexp_vmap_grad": jax.vmap(jax.grad(log1pexp))(X),
    "clip_grad": jax.grad(lambda x: jnp.sum(clip_gradient(-0.5, 0.5, x) * G))(GX),
    "clip_nd_grad": jax.grad(lambda x: jnp.sum(clip_nd(-0.5, 0.5, x) * G))(GX),
    "clip_grad_of_vmap": jax.grad(lambda x: jnp.sum(jax.vmap(lambda xi, gi: clip_gradient(-1.0, 1.0, xi * xi) * gi)(x, G)))(GX),
    "ste_value": ste_loss(Q),
    "ste_grad": jax.grad(ste_loss)(Q),
    "ste_jvp_tangent": jax.jvp(ste_round, (Q * 2.0,), (TARGET,))[1],
    "tanh_layer_value": mlp_loss(W, XB),
    "tanh_layer_grad_w": jax.grad(mlp_loss, 0)(W, XB),
    "tanh_layer_grad_x": jax.grad(mlp_loss, 1)(W, XB),
    "tanh_layer_per_example_grad_w": jax.vmap(jax.grad(lambda w, xi: jnp.sum(tanh_layer(w, xi[None, :]) @ W2) ** 2), (None, 0))(W, XB),
}

out = {"jax": jax.__version__, "cases": {k: np.asarray(v, np.float64).tolist() for k, v in cases.items()}}
path = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "jax", "custom.json")
with open(path, "w") as fh:
    json.dump(out, fh, indent=1)
    fh.write("\n")
print(f"wrote {len(cases)} cases to {os.path.normpath(path)}")
