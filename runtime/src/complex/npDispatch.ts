// The np functions that take complex arrays: each routes to complexMath.ts when an operand is
// complex and to the real function otherwise, so `np.multiply(z, w)`, `np.sum(z)` and
// `np.abs(z)` read as in JAX. The result type follows the operands: a real call stays a Tracer.
// Other np functions refuse a complex operand with a message naming these (np/promote.ts).

import { JitScopeError } from "../ir/errors.js";
import type { DType } from "../ir/types.js";
import { Complex, isComplex } from "../trace/complexValue.js";
import type { Tracer } from "../trace/core.js";
import * as ew from "../np/elementwise.js";
import * as parts from "../np/realParts.js";
import { zeros as realZeros, zeros_like as realZerosLike, type DTypeOption } from "../np/creation.js";
import { einsum as realEinsum } from "../np/einsum.js";
import { dot as realDot, matmul as realMatmul } from "../np/linalg.js";
import type { ArrayLike } from "../np/promote.js";
import type { WhereOptions } from "../np/reduceWhere.js";
import {
  mean as realMean,
  sum as realSum,
  type AxisArg,
  type ReduceOptions,
  type ReduceWhereOptions,
} from "../np/reductions.js";
import * as shape from "../np/shape.js";
import { moveaxis as realMoveaxis } from "../np/stacking.js";
import { flip as realFlip, roll as realRoll } from "../np/shapeSurface.js";
import { pad as realPad, type PadOptions, type PadWidth } from "../np/pad.js";
import * as cm from "./complexMath.js";
import type { ComplexLike } from "./complexMath.js";

/** A function of two operands: real in, real out; a complex operand makes the result complex.
 *  The real signature comes first: it is the one an editor's hover shows. */
interface Binary {
  (x: ArrayLike, y: ArrayLike): Tracer;
  (x: Complex, y: ComplexLike): Complex;
  (x: ComplexLike, y: Complex): Complex;
  /** Again last: a function passed as a value (`vmap(np.add)`) takes its last signature. */
  (x: ArrayLike, y: ArrayLike): Tracer;
}

const anyComplex = (...xs: unknown[]): boolean => xs.some(isComplex);

const binary = (
  real: (x: ArrayLike, y: ArrayLike) => Tracer,
  cplx: (x: ComplexLike, y: ComplexLike) => Complex,
): Binary =>
  ((x: ComplexLike, y: ComplexLike) =>
    anyComplex(x, y) ? cplx(x, y) : real(x as ArrayLike, y as ArrayLike)) as Binary;

export const add = binary(ew.add, cm.add);
export const subtract = binary(ew.subtract, cm.subtract);
export const multiply = binary(ew.multiply, cm.multiply);
export const divide = binary(ew.divide, cm.divide);
export const matmul = binary(realMatmul, cm.matmul);
export const dot = binary(realDot, cm.matmul);

/** A function of one operand; `R` is its result for a complex one. */
interface Unary<R> {
  (x: ArrayLike): Tracer;
  (x: Complex): R;
  /** A leaf of either kind (tree.map over a tree holding both). */
  (x: ComplexLike): Tracer | R;
  (x: ArrayLike): Tracer;
}

const unary = <R>(real: (x: ArrayLike) => Tracer, cplx: (z: Complex) => R): Unary<R> =>
  ((x: ComplexLike) => (isComplex(x) ? cplx(x) : real(x as ArrayLike))) as Unary<R>;

export const negative = unary(ew.negative, cm.negative);
export const exp = unary(ew.exp, cm.exp);
export const log = unary(ew.log, cm.log);
export const sqrt = unary(ew.sqrt, cm.sqrt);
export const square = unary(ew.square, cm.square);
export const conj = unary(parts.conj, cm.conj);
export const conjugate = unary(parts.conjugate, cm.conj);
/** |z| of a complex array is real. */
export const abs = (x: ComplexLike): Tracer => (isComplex(x) ? cm.abs(x) : ew.abs(x));
export const real = (x: ComplexLike): Tracer => (isComplex(x) ? x.re : parts.real(x));
export const imag = (x: ComplexLike): Tracer => (isComplex(x) ? x.im : parts.imag(x));
export const angle = (x: ComplexLike, options: { deg?: boolean } = {}): Tracer =>
  isComplex(x) ? (options.deg ? ew.multiply(cm.angle(x), 180 / Math.PI) : cm.angle(x)) : parts.angle(x, options);
export const iscomplexobj = (x: unknown): boolean => isComplex(x) || parts.iscomplexobj(x as ArrayLike);
export const isrealobj = (x: unknown): boolean => !isComplex(x) && parts.isrealobj(x as ArrayLike);
export const iscomplex = (x: ComplexLike): Tracer => (isComplex(x) ? ew.not_equal(x.im, 0) : parts.iscomplex(x));
export const isreal = (x: ComplexLike): Tracer => (isComplex(x) ? ew.equal(x.im, 0) : parts.isreal(x));

export function sum(x: ArrayLike, axis?: AxisArg, options?: ReduceWhereOptions): Tracer;
export function sum(x: Complex, axis?: AxisArg, options?: ReduceWhereOptions): Complex;
export function sum(x: ArrayLike, axis?: AxisArg, options?: ReduceWhereOptions): Tracer;
export function sum(x: ComplexLike, axis?: AxisArg, options?: ReduceWhereOptions): Tracer | Complex {
  return isComplex(x) ? cm.sum(x, axis, options) : realSum(x, axis, options);
}
export function mean(x: ArrayLike, axis?: AxisArg, options?: ReduceOptions & WhereOptions): Tracer;
export function mean(x: Complex, axis?: AxisArg, options?: ReduceOptions & WhereOptions): Complex;
export function mean(x: ArrayLike, axis?: AxisArg, options?: ReduceOptions & WhereOptions): Tracer;
export function mean(x: ComplexLike, axis?: AxisArg, options?: ReduceOptions & WhereOptions): Tracer | Complex {
  return isComplex(x) ? cm.mean(x, axis, options) : realMean(x, axis, options);
}

export function einsum(subscripts: string, ...operands: ArrayLike[]): Tracer;
export function einsum(subscripts: string, ...operands: ComplexLike[]): Complex;
export function einsum(subscripts: string, ...operands: ComplexLike[]): Tracer | Complex {
  return anyComplex(...operands)
    ? cm.einsum(subscripts, ...operands)
    : realEinsum(subscripts, ...(operands as ArrayLike[]));
}

/** A function of one array's layout (reshape, transpose, …), applied to each part of a complex one. */
interface Layout<Args extends unknown[]> {
  (x: ArrayLike, ...args: Args): Tracer;
  (x: Complex, ...args: Args): Complex;
  (x: ArrayLike, ...args: Args): Tracer;
}

const layout = <Args extends unknown[]>(real: (x: ArrayLike, ...args: Args) => Tracer): Layout<Args> =>
  ((x: ComplexLike, ...args: Args) =>
    isComplex(x) ? cm.eachPart(x, (p) => real(p, ...args)) : real(x as ArrayLike, ...args)) as Layout<Args>;

export const reshape = layout(shape.reshape);
export const transpose = layout(shape.transpose);
export const swapaxes = layout(shape.swapaxes);
export const moveaxis = layout(realMoveaxis);
export const expand_dims = layout(shape.expand_dims);
export const squeeze = layout(shape.squeeze);
export const broadcast_to = layout(shape.broadcast_to);
export const ravel = layout(shape.ravel);
export const flip = layout(realFlip);
export const roll = layout(realRoll);
/** pad: a complex array part by part; a constant other than 0 would pad the imaginary part too. */
const padParts = layout((x: ArrayLike, width: PadWidth, options: PadOptions = {}): Tracer =>
  realPad(x, width, options),
);
export const pad: typeof padParts = ((x: ComplexLike, width: PadWidth, options: PadOptions = {}) => {
  if (isComplex(x) && options.constant_values !== undefined && options.constant_values !== 0)
    throw new JitScopeError(
      "value",
      `pad: a complex array is padded with zeros here; constant_values ${JSON.stringify(options.constant_values)} is not supported`,
    );
  return padParts(x as ArrayLike, width, options);
}) as typeof padParts;

/** Joins real and complex arrays (a real one gains a zero imaginary part). */
function joined(
  name: string,
  op: (xs: readonly ArrayLike[], axis: number) => Tracer,
  arrays: readonly ComplexLike[] | Tracer,
  axis: number,
): Tracer | Complex {
  if (!Array.isArray(arrays) || !anyComplex(...arrays)) return op(arrays as readonly ArrayLike[], axis);
  const ps = (arrays as readonly ComplexLike[]).map((a) => cm.fromParts(cm.parts(name, a)));
  return new Complex(
    op(
      ps.map((p) => p.re),
      axis,
    ),
    op(
      ps.map((p) => p.im),
      axis,
    ),
  );
}
export function concatenate(arrays: readonly ArrayLike[], axis?: number): Tracer;
export function concatenate(arrays: readonly ComplexLike[], axis?: number): Complex;
export function concatenate(arrays: readonly ComplexLike[], axis = 0): Tracer | Complex {
  return joined("concatenate", shape.concatenate, arrays, axis);
}
export function stack(arrays: readonly ArrayLike[] | Tracer, axis?: number): Tracer;
export function stack(arrays: readonly ComplexLike[], axis?: number): Complex;
export function stack(arrays: readonly ComplexLike[] | Tracer, axis = 0): Tracer | Complex {
  return joined("stack", (xs, ax) => shape.stack(xs, ax), arrays, axis);
}

/** where(cond, a, b) with either branch complex. */
export function where(cond: ArrayLike, a: ArrayLike, b: ArrayLike): Tracer;
export function where(cond: ArrayLike, a: Complex, b: ComplexLike): Complex;
export function where(cond: ArrayLike, a: ComplexLike, b: Complex): Complex;
export function where(cond: ArrayLike, a: ArrayLike, b: ArrayLike): Tracer;
export function where(cond: ArrayLike, a: ComplexLike, b: ComplexLike): Tracer | Complex {
  if (!anyComplex(a, b)) return ew.where(cond, a as ArrayLike, b as ArrayLike);
  const [x, y] = [cm.fromParts(cm.parts("where", a)), cm.fromParts(cm.parts("where", b))];
  return new Complex(ew.where(cond, x.re, y.re), ew.where(cond, x.im, y.im));
}

/** astype, with "complex64" as a target. */
export function astype(x: ComplexLike, dtype: "complex64"): Complex;
export function astype(x: ComplexLike, dtype: DType): Tracer;
export function astype(x: ComplexLike, dtype: DType | "complex64"): Tracer | Complex {
  return dtype === "complex64" || isComplex(x) ? cm.astype(x, dtype) : ew.astype(x as ArrayLike, dtype);
}

/** zeros with `dtype: "complex64"` gives a complex array. */
export function zeros(shapeArg: number | readonly number[], options?: DTypeOption): Tracer;
export function zeros(shapeArg: number | readonly number[], options: { dtype: "complex64" }): Complex;
export function zeros(shapeArg: number | readonly number[], options?: DTypeOption): Tracer;
export function zeros(
  shapeArg: number | readonly number[],
  options: DTypeOption | { dtype: "complex64" } = {},
): Tracer | Complex {
  if (options.dtype === "complex64") {
    const z = realZeros(shapeArg, { dtype: "float32" });
    return new Complex(z, z);
  }
  return realZeros(shapeArg, options as DTypeOption);
}

export function zeros_like(x: Tracer, options?: DTypeOption): Tracer;
export function zeros_like(x: Complex, options?: { dtype?: "complex64" }): Complex;
export function zeros_like(x: Tracer | Complex, options: { dtype: "complex64" }): Complex;
export function zeros_like(x: Tracer, options?: DTypeOption): Tracer;
export function zeros_like(x: ComplexLike, options: DTypeOption | { dtype?: "complex64" } = {}): Tracer | Complex {
  if (isComplex(x) || options.dtype === "complex64") {
    const z = realZeros(isComplex(x) ? x.shape : ((x as Tracer).shape ?? []), { dtype: "float32" });
    return options.dtype !== undefined && options.dtype !== "complex64"
      ? realZerosLike(z, options as DTypeOption)
      : new Complex(z, z);
  }
  return realZerosLike(x as Tracer, options as DTypeOption);
}
