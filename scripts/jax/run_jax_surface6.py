#!/usr/bin/env python3
"""Expected values for the sixth API batch: bitwise and integer functions (bitwise_and / or / xor /
not, invert, left_shift, right_shift, gcd, lcm, divmod), float bits (signbit, copysign, frexp,
ldexp, nextafter, isposinf, isneginf), the remaining elementwise names (fmod, float_power,
logaddexp2, rint, fabs, positive, radians, degrees), nancumsum, nancumprod, cumulative_sum, and
the gradients of the differentiable ones (jax.grad of a weighted sum).

Writes test/fixtures/jax/surface6.json, replayed by test/unit/ops/surface6.test.ts on CPU and
WebGPU, eager and under jit. JAX in float32 on float32 inputs (float_power too: x64 is off).
Run:  /tmp/jaxvenv/bin/python scripts/jax/run_jax_surface6.py   (from any directory)
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import jax  # noqa: E402

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

from fixture_json import Cases  # noqa: E402

f32 = lambda a: np.asarray(a, dtype=np.float32)  # noqa: E731
i32 = lambda a: np.asarray(a, dtype=np.int32)  # noqa: E731
rng = np.random.default_rng(6)
case = Cases()




def grad_of(fn, *args, argnum=0):
    """The gradient of sum(fn(...) · (1, 2, 3, …)) in argument `argnum`."""

    def weighted(*xs):
        y = fn(*xs)
        w = jnp.arange(1, y.size + 1, dtype=jnp.float32).reshape(y.shape)
        return jnp.sum(y * w)

    return jax.grad(weighted, argnums=argnum)(*args)


INT_MIN, INT_MAX = -(2**31), 2**31 - 1
IA = i32([0, 1, -1, 12, -12, 0x5A5A5A5A, INT_MIN, INT_MAX, 255, -256])
IB = i32([7, -1, 3, 10, 6, -0x0F0F0F0F, -1, INT_MIN, 15, 65535])
BA = np.asarray([True, True, False, False])
BB = np.asarray([True, False, True, False])
case("bitwise_and", [IA, IB], jnp.bitwise_and(IA, IB))
case("bitwise_or", [IA, IB], jnp.bitwise_or(IA, IB))
case("bitwise_xor", [IA, IB], jnp.bitwise_xor(IA, IB))
case("bitwise_and_bool", [BA, BB], jnp.bitwise_and(BA, BB))
case("bitwise_or_bool", [BA, BB], jnp.bitwise_or(BA, BB))
case("bitwise_xor_bool", [BA, BB], jnp.bitwise_xor(BA, BB))
case("bitwise_and_scalar", [IA], jnp.bitwise_and(IA, 0xFF))
case("bitwise_not", [IA], jnp.bitwise_not(IA))
case("invert_bool", [BA], jnp.invert(BA))
SX = i32([1, -8, 5, INT_MIN, INT_MAX, -1, 3, -3, 7, 100])
SN = i32([-1, 0, 1, 31, 32, 40, 30, 2, -5, 3])
case("left_shift", [SX, SN], jnp.left_shift(SX, SN))
case("right_shift", [SX, SN], jnp.right_shift(SX, SN))
case("right_shift_scalar_count", [SX], jnp.right_shift(SX, 2))
GA = i32([12, -12, 0, 0, 7, 1071, 1836311903, INT_MAX, 17, 21])
GB = i32([18, 8, 5, 0, -7, 462, 1134903170, 2, 0, -6])
case("gcd", [GA, GB], jnp.gcd(GA, GB))
case("lcm", [GA[:6], GB[:6]], jnp.lcm(GA[:6], GB[:6]))
DA = i32([7, -7, 7, -7, 0, 9])
DB = i32([2, 2, -2, -2, 3, 4])
case("divmod_int", [DA, DB], jnp.divmod(DA, DB))
# Quotients stay below 2^24: np.mod and fmod compute x - y·trunc(x / y) in float32.
FA = f32([7.5, -7.5, 7.5, -7.5, 0.0, 1e3])
FB = f32([2.0, 2.0, -2.0, -2.0, 3.0, 3.0])
case("divmod_float", [FA, FB], jnp.divmod(FA, FB))

# -NaN cannot be stored (the fixture writes every NaN as "nan"): the test checks it directly.
SPECIAL = f32([-0.0, 0.0, 1.5, -2.25, np.inf, -np.inf, np.nan, -7.0, 3e-39, -1e-45])
case("signbit", [SPECIAL], jnp.signbit(SPECIAL))
case("signbit_int", [IA], jnp.signbit(IA))
MAG = f32([1.0, -2.0, 3.0, -4.0, 0.0, -0.0, np.inf, np.nan, 5.0, 6.0])
case("copysign", [MAG, SPECIAL], jnp.copysign(MAG, SPECIAL))
case("copysign_int", [IA], jnp.copysign(IA, -1.0))
case("isposinf", [SPECIAL], jnp.isposinf(SPECIAL))
case("isneginf", [SPECIAL], jnp.isneginf(SPECIAL))
FR = f32([1.0, -3.0, 0.1, 1e30, -1e-30, 0.0, -0.0, np.inf, -np.inf, np.nan, 3e-39, 2.0**-126, 0.5, 1024.0])
case("frexp", [FR], jnp.frexp(FR))
LX = f32([1.5, -1.5, 3.0, 1e-30, 1e30, 0.0, np.inf, np.nan, 0.75, 1.0])
LN = i32([3, -2, 0, 100, -100, 5, -3, 1, 128, -126])
case("ldexp", [LX, LN], jnp.ldexp(LX, LN))
case("ldexp_int_mantissa", [LN], jnp.ldexp(i32([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), i32([1, 1, 1, 1, 1, 2, 2, 2, 2, 2])))
NX = f32([1.0, 1.0, -1.0, 0.0, -0.0, 0.0, np.nan, 2.0, np.inf, 3.4028235e38, -1.5])
NY = f32([2.0, 0.0, 5.0, 1.0, -1.0, 0.0, 1.0, np.nan, 0.0, np.inf, -1.5])
case("nextafter", [NX, NY], jnp.nextafter(NX, NY))

A = f32(rng.normal(size=(3, 4)) * 3)
B = f32(rng.uniform(0.5, 2.5, size=(3, 4)) * np.sign(rng.normal(size=(3, 4))))
case("fmod", [A, B], jnp.fmod(A, B))
FMA = f32([5.5, -5.5, -4.0, 4.0, 3.0, -3.0, np.inf, 1.0, np.nan, 0.0])
FMB = f32([2.0, 2.0, 2.0, -2.0, np.inf, -np.inf, 1.0, 0.0, 1.0, 5.0])
case("fmod_special", [FMA, FMB], jnp.fmod(FMA, FMB))
case("fmod_int", [DA, i32([2, 2, -2, -2, 0, 4])], jnp.fmod(DA, i32([2, 2, -2, -2, 0, 4])))
PA = f32(np.abs(A) + 0.1)
case("float_power", [PA, B], jnp.float_power(PA, B))
case("float_power_int", [DB], jnp.float_power(DB, -1))
case("logaddexp2", [A, B], jnp.logaddexp2(A, B))
L2 = f32([np.inf, -np.inf, -np.inf, 100.0, np.nan])
L2B = f32([np.inf, -np.inf, 1.0, -100.0, 1.0])
case("logaddexp2_special", [L2, L2B], jnp.logaddexp2(L2, L2B))
RI = f32([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, -2.6, np.inf, np.nan, -0.0])
case("rint", [RI], jnp.rint(RI))
case("rint_int", [DA], jnp.rint(DA))
case("fabs", [SPECIAL], jnp.fabs(SPECIAL))
case("fabs_int", [DA], jnp.fabs(DA))
case("positive", [A], jnp.positive(A))
case("positive_int", [DA], jnp.positive(DA))
case("radians", [A], jnp.radians(A * 60))
case("degrees", [A], jnp.degrees(A))

NC = f32([[1.0, np.nan, 2.0, 3.0], [np.nan, np.nan, 4.0, -1.0], [0.5, 2.0, np.nan, 2.0]])
case("nancumsum_axis1", [NC], jnp.nancumsum(NC, axis=1))
case("nancumsum_flat", [NC], jnp.nancumsum(NC))
case("nancumprod_axis0", [NC], jnp.nancumprod(NC, axis=0))
C1 = f32([1.0, 2.0, 3.0, 4.0])
case("cumulative_sum_1d", [C1], jnp.cumulative_sum(C1))
case("cumulative_sum_initial", [A], jnp.cumulative_sum(A, axis=0, include_initial=True))
case("cumulative_sum_bool", [BA], jnp.cumulative_sum(BA, include_initial=True))

NQ = f32([[3.0, np.nan, 1.0, 7.0, 2.0], [np.nan, np.nan, np.nan, np.nan, np.nan], [4.0, -1.0, np.nan, 0.5, 8.0]])
case("nanmedian_axis1", [NQ], jnp.nanmedian(NQ, axis=1))
case("nanmedian_flat", [NQ], jnp.nanmedian(NQ))
case("nanquantile_qs_axis1", [NQ], jnp.nanquantile(NQ, f32([0.0, 0.3, 1.0]), axis=1))
case("nanquantile_axis0_keepdims", [NQ], jnp.nanquantile(NQ, 0.75, axis=0, keepdims=True))
case("nanquantile_nearest", [NQ], jnp.nanquantile(NQ, 0.4, axis=1, method="nearest"))
case("nanpercentile_lower", [NQ], jnp.nanpercentile(NQ, f32([25.0, 60.0]), axis=1, method="lower"))
case("nanpercentile_higher", [NQ], jnp.nanpercentile(NQ, 60.0, method="higher"))
case("grad_nanquantile", [NQ[[0, 2]]], grad_of(lambda x: jnp.nanquantile(x, f32([0.3, 0.5]), axis=1), NQ[[0, 2]]))

EMPTY_I, EMPTY_F = i32([]), f32([])
case("bitwise_or_empty", [EMPTY_I], jnp.bitwise_or(EMPTY_I, EMPTY_I))
case("frexp_empty", [EMPTY_F], jnp.frexp(EMPTY_F))
case("cumulative_sum_empty_initial", [EMPTY_F], jnp.cumulative_sum(EMPTY_F, include_initial=True))

case("grad_copysign", [MAG[:6], SPECIAL[:6]], grad_of(jnp.copysign, MAG[:6], SPECIAL[:6]))
case("grad_fmod_x", [A, B], grad_of(jnp.fmod, A, B))
case("grad_fmod_y", [A, B], grad_of(jnp.fmod, A, B, argnum=1))
case("grad_logaddexp2_x", [A, B], grad_of(jnp.logaddexp2, A, B))
case("grad_logaddexp2_y", [A, B], grad_of(jnp.logaddexp2, A, B, argnum=1))
case("grad_ldexp", [LX[:5], LN[:5]], grad_of(jnp.ldexp, LX[:5], LN[:5]))
case("grad_float_power_x", [PA, B], grad_of(jnp.float_power, PA, B))
case("grad_float_power_y", [PA, B], grad_of(jnp.float_power, PA, B, argnum=1))
case("grad_nancumsum", [NC], grad_of(lambda x: jnp.nancumsum(x, axis=1), NC))
case("grad_cumulative_sum", [A], grad_of(lambda x: jnp.cumulative_sum(x, axis=1, include_initial=True), A))
case("vmap_grad_logaddexp2", [A[0], B[0]], jax.vmap(jax.grad(jnp.logaddexp2))(A[0], B[0]))
case("vmap_gcd", [GA[:4], GB[:4]], jax.vmap(jnp.gcd)(GA[:4], GB[:4]))
case("vmap_right_shift", [SX[:4], SN[:4]], jax.vmap(jnp.right_shift)(SX[:4], SN[:4]))

case.write("surface6")
