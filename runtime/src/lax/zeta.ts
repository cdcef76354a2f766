// The Hurwitz zeta function ζ(x, q) = Σₖ (k + q)^−x and the polygamma functions on it, as
// lax.zeta and lax.polygamma (and scipy.special's): the first TERMS terms summed directly, the
// rest by the Euler–Maclaurin formula with 12 Bernoulli corrections, all elementwise ops that
// fuse into one kernel. Where the corrections are below float32's precision of the direct sum,
// the sum alone is taken (large x, where a^−x underflows). JAX's edge values: a pole at x = 1 and
// at q a non-positive integer (+inf for even x, NaN otherwise), NaN for x < 1 and for q ≤ 0 with
// x not an integer; a negative k + q is raised to an integer x with its sign.
// Gradients are those of the formula (in x and q; ∂/∂q = −x·ζ(x + 1, q) to float32 precision),
// read at a safe point where the value is an edge value, so the edges give 0, not NaN.

import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import * as ew from "../np/elementwise.js";
import { floor, logical_and, logical_or, mod } from "../np/mathSurface.js";
import { asTracer, cast, type ArrayLike } from "../np/promote.js";
import { lgamma, digamma } from "./gamma.js";
import { floatOnly } from "./special.js";

/** Terms k = 0 … TERMS − 1 summed directly; the tail starts at a = q + TERMS. */
const TERMS = 10;
/** Bernoulli numbers B₂ⱼ, j = 1 … 12, as exact fractions. */
const BERNOULLI: readonly (readonly [number, number])[] = [
  [1, 6],
  [-1, 30],
  [1, 42],
  [-1, 30],
  [5, 66],
  [-691, 2730],
  [7, 6],
  [-3617, 510],
  [43867, 798],
  [-174611, 330],
  [854513, 138],
  [-236364091, 2730],
];
/** B₂ⱼ / (2j)!, the Euler–Maclaurin coefficients. */
const COEFFICIENTS = BERNOULLI.map(([num, den], i) => {
  let factorial = 1;
  for (let m = 2; m <= 2 * (i + 1); m++) factorial *= m;
  return num / den / factorial;
});
const EPS = 2 ** -24;

/** b^−x for b of either sign: |b|^−x, negated for b < 0 and x odd (x is an integer wherever b is
 *  negative and the value is kept). */
function negPower(b: Tracer, x: Tracer, xOdd: Tracer): Tracer {
  const magnitude = ew.exp(ew.negative(ew.multiply(x, ew.log(ew.abs(b)))));
  return ew.where(logical_and(ew.less(b, 0), xOdd), ew.negative(magnitude), magnitude);
}

/** The series at points where it is defined (x > 1, no pole, no domain error). */
function series(x: Tracer, q: Tracer): Tracer {
  const xOdd = ew.equal(mod(x, 2), 1);
  let direct: Tracer = negPower(q, x, xOdd);
  for (let k = 1; k < TERMS; k++) direct = ew.add(direct, negPower(ew.add(q, k), x, xOdd));
  const a = ew.add(q, TERMS);
  const w = negPower(a, x, xOdd); // a^−x
  // ∫ₐ^∞ t^−x dt + a^−x / 2 + Σⱼ B₂ⱼ/(2j)! · x(x+1)…(x+2j−2) · a^(−x−2j+1)
  let tail = ew.add(ew.divide(ew.multiply(w, a), ew.subtract(x, 1)), ew.multiply(w, 0.5));
  let factor = ew.divide(x, a); // x(x+1)…(x+2j−2) / a^(2j−1), updated by a ratio to stay finite
  const inverseSquare = ew.divide(1, ew.multiply(a, a));
  let corrections: Tracer = ew.multiply(factor, COEFFICIENTS[0]!);
  for (let j = 2; j <= COEFFICIENTS.length; j++) {
    factor = ew.multiply(factor, ew.multiply(ew.multiply(ew.add(x, 2 * j - 3), ew.add(x, 2 * j - 2)), inverseSquare));
    corrections = ew.add(corrections, ew.multiply(factor, COEFFICIENTS[j - 1]!));
  }
  tail = ew.add(tail, ew.multiply(w, corrections));
  const negligible = ew.less(ew.abs(w), ew.multiply(ew.abs(direct), EPS));
  return ew.where(negligible, direct, ew.add(direct, tail));
}

/** ζ(x, q), the Hurwitz zeta function (float32). */
export function zeta(x: ArrayLike, q: ArrayLike): Tracer {
  const xs = floatOnly("zeta", x);
  const qs = floatOnly("zeta", q);
  const xInteger = ew.equal(xs, floor(xs));
  const qPole = logical_and(ew.less_equal(qs, 0), ew.equal(qs, floor(qs)));
  const domain = logical_or(ew.less(xs, 1), logical_and(ew.less_equal(qs, 0), ew.logical_not(xInteger)));
  const edge = logical_or(logical_or(ew.equal(xs, 1), domain), qPole);
  const value = series(ew.where(edge, 2, xs), ew.where(edge, 1, qs));
  const poleValue = ew.where(logical_and(xInteger, ew.equal(mod(xs, 2), 0)), Infinity, NaN);
  return ew.where(qPole, poleValue, ew.where(domain, NaN, ew.where(ew.equal(xs, 1), Infinity, value)));
}

/** ψ⁽ⁿ⁾(x), the n-th derivative of digamma: digamma for n = 0, (−1)ⁿ⁺¹ n! ζ(n + 1, x) for a
 *  positive integer n, NaN for any other n. Its x-derivative is ψ⁽ⁿ⁺¹⁾; n is not differentiated. */
export function polygamma(n: ArrayLike, x: ArrayLike): Tracer {
  const m = cast(asTracer("polygamma", n), "float32");
  const xs = floatOnly("polygamma", x);
  const valid = logical_and(ew.greater_equal(m, 0), ew.equal(m, floor(m)));
  const order = ew.where(valid, m, 1);
  const sign = ew.where(ew.equal(mod(order, 2), 1), 1, -1); // (−1)ⁿ⁺¹
  const higher = ew.multiply(ew.multiply(sign, ew.exp(lgamma(ew.add(order, 1)))), zeta(ew.add(order, 1), xs));
  return ew.where(valid, ew.where(ew.equal(m, 0), digamma(xs), higher), NaN);
}

/** scipy.special.polygamma: as lax.polygamma, but n must be integers, as JAX requires. */
export function polygammaOfInteger(n: ArrayLike, x: ArrayLike): Tracer {
  const integer = typeof n === "number" ? Number.isInteger(n) : asTracer("polygamma", n).dtype === "int32";
  if (!integer)
    throw new JitScopeError(
      "dtype",
      `scipy.special.polygamma: n must be integers (a whole JS number or an int32 array), got ${typeof n === "number" ? n : asTracer("polygamma", n).dtype}`,
    );
  return polygamma(n, x);
}
