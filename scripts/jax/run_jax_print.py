#!/usr/bin/env python3
"""How JAX prints arrays: str() and repr() of float32, int32 and bool arrays, repr() of complex64 ones (positional and
e-notation chosen from the range, NaN and ±inf, -0, rows wrapped at the line width, summaries
past the threshold, 0-d values, empty arrays), and the same under np.printoptions (precision,
suppress, threshold, edgeitems, linewidth, sign, floatmode, nanstr/infstr).

Writes test/fixtures/jax/print.json, replayed by test/unit/runtime-core/printOptions.test.ts,
which prints the same values with our display and compares the text exactly.
Run:  $JAX_PYTHON scripts/jax/run_jax_print.py   (~2 s)
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

f32 = lambda v: np.asarray(v, np.float32)  # noqa: E731
rng = np.random.default_rng(3)
values = {
    "mixed_widths": f32([1.5, 2.0, 3.0]),
    "negatives": f32([-1.5, 2.0, 300.25, -0.125]),
    "wide_range": f32([[1.5, -2, 300.25], [0.001, 1e-5, 7]]),
    "large": f32([1e10, 1, 2]),
    "at_1e6": f32([1e6, 1.0]),
    "just_below_1e6": f32([999999.0, 1.0, 2.5]),
    "ratio_over_1000": f32([1e5, 1.0]),
    "tiny": f32([1e-5, 2e-5]),
    "thirds": f32([0.1, 0.25, 1 / 3]),
    "non_finite": f32([-1.5, 2, np.nan, np.inf]),
    "neg_inf": f32([1.0, -np.inf, 0.5]),
    "all_nan": f32([np.nan, np.nan]),
    "zeros": f32([0.0, 0.0]),
    "neg_zero": f32([-0.0, 1.0]),
    "long_row": np.arange(30, dtype=np.float32) / 7,
    "matrix": rng.standard_normal((4, 5)).astype(np.float32),
    "cube": rng.standard_normal((2, 3, 4)).astype(np.float32) * 100,
    "summarised": np.arange(2000, dtype=np.float32).reshape(40, 50),
    "summarised_1d": np.arange(1200, dtype=np.float32) * 0.25 - 3.0,
    "ints": np.asarray([1, -20, 300], np.int32),
    "int_matrix": np.arange(-6, 6, dtype=np.int32).reshape(3, 4),
    "long_ints": np.arange(40, dtype=np.int32) * 1000,
    "bools": np.asarray([True, False, True]),
    "bool_matrix": np.asarray([[True, False], [False, False]]),
    "scalar_float": f32(2.0),
    "scalar_frac": f32(1 / 3),
    "scalar_small": f32(1e-5),
    "scalar_big": f32(1.5e20),
    "scalar_neg_zero": f32(-0.0),
    "scalar_int": np.asarray(-7, np.int32),
    "scalar_bool": np.asarray(True),
    "empty": np.zeros((2, 0), np.float32),
    "empty_1d": np.zeros((0,), np.int32),
    "softmax_rows": np.asarray(jax.nn.softmax(jnp.asarray(rng.standard_normal((3, 6)).astype(np.float32)), -1)),
}
c64 = lambda v: np.asarray(v, np.complex64)  # noqa: E731
complex_values = {
    "complex_pair": c64([1 + 4j, 2 - 0.5j]),
    "complex_matrix": c64([[1 + 4j, 2 - 0.5j], [np.nan, -3j]]),
    "complex_scalar": c64(1 + 2j),
    "complex_long": np.arange(1200).astype(np.complex64) * 1j,
    "complex_roots": np.exp(2j * np.pi * np.arange(6) / 6).astype(np.complex64),
}
option_sets = {
    "default": {},
    "precision_3": {"precision": 3},
    "suppress": {"suppress": True},
    "suppress_precision_4": {"suppress": True, "precision": 4},
    "threshold_10": {"threshold": 10},
    "threshold_10_edge_1": {"threshold": 10, "edgeitems": 1},
    "linewidth_40": {"linewidth": 40},
    "sign_plus": {"sign": "+"},
    "sign_space": {"sign": " "},
    "fixed": {"floatmode": "fixed", "precision": 4},
    "maxprec_equal": {"floatmode": "maxprec_equal"},
    "unique": {"floatmode": "unique"},
    "nanstr": {"nanstr": "NaN", "infstr": "Infinity"},
}
arrays = {
    name: {"values": enc(np.asarray(v).ravel()), "shape": list(v.shape), "dtype": str(jnp.asarray(v).dtype)}
    for name, v in values.items()
}
cases = {}
for oname, opts in option_sets.items():
    with np.printoptions(**opts):
        for vname, v in values.items():
            if oname != "default" and vname.startswith(("empty", "scalar_bool", "scalar_int", "bool")):
                continue
            x = jnp.asarray(v)
            # A literal's weak_type is Python's notion (our arrays have none): the rest is compared.
            text = {"str": str(x), "repr": repr(x).replace(", weak_type=True", "")}
            cases[f"{vname}/{oname}"] = {"array": vname, "options": opts, **text}
# Complex arrays: only repr (our array_str refuses complex input), the parts stored apart.
for name, v in complex_values.items():
    arrays[name] = {
        "values": enc(np.asarray(v).real.ravel()),
        "imag": enc(np.asarray(v).imag.ravel()),
        "shape": list(v.shape),
        "dtype": "complex64",
    }
    for oname in ["default", "precision_3", "threshold_10", "sign_plus"]:
        with np.printoptions(**option_sets[oname]):
            cases[f"{name}/{oname}"] = {
                "array": name,
                "options": option_sets[oname],
                "repr": repr(jnp.asarray(v)).replace(", weak_type=True", ""),
            }
out = os.path.join(os.path.dirname(__file__), "../../test/fixtures/jax/print.json")
with open(out, "w") as f:
    json.dump({"jax": jax.__version__, "numpy": np.__version__, "arrays": arrays, "cases": cases}, f)
print(f"wrote {len(cases)} cases to {os.path.abspath(out)}")
