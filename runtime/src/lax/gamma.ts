// lax.lgamma and lax.digamma in float32, composed from elementwise ops (one fused kernel each):
// lgamma by Lanczos' approximation (g = 7, nine terms, as XLA's) with the reflection formula
// below 1/2; digamma by its asymptotic series at x + 6 less the six steps of its recurrence,
// and the reflection formula at x ≤ 0. Their derivatives are the formulas' own, so grad of
// lgamma is digamma to float32 precision. At the poles (0, -1, -2, …) lgamma is +inf and
// digamma NaN, as JAX's. random_gamma_grad differentiates a gamma draw in its shape.

import type { Tracer } from "../trace/core.js";
import * as ew from "../np/elementwise.js";
import { floor, logical_and } from "../np/mathSurface.js";
import { array } from "../np/creation.js";
import { any } from "../np/reduceSurface.js";
import { broadcast_to } from "../np/shape.js";
import { while_loop } from "./control.js";
import { tan } from "../np/trig.js";
import { broadcastShapes, cast, type ArrayLike } from "../np/promote.js";
import { floatOnly } from "./special.js";

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** lgamma for x ≥ 1/2 (where the series converges well). */
function lanczos(x: Tracer): Tracer {
  const z = ew.subtract(x, 1);
  let a: Tracer = ew.add(ew.multiply(z, 0), LANCZOS[0]!);
  for (let i = 1; i < LANCZOS.length; i++) a = ew.add(a, ew.divide(LANCZOS[i]!, ew.add(z, i)));
  const t = ew.add(z, LANCZOS_G + 0.5);
  return ew.add(ew.add(HALF_LOG_2PI, ew.multiply(ew.add(z, 0.5), ew.log(t))), ew.subtract(ew.log(a), t));
}

/** |sin(πx)| from x's distance to the nearest integer, so it is exact near the poles. */
function absSinPi(x: Tracer): Tracer {
  const frac = ew.subtract(x, floor(x));
  return ew.sin(ew.multiply(ew.minimum(frac, ew.subtract(1, frac)), Math.PI));
}

const isPole = (x: Tracer): Tracer => logical_and(ew.less_equal(x, 0), ew.equal(x, floor(x)));

/** log|Γ(x)|. */
export function lgamma(x: ArrayLike): Tracer {
  const t = floatOnly("lgamma", x);
  const reflect = ew.less(t, 0.5);
  const safe = ew.where(reflect, ew.subtract(1, t), t); // ≥ 1/2 on both branches
  const direct = lanczos(safe);
  // The branch not taken is still differentiated (times 0): keep it finite, away from sin(πx) = 0.
  const rx = ew.where(logical_and(reflect, ew.logical_not(isPole(t))), t, 0.25);
  const reflected = ew.subtract(ew.subtract(Math.log(Math.PI), ew.log(absSinPi(rx))), direct);
  return ew.where(isPole(t), Infinity, ew.where(reflect, reflected, direct));
}

/** ψ(x) = d/dx log Γ(x) for x > 0: the asymptotic series at y = x + 6, less 1/x + … + 1/(x+5). */
function digammaPositive(x: Tracer): Tracer {
  const y = ew.add(x, 6);
  const inv = ew.divide(1, y);
  const inv2 = ew.square(inv);
  // ln y - 1/(2y) - Σ B₂ₖ/(2k y²ᵏ), through y⁻⁸
  const series = ew.multiply(
    inv2,
    ew.add(
      -1 / 12,
      ew.multiply(inv2, ew.add(1 / 120, ew.multiply(inv2, ew.add(-1 / 252, ew.multiply(inv2, 1 / 240))))),
    ),
  );
  let r = ew.add(ew.subtract(ew.log(y), ew.multiply(inv, 0.5)), series);
  for (let k = 0; k < 6; k++) r = ew.subtract(r, ew.divide(1, ew.add(x, k)));
  return r;
}

/** ψ(x), the derivative of lgamma. */
export function digamma(x: ArrayLike): Tracer {
  const t = floatOnly("digamma", x);
  const reflect = ew.less_equal(t, 0);
  const pos = digammaPositive(ew.where(reflect, ew.subtract(1, t), t));
  // tan has period π; the branch not taken (and a pole) reads 0.25, where tan is finite.
  const rx = ew.where(logical_and(reflect, ew.logical_not(isPole(t))), t, 0.25);
  const reflected = ew.subtract(pos, ew.divide(Math.PI, tan(ew.multiply(ew.subtract(rx, floor(rx)), Math.PI))));
  return ew.where(isPole(t), NaN, ew.where(reflect, reflected, pos));
}

/**
 * d x / d a for x a Gamma(a, 1) draw, held at its quantile (implicit differentiation of the CDF,
 * as JAX's lax.random_gamma_grad): −∂P(a, x)/∂a ÷ the density at x. With P's series
 * e^{a ln x − x − lgamma(a+1)} · S, S = Σ tₙ (t₀ = 1, tₙ = tₙ₋₁ · x/(a+n)), this is
 * −(x/a) · (S · (ln x − ψ(a+1)) + ∂S/∂a), where ∂tₙ/∂a = tₙ · rₙ with rₙ = −Σ_{k≤n} 1/(a+k). The
 * terms are summed in a while_loop until every element's last term is below 1e-9 of its sum.
 */
export function random_gamma_grad(a: ArrayLike, x: ArrayLike): Tracer {
  const av = floatOnly("random_gamma_grad", a);
  const xv = floatOnly("random_gamma_grad", x);
  const shape = broadcastShapes("lax.random_gamma_grad", [av.shape, xv.shape]);
  const [al, xl] = [broadcast_to(av, shape), broadcast_to(xv, shape)];
  type Sums = [Tracer, Tracer, Tracer, Tracer, Tracer]; // step, term, its log-derivative, S, ∂S/∂a
  const one = ew.add(ew.multiply(al, 0), 1);
  const init: Sums = [array(1, { dtype: "int32" }), one, ew.multiply(al, 0), one, ew.multiply(al, 0)];
  const [, , , s, ds] = while_loop<Sums>(
    ([m, t, , sum]) => logical_and(ew.less(m, 20000), any(ew.greater(t, ew.multiply(sum, 1e-9)))),
    ([m, t, r, sum, dsum]) => {
      const am = ew.add(al, cast(m, "float32"));
      const tNext = ew.multiply(t, ew.divide(xl, am));
      const rNext = ew.subtract(r, ew.divide(1, am));
      return [ew.add(m, 1), tNext, rNext, ew.add(sum, tNext), ew.add(dsum, ew.multiply(tNext, rNext))];
    },
    init,
  );
  const inner = ew.add(ew.multiply(s, ew.subtract(ew.log(xl), digamma(ew.add(al, 1)))), ds);
  return ew.negative(ew.multiply(ew.divide(xl, al), inner));
}
