#!/usr/bin/env python3
"""jax.numpy names real programs use that the runtime lacked: the index tricks mgrid ogrid r_ c_
s_ index_exp (count steps `5j`, negative and float steps, empty ranges, directives, "r" / "c"),
newaxis in an index (get, set), poly (real, repeated, complex roots, none), polydiv (with and
without trim_leading_zeros, an all-zero remainder), trim_zeros ('fb' / 'f' / 'b', all zeros,
2-D with and without an axis, NaN, int32), setxor1d (assume_unique, size padding and truncation,
fill_value, NaN, empty inputs, int32), histogram_bin_edges (a count, a range, equal ends, given
edges, int32), spacing (zero, subnormals, ±inf, NaN, the largest float), mask_indices (triu,
tril, a custom mask, size padding), sort_complex (ties in the real part, real and int input,
2-D, NaN), and array_str / repr texts.

Writes test/fixtures/jax/np_extras.json, replayed by test/unit/ops/npExtras.test.ts on CPU and
WebGPU, eager and under jit (through surface2Expected.ts's fixtureCases); the texts go under
"texts".
Run:  $JAX_PYTHON scripts/jax/run_jax_np_extras.py   (~3 s)
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import jax  # noqa: E402

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

from fixture_json import Cases  # noqa: E402

case = Cases()
f32 = lambda v: np.array(v, np.float32)  # noqa: E731
i32 = lambda v: np.array(v, np.int32)  # noqa: E731
nan, inf = float("nan"), float("inf")

# Index tricks: the test writes each slice as a string key ("-1:1:5j") or a call.
case("mgrid_count", [], jnp.mgrid[-1:1:5j])
case("mgrid_count_down", [], jnp.mgrid[1:-1:-4j])
case("mgrid_count_zero", [], jnp.mgrid[0:1:0j])
case("mgrid_2d", [], jnp.mgrid[0:2, 0:3])
case("mgrid_negative_step", [], jnp.mgrid[5:0:-2])
case("mgrid_float_step", [], jnp.mgrid[0:1:0.25])
case("mgrid_mixed", [], jnp.mgrid[0:3, 0:1:3j])
case("mgrid_empty", [], jnp.mgrid[3:0])
case("mgrid_tuple_of_one", [], jnp.mgrid[0:4,])
case("ogrid_2d", [], jnp.ogrid[0:2, 0:3])
case("ogrid_count", [], jnp.ogrid[0:1:3j, 4:6])
case("ogrid_one", [], jnp.ogrid[2:8:3])

a3, b3 = i32([1, 2, 3]), i32([4, 5, 6])
m23 = i32([[0, 1, 2], [3, 4, 5]])
case("r_slices_scalars", [], jnp.r_[1:4, 0, 0])
case("r_array_float", [i32([7, 8])], jnp.r_[i32([7, 8]), 1:4, 0.5])
case("r_count", [f32([1, 2, 3])], jnp.r_[-1:1:6j, 0, f32([1, 2, 3])])
case("r_negative_step", [], jnp.r_[10:0:-3, 100])
case("r_dir_0_2", [a3, b3], jnp.r_["0,2", a3, b3])
case("r_dir_0_2_0", [a3, b3], jnp.r_["0,2,0", a3, b3])
case("r_dir_0_2_m2", [a3, b3], jnp.r_["0,2,-2", a3, b3])
case("r_dir_1", [m23], jnp.r_["1", m23, m23])
case("r_row", [a3, b3], jnp.r_["r", a3, b3])
case("r_column", [a3, b3], jnp.r_["c", a3, b3])
case("r_2d", [m23], jnp.r_[m23, m23])
case("c_1d", [a3, b3], jnp.c_[a3, b3])
case("c_2d", [m23], jnp.c_[m23, m23])
case("c_slices", [], jnp.c_[0:3, 3:6])
case("c_dir_0_2_m1", [a3, b3], jnp.c_["0,2,-1", a3, b3])
case("c_row", [a3, b3], jnp.c_["r", a3, b3])

x34 = np.arange(12, dtype=np.float32).reshape(3, 4)
case("s_two", [x34], x34[np.s_[1:3, ::2]])
case("s_ellipsis", [x34], x34[np.s_[..., 1]])
case("index_exp_one", [x34], x34[np.index_exp[1]])
case("newaxis_middle", [x34], jnp.asarray(x34)[:, None, 1:3])
case("newaxis_ends", [x34], jnp.asarray(x34)[None, ..., None])
case("newaxis_after_int", [x34], jnp.asarray(x34)[1, None])
case("newaxis_set", [x34], jnp.asarray(x34).at[1, None, :].set(f32([[9, 8, 7, 6]])))
case("newaxis_add", [x34], jnp.asarray(x34).at[None, :, 0].add(100.0))

# poly / polydiv
case("poly", [f32([1, 2, 3])], jnp.poly(f32([1, 2, 3])))
case("poly_repeated", [f32([0.5, 0.5, -2, 4])], jnp.poly(f32([0.5, 0.5, -2, 4])))
case("poly_int32", [i32([1, -1])], jnp.poly(i32([1, -1])))
case("poly_none", [f32([])], jnp.poly(f32([])))
case("poly_scalar", [f32(2.5)], jnp.poly(f32(2.5)))
pc = np.array([1 + 2j, 1 - 2j, 3], np.complex64)
case("poly_complex", [pc.real, pc.imag], [jnp.poly(pc).real, jnp.poly(pc).imag])
case("polydiv", [f32([3, 5, 2, 1]), f32([2, 1])], jnp.polydiv(f32([3, 5, 2, 1]), f32([2, 1])))
case("polydiv_short", [f32([1, 2]), f32([1, 2, 3])], jnp.polydiv(f32([1, 2]), f32([1, 2, 3])))
case("polydiv_int32", [i32([1, 0, -1]), i32([1, 1])], jnp.polydiv(i32([1, 0, -1]), i32([1, 1])))
case("polydiv_trim", [f32([1, 2, 3, 4]), f32([1, 1])],
     jnp.polydiv(f32([1, 2, 3, 4]), f32([1, 1]), trim_leading_zeros=True))
case("polydiv_trim_exact", [f32([1, 3, 2]), f32([1, 1])],
     jnp.polydiv(f32([1, 3, 2]), f32([1, 1]), trim_leading_zeros=True))

# trim_zeros
tz = f32([0, 0, 2, 0, 1, 4, 3, 0, 0, 0])
case("trim_zeros_fb", [tz], jnp.trim_zeros(tz))
case("trim_zeros_f", [tz], jnp.trim_zeros(tz, "f"))
case("trim_zeros_b", [tz], jnp.trim_zeros(tz, "b"))
case("trim_zeros_all_zero", [f32([0, 0, 0])], jnp.trim_zeros(f32([0, 0, 0])))
case("trim_zeros_nan", [f32([0, nan, 0, 1, 0])], jnp.trim_zeros(f32([0, nan, 0, 1, 0])))
case("trim_zeros_int32", [i32([0, 5, 0, -1, 0])], jnp.trim_zeros(i32([0, 5, 0, -1, 0])))
t2 = f32([[0, 0, 0, 0, 0], [0, 1, 1, 1, 0], [0, 1, 0, 1, 0], [0, 0, 0, 0, 0]])
case("trim_zeros_2d", [t2], jnp.trim_zeros(t2))
case("trim_zeros_2d_axis0", [t2], jnp.trim_zeros(t2, axis=0))
case("trim_zeros_2d_axis1_f", [t2], jnp.trim_zeros(t2, "f", axis=1))

# setxor1d
s1, s2 = i32([5, 1, 2, 2, 9]), i32([2, 6, 5, 7])
case("setxor1d", [s1, s2], jnp.setxor1d(s1, s2, size=6))
case("setxor1d_pad_default", [s1, s2], jnp.setxor1d(s1, s2, size=9))
case("setxor1d_fill", [s1, s2], jnp.setxor1d(s1, s2, size=8, fill_value=-1))
case("setxor1d_truncate", [s1, s2], jnp.setxor1d(s1, s2, size=2))
u1, u2 = f32([3, 1, 8]), f32([8, 2, 0.5])
case("setxor1d_assume_unique", [u1, u2], jnp.setxor1d(u1, u2, assume_unique=True, size=6))
case("setxor1d_nan", [f32([1, nan, nan]), f32([nan, 2])], jnp.setxor1d(f32([1, nan, nan]), f32([nan, 2]), size=5))
case("setxor1d_same", [f32([1, 2]), f32([2, 1, 1])], jnp.setxor1d(f32([1, 2]), f32([2, 1, 1]), size=3))
case("setxor1d_one_empty", [f32([]), f32([4, 3, 4])], jnp.setxor1d(f32([]), f32([4, 3, 4]), size=3))
case("setxor1d_both_empty", [f32([]), f32([])], jnp.setxor1d(f32([]), f32([]), size=2))

# histogram_bin_edges
hx = f32([1.5, -2, 7, 3.25, 0])
case("histogram_bin_edges", [hx], jnp.histogram_bin_edges(hx, 4))
case("histogram_bin_edges_default", [hx], jnp.histogram_bin_edges(hx))
case("histogram_bin_edges_range", [hx], jnp.histogram_bin_edges(hx, 5, range=(-10, 10)))
case("histogram_bin_edges_equal", [f32([2, 2, 2])], jnp.histogram_bin_edges(f32([2, 2, 2]), 2))
case("histogram_bin_edges_given", [hx], jnp.histogram_bin_edges(hx, i32([0, 1, 5])))
case("histogram_bin_edges_int32", [i32([3, 9, 4])], jnp.histogram_bin_edges(i32([3, 9, 4]), 3))

# spacing
sp = f32([0, -0.0, 1, -1, 1e10, -3.5e-3, 3.4028235e38, inf, -inf, nan, 1e-45, 2.5e-40])
case("spacing", [sp], jnp.spacing(sp))
case("spacing_int32", [i32([0, 1, -7, 1 << 24])], jnp.spacing(i32([0, 1, -7, 1 << 24])))

# mask_indices
case("mask_indices_triu", [], jnp.mask_indices(3, jnp.triu))
case("mask_indices_tril_k", [], jnp.mask_indices(4, jnp.tril, -1))
custom = lambda x, k: (jnp.arange(x.shape[0])[:, None] + 1) % (jnp.arange(x.shape[1]) + 1 + k) == 0  # noqa: E731
case("mask_indices_custom", [], jnp.mask_indices(3, custom))
case("mask_indices_size", [], jnp.mask_indices(3, jnp.triu, 1, size=5))
case("mask_indices_empty", [], jnp.mask_indices(3, jnp.triu, 5))

# sort_complex
sc = np.array([2 + 3j, 1 - 1j, 2 - 4j, 1 - 1j, -1 + 0j, 2 + 3j], np.complex64)
case("sort_complex", [sc.real, sc.imag], [jnp.sort_complex(sc).real, jnp.sort_complex(sc).imag])
case("sort_complex_real", [f32([3, nan, 1, -inf, 1])],
     [jnp.sort_complex(f32([3, nan, 1, -inf, 1])).real, jnp.sort_complex(f32([3, nan, 1, -inf, 1])).imag])
case("sort_complex_int32", [i32([[5, 3, 4], [6, 9, 2]])], jnp.sort_complex(i32([[5, 3, 4], [6, 9, 2]])).real)

case.write("np_extras")

# Texts: jnp.array_str, and repr (what print / console.log show).
texts = {
    "str_float": jnp.array_str(jnp.array([1.5, 2.0, 3.0])),
    "str_int_2d": jnp.array_str(jnp.arange(6).reshape(2, 3)),
    # jnp.array_str raises on a 0-d array (jax 0.10.2: ArrayImpl is not an ndarray); NumPy's str:
    "str_scalar": np.array_str(np.asarray(jnp.float32(3.5))),
    "str_bool": jnp.array_str(jnp.array([True, False])),
    "str_precision": jnp.array_str(jnp.array([1 / 3, 2.0, -0.126]), precision=2),
    "repr_int_2d": repr(jnp.arange(4).reshape(2, 2)),
    "repr_int_scalar": repr(jnp.int32(7)),
}
out = os.path.join(os.path.dirname(__file__), "../../test/fixtures/jax/np_extras.json")
with open(out) as fh:
    stored = json.load(fh)
stored["texts"] = texts
with open(out, "w") as fh:
    json.dump(stored, fh, indent=None, separators=(",", ":"))
    fh.write("\n")
print(f"added {len(texts)} texts")
