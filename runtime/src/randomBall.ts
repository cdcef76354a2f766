// random.generalized_normal and random.ball, by JAX's formulas. A generalized normal draw of
// power p (density ∝ e^−|x|^p) is a random sign times Gamma(1/p)^(1/p); a point uniform in the
// unit p-ball of dimension d is d generalized normal draws divided by (Σ|g|^p + E)^(1/p) with E
// an exponential draw (Barthe, Guédon, Mendelson and Naor's construction).

import { JitScopeError } from "./ir/errors.js";
import type { Tracer } from "./trace/core.js";
import * as np from "./np.js";
import { exponential, gamma, rademacher } from "./randomDistributions.js";
import { checkKey, checkShape, split } from "./random.js";
import { libraryScope } from "./trace/scopeCalls.js";

/** `random.generalized_normal(key, p, shape)`: density p / (2Γ(1/p)) · e^−|x|^p (p = 2 is a
 *  normal of variance ½, p = 1 a Laplace). */
export function generalized_normal(k: Tracer, p: number, shape: number | readonly number[] = []): Tracer {
  return libraryScope("random.generalized_normal", () => {
    checkKey("generalized_normal", k);
    const power = checkPower("generalized_normal", p);
    const dims = checkShape("generalized_normal", shape);
    const [kGamma, kSign] = split(k) as unknown as [Tracer, Tracer];
    const magnitude = np.power(gamma(kGamma, 1 / power, dims), 1 / power);
    return np.multiply(np.astype(rademacher(kSign, dims), "float32"), magnitude);
  });
}

/** `random.ball(key, d, p = 2, shape)`: points uniform in the d-dimensional unit p-ball
 *  (Σ|x|^p ≤ 1), shape [...shape, d]. */
export function ball(k: Tracer, d: number, p = 2, shape: number | readonly number[] = []): Tracer {
  return libraryScope("random.ball", () => {
    checkKey("ball", k);
    if (!Number.isInteger(d) || d < 1)
      throw new JitScopeError("value", `random.ball: d (the dimension) must be a positive integer, got ${String(d)}`);
    const power = checkPower("ball", p);
    const dims = checkShape("ball", shape);
    const [kPoint, kRadius] = split(k) as unknown as [Tracer, Tracer];
    const g = generalized_normal(kPoint, power, [...dims, d]);
    const e = exponential(kRadius, dims);
    const norm = np.power(np.add(np.sum(np.power(np.abs(g), power), -1), e), 1 / power);
    return np.divide(g, np.expand_dims(norm, -1));
  });
}

function checkPower(op: string, p: number): number {
  if (typeof p !== "number" || !(p > 0) || !Number.isFinite(p))
    throw new JitScopeError("value", `random.${op}: p must be a positive number, got ${String(p)}`);
  return p;
}
