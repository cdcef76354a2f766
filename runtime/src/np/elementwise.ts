// Elementwise np functions with NumPy broadcasting and JAX dtype promotion (see promote.ts).
// Arithmetic on two bools computes in int32; divide is true division (ints give float32);
// transcendental functions of ints give float32; comparisons give bool.

import { JitScopeError } from "../ir/errors.js";
import type { DType } from "../ir/types.js";
import { bind1, lit, Tracer } from "../trace/core.js";
import { asTracer, broadcastTo, cast, checkArrayLike, elementwiseOperands, type ArrayLike } from "./promote.js";
import { checkDType } from "./validate.js";

type BinaryPrim = "add" | "sub" | "mul" | "div" | "pow" | "max" | "min";
type ComparePrim = "gt" | "ge" | "lt" | "le" | "eq" | "ne";
type UnaryPrim = "neg" | "abs" | "sqrt" | "exp" | "log" | "sin" | "cos" | "tanh" | "sign";

const noBool = (d: DType): DType => (d === "bool" ? "int32" : d);
const toFloat = (_d: DType): DType => "float32";

function binary(op: string, prim: BinaryPrim, x: ArrayLike, y: ArrayLike, force: (d: DType) => DType = noBool): Tracer {
  const { ops } = elementwiseOperands(op, [x, y], force);
  return bind1(prim, {}, ops);
}

function compare(op: string, prim: ComparePrim, x: ArrayLike, y: ArrayLike): Tracer {
  const { ops } = elementwiseOperands(op, [x, y]);
  return bind1(prim, {}, ops);
}

function unary(op: string, prim: UnaryPrim, x: ArrayLike, force: (d: DType) => DType): Tracer {
  const t = asTracer(op, x);
  return bind1(prim, {}, [cast(t, force(t.dtype))]);
}

export const add = (x: ArrayLike, y: ArrayLike): Tracer => binary("add", "add", x, y);
export const subtract = (x: ArrayLike, y: ArrayLike): Tracer => binary("subtract", "sub", x, y);
export const multiply = (x: ArrayLike, y: ArrayLike): Tracer => binary("multiply", "mul", x, y);
/** True division: int32 operands give float32, as NumPy's `/`. */
export const divide = (x: ArrayLike, y: ArrayLike): Tracer => binary("divide", "div", x, y, toFloat);
export const power = (x: ArrayLike, y: ArrayLike): Tracer => binary("power", "pow", x, y);
export const maximum = (x: ArrayLike, y: ArrayLike): Tracer => binary("maximum", "max", x, y);
export const minimum = (x: ArrayLike, y: ArrayLike): Tracer => binary("minimum", "min", x, y);

export const greater = (x: ArrayLike, y: ArrayLike): Tracer => compare("greater", "gt", x, y);
export const greater_equal = (x: ArrayLike, y: ArrayLike): Tracer => compare("greater_equal", "ge", x, y);
export const less = (x: ArrayLike, y: ArrayLike): Tracer => compare("less", "lt", x, y);
export const less_equal = (x: ArrayLike, y: ArrayLike): Tracer => compare("less_equal", "le", x, y);
export const equal = (x: ArrayLike, y: ArrayLike): Tracer => compare("equal", "eq", x, y);
export const not_equal = (x: ArrayLike, y: ArrayLike): Tracer => compare("not_equal", "ne", x, y);

export const negative = (x: ArrayLike): Tracer => unary("negative", "neg", x, noBool);
export const abs = (x: ArrayLike): Tracer => unary("abs", "abs", x, noBool);
export const sign = (x: ArrayLike): Tracer => unary("sign", "sign", x, noBool);
export const sqrt = (x: ArrayLike): Tracer => unary("sqrt", "sqrt", x, toFloat);
export const exp = (x: ArrayLike): Tracer => unary("exp", "exp", x, toFloat);
export const log = (x: ArrayLike): Tracer => unary("log", "log", x, toFloat);
export const sin = (x: ArrayLike): Tracer => unary("sin", "sin", x, toFloat);
export const cos = (x: ArrayLike): Tracer => unary("cos", "cos", x, toFloat);
export const tanh = (x: ArrayLike): Tracer => unary("tanh", "tanh", x, toFloat);

/** x * x (bool squares in int32). */
export function square(x: ArrayLike): Tracer {
  const t = asTracer("square", x);
  const u = cast(t, noBool(t.dtype));
  return bind1("mul", {}, [u, u]);
}

export function logical_not(x: ArrayLike): Tracer {
  const t = asTracer("logical_not", x);
  return bind1("logical_not", {}, [t.dtype === "bool" ? t : bind1("ne", {}, [t, lit(0, t.dtype)])]);
}

/** Elementwise choice: `cond ? a : b`, all three broadcast together; the result has the
 *  promoted dtype of a and b. A non-bool cond means `cond != 0`. */
export function where(cond: ArrayLike, a: ArrayLike, b: ArrayLike): Tracer {
  if (a === undefined && b === undefined)
    throw new JitScopeError(
      "value",
      "where(condition) with one argument is nonzero: np.nonzero(condition, { size }) (the count must be known when tracing, as JAX asks), or give where both x and y",
    );
  const c = checkArrayLike("where", cond, "condition");
  let ct: Tracer = c instanceof Tracer ? c : asTracer("where", c !== 0 ? 1 : 0, "bool");
  if (ct.dtype !== "bool") ct = bind1("ne", {}, [ct, lit(0, ct.dtype)]);
  const { ops, shape } = elementwiseOperands("where", [a, b], undefined, [ct]);
  return bind1("where", {}, [broadcastTo(ct, shape), ...ops]);
}

/** Converts to `dtype` (float → int truncates toward zero; anything → bool is `!= 0`). */
export function astype(x: ArrayLike, dtype: DType): Tracer {
  const d = checkDType("astype", dtype);
  return cast(asTracer("astype", x), d);
}
