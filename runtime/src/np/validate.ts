// Checks on user input for the np front end: shapes, axes, dtypes. Every failure is a
// JitScopeError naming the op and what was given; the error captures the user's file:line.

import { formatAval, formatShape as shapeText } from "@jitscope/contract";
import { JitScopeError } from "../ir/errors.js";
import { isStaging } from "../trace/core.js";
import { DTYPES, type DType } from "../ir/types.js";

export { shapeText };

export function avalText(x: { readonly shape: readonly number[]; readonly dtype: DType }): string {
  return formatAval(x.dtype, x.shape);
}

/** A shape given by the user: finite non-negative integers. Accepts a single number as [n]. */
export function checkShape(op: string, shape: number | readonly number[]): number[] {
  const dims = typeof shape === "number" ? [shape] : [...shape];
  if (!Array.isArray(dims))
    throw new JitScopeError("shape", `${op}: shape must be a number or a list of numbers, got ${String(shape)}`);
  for (const d of dims) {
    if (typeof d !== "number" || !Number.isFinite(d) || !Number.isInteger(d) || d < 0) {
      throw new JitScopeError(
        "shape",
        `${op}: shape ${describeShapeInput(dims)} must hold finite non-negative integers, got ${String(d)}`,
      );
    }
  }
  return dims;
}

function describeShapeInput(dims: readonly unknown[]): string {
  return `[${dims.map((d) => String(d)).join(",")}]`;
}

export function checkDType(op: string, dtype: unknown): DType {
  if (typeof dtype === "string" && (DTYPES as readonly string[]).includes(dtype)) return dtype as DType;
  throw new JitScopeError(
    "dtype",
    `${op}: unsupported dtype ${JSON.stringify(dtype)}; supported: ${DTYPES.join(", ")}` +
      (dtype === "complex64"
        ? ` (complex64 arrays come from np.zeros, np.zeros_like, astype, lax.complex and np.fft)`
        : ""),
  );
}

/** A single axis, possibly negative, for an array of rank `ndim`; returns it non-negative. */
export function normalizeAxis(op: string, axis: number, ndim: number, shape: readonly number[]): number {
  if (typeof axis !== "number" || !Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    throw new JitScopeError(
      "axis",
      `${op}: axis ${String(axis)} is out of bounds for an array of rank ${ndim} (shape ${shapeText(shape)}); valid axes are ${-ndim}..${ndim - 1}`,
    );
  }
  return axis < 0 ? axis + ndim : axis;
}

/** An axis, a list of axes, or undefined (all axes); returns sorted, unique, non-negative axes. */
export function normalizeAxes(
  op: string,
  axis: number | readonly number[] | undefined | null,
  ndim: number,
  shape: readonly number[],
): number[] {
  if (axis === undefined || axis === null) return Array.from({ length: ndim }, (_, i) => i);
  if (typeof axis !== "number" && !Array.isArray(axis)) throw axisTypeError(op, axis);
  const list = typeof axis === "number" ? [axis] : [...axis];
  const out = list.map((a) => normalizeAxis(op, a, ndim, shape));
  const sorted = [...out].sort((a, b) => a - b);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1]) {
      throw new JitScopeError("axis", `${op}: repeated axis in ${JSON.stringify(list)} for shape ${shapeText(shape)}`);
    }
  }
  return sorted;
}

/** An axis argument that is neither a number nor a list: most often options written where the
 *  axis goes (`np.sum(x, { keepdims: true })`, `nn.softmax(x, { axis: 0 })`). */
export function axisTypeError(op: string, axis: unknown): JitScopeError {
  if (typeof axis === "object" && axis !== null) {
    const keys = Object.keys(axis);
    const shown = `{ ${keys.join(", ")} }`;
    const hint =
      keys.length === 1 && keys[0] === "axis"
        ? `pass the axis itself: ${op}(x, ${String((axis as { axis: unknown }).axis)})`
        : `pass the axis first (null for every axis), then the options: ${op}(x, null, ${shown})`;
    return new JitScopeError("axis", `${op}: got an object ${shown} where the axis goes; ${hint}`);
  }
  return new JitScopeError(
    "axis",
    `${op}: axis must be a number, a list of numbers or null, got ${typeof axis === "string" ? JSON.stringify(axis) : String(axis)}`,
  );
}

export { sameShape } from "../ir/types.js";

export function product(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Why a result whose size depends on the values needs that size given: under jit the values do
 *  not exist yet; eagerly an op returns before the device has computed them, so the same holds. */
export function sizeFromValuesNote(): string {
  return isStaging()
    ? "the result's size must be known when tracing (JAX asks the same under jit)"
    : "the result's size must be known before the values are, outside jit too here: an op returns before the device has " +
        "computed them (JAX asks the same under jit); or read the values first with `await x.toArray()` and count on the host";
}
