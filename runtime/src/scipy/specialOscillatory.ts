// jax.scipy.special's sici (the sine and cosine integrals) and fresnel (the Fresnel integrals), in
// float32, as elementwise ops that fuse into one kernel. The expansions are Cephes' (sici.c,
// fresnlf), as JAX's:
// - sici: rational approximations in x² up to |x| = 4; the auxiliary functions f and g in 1/x²
//   (one fit on (4, 8), another beyond) up to 1e9; Si = π/2 − cos x/x, Ci = sin x/x beyond.
// - fresnel: Cephes' single-precision polynomials in x⁴ for x² < 2.5625, the auxiliary f and g in
//   1/(πx²)² up to 36974, ½ beyond; sin(πx²/2) and cos(πx²/2) reduced exactly modulo 2 (x² mod 4
//   taken as s(x − s/2) mod 2 with s = x mod 2), so large x keeps its phase.
// Derivatives are JAX's rules: Si′ = sin x/x (1 at 0), Ci′ = cos x/x; S′ = sin(πx²/2),
// C′ = cos(πx²/2).

import * as np from "../np.js";
import type { ArrayLike } from "../np.js";
import { custom_jvp } from "../trace/custom.js";
import type { Tracer } from "../trace/core.js";
import { f32, horner } from "./specialExtras.js";

const EULER_GAMMA = 0.5772156649015329;
const HALF_PI = Math.PI / 2;
const SN = [
  -8.391678279103039e-11, 4.625917144270128e-8, -0.000009757593038436328, 0.0009769454381704354, -0.04134703162294066,
  1,
];
const SD = [
  2.0326926619595193e-12, 1.279978911799433e-9, 4.418278428012189e-7, 0.00009964121220438756, 0.01420852393261499, 1,
];
const CN = [
  2.0252400238910228e-11, -1.3524950491579076e-8, 0.000003593250514199931, -0.0004740072068734079, 0.028915965260755523,
  -1,
];
const CD = [
  4.077460400618806e-12, 3.067809975818878e-9, 0.0000012321035568588342, 0.00031744202477503275, 0.051002805623644606,
  4,
];
const FN4 = [
  4.236128628922166, 5.4593771716181285, 1.6208328770153833, 0.16700661183132304, 0.006810201324725182,
  0.00010893658065032867, 5.489002234213736e-7,
];
const FD4 = [
  1, 8.16496634205391, 7.308288225055645, 1.867922579501842, 0.1787920529631499, 0.007017106683227897,
  0.00011003435715391573, 5.489002527562557e-7,
];
const GN4 = [
  0.08710016989731142, 0.6113791099522193, 0.3971802963923375, 0.07485277376284691, 0.005388686814621773,
  0.00016199979459893403, 0.0000019796387414096365, 7.825790407440903e-9,
];
const GD4 = [
  1, 1.6440220241335535, 0.666296701268988, 0.09887717612776888, 0.006223963454417684, 0.0001732210814741771,
  0.0000020265918208634397, 7.825792189335346e-9,
];
const FN8 = [
  0.4558808734704653, 0.7137152741001467, 0.16030015822231947, 0.01160642294081244, 0.00034955644244785906,
  0.0000048621543082645475, 3.200927900910049e-8, 9.41779576128513e-11, 9.70507110881952e-14,
];
const FD8 = [
  1, 0.9174636118736841, 0.17868554533207454, 0.012225359477197129, 0.00035869648188185157, 0.000004924350643178815,
  3.21956939101046e-8, 9.437205903502767e-11, 9.70507110881952e-14,
];
const GN8 = [
  0.6973599534432762, 0.33041097930563207, 0.03848787676499743, 0.001717182390523479, 0.000034894116550227946,
  3.471311670841167e-7, 1.7040445278204452e-9, 3.859459254302766e-12, 3.1404009894636335e-15,
];
const GD8 = [
  1, 1.6854889881101165, 0.48785225869530496, 0.04679131942596258, 0.0019028442667439953, 0.00003684755044425611,
  3.5704322344374083e-7, 1.7269374896631615e-9, 3.878301660239547e-12, 3.1404009894636335e-15,
];

/** [Si(x), Ci(x)] for all x (each piece read at a point inside its range). */
function siciValue(x: Tracer): [Tracer, Tracer] {
  const ax = np.abs(x);
  const near = np.less_equal(ax, 4);
  const mid = np.logical_and(np.greater(ax, 4), np.less_equal(ax, 1e9));
  const xn = np.where(np.logical_and(near, np.greater(ax, 0)), ax, 1);
  const tn = np.square(xn);
  const siNear = np.where(np.equal(ax, 0), 0, np.divide(np.multiply(xn, horner(tn, SN)), horner(tn, SD)));
  const ciSeries = np.add(np.add(EULER_GAMMA, np.log(xn)), np.divide(np.multiply(tn, horner(tn, CN)), horner(tn, CD)));
  const ciNear = np.where(np.equal(ax, 0), -Infinity, ciSeries);
  const xm = np.where(mid, ax, 5);
  const z = np.divide(1, np.square(xm));
  const small = np.less(xm, 8);
  const f = np.where(
    small,
    np.divide(horner(z, FN4), np.multiply(xm, horner(z, FD4))),
    np.divide(horner(z, FN8), np.multiply(xm, horner(z, FD8))),
  );
  const g = np.where(
    small,
    np.divide(np.multiply(z, horner(z, GN4)), horner(z, GD4)),
    np.divide(np.multiply(z, horner(z, GN8)), horner(z, GD8)),
  );
  const [s, c] = [np.sin(xm), np.cos(xm)];
  const siMid = np.subtract(np.subtract(HALF_PI, np.multiply(f, c)), np.multiply(g, s));
  const ciMid = np.subtract(np.multiply(f, s), np.multiply(g, c));
  const xf = np.where(np.logical_or(near, mid), 2e9, ax);
  const infinite = np.isposinf(xf);
  const xfFinite = np.where(infinite, 2e9, xf);
  const siFar = np.where(infinite, HALF_PI, np.subtract(HALF_PI, np.divide(np.cos(xfFinite), xfFinite)));
  const ciFar = np.where(infinite, 0, np.divide(np.sin(xfFinite), xfFinite));
  const si = np.multiply(np.sign(x), np.where(near, siNear, np.where(mid, siMid, siFar)));
  const ci = np.where(near, ciNear, np.where(mid, ciMid, ciFar));
  return [np.where(np.isnan(x), NaN, si), np.where(np.logical_or(np.isneginf(x), np.isnan(x)), NaN, ci)];
}
const siRule = custom_jvp((x: Tracer): Tracer => siciValue(x)[0]);
siRule.defjvp(([x]: Tracer[], [dx]: Tracer[]) => [siciValue(x!)[0], np.multiply(dx!, np.sinc(np.divide(x!, Math.PI)))]);
const ciRule = custom_jvp((x: Tracer): Tracer => siciValue(x)[1]);
ciRule.defjvp(([x]: Tracer[], [dx]: Tracer[]) => [siciValue(x!)[1], np.multiply(dx!, np.divide(np.cos(x!), x!))]);

/** [Si(x), Ci(x)]: ∫₀ˣ sin t/t dt (odd) and γ + log|x| + ∫₀^|x| (cos t − 1)/t dt (−inf at 0, NaN at
 *  −inf, as JAX's). */
export function sici(x: ArrayLike): [Tracer, Tracer] {
  const t = f32(x);
  return [siRule(t), ciRule(t)];
}

// Cephes fresnlf (single precision), highest power first.
const FRESNEL_SN = [
  1.6476294637887e-9, -1.522754752581096e-7, 8.4247488085024e-6, -3.120693124703272e-4, 7.244727626597022e-3,
  -9.228055941124598e-2, 5.235987735681432e-1,
];
const FRESNEL_CN = [
  1.416802502367354e-8, -1.157231412229871e-6, 5.387223446683264e-5, -1.604381798862293e-3, 2.818489036795073e-2,
  -2.467398198317899e-1, 9.999999760004487e-1,
];
const FRESNEL_FN = [
  -1.903009855649792e12, 1.355942388050252e11, -4.158143148511033e9, 7.343848463587323e7, -8.732356681548485e5,
  8.56051546627547e3, -1.032877601091159e2, 2.999401847870011,
];
const FRESNEL_GN = [
  -1.86084399762465e11, 1.278350673393208e10, -3.779387713202229e8, 6.492611570598858e6, -7.787789623358162e4,
  8.602931494734327e2, -1.493439396592284e1, 9.999841934744914e-1,
];

/** [sin(πx²/2), cos(πx²/2)] with x² reduced exactly modulo 4 first. */
function sinCosHalfPiSquare(x: Tracer): [Tracer, Tracer] {
  const ax = np.abs(x);
  const s = np.fmod(ax, 2);
  const r = np.fmod(np.multiply(s, np.subtract(ax, np.divide(s, 2))), 2); // πx²/2 = πr (mod 2π)
  const sinPi = np.where(
    np.less(r, 0.5),
    np.sin(np.multiply(r, Math.PI)),
    np.where(
      np.greater(r, 1.5),
      np.sin(np.multiply(np.subtract(r, 2), Math.PI)),
      np.negative(np.sin(np.multiply(np.subtract(r, 1), Math.PI))),
    ),
  );
  const cosPi = np.where(
    np.equal(r, 0.5),
    0,
    np.where(
      np.less(r, 1),
      np.negative(np.sin(np.multiply(np.subtract(r, 0.5), Math.PI))),
      np.sin(np.multiply(np.subtract(r, 1.5), Math.PI)),
    ),
  );
  return [sinPi, cosPi];
}

function fresnelValue(xIn: Tracer): [Tracer, Tracer] {
  const x = np.abs(xIn);
  const x2 = np.square(x);
  const small = np.less(x2, 2.5625);
  const large = np.greater(x, 36974);
  const xs = np.where(small, x, 0);
  const t4 = np.square(np.square(xs));
  const sSmall = np.multiply(np.multiply(xs, np.square(xs)), horner(t4, FRESNEL_SN));
  const cSmall = np.multiply(xs, horner(t4, FRESNEL_CN));
  const xo = np.where(np.logical_or(small, np.logical_not(np.isfinite(x))), 2, x);
  const [sinPi, cosPi] = sinCosHalfPiSquare(xo);
  const piX2 = np.multiply(np.square(xo), Math.PI);
  const u = np.divide(1, np.square(piX2));
  const f = np.subtract(1, np.multiply(u, horner(u, FRESNEL_FN)));
  const g = np.multiply(np.divide(1, piX2), horner(u, FRESNEL_GN));
  const piX = np.multiply(xo, Math.PI);
  const cOther = np.add(0.5, np.divide(np.subtract(np.multiply(f, sinPi), np.multiply(g, cosPi)), piX));
  const sOther = np.subtract(0.5, np.divide(np.add(np.multiply(f, cosPi), np.multiply(g, sinPi)), piX));
  const farOr = (near: Tracer, other: Tracer): Tracer =>
    np.where(np.isinf(x), 0.5, np.where(small, near, np.where(large, 0.5, other)));
  const negative = np.less(xIn, 0);
  const signed = (v: Tracer): Tracer => np.where(np.isnan(xIn), NaN, np.where(negative, np.negative(v), v));
  return [signed(farOr(sSmall, sOther)), signed(farOr(cSmall, cOther))];
}
const fresnelS = custom_jvp((x: Tracer): Tracer => fresnelValue(x)[0]);
fresnelS.defjvp(([x]: Tracer[], [dx]: Tracer[]) => [fresnelValue(x!)[0], np.multiply(dx!, sinCosHalfPiSquare(x!)[0])]);
const fresnelC = custom_jvp((x: Tracer): Tracer => fresnelValue(x)[1]);
fresnelC.defjvp(([x]: Tracer[], [dx]: Tracer[]) => [fresnelValue(x!)[1], np.multiply(dx!, sinCosHalfPiSquare(x!)[1])]);

/** [S(x), C(x)] = [∫₀ˣ sin(πt²/2) dt, ∫₀ˣ cos(πt²/2) dt], both odd, ±½ at ±inf. */
export function fresnel(x: ArrayLike): [Tracer, Tracer] {
  const t = f32(x);
  return [fresnelS(t), fresnelC(t)];
}
