// Thin, shape-exact wrappers over `bind` for the derivative and batching rules. Unlike np.*, they
// do no broadcasting or promotion: callers pass operands of one shape and dtype (or rank-0
// literals). Literal-only arithmetic is folded in JS so rules never emit ops on constants.

import { bind1, lit, Tracer } from "../core.js";
import { concatenateTree } from "../wideConcat.js";
import { sameShape, type Aval, type DType, type Lit } from "../../ir/types.js";

/** An operand of a rule: a traced/concrete array or a rank-0 literal. */
export type Val = Tracer | Lit;

export const isLit = (x: Val): x is Lit => !(x instanceof Tracer);
export const shapeOf = (x: Val): readonly number[] => x.aval.shape;

type BinaryPrim = "add" | "sub" | "mul" | "div" | "pow" | "max" | "min";
type ComparePrim = "gt" | "ge" | "lt" | "le" | "eq" | "ne";
type UnaryPrim = "neg" | "abs" | "sqrt" | "exp" | "log" | "sin" | "cos" | "tanh" | "sign" | "logical_not";

const FOLD: Record<BinaryPrim, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: (a, b) => a ** b,
  max: Math.max,
  min: Math.min,
};

function binary(p: BinaryPrim, a: Val, b: Val): Val {
  if (isLit(a) && isLit(b)) return lit(Math.fround(FOLD[p](a.value, b.value)), a.aval.dtype);
  return bind1(p, {}, [a, b]);
}

export const add = (a: Val, b: Val): Val => binary("add", a, b);
export const sub = (a: Val, b: Val): Val => binary("sub", a, b);
export const mul = (a: Val, b: Val): Val => binary("mul", a, b);
export const div = (a: Val, b: Val): Val => binary("div", a, b);
export const pow = (a: Val, b: Val): Val => binary("pow", a, b);

/** ±2/√π·exp(-x²): the derivative of erf (sign 1) or erfc (sign -1). */
export function erfSlope(x: Val, sign: 1 | -1): Val {
  return mul(unary("exp", neg(mul(x, x))), lit(Math.fround((sign * 2) / Math.sqrt(Math.PI)), "float32"));
}

export function unary(p: UnaryPrim, x: Val): Val {
  if (isLit(x)) {
    const v = x.value;
    const f: Record<UnaryPrim, () => number> = {
      neg: () => -v,
      abs: () => Math.abs(v),
      sqrt: () => Math.sqrt(v),
      exp: () => Math.exp(v),
      log: () => Math.log(v),
      sin: () => Math.sin(v),
      cos: () => Math.cos(v),
      tanh: () => Math.tanh(v),
      sign: () => Math.sign(v),
      logical_not: () => (v ? 0 : 1),
    };
    return lit(Math.fround(f[p]()), x.aval.dtype);
  }
  return bind1(p, {}, [x]);
}
export const neg = (x: Val): Val => unary("neg", x);

export function compare(p: ComparePrim, a: Val, b: Val): Val {
  return bind1(p, {}, [a, b]);
}

export function cast(x: Val, dtype: DType): Val {
  if (x.aval.dtype === dtype) return x;
  if (isLit(x))
    return lit(dtype === "float32" ? x.value : dtype === "int32" ? Math.trunc(x.value) : x.value ? 1 : 0, dtype);
  return bind1("cast", { dtype }, [x]);
}

/** A float 0/1 mask from a comparison (for derivative selection). */
export const mask = (p: ComparePrim, a: Val, b: Val): Val => cast(compare(p, a, b), "float32");

export function where(c: Val, a: Val, b: Val): Val {
  return bind1("where", {}, [c, a, b]);
}

export function fill(value: number, shape: readonly number[], dtype: DType): Val {
  const l = lit(value, dtype);
  if (shape.length === 0) return l;
  return bind1("broadcast", { shape: [...shape], dims: [] }, [l]);
}
export const zeros = (a: Aval): Val => fill(0, a.shape, a.dtype);

/** Gives a literal its full shape (for ops that need a real array operand). */
export function full(x: Val, shape: readonly number[]): Tracer {
  if (x instanceof Tracer && sameShape(x.aval.shape, shape)) return x;
  return bind1("broadcast", { shape: [...shape], dims: [] }, [x]) as Tracer;
}

export function broadcast(x: Val, shape: readonly number[], dims: readonly number[]): Val {
  if (sameShape(x.aval.shape, shape) && dims.every((d, i) => d === i)) return x;
  return bind1("broadcast", { shape: [...shape], dims: [...dims] }, [x]);
}

export function reduceSum(x: Val, axes: readonly number[]): Val {
  if (axes.length === 0) return x;
  return bind1("reduce_sum", { axes: [...axes].sort((p, q) => p - q) }, [x]);
}

export function reshape(x: Val, shape: readonly number[]): Val {
  if (sameShape(x.aval.shape, shape)) return x;
  return bind1("reshape", { shape: [...shape] }, [x]);
}

export function transpose(x: Val, perm: readonly number[]): Val {
  if (perm.every((p, i) => p === i)) return x;
  return bind1("transpose", { perm: [...perm] }, [x]);
}

/** Moves axis `from` to position `to`. */
export function moveAxis(x: Val, from: number, to: number): Val {
  if (from === to) return x;
  const order = x.aval.shape.map((_, i) => i).filter((i) => i !== from);
  order.splice(to, 0, from);
  return transpose(x, order);
}

export function slice(x: Val, starts: readonly number[], limits: readonly number[], strides?: readonly number[]): Val {
  const st = strides ? [...strides] : starts.map(() => 1);
  return bind1("slice", { starts: [...starts], limits: [...limits], strides: st }, [x]);
}

export function pad(x: Val, low: readonly number[], high: readonly number[], value = 0): Val {
  if (low.every((v) => v === 0) && high.every((v) => v === 0)) return x;
  return bind1("pad", { low: [...low], high: [...high], value }, [x]);
}

export function concatenate(xs: readonly Val[], axis: number): Val {
  if (xs.length === 1) return xs[0]!;
  // Rules may join many values (vmap of random over 100 keys): a tree under the buffer limit.
  if (xs.every((x) => x instanceof Tracer)) return concatenateTree(xs as Tracer[], axis);
  return bind1("concatenate", { axis }, xs);
}

export function matmul(a: Val, b: Val): Val {
  return bind1("matmul", {}, [a, b]);
}

/** Swaps the last two axes (matrix transpose of a batch of matrices). */
export function swapLast2(x: Val): Val {
  const n = x.aval.shape.length;
  const perm = x.aval.shape.map((_, i) => i);
  perm[n - 2] = n - 1;
  perm[n - 1] = n - 2;
  return transpose(x, perm);
}

export function invertPerm(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
}
