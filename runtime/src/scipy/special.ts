// jax.scipy.special: the special functions a probabilistic model is written with, composed from
// np and lax (so each traces, fuses and differentiates like user code). Where JAX gives a
// function its own derivative rule (xlogy, xlog1py: d/dx is log y even at x = 0, where the value
// is pinned to 0), a custom_jvp gives the same one. Checked against JAX by
// scripts/jax/run_jax_scipy.py.

import { checkOptions } from "../apiOptions.js";
import * as np from "../np.js";
import type { ArrayLike } from "../np.js";
import { erf, erfc, erf_inv as erfinv } from "../lax/special.js";
import { lgamma as gammaln, digamma } from "../lax/gamma.js";
import { zeta as laxZeta, polygammaOfInteger } from "../lax/zeta.js";
import { JitScopeError } from "../ir/errors.js";
import { igamma, igammac } from "../lax/igamma.js";
import { betainc as laxBetainc } from "../lax/betainc.js";
import { bessel_i0e, bessel_i1e } from "../lax/bessel.js";
import { logistic as expit } from "../lax/elementwise.js";
import { logsumexp as nnLogsumexp, softmax, log_softmax } from "../nnSoftmax.js";
import { custom_jvp } from "../trace/custom.js";
import type { Tracer } from "../trace/core.js";
import { stopGradient } from "../trace/stopGradient.js";

export { erf, erfc, erfinv, gammaln, digamma, expit, softmax, log_softmax };
// The modified Bessel functions of the first kind (lax/bessel.ts).
export { i0, i1 } from "../lax/bessel.js";
export const i0e = (x: ArrayLike): Tracer => bessel_i0e(f32(x));
export const i1e = (x: ArrayLike): Tracer => bessel_i1e(f32(x));
// Γ and what is built on it (scipy/gammaFamily.ts).
export { gamma, gammasgn, beta, betaln, factorial, poch, comb, loggamma, multigammaln } from "./gammaFamily.js";

/** The regularized incomplete gamma functions P(a, x) and Q(a, x) = 1 − P (lax/igamma.ts); an
 *  integer or number argument is taken as float32. */
export const gammainc = (a: ArrayLike, x: ArrayLike): Tracer => igamma(f32(a), f32(x));
export const gammaincc = (a: ArrayLike, x: ArrayLike): Tracer => igammac(f32(a), f32(x));
/** The regularized incomplete beta function I_x(a, b) (lax/betainc.ts). */
export const betainc = (a: ArrayLike, b: ArrayLike, x: ArrayLike): Tracer => laxBetainc(f32(a), f32(b), f32(x));
/** The Hurwitz zeta function ζ(x, q) (lax/zeta.ts). JAX has no Riemann zeta (q omitted): pass
 *  q = 1 for it. */
export const zeta = (x: ArrayLike, q: ArrayLike): Tracer => {
  if (q === undefined)
    throw new JitScopeError(
      "value",
      "scipy.special.zeta: the Riemann zeta function is not implemented (nor in JAX); pass q = 1",
    );
  return laxZeta(f32(x), f32(q));
};
/** ψ⁽ⁿ⁾(x) for integer n (a whole JS number or an int32 array), as JAX's. */
export const polygamma = (n: ArrayLike, x: ArrayLike): Tracer => polygammaOfInteger(n, f32(x));

const f32 = (x: ArrayLike): Tracer => np.astype(np.asarray(x), "float32");

/** log(p / (1 − p)), the inverse of expit. */
export function logit(p: ArrayLike): Tracer {
  const x = f32(p);
  return np.log(np.divide(x, np.subtract(1, x)));
}

const xlogyRule = custom_jvp((x: Tracer, y: Tracer): Tracer => {
  const zero = np.equal(x, 0);
  return np.where(zero, 0, np.multiply(x, np.log(np.where(zero, 1, y))));
});
xlogyRule.defjvp(([x, y]: Tracer[], [dx, dy]: Tracer[]) => [
  xlogyRule(x!, y!),
  np.add(np.multiply(dx!, np.log(y!)), np.multiply(dy!, np.divide(x!, y!))),
]);

/** x · log(y), 0 where x = 0 (also where y = 0); JAX's derivative: log y in x, x / y in y. */
export function xlogy(x: ArrayLike, y: ArrayLike): Tracer {
  const [a, b] = broadcastFloats(x, y);
  return xlogyRule(a, b);
}

const xlog1pyRule = custom_jvp((x: Tracer, y: Tracer): Tracer => {
  const zero = np.equal(x, 0);
  return np.where(zero, 0, np.multiply(x, np.log1p(np.where(zero, 0, y))));
});
xlog1pyRule.defjvp(([x, y]: Tracer[], [dx, dy]: Tracer[]) => [
  xlog1pyRule(x!, y!),
  np.add(np.multiply(dx!, np.log1p(y!)), np.multiply(dy!, np.divide(x!, np.add(y!, 1)))),
]);

/** x · log(1 + y), 0 where x = 0; JAX's derivative: log1p y in x, x / (1 + y) in y. */
export function xlog1py(x: ArrayLike, y: ArrayLike): Tracer {
  const [a, b] = broadcastFloats(x, y);
  return xlog1pyRule(a, b);
}

function broadcastFloats(x: ArrayLike, y: ArrayLike): [Tracer, Tracer] {
  const [a, b] = [f32(x), f32(y)];
  const shape = np.broadcast_shapes(a.shape, b.shape);
  return [np.broadcast_to(a, shape), np.broadcast_to(b, shape)];
}

/** −x · log x for x > 0, 0 at 0, −inf below 0 (as JAX). */
export function entr(x: ArrayLike): Tracer {
  const t = f32(x);
  const positive = np.greater(t, 0);
  const safe = np.where(positive, t, 1);
  return np.where(positive, np.negative(np.multiply(safe, np.log(safe))), np.where(np.equal(t, 0), 0, -Infinity));
}

/** p · log(p / q) for p, q > 0; 0 at p = 0 with q ≥ 0; +inf elsewhere (as JAX). */
export function rel_entr(p: ArrayLike, q: ArrayLike): Tracer {
  const [a, b] = broadcastFloats(p, q);
  const both = np.logical_and(np.greater(a, 0), np.greater(b, 0));
  const [sa, sb] = [np.where(both, a, 1), np.where(both, b, 1)];
  const value = np.subtract(xlogy(sa, sa), xlogy(sa, sb));
  return np.where(both, value, np.where(np.logical_and(np.equal(a, 0), np.greater_equal(b, 0)), 0, Infinity));
}

/** rel_entr(p, q) − p + q. */
export function kl_div(p: ArrayLike, q: ArrayLike): Tracer {
  return np.add(np.subtract(rel_entr(p, q), f32(p)), f32(q));
}

/** The Box–Cox transform (x^λ − 1)/λ, log x at λ = 0. */
export function boxcox(x: ArrayLike, lmbda: ArrayLike): Tracer {
  return boxcoxOf(np.log(f32(x)), f32(lmbda));
}

/** boxcox of 1 + x, accurate near x = 0. */
export function boxcox1p(x: ArrayLike, lmbda: ArrayLike): Tracer {
  return boxcoxOf(np.log1p(f32(x)), f32(lmbda));
}

function boxcoxOf(logX: Tracer, lmbda: Tracer): Tracer {
  const zero = np.equal(lmbda, 0);
  const safe = np.where(zero, 1, lmbda);
  return np.where(zero, logX, np.divide(np.expm1(np.multiply(safe, logX)), safe));
}

/** The standard normal CDF, ½·erfc(−x/√2) (accurate in the lower tail, where 1 + erf is not). */
export function ndtr(x: ArrayLike): Tracer {
  return np.multiply(0.5, erfc(np.multiply(f32(x), -Math.SQRT1_2)));
}

// log_ndtr's segments in float32, as JAX's: above 5, log1p(−ndtr(−x)); down to −10, log(ndtr);
// below, the asymptotic series (where ndtr underflows).
const LOG_NDTR_UPPER = 5;
const LOG_NDTR_LOWER = -10;
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** log of the standard normal CDF, finite far into the lower tail (−5e3 at x = −100). */
export function log_ndtr(x: ArrayLike): Tracer {
  const t = f32(x);
  const upper = np.greater(t, LOG_NDTR_UPPER);
  const lower = np.less(t, LOG_NDTR_LOWER);
  // Each branch sees an input inside its own range, so the others' values and gradients stay finite.
  const mid = np.clip(t, LOG_NDTR_LOWER, LOG_NDTR_UPPER);
  const hi = np.maximum(t, LOG_NDTR_UPPER);
  const lo = np.minimum(t, LOG_NDTR_LOWER);
  const upperValue = np.log1p(np.negative(ndtr(np.negative(hi))));
  const midValue = np.log(ndtr(mid));
  // log Φ(x) ≈ −x²/2 − log(−x) − ½ log 2π + log(1 − 1/x² + 3/x⁴ − 15/x⁶) (JAX's series order 3).
  const inv2 = np.divide(1, np.square(lo));
  let series: Tracer = np.multiply(inv2, 0);
  let term = np.add(np.multiply(inv2, 0), 1);
  let doubleFactorial = 1;
  for (let n = 1; n <= 3; n++) {
    doubleFactorial *= 2 * n - 1;
    term = np.multiply(term, inv2);
    series = np.add(series, np.multiply(term, (n % 2 ? -1 : 1) * doubleFactorial));
  }
  const lowerValue = np.subtract(
    np.subtract(np.multiply(np.square(lo), -0.5), np.log(np.negative(lo))),
    np.subtract(HALF_LOG_2PI, np.log1p(series)),
  );
  return np.where(upper, upperValue, np.where(lower, lowerValue, midValue));
}

/** The inverse of ndtr. From erfinv's estimate (or the tail's asymptote below 1e-4), two Newton
 *  steps on log ndtr(x) = log p, so the lower tail keeps its relative precision (erfinv of
 *  2p − 1 loses it: 2p − 1 rounds near −1); the upper tail mirrors it from 1 − p. */
export function ndtri(p: ArrayLike): Tracer {
  const q = f32(p);
  const upperHalf = np.greater(q, 0.5);
  const tail = np.where(upperHalf, np.subtract(1, q), q); // in (0, 0.5]
  const safe = np.clip(tail, 1e-37, 0.5);
  const logP = np.log(safe);
  const fromErf = np.multiply(Math.SQRT2, erfinv(np.subtract(np.multiply(2, np.maximum(safe, 1e-4)), 1)));
  // x ≈ −√(−2 log p − log(−2 log p) − log 2π) for small p (its input kept small, so the branch
  // not taken stays finite and so does its gradient).
  const t = np.multiply(-2, np.log(np.minimum(safe, 1e-4)));
  const fromTail = np.negative(np.sqrt(np.subtract(np.subtract(t, np.log(t)), Math.log(2 * Math.PI))));
  let x = np.where(np.less(safe, 1e-4), fromTail, fromErf);
  for (let i = 0; i < 2; i++) {
    // d/dx log Φ(x) = φ(x) / Φ(x) = exp(−x²/2 − ½ log 2π − log Φ(x)).
    const logPhi = log_ndtr(x);
    const slope = np.exp(np.subtract(np.subtract(np.multiply(np.square(x), -0.5), HALF_LOG_2PI), logPhi));
    x = np.subtract(x, np.divide(np.subtract(logPhi, logP), slope));
  }
  const lowerX = np.where(np.equal(tail, 0), -Infinity, x);
  const signed = np.where(upperHalf, np.negative(lowerX), lowerX);
  return np.where(np.logical_or(np.less(q, 0), np.greater(q, 1)), NaN, np.where(np.equal(q, 0.5), 0, signed));
}

export interface LogsumexpOptions {
  /** Weights: log Σ b·exp(a). */
  b?: ArrayLike | null;
  /** Only these elements (a bool mask, broadcast) are summed, as JAX's `where`. */
  where?: ArrayLike;
  keepdims?: boolean;
  /** Return [log |Σ b·exp(a)|, its sign] (without it, a negative sum gives NaN, as JAX). */
  return_sign?: boolean;
}

/** log Σ b·exp(a) along `axis` (all axes when omitted), shifted by the max as JAX's. */
export function logsumexp(
  a: ArrayLike,
  axis?: number | readonly number[] | null,
  options?: LogsumexpOptions & { return_sign?: false },
): Tracer;
export function logsumexp(
  a: ArrayLike,
  axis: number | readonly number[] | null | undefined,
  options: LogsumexpOptions & { return_sign: true },
): [Tracer, Tracer];
export function logsumexp(
  a: ArrayLike,
  axis?: number | readonly number[] | null,
  options: LogsumexpOptions = {},
): Tracer | [Tracer, Tracer] {
  checkOptions("scipy.special.logsumexp", options, ["b", "keepdims", "return_sign", "where"]);
  const keepdims = options.keepdims ?? false;
  const where = options.where;
  if ((options.b === undefined || options.b === null) && !options.return_sign)
    return nnLogsumexp(a, axis, where === undefined ? { keepdims } : { keepdims, where });
  // The elements left out are -inf: exp makes them 0, and no gradient reaches them.
  const x = where === undefined ? f32(a) : np.where(where, f32(a), -Infinity);
  const b = options.b === undefined || options.b === null ? np.ones_like(x) : f32(options.b);
  const shape = np.broadcast_shapes(x.shape, b.shape);
  const [xb, bb] = [np.broadcast_to(x, shape), np.broadcast_to(b, shape)];
  // The max over terms with a weight: a term with b = 0 does not count (its exp may overflow).
  const rawMax = stopGradient(np.max(np.where(np.equal(bb, 0), -Infinity, xb), axis, { keepdims: true }));
  const m = np.where(np.isfinite(rawMax), rawMax, 0);
  const sum = np.sum(np.multiply(bb, np.exp(np.subtract(xb, m))), axis, { keepdims: true });
  const squeeze = (t: Tracer): Tracer => (keepdims ? t : np.squeeze(t, axis ?? undefined));
  if (options.return_sign) return [squeeze(np.add(np.log(np.abs(sum)), m)), squeeze(np.sign(sum))];
  return squeeze(np.add(np.log(sum), m));
}
// erfcx, dawsn, spence, owens_t, bernoulli (scipy/specialExtras.ts); the exponential integrals
// (specialExpint.ts); the sine/cosine and Fresnel integrals (specialOscillatory.ts).
export { erfcx, dawsn, spence, owens_t, bernoulli } from "./specialExtras.js";
export { expn, exp1, expi } from "./specialExpint.js";
export { sici, fresnel } from "./specialOscillatory.js";
// bessel_jn (specialBesselJn.ts); hyp1f1 (specialHypergeometric.ts) and hyp2f1 (specialHyp2f1.ts).
export { bessel_jn } from "./specialBesselJn.js";
export { hyp1f1 } from "./specialHypergeometric.js";
export { hyp2f1 } from "./specialHyp2f1.js";
// sph_harm_y, complex spherical harmonics (specialSphHarm.ts).
export { sph_harm_y } from "./specialSphHarm.js";
