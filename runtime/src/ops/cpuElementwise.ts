// CPU reference of the elementwise primitives (NumPy semantics; float32 results rounded with
// Math.fround, int32 results wrapped). Rank-0 operands broadcast to the output shape.
//
// int32 division rounds toward zero (jax.lax.div). Division by zero and INT_MIN / -1 follow
// WGSL (result: the dividend), so the WebGPU backend can match bit for bit.

import type { Aval, DType } from "../ir/types.js";
import { erf, erfc } from "./cpuSpecial.js";
import { allocate, castFloatToInt32, toDtype, type HostValue } from "./cpuValue.js";

export type UnaryPrim =
  "neg" | "abs" | "sqrt" | "exp" | "log" | "sin" | "cos" | "tanh" | "erf" | "erfc" | "sign" | "logical_not";
export type BinaryPrim = "add" | "sub" | "mul" | "div" | "pow" | "atan2" | "max" | "min";
export type ComparePrim = "gt" | "ge" | "lt" | "le" | "eq" | "ne";

const sign = (x: number) => (Number.isNaN(x) ? NaN : x > 0 ? 1 : x < 0 ? -1 : 0);

function unaryFn(prim: UnaryPrim, dtype: DType): (x: number) => number {
  const int = dtype === "int32";
  switch (prim) {
    case "neg":
      return int ? (x) => -x | 0 : (x) => -x;
    case "abs":
      return int ? (x) => Math.abs(x) | 0 : Math.abs;
    case "sqrt":
      return Math.sqrt;
    case "exp":
      return Math.exp;
    case "log":
      return Math.log;
    case "sin":
      return Math.sin;
    case "cos":
      return Math.cos;
    case "tanh":
      return Math.tanh;
    case "erf":
      return erf;
    case "erfc":
      return erfc;
    case "sign":
      return sign;
    case "logical_not":
      return (x) => (x ? 0 : 1);
    default:
      return prim satisfies never;
  }
}

export function cpuUnary(prim: UnaryPrim, x: HostValue, out: Aval): HostValue {
  const f = unaryFn(prim, x.dtype);
  const res = allocate(out);
  const src = x.data;
  for (let i = 0; i < res.length; i++) res[i] = f(src[i]!);
  return { data: res, shape: out.shape, dtype: out.dtype };
}

function intDiv(a: number, b: number): number {
  if (b === 0) return a;
  if (a === -2147483648 && b === -1) return a;
  return Math.trunc(a / b) | 0;
}

/** Integer power by squaring with int32 wrap-around; negative exponents give 0 unless |base| = 1. */
function intPow(a: number, b: number): number {
  if (b < 0) return a === 1 ? 1 : a === -1 ? (b % 2 === 0 ? 1 : -1) : 0;
  let result = 1;
  let base = a | 0;
  let e = b;
  while (e > 0) {
    if (e & 1) result = Math.imul(result, base);
    base = Math.imul(base, base);
    e >>>= 1;
  }
  return result;
}

// NaN-propagating max/min, as NumPy's maximum/minimum.
const fmax = (a: number, b: number) => (a !== a || b !== b ? NaN : a > b ? a : b);
const fmin = (a: number, b: number) => (a !== a || b !== b ? NaN : a < b ? a : b);

function binaryFn(prim: BinaryPrim, dtype: DType): (a: number, b: number) => number {
  const int = dtype === "int32";
  switch (prim) {
    case "add":
      return int ? (a, b) => (a + b) | 0 : (a, b) => a + b;
    case "sub":
      return int ? (a, b) => (a - b) | 0 : (a, b) => a - b;
    case "mul":
      return int ? Math.imul : (a, b) => a * b;
    case "div":
      return int ? intDiv : (a, b) => a / b;
    case "pow":
      return int ? intPow : Math.pow;
    case "atan2":
      return Math.atan2; // float64, then rounded to float32: correctly rounded in practice
    case "max":
      return int || dtype === "bool" ? Math.max : fmax;
    case "min":
      return int || dtype === "bool" ? Math.min : fmin;
    default:
      return prim satisfies never;
  }
}

function compareFn(prim: ComparePrim): (a: number, b: number) => boolean {
  switch (prim) {
    case "gt":
      return (a, b) => a > b;
    case "ge":
      return (a, b) => a >= b;
    case "lt":
      return (a, b) => a < b;
    case "le":
      return (a, b) => a <= b;
    case "eq":
      return (a, b) => a === b;
    case "ne":
      return (a, b) => a !== b;
    default:
      return prim satisfies never;
  }
}

/** Element reader that broadcasts a rank-0 operand. */
function reader(v: HostValue): (i: number) => number {
  const d = v.data;
  if (v.shape.length === 0) {
    const s = d[0]!;
    return () => s;
  }
  return (i) => d[i]!;
}

export function cpuBinary(prim: BinaryPrim, a: HostValue, b: HostValue, out: Aval): HostValue {
  const f = binaryFn(prim, a.dtype);
  const ra = reader(a),
    rb = reader(b);
  const res = allocate(out);
  for (let i = 0; i < res.length; i++) res[i] = f(ra(i), rb(i));
  return { data: res, shape: out.shape, dtype: out.dtype };
}

export function cpuCompare(prim: ComparePrim, a: HostValue, b: HostValue, out: Aval): HostValue {
  const f = compareFn(prim);
  const ra = reader(a),
    rb = reader(b);
  const res = allocate(out);
  for (let i = 0; i < res.length; i++) res[i] = f(ra(i), rb(i)) ? 1 : 0;
  return { data: res, shape: out.shape, dtype: out.dtype };
}

export function cpuWhere(cond: HostValue, a: HostValue, b: HostValue, out: Aval): HostValue {
  const rc = reader(cond),
    ra = reader(a),
    rb = reader(b);
  const res = allocate(out);
  for (let i = 0; i < res.length; i++) res[i] = rc(i) ? ra(i) : rb(i);
  return { data: res, shape: out.shape, dtype: out.dtype };
}

/** float → int32 truncates toward zero and saturates (NaN → 0); anything → bool is `!= 0`. */
export function cpuCast(x: HostValue, out: Aval): HostValue {
  const res = allocate(out);
  const src = x.data;
  const convert = out.dtype === "int32" ? castFloatToInt32 : (v: number) => toDtype(v, out.dtype);
  for (let i = 0; i < res.length; i++) res[i] = convert(src[i]!);
  return { data: res, shape: out.shape, dtype: out.dtype };
}
