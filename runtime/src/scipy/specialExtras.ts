// jax.scipy.special's erfcx, dawsn, spence, owens_t and bernoulli, in float32, as elementwise
// np/lax ops that fuse into one kernel (every branch is evaluated at a point where it is finite,
// and `where` picks one). The expansions are JAX's:
// - erfcx: e^{x²}·erfc(x) up to x = 5, the asymptotic series (1/(x√π))·Σ cₖ x^{−2k} (nine terms,
//   the first omitted ~2e-8 at x = 5) beyond. JAX switches at 9.4, where exp(x²)·erfc(x) has
//   already lost precision (erfc is subnormal past 9.2 and flushed to 0 on some GPUs); e^{x²} is
//   taken as e^{hi²}·e^{lo(2hi+lo)} with hi x's top 12 bits, so hi² is exact and the rounding of
//   x² (x²·2^−24 relative) is not magnified by exp.
// - dawsn: Cody, Paciorek and Thacher's rational approximations on [0, 3.25), [3.25, 6.25) and
//   beyond, odd in x.
// - spence: Cephes' rational approximation in w on [0.5, 1.5] with the reflection and inversion
//   formulas outside it; NaN below 0, as JAX (SciPy's is complex there).
// - owens_t: Patefield and Tandy's method T5 (13-point Gauss quadrature), |a| > 1 reduced to
//   1/|a|, exact at h = 0 and a = 1.
// - bernoulli: B₀ … Bₙ (Bₙ⁻: B₁ = −½) by Chowla and Hartung's formula, computed on the host with
//   float32 rounding at each step as JAX's (so the first overflow to ±inf is at the same n).
// Derivatives are JAX's rules (custom_jvp) where JAX gives one: erfcx′ = 2x·erfcx − 2/√π,
// dawsn′ = 1 − 2x·dawsn, owens_t's exact partials; spence differentiates through the formula, as
// JAX's does.

import * as np from "../np.js";
import type { ArrayLike } from "../np.js";
import { erf, erfc } from "../lax/special.js";
import { JitScopeError } from "../ir/errors.js";
import { custom_jvp } from "../trace/custom.js";
import type { Tracer } from "../trace/core.js";

export const f32 = (x: ArrayLike): Tracer => np.astype(np.asarray(x), "float32");

/** Σ cᵢ·x^(deg − i) by Horner's rule, the coefficients JS numbers (highest power first). */
export function horner(x: Tracer, coefficients: readonly number[]): Tracer {
  let y: Tracer = np.add(np.multiply(x, 0), coefficients[0]!);
  for (let i = 1; i < coefficients.length; i++) y = np.add(np.multiply(y, x), coefficients[i]!);
  return y;
}

/** The arguments as float32, broadcast to one shape. */
export function broadcastF32(...xs: ArrayLike[]): Tracer[] {
  const ts = xs.map(f32);
  const shape = np.broadcast_shapes(...ts.map((t) => t.shape));
  return ts.map((t) => np.broadcast_to(t, shape));
}

// erfcx ~ (1/(x√π))·Σ (−1)ᵏ (2k−1)!!/2ᵏ · x^{−2k}, highest power first.
const ERFCX_ASYMPTOTIC = [7918.06640625, -1055.7421875, 162.421875, -29.53125, 6.5625, -1.875, 0.75, -0.5, 1];
const ERFCX_SWITCH = 5;
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

function erfcxValue(x: Tracer): Tracer {
  const large = np.greater(x, ERFCX_SWITCH);
  const near = np.where(large, 1, x);
  const hi = np.divide(np.floor(np.multiply(near, 4096)), 4096);
  const finite = np.isfinite(near);
  const lo = np.where(finite, np.subtract(near, hi), 0);
  // At −inf, hi alone (e^{+inf}): the correction's lo·(2hi + lo) would be 0·inf.
  const correction = np.where(finite, np.multiply(lo, np.add(np.multiply(hi, 2), lo)), 0);
  const expSquare = np.multiply(np.exp(np.square(hi)), np.exp(correction));
  const direct = np.multiply(expSquare, erfc(near));
  const far = np.where(large, x, ERFCX_SWITCH);
  const series = horner(np.divide(1, np.square(far)), ERFCX_ASYMPTOTIC);
  return np.where(large, np.divide(series, np.multiply(far, Math.sqrt(Math.PI))), direct);
}
const erfcxRule = custom_jvp((x: Tracer): Tracer => erfcxValue(x));
erfcxRule.defjvp(([x]: Tracer[], [dx]: Tracer[]) => {
  const y = erfcxValue(x!);
  return [y, np.multiply(dx!, np.subtract(np.multiply(np.multiply(x!, 2), y), TWO_OVER_SQRT_PI))];
});

/** The scaled complementary error function e^{x²}·erfc(x) (finite where erfc underflows; +inf
 *  below x ≈ −9.4, where e^{x²} overflows, as JAX's). Real input only. */
export const erfcx = (x: ArrayLike): Tracer => erfcxRule(f32(x));

// Cody, Paciorek & Thacher (1970), highest power first.
const DAWSN_AN = [
  1.1368149897175597e-11, 8.492622676674738e-10, 1.9443420417555306e-8, 9.531517412544844e-7, 0.000003078283098749132,
  0.00035251336852028877, -0.0008501498467244109, 0.04226182230055466, -0.09174803717734524, 1,
];
const DAWSN_AD = [
  2.403720730667626e-11, 1.488646813684934e-9, 5.212652810105416e-8, 0.0000012725847827318697, 0.00002324902498207895,
  0.00032552474182605793, 0.003488058146571626, 0.027944853119882897, 0.15887424196012057, 0.5749186294893204, 1,
];
const DAWSN_BN = [
  0.5089551564179009, -0.24475441814269785, 0.09415123353035344, -0.021871125514203903, 0.003662076123295692,
  -0.0004232091144603888, 0.000035964130479389666, -0.0000021464035171996896, 9.100107800763914e-8,
  -2.4027452082825098e-9, 3.592333854409284e-11,
];
const DAWSN_BD = [
  1, -0.6318398698733682, 0.2367067882282487, -0.053180636700322324, 0.008480417185862954, -0.0009479967684866654,
  0.00007810255929445524, -0.000004558751532524426, 1.8910035811142186e-7, -4.913246913319206e-9, 7.184664032357345e-11,
];
const DAWSN_CN = [
  -0.5905928605347732, 0.6292352427243688, -0.17285897538038814, 0.016483704782518965, -0.0004868276130204627,
];
const DAWSN_CD = [
  1, -2.698200571975449, 1.7327079904594784, -0.3937085822819395, 0.03442789240412334, -0.0009736552260409412,
];

function dawsnValue(x: Tracer): Tracer {
  const ax = np.abs(x);
  const inner = np.less(ax, 3.25);
  const middle = np.logical_and(np.logical_not(inner), np.less(ax, 6.25));
  const outer = np.greater_equal(ax, 6.25);
  const a1 = np.where(inner, ax, 1);
  const s1 = np.square(a1);
  const v1 = np.divide(np.multiply(a1, horner(s1, DAWSN_AN)), horner(s1, DAWSN_AD));
  // Beyond 3.25: ½x⁻¹·(1 + t·P(t)/Q(t)), t = x⁻².
  const tail = (a: Tracer, num: readonly number[], den: readonly number[]): Tracer => {
    const t = np.divide(1, np.square(a));
    return np.multiply(np.divide(0.5, a), np.add(1, np.divide(np.multiply(t, horner(t, num)), horner(t, den))));
  };
  const v2 = tail(np.where(middle, ax, 4), DAWSN_BN, DAWSN_BD);
  const v3 = tail(np.where(outer, ax, 8), DAWSN_CN, DAWSN_CD);
  // NaN is kept explicitly: sign(NaN) is 0 on WebGPU.
  return np.where(np.isnan(x), NaN, np.multiply(np.sign(x), np.where(inner, v1, np.where(middle, v2, v3))));
}
const dawsnRule = custom_jvp((x: Tracer): Tracer => dawsnValue(x));
dawsnRule.defjvp(([x]: Tracer[], [dx]: Tracer[]) => {
  const y = dawsnValue(x!);
  return [y, np.multiply(dx!, np.subtract(1, np.multiply(np.multiply(x!, 2), y)))];
});

/** Dawson's integral e^{−x²}∫₀ˣ e^{t²} dt, odd in x. */
export const dawsn = (x: ArrayLike): Tracer => dawsnRule(f32(x));

// Cephes spence.c: spence(1 − w) ≈ −w·A(w)/B(w) for w ∈ [−0.5, 0.5].
const SPENCE_A = [
  0.000046512858607399003, 0.007315890452380947, 0.13384763957830903, 0.8796913117545303, 2.7114985119655346,
  4.256971560081218, 3.297713409852251, 1,
];
const SPENCE_B = [
  0.0006909904889125533, 0.02540437639325444, 0.2829748606025681, 1.4117259775183106, 3.6380053334513707,
  5.03278880143317, 3.547713409852251, 1,
];

/** Spence's function ∫₁ˣ log t/(1 − t) dt for x ≥ 0 (π²/6 at 0, 0 at 1), NaN below 0. */
export function spence(x: ArrayLike): Tracer {
  const t = f32(x);
  // Cephes' reductions: x > 2 → 1/x (then −½ log² x − …), x < ½ → reflection π²/6 − log x log(1−x) − ….
  const edge = np.logical_or(np.less(t, 0), np.logical_or(np.equal(t, 0), np.equal(t, 1)));
  const v = np.where(edge, 2, t);
  const inverted = np.greater(v, 2);
  const y = np.where(inverted, np.divide(1, v), v);
  const aboveHalf = np.greater(y, 1.5);
  const belowHalf = np.less(y, 0.5);
  const w = np.where(
    aboveHalf,
    np.subtract(np.divide(1, y), 1),
    np.where(belowHalf, np.negative(y), np.subtract(y, 1)),
  );
  const poly = np.divide(np.multiply(np.negative(w), horner(w, SPENCE_A)), horner(w, SPENCE_B));
  const yLow = np.where(belowHalf, y, 0.25);
  const reflected = np.subtract(
    np.subtract(Math.PI ** 2 / 6, np.multiply(np.log(yLow), np.log1p(np.negative(yLow)))),
    poly,
  );
  const base = np.where(belowHalf, reflected, poly);
  const yBig = np.where(np.logical_or(inverted, aboveHalf), y, 1);
  const flipped = np.subtract(np.multiply(np.square(np.log(yBig)), -0.5), base);
  const value = np.where(np.logical_or(inverted, aboveHalf), flipped, base);
  return np.where(np.less(t, 0), NaN, np.where(np.equal(t, 1), 0, np.where(np.equal(t, 0), Math.PI ** 2 / 6, value)));
}

// Owen's T by Patefield & Tandy's T5: a·Σ wᵢ·exp(−h²(1 + a²tᵢ)/2)/(1 + a²tᵢ), 0 ≤ a ≤ 1.
const OWENS_POINTS = [
  0.0035082039676451716, 0.031279042338030756, 0.08526682628321945, 0.16245071730812277, 0.25851196049125436,
  0.3680755384069753, 0.485010929056047, 0.6027751415261857, 0.7147788421775323, 0.814755109887601, 0.8971102975594897,
  0.9572380808594426, 0.991788329746297,
];
const OWENS_WEIGHTS = [
  0.018831438115323503, 0.01856708624397765, 0.018042093461223385, 0.017263829606398752, 0.016243219975989858,
  0.014994592034116705, 0.013535474469662087, 0.011886351605820165, 0.010070377242777432, 0.008113054574229958,
  0.006041900952847024, 0.0038862217010742057, 0.001679303108454609,
];

function owensTValue(hIn: Tracer, a: Tracer): Tracer {
  const h = np.abs(hIn);
  const absA = np.abs(a);
  const small = np.less_equal(absA, 1);
  const ma = np.where(small, absA, np.reciprocal(absA));
  const mh = np.where(small, h, np.multiply(absA, h));
  const a2 = np.square(ma);
  const halfH2 = np.multiply(np.square(mh), -0.5);
  let sum: Tracer = np.multiply(ma, 0);
  OWENS_POINTS.forEach((p, i) => {
    const r = np.add(np.multiply(a2, p), 1);
    sum = np.add(sum, np.multiply(np.divide(np.exp(np.multiply(halfH2, r)), r), OWENS_WEIGHTS[i]!));
  });
  let result = np.multiply(ma, sum);
  result = np.where(np.equal(mh, 0), np.divide(np.arctan(ma), 2 * Math.PI), result);
  const exactOne = np.multiply(
    np.multiply(erfc(np.multiply(mh, -Math.SQRT1_2)), erfc(np.multiply(mh, Math.SQRT1_2))),
    0.125,
  );
  result = np.where(np.equal(ma, 1), exactOne, result);
  // T(h, a) = ¼ − … − T(ah, 1/a) for |a| > 1 (by erf near 0, by erfc in the tail, where 1 − erf rounds).
  const hn = np.multiply(h, Math.SQRT1_2);
  const ahn = np.multiply(absA, hn);
  const nearZero = np.subtract(np.subtract(0.25, np.multiply(np.multiply(erf(hn), erf(ahn)), 0.25)), result);
  const [normh, normah] = [erfc(hn), erfc(ahn)];
  const tailed = np.subtract(np.multiply(np.subtract(np.add(normh, normah), np.multiply(normh, normah)), 0.25), result);
  const reflected = np.where(np.less_equal(np.multiply(absA, h), 0.67), nearZero, tailed);
  result = np.multiply(np.sign(a), np.where(small, result, reflected));
  return np.where(np.logical_or(np.isnan(a), np.isnan(hIn)), NaN, result);
}
const owensTRule = custom_jvp((h: Tracer, a: Tracer): Tracer => owensTValue(h, a));
owensTRule.defjvp(([h, a]: Tracer[], [dh, da]: Tracer[]) => {
  const h2 = np.square(h!);
  // ∂T/∂h = −e^{−h²/2}·erf(ah/√2)/(2√(2π)), ∂T/∂a = e^{−(1+a²)h²/2}/(2π(1 + a²)).
  const dTdh = np.divide(
    np.multiply(np.negative(np.exp(np.multiply(h2, -0.5))), erf(np.multiply(np.multiply(a!, h!), Math.SQRT1_2))),
    2 * Math.sqrt(2 * Math.PI),
  );
  const onePlusA2 = np.add(np.square(a!), 1);
  const dTda = np.divide(np.exp(np.multiply(np.multiply(onePlusA2, h2), -0.5)), np.multiply(onePlusA2, 2 * Math.PI));
  return [owensTValue(h!, a!), np.add(np.multiply(dTdh, dh!), np.multiply(dTda, da!))];
});

/** Owen's T function T(h, a) = (1/2π)∫₀ᵃ e^{−h²(1+x²)/2}/(1 + x²) dx, odd in a, even in h. */
export function owens_t(h: ArrayLike, a: ArrayLike): Tracer {
  const [hb, ab] = broadcastF32(h, a);
  return owensTRule(hb!, ab!);
}

/** B₀ … Bₙ (B₁ = −½), float32 (±inf where float32 overflows, from n = 64 on, as JAX's). n must be
 *  a non-negative integer: the output's length depends on it. */
export function bernoulli(n: number): Tracer {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0)
    throw new JitScopeError(
      "value",
      `scipy.special.bernoulli: n must be a non-negative integer (a JS number), got ${String(n)}`,
    );
  const fr = Math.fround;
  const values = [1, -0.5, fr(1 / 6)];
  const pi2 = fr(Math.PI ** 2);
  let product = 1;
  for (let m = 3; m <= n; m++) {
    if (m % 2 === 1) {
      values.push(0);
      continue;
    }
    // B_m = (−1)^{m/2+1}·2·m!/(2π)^m·ζ(m), as JAX's cumulative product of −(m−1)m/(4π²), each
    // step rounded to float32, times 1 + Σ_{k=2}^{49} k^{−m}.
    product = fr(product * fr(fr(fr(-(m - 1) * m) / 4) / pi2));
    const q1 = fr(fr(1 / Math.PI ** 2) * product);
    let q2 = 0;
    for (let k = 2; k < 50; k++) q2 = fr(q2 + fr(k ** -m));
    values.push(fr(q1 * fr(1 + q2)));
  }
  return np.array(values.slice(0, n + 1), { dtype: "float32" });
}
