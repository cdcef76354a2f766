// Which monoid a reduction's `computation` names. jax.lax.reduce_window and lax.reduce take a
// function of two scalars (lax.add, lax.max, a lambda); the kernels here are built per operation,
// so the function is recognised: np's / lax's own add, multiply, maximum and minimum by identity, any
// other function by tracing it once on two scalars and reading the one operation it applies to
// both. The strings "sum", "add", "max", "min", "mul" name the same operations directly.

import { JitScopeError } from "../ir/errors.js";
import type { DType } from "../ir/types.js";
import type { Tracer } from "../trace/core.js";
import { make_jaxpr, ShapeDtypeStruct } from "../trace/abstractEval.js";
import * as ew from "../np/elementwise.js";

export type MonoidPrim = "add" | "mul" | "max" | "min";
export type Computation = "sum" | "add" | "mul" | "max" | "min" | ((a: Tracer, b: Tracer) => unknown);

const BY_NAME: Readonly<Record<string, MonoidPrim>> = { sum: "add", add: "add", mul: "mul", max: "max", min: "min" };
const BY_FUNCTION = new Map<unknown, MonoidPrim>([
  [ew.add, "add"],
  [ew.multiply, "mul"],
  [ew.maximum, "max"],
  [ew.minimum, "min"],
]);

/** The operation `computation` applies, or a JitScopeError naming what it does instead. */
export function monoidOf(op: string, computation: Computation, dtype: DType): MonoidPrim {
  if (typeof computation === "string") {
    const prim = BY_NAME[computation];
    if (prim) return prim;
    throw new JitScopeError(
      "value",
      `${op}: computation must be a function of two scalars (lax.add, lax.mul, lax.max, lax.min) or "sum", "mul", "max", "min"; got "${computation}"`,
    );
  }
  if (typeof computation !== "function") {
    throw new JitScopeError("value", `${op}: computation must be a function of two scalars, got ${typeof computation}`);
  }
  const known = BY_FUNCTION.get(computation);
  if (known) return known;
  const scalar = new ShapeDtypeStruct([], dtype);
  const { inputs, eqns, outputs } = make_jaxpr(computation)(scalar, scalar).program;
  const eqn = eqns.length === 1 ? eqns[0]! : null;
  const operands = eqn?.inputs.map((a) => (a.kind === "var" ? inputs.findIndex((v) => v.id === a.id) : -1)) ?? [];
  const prim = eqn ? BY_NAME[eqn.prim] : undefined;
  const reducesBoth = operands.length === 2 && operands.includes(0) && operands.includes(1);
  const returnsIt = outputs.length === 1 && outputs[0]!.kind === "var" && eqn?.outputs[0]?.id === outputs[0]!.id;
  if (prim && reducesBoth && returnsIt) return prim;
  const did = eqns.map((e) => e.prim).join(", ") || "no operation";
  throw new JitScopeError(
    "value",
    `${op}: computation must combine its two arguments with one of add, mul, max, min (a monoid the kernels know); ${computation.name || "the function"} does ${did}`,
  );
}
