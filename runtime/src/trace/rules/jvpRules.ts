// Forward-mode derivative rules: given an equation's primal inputs and outputs and the tangents of
// its inputs, the tangents of its outputs. `null` is a symbolic zero (an integer input, a literal,
// a value that does not depend on the differentiated input), so rules emit no work for it.
// Every rule is built from ordinary `bind` calls, so under jit it is traced like any other op.

import type { Params, Primitive } from "../../ir/types.js";
import type { Tracer } from "../core.js";
import { JitScopeError } from "../../ir/errors.js";
import * as L from "./lax.js";
import { gatherJvp, scatterJvp } from "./indexRules.js";
import { convJvp } from "./convRules.js";
import { surfaceJvp } from "./surfaceRules.js";
import type { Val } from "./lax.js";

export type Tangent = Val | null;

const one = (x: Val): Val => ({ kind: "lit", value: 1, aval: { shape: [], dtype: x.aval.dtype } });
const two = (x: Val): Val => ({ kind: "lit", value: 2, aval: { shape: [], dtype: x.aval.dtype } });

export const addT = (a: Tangent, b: Tangent): Tangent => (a === null ? b : b === null ? a : L.add(a, b));
export const subT = (a: Tangent, b: Tangent): Tangent => (b === null ? a : a === null ? L.neg(b) : L.sub(a, b));
const scale = (t: Tangent, f: () => Val): Tangent => (t === null ? null : L.mul(t, f()));
const linear = (t: Tangent, f: (t: Val) => Val): Tangent => (t === null ? null : f(t));

/** The tangent of `x`, materialised as zeros where it is symbolic. */
export const instantiate = (t: Tangent, x: Val): Val => t ?? L.zeros({ shape: x.aval.shape, dtype: "float32" });

export function isFloat(x: Val): boolean {
  return x.aval.dtype === "float32";
}

export function jvpRule<P extends Primitive>(
  prim: P,
  params: Params<P>,
  x: readonly Val[],
  t: readonly Tangent[],
  outs: readonly Tracer[],
): Tangent[] {
  const p = prim as Primitive;
  const y = outs[0]!;
  const [a, b] = [x[0]!, x[1]!];
  const [ta, tb] = [t[0] ?? null, t[1] ?? null];
  switch (p) {
    case "neg": return [linear(ta, L.neg)];
    case "abs": return [scale(ta, () => L.unary("sign", a))];
    case "sqrt": return [linear(ta, (v) => L.div(v, L.mul(y, two(y))))];
    case "exp": return [scale(ta, () => y)];
    case "log": return [linear(ta, (v) => L.div(v, a))];
    case "sin": return [scale(ta, () => L.unary("cos", a))];
    case "cos": return [linear(ta, (v) => L.neg(L.mul(v, L.unary("sin", a))))];
    case "tanh": return [scale(ta, () => L.sub(one(y), L.mul(y, y)))];
    case "sign": case "logical_not": return [null];
    case "add": return [addT(ta, tb)];
    case "sub": return [subT(ta, tb)];
    case "mul": return [addT(scale(ta, () => b), scale(tb, () => a))];
    case "div": {
      // d(a/b) = (ta - tb * y) / b
      const num = subT(ta, scale(tb, () => y));
      return [linear(num, (v) => L.div(v, b))];
    }
    case "pow": {
      // d(a^b) = ta * b * a^(b-1) + tb * log(a) * y
      const da = scale(ta, () => L.mul(b, L.pow(a, L.sub(b, one(b)))));
      const db = scale(tb, () => L.mul(L.unary("log", a), y));
      return [addT(da, db)];
    }
    case "max": case "min": {
      // The winner takes the tangent; ties go to the second operand.
      const m = L.mask(p === "max" ? "gt" : "lt", a, b);
      return [addT(scale(ta, () => m), scale(tb, () => L.sub(one(m), m)))];
    }
    case "gt": case "ge": case "lt": case "le": case "eq": case "ne": return [null];
    case "where": {
      const [ca, cb] = [t[1] ?? null, t[2] ?? null];
      if (ca === null && cb === null) return [null];
      return [L.where(a, L.full(instantiate(ca, x[1]!), y.aval.shape), L.full(instantiate(cb, x[2]!), y.aval.shape))];
    }
    case "cast": {
      const { dtype } = params as Params<"cast">;
      return [dtype === "float32" && isFloat(a) ? ta : null];
    }
    case "random_uniform": case "random_bits": case "iota": return [null];
    case "reduce_sum": return [linear(ta, (v) => L.reduceSum(v, (params as Params<"reduce_sum">).axes))];
    case "reduce_max": case "reduce_min": {
      if (ta === null) return [null];
      const { axes } = params as Params<"reduce_max">;
      const m = extremumMask(a, y, axes);
      return [L.div(L.reduceSum(L.mul(ta, m), axes), L.reduceSum(m, axes))];
    }
    // An integer index: zero tangent, as in JAX (gradients flow through the other paths).
    case "argmax": case "argmin": return [null];
    case "reshape": return [linear(ta, (v) => L.reshape(v, (params as Params<"reshape">).shape))];
    case "transpose": return [linear(ta, (v) => L.transpose(v, (params as Params<"transpose">).perm))];
    case "broadcast": {
      const { shape, dims } = params as Params<"broadcast">;
      return [linear(ta, (v) => L.broadcast(v, shape, dims))];
    }
    case "slice": {
      const { starts, limits, strides } = params as Params<"slice">;
      return [linear(ta, (v) => L.slice(v, starts, limits, strides))];
    }
    case "pad": {
      const { low, high } = params as Params<"pad">;
      return [linear(ta, (v) => L.pad(v, low, high, 0))];
    }
    case "concatenate": {
      if (t.every((v) => v === null)) return [null];
      const { axis } = params as Params<"concatenate">;
      return [L.concatenate(x.map((xi, i) => L.full(instantiate(t[i] ?? null, xi), xi.aval.shape)), axis)];
    }
    case "matmul": return [addT(linear(ta, (v) => L.matmul(v, b)), linear(tb, (v) => L.matmul(a, v)))];
    case "gather": return gatherJvp(params as Params<"gather">, x, t);
    case "scatter": return scatterJvp(params as Params<"scatter">, x, t, y);
    case "conv": return convJvp(params as Params<"conv">, x, t);
    case "floor": case "ceil": case "round": case "is_nan": case "log1p": case "expm1":
    case "cumulative": case "sort": case "rev":
      return surfaceJvp(p, params as Params<typeof p>, x, t, y);
    case "scan": case "while":
      throw new JitScopeError("trace", `jvp (forward mode) of lax.${p === "scan" ? "scan" : "while_loop"} is not supported yet; use grad (reverse mode) through scan/fori_loop`);
    default:
      return p satisfies never;
  }
}

/** 1 where `x` equals its reduced extremum `y` (kept axes broadcast back), else 0. */
export function extremumMask(x: Val, y: Val, axes: readonly number[]): Val {
  const shape = x.aval.shape;
  const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  return L.mask("eq", x, L.broadcast(y, shape, kept));
}
