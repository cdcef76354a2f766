// lax.lgamma and lax.digamma in float32, composed from elementwise ops (one fused kernel each):
// lgamma by Lanczos' approximation (g = 7, nine terms, as XLA's) with the reflection formula
// below 1/2; digamma by its asymptotic series at x + 6 less the six steps of its recurrence,
// and the reflection formula at x ≤ 0. Their derivatives are the formulas' own, so grad of
// lgamma is digamma to float32 precision. At the poles (0, -1, -2, …) lgamma is +inf and
// digamma NaN, as JAX's.

import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import * as ew from "../np/elementwise.js";
import { floor, logical_and } from "../np/mathSurface.js";
import { tan } from "../np/trig.js";
import { asTracer, type ArrayLike } from "../np/promote.js";

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

function floatOnly(op: string, x: ArrayLike): Tracer {
  const t = typeof x === "number" ? asTracer(op, x, "float32") : asTracer(op, x);
  if (t.dtype !== "float32")
    throw new JitScopeError(
      "dtype",
      `lax.${op} takes float32, got ${t.dtype}; cast it first, as JAX's lax.${op} requires`,
    );
  return t;
}

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
