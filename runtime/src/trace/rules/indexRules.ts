// Derivative and batching rules of gather and scatter. gather and scatter-add are each other's
// transposes; set / mul / min / max follow JAX (mul's derivative assumes unique indices, as
// JAX's does; min / max send the derivative to every element equal to the result).

import type { Params } from "../../ir/types.js";
import type { Tracer } from "../core.js";
import * as L from "./lax.js";
import type { Val } from "./lax.js";
import { addT, gather, instantiate, offsetIndices, scatter, type BatchDim, type Tangent } from "./laxIndexConv.js";

type Cot = Val | null;

const zerosOf = (x: Val): Val => L.zeros({ shape: x.aval.shape, dtype: x.aval.dtype });
const full = (t: Tangent, x: Val): Val => L.full(instantiate(t, x), x.aval.shape);

export function gatherJvp(p: Params<"gather">, x: readonly Val[], t: readonly Tangent[]): Tangent[] {
  const tx = t[0] ?? null;
  return [tx === null ? null : gather(tx, x[1]!, p.axis)];
}

export function gatherVjp(p: Params<"gather">, x: readonly Val[], ct: Val, needs: readonly boolean[]): Cot[] {
  if (!needs[0]) return [null, null];
  return [scatter(zerosOf(x[0]!), x[1]!, ct, p.axis, "add"), null];
}

/** out = x where nothing lands; for min / max, which elements the result equals. */
function extremumMasks(x: Val, idx: Val, u: Val, y: Val, axis: number): [Val, Val] {
  return [L.mask("eq", x, y), L.mask("eq", u, gather(y, idx, axis))];
}

export function scatterJvp(p: Params<"scatter">, x: readonly Val[], t: readonly Tangent[], y: Tracer): Tangent[] {
  const [xv, idx, u] = [x[0]!, x[1]!, x[2]!];
  const [tx, tu] = [t[0] ?? null, t[2] ?? null];
  if (tx === null && tu === null) return [null];
  switch (p.mode) {
    case "set":
    case "add":
      return [scatter(full(tx, xv), idx, full(tu, u), p.axis, p.mode)];
    case "mul": {
      const fromX: Tangent = tx === null ? null : scatter(tx, idx, u, p.axis, "mul");
      const fromU: Tangent =
        tu === null ? null : scatter(zerosOf(xv), idx, L.mul(gather(xv, idx, p.axis), tu), p.axis, "add");
      return [addT(fromX, fromU)];
    }
    case "min":
    case "max": {
      const [mx, mu] = extremumMasks(xv, idx, u, y, p.axis);
      const fromX: Tangent = tx === null ? null : L.mul(tx, mx);
      const fromU: Tangent = tu === null ? null : scatter(zerosOf(xv), idx, L.mul(tu, mu), p.axis, "add");
      return [addT(fromX, fromU)];
    }
    default:
      return p.mode satisfies never;
  }
}

export function scatterVjp(
  p: Params<"scatter">,
  x: readonly Val[],
  y: Tracer,
  ct: Val,
  needs: readonly boolean[],
): Cot[] {
  const [xv, idx, u] = [x[0]!, x[1]!, x[2]!];
  const need = (i: number, f: () => Val): Cot => (needs[i] ? f() : null);
  switch (p.mode) {
    case "set":
      return [need(0, () => scatter(ct, idx, zerosOf(u), p.axis, "set")), null, need(2, () => gather(ct, idx, p.axis))];
    case "add":
      return [need(0, () => ct), null, need(2, () => gather(ct, idx, p.axis))];
    case "mul":
      return [
        need(0, () => scatter(ct, idx, u, p.axis, "mul")),
        null,
        need(2, () => gather(L.mul(ct, xv), idx, p.axis)),
      ];
    case "min":
    case "max": {
      const [mx, mu] = extremumMasks(xv, idx, u, y, p.axis);
      return [need(0, () => L.mul(ct, mx)), null, need(2, () => L.mul(gather(ct, idx, p.axis), mu))];
    }
    default:
      return p.mode satisfies never;
  }
}

/** Moves axis `from` of `x` to position `to` (helper for the merged-batch forms below). */
const move = L.moveAxis;

export function gatherBatch(
  p: Params<"gather">,
  xs: readonly Val[],
  bdims: readonly BatchDim[],
  size: number,
): [Val, BatchDim] {
  const [x, idx] = [xs[0]!, xs[1]!];
  const [bx, bi] = [bdims[0] ?? null, bdims[1] ?? null];
  if (bi === null) return [gather(move(x, bx!, 0), idx, p.axis + 1), 0];
  if (bx === null) return [gather(x, idx, p.axis), p.axis + bi];
  // Both batched: merge the batch axis into the gathered axis and offset each row's indices.
  const xr = x.aval.shape.length - 1; // per-example rank
  const x1 = move(move(x, bx, 0), p.axis + 1, 1); // [B, N, pre..., post...]
  const s = x1.aval.shape;
  const n = s[1]!;
  const merged = L.reshape(x1, [size * n, ...s.slice(2)]);
  const i1 = move(idx, bi, 0); // [B, I...]
  const out = gather(merged, offsetIndices(i1, n), 0); // [B, I..., pre..., post...]
  const ir = i1.aval.shape.length - 1;
  // Put pre... back before I...: [B, pre, I, post].
  const perm = [0, ...range(ir + 1, ir + 1 + p.axis), ...range(1, ir + 1), ...range(ir + 1 + p.axis, ir + xr)];
  return [L.transpose(out, perm), 0];
}

export function scatterBatch(
  p: Params<"scatter">,
  xs: readonly Val[],
  bdims: readonly BatchDim[],
  size: number,
): [Val, BatchDim] {
  const [x, idx, u] = [xs[0]!, xs[1]!, xs[2]!];
  const [bx, bi, bu] = [bdims[0] ?? null, bdims[1] ?? null, bdims[2] ?? null];
  const front = (v: Val, b: BatchDim) => withBatch(v, b, size);
  if (bi === null) return [scatter(front(x, bx), idx, front(u, bu), p.axis + 1, p.mode), 0];
  const x1 = move(front(x, bx), p.axis + 1, 1); // [B, N, pre..., post...]
  const s = x1.aval.shape;
  const n = s[1]!;
  const merged = L.reshape(x1, [size * n, ...s.slice(2)]);
  const i1 = move(idx, bi, 0);
  const ir = i1.aval.shape.length - 1;
  // Updates [B, pre, I, post] -> [B, I, pre, post], the merged gather's layout.
  const u1 = front(u, bu);
  const uperm = [
    0,
    ...range(1 + p.axis, 1 + p.axis + ir),
    ...range(1, 1 + p.axis),
    ...range(1 + p.axis + ir, u1.aval.shape.length),
  ];
  const out = scatter(merged, offsetIndices(i1, n), L.transpose(u1, uperm), 0, p.mode);
  const back = L.reshape(out, s); // [B, N, pre, post]
  return [move(back, 1, p.axis + 1), 0];
}

function withBatch(v: Val, b: BatchDim, size: number): Val {
  if (b !== null) return move(v, b, 0);
  return L.broadcast(
    v,
    [size, ...v.aval.shape],
    v.aval.shape.map((_, i) => i + 1),
  );
}

function range(a: number, b: number): number[] {
  const r: number[] = [];
  for (let i = a; i < b; i++) r.push(i);
  return r;
}
