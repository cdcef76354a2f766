// Dtype promotion and broadcasting for the np front end, done BEFORE bind (the primitives want
// operands of one dtype and one shape, or rank-0 literals).
//
// Promotion follows JAX: bool < int32 < float32. A JS number is weakly typed: it takes the array
// operand's dtype, except that a non-integer number with an int32/bool array gives float32 and an
// integer number with a bool array gives int32. Two JS numbers give int32 if both are integers,
// else float32.

import { JitScopeError } from "../ir/errors.js";
import type { DType, Lit } from "../ir/types.js";
import { bind1, lit, Tracer } from "../trace/core.js";
import { isComplex } from "../trace/complexValue.js";
import { scalarArray } from "./host.js";
import { avalText, sameShape, shapeText } from "./validate.js";

/** What every np function accepts where an array is expected. */
export type ArrayLike = Tracer | number;

const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2 };

export function promoteTypes(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

/** The dtype a JS number takes on its own. */
export function numberDType(n: number): DType {
  return Number.isInteger(n) ? "int32" : "float32";
}

/** The dtype a weakly typed number gives next to an array of `strong` dtype. */
export function weakPromote(strong: DType, n: number): DType {
  if (strong === "float32") return "float32";
  if (!Number.isInteger(n)) return "float32";
  return strong === "bool" ? "int32" : strong;
}

/** The np functions that take complex operands (complex/npDispatch.ts): reaching a real one's
 *  check with a complex operand means a real array's method was given it (`x.mul(z)`). */
const COMPLEX_AWARE = new Set([
  "add",
  "subtract",
  "multiply",
  "divide",
  "matmul",
  "dot",
  "where",
  "concatenate",
  "stack",
]);

export function checkArrayLike(op: string, x: unknown, what = "argument"): ArrayLike {
  if (x instanceof Tracer) return x;
  if (typeof x === "number") return x;
  if (typeof x === "boolean") return x ? 1 : 0;
  if (isComplex(x))
    throw new JitScopeError(
      "dtype",
      COMPLEX_AWARE.has(op)
        ? `${op}: ${what} is complex64[${x.shape}]: a real array's methods take real operands; np.${op}(x, z) takes complex ones`
        : `${op}: ${what} is complex64[${x.shape}], and ${op} takes real arrays only; complex arrays go through ` +
            `add, subtract, multiply, divide, negative, abs, angle, real, imag, conj, exp, log, sqrt, square, sum, mean, ` +
            `matmul, dot, einsum, where, concatenate, stack, the layout functions (reshape, transpose, …) and np.fft`,
    );
  if (x !== null && typeof x === "object" && Object.getPrototypeOf(x) === Object.prototype) {
    // Most often a Python keyword argument written in a positional place: np.histogram(x, { bins: 5 }).
    const keys = `{ ${Object.keys(x).join(", ")} }`;
    throw new JitScopeError(
      "value",
      `${op}: ${what} must be an Array or a number, got an object ${keys}: pass each of JAX's keyword ` +
        `arguments in its own place among the arguments, or in the options object that comes last (see ${op}'s signature)`,
    );
  }
  throw new JitScopeError(
    "value",
    `${op}: ${what} must be an Array or a number, got ${describeValue(x)}; wrap JS lists with np.array(...)`,
  );
}

function describeValue(x: unknown): string {
  if (x === null) return "null";
  if (Array.isArray(x)) return "a JS list";
  return typeof x;
}

/** An array operand: numbers become rank-0 arrays of `dtype` (or their own dtype). */
export function asTracer(op: string, x: unknown, dtype?: DType): Tracer {
  const v = checkArrayLike(op, x);
  if (v instanceof Tracer) return dtype ? cast(v, dtype) : v;
  return scalarArray(v, dtype ?? numberDType(v));
}

export function cast(x: Tracer, dtype: DType): Tracer {
  return x.dtype === dtype ? x : bind1("cast", { dtype }, [x]);
}

export function castLitValue(v: number, dtype: DType): number {
  if (dtype === "bool") return v !== 0 ? 1 : 0;
  if (dtype === "int32") return Math.trunc(v) | 0;
  return Math.fround(v);
}

/** NumPy broadcasting of two shapes; throws naming the op and both operands. */
/** `describe` (called only on failure) names the operands in the message. */
export function broadcastShapes(
  op: string,
  shapes: readonly (readonly number[])[],
  describe?: () => readonly string[],
): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out: number[] = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    const off = rank - s.length;
    for (let i = 0; i < s.length; i++) {
      const d = s[i]!;
      const cur = out[off + i]!;
      if (d === cur || d === 1) continue;
      if (cur === 1) {
        out[off + i] = d;
        continue;
      }
      const described = describe ? describe() : shapes.map((x) => shapeText(x));
      throw new JitScopeError(
        "shape",
        `${op}: operands could not be broadcast together: ${described.join(" and ")} ` +
          `(axis ${i - s.length} has size ${d}, other operand ${cur})`,
      );
    }
  }
  return out;
}

/** Broadcasts `x` to `shape` (which must be a valid broadcast target for x). */
export function broadcastTo(x: Tracer, shape: readonly number[]): Tracer {
  if (sameShape(x.aval.shape, shape)) return x;
  const off = shape.length - x.ndim;
  const dims = Array.from({ length: x.ndim }, (_, i) => i + off);
  return bind1("broadcast", { shape: [...shape], dims }, [x]);
}

export type Operand = Tracer | Lit;

/** The common dtype of elementwise operands (numbers weakly typed). */
export function commonDType(vals: readonly ArrayLike[]): DType {
  const arrays = vals.filter((v): v is Tracer => v instanceof Tracer);
  let dtype: DType = "bool";
  if (arrays.length === 0) {
    for (const v of vals) dtype = promoteTypes(dtype, numberDType(v as number));
    return dtype;
  }
  dtype = arrays.map((a) => a.dtype).reduce(promoteTypes);
  for (const v of vals) if (typeof v === "number") dtype = promoteTypes(dtype, weakPromote(dtype, v));
  return dtype;
}

/** An operand of dtype `dtype` and shape `shape` (numbers become rank-0 literals). */
export function toOperand(v: ArrayLike, dtype: DType, shape: readonly number[]): Operand {
  return v instanceof Tracer ? broadcastTo(cast(v, dtype), shape) : lit(castLitValue(v, dtype), dtype);
}

/** Prepares operands of an n-ary elementwise op: one dtype, one shape (numbers become literals).
 *  `extraShapes` take part in broadcasting only (where's condition). */
export function elementwiseOperands(
  op: string,
  xs: readonly unknown[],
  forceDType?: (d: DType) => DType,
  extra: readonly Tracer[] = [],
): { ops: Operand[]; dtype: DType; shape: number[] } {
  const vals = xs.map((x, i) => checkArrayLike(op, x, `argument ${i}`));
  let dtype = commonDType(vals);
  if (forceDType) dtype = forceDType(dtype);
  if (!vals.some((v) => v instanceof Tracer) && extra.length === 0) {
    // No array: make the first number a rank-0 array so the op has a shape and a device.
    vals[0] = scalarArray(vals[0] as number, dtype);
  }
  const arrays = [...extra, ...vals.filter((v): v is Tracer => v instanceof Tracer)];
  const shape =
    arrays.length === 1
      ? arrays[0]!.shape
      : broadcastShapes(
          op,
          arrays.map((a) => a.aval.shape),
          () => arrays.map(avalText),
        );
  return { ops: vals.map((v) => toOperand(v, dtype, shape)), dtype, shape };
}
