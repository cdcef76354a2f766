// random.binomial and random.multinomial, by JAX's algorithms (TensorFlow's before it), float32
// counts. Each draw works with q = min(p, 1 − p) and flips the count back (n − k) for p ≥ ½:
// - n·q ≤ 10: inversion by geometric waiting times, the number of Geometric(q) gaps whose sum
//   stays within n; every element adds a gap each round until all have passed n.
// - otherwise: Hörmann's transformed rejection (BTRS, 1993), proposals each round until every
//   element has accepted one, the acceptance test through Stirling's series for log k!.
// Edge values as JAX's: NaN for p outside [0, 1] or NaN, or n negative or NaN; inf for n = inf.
// multinomial draws each category's count from a binomial of what remains, in a scan over the
// categories (JAX's conditional method).

import { Tracer } from "./trace/core.js";
import * as np from "./np.js";
import type { ArrayLike } from "./np.js";
import { while_loop, scan } from "./lax/control.js";
import { checkKey, checkShape, fold_in, split, uniform } from "./random.js";
import { libraryScope } from "./trace/scopeCalls.js";
import { shapeParams } from "./randomParams.js";
import { JitScopeError } from "./ir/errors.js";
import { asTracer } from "./np/promote.js";

/** δ(k) = log k! − [(k + ½)·log(k + 1) − (k + 1) + ½·log 2π], Stirling's error, exact (in double
 *  precision, computed here) for k < 10 and by its series beyond. */
const STIRLING_TABLE = Array.from({ length: 10 }, (_, k) => {
  let logFactorial = 0;
  for (let m = 2; m <= k; m++) logFactorial += Math.log(m);
  return logFactorial - ((k + 0.5) * Math.log(k + 1) - (k + 1) + 0.5 * Math.log(2 * Math.PI));
});

function stirlingTail(k: Tracer): Tracer {
  const kp1 = np.add(k, 1);
  const sq = np.multiply(kp1, kp1);
  const series = np.divide(np.subtract(1 / 12, np.divide(np.subtract(1 / 360, np.divide(1 / 1260, sq)), sq)), kp1);
  const table = np.take(np.array(STIRLING_TABLE), np.astype(np.clip(k, 0, 9), "int32"), 0, { mode: "clip" });
  return np.where(np.less_equal(k, 9), table, series);
}

/** Gaps of Geometric(q) (trials to a success) summed until past n; the count of those within n. */
function inversion(key: Tracer, n: Tracer, q: Tracer): Tracer {
  const logMiss = np.log1p(np.negative(q));
  type State = [Tracer, Tracer, Tracer]; // round, gaps counted, their sum
  const init: State = [np.array(0, { dtype: "int32" }), np.zeros(n.shape), np.zeros(n.shape)];
  const [, count] = while_loop<State>(
    ([, , sum]) => np.any(np.less_equal(sum, n)),
    ([round, gaps, sum]) => {
      const u = uniform(fold_in(key, round), n.shape);
      const gap = np.ceil(np.divide(np.log(u), logMiss));
      return [np.add(round, 1), np.where(np.less_equal(sum, n), np.add(gaps, 1), gaps), np.add(sum, gap)];
    },
    init,
  );
  return np.subtract(count, 1);
}

/** BTRS for n·q > 10, q ≤ ½. */
function rejection(key: Tracer, n: Tracer, q: Tracer): Tracer {
  const sd = np.sqrt(np.multiply(np.multiply(n, q), np.subtract(1, q)));
  const b = np.add(1.15, np.multiply(2.53, sd));
  const a = np.add(np.add(-0.0873, np.multiply(0.0248, b)), np.multiply(0.01, q));
  const c = np.add(np.multiply(n, q), 0.5);
  const vR = np.subtract(0.92, np.divide(4.2, b));
  const r = np.divide(q, np.subtract(1, q));
  const alpha = np.multiply(np.add(2.83, np.divide(5.1, b)), sd);
  const m = np.floor(np.multiply(np.add(n, 1), q));
  // The parts of the acceptance bound that do not depend on the proposal k.
  const fixed = np.add(
    np.add(
      np.multiply(np.add(m, 0.5), np.log(np.divide(np.add(m, 1), np.multiply(r, np.add(np.subtract(n, m), 1))))),
      stirlingTail(m),
    ),
    stirlingTail(np.subtract(n, m)),
  );
  type State = [Tracer, Tracer, Tracer]; // round, accepted, count
  const init: State = [np.array(0, { dtype: "int32" }), np.zeros(n.shape, { dtype: "bool" }), np.full(n.shape, -1)];
  const [, , count] = while_loop<State>(
    ([, accepted]) => np.logical_not(np.all(accepted)),
    ([round, accepted, value]) => {
      const [ku, kv] = split(fold_in(key, round));
      const u = np.subtract(uniform(ku!, n.shape), 0.5);
      const v0 = uniform(kv!, n.shape);
      const us = np.subtract(0.5, np.abs(u));
      const k = np.floor(np.add(np.multiply(np.add(np.divide(np.multiply(a, 2), us), b), u), c));
      const outside = np.logical_or(np.less(k, 0), np.greater(k, n));
      // Read the bound at an in-range k: its logs are finite there.
      const kk = np.clip(k, 0, n);
      const v = np.log(np.divide(np.multiply(v0, alpha), np.add(np.divide(a, np.multiply(us, us)), b)));
      const bound = np.subtract(
        np.add(
          np.add(
            fixed,
            np.multiply(np.add(n, 1), np.log(np.divide(np.add(np.subtract(n, m), 1), np.add(np.subtract(n, kk), 1)))),
          ),
          np.multiply(np.add(kk, 0.5), np.log(np.divide(np.multiply(r, np.add(np.subtract(n, kk), 1)), np.add(kk, 1)))),
        ),
        np.add(stirlingTail(kk), stirlingTail(np.subtract(n, kk))),
      );
      const quick = np.logical_and(np.greater_equal(us, 0.07), np.less_equal(v0, vR));
      const ok = np.logical_or(quick, np.logical_and(np.logical_not(outside), np.less_equal(v, bound)));
      const take = np.logical_and(ok, np.logical_not(accepted));
      return [np.add(round, 1), np.logical_or(accepted, ok), np.where(take, k, value)];
    },
    init,
  );
  return count;
}

/** `random.binomial(key, n, p, shape)`: float32 counts of successes in n trials of probability
 *  p (n a whole number; a fractional n is floored, as JAX's). */
export function binomial(k: Tracer, n: ArrayLike, p: ArrayLike, shape?: number | readonly number[] | null): Tracer {
  return libraryScope("random.binomial", () => {
    checkKey("binomial", k);
    const [[count0, prob]] = shapeParams("binomial", [n, p], shape);
    const pLow = np.less(prob!, 0.5);
    const qRaw = np.where(pLow, prob!, np.subtract(1, prob!));
    const badCount = np.logical_or(np.isnan(count0!), np.less(count0!, 0));
    const infCount = np.isinf(count0!);
    const badQ = np.logical_or(np.isnan(qRaw), np.less(qRaw, 0));
    const q = np.where(badQ, 0.01, qRaw);
    const count = np.floor(count0!);
    const useInversion = np.logical_or(badCount, np.less_equal(np.multiply(count, q), 10));
    const few = inversion(k, np.where(useInversion, count, 0), q);
    const many = rejection(k, np.where(useInversion, 1e4, count), np.where(useInversion, 0.5, q));
    let out = np.where(useInversion, few, many);
    const invalid = np.logical_or(badQ, badCount); // p outside [0, 1] gives q < 0
    out = np.where(invalid, NaN, np.where(infCount, Infinity, out));
    const keep = np.logical_or(np.logical_or(pLow, badCount), np.logical_or(np.isnan(qRaw), infCount));
    return np.where(keep, out, np.subtract(count, out));
  });
}

/** `random.multinomial(key, n, p, shape)`: float32 counts of each of p's last-axis categories in
 *  n draws; shape (default p's) ends with the number of categories. */
export function multinomial(k: Tracer, n: ArrayLike, p: ArrayLike, shape?: readonly number[] | null): Tracer {
  return libraryScope("random.multinomial", () => {
    checkKey("multinomial", k);
    const probs0 = np.astype(asTracer("random.multinomial", p), "float32");
    if (probs0.ndim === 0)
      throw new JitScopeError("shape", "random.multinomial: p needs a last axis of categories, got a 0-d array");
    const dims = shape === undefined || shape === null ? probs0.shape : checkShape("multinomial", shape);
    if (dims[dims.length - 1] !== probs0.shape[probs0.ndim - 1])
      throw new JitScopeError(
        "shape",
        `random.multinomial: shape [${dims}] must end with p's ${probs0.shape[probs0.ndim - 1]} categories`,
      );
    const counts = np.broadcast_to(np.astype(asTracer("random.multinomial", n), "float32"), dims.slice(0, -1));
    const probs = np.moveaxis(np.broadcast_to(probs0, dims), -1, 0);
    // Each category's share of what the categories from it on hold.
    const remaining = np.flip(np.cumsum(np.flip(probs, 0), 0), 0);
    const ratios = np.divide(probs, np.where(np.equal(remaining, 0), 1, remaining));
    const keys = split(k, dims[dims.length - 1]!);
    const [, drawn] = scan(
      (left: Tracer, [ratio, key]: [Tracer, Tracer]): [Tracer, Tracer] => {
        const c = binomial(key, left, np.clip(ratio, 0, 1));
        return [np.subtract(left, c), c];
      },
      counts,
      [ratios, keys] as [Tracer, Tracer],
    );
    return np.moveaxis(drawn, 0, -1);
  });
}
