#!/usr/bin/env python3
"""jnp.ufunc methods: outer (vectors, matrices), reduce (axes, keepdims, initial, where; the
reductions with a faster path and the generic loop of bitwise_or, subtract, logaddexp),
accumulate along axes (cumsum/cumprod/cummax and the generic scan), at with repeated indices
(inplace=False), reduceat (increasing and non-increasing indices), and a ufunc built by
jnp.frompyfunc from a hypot with its reduce, accumulate, at and reduceat.

Writes test/fixtures/jax/ufuncs.json, replayed by test/unit/ops/ufuncs.test.ts on CPU and
WebGPU, eager and under jit (through surface2Expected.ts's fixtureCases).
Run:  $JAX_PYTHON scripts/jax/run_jax_ufuncs.py   (~3 s)
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import jax  # noqa: E402

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

from fixture_json import Cases  # noqa: E402

case = Cases()
rng = np.random.default_rng(11)
f32 = lambda *s: rng.standard_normal(s).astype(np.float32)  # noqa: E731
i32 = lambda v: np.asarray(v, np.int32)  # noqa: E731

a, b = f32(4), f32(3)
A, B = f32(2, 3), f32(2)
ia, ib = i32([1, 5, -2]), i32([3, 0, 7, -1])
case("outer_multiply_vec", [a, b], jnp.multiply.outer(a, b))
case("outer_add_mat", [A, B], jnp.add.outer(A, B))
case("outer_subtract_int", [ia, ib], jnp.subtract.outer(ia, ib))
case("outer_maximum_mat", [A, A], jnp.maximum.outer(A, A))

x = f32(3, 4)
xi = i32(rng.integers(0, 16, (3, 4)))
m = rng.random((3, 4)) > 0.4
xb = rng.random((3, 4)) > 0.5
case("reduce_add_axis0", [x], jnp.add.reduce(x))
case("reduce_add_axis1_keepdims", [x], jnp.add.reduce(x, axis=1, keepdims=True))
case("reduce_add_none", [x], jnp.add.reduce(x, axis=None))
case("reduce_add_where", [x, m], jnp.add.reduce(x, axis=1, where=m))
case("reduce_multiply_initial", [x], jnp.multiply.reduce(x, axis=1, initial=2.0))
case("reduce_maximum_neg1", [x], jnp.maximum.reduce(x, axis=-1))
case("reduce_maximum_where_initial", [x, m], jnp.maximum.reduce(x, axis=0, where=m, initial=-5.0))
case("reduce_minimum_none_keepdims", [x], jnp.minimum.reduce(x, axis=None, keepdims=True))
case("reduce_logical_and", [xb], jnp.logical_and.reduce(xb))
case("reduce_logical_or_keepdims", [xb], jnp.logical_or.reduce(xb, axis=1, keepdims=True))
case("reduce_logical_xor", [xb], jnp.logical_xor.reduce(xb, axis=1))
case("reduce_bitwise_or", [xi], jnp.bitwise_or.reduce(xi, axis=1))
case("reduce_bitwise_and_where", [xi, m], jnp.bitwise_and.reduce(xi, axis=0, where=m))
case("reduce_bitwise_xor_initial", [xi], jnp.bitwise_xor.reduce(xi, axis=None, initial=5))
case("reduce_subtract", [x], jnp.subtract.reduce(x, axis=0))
case("reduce_logaddexp", [x], jnp.logaddexp.reduce(x, axis=1))

case("accumulate_add_axis1", [x], jnp.add.accumulate(x, axis=1))
case("accumulate_multiply_axis0", [x], jnp.multiply.accumulate(x))
case("accumulate_maximum_axis1", [x], jnp.maximum.accumulate(x, axis=1))
case("accumulate_minimum_axis0", [x], jnp.minimum.accumulate(x, axis=0))
case("accumulate_bitwise_or", [xi], jnp.bitwise_or.accumulate(xi, axis=1))
case("accumulate_subtract_neg1", [x], jnp.subtract.accumulate(x, axis=-1))
case("accumulate_logical_xor", [xb], jnp.logical_xor.accumulate(xb, axis=1))
case("accumulate_add_bool", [xb], jnp.add.accumulate(xb, axis=1))
case("accumulate_maximum_bool", [xb], jnp.maximum.accumulate(xb, axis=1))

v = f32(8)
idx = i32([1, 3, 1, 6, 1])
vals = f32(5)
case("at_add_dup", [v, idx, vals], jnp.add.at(v, idx, vals, inplace=False))
case("at_multiply_dup", [v, idx, vals], jnp.multiply.at(v, idx, vals, inplace=False))
case("at_maximum_dup", [v, idx, vals], jnp.maximum.at(v, idx, vals, inplace=False))
case("at_minimum_dup", [v, idx, vals], jnp.minimum.at(v, idx, vals, inplace=False))
case("at_subtract_dup", [v, idx, vals], jnp.subtract.at(v, idx, vals, inplace=False))
case("at_add_scalar", [v], jnp.add.at(v, 2, 10.0, inplace=False))
vi = i32(rng.integers(0, 16, 8))
case("at_bitwise_xor_dup", [vi, idx, i32([3, 5, 6, 1, 12])], jnp.bitwise_xor.at(vi, idx, i32([3, 5, 6, 1, 12]), inplace=False))
rows, cols = i32([0, 2, 0]), i32([1, 3, 1])
r_vals = f32(4)
case("at_add_rows", [x, i32([2, 0, 2]), r_vals], jnp.add.at(x, i32([2, 0, 2]), r_vals, inplace=False))
case("at_add_pairs", [x, rows, cols], jnp.add.at(x, (rows, cols), 1.0, inplace=False))
case("at_logical_or_pairs", [xb, rows, cols], jnp.logical_or.at(xb, (rows, cols), True, inplace=False))

y = f32(8)
Y = f32(3, 7)
case("reduceat_add", [y], jnp.add.reduceat(y, i32([0, 2, 5])))
case("reduceat_multiply_unordered", [y], jnp.multiply.reduceat(y, i32([1, 4, 2, 6])))
case("reduceat_maximum_axis1", [Y], jnp.maximum.reduceat(Y, i32([0, 3, 4]), axis=1))
case("reduceat_bitwise_or_int", [xi], jnp.bitwise_or.reduceat(xi, i32([0, 1]), axis=0))


def hypot(p, q):
    return jnp.sqrt(p * p + q * q)


h = jnp.frompyfunc(hypot, 2, 1, identity=0)
case("py_call", [A, b], h(A, b))
case("py_outer", [a, b], h.outer(a, b))
case("py_reduce_axis1", [x], h.reduce(x, axis=1))
case("py_reduce_where", [x, m], h.reduce(x, axis=0, where=m))
case("py_accumulate", [x], h.accumulate(x, axis=1))
case("py_at", [v, idx, vals], h.at(v, idx, vals, inplace=False))
case("py_reduceat", [y], h.reduceat(y, i32([0, 2, 5])))

case.write("ufuncs")
