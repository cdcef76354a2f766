// jax.scipy.special.hyp2f1, by JAX's cases (Pearson, Olver & Porter 2014, §4; AMS55 15.3.10–12),
// in float32. Where JAX's case analysis sends an element:
// - 1 at x = 0, or at a = 0 or b = 0 with c ≠ 0; inf at c = 0 or a negative whole c, for x > 1,
//   and at x = 1 with c − a − b ≤ 0;
// - (1−x)^(c−a−b)·₂F₁(c−a, c−b; c; x) (Euler's transformation) where d = c − a − b ≤ −1, unless d
//   is not whole and x > 1;
// - (1−x)^−a where b = c, (1−x)^−b where a = c (x < 1); Gauss's Γ(c)Γ(d)/(Γ(c−a)Γ(c−b)) at x = 1;
// - elsewhere the series Σ (a)ₖ(b)ₖ/(c)ₖ xᵏ/k!, or, with x > 0.9 and d near a whole number, the
//   digamma form of the 1 − x expansion, or, where a or b is a non-positive whole number, the
//   terminating sum.
// Each sum is JAX's loop run per element (specialHypergeometric.ts perElementWhile). JAX evaluates
// the Euler-transformed and the plain sum for every element; here one sum per element, of the
// parameters its case needs. Like JAX's, values that grow large lose float32's precision.

import * as np from "../np.js";
import type { ArrayLike } from "../np.js";
import { digamma } from "../lax/gamma.js";
import { custom_jvp } from "../trace/custom.js";
import type { Tracer } from "../trace/core.js";
import { gamma } from "./gammaFamily.js";
import { broadcastF32 } from "./specialExtras.js";
import { EPS, MAX_STEPS, perElementWhile } from "./specialHypergeometric.js";

/** JAX's tolerance for "is a whole number" (50 epsilons). */
const WHOLE_TOL = 50 * EPS;
const EULER_PSI1 = -0.5772156649015329; // ψ(1)

const nearWhole = (v: Tracer): Tracer => np.less(np.abs(np.subtract(v, np.round(v))), WHOLE_TOL);
// Not nearWhole's negation: both are false at NaN, as JAX's two tests.
const farFromWhole = (v: Tracer): Tracer => np.greater_equal(np.abs(np.subtract(v, np.round(v))), WHOLE_TOL);
const and = (...xs: Tracer[]): Tracer => xs.reduce((p, q) => np.logical_and(p, q));
const or = (...xs: Tracer[]): Tracer => xs.reduce((p, q) => np.logical_or(p, q));
const underCap = (k: Tracer): Tracer => np.less(k, MAX_STEPS);

/** Σ (a)ₖ(b)ₖ/(c)ₖ xᵏ/k! until a term is below eps·|sum| (elements where `use` holds). */
function series(a: Tracer, b: Tracer, c: Tracer, x: Tracer, use: Tracer): Tracer {
  const [sum] = perElementWhile(
    ([s, t], k) => and(use, underCap(k), np.greater(np.abs(t!), np.multiply(np.abs(s!), EPS))),
    ([s, t], k) => {
      const plus = (v: Tracer): Tracer => np.subtract(np.add(v, k), 1); // v + k − 1, as JAX rounds it
      const ratio = np.divide(np.multiply(plus(a), plus(b)), plus(c));
      return [np.add(s!, t!), np.multiply(t!, np.multiply(np.divide(ratio, k), x))];
    },
    [np.zeros_like(x), np.ones_like(x)],
    1,
  );
  return sum!;
}

/** The sum that terminates at the non-positive whole a or b (the larger in size that is still
 *  smaller than |c| when c is a non-positive whole number), as JAX's fori_loop to |a|. */
function terminating(aIn: Tracer, bIn: Tracer, c: Tracer, x: Tracer, use: Tracer): Tracer {
  const cBlocks = and(np.equal(np.mod(c, 1), 0), np.less_equal(c, 0), np.greater(c, bIn));
  const swap = and(np.less(bIn, aIn), nearWhole(bIn), np.logical_not(cBlocks));
  const a = np.abs(np.where(swap, bIn, aIn));
  const b = np.where(swap, aIn, bIn);
  const stop = np.add(a, 1);
  const [sum] = perElementWhile(
    (_, i) => np.logical_and(use, np.less(i, stop)),
    ([s, t], i) => {
      const plus = (v: Tracer): Tracer => np.subtract(np.add(v, i), 1);
      const f = np.divide(np.negative(np.add(np.subtract(a, i), 1)), plus(c));
      const tNext = np.multiply(t!, np.multiply(np.divide(np.multiply(f, plus(b)), i), x));
      return [np.add(s!, tNext), tNext];
    },
    [np.ones_like(x), np.ones_like(x)],
    1,
  );
  return sum!;
}

/** ₂F₁ near x = 1 where d = c − a − b is (near) whole: AMS55 15.3.10–12, the ψ series in 1 − x
 *  plus, for |d| ≥ 2, the finite sum (JAX's _hyp2f1_digamma_transform). */
function digammaTransform(a: Tracer, b: Tracer, c: Tracer, x: Tracer, use: Tracer): Tracer {
  const d = np.subtract(np.subtract(c, a), b);
  const s = np.subtract(1, x);
  const rd = np.round(d);
  const up = np.greater_equal(rd, 0);
  const e = np.where(up, d, np.negative(d));
  const d1 = np.where(up, d, 0);
  const d2 = np.where(up, 0, d);
  const ard = np.abs(rd);
  const ax = np.log(s);
  const [ad1, bd1] = [np.add(a, d1), np.add(b, d1)];
  let y0 = np.subtract(np.subtract(np.add(digamma(np.add(e, 1)), EULER_PSI1), digamma(ad1)), digamma(bd1));
  y0 = np.divide(np.subtract(y0, ax), gamma(np.add(e, 1)));
  const p0 = np.divide(np.multiply(np.multiply(ad1, bd1), s), gamma(np.add(e, 2)));
  // State p, q, y; the counter is t (from 1).
  const [, , y] = perElementWhile(
    ([, q, yv], t) => and(use, underCap(t), np.greater_equal(np.abs(q!), np.multiply(np.abs(yv!), EPS))),
    ([p, , yv], t) => {
      const [at, bt] = [np.add(np.add(a, t), d1), np.add(np.add(b, t), d1)];
      const r = np.subtract(
        np.subtract(
          np.subtract(np.add(digamma(np.add(t, 1)), digamma(np.add(np.add(t, 1), e))), digamma(at)),
          digamma(bt),
        ),
        ax,
      );
      const q = np.multiply(p!, r);
      let pNext = np.multiply(p!, np.divide(np.multiply(s, at), np.add(t, 1)));
      pNext = np.multiply(pNext, np.divide(bt, np.add(np.add(t, 1), e)));
      return [pNext, q, np.add(yv!, q)];
    },
    [p0, y0, y0],
    1,
  );
  // The finite sum of |d| − 1 terms (JAX's fori_loop(1, |rd|)); its t runs from 0.
  const [ad2, bd2] = [np.add(a, d2), np.add(b, d2)];
  const [, y1] = perElementWhile(
    (_, i) => np.logical_and(use, np.less(i, ard)),
    ([p, acc], i) => {
      const t = np.subtract(i, 1);
      const r = np.add(np.subtract(1, e), t);
      const grow = np.divide(np.multiply(np.multiply(s, np.add(np.add(a, t), d2)), np.add(np.add(b, t), d2)), r);
      const pNext = np.divide(np.multiply(p!, grow), i);
      return [pNext, np.add(acc!, pNext)];
    },
    [np.ones_like(x), np.ones_like(x)],
    1,
  );
  const gc = gamma(c);
  const y1s = np.multiply(y1!, np.divide(np.multiply(gamma(e), gc), np.multiply(gamma(ad1), gamma(bd1))));
  let ys = np.multiply(y!, np.divide(gc, np.multiply(gamma(ad2), gamma(bd2))));
  ys = np.where(np.equal(np.mod(ard, 2), 1), np.negative(ys), ys);
  const q = np.power(s, rd);
  const summed = np.where(np.greater(rd, 0), np.add(np.multiply(ys, q), y1s), np.add(ys, np.multiply(y1s, q)));
  const atWhole = np.divide(np.multiply(y!, gc), np.multiply(gamma(a), gamma(b)));
  return np.where(np.equal(rd, 0), atWhole, summed);
}

/** JAX's _hyp2f1_terminal_or_serie: which sum an element takes, for the elements in `use`. */
function sumOf(a: Tracer, b: Tracer, c: Tracer, x: Tracer, use: Tracer): Tracer {
  const d = np.subtract(np.subtract(c, a), b);
  const negWholeA = np.logical_and(np.less_equal(a, 0), nearWhole(a));
  const negWholeB = np.logical_and(np.less_equal(b, 0), nearWhole(b));
  const terminates = np.logical_or(negWholeA, negWholeB);
  const nearOne = np.logical_and(np.greater(x, 0.9), np.logical_not(terminates));
  const byDigamma = np.logical_and(nearOne, np.logical_not(farFromWhole(d)));
  const byTerminal = np.logical_and(np.logical_not(nearOne), terminates);
  const bySeries = np.logical_not(np.logical_or(byDigamma, byTerminal));
  return np.where(
    byDigamma,
    digammaTransform(a, b, c, x, np.logical_and(use, byDigamma)),
    np.where(
      byTerminal,
      terminating(a, b, c, x, np.logical_and(use, byTerminal)),
      series(a, b, c, x, np.logical_and(use, bySeries)),
    ),
  );
}

function hyp2f1Value(a: Tracer, b: Tracer, c: Tracer, x: Tracer): Tracer {
  const d = np.subtract(np.subtract(c, a), b);
  const s = np.subtract(1, x);
  const [ca, cb] = [np.subtract(c, a), np.subtract(c, b)];
  const below = np.less(x, 1);
  const one = np.logical_or(np.equal(x, 0), and(or(np.equal(a, 0), np.equal(b, 0)), np.not_equal(c, 0)));
  const cPole = np.logical_or(np.equal(c, 0), np.logical_and(np.less(c, 0), np.equal(np.mod(c, 1), 0)));
  const euler = and(np.less_equal(d, -1), np.logical_not(np.logical_and(farFromWhole(d), np.less(s, 0))));
  const divergesAtOne = np.logical_and(np.less_equal(d, 0), np.equal(x, 1));
  const bIsC = np.logical_and(below, np.equal(b, c));
  const aIsC = np.logical_and(below, np.equal(a, c));
  // JAX's select_n index, case by case in its order: the first that holds wins.
  const cases: [Tracer, string][] = [
    [one, "one"],
    [cPole, "inf"],
    [euler, "euler"],
    [divergesAtOne, "inf"],
    [bIsC, "powA"],
    [aIsC, "powB"],
    [np.greater(x, 1), "inf"],
    [np.equal(x, 1), "gauss"],
  ];
  const taken = (name: string): Tracer => {
    let earlier: Tracer = np.full_like(x, false, { dtype: "bool" });
    let hit: Tracer = earlier;
    for (const [when, which] of cases) {
      if (which === name) hit = np.logical_or(hit, np.logical_and(when, np.logical_not(earlier)));
      earlier = np.logical_or(earlier, when);
    }
    return name === "plain" ? np.logical_not(earlier) : hit;
  };
  const [isEuler, isPlain] = [taken("euler"), taken("plain")];
  // One sum per element: of (c−a, c−b) for Euler's transformation, of (a, b) for the plain case.
  const sum = sumOf(np.where(isEuler, ca, a), np.where(isEuler, cb, b), c, x, np.logical_or(isEuler, isPlain));
  const gauss = np.divide(np.multiply(gamma(c), gamma(d)), np.multiply(gamma(ca), gamma(cb)));
  let out = np.where(isPlain, sum, np.multiply(np.power(s, d), sum));
  out = np.where(taken("gauss"), gauss, out);
  out = np.where(taken("powB"), np.power(s, np.negative(b)), out);
  out = np.where(taken("powA"), np.power(s, np.negative(a)), out);
  out = np.where(taken("inf"), Infinity, out);
  return np.where(taken("one"), 1, out);
}

/** ∂₂F₁/∂a, ∂b or ∂c: Σ (a)ₖ(b)ₖ/(c)ₖ xᵏ/k! · w(k), JAX's series (w: ψ(a+k) − ψ(a), …). */
function parameterSeries(a: Tracer, b: Tracer, c: Tracer, x: Tracer, weight: (k: Tracer) => Tracer): Tracer {
  const init = [np.zeros_like(x), np.multiply(np.divide(np.multiply(a, b), c), x)];
  const [sum] = perElementWhile(
    ([s, t], k) => np.logical_and(underCap(k), np.greater(np.divide(np.abs(t!), np.abs(s!)), EPS)),
    ([s, t], k) => {
      const ratio = np.divide(np.multiply(np.add(a, k), np.add(b, k)), np.add(c, k));
      return [np.add(s!, np.multiply(t!, weight(k))), np.multiply(t!, np.multiply(np.divide(ratio, np.add(k, 1)), x))];
    },
    init,
    1,
  );
  return sum!;
}

const hyp2f1Rule = custom_jvp((a: Tracer, b: Tracer, c: Tracer, x: Tracer): Tracer => hyp2f1Value(a, b, c, x));
hyp2f1Rule.defjvp(([a, b, c, x]: Tracer[], [ta, tb, tc, tx]: Tracer[]) => {
  const [pa, pb, pc, px] = [a!, b!, c!, x!];
  const da = parameterSeries(pa, pb, pc, px, (k) => np.subtract(digamma(np.add(pa, k)), digamma(pa)));
  const db = parameterSeries(pa, pb, pc, px, (k) => np.subtract(digamma(np.add(pb, k)), digamma(pb)));
  const dc = parameterSeries(pa, pb, pc, px, (k) => np.subtract(digamma(pc), digamma(np.add(pc, k))));
  const dx = np.multiply(
    np.divide(np.multiply(pa, pb), pc),
    hyp2f1Rule(np.add(pa, 1), np.add(pb, 1), np.add(pc, 1), px),
  );
  let tangent = np.add(np.multiply(da, ta!), np.multiply(db, tb!));
  tangent = np.add(np.add(tangent, np.multiply(dc, tc!)), np.multiply(dx, tx!));
  return [hyp2f1Value(pa, pb, pc, px), tangent];
});

/** The Gauss hypergeometric function ₂F₁(a, b; c; x) = Σ (a)ₖ(b)ₖ/(c)ₖ xᵏ/k!, real arguments
 *  broadcast together, float32, with JAX's cases and edge values (1 at x = 0, inf at c = 0 or a
 *  negative whole c and for x > 1). Differentiable in a, b, c and x (JAX's rules). */
export function hyp2f1(a: ArrayLike, b: ArrayLike, c: ArrayLike, x: ArrayLike): Tracer {
  const [ab, bb, cb, xb] = broadcastF32(a, b, c, x);
  return hyp2f1Rule(ab!, bb!, cb!, xb!);
}
