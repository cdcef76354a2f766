#!/usr/bin/env python3
"""jnp.pad in each mode: constant (one value, a pair per axis), edge, wrap, reflect and symmetric
(even and odd, pads shorter and longer than the axis, a single value), linear_ramp (end values,
int32 floored), maximum / minimum / mean / median (whole axis, stat_length per side and per axis,
int32 rounded half to even), empty; on a vector, a matrix and int32; gradients of a weighted sum
in each mode, and vmap.

Writes test/fixtures/jax/pad.json, replayed by test/unit/ops/padModes.test.ts on CPU and WebGPU,
eager and under jit (through surface2Expected.ts's fixtureCases).
Run:  $JAX_PYTHON scripts/jax/run_jax_pad.py   (~3 s)
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
v = np.array([1.5, -2.0, 3.0, 0.5, 4.0], np.float32)
m = np.array([[1.0, -2.0, 3.5, 0.25], [4.0, 0.5, -1.5, 2.0], [-3.0, 6.0, 1.0, -0.5]], np.float32)
iv = np.array([1, 2, 3, 6], np.int32)

case("constant_scalar", [m], jnp.pad(m, 2, constant_values=7))
case("constant_pairs", [m], jnp.pad(m, ((1, 2), (2, 1)), constant_values=((1, 2), (3, 4))))
case("edge_2d", [m], jnp.pad(m, ((1, 2), (3, 0)), mode="edge"))
case("edge_int", [iv], jnp.pad(iv, (2, 3), mode="edge"))
case("wrap_short", [v], jnp.pad(v, (2, 3), mode="wrap"))
case("wrap_long", [v], jnp.pad(v, (7, 12), mode="wrap"))
case("wrap_2d", [m], jnp.pad(m, ((1, 2), (5, 3)), mode="wrap"))
for mode in ["reflect", "symmetric"]:
    case(f"{mode}_short", [v], jnp.pad(v, (2, 3), mode=mode))
    case(f"{mode}_long", [v], jnp.pad(v, (9, 13), mode=mode))
    case(f"{mode}_odd_short", [v], jnp.pad(v, (2, 3), mode=mode, reflect_type="odd"))
    case(f"{mode}_odd_long", [v], jnp.pad(v, (9, 13), mode=mode, reflect_type="odd"))
    case(f"{mode}_single", [np.array([7.0], np.float32)], jnp.pad(np.array([7.0], np.float32), (2, 3), mode=mode))
    case(f"{mode}_2d", [m], jnp.pad(m, ((2, 4), (3, 5)), mode=mode))
    case(f"{mode}_int", [iv], jnp.pad(iv, (5, 2), mode=mode))
case("linear_ramp", [v], jnp.pad(v, (4, 3), mode="linear_ramp", end_values=(10, -3)))
case("linear_ramp_default", [m], jnp.pad(m, 2, mode="linear_ramp"))
case("linear_ramp_pairs", [m], jnp.pad(m, ((1, 2), (3, 1)), mode="linear_ramp", end_values=((1, 2), (3, 4))))
case("linear_ramp_int", [iv], jnp.pad(iv, (4, 3), mode="linear_ramp", end_values=(10, -3)))
for mode in ["maximum", "minimum", "mean", "median"]:
    case(f"{mode}_whole", [v], jnp.pad(v, 3, mode=mode))
    case(f"{mode}_stat_sides", [v], jnp.pad(v, (2, 3), mode=mode, stat_length=(1, 2)))
    case(f"{mode}_stat_long", [v], jnp.pad(v, 2, mode=mode, stat_length=10))
    case(f"{mode}_2d", [m], jnp.pad(m, ((1, 2), (2, 1)), mode=mode, stat_length=((1, 2), (2, 3))))
for name, arr in [("a", [1, 2, 3, 4]), ("b", [-3, 0]), ("c", [1, 2, 3, 6]), ("d", [-1, -2, -3, -4])]:
    x = np.array(arr, np.int32)
    case(f"mean_int_{name}", [x], jnp.pad(x, 2, mode="mean"))
    case(f"median_int_{name}", [x], jnp.pad(x, 2, mode="median"))
case("empty", [v], jnp.pad(v, (2, 1), mode="empty"))

# Gradients of a weighted sum of the padding: every copy of a value sends its weight back.
for name, kw in [
    ("edge", dict(mode="edge")),
    ("wrap", dict(mode="wrap")),
    ("reflect", dict(mode="reflect")),
    ("symmetric_odd", dict(mode="symmetric", reflect_type="odd")),
    ("reflect_odd", dict(mode="reflect", reflect_type="odd")),
    ("linear_ramp", dict(mode="linear_ramp", end_values=(2, -1))),
    ("maximum", dict(mode="maximum", stat_length=(2, 3))),
    ("mean", dict(mode="mean")),
    ("constant_pairs", dict(mode="constant", constant_values=(1, 2))),
]:
    w = np.sin(np.arange(5 + 7 + 8, dtype=np.float32)).astype(np.float32)
    case(f"grad_{name}", [v, w], jax.grad(lambda x: jnp.sum(jnp.pad(x, (7, 8), **kw) * w))(v))
case("vmap_reflect_rows", [m], jax.vmap(lambda r: jnp.pad(r, (2, 3), mode="reflect"))(m))
case("vmap_mean_cols", [m], jax.vmap(lambda r: jnp.pad(r, (1, 2), mode="mean"), in_axes=1, out_axes=1)(m))
case.write("pad")
