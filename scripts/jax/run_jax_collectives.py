#!/usr/bin/env python3
"""lax's collectives over vmap's named axes: psum / pmean / pmax / pmin / axis_index / all_gather /
ppermute / psum_scatter under
`jax.vmap(..., axis_name=...)`, alone, over two nested axes and a tuple of names, inside scan,
while_loop and fori_loop bodies (carries batched or not), under grad and jvp inside the vmap and
grad outside it, `axis_size` with nothing mapped, and two realistic uses: per-example gradients
averaged with pmean (the pmap idiom on one device) and a batch norm whose statistics come from
pmean, differentiated in its weights.

Writes test/fixtures/jax/collectives.json, replayed by test/unit/transforms/collectives.test.ts
on CPU and WebGPU, eager and under jit (through surface2Expected.ts's fixtureCases).
Run:  $JAX_PYTHON scripts/jax/run_jax_collectives.py   (~3 s)
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import jax  # noqa: E402

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from jax import lax  # noqa: E402

from fixture_json import Cases  # noqa: E402

case = Cases()
vm = lambda f, **kw: jax.vmap(f, axis_name="i", **kw)  # noqa: E731

xs = np.array([1.0, 3.0, 2.0, 3.0], np.float32)
m43 = np.array([[1.0, -2.0, 0.5], [4.0, 0.0, -1.0], [-3.0, 2.5, 2.0], [0.5, 1.5, -0.5]], np.float32)
g23 = np.arange(6, dtype=np.float32).reshape(2, 3)

case("psum", [xs], vm(lambda x: lax.psum(x, "i"))(xs))
case("psum_const", [xs], vm(lambda x: x + lax.psum(2.0, "i"))(xs))
case("psum_rows", [m43], vm(lambda r: lax.psum(r, "i"))(m43))
case("pmean_center", [xs], vm(lambda x: x - lax.pmean(x, "i"))(xs))
case("pmax_rows", [m43], vm(lambda r: lax.pmax(r, "i"))(m43))
case("pmin_rows", [m43], vm(lambda r: lax.pmin(r, "i"))(m43))
case("softmax_across", [m43], vm(lambda r: jnp.exp(r - lax.pmax(r, "i")) / lax.psum(jnp.exp(r - lax.pmax(r, "i")), "i"))(m43))
case("axis_index", [xs], vm(lambda x: lax.axis_index("i") * 10 + x)(xs))
case("pytree", [xs], vm(lambda x: (lambda t: t["a"] * t["b"][0])(lax.psum({"a": x, "b": [x * x]}, "i")))(xs))
case("nested", [g23], jax.vmap(jax.vmap(lambda x: lax.psum(x, "i") + lax.psum(x, "j") * 100, axis_name="j"), axis_name="i")(g23))
case("tuple_names", [g23], jax.vmap(jax.vmap(lambda x: lax.psum(x, ("i", "j")) + lax.pmax(x, ("j", "i")), axis_name="j"), axis_name="i")(g23))
case("axis_index_inner", [g23], jax.vmap(jax.vmap(lambda x: x * 0 + lax.axis_index("i") * 10 + lax.axis_index("j"), axis_name="j"), axis_name="i")(g23))
case("axis_size", [], jax.vmap(lambda: lax.axis_index("i") * 2, axis_name="i", axis_size=3)())
case("grad_inside_psum", [xs], vm(jax.grad(lambda x: lax.psum(x * x, "i")))(xs))
case("grad_inside_pmean", [xs], vm(jax.grad(lambda x: lax.pmean(jnp.sin(x) * x, "i")))(xs))
case("grad_outside", [xs], jax.grad(lambda v: jnp.sum(vm(lambda x: x * lax.psum(x, "i"))(v)))(xs))
case("jvp_inside", [xs], vm(lambda x: jax.jvp(lambda y: lax.psum(y * y, "i"), (x,), (x * 0 + 1.0,)))(xs))
case("scan_body", [xs], vm(lambda x: lax.scan(lambda c, _: (c + lax.psum(c, "i"), None), x, None, length=2)[0])(xs))
case("scan_unbatched_carry", [xs], vm(lambda x: x + lax.scan(lambda c, _: (c + lax.psum(c, "i"), None), 1.0, None, length=2)[0])(xs))
case("scan_axis_index", [xs], vm(lambda x: lax.scan(lambda c, _: (c + lax.axis_index("i"), None), x, None, length=2)[0])(xs))
case("while_cond_psum", [xs], vm(lambda x: lax.while_loop(lambda c: lax.psum(c, "i") < 100, lambda c: c * 2, x))(xs))
case("fori_pmean", [xs], vm(lambda x: lax.fori_loop(0, 3, lambda k, c: c - 0.5 * (c - lax.pmean(c, "i")), x))(xs))

m42 = np.arange(8, dtype=np.float32).reshape(4, 2)
case("all_gather", [xs], vm(lambda x: lax.all_gather(x, "i"))(xs))
case("all_gather_axis1", [m42], vm(lambda r: lax.all_gather(r, "i", axis=1))(m42))
case("all_gather_tiled", [m42], vm(lambda r: lax.all_gather(r, "i", tiled=True))(m42))
case("all_gather_axis_neg", [m42], vm(lambda r: lax.all_gather(r, "i", axis=-1))(m42))
case("all_gather_grad", [xs], vm(jax.grad(lambda x: jnp.sum(lax.all_gather(x, "i") * jnp.arange(4.0))))(xs))
case(
    "all_gather_tiled_grad",
    [m42],
    vm(jax.grad(lambda r: jnp.sum(lax.all_gather(r, "i", tiled=True) ** 2 * jnp.arange(8.0))))(m42),
)
case("all_gather_outer", [m42], jax.vmap(jax.vmap(lambda x: lax.all_gather(x, "i"), axis_name="j"), axis_name="i")(m42))

perm = [(0, 2), (1, 0), (2, 3), (3, 1)]
x4 = np.array([1.0, 3.0, 2.0, 5.0], np.float32)
m44 = np.arange(16, dtype=np.float32).reshape(4, 4)
m48 = np.arange(32, dtype=np.float32).reshape(4, 8)
case("ppermute", [x4], vm(lambda x: lax.ppermute(x, "i", perm))(x4))
case("ppermute_rows", [m42], vm(lambda r: lax.ppermute(r, "i", perm))(m42))
case("ppermute_const", [x4], vm(lambda x: x + lax.ppermute(2.0, "i", perm))(x4))
case(
    "ppermute_grad",
    [x4],
    vm(jax.grad(lambda x: jnp.sum(lax.ppermute(x * x, "i", perm) * (lax.axis_index("i") + 1.0))))(x4),
)
case("psum_scatter", [m44], vm(lambda r: lax.psum_scatter(r, "i"))(m44))
case("psum_scatter_tiled", [m48], vm(lambda r: lax.psum_scatter(r, "i", tiled=True))(m48))
case(
    "psum_scatter_dim1",
    [m48],
    vm(lambda r: lax.psum_scatter(r.reshape(2, 4), "i", scatter_dimension=1, tiled=True))(m48),
)
case("psum_scatter_grad", [m44], vm(jax.grad(lambda r: jnp.sum(lax.psum_scatter(r * r, "i") * 3.0)))(m44))


def per_example_mean_grad(w, xb, yb):
    def per(x, y):
        g = jax.grad(lambda w: jnp.sum((jnp.tanh(x @ w) - y) ** 2))(w)
        return lax.pmean(g, "b")

    return jax.vmap(per, axis_name="b")(xb, yb)[0]


wmat = np.array([[0.5, -0.25], [0.125, 0.75], [-0.5, 0.25]], np.float32)
ymat = np.array([[0.1, -0.2], [0.3, 0.0], [-0.4, 0.5], [0.2, 0.2]], np.float32)
case("pmean_grads", [wmat, m43, ymat], per_example_mean_grad(wmat, m43, ymat))


def batchnorm_loss(w, xb, yb):
    def per(x, y):
        h = x @ w
        m = lax.pmean(h, "b")
        v = lax.pmean((h - m) ** 2, "b")
        return jnp.sum(((h - m) / jnp.sqrt(v + 1e-5) * 0.5 + h - y) ** 2)

    return jnp.sum(jax.vmap(per, axis_name="b")(xb, yb))


case("batchnorm_loss", [wmat, m43, ymat], batchnorm_loss(wmat, m43, ymat))
case("batchnorm_grad", [wmat, m43, ymat], jax.grad(batchnorm_loss)(wmat, m43, ymat))
case.write("collectives")
