// More of jax.random's samplers, each from uniform or normal draws by JAX's formulas:
// exponential, laplace, logistic, cauchy, rademacher, multivariate_normal, orthogonal, the
// gamma family (gamma, loggamma, beta, dirichlet, chisquare, t) and poisson (Knuth's product of
// uniforms below a rate of 10, Hörmann's transformed rejection above, as JAX's); gumbel is in random.ts, beside
// the categorical draws that use it. Gamma draws use Marsaglia and Tsang's rejection method in a
// while_loop: every element draws a proposal each round until all are accepted (over 95% are
// each round), so each draw is exact, not a fixed number of tries.
// A gamma draw differentiates in its shape as JAX's does, implicitly: the draw is held at its
// quantile (lax.random_gamma_grad), and beta, dirichlet, chisquare and t follow from it.

import { JitScopeError } from "./ir/errors.js";
import { Tracer } from "./trace/core.js";
import * as np from "./np.js";
import type { ArrayLike } from "./np.js";
import { logaddexp } from "./np/mathSurface.js";
import { cholesky } from "./np/cholesky.js";
import { asTracer, broadcastShapes } from "./np/promote.js";
import { while_loop } from "./lax/control.js";
import { custom_jvp } from "./trace/custom.js";
import { log_softmax } from "./nnSoftmax.js";
import { qrPositiveDiagonal } from "./lax/qr.js";
import { lgamma, random_gamma_grad } from "./lax/gamma.js";
import { checkKey, checkShape, fold_in, normal, split, TINY, uniform } from "./random.js";
import { libraryScope } from "./trace/scopeCalls.js";
import { shapeParams } from "./randomParams.js";

/** Uniform in (TINY, 1): both logs of it are finite. */
const open01 = (k: Tracer, dims: number[]): Tracer => uniform(k, dims, { minval: TINY, maxval: 1 });

/** `random.exponential(key, shape)`: rate 1, -log1p(-u). */
export function exponential(k: Tracer, shape: number | readonly number[] = []): Tracer {
  checkKey("exponential", k);
  return np.negative(np.log1p(np.negative(uniform(k, checkShape("exponential", shape)))));
}

/** `random.laplace(key, shape)`: density e^{-|x|}/2, sign(u)·log1p(-|u|) for u in (-1, 1). */
export function laplace(k: Tracer, shape: number | readonly number[] = []): Tracer {
  checkKey("laplace", k);
  const u = uniform(k, checkShape("laplace", shape), { minval: -1 + 2 ** -23, maxval: 1 });
  return np.multiply(np.sign(u), np.log1p(np.negative(np.abs(u))));
}

/** `random.logistic(key, shape)`: standard logistic, log(u / (1 - u)). */
export function logistic(k: Tracer, shape: number | readonly number[] = []): Tracer {
  checkKey("logistic", k);
  const u = open01(k, checkShape("logistic", shape));
  return np.subtract(np.log(u), np.log1p(np.negative(u)));
}

/** `random.cauchy(key, shape)`: standard Cauchy, tan(π(u - 1/2)). */
export function cauchy(k: Tracer, shape: number | readonly number[] = []): Tracer {
  checkKey("cauchy", k);
  return np.tan(np.multiply(np.subtract(open01(k, checkShape("cauchy", shape)), 0.5), Math.PI));
}

/** `random.rademacher(key, shape)`: int32 -1 or 1, each with probability 1/2. */
export function rademacher(k: Tracer, shape: number | readonly number[] = []): Tracer {
  checkKey("rademacher", k);
  const u = uniform(k, checkShape("rademacher", shape));
  return np.where(np.less(u, 0.5), np.array(-1, { dtype: "int32" }), np.array(1, { dtype: "int32" }));
}

/** `random.multivariate_normal(key, mean, cov, shape)`: mean + L·z with cov = L·Lᵀ (Cholesky);
 *  `shape` (default mean's and cov's batch axes broadcast) gets the event axis n appended. */
export function multivariate_normal(
  k: Tracer,
  mean: ArrayLike,
  cov: ArrayLike,
  shape?: number | readonly number[] | null,
): Tracer {
  return libraryScope("random.multivariate_normal", () => {
    checkKey("multivariate_normal", k);
    const mu = np.astype(asTracer("multivariate_normal", mean), "float32");
    const c = np.astype(asTracer("multivariate_normal", cov), "float32");
    const n = mu.shape[mu.ndim - 1];
    if (mu.ndim < 1 || c.ndim < 2 || c.shape[c.ndim - 1] !== n || c.shape[c.ndim - 2] !== n)
      throw new JitScopeError(
        "shape",
        `random.multivariate_normal: mean must be [..., n] and cov [..., n, n], got [${mu.shape}] and [${c.shape}]`,
      );
    const batch =
      shape === undefined || shape === null
        ? broadcastShapes("random.multivariate_normal", [mu.shape.slice(0, -1), c.shape.slice(0, -2)])
        : checkShape("multivariate_normal", shape);
    const z = normal(k, [...batch, n!]);
    const l = cholesky(c);
    // (L z) for each sample: z as a row times Lᵀ.
    return np.add(mu, np.einsum("...ij,...j->...i", l, z));
  });
}

/** The shape parameter as a float32 array broadcast to `dims` (default its own shape). */
function shapeParam(
  op: string,
  a: ArrayLike,
  shape: number | readonly number[] | null | undefined,
): [Tracer, number[]] {
  const [[t], dims] = shapeParams(op, [a], shape);
  return [t!, dims];
}

/** log of a Gamma(a, 1) draw for a ≥ 1, by Marsaglia–Tsang: d·v with v = (1 + c·x)³ for a normal
 *  x, accepted when log u < x²/2 + d - d·v + d·log v. Each round draws for every element from
 *  fold_in(key, round) and keeps the first accepted value. */
function logGammaAtLeastOne(k: Tracer, a: Tracer): Tracer {
  const d = np.subtract(a, 1 / 3);
  const c = np.divide(1, np.sqrt(np.multiply(d, 9)));
  type State = [Tracer, Tracer, Tracer]; // round, accepted, log value
  const init: State = [np.array(0, { dtype: "int32" }), np.zeros(a.shape, { dtype: "bool" }), np.zeros(a.shape)];
  const [, , logValue] = while_loop<State>(
    ([, accepted]) => np.logical_not(np.all(accepted)),
    ([round, accepted, value]) => {
      const [kx, ku] = split(fold_in(k, round));
      const x = normal(kx!, a.shape);
      const u = uniform(ku!, a.shape);
      const cx = np.add(np.multiply(c, x), 1);
      const v = np.multiply(np.multiply(cx, cx), cx);
      const safeV = np.where(np.greater(v, 0), v, 1);
      const logV = np.log(safeV);
      const bound = np.add(np.multiply(np.square(x), 0.5), np.multiply(d, np.subtract(np.add(1, logV), safeV)));
      const ok = np.logical_and(np.greater(v, 0), np.less(np.log(np.subtract(1, u)), bound));
      const take = np.logical_and(ok, np.logical_not(accepted));
      return [np.add(round, 1), np.logical_or(accepted, ok), np.where(take, np.add(np.log(d), logV), value)];
    },
    init,
  );
  return logValue;
}

/** log of Gamma(a, 1) draws of a's shape: for a < 1, boosted as Gamma(a + 1)·u^(1/a) (in logs,
 *  so a tiny a gives a very negative log, not 0). */
function drawLogGamma(k: Tracer, a: Tracer): Tracer {
  const [kg, ku] = split(k);
  const small = np.less(a, 1);
  const logG = logGammaAtLeastOne(kg!, np.where(small, np.add(a, 1), a));
  const logU = np.log(open01(ku!, a.shape));
  return np.where(small, np.add(logG, np.divide(logU, a)), logG);
}

/** drawLogGamma, differentiable in a as JAX's gamma is: d log x / d a = random_gamma_grad(a, x) / x,
 *  the draw held at its quantile (the key has no tangent). */
const logGammaDraw = custom_jvp((k: Tracer, a: Tracer): Tracer => drawLogGamma(k, a));
logGammaDraw.defjvp(([k, a]: Tracer[], [, ta]: Tracer[]) => {
  const logX = drawLogGamma(k!, a!);
  const x = np.exp(logX);
  return [logX, np.multiply(ta!, np.divide(random_gamma_grad(a!, x), x))];
});

/** `random.gamma(key, a, shape)`: Gamma(a, 1) draws (a > 0), a broadcast to shape (default a's). */
export function gamma(k: Tracer, a: ArrayLike, shape?: number | readonly number[] | null): Tracer {
  return libraryScope("random.gamma", () => {
    checkKey("gamma", k);
    const [alpha] = shapeParam("gamma", a, shape);
    return np.exp(logGammaDraw(k, alpha));
  });
}

/** `random.loggamma(key, a, shape)`: the log of Gamma(a, 1) draws, accurate for tiny a. */
export function loggamma(k: Tracer, a: ArrayLike, shape?: number | readonly number[] | null): Tracer {
  return libraryScope("random.loggamma", () => {
    checkKey("loggamma", k);
    const [alpha] = shapeParam("loggamma", a, shape);
    return logGammaDraw(k, alpha);
  });
}

/** `random.beta(key, a, b, shape)`: Beta(a, b) as X/(X+Y) for gamma draws X, Y (in logs). */
export function beta(k: Tracer, a: ArrayLike, b: ArrayLike, shape?: number | readonly number[] | null): Tracer {
  return libraryScope("random.beta", () => {
    checkKey("beta", k);
    const ta = asTracer("random.beta", a);
    const tb = asTracer("random.beta", b);
    const dims = shape === undefined || shape === null ? broadcastShapes("random.beta", [ta.shape, tb.shape]) : shape;
    const [alpha] = shapeParam("beta", ta, dims);
    const [bet] = shapeParam("beta", tb, dims);
    const [ka, kb] = split(k);
    const lx = logGammaDraw(ka!, alpha);
    const ly = logGammaDraw(kb!, bet);
    return np.exp(np.subtract(lx, logaddexp(lx, ly)));
  });
}

/** `random.dirichlet(key, alpha, shape)`: alpha [..., K]; draws of shape + [K] on the simplex
 *  (normalized gamma draws, in logs). */
export function dirichlet(k: Tracer, alpha: ArrayLike, shape?: number | readonly number[] | null): Tracer {
  return libraryScope("random.dirichlet", () => {
    checkKey("dirichlet", k);
    const al = np.astype(asTracer("random.dirichlet", alpha), "float32");
    if (al.ndim < 1) throw new JitScopeError("shape", "random.dirichlet: alpha must have a last axis of categories");
    const kCount = al.shape[al.ndim - 1]!;
    const batch = shape === undefined || shape === null ? al.shape.slice(0, -1) : checkShape("dirichlet", shape);
    const [a] = shapeParam("dirichlet", al, [...batch, kCount]);
    return np.exp(log_softmax(logGammaDraw(k, a), -1));
  });
}

/** `random.chisquare(key, df, shape)`: 2·Gamma(df/2). */
export function chisquare(k: Tracer, df: ArrayLike, shape?: number | readonly number[] | null): Tracer {
  return libraryScope("random.chisquare", () => {
    checkKey("chisquare", k);
    const [d] = shapeParam("chisquare", df, shape);
    return np.multiply(np.exp(logGammaDraw(k, np.multiply(d, 0.5))), 2);
  });
}

/** `random.t(key, df, shape)`: Student's t, a normal over √(chisquare(df)/df). */
export function t(k: Tracer, df: ArrayLike, shape?: number | readonly number[] | null): Tracer {
  return libraryScope("random.t", () => {
    checkKey("t", k);
    const [d, dims] = shapeParam("t", df, shape);
    const [kn, kg] = split(k);
    const z = normal(kn!, dims);
    const logChi2 = np.add(logGammaDraw(kg!, np.multiply(d, 0.5)), Math.LN2);
    return np.multiply(z, np.exp(np.multiply(np.subtract(np.log(d), logChi2), 0.5)));
  });
}

/** `random.orthogonal(key, n, shape)`: n×n orthogonal matrices (a batch of `shape`), uniform
 *  over the orthogonal group (Haar): Q of a normal matrix's QR, each column's sign set so that
 *  R's diagonal is positive. */
export function orthogonal(k: Tracer, n: number, shape: number | readonly number[] = []): Tracer {
  return libraryScope("random.orthogonal", () => {
    checkKey("orthogonal", k);
    const [dim] = checkShape("orthogonal", [n]);
    const z = normal(k, [...checkShape("orthogonal", shape), dim!, dim!]);
    return qrPositiveDiagonal(z);
  });
}

/** `random.poisson(key, lam, shape)`: Poisson(lam) counts as int32, lam broadcast to shape
 *  (default lam's). As JAX's: a rate of 0 gives 0, a negative or NaN rate −1. */
export function poisson(k: Tracer, lam: ArrayLike, shape?: number | readonly number[] | null): Tracer {
  return libraryScope("random.poisson", () => {
    checkKey("poisson", k);
    const [rate] = shapeParam("poisson", lam, shape);
    const knuth = np.logical_or(np.isnan(rate), np.less(rate, 10));
    const small = poissonKnuth(k, np.where(knuth, rate, 0));
    const large = poissonRejection(k, np.where(knuth, 1e5, rate));
    return np.where(np.equal(rate, 0), 0, np.where(knuth, small, large));
  });
}

/** Knuth's method: the number of uniforms whose product stays above e^−lam, less one. Every
 *  element multiplies in a uniform each round until all have dropped below. */
function poissonKnuth(k: Tracer, lam: Tracer): Tracer {
  type State = [Tracer, Tracer, Tracer]; // round, count, log of the product
  const init: State = [np.array(0, { dtype: "int32" }), np.zeros(lam.shape, { dtype: "int32" }), np.zeros(lam.shape)];
  const [, count] = while_loop<State>(
    ([, , logProd]) => np.any(np.greater(logProd, np.negative(lam))),
    ([round, n, logProd]) => {
      const going = np.greater(logProd, np.negative(lam));
      const u = uniform(fold_in(k, round), lam.shape);
      return [np.add(round, 1), np.where(going, np.add(n, 1), n), np.add(logProd, np.log(u))];
    },
    init,
  );
  return np.subtract(count, 1);
}

/** Hörmann's transformed rejection (PTRS, 1993) for lam ≥ 10: each round proposes for every
 *  element from fold_in(key, round) and keeps the first accepted count (about 89% or more are). */
function poissonRejection(k: Tracer, lam: Tracer): Tracer {
  const logLam = np.log(lam);
  const b = np.add(0.931, np.multiply(2.53, np.sqrt(lam)));
  const a = np.add(-0.059, np.multiply(0.02483, b));
  const invAlpha = np.add(1.1239, np.divide(1.1328, np.subtract(b, 3.4)));
  const vR = np.subtract(0.9277, np.divide(3.6224, np.subtract(b, 2)));
  type State = [Tracer, Tracer, Tracer]; // round, accepted, count
  const init: State = [np.array(0, { dtype: "int32" }), np.zeros(lam.shape, { dtype: "bool" }), np.full(lam.shape, -1)];
  const [, , count] = while_loop<State>(
    ([, accepted]) => np.logical_not(np.all(accepted)),
    ([round, accepted, value]) => {
      const [ku, kv] = split(fold_in(k, round));
      const u = np.subtract(uniform(ku!, lam.shape), 0.5);
      const v = uniform(kv!, lam.shape);
      const us = np.subtract(0.5, np.abs(u));
      const kk = np.floor(np.add(np.multiply(np.add(np.divide(np.multiply(a, 2), us), b), u), np.add(lam, 0.43)));
      const s = np.log(np.divide(np.multiply(v, invAlpha), np.add(np.divide(a, np.multiply(us, us)), b)));
      const t = np.subtract(np.subtract(np.multiply(kk, logLam), lam), lgamma(np.add(kk, 1)));
      const accept1 = np.logical_and(np.greater_equal(us, 0.07), np.less_equal(v, vR));
      const reject = np.logical_or(np.less(kk, 0), np.logical_and(np.less(us, 0.013), np.greater(v, us)));
      const ok = np.logical_or(accept1, np.logical_and(np.logical_not(reject), np.less_equal(s, t)));
      const take = np.logical_and(ok, np.logical_not(accepted));
      return [np.add(round, 1), np.logical_or(accepted, ok), np.where(take, kk, value)];
    },
    init,
  );
  return np.astype(count, "int32");
}
