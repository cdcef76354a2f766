// The regularized incomplete beta function I_x(a, b) (lax.betainc, scipy.special.betainc), in
// float32: x^a (1 − x)^b / (a B(a, b)) times the continued fraction of DLMF 8.17.22, evaluated
// by the modified Lentz method in a while_loop until every element's last factor is within
// float32's epsilon of 1. The fraction converges fast for x < (a + 1)/(a + b + 2); above, the
// symmetry I_x(a, b) = 1 − I_{1−x}(b, a) is used. JAX's values at the edges (a or b zero or
// infinite, x at 0 or 1, NaN outside the domain). Its derivative in x is the Beta(a, b) density;
// in a and b it is refused, as JAX refuses it.

import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import { custom_jvp } from "../trace/custom.js";
import { isDifferentiated } from "../trace/customBody.js";
import * as ew from "../np/elementwise.js";
import { array } from "../np/creation.js";
import { isinf, isnan, log1p, logical_and, logical_or } from "../np/mathSurface.js";
import { any } from "../np/reduceSurface.js";
import { broadcast_to } from "../np/shape.js";
import { broadcastShapes, type ArrayLike } from "../np/promote.js";
import { while_loop } from "./control.js";
import { lgamma } from "./gamma.js";
import { floatOnly } from "./special.js";

const EPS = 2 ** -24;
const TINY = 1e-30; // keeps Lentz's ratios away from 0
const MAX_STEPS = 200;

/** The continued fraction 1/(1 + d₁/(1 + d₂/(1 + …))) of DLMF 8.17.22, by modified Lentz. */
function fraction(a: Tracer, b: Tracer, x: Tracer): Tracer {
  const guard = (v: Tracer): Tracer => ew.where(ew.less(ew.abs(v), TINY), TINY, v);
  const d0 = ew.divide(1, guard(ew.subtract(1, ew.divide(ew.multiply(ew.add(a, b), x), ew.add(a, 1)))));
  type S = [Tracer, Tracer, Tracer, Tracer, Tracer]; // m, C, D, h, last factor's distance from 1
  const one = ew.add(ew.multiply(x, 0), 1);
  // One Lentz step with partial numerator `num`.
  const step = (c: Tracer, d: Tracer, num: Tracer): [Tracer, Tracer, Tracer] => {
    const dNext = ew.divide(1, guard(ew.add(1, ew.multiply(num, d))));
    const cNext = guard(ew.add(1, ew.divide(num, c)));
    return [cNext, dNext, ew.multiply(cNext, dNext)];
  };
  const [, , , h] = while_loop<S>(
    ([m, , , , change]) => logical_and(ew.less(m, MAX_STEPS), any(ew.greater(change, EPS))),
    ([m, c, d, h]) => {
      const mf = ew.add(ew.astype(m, "float32"), 1);
      const twoM = ew.multiply(mf, 2);
      // d_{2m} = m(b − m)x / ((a + 2m − 1)(a + 2m)), d_{2m+1} = −(a + m)(a + b + m)x / ((a + 2m)(a + 2m + 1)).
      const even = ew.divide(
        ew.multiply(ew.multiply(mf, ew.subtract(b, mf)), x),
        ew.multiply(ew.add(a, ew.subtract(twoM, 1)), ew.add(a, twoM)),
      );
      const [c1, d1, f1] = step(c, d, even);
      const odd = ew.negative(
        ew.divide(
          ew.multiply(ew.multiply(ew.add(a, mf), ew.add(ew.add(a, b), mf)), x),
          ew.multiply(ew.add(a, twoM), ew.add(ew.add(a, twoM), 1)),
        ),
      );
      const [c2, d2, f2] = step(c1, d1, odd);
      return [ew.add(m, 1), c2, d2, ew.multiply(ew.multiply(h, f1), f2), ew.abs(ew.subtract(f2, 1))];
    },
    [array(0, { dtype: "int32" }), one, d0, d0, one],
  );
  return h;
}

/** log B(a, b). */
const logBeta = (a: Tracer, b: Tracer): Tracer => ew.subtract(ew.add(lgamma(a), lgamma(b)), lgamma(ew.add(a, b)));

/** I_x(a, b) on broadcast float32 arrays, with JAX's edge values. */
function betaincValue(a: Tracer, b: Tracer, x: Tracer): Tracer {
  const aZero = logical_or(ew.equal(a, 0), ew.equal(b, Infinity));
  const bZero = logical_or(ew.equal(b, 0), ew.equal(a, Infinity));
  const [xZero, xOne] = [ew.equal(x, 0), ew.equal(x, 1)];
  const zero = logical_or(logical_and(bZero, ew.logical_not(xOne)), logical_and(aZero, xZero));
  const oneV = logical_or(logical_and(aZero, ew.logical_not(xZero)), logical_and(bZero, xOne));
  const invalid = logical_or(
    logical_or(logical_or(ew.less(a, 0), ew.less(b, 0)), logical_or(ew.less(x, 0), ew.greater(x, 1))),
    logical_or(logical_and(aZero, bZero), logical_or(logical_or(isnan(a), isnan(b)), isnan(x))),
  );
  const edge = logical_or(logical_or(zero, oneV), logical_or(invalid, logical_or(isinf(a), isinf(b))));
  // Elsewhere the fraction runs at a point where it converges at once.
  const [sa, sb, sx] = [ew.where(edge, 1, a), ew.where(edge, 1, b), ew.where(edge, 0.5, x)];
  const direct = ew.less(sx, ew.divide(ew.add(sa, 1), ew.add(ew.add(sa, sb), 2)));
  const [pa, pb, px] = [ew.where(direct, sa, sb), ew.where(direct, sb, sa), ew.where(direct, sx, ew.subtract(1, sx))];
  const front = ew.divide(
    ew.exp(ew.subtract(ew.add(ew.multiply(pa, ew.log(px)), ew.multiply(pb, log1p(ew.negative(px)))), logBeta(pa, pb))),
    pa,
  );
  const inner = ew.multiply(front, fraction(pa, pb, px));
  const value = ew.where(direct, inner, ew.subtract(1, inner));
  return ew.where(invalid, NaN, ew.where(zero, 0, ew.where(oneV, 1, value)));
}

/** d I / d x: the Beta(a, b) density at x. */
const density = (a: Tracer, b: Tracer, x: Tracer): Tracer =>
  ew.exp(
    ew.subtract(
      ew.add(ew.multiply(ew.subtract(a, 1), ew.log(x)), ew.multiply(ew.subtract(b, 1), log1p(ew.negative(x)))),
      logBeta(a, b),
    ),
  );

const betaincRule = custom_jvp((a: Tracer, b: Tracer, x: Tracer): Tracer => betaincValue(a, b, x));
betaincRule.defjvp(([a, b, x]: Tracer[], [, , tx]: Tracer[]) => [
  betaincValue(a!, b!, x!),
  ew.multiply(tx!, density(a!, b!, x!)),
]);

/** `lax.betainc(a, b, x)`: the regularized incomplete beta function I_x(a, b). */
export function betainc(a: ArrayLike, b: ArrayLike, x: ArrayLike): Tracer {
  const [av, bv, xv] = [floatOnly("betainc", a), floatOnly("betainc", b), floatOnly("betainc", x)];
  if (isDifferentiated(av) || isDifferentiated(bv))
    throw new JitScopeError(
      "trace",
      "lax.betainc: its derivative with respect to a and b is not supported (JAX's is not either); differentiate in x only",
    );
  const shape = broadcastShapes("lax.betainc", [av.shape, bv.shape, xv.shape]);
  return betaincRule(broadcast_to(av, shape), broadcast_to(bv, shape), broadcast_to(xv, shape));
}
