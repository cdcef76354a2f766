// The regularized incomplete gamma functions, as JAX's lax.igamma / igammac (scipy.special's
// gammainc / gammaincc): P(a, x) = γ(a, x)/Γ(a) and Q = 1 − P, in float32. P by its power series
// where x ≤ 1 or x ≤ a, Q by Legendre's continued fraction elsewhere (the split XLA and Cephes
// use: each converges fast on its side), each summed in a while_loop until every element's last
// step moves it by less than float32's epsilon. Derivatives: in x the density, in a through the
// series' own derivative (lax/gamma.ts: random_gamma_grad). At the domain's edges, JAX's values.

import type { Tracer } from "../trace/core.js";
import { custom_jvp } from "../trace/custom.js";
import * as ew from "../np/elementwise.js";
import { array } from "../np/creation.js";
import { isinf, isnan, logical_and, logical_or } from "../np/mathSurface.js";
import { any } from "../np/reduceSurface.js";
import { broadcast_to } from "../np/shape.js";
import { broadcastShapes, type ArrayLike } from "../np/promote.js";
import { while_loop } from "./control.js";
import { lgamma, random_gamma_grad } from "./gamma.js";
import { floatOnly } from "./special.js";

const EPS = 2 ** -24;
const MAX_STEPS = 2000;
const BIG = 2 ** 52; // the continued fraction's terms are rescaled past this
const int = (v: number): Tracer => array(v, { dtype: "int32" });

/** log of x^a e^−x / Γ(a): the factor both expansions share. */
const logPrefactor = (a: Tracer, x: Tracer): Tracer =>
  ew.subtract(ew.subtract(ew.multiply(a, ew.log(x)), x), lgamma(a));

/** P(a, x) by its series Σ xⁿ/((a+1)…(a+n)) · x^a e^−x / Γ(a+1), for x ≤ max(1, a). */
function seriesP(a: Tracer, x: Tracer): Tracer {
  type S = [Tracer, Tracer, Tracer, Tracer]; // step, a + n, term, sum
  const one = ew.add(ew.multiply(a, 0), 1);
  const [, , , sum] = while_loop<S>(
    ([n, , term, total]) => logical_and(ew.less(n, MAX_STEPS), any(ew.greater(term, ew.multiply(total, EPS)))),
    ([n, r, term, total]) => {
      const rNext = ew.add(r, 1);
      const tNext = ew.multiply(term, ew.divide(x, rNext));
      return [ew.add(n, 1), rNext, tNext, ew.add(total, tNext)];
    },
    [int(0), a, one, one],
  );
  return ew.divide(ew.multiply(sum, ew.exp(logPrefactor(a, x))), a);
}

/** Q(a, x) by Legendre's continued fraction (Cephes' igamc), for x > max(1, a). */
function fractionQ(a: Tracer, x: Tracer): Tracer {
  // State: step, y, z, c, p(k−2), q(k−2), p(k−1), q(k−1), the fraction's value, its last change.
  type F = [Tracer, Tracer, Tracer, Tracer, Tracer, Tracer, Tracer, Tracer, Tracer, Tracer];
  const y0 = ew.subtract(1, a);
  const z0 = ew.add(ew.add(x, y0), 1);
  const zero = ew.multiply(x, 0);
  const pkm1 = ew.add(x, 1);
  const qkm1 = ew.multiply(z0, x);
  const init: F = [int(0), y0, z0, zero, ew.add(zero, 1), x, pkm1, qkm1, ew.divide(pkm1, qkm1), ew.add(zero, 1)];
  const out = while_loop<F>(
    ([n, , , , , , , , , change]) => logical_and(ew.less(n, MAX_STEPS), any(ew.greater(change, EPS))),
    ([n, y, z, c, p2, q2, p1, q1, ans]) => {
      const [cN, yN, zN] = [ew.add(c, 1), ew.add(y, 1), ew.add(z, 2)];
      const yc = ew.multiply(yN, cN);
      const pk = ew.subtract(ew.multiply(p1, zN), ew.multiply(p2, yc));
      const qk = ew.subtract(ew.multiply(q1, zN), ew.multiply(q2, yc));
      const moves = ew.not_equal(qk, 0);
      const r = ew.divide(pk, ew.where(moves, qk, 1));
      const change = ew.where(moves, ew.abs(ew.divide(ew.subtract(ans, r), r)), 1);
      const ansN = ew.where(moves, r, ans);
      // Rescale when the numerators grow large, as Cephes does; the ratio is unchanged.
      const big = ew.greater(ew.abs(pk), BIG);
      const s = (v: Tracer) => ew.where(big, ew.multiply(v, 1 / BIG), v);
      return [ew.add(n, 1), yN, zN, cN, s(p1), s(q1), s(pk), s(qk), ansN, change];
    },
    init,
  );
  return ew.multiply(out[8], ew.exp(logPrefactor(a, x)));
}

/** [P, Q] of a and x broadcast together, with JAX's values at the domain's edges. */
function incompleteGamma(aIn: Tracer, xIn: Tracer): [Tracer, Tracer] {
  const shape = broadcastShapes("lax.igamma", [aIn.shape, xIn.shape]);
  const [a, x] = [broadcast_to(aIn, shape), broadcast_to(xIn, shape)];
  // JAX's edges: NaN for a < 0, x < 0, an infinite a, NaN, and a = x = 0; P = 0 at x = 0;
  // P = 1 at x = ∞ and for a = 0 (the limit from above).
  const aZero = ew.equal(a, 0);
  const invalid = logical_or(
    logical_or(logical_or(ew.less(a, 0), ew.less(x, 0)), logical_or(isnan(a), isnan(x))),
    logical_or(isinf(a), logical_and(aZero, ew.equal(x, 0))),
  );
  const edge = logical_or(logical_or(invalid, aZero), logical_or(ew.equal(x, 0), isinf(x)));
  const useFraction = logical_and(ew.greater(x, 1), ew.greater(x, a));
  // Each expansion runs on every element; elsewhere it gets a point where it converges at once.
  const safeA = ew.where(edge, 1, a);
  const p = seriesP(safeA, ew.where(logical_or(edge, useFraction), 0.5, x));
  const q = fractionQ(safeA, ew.where(logical_or(edge, ew.logical_not(useFraction)), 2, x));
  const atEdge = (v: number) => ew.where(invalid, NaN, ew.where(ew.equal(x, 0), v, 1 - v));
  const P = ew.where(edge, atEdge(0), ew.where(useFraction, ew.subtract(1, q), p));
  const Q = ew.where(edge, atEdge(1), ew.where(useFraction, q, ew.subtract(1, p)));
  return [P, Q];
}

/** d P / d x: the Gamma(a) density at x. */
const density = (a: Tracer, x: Tracer): Tracer =>
  ew.exp(ew.subtract(ew.subtract(ew.multiply(ew.subtract(a, 1), ew.log(x)), x), lgamma(a)));

/** d P / d a = −random_gamma_grad(a, x) · density (random_gamma_grad is −∂P/∂a ÷ density). */
const dPda = (a: Tracer, x: Tracer): Tracer => {
  const atZero = ew.equal(x, 0); // P(a, 0) = 0 for every a
  const safeX = ew.where(atZero, 1, x);
  return ew.where(atZero, 0, ew.negative(ew.multiply(random_gamma_grad(a, safeX), density(a, safeX))));
};

const igammaP = custom_jvp((a: Tracer, x: Tracer): Tracer => incompleteGamma(a, x)[0]);
igammaP.defjvp(([a, x]: Tracer[], [ta, tx]: Tracer[]) => {
  const y = incompleteGamma(a!, x!)[0];
  return [y, ew.add(ew.multiply(ta!, dPda(a!, x!)), ew.multiply(tx!, density(a!, x!)))];
});

const igammaQ = custom_jvp((a: Tracer, x: Tracer): Tracer => incompleteGamma(a, x)[1]);
igammaQ.defjvp(([a, x]: Tracer[], [ta, tx]: Tracer[]) => {
  const y = incompleteGamma(a!, x!)[1];
  return [y, ew.negative(ew.add(ew.multiply(ta!, dPda(a!, x!)), ew.multiply(tx!, density(a!, x!))))];
});

/** `lax.igamma(a, x)`: the regularized lower incomplete gamma function P(a, x). */
export function igamma(a: ArrayLike, x: ArrayLike): Tracer {
  const [av, xv] = [floatOnly("igamma", a), floatOnly("igamma", x)];
  const shape = broadcastShapes("lax.igamma", [av.shape, xv.shape]);
  return igammaP(broadcast_to(av, shape), broadcast_to(xv, shape));
}

/** `lax.igammac(a, x)`: the regularized upper incomplete gamma function Q(a, x) = 1 − P(a, x),
 *  accurate where P is near 1. */
export function igammac(a: ArrayLike, x: ArrayLike): Tracer {
  const [av, xv] = [floatOnly("igammac", a), floatOnly("igammac", x)];
  const shape = broadcastShapes("lax.igammac", [av.shape, xv.shape]);
  return igammaQ(broadcast_to(av, shape), broadcast_to(xv, shape));
}
