// More of jax.random's samplers, each a closed-form transform of uniform, normal, exponential
// or chi-square draws, by JAX's formulas: lognormal, geometric, rayleigh, maxwell,
// double_sided_maxwell, pareto, weibull_min, triangular, wald (inverse Gaussian of shape 1, by
// Michael, Schucany and Haas' transformation), f, and clone. Parameters broadcast to `shape`
// (default their broadcast shape, as JAX's shape=None).

import type { Tracer } from "./trace/core.js";
import * as np from "./np.js";
import type { ArrayLike } from "./np.js";
import { chisquare, exponential, rademacher } from "./randomDistributions.js";
import { shapeParams } from "./randomParams.js";
import { checkKey, checkShape, normal, split, TINY, uniform } from "./random.js";
import { libraryScope } from "./trace/scopeCalls.js";

type Shape = number | readonly number[] | null;

/** Runs `draw` in a library scope named random.<op> after checking the key. */
function sampler(op: string, k: Tracer, draw: () => Tracer): Tracer {
  return libraryScope(`random.${op}`, () => {
    checkKey(op, k);
    return draw();
  });
}

/** `random.lognormal(key, sigma = 1, shape)`: exp(sigma · z) for a standard normal z. */
export function lognormal(k: Tracer, sigma: ArrayLike = 1, shape?: Shape): Tracer {
  return sampler("lognormal", k, () => {
    const [[s], dims] = shapeParams("lognormal", [sigma], shape);
    return np.exp(np.multiply(s!, normal(k, dims)));
  });
}

/** `random.geometric(key, p, shape)`: int32 trials until the first success (≥ 1),
 *  floor(log u / log(1 − p)) + 1. */
export function geometric(k: Tracer, p: ArrayLike, shape?: Shape): Tracer {
  return sampler("geometric", k, () => {
    const [[prob], dims] = shapeParams("geometric", [p], shape);
    const u = uniform(k, dims, { minval: TINY, maxval: 1 });
    return np.astype(np.add(np.floor(np.divide(np.log(u), np.log1p(np.negative(prob!)))), 1), "int32");
  });
}

/** `random.rayleigh(key, scale = 1, shape)`: scale · √(−2 log u). */
export function rayleigh(k: Tracer, scale: ArrayLike = 1, shape?: Shape): Tracer {
  return sampler("rayleigh", k, () => {
    const [[s], dims] = shapeParams("rayleigh", [scale], shape);
    const u = uniform(k, dims, { minval: TINY, maxval: 1 });
    return np.multiply(np.sqrt(np.multiply(np.log(u), -2)), s!);
  });
}

/** `random.maxwell(key, shape)`: the length of a standard normal 3-vector. */
export function maxwell(k: Tracer, shape: number | readonly number[] = []): Tracer {
  return sampler("maxwell", k, () => {
    const z = normal(k, [...checkShape("maxwell", shape), 3]);
    return np.sqrt(np.sum(np.square(z), -1));
  });
}

/** `random.double_sided_maxwell(key, loc, scale, shape)`: a Maxwell draw with a random sign,
 *  times scale, plus loc. */
export function double_sided_maxwell(k: Tracer, loc: ArrayLike, scale: ArrayLike, shape?: Shape): Tracer {
  return sampler("double_sided_maxwell", k, () => {
    const [[l, s], dims] = shapeParams("double_sided_maxwell", [loc, scale], shape);
    const [kMaxwell, kSign] = split(k);
    const signed = np.multiply(np.astype(rademacher(kSign!, dims), "float32"), maxwell(kMaxwell!, dims));
    return np.add(np.multiply(signed, s!), l!);
  });
}

/** `random.pareto(key, b, shape)`: exp(E / b) for an exponential E (support x ≥ 1). */
export function pareto(k: Tracer, b: ArrayLike, shape?: Shape): Tracer {
  return sampler("pareto", k, () => {
    const [[shapeB], dims] = shapeParams("pareto", [b], shape);
    return np.exp(np.divide(exponential(k, dims), shapeB!));
  });
}

/** `random.weibull_min(key, scale, concentration, shape)`: scale · (−log(1 − u))^(1/c). */
export function weibull_min(k: Tracer, scale: ArrayLike, concentration: ArrayLike, shape?: Shape): Tracer {
  return sampler("weibull_min", k, () => {
    const [[s, c], dims] = shapeParams("weibull_min", [scale, concentration], shape);
    const u = uniform(k, dims);
    return np.multiply(s!, np.power(np.negative(np.log1p(np.negative(u))), np.divide(1, c!)));
  });
}

/** `random.triangular(key, left, mode, right, shape)`: the triangle's inverse CDF at u. */
export function triangular(k: Tracer, left: ArrayLike, mode: ArrayLike, right: ArrayLike, shape?: Shape): Tracer {
  return sampler("triangular", k, () => {
    const [[a, c, b], dims] = shapeParams("triangular", [left, mode, right], shape);
    const u = uniform(k, dims);
    const width = np.subtract(b!, a!);
    const split = np.divide(np.subtract(c!, a!), width);
    const rising = np.add(a!, np.sqrt(np.multiply(np.multiply(u, width), np.subtract(c!, a!))));
    const falling = np.subtract(b!, np.sqrt(np.multiply(np.multiply(np.subtract(1, u), width), np.subtract(b!, c!))));
    return np.where(np.less(u, split), rising, falling);
  });
}

/** `random.wald(key, mean, shape)`: the inverse Gaussian of mean μ and shape 1. */
export function wald(k: Tracer, mean: ArrayLike, shape?: Shape): Tracer {
  return sampler("wald", k, () => {
    const [[mu], dims] = shapeParams("wald", [mean], shape);
    const [kNormal, kUniform] = split(k);
    const y = np.square(normal(kNormal!, dims));
    const muSq = np.square(mu!);
    const root = np.sqrt(np.add(np.multiply(np.multiply(mu!, 4), y), np.multiply(muSq, np.square(y))));
    const x = np.subtract(
      np.add(mu!, np.multiply(np.multiply(muSq, y), 0.5)),
      np.multiply(np.multiply(mu!, 0.5), root),
    );
    const z = uniform(kUniform!, dims);
    return np.where(np.less_equal(z, np.divide(mu!, np.add(mu!, x))), x, np.divide(muSq, x));
  });
}

/** `random.f(key, dfnum, dfden, shape)`: (χ²(dfnum)/dfnum) / (χ²(dfden)/dfden). */
export function f(k: Tracer, dfnum: ArrayLike, dfden: ArrayLike, shape?: Shape): Tracer {
  return sampler("f", k, () => {
    const [[dn, dd], dims] = shapeParams("f", [dfnum, dfden], shape);
    const [kNum, kDen] = split(k);
    const num = np.divide(chisquare(kNum!, dn!, dims), dn!);
    return np.divide(num, np.divide(chisquare(kDen!, dd!, dims), dd!));
  });
}

/** `random.clone(key)`: the key itself (keys here are values, never consumed). */
export function clone(k: Tracer): Tracer {
  checkKey("clone", k);
  return k;
}
