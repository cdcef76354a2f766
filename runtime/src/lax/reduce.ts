// lax.reduce(operand, init_value, computation, dimensions): a reduction whose operation is given
// as JAX code gives it (lax.add, lax.max, a lambda), recognised as one of the four monoids and run
// as np's sum / prod / max / min kernel; an init value other than the operation's identity joins
// once, as in reduce_window. One operand: JAX's variadic form (several operands and a computation
// over tuples, e.g. an argmax written by hand) is refused with what to use instead.

import { JitScopeError } from "../ir/errors.js";
import { type Tracer } from "../trace/core.js";
import * as ew from "../np/elementwise.js";
import { asTracer, type ArrayLike } from "../np/promote.js";
import { prod } from "../np/reduceSurface.js";
import { max, min, sum } from "../np/reductions.js";
import { normalizeAxes } from "../np/validate.js";
import { monoidOf, type Computation } from "./monoid.js";

const IDENTITY = {
  add: () => 0,
  mul: () => 1,
  max: (int: boolean) => (int ? -2147483648 : -Infinity),
  min: (int: boolean) => (int ? 2147483647 : Infinity),
} as const;

export function reduce(
  operands: ArrayLike,
  init_values: number,
  computation: Computation,
  dimensions: readonly number[],
): Tracer {
  const op = "reduce";
  if (Array.isArray(operands) && operands.some((o) => typeof o === "object" && o !== null))
    throw new JitScopeError(
      "value",
      `lax.${op}: one operand here; a variadic reduce over several arrays is not supported (for an argmax / argmin use lax.argmax / lax.argmin)`,
    );
  if (typeof init_values !== "number")
    throw new JitScopeError(
      "value",
      `lax.${op}: init_values must be a number for one operand, got ${typeof init_values}`,
    );
  const x = asTracer(op, operands);
  const prim = monoidOf(`lax.${op}`, computation, x.dtype);
  const axes = normalizeAxes(`lax.${op}`, [...dimensions], x.ndim, x.shape);
  const reduced =
    prim === "add" ? sum(x, axes) : prim === "mul" ? prod(x, axes) : prim === "max" ? max(x, axes) : min(x, axes);
  if (init_values === IDENTITY[prim](x.dtype === "int32")) return reduced;
  const combine = { add: ew.add, mul: ew.multiply, max: ew.maximum, min: ew.minimum }[prim];
  return combine(reduced, init_values);
}
