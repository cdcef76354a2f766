#!/usr/bin/env python3
"""Expected values for the fifth API batch: the array API's names (absolute, amax, amin,
true_divide, pow, concat, permute_dims), hsplit / vsplit / dsplit, append, unravel_index,
array_equal, unique, optax.global_norm, and jax.device_put of a pytree.

Writes test/fixtures/jax/surface5.json, replayed by test/unit/ops/surface5.test.ts on CPU and
WebGPU, eager and under jit. JAX in float32 on float32 inputs.
Run:  /work/venv-jax/bin/python scripts/jax/run_jax_surface5.py   (from any directory)
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import jax  # noqa: E402

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

from fixture_json import enc  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "test", "fixtures", "jax", "surface5.json")

f32 = lambda a: np.asarray(a, dtype=np.float32)  # noqa: E731
rng = np.random.default_rng(5)
cases = {}


def case(name, inputs, out):
    """One case per output: a function returning several arrays stores `name_0`, `name_1`, …"""
    ins = [enc(np.asarray(i)) for i in inputs]
    if isinstance(out, (list, tuple)):
        for k, o in enumerate(out):
            cases[f"{name}_{k}"] = {"inputs": ins, "expect": enc(np.asarray(o))}
    else:
        cases[name] = {"inputs": ins, "expect": enc(np.asarray(out))}


A = f32(rng.normal(size=(3, 4)) * 2)
B = f32(rng.normal(size=(3, 4)) + 0.5)
C = f32(rng.normal(size=(2, 3, 4)))
case("absolute", [A], jnp.absolute(A))
case("amax_axis1", [A], jnp.amax(A, axis=1))
case("amin_all", [A], jnp.amin(A))
case("true_divide", [A, B], jnp.true_divide(A, B))
case("pow", [jnp.abs(A), B], jnp.pow(jnp.abs(A), B))
case("concat_axis1", [A, B], jnp.concat([A, B], axis=1))
case("permute_dims", [C], jnp.permute_dims(C, (2, 0, 1)))
case("hsplit_2", [A], jnp.hsplit(A, 2))
case("hsplit_indices", [A], jnp.hsplit(A, [1, 3]))
case("hsplit_1d", [f32(np.arange(6))], jnp.hsplit(f32(np.arange(6)), 3))
case("vsplit_3", [A], jnp.vsplit(A, 3))
case("dsplit_2", [C], jnp.dsplit(C, 2))
case("append_flat", [A, B[0]], jnp.append(A, B[0]))
case("append_axis0", [A, B[:1]], jnp.append(A, B[:1], axis=0))
FLAT = np.asarray([0, 5, 11, 7, -1, 30], dtype=np.int32)
case("unravel_index", [FLAT], jnp.unravel_index(FLAT, (3, 4)))
case("unravel_index_3d", [FLAT], jnp.unravel_index(FLAT, (2, 3, 2)))
case("unravel_index_of_argmax", [C], jnp.unravel_index(jnp.argmax(C), C.shape))
NAN = f32([1.0, np.nan, 3.0])
case("array_equal_same", [A], jnp.array_equal(A, A))
case("array_equal_differ", [A, B], jnp.array_equal(A, B))
case("array_equal_shapes", [A], jnp.array_equal(A, A[:2]))
case("array_equal_nan", [NAN], jnp.array_equal(NAN, NAN))
case("array_equal_nan_equal_nan", [NAN], jnp.array_equal(NAN, NAN, equal_nan=True))
U = f32([3.0, 1.0, 3.0, -2.0, 1.0, 7.0, 3.0])
UNAN = f32([2.0, np.nan, 1.0, np.nan, 2.0])
UI = np.asarray([[4, 1, 4], [0, 1, 9]], dtype=np.int32)
case("unique_size_exact", [U], jnp.unique(U, size=4))
case("unique_padded_min", [U], jnp.unique(U, size=6))
case("unique_padded_fill", [U], jnp.unique(U, size=6, fill_value=-1.0))
case("unique_truncated", [U], jnp.unique(U, size=2))
case("unique_int_2d", [UI], jnp.unique(UI, size=5))
case("unique_nan_equal", [UNAN], jnp.unique(UNAN, size=4, fill_value=0.0))
case("unique_nan_distinct", [UNAN], jnp.unique(UNAN, size=4, fill_value=0.0, equal_nan=False))
try:
    import optax

    case("global_norm", [A, C], optax.global_norm({"w": A, "b": C}))
except ImportError:
    sys.exit("optax is needed: pip install optax")

with open(OUT, "w") as fh:
    json.dump({"jax": jax.__version__, "cases": cases}, fh)
    fh.write("\n")
print(f"wrote {OUT}: {len(cases)} cases")
