// Batching rules for vmap: given an equation's operands, each with the position of its batch
// axis (null: not batched), the result and its batch axis. Most rules move the batch axis to the
// front and shift the op's axis parameters by one; matmul folds the batch into a matrix
// dimension where only one side is batched, so `vmap` of a matrix-vector product is one matmul.

import type { Params, Primitive } from "../../ir/types.js";
import { bind1 } from "../core.js";
import * as L from "./lax.js";
import { gatherBatch, scatterBatch } from "./indexRules.js";
import { convBatch } from "./convRules.js";
import { surfaceBatch } from "./surfaceRules.js";
import { linalgBatch } from "./linalgRules.js";
import type { Val } from "./lax.js";
import type { BatchDim } from "./laxIndexConv.js";

export type { BatchDim };

/** Moves `x`'s batch axis to `to`, or adds one of `size` there (broadcast) if it has none. */
export function withBatchAt(x: Val, bdim: BatchDim, to: number, size: number): Val {
  if (bdim !== null) return L.moveAxis(x, bdim, to);
  const shape = [...x.aval.shape];
  shape.splice(to, 0, size);
  const dims = x.aval.shape.map((_, i) => (i < to ? i : i + 1));
  return L.broadcast(x, shape, dims);
}

const shift = (axes: readonly number[]): number[] => axes.map((a) => a + 1);

/** What a rule is given: the equation's params and inputs, each input's batch axis (null:
 *  unbatched), the batch size, and `front(i)`: input i with its batch axis first. */
interface BatchArgs<P extends Primitive> {
  readonly prim: P;
  readonly params: Params<P>;
  readonly xs: readonly Val[];
  readonly bdims: readonly BatchDim[];
  readonly size: number;
  front(i: number): Val;
}
type BatchRule<P extends Primitive> = (r: BatchArgs<P>) => [Val, BatchDim];

const elementwiseBatch = <P extends Primitive>({ prim, params, xs, bdims, size }: BatchArgs<P>): [Val, BatchDim] =>
  elementwise(prim, params, xs, bdims, size);

/** One draw per key, as one op over the batch of keys (the primitive draws row b with key b),
 *  exactly as a loop over keys would; a batch of batches of keys is one batch of size × B. */
const randomBatch: BatchRule<"random_uniform" | "random_bits"> = ({ prim, params: { shape }, size, front }) => {
  const keys = front(0);
  if (keys.aval.shape.length === 2) return [bind1(prim, { shape: [size, ...shape] }, [keys]), 0];
  const inner = keys.aval.shape[1]!;
  const flat = bind1(prim, { shape: [size * inner, ...shape.slice(1)] }, [L.reshape(keys, [size * inner, 2])]);
  return [L.reshape(flat, [size, ...shape]), 0];
};
const reduceBatch: BatchRule<"reduce_sum" | "reduce_max" | "reduce_min"> = ({ prim, params: { axes }, front }) => [
  bind1(prim, { axes: shift(axes) }, [front(0)]),
  0,
];
const argBatch: BatchRule<"argmax" | "argmin"> = ({ prim, params: { axis }, front }) => [
  bind1(prim, { axis: axis + 1 }, [front(0)]),
  0,
];

/** One rule per primitive: a primitive without one is a compile error here. */
const BATCH_RULES: { [P in Primitive]: BatchRule<P> } = {
  neg: elementwiseBatch,
  abs: elementwiseBatch,
  sqrt: elementwiseBatch,
  exp: elementwiseBatch,
  log: elementwiseBatch,
  sin: elementwiseBatch,
  cos: elementwiseBatch,
  tanh: elementwiseBatch,
  sign: elementwiseBatch,
  logical_not: elementwiseBatch,
  add: elementwiseBatch,
  sub: elementwiseBatch,
  mul: elementwiseBatch,
  div: elementwiseBatch,
  pow: elementwiseBatch,
  atan2: elementwiseBatch,
  max: elementwiseBatch,
  min: elementwiseBatch,
  gt: elementwiseBatch,
  ge: elementwiseBatch,
  lt: elementwiseBatch,
  le: elementwiseBatch,
  eq: elementwiseBatch,
  ne: elementwiseBatch,
  where: elementwiseBatch,
  optimization_barrier: elementwiseBatch,
  cast: elementwiseBatch,
  bitwise_and: elementwiseBatch,
  bitwise_or: elementwiseBatch,
  bitwise_xor: elementwiseBatch,
  shift_left: elementwiseBatch,
  shift_right_arithmetic: elementwiseBatch,
  bitcast_convert: elementwiseBatch,
  random_uniform: randomBatch,
  random_bits: randomBatch,
  random_fold_in: ({ size, front }) => {
    const [keys, data] = [front(0), front(1)];
    if (keys.aval.shape.length === 2) return [bind1("random_fold_in", {}, [keys, data]), 0];
    const inner = keys.aval.shape[1]!; // a batch of batches of keys: one batch of size × inner
    const flat = bind1("random_fold_in", {}, [L.reshape(keys, [size * inner, 2]), L.reshape(data, [size * inner])]);
    return [L.reshape(flat, [size, inner, 2]), 0];
  },
  iota: ({ params }) => [bind1("iota", params, []), null],
  reduce_sum: reduceBatch,
  reduce_max: reduceBatch,
  reduce_min: reduceBatch,
  argmax: argBatch,
  argmin: argBatch,
  reshape: ({ params: { shape }, size, front }) => [L.reshape(front(0), [size, ...shape]), 0],
  transpose: ({ params: { perm }, front }) => [L.transpose(front(0), [0, ...shift(perm)]), 0],
  broadcast: ({ params: { shape, dims }, size, front }) => [
    L.broadcast(front(0), [size, ...shape], [0, ...shift(dims)]),
    0,
  ],
  slice: ({ params: { starts, limits, strides }, size, front }) => [
    L.slice(front(0), [0, ...starts], [size, ...limits], [1, ...strides]),
    0,
  ],
  pad: ({ params: { low, high, value }, front }) => [
    bind1("pad", { low: [0, ...low], high: [0, ...high], value }, [front(0)]),
    0,
  ],
  concatenate: ({ params: { axis }, xs, front }) => [
    L.concatenate(
      xs.map((_, i) => front(i)),
      axis + 1,
    ),
    0,
  ],
  matmul: ({ xs, bdims, size }) => matmul(xs[0]!, xs[1]!, bdims[0] ?? null, bdims[1] ?? null, size),
  gather: ({ params, xs, bdims, size }) => gatherBatch(params, xs, bdims, size),
  scatter: ({ params, xs, bdims, size }) => scatterBatch(params, xs, bdims, size),
  conv: ({ params, xs, bdims, size }) => convBatch(params, xs, bdims, size),
  floor: elementwiseBatch,
  ceil: elementwiseBatch,
  round: elementwiseBatch,
  is_nan: elementwiseBatch,
  log1p: elementwiseBatch,
  expm1: elementwiseBatch,
  erf: elementwiseBatch,
  erfc: elementwiseBatch,
  cumulative: ({ prim, params, front }) => surfaceBatch(prim, params, front),
  sort: ({ prim, params, front }) => surfaceBatch(prim, params, front),
  cholesky: ({ prim, params, xs, front }) => linalgBatch(prim, params, xs, front),
  triangular_solve: ({ prim, params, xs, front }) => linalgBatch(prim, params, xs, front),
  lu: ({ prim, params, xs, front }) => linalgBatch(prim, params, xs, front),
  rev: ({ prim, params, front }) => surfaceBatch(prim, params, front),
  // Made by the compiler after tracing (passes/sortScatterIndices.ts); no trace ever holds one.
  scatter_sorted: () => {
    throw new Error("internal: scatter_sorted reached the batching rules (the compiler makes it after tracing)");
  },
  // Loops have several outputs and are batched as a whole (trace/loopBatch.ts).
  scan: () => {
    throw new Error("internal: scan reached the single-output batching rules");
  },
  while: () => {
    throw new Error("internal: while reached the single-output batching rules");
  },
  // Collectives need the vmap's axis name, so its trace batches them itself (trace/vmap.ts).
  psum: () => {
    throw new Error("internal: psum reached the batching rules");
  },
  pmax: () => {
    throw new Error("internal: pmax reached the batching rules");
  },
  pmin: () => {
    throw new Error("internal: pmin reached the batching rules");
  },
  axis_index: () => {
    throw new Error("internal: axis_index reached the batching rules");
  },
  all_gather: () => {
    throw new Error("internal: all_gather reached the batching rules");
  },
  ppermute: () => {
    throw new Error("internal: ppermute reached the batching rules");
  },
};

export function batchRule<P extends Primitive>(
  prim: P,
  params: Params<P>,
  xs: readonly Val[],
  bdims: readonly BatchDim[],
  size: number,
): [Val, BatchDim] {
  const rule: BatchRule<P> = BATCH_RULES[prim];
  return rule({ prim, params, xs, bdims, size, front: (i) => withBatchAt(xs[i]!, bdims[i] ?? null, 0, size) });
}

/** Elementwise ops: put every batched operand's batch axis where the first one has it, and give
 *  unbatched full-shape operands that axis by broadcasting (rank-0 operands broadcast implicitly). */
function elementwise(
  p: Primitive,
  params: Params,
  xs: readonly Val[],
  bdims: readonly BatchDim[],
  size: number,
): [Val, BatchDim] {
  const outRank = Math.max(...xs.map((x, i) => x.aval.shape.length - (bdims[i] === null ? 0 : 1)));
  // A batched rank-0 operand beside full-rank ones needs its batch axis at the front, broadcast.
  let target = bdims.find((b) => b !== null) ?? 0;
  const needsFront = xs.some((x, i) => bdims[i] !== null && x.aval.shape.length - 1 < outRank);
  if (needsFront) target = 0;
  const outShape = outShapeOf(xs, bdims, outRank);
  const ops = xs.map((x, i) => {
    const b = bdims[i] ?? null;
    const rank = x.aval.shape.length - (b === null ? 0 : 1);
    if (b === null && rank === 0) return x; // implicit broadcast, no batch axis needed
    if (b !== null && rank < outRank) {
      // A batched scalar: [size] -> [size, ...outShape]
      return L.broadcast(L.moveAxis(x, b, 0), [size, ...outShape], [0]);
    }
    return withBatchAt(x, b, target, size);
  });
  return [bind1(p, params as never, ops), target];
}

function outShapeOf(xs: readonly Val[], bdims: readonly BatchDim[], outRank: number): number[] {
  for (let i = 0; i < xs.length; i++) {
    const shape = [...xs[i]!.aval.shape];
    const b = bdims[i] ?? null;
    if (b !== null) shape.splice(b, 1);
    if (shape.length === outRank) return shape;
  }
  return [];
}

/** a[...batch, m, k] @ b[...batch, k, n] with a vmapped axis on either side. */
function matmul(a: Val, b: Val, ba: BatchDim, bb: BatchDim, size: number): [Val, BatchDim] {
  if (ba !== null && bb !== null) return [L.matmul(L.moveAxis(a, ba, 0), L.moveAxis(b, bb, 0)), 0];
  if (ba !== null) {
    // Fold the vmapped axis into a's rows: [...batch, B, m, k] -> [...batch, B*m, k].
    const r = a.aval.shape.length - 1;
    const moved = L.moveAxis(a, ba, r - 2);
    const s = moved.aval.shape;
    const folded = L.reshape(moved, [...s.slice(0, r - 2), size * s[r - 1]!, s[r]!]);
    const out = L.matmul(folded, b);
    const os = out.aval.shape;
    return [L.reshape(out, [...os.slice(0, r - 2), size, s[r - 1]!, os[os.length - 1]!]), r - 2];
  }
  // Fold it into b's columns: [...batch, k, n, B] -> [...batch, k, n*B].
  const r = b.aval.shape.length - 1;
  const moved = L.moveAxis(b, bb!, r);
  const s = moved.aval.shape;
  const folded = L.reshape(moved, [...s.slice(0, r - 1), s[r - 1]! * size]);
  const out = L.matmul(a, folded);
  const os = out.aval.shape;
  return [L.reshape(out, [...os.slice(0, os.length - 1), s[r - 1]!, size]), os.length];
}
