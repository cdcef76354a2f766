// jax.scipy.stats: log densities (and CDFs where models use them) of the distributions a
// likelihood or a prior is written with, by JAX's formulas: `norm.logpdf(x, loc, scale)`, its
// arguments positional as in JAX. Outside a distribution's support the log density is −inf.
// Checked against JAX by scripts/jax/run_jax_scipy.py (the CDFs from the incomplete gamma
// function, and chi2, by run_jax_surface10.py).

import { JitScopeError } from "../ir/errors.js";
import * as np from "../np.js";
import type { ArrayLike } from "../np.js";
import { cholesky } from "../np/cholesky.js";
import { solve_triangular } from "../np/solveTriangular.js";
import type { Tracer } from "../trace/core.js";
import {
  betainc,
  betaln,
  expit,
  gammainc,
  gammaincc,
  gammaln,
  log_ndtr,
  logit,
  ndtr,
  ndtri,
  xlog1py,
  xlogy,
} from "./special.js";

const f32 = (x: ArrayLike): Tracer => np.astype(np.asarray(x), "float32");
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
/** (x − loc) / scale. */
const standardize = (x: ArrayLike, loc: ArrayLike, scale: ArrayLike): Tracer =>
  np.divide(np.subtract(f32(x), loc), scale);
const outside = (cond: Tracer, logp: Tracer): Tracer => np.where(cond, -Infinity, logp);

export const norm = {
  logpdf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): Tracer =>
    np.subtract(np.multiply(np.square(standardize(x, loc, scale)), -0.5), np.add(np.log(f32(scale)), HALF_LOG_2PI)),
  pdf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): Tracer => np.exp(norm.logpdf(x, loc, scale)),
  cdf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): Tracer => ndtr(standardize(x, loc, scale)),
  logcdf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): Tracer => log_ndtr(standardize(x, loc, scale)),
  sf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): Tracer => ndtr(np.negative(standardize(x, loc, scale))),
  logsf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): Tracer =>
    log_ndtr(np.negative(standardize(x, loc, scale))),
  ppf: (q: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): Tracer => np.add(np.multiply(ndtri(q), scale), loc),
};

export const bernoulli = {
  /** k ∈ {0, 1} (after loc): k log p + (1 − k) log(1 − p); −inf elsewhere. */
  logpmf: (k: ArrayLike, p: ArrayLike, loc: ArrayLike = 0): Tracer => {
    const x = np.subtract(f32(k), loc);
    const logp = np.add(xlogy(x, p), xlog1py(np.subtract(1, x), np.negative(f32(p))));
    return outside(np.logical_or(np.less(x, 0), np.greater(x, 1)), logp);
  },
  pmf: (k: ArrayLike, p: ArrayLike, loc: ArrayLike = 0): Tracer => np.exp(bernoulli.logpmf(k, p, loc)),
};

export const beta = {
  logpdf: (x: ArrayLike, a: ArrayLike, b: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): Tracer => {
    const y = standardize(x, loc, scale);
    const linear = np.add(xlogy(np.subtract(f32(a), 1), y), xlog1py(np.subtract(f32(b), 1), np.negative(y)));
    const logp = np.subtract(np.subtract(linear, betaln(a, b)), np.log(f32(scale)));
    return outside(np.logical_or(np.less(y, 0), np.greater(y, 1)), logp);
  },
  pdf: (x: ArrayLike, a: ArrayLike, b: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): Tracer =>
    np.exp(beta.logpdf(x, a, b, loc, scale)),
  /** I_y(a, b) at y = (x − loc)/scale clamped into [0, 1]. */
  cdf: (x: ArrayLike, a: ArrayLike, b: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): Tracer =>
    betainc(a, b, np.clip(standardize(x, loc, scale), 0, 1)),
  logcdf: (x: ArrayLike, a: ArrayLike, b: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): Tracer =>
    np.log(beta.cdf(x, a, b, loc, scale)),
  /** I_{1−y}(b, a) = 1 − cdf, accurate in the upper tail. */
  sf: (x: ArrayLike, a: ArrayLike, b: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): Tracer =>
    betainc(b, a, np.subtract(1, np.clip(standardize(x, loc, scale), 0, 1))),
  logsf: (x: ArrayLike, a: ArrayLike, b: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): Tracer =>
    np.log(beta.sf(x, a, b, loc, scale)),
};

export const gamma = {
  logpdf: (x: ArrayLike, a: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): Tracer => {
    const y = standardize(x, loc, scale);
    const logp = np.subtract(np.subtract(xlogy(np.subtract(f32(a), 1), y), y), np.add(gammaln(a), np.log(f32(scale))));
    return outside(np.less(y, 0), logp);
  },
  pdf: (x: ArrayLike, a: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): Tracer =>
    np.exp(gamma.logpdf(x, a, loc, scale)),
  /** P(a, y) for y = (x − loc)/scale, 0 below the support. */
  cdf: (x: ArrayLike, a: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): Tracer =>
    gammainc(a, np.maximum(standardize(x, loc, scale), 0)),
  logcdf: (x: ArrayLike, a: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): Tracer =>
    np.log(gamma.cdf(x, a, loc, scale)),
  /** Q(a, y) = 1 − cdf, accurate in the upper tail. */
  sf: (x: ArrayLike, a: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): Tracer =>
    gammaincc(a, np.maximum(standardize(x, loc, scale), 0)),
  logsf: (x: ArrayLike, a: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): Tracer =>
    np.log(gamma.sf(x, a, loc, scale)),
};

/** χ² with df degrees of freedom: Gamma(df/2) with scale 2. */
export const chi2 = {
  logpdf: (x: ArrayLike, df: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): Tracer =>
    gamma.logpdf(x, np.divide(f32(df), 2), loc, np.multiply(f32(scale), 2)),
  pdf: (x: ArrayLike, df: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): Tracer =>
    np.exp(chi2.logpdf(x, df, loc, scale)),
  cdf: (x: ArrayLike, df: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): Tracer =>
    gamma.cdf(x, np.divide(f32(df), 2), loc, np.multiply(f32(scale), 2)),
  logcdf: (x: ArrayLike, df: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): Tracer =>
    np.log(chi2.cdf(x, df, loc, scale)),
  sf: (x: ArrayLike, df: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): Tracer =>
    gamma.sf(x, np.divide(f32(df), 2), loc, np.multiply(f32(scale), 2)),
  logsf: (x: ArrayLike, df: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): Tracer =>
    np.log(chi2.sf(x, df, loc, scale)),
};

export const expon = {
  logpdf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): Tracer => {
    const y = standardize(x, loc, scale);
    return outside(np.less(y, 0), np.subtract(np.negative(y), np.log(f32(scale))));
  },
  pdf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): Tracer => np.exp(expon.logpdf(x, loc, scale)),
};

export const laplace = {
  logpdf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): Tracer =>
    np.subtract(np.negative(np.abs(standardize(x, loc, scale))), np.log(np.multiply(2, f32(scale)))),
  pdf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): Tracer => np.exp(laplace.logpdf(x, loc, scale)),
  cdf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): Tracer => {
    const z = standardize(x, loc, scale);
    // ½e^z up to 0, 1 − ½e^−z above (each branch's exponent kept ≤ 0, so neither overflows).
    const below = np.less_equal(z, 0);
    return np.where(
      below,
      np.multiply(0.5, np.exp(np.minimum(z, 0))),
      np.subtract(1, np.multiply(0.5, np.exp(np.negative(np.maximum(z, 0))))),
    );
  },
};

export const logistic = {
  logpdf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): Tracer => {
    const z = standardize(x, loc, scale);
    // −z − 2·log(1 + e^−z), symmetric in z: −|z| − 2·log1p(e^−|z|) never overflows.
    const a = np.abs(z);
    return np.subtract(
      np.subtract(np.negative(a), np.multiply(2, np.log1p(np.exp(np.negative(a))))),
      np.log(f32(scale)),
    );
  },
  pdf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): Tracer => np.exp(logistic.logpdf(x, loc, scale)),
  cdf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): Tracer => expit(standardize(x, loc, scale)),
  sf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): Tracer =>
    expit(np.negative(standardize(x, loc, scale))),
  ppf: (q: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): Tracer => np.add(np.multiply(logit(q), scale), loc),
};

export const uniform = {
  /** −log(scale) on [loc, loc + scale], −inf elsewhere. */
  logpdf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): Tracer => {
    const t = f32(x);
    const out = np.logical_or(np.less(t, loc), np.greater(t, np.add(f32(loc), scale)));
    return outside(out, np.multiply(np.negative(np.log(f32(scale))), np.ones_like(t)));
  },
  pdf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): Tracer => np.exp(uniform.logpdf(x, loc, scale)),
};

export const cauchy = {
  logpdf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): Tracer =>
    np.negative(np.add(np.log1p(np.square(standardize(x, loc, scale))), np.add(np.log(f32(scale)), Math.log(Math.PI)))),
  pdf: (x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): Tracer => np.exp(cauchy.logpdf(x, loc, scale)),
};

export const t = {
  /** Student's t with `df` degrees of freedom. */
  logpdf: (x: ArrayLike, df: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): Tracer => {
    const d = f32(df);
    const half = np.multiply(d, 0.5);
    const normalize = np.add(
      np.subtract(gammaln(half), gammaln(np.add(half, 0.5))),
      np.multiply(0.5, np.log(np.multiply(np.multiply(np.square(f32(scale)), d), Math.PI))),
    );
    const quadratic = np.divide(np.square(standardize(x, loc, scale)), d);
    return np.negative(np.add(normalize, np.multiply(np.add(half, 0.5), np.log1p(quadratic))));
  },
  pdf: (x: ArrayLike, df: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): Tracer =>
    np.exp(t.logpdf(x, df, loc, scale)),
};

export const poisson = {
  /** k log μ − log k! − μ for whole k ≥ 0 (after loc), −inf elsewhere. */
  logpmf: (k: ArrayLike, mu: ArrayLike, loc: ArrayLike = 0): Tracer => {
    const x = np.subtract(f32(k), loc);
    const logp = np.subtract(np.subtract(xlogy(x, mu), gammaln(np.add(x, 1))), mu);
    return outside(np.logical_or(np.less(x, 0), np.not_equal(x, np.round(x))), logp);
  },
  pmf: (k: ArrayLike, mu: ArrayLike, loc: ArrayLike = 0): Tracer => np.exp(poisson.logpmf(k, mu, loc)),
  /** P(K ≤ k) = Q(⌊k⌋ + 1, μ) (after loc), 0 below 0. */
  cdf: (k: ArrayLike, mu: ArrayLike, loc: ArrayLike = 0): Tracer => {
    const x = np.subtract(f32(k), loc);
    const below = np.less(x, 0);
    return np.where(below, 0, gammaincc(np.add(np.floor(np.where(below, 0, x)), 1), mu));
  },
};

export const multivariate_normal = {
  /** log N(x; mean, cov) over x's last axis (any leading axes), by cov's Cholesky factor L:
   *  −½‖L⁻¹(x − mean)‖² − (n/2) log 2π − Σ log diag L. `cov` is one [n, n] matrix. */
  logpdf: (x: ArrayLike, mean: ArrayLike, cov: ArrayLike): Tracer => {
    const xs = f32(x);
    const c = f32(cov);
    const n = xs.shape[xs.ndim - 1];
    if (n === undefined || c.ndim !== 2 || c.shape[0] !== n || c.shape[1] !== n)
      throw new JitScopeError(
        "shape",
        `scipy.stats.multivariate_normal.logpdf: cov must be one [n, n] matrix for x of shape [${xs.shape}] (n = its last axis), got [${c.shape}]`,
      );
    const diff = np.subtract(xs, mean);
    const lead = diff.shape.slice(0, -1);
    const centred = np.reshape(diff, [-1, n]); // [m, n]
    const l = cholesky(c);
    const y = solve_triangular(l, np.transpose(centred), { lower: true }); // [n, m]
    const quad = np.reshape(np.sum(np.square(y), 0), lead);
    const logDet = np.sum(np.log(np.diagonal(l)));
    return np.subtract(np.multiply(quad, -0.5), np.add(logDet, n * HALF_LOG_2PI));
  },
  pdf: (x: ArrayLike, mean: ArrayLike, cov: ArrayLike): Tracer => np.exp(multivariate_normal.logpdf(x, mean, cov)),
};

export const dirichlet = {
  /** As JAX's (and SciPy's): the simplex along x's first axis, of alpha's length K or K − 1
   *  (the last component then 1 − the others' sum). */
  logpdf: (x: ArrayLike, alpha: ArrayLike): Tracer => {
    const a = f32(alpha);
    let xs = f32(x);
    const k = a.shape[0];
    if (a.ndim !== 1 || k === undefined || (xs.shape[0] !== k && xs.shape[0] !== k - 1))
      throw new JitScopeError(
        "shape",
        `scipy.stats.dirichlet.logpdf: x's first axis must have alpha's length ${k} (or ${k! - 1}), got x [${xs.shape}] and alpha [${a.shape}]`,
      );
    if (xs.shape[0] === k - 1) xs = np.concatenate([xs, np.subtract(1, np.sum(xs, 0, { keepdims: true }))], 0);
    const normalize = np.subtract(np.sum(gammaln(a)), gammaln(np.sum(a)));
    const aCol = np.reshape(a, [k, ...new Array<number>(xs.ndim - 1).fill(1)]);
    const logp = np.subtract(np.sum(xlogy(np.subtract(aCol, 1), xs), 0), normalize);
    // Off the simplex (a component ≤ 0, or a sum off 1 by 1e-6 or more): −inf, as JAX.
    const onSimplex = np.logical_and(
      np.all(np.greater(xs, 0), 0),
      np.less(np.abs(np.subtract(np.sum(xs, 0), 1)), 1e-6),
    );
    return outside(np.logical_not(onSimplex), logp);
  },
  pdf: (x: ArrayLike, alpha: ArrayLike): Tracer => np.exp(dirichlet.logpdf(x, alpha)),
};
