// Forward-mode derivative rules: given an equation's primal inputs and outputs and the tangents of
// its inputs, the tangents of its outputs. `null` is a symbolic zero (an integer input, a literal,
// a value that does not depend on the differentiated input), so rules emit no work for it.
// Every rule is built from ordinary `bind` calls, so under jit it is traced like any other op.

import type { Params, Primitive } from "../../ir/types.js";
import { bind1, type Tracer } from "../core.js";
import * as L from "./lax.js";
import { gatherJvp, scatterJvp } from "./indexRules.js";
import { convJvp } from "./convRules.js";
import { surfaceJvp } from "./surfaceRules.js";
import { linalgJvp } from "./linalgRules.js";
import type { Val } from "./lax.js";
import { addT, instantiate, type Tangent } from "./laxIndexConv.js";

export { addT, instantiate, type Tangent };

const one = (x: Val): Val => ({ kind: "lit", value: 1, aval: { shape: [], dtype: x.aval.dtype } });
const two = (x: Val): Val => ({ kind: "lit", value: 2, aval: { shape: [], dtype: x.aval.dtype } });

export const subT = (a: Tangent, b: Tangent): Tangent => (b === null ? a : a === null ? L.neg(b) : L.sub(a, b));
const scale = (t: Tangent, f: () => Val): Tangent => (t === null ? null : L.mul(t, f()));
const linear = (t: Tangent, f: (t: Val) => Val): Tangent => (t === null ? null : f(t));

export function isFloat(x: Val): boolean {
  return x.aval.dtype === "float32";
}

/** What a rule is given: the equation's params, its primal inputs (`a`, `b` the first two), their
 *  tangents (`ta`, `tb`), and its primal output `y`. */
interface JvpArgs<P extends Primitive> {
  readonly params: Params<P>;
  readonly x: readonly Val[];
  readonly t: readonly Tangent[];
  readonly y: Tracer;
  readonly a: Val;
  readonly b: Val;
  readonly ta: Tangent;
  readonly tb: Tangent;
}
type JvpRule<P extends Primitive> = (r: JvpArgs<P>) => Tangent[];

/** Outputs that do not depend on the inputs' values smoothly (comparisons, indices, bits). */
const zeroTangent = (): Tangent[] => [null];

/** The winner takes the tangent; a tie splits it half and half, as JAX's lax.max / lax.min
 *  (so np.clip's derivative at a bound is 0.5). nn.relu has its own rule (0 at 0), as JAX's. */
const extremumJvp =
  (cmp: "gt" | "lt"): JvpRule<"max" | "min"> =>
  ({ a, b, ta, tb }) => {
    const m = extremumShare(cmp, a, b);
    return [
      addT(
        scale(ta, () => m),
        scale(tb, () => L.sub(one(m), m)),
      ),
    ];
  };

const reduceExtremumJvp: JvpRule<"reduce_max" | "reduce_min"> = ({ params, a, y, ta }) => {
  if (ta === null) return [null];
  const m = extremumMask(a, y, params.axes);
  return [L.div(L.reduceSum(L.mul(ta, m), params.axes), L.reduceSum(m, params.axes))];
};

const collectiveExtremumJvp: JvpRule<"pmax" | "pmin"> = ({ params, a, y, ta }) => {
  if (ta === null) return [null];
  const m = L.mask("eq", a, y);
  const psum = (v: Val) => bind1("psum", { axisName: params.axisName }, [v]);
  return [L.div(psum(L.mul(ta, m)), psum(m))];
};

/** One rule per primitive: a primitive without one is a compile error here. */
const JVP_RULES: { [P in Primitive]: JvpRule<P> } = {
  neg: ({ ta }) => [linear(ta, L.neg)],
  abs: ({ a, ta }) => [scale(ta, () => L.unary("sign", a))],
  sqrt: ({ y, ta }) => [linear(ta, (v) => L.div(v, L.mul(y, two(y))))],
  exp: ({ y, ta }) => [scale(ta, () => y)],
  log: ({ a, ta }) => [linear(ta, (v) => L.div(v, a))],
  sin: ({ a, ta }) => [scale(ta, () => L.unary("cos", a))],
  cos: ({ a, ta }) => [linear(ta, (v) => L.neg(L.mul(v, L.unary("sin", a))))],
  tanh: ({ y, ta }) => [scale(ta, () => L.sub(one(y), L.mul(y, y)))],
  sign: zeroTangent,
  logical_not: zeroTangent,
  add: ({ ta, tb }) => [addT(ta, tb)],
  sub: ({ ta, tb }) => [subT(ta, tb)],
  mul: ({ a, b, ta, tb }) => [
    addT(
      scale(ta, () => b),
      scale(tb, () => a),
    ),
  ],
  // d(a/b) = (ta - tb * y) / b
  div: ({ b, y, ta, tb }) => [
    linear(
      subT(
        ta,
        scale(tb, () => y),
      ),
      (v) => L.div(v, b),
    ),
  ],
  // d(a^b) = ta * b * a^(b-1) + tb * log(a) * y
  pow: ({ a, b, y, ta, tb }) => [
    addT(
      scale(ta, () => L.mul(b, L.pow(a, L.sub(b, one(b))))),
      scale(tb, () => L.mul(L.unary("log", a), y)),
    ),
  ],
  // d erf = 2/√π·exp(-x²)·t (and its negative for erfc), as JAX's rules
  erf: ({ a, ta }) => [scale(ta, () => L.erfSlope(a, 1))],
  erfc: ({ a, ta }) => [scale(ta, () => L.erfSlope(a, -1))],
  // d atan2(a, b) = (b·ta - a·tb) / (a² + b²), as JAX's rule
  atan2: ({ a, b, ta, tb }) => {
    const r2 = L.add(L.mul(a, a), L.mul(b, b));
    return [
      subT(
        scale(ta, () => L.div(b, r2)),
        scale(tb, () => L.div(a, r2)),
      ),
    ];
  },
  max: extremumJvp("gt"),
  min: extremumJvp("lt"),
  gt: zeroTangent,
  ge: zeroTangent,
  lt: zeroTangent,
  le: zeroTangent,
  eq: zeroTangent,
  ne: zeroTangent,
  optimization_barrier: ({ ta }) => [ta], // the token carries no derivative
  where: ({ x, t, a, y }) => {
    const [ca, cb] = [t[1] ?? null, t[2] ?? null];
    if (ca === null && cb === null) return [null];
    return [L.where(a, L.full(instantiate(ca, x[1]!), y.aval.shape), L.full(instantiate(cb, x[2]!), y.aval.shape))];
  },
  cast: ({ params, a, ta }) => [params.dtype === "float32" && isFloat(a) ? ta : null],
  // Integer-valued, or (bitcast) not a function of the value: no derivative, as JAX.
  bitwise_and: zeroTangent,
  bitwise_or: zeroTangent,
  bitwise_xor: zeroTangent,
  shift_left: zeroTangent,
  shift_right_arithmetic: zeroTangent,
  bitcast_convert: zeroTangent,
  random_uniform: zeroTangent,
  random_bits: zeroTangent,
  random_fold_in: zeroTangent,
  iota: zeroTangent,
  reduce_sum: ({ params, ta }) => [linear(ta, (v) => L.reduceSum(v, params.axes))],
  reduce_max: reduceExtremumJvp,
  reduce_min: reduceExtremumJvp,
  // An integer index: zero tangent, as in JAX (gradients flow through the other paths).
  argmax: zeroTangent,
  argmin: zeroTangent,
  reshape: ({ params, ta }) => [linear(ta, (v) => L.reshape(v, params.shape))],
  transpose: ({ params, ta }) => [linear(ta, (v) => L.transpose(v, params.perm))],
  broadcast: ({ params, ta }) => [linear(ta, (v) => L.broadcast(v, params.shape, params.dims))],
  slice: ({ params, ta }) => [linear(ta, (v) => L.slice(v, params.starts, params.limits, params.strides))],
  pad: ({ params, ta }) => [linear(ta, (v) => L.pad(v, params.low, params.high, 0))],
  concatenate: ({ params, x, t }) => {
    if (t.every((v) => v === null)) return [null];
    return [
      L.concatenate(
        x.map((xi, i) => L.full(instantiate(t[i] ?? null, xi), xi.aval.shape)),
        params.axis,
      ),
    ];
  },
  matmul: ({ a, b, ta, tb }) => [
    addT(
      linear(ta, (v) => L.matmul(v, b)),
      linear(tb, (v) => L.matmul(a, v)),
    ),
  ],
  cholesky: ({ params, x, t, y }) => linalgJvp("cholesky", params, x, t, y),
  triangular_solve: ({ params, x, t, y }) => linalgJvp("triangular_solve", params, x, t, y),
  lu: ({ params, x, t, y }) => linalgJvp("lu", params, x, t, y),
  gather: ({ params, x, t }) => gatherJvp(params, x, t),
  scatter: ({ params, x, t, y }) => scatterJvp(params, x, t, y),
  conv: ({ params, x, t }) => convJvp(params, x, t),
  floor: ({ params, x, t, y }) => surfaceJvp("floor", params, x, t, y),
  ceil: ({ params, x, t, y }) => surfaceJvp("ceil", params, x, t, y),
  round: ({ params, x, t, y }) => surfaceJvp("round", params, x, t, y),
  is_nan: ({ params, x, t, y }) => surfaceJvp("is_nan", params, x, t, y),
  log1p: ({ params, x, t, y }) => surfaceJvp("log1p", params, x, t, y),
  expm1: ({ params, x, t, y }) => surfaceJvp("expm1", params, x, t, y),
  cumulative: ({ params, x, t, y }) => surfaceJvp("cumulative", params, x, t, y),
  sort: ({ params, x, t, y }) => surfaceJvp("sort", params, x, t, y),
  rev: ({ params, x, t, y }) => surfaceJvp("rev", params, x, t, y),
  // Made by the compiler after tracing (passes/sortScatterIndices.ts); no trace ever holds one.
  scatter_sorted: () => {
    throw new Error("internal: scatter_sorted reached the jvp rules (the compiler makes it after tracing)");
  },
  // Loops are differentiated as a whole by trace/loopJvp.ts (JVPTrace calls it, not this table).
  scan: () => {
    throw new Error("internal: jvp of scan goes through trace/loopJvp.ts");
  },
  while: () => {
    throw new Error("internal: jvp of while goes through trace/loopJvp.ts");
  },
  // Collectives over a named vmap axis: the sum is linear; the max's tangent is the mean of the
  // winners' tangents (ties split, as reduce_max's). JAX has no rule for pmax / pmin.
  psum: ({ params, ta }) => [linear(ta, (v) => bind1("psum", params, [v]))],
  pmax: collectiveExtremumJvp,
  pmin: collectiveExtremumJvp,
  axis_index: zeroTangent,
  all_gather: ({ params, ta }) => [linear(ta, (v) => bind1("all_gather", params, [v]))],
  ppermute: ({ params, ta }) => [linear(ta, (v) => bind1("ppermute", params, [v]))],
};

export function jvpRule<P extends Primitive>(
  prim: P,
  params: Params<P>,
  x: readonly Val[],
  t: readonly Tangent[],
  outs: readonly Tracer[],
): Tangent[] {
  const rule: JvpRule<P> = JVP_RULES[prim];
  return rule({ params, x, t, y: outs[0]!, a: x[0]!, b: x[1]!, ta: t[0] ?? null, tb: t[1] ?? null });
}

/** max(a, b)'s (cmp "gt") or min's (cmp "lt") derivative in a: 1 where a wins, 0.5 at a tie, 0
 *  where b wins (b's is 1 minus it): JAX's balanced rule. */
export function extremumShare(cmp: "gt" | "lt", a: Val, b: Val): Val {
  const half = { kind: "lit", value: 0.5, aval: { shape: [], dtype: "float32" } } as const;
  return L.add(L.mask(cmp, a, b), L.mul(L.mask("eq", a, b), half));
}

/** 1 where `x` equals its reduced extremum `y` (kept axes broadcast back), else 0. */
export function extremumMask(x: Val, y: Val, axes: readonly number[]): Val {
  const shape = x.aval.shape;
  const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  return L.mask("eq", x, L.broadcast(y, shape, kept));
}
