// jax.scipy.special's functions built on log Γ: gamma with its sign (gammasgn), beta, factorial,
// poch, comb, loggamma, multigammaln and betaln, by JAX's formulas (exp of sums of lgamma with the sign
// kept apart, so Γ's poles and negative arguments give JAX's values), in float32. Their
// derivatives come through lax.lgamma's (digamma).

import * as np from "../np.js";
import type { ArrayLike } from "../np.js";
import { JitScopeError } from "../ir/errors.js";
import { digamma, lgamma } from "../lax/gamma.js";
import { custom_jvp } from "../trace/custom.js";
import type { Tracer } from "../trace/core.js";

const f32 = (x: ArrayLike): Tracer => np.astype(np.asarray(x), "float32");

/** The sign of Γ(x): NaN at the poles (0 − and negative integers) and NaN, −1 where Γ < 0
 *  (x between −2k−1 and −2k, and −0), else 1. */
export function gammasgn(x: ArrayLike): Tracer {
  const t = f32(x);
  const fl = np.floor(t);
  const negative = np.less(t, 0);
  const pole = np.logical_or(np.logical_and(negative, np.equal(t, fl)), np.isnan(t));
  const odd = np.not_equal(np.mod(fl, 2), 0);
  const minus = np.logical_or(np.logical_and(negative, odd), np.logical_and(np.equal(t, 0), np.signbit(t)));
  return np.where(pole, NaN, np.where(minus, -1, 1));
}

/** Γ(x) = gammasgn(x) · exp(lgamma(x)). */
export function gamma(x: ArrayLike): Tracer {
  const t = f32(x);
  return np.multiply(gammasgn(t), np.exp(lgamma(t)));
}

/** log |B(a, b)| = lgamma(a) + lgamma(b) − lgamma(a + b). */
export function betaln(a: ArrayLike, b: ArrayLike): Tracer {
  const [x, y] = [f32(a), f32(b)];
  return np.subtract(np.add(lgamma(x), lgamma(y)), lgamma(np.add(x, y)));
}

/** B(a, b) = Γ(a)Γ(b)/Γ(a + b), its sign from the three gammas. */
export function beta(a: ArrayLike, b: ArrayLike): Tracer {
  const [x, y] = [f32(a), f32(b)];
  const sign = np.multiply(np.multiply(gammasgn(x), gammasgn(y)), gammasgn(np.add(x, y)));
  return np.multiply(sign, np.exp(betaln(x, y)));
}

/** n! = Γ(n + 1) for n ≥ 0 (any real n), 0 below 0. `exact` is refused, as JAX refuses it. */
export function factorial(n: ArrayLike, options: { exact?: boolean } = {}): Tracer {
  if (options.exact) throw new JitScopeError("value", "factorial: exact=true is not supported (JAX's is not either)");
  const t = f32(n);
  return np.where(np.less(t, 0), 0, np.exp(lgamma(np.add(t, 1))));
}

/** The rising factorial (z)ₘ = Γ(z + m)/Γ(z), 1 at m = 0; JAX's derivatives (digamma(z + m) −
 *  digamma(z))·(z)ₘ in z and digamma(z + m)·(z)ₘ in m, also at m = 0. */
export function poch(z: ArrayLike, m: ArrayLike): Tracer {
  const [a, k] = [f32(z), f32(m)];
  const shape = np.broadcast_shapes(a.shape, k.shape);
  return pochRule(np.broadcast_to(a, shape), np.broadcast_to(k, shape));
}

const pochValue = (z: Tracer, m: Tracer): Tracer =>
  np.where(np.equal(m, 0), 1, np.divide(gamma(np.add(z, m)), gamma(z)));
const pochRule = custom_jvp((z: Tracer, m: Tracer): Tracer => pochValue(z, m));
pochRule.defjvp(([z, m]: Tracer[], [dz, dm]: Tracer[]) => {
  const y = pochValue(z!, m!);
  const up = digamma(np.add(z!, m!));
  return [y, np.multiply(y, np.add(np.multiply(dz!, np.subtract(up, digamma(z!))), np.multiply(dm!, up)))];
});

/** C(N, k) = N!/(k!(N − k)!), 0 outside 0 ≤ k ≤ N; with `repetition`, C(N + k − 1, k). */
export function comb(N: ArrayLike, k: ArrayLike, options: { repetition?: boolean } = {}): Tracer {
  const [n, r] = [f32(N), f32(k)];
  if (options.repetition)
    return np.where(np.logical_and(np.equal(r, 0), np.greater_equal(n, 0)), 1, comb(np.subtract(np.add(n, r), 1), r));
  const ok = np.logical_and(np.logical_and(np.less_equal(r, n), np.greater_equal(n, 0)), np.greater_equal(r, 0));
  const [sn, sk] = [np.where(ok, n, 0), np.where(ok, r, 0)];
  const logC = np.subtract(
    np.subtract(lgamma(np.add(sn, 1)), lgamma(np.add(sk, 1))),
    lgamma(np.add(np.subtract(sn, sk), 1)),
  );
  return np.where(ok, np.exp(logC), 0);
}

/** log Γ(x) for x > 0, NaN elsewhere (the real branch of scipy's complex loggamma). */
export function loggamma(x: ArrayLike): Tracer {
  const t = f32(x);
  return np.where(np.greater(t, 0), lgamma(t), NaN);
}

/** log of the multivariate gamma function Γ_d(a) = π^{d(d−1)/4} ∏ᵢ Γ(a − i/2), i < d. */
export function multigammaln(a: ArrayLike, d: number): Tracer {
  if (!Number.isInteger(d) || d < 1)
    throw new JitScopeError("value", `multigammaln: d must be a positive integer, got ${String(d)}`);
  const t = f32(a);
  const halves = np.divide(np.arange(d, { dtype: "float32" }), 2);
  const terms = lgamma(np.subtract(np.expand_dims(t, -1), halves));
  return np.add(np.sum(terms, -1), (d * (d - 1) * Math.log(Math.PI)) / 4);
}
