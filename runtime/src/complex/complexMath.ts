// Arithmetic on complex arrays (trace/complexValue.ts), written as real ops on the two parts.
// A real operand is a complex one whose imaginary part is known to be zero: those terms are left
// out rather than multiplied by zeros, so mixing real and complex costs no more than it must.
// The np namespace routes to these when an operand is complex (complex/npDispatch.ts).

import { JitScopeError } from "../ir/errors.js";
import type { DType } from "../ir/types.js";
import { Complex, isComplex } from "../trace/complexValue.js";
import type { Tracer } from "../trace/core.js";
import { asTracer, cast, type ArrayLike } from "../np/promote.js";
import * as ew from "../np/elementwise.js";
import { zeros } from "../np/creation.js";
import { arctan2, hypot } from "../np/trig.js";
import { mean as realMean, sum as realSum, type AxisArg, type ReduceOptions } from "../np/reductions.js";
import { matmul as realMatmul } from "../np/linalg.js";
import { einsum as realEinsum } from "../np/einsum.js";
import { broadcast_to } from "../np/shape.js";
import { broadcastShapes } from "../np/promote.js";

/** A complex array or anything a real np function takes. */
export type ComplexLike = Complex | ArrayLike;

/** The two parts of an operand, as float32; `im` is null for a real one. */
export interface Parts {
  readonly re: Tracer;
  readonly im: Tracer | null;
}

export function parts(op: string, x: ComplexLike): Parts {
  if (isComplex(x)) return { re: x.re, im: x.im };
  return { re: cast(asTracer(op, x), "float32"), im: null };
}

/** A Complex from parts, a missing imaginary part made zeros. */
export function fromParts({ re, im }: Parts): Complex {
  return new Complex(re, im ?? zeros(re.shape, { dtype: "float32" }));
}

/** lax.complex(x, y): x + i·y, broadcast together (float32 parts). */
export function complex(x: ArrayLike, y: ArrayLike): Complex {
  const re = cast(asTracer("complex", x), "float32");
  const im = cast(asTracer("complex", y), "float32");
  const shape = broadcastShapes("complex", [re.shape, im.shape]);
  return new Complex(broadcast_to(re, shape), broadcast_to(im, shape));
}

/** Both parts broadcast to the operands' common shape (for the results of + and −). */
function broadcastParts(p: Parts, shape: readonly number[]): Parts {
  return { re: broadcast_to(p.re, shape), im: p.im && broadcast_to(p.im, shape) };
}

function commonShape(op: string, a: Parts, b: Parts): number[] {
  return broadcastShapes(op, [a.re.shape, b.re.shape]);
}

export function add(x: ComplexLike, y: ComplexLike): Complex {
  const [a, b] = [parts("add", x), parts("add", y)];
  const im = a.im && b.im ? ew.add(a.im, b.im) : (a.im ?? b.im);
  return fromParts(broadcastParts({ re: ew.add(a.re, b.re), im }, commonShape("add", a, b)));
}

export function subtract(x: ComplexLike, y: ComplexLike): Complex {
  const [a, b] = [parts("subtract", x), parts("subtract", y)];
  const im = a.im && b.im ? ew.subtract(a.im, b.im) : (a.im ?? (b.im && ew.negative(b.im)));
  return fromParts(broadcastParts({ re: ew.subtract(a.re, b.re), im }, commonShape("subtract", a, b)));
}

/** (a + ib)(c + id) = (ac − bd) + i(ad + bc). */
export function multiply(x: ComplexLike, y: ComplexLike): Complex {
  const [a, b] = [parts("multiply", x), parts("multiply", y)];
  const re = a.im && b.im ? ew.subtract(ew.multiply(a.re, b.re), ew.multiply(a.im, b.im)) : ew.multiply(a.re, b.re);
  const terms = [a.im && ew.multiply(a.im, b.re), b.im && ew.multiply(a.re, b.im)].filter((t) => t !== null);
  const im = terms.length === 2 ? ew.add(terms[0]!, terms[1]!) : (terms[0] ?? null);
  return fromParts(broadcastParts({ re, im }, commonShape("multiply", a, b)));
}

/** (a + ib)/(c + id) = ((ac + bd) + i(bc − ad)) / (c² + d²); by a real c, each part over c. */
export function divide(x: ComplexLike, y: ComplexLike): Complex {
  const [a, b] = [parts("divide", x), parts("divide", y)];
  const shape = commonShape("divide", a, b);
  if (!b.im) return fromParts(broadcastParts({ re: ew.divide(a.re, b.re), im: a.im && ew.divide(a.im, b.re) }, shape));
  const den = ew.add(ew.multiply(b.re, b.re), ew.multiply(b.im, b.im));
  const reNum = a.im ? ew.add(ew.multiply(a.re, b.re), ew.multiply(a.im, b.im)) : ew.multiply(a.re, b.re);
  const imNum = a.im
    ? ew.subtract(ew.multiply(a.im, b.re), ew.multiply(a.re, b.im))
    : ew.negative(ew.multiply(a.re, b.im));
  return fromParts(broadcastParts({ re: ew.divide(reNum, den), im: ew.divide(imNum, den) }, shape));
}

export const negative = (z: Complex): Complex => new Complex(ew.negative(z.re), ew.negative(z.im));
export const conj = (z: Complex): Complex => new Complex(z.re, ew.negative(z.im));

/** |z| = hypot(re, im) (no overflow for large parts). */
export const abs = (z: Complex): Tracer => hypot(z.re, z.im);

/** The argument of z in radians, atan2(im, re). */
export const angle = (z: Complex): Tracer => arctan2(z.im, z.re);

/** e^z = e^re (cos im + i sin im). */
export function exp(z: Complex): Complex {
  const r = ew.exp(z.re);
  return new Complex(ew.multiply(r, ew.cos(z.im)), ew.multiply(r, ew.sin(z.im)));
}

/** The principal logarithm: log|z| + i·angle(z). */
export const log = (z: Complex): Complex => new Complex(ew.log(abs(z)), angle(z));

/** The principal square root: √((|z| + re)/2) + i·sign(im)·√((|z| − re)/2). */
export function sqrt(z: Complex): Complex {
  const r = abs(z);
  const re = ew.sqrt(ew.multiply(ew.add(r, z.re), 0.5));
  const mag = ew.sqrt(ew.maximum(ew.multiply(ew.subtract(r, z.re), 0.5), 0));
  // A −0 imaginary part takes the upper root, as JAX's sqrt does (NumPy's takes the lower).
  const im = ew.where(ew.less(z.im, 0), ew.negative(mag), mag);
  return new Complex(re, im);
}

export const square = (z: Complex): Complex => multiply(z, z);

export function sum(z: Complex, axis?: AxisArg, options?: ReduceOptions): Complex {
  return new Complex(realSum(z.re, axis, options), realSum(z.im, axis, options));
}

export function mean(z: Complex, axis?: AxisArg, options?: ReduceOptions): Complex {
  return new Complex(realMean(z.re, axis, options), realMean(z.im, axis, options));
}

/** A bilinear product of complex operands from four (or, with a real one, two) real products. */
function bilinear(op: string, x: ComplexLike, y: ComplexLike, f: (a: Tracer, b: Tracer) => Tracer): Complex {
  const [a, b] = [parts(op, x), parts(op, y)];
  const re = a.im && b.im ? ew.subtract(f(a.re, b.re), f(a.im, b.im)) : f(a.re, b.re);
  const terms = [a.im && f(a.im, b.re), b.im && f(a.re, b.im)].filter((t) => t !== null);
  const im = terms.length === 2 ? ew.add(terms[0]!, terms[1]!) : terms[0]!;
  return new Complex(re, im);
}

export const matmul = (x: ComplexLike, y: ComplexLike): Complex => bilinear("matmul", x, y, realMatmul);

/** einsum over two operands, either or both complex. */
export function einsum(subscripts: string, ...operands: ComplexLike[]): Complex {
  if (operands.length === 1) {
    const z = parts("einsum", operands[0]!);
    return fromParts({ re: realEinsum(subscripts, z.re), im: z.im && realEinsum(subscripts, z.im) });
  }
  if (operands.length !== 2)
    throw new JitScopeError(
      "value",
      `einsum: with complex operands, give one or two (got ${operands.length}); chain two-operand einsums for more`,
    );
  return bilinear("einsum", operands[0]!, operands[1]!, (a, b) => realEinsum(subscripts, a, b));
}

/** z's parts through a real function of one array (reshape, transpose, slice, …). */
export function eachPart(z: Complex, f: (part: Tracer) => Tracer): Complex {
  return new Complex(f(z.re), f(z.im));
}

/** `astype`: to complex64 a real array gains a zero imaginary part; a complex array to a real
 *  dtype keeps its real part (JAX does so too, with a warning). */
export function astype(x: ComplexLike, dtype: DType | "complex64"): Complex | Tracer {
  if (dtype === "complex64") return isComplex(x) ? x : fromParts(parts("astype", x));
  if (!isComplex(x)) return cast(asTracer("astype", x), dtype);
  return cast(x.re, dtype);
}
