// Reverse-mode rules (the transposes of the jvp rules in jvpRules.ts): given an equation's primal
// inputs and output and the cotangent of its output, the cotangents of the inputs that need one.
// `null` means zero (or not needed). The backward pass is ordinary `bind` calls: under jit it is
// part of the same traced program, so it fuses with the forward pass.

import { isElementwise } from "../../ir/types.js";
import type { Params, Primitive } from "../../ir/types.js";
import { bind1, lit, type Tracer } from "../core.js";
import { iota } from "./laxIndexConv.js";
import { extremumMask, extremumShare } from "./jvpRules.js";
import * as L from "./lax.js";
import { gatherVjp, scatterVjp } from "./indexRules.js";
import { convVjp } from "./convRules.js";
import { surfaceVjp } from "./surfaceRules.js";
import { linalgVjp } from "./linalgRules.js";
import type { Val } from "./lax.js";

export type Cotangent = Val | null;

const litLike = (x: Val, value: number): Val => ({ kind: "lit", value, aval: { shape: [], dtype: x.aval.dtype } });

export function vjpRule<P extends Primitive>(
  prim: P,
  params: Params<P>,
  x: readonly Val[],
  y: Tracer,
  ct: Val,
  needs: readonly boolean[],
): Cotangent[] {
  const cts = elementRule(prim, params, x, y, ct, needs);
  if (!isElementwise(prim)) return cts;
  // A rank-0 operand of an elementwise op is broadcast implicitly: sum its cotangent.
  return cts.map((c, i) => {
    const xi = x[i];
    if (c === null || !xi || xi.aval.shape.length > 0 || c.aval.shape.length === 0) return c;
    return L.reduceSum(
      c,
      c.aval.shape.map((_, k) => k),
    );
  });
}

/** What a rule is given: the equation's params, its primal inputs (`a`, `b` the first two), its
 *  primal output `y`, the output's cotangent, and `need(i, f)`: input i's cotangent, built only if
 *  input i needs one. */
interface VjpArgs<P extends Primitive> {
  readonly params: Params<P>;
  readonly x: readonly Val[];
  readonly a: Val;
  readonly b: Val;
  readonly y: Tracer;
  readonly ct: Val;
  readonly needs: readonly boolean[];
  need(i: number, f: () => Val): Cotangent;
}
type VjpRule<P extends Primitive> = (r: VjpArgs<P>) => Cotangent[];

const noCotangent = (): Cotangent[] => [null];
const noCotangents2 = (): Cotangent[] => [null, null];

const extremumVjp =
  (cmp: "gt" | "lt"): VjpRule<"max" | "min"> =>
  ({ a, b, ct, need }) => {
    const m = extremumShare(cmp, a, b); // ties split half and half, as JAX
    return [need(0, () => L.mul(ct, m)), need(1, () => L.mul(ct, L.sub(litLike(m, 1), m)))];
  };

const reduceExtremumVjp: VjpRule<"reduce_max" | "reduce_min"> = ({ params, a, y, ct }) => {
  const m = extremumMask(a, y, params.axes);
  const share = L.div(ct, L.reduceSum(m, params.axes)); // ties share the cotangent equally
  return [L.mul(unreduce(share, a.aval.shape, params.axes), m)];
};

/** The winners of a pmax / pmin share the sum of every batch element's cotangent equally. */
const collectiveExtremumVjp: VjpRule<"pmax" | "pmin"> = ({ params, a, y, ct }) => {
  const m = L.mask("eq", a, y);
  const psum = (v: Val) => bind1("psum", { axisName: params.axisName }, [v]);
  return [L.mul(m, L.div(psum(ct), psum(m)))];
};

/** One rule per primitive: a primitive without one is a compile error here. */
const VJP_RULES: { [P in Primitive]: VjpRule<P> } = {
  neg: ({ ct }) => [L.neg(ct)],
  abs: ({ a, ct }) => [L.mul(ct, L.unary("sign", a))],
  sqrt: ({ y, ct }) => [L.div(ct, L.mul(y, litLike(y, 2)))],
  exp: ({ y, ct }) => [L.mul(ct, y)],
  log: ({ a, ct }) => [L.div(ct, a)],
  sin: ({ a, ct }) => [L.mul(ct, L.unary("cos", a))],
  cos: ({ a, ct }) => [L.neg(L.mul(ct, L.unary("sin", a)))],
  tanh: ({ y, ct }) => [L.mul(ct, L.sub(litLike(y, 1), L.mul(y, y)))],
  sign: noCotangent,
  logical_not: noCotangent,
  add: ({ ct, need }) => [need(0, () => ct), need(1, () => ct)],
  sub: ({ ct, need }) => [need(0, () => ct), need(1, () => L.neg(ct))],
  mul: ({ a, b, ct, need }) => [need(0, () => L.mul(ct, b)), need(1, () => L.mul(ct, a))],
  div: ({ b, y, ct, needs, need }) => {
    const ctA = L.div(ct, b);
    return [needs[0] ? ctA : null, need(1, () => L.neg(L.mul(ctA, y)))];
  },
  pow: ({ a, b, y, ct, need }) => [
    need(0, () => L.mul(ct, L.mul(b, L.pow(a, L.sub(b, litLike(b, 1)))))),
    need(1, () => L.mul(ct, L.mul(L.unary("log", a), y))),
  ],
  erf: ({ a, ct }) => [L.mul(ct, L.erfSlope(a, 1))],
  erfc: ({ a, ct }) => [L.mul(ct, L.erfSlope(a, -1))],
  atan2: ({ a, b, ct, need }) => {
    const r2 = L.add(L.mul(a, a), L.mul(b, b));
    return [need(0, () => L.mul(ct, L.div(b, r2))), need(1, () => L.neg(L.mul(ct, L.div(a, r2))))];
  },
  max: extremumVjp("gt"),
  min: extremumVjp("lt"),
  gt: noCotangents2,
  ge: noCotangents2,
  lt: noCotangents2,
  le: noCotangents2,
  eq: noCotangents2,
  ne: noCotangents2,
  optimization_barrier: ({ ct }) => [ct, null], // the token carries no derivative
  where: ({ a, y, ct, need }) => {
    const z = L.zeros(y.aval);
    return [null, need(1, () => L.where(a, ct, z)), need(2, () => L.where(a, z, ct))];
  },
  cast: ({ a, y, ct }) => [a.aval.dtype === "float32" && y.aval.dtype === "float32" ? ct : null],
  bitwise_and: noCotangents2,
  bitwise_or: noCotangents2,
  bitwise_xor: noCotangents2,
  shift_left: noCotangents2,
  shift_right_arithmetic: noCotangents2,
  bitcast_convert: noCotangent,
  random_uniform: noCotangent,
  random_bits: noCotangent,
  random_fold_in: noCotangents2,
  iota: () => [],
  reduce_sum: ({ params, a, ct }) => [unreduce(ct, a.aval.shape, params.axes)],
  reduce_max: reduceExtremumVjp,
  reduce_min: reduceExtremumVjp,
  // Integer outputs never reach the tape (see vjp.ts); as in JAX their cotangent is zero.
  argmax: noCotangent,
  argmin: noCotangent,
  reshape: ({ a, ct }) => [L.reshape(ct, a.aval.shape)],
  transpose: ({ params, ct }) => [L.transpose(ct, L.invertPerm(params.perm))],
  broadcast: ({ params, a, ct }) => [unbroadcast(ct, a.aval.shape, params.dims)],
  slice: ({ params, a, ct }) => [unslice(ct, a.aval.shape, params.starts, params.strides)],
  pad: ({ params, a, ct }) => [
    L.slice(
      ct,
      params.low,
      a.aval.shape.map((d, i) => params.low[i]! + d),
    ),
  ],
  concatenate: ({ params: { axis }, x, y, ct, needs }) => {
    const outShape = y.aval.shape;
    let offset = 0;
    return x.map((xi, i) => {
      const start = offset;
      offset += xi.aval.shape[axis]!;
      if (!needs[i]) return null;
      const starts = outShape.map((_, k) => (k === axis ? start : 0));
      const limits = outShape.map((d, k) => (k === axis ? start + xi.aval.shape[axis]! : d));
      return L.slice(ct, starts, limits);
    });
  },
  matmul: ({ a, b, ct, need }) => [
    need(0, () => L.matmul(ct, L.swapLast2(b))),
    need(1, () => L.matmul(L.swapLast2(a), ct)),
  ],
  cholesky: ({ params, x, y, ct, needs }) => linalgVjp("cholesky", params, x, y, ct, needs),
  triangular_solve: ({ params, x, y, ct, needs }) => linalgVjp("triangular_solve", params, x, y, ct, needs),
  lu: ({ params, x, y, ct, needs }) => linalgVjp("lu", params, x, y, ct, needs),
  gather: ({ params, x, ct, needs }) => gatherVjp(params, x, ct, needs),
  scatter: ({ params, x, y, ct, needs }) => scatterVjp(params, x, y, ct, needs),
  conv: ({ params, x, ct, needs }) => convVjp(params, x, ct, needs),
  floor: ({ params, x, y, ct, needs }) => surfaceVjp("floor", params, x, y, ct, needs),
  ceil: ({ params, x, y, ct, needs }) => surfaceVjp("ceil", params, x, y, ct, needs),
  round: ({ params, x, y, ct, needs }) => surfaceVjp("round", params, x, y, ct, needs),
  is_nan: ({ params, x, y, ct, needs }) => surfaceVjp("is_nan", params, x, y, ct, needs),
  log1p: ({ params, x, y, ct, needs }) => surfaceVjp("log1p", params, x, y, ct, needs),
  expm1: ({ params, x, y, ct, needs }) => surfaceVjp("expm1", params, x, y, ct, needs),
  cumulative: ({ params, x, y, ct, needs }) => surfaceVjp("cumulative", params, x, y, ct, needs),
  sort: ({ params, x, y, ct, needs }) => surfaceVjp("sort", params, x, y, ct, needs),
  rev: ({ params, x, y, ct, needs }) => surfaceVjp("rev", params, x, y, ct, needs),
  // Made by the compiler after tracing (passes/sortScatterIndices.ts); no trace ever holds one.
  scatter_sorted: () => {
    throw new Error("internal: scatter_sorted reached the vjp rules (the compiler makes it after tracing)");
  },
  // Loops have several outputs and are differentiated as a whole (trace/loopVjp.ts).
  scan: () => {
    throw new Error("internal: scan reached the single-output vjp rules");
  },
  while: () => {
    throw new Error("internal: while reached the single-output vjp rules");
  },
  // Each batch element's psum reads every element's x, so x's cotangent sums every element's.
  psum: ({ params, ct }) => [bind1("psum", params, [ct])],
  pmax: collectiveExtremumVjp,
  pmin: collectiveExtremumVjp,
  axis_index: () => [],
  // Element dst read element src's x: the cotangent goes back from dst to src.
  ppermute: ({ params: { axisName, perm }, ct }) => [
    bind1("ppermute", { axisName, perm: perm.map(([src, dst]) => [dst, src] as const) }, [ct]),
  ],
  // Every batch element's gathered value reads x at this element's place: x's cotangent is that
  // place in the sum of every element's cotangent.
  all_gather: ({ params: { axisName, axis, tiled }, a, ct }) => {
    const summed = bind1("psum", { axisName }, [ct]);
    const at = bind1("axis_index", { axisName }, []);
    if (!tiled) return [bind1("gather", { axis }, [summed, at])];
    const n = a.aval.shape[axis]!;
    const rows = L.add(L.mul(at, lit(n, "int32")), iota([n], 0));
    return [bind1("gather", { axis }, [summed, rows])];
  },
};

function elementRule<P extends Primitive>(
  prim: P,
  params: Params<P>,
  x: readonly Val[],
  y: Tracer,
  ct: Val,
  needs: readonly boolean[],
): Cotangent[] {
  const rule: VjpRule<P> = VJP_RULES[prim];
  const need = (i: number, f: () => Val): Cotangent => (needs[i] ? f() : null);
  return rule({ params, x, a: x[0]!, b: x[1]!, y, ct, needs, need });
}

/** The transpose of reduce_sum: broadcast the reduced cotangent back over `axes`. */
function unreduce(ct: Val, shape: readonly number[], axes: readonly number[]): Val {
  const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  return L.broadcast(ct, shape, kept);
}

/** The transpose of broadcast: sum over the new axes and the stretched size-1 axes. */
function unbroadcast(ct: Val, inShape: readonly number[], dims: readonly number[]): Val {
  const outShape = ct.aval.shape;
  const summed = outShape
    .map((_, k) => k)
    .filter((k) => {
      const i = dims.indexOf(k);
      return i < 0 || (inShape[i] === 1 && outShape[k] !== 1);
    });
  let r = L.reduceSum(ct, summed);
  // The surviving axes are in output order; put them in input order if `dims` was not sorted.
  const survivors = dims.filter((k) => !summed.includes(k));
  const sorted = [...survivors].sort((p, q) => p - q);
  if (survivors.some((k, i) => k !== sorted[i]))
    r = L.transpose(
      r,
      survivors.map((k) => sorted.indexOf(k)),
    );
  return L.reshape(r, inShape);
}

/** The transpose of slice: zeros everywhere except the sliced positions. Strided axes are
 *  interleaved with zeros (pad a trailing axis, then merge it) before padding to place them. */
function unslice(ct: Val, inShape: readonly number[], starts: readonly number[], strides: readonly number[]): Val {
  let r = ct;
  for (let axis = 0; axis < inShape.length; axis++) {
    const s = strides[axis] ?? 1;
    if (s === 1) continue;
    const shape = r.aval.shape;
    const n = shape[axis]!;
    const widened = [...shape.slice(0, axis + 1), 1, ...shape.slice(axis + 1)];
    r = L.reshape(r, widened);
    const high = widened.map((_, k) => (k === axis + 1 ? s - 1 : 0));
    r = L.pad(
      r,
      widened.map(() => 0),
      high,
    );
    const merged = [...shape];
    merged[axis] = n * s;
    r = L.reshape(r, merged);
    // Keep only up to the input's end (the tail is padding zeros).
    const keep = Math.min(n * s, inShape[axis]! - starts[axis]!);
    if (keep < n * s)
      r = L.slice(
        r,
        merged.map(() => 0),
        merged.map((d, k) => (k === axis ? keep : d)),
      );
  }
  const shape = r.aval.shape;
  const high = inShape.map((d, i) => d - starts[i]! - shape[i]!);
  return L.pad(r, starts, high);
}
