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
import type { Val } from "./lax.js";

export type BatchDim = number | null;

/** Moves `x`'s batch axis to `to`, or adds one of `size` there (broadcast) if it has none. */
export function withBatchAt(x: Val, bdim: BatchDim, to: number, size: number): Val {
  if (bdim !== null) return L.moveAxis(x, bdim, to);
  const shape = [...x.aval.shape];
  shape.splice(to, 0, size);
  const dims = x.aval.shape.map((_, i) => (i < to ? i : i + 1));
  return L.broadcast(x, shape, dims);
}

const shift = (axes: readonly number[]): number[] => axes.map((a) => a + 1);

export function batchRule<P extends Primitive>(
  prim: P,
  params: Params<P>,
  xs: readonly Val[],
  bdims: readonly BatchDim[],
  size: number,
): [Val, BatchDim] {
  const p = prim as Primitive;
  const front = (i: number) => withBatchAt(xs[i]!, bdims[i] ?? null, 0, size);
  switch (p) {
    case "neg": case "abs": case "sqrt": case "exp": case "log": case "sin": case "cos":
    case "tanh": case "sign": case "logical_not":
    case "add": case "sub": case "mul": case "div": case "pow": case "max": case "min":
    case "gt": case "ge": case "lt": case "le": case "eq": case "ne":
    case "where": case "cast":
    case "floor": case "ceil": case "round": case "is_nan": case "log1p": case "expm1":
      return elementwise(p, params, xs, bdims, size);
    case "cumulative": case "sort": case "rev":
      return surfaceBatch(p, params as Params<typeof p>, front);
    case "random_uniform": case "random_bits": {
      // One draw per key: key i of the batch fills slice i, exactly as a loop over keys would.
      const { shape } = params as Params<"random_bits">;
      const keys = front(0);
      const draws: Val[] = [];
      for (let i = 0; i < size; i++) {
        const key = L.reshape(L.slice(keys, [i, 0], [i + 1, 2]), [2]);
        draws.push(L.reshape(bind1(p, { shape: [...shape] }, [key]), [1, ...shape]));
      }
      return [L.concatenate(draws, 0), 0];
    }
    case "iota": return [bind1("iota", params as Params<"iota">, []), null];
    case "reduce_sum": case "reduce_max": case "reduce_min": {
      const { axes } = params as Params<"reduce_sum">;
      return [bind1(p, { axes: shift(axes) }, [front(0)]), 0];
    }
    case "argmax": case "argmin": {
      const { axis } = params as Params<"argmax">;
      return [bind1(p, { axis: axis + 1 }, [front(0)]), 0];
    }
    case "reshape": {
      const { shape } = params as Params<"reshape">;
      return [L.reshape(front(0), [size, ...shape]), 0];
    }
    case "transpose": {
      const { perm } = params as Params<"transpose">;
      return [L.transpose(front(0), [0, ...shift(perm)]), 0];
    }
    case "broadcast": {
      const { shape, dims } = params as Params<"broadcast">;
      return [L.broadcast(front(0), [size, ...shape], [0, ...shift(dims)]), 0];
    }
    case "slice": {
      const { starts, limits, strides } = params as Params<"slice">;
      return [L.slice(front(0), [0, ...starts], [size, ...limits], [1, ...strides]), 0];
    }
    case "pad": {
      const { low, high, value } = params as Params<"pad">;
      return [bind1("pad", { low: [0, ...low], high: [0, ...high], value }, [front(0)]), 0];
    }
    case "concatenate": {
      const { axis } = params as Params<"concatenate">;
      return [L.concatenate(xs.map((_, i) => front(i)), axis + 1), 0];
    }
    case "matmul": return matmul(xs[0]!, xs[1]!, bdims[0] ?? null, bdims[1] ?? null, size);
    case "gather": return gatherBatch(params as Params<"gather">, xs, bdims, size);
    case "scatter": return scatterBatch(params as Params<"scatter">, xs, bdims, size);
    case "conv": return convBatch(params as Params<"conv">, xs, bdims, size);
    case "scan": case "while":
      // Loops have several outputs and are batched as a whole (trace/loopBatch.ts).
      throw new Error(`internal: ${p} reached the single-output batching rules`);
    default:
      return p satisfies never;
  }
}

/** Elementwise ops: put every batched operand's batch axis where the first one has it, and give
 *  unbatched full-shape operands that axis by broadcasting (rank-0 operands broadcast implicitly). */
function elementwise(p: Primitive, params: Params, xs: readonly Val[], bdims: readonly BatchDim[], size: number): [Val, BatchDim] {
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
