// The complex forms of power, vdot and linalg.norm, which spectral code reaches for beside the
// arithmetic (|ẑ|², a conjugated inner product, the norm of a residual): each routes to the real
// function when no operand is complex.

import { JitScopeError } from "../ir/errors.js";
import { Complex, isComplex } from "../trace/complexValue.js";
import type { Tracer } from "../trace/core.js";
import * as ew from "../np/elementwise.js";
import { vdot as realVdot } from "../np/matrixSurface.js";
import type { NormOptions, NormOrd } from "../np/norm.js";
import type { ArrayLike } from "../np/promote.js";
import { ravel } from "../np/shape.js";
import { norm as realNorm } from "../lax/spectralNorms.js";
import * as cm from "./complexMath.js";
import type { ComplexLike } from "./complexMath.js";

/** z^p: a whole-number p by repeated squaring (exact for small p, as JAX's integer_pow), any
 *  other exponent as e^(p·log z) on the principal branch. */
function complexPower(x: ComplexLike, p: ComplexLike): Complex {
  if (typeof p === "number" && Number.isInteger(p) && Math.abs(p) <= 64) {
    let base = cm.fromParts(cm.parts("power", x));
    let k = Math.abs(p);
    let out: Complex | null = null;
    while (k > 0) {
      if (k & 1) out = out ? cm.multiply(out, base) : base;
      k >>= 1;
      if (k > 0) base = cm.multiply(base, base);
    }
    const one = out ?? cm.add(cm.multiply(base, 0), 1);
    return p < 0 ? cm.divide(1, one) : one;
  }
  const logx = cm.log(cm.fromParts(cm.parts("power", x)));
  return cm.exp(cm.multiply(p, logx));
}

export function power(x: ArrayLike, p: ArrayLike): Tracer;
export function power(x: Complex, p: ComplexLike): Complex;
export function power(x: ComplexLike, p: Complex): Complex;
export function power(x: ArrayLike, p: ArrayLike): Tracer;
export function power(x: ComplexLike, p: ComplexLike): Tracer | Complex {
  return isComplex(x) || isComplex(p) ? complexPower(x, p) : ew.power(x as ArrayLike, p as ArrayLike);
}

/** vdot(a, b) = Σ conj(a)·b over the flattened arrays, as JAX's. */
export function vdot(a: ArrayLike, b: ArrayLike): Tracer;
export function vdot(a: Complex, b: ComplexLike): Complex;
export function vdot(a: ComplexLike, b: Complex): Complex;
export function vdot(a: ArrayLike, b: ArrayLike): Tracer;
export function vdot(a: ComplexLike, b: ComplexLike): Tracer | Complex {
  if (!isComplex(a) && !isComplex(b)) return realVdot(a as ArrayLike, b as ArrayLike);
  const flat = (v: ComplexLike) => {
    const p = cm.parts("vdot", v);
    return cm.fromParts({ re: ravel(p.re), im: p.im && ravel(p.im) });
  };
  const [x, y] = [flat(a), flat(b)];
  if (x.shape[0] !== y.shape[0])
    throw new JitScopeError("shape", `vdot: a and b must have as many elements, got ${x.shape[0]} and ${y.shape[0]}`);
  return cm.sum(cm.multiply(cm.conj(x), y));
}

/** linalg.norm of a complex array: the vector norms and the matrix norms "fro", 1, −1, ∞, −∞
 *  depend on |z| only, so they are the norm of |z|; the spectral ones (2, −2, "nuc") need a
 *  complex SVD, which is not available. */
export function norm(
  x: ComplexLike,
  ord?: NormOrd | "nuc",
  axis?: number | readonly number[] | null,
  options: NormOptions = {},
): Tracer {
  if (!isComplex(x)) return realNorm(x, ord, axis, options);
  const matrix =
    (axis === undefined || axis === null) && x.ndim === 2 ? true : Array.isArray(axis) && axis.length === 2;
  if (matrix && (ord === 2 || ord === -2 || ord === "nuc"))
    throw new JitScopeError(
      "value",
      `norm: ord ${JSON.stringify(ord)} of a complex matrix needs a complex SVD, which is not available; "fro", 1 and inf are`,
    );
  return realNorm(cm.abs(x), ord, axis, options);
}
