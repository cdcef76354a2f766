// Reverse-mode rules (the transposes of the jvp rules in jvpRules.ts): given an equation's primal
// inputs and output and the cotangent of its output, the cotangents of the inputs that need one.
// `null` means zero (or not needed). The backward pass is ordinary `bind` calls: under jit it is
// part of the same traced program, so it fuses with the forward pass.

import { isElementwise } from "../../ir/types.js";
import type { Params, Primitive } from "../../ir/types.js";
import type { Tracer } from "../core.js";
import { extremumMask } from "./jvpRules.js";
import * as L from "./lax.js";
import { gatherVjp, scatterVjp } from "./indexRules.js";
import { convVjp } from "./convRules.js";
import { surfaceVjp } from "./surfaceRules.js";
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
    return L.reduceSum(c, c.aval.shape.map((_, k) => k));
  });
}

function elementRule<P extends Primitive>(
  prim: P,
  params: Params<P>,
  x: readonly Val[],
  y: Tracer,
  ct: Val,
  needs: readonly boolean[],
): Cotangent[] {
  const p = prim as Primitive;
  const [a, b] = [x[0]!, x[1]!];
  const need = (i: number, f: () => Val): Cotangent => (needs[i] ? f() : null);
  switch (p) {
    case "neg": return [L.neg(ct)];
    case "abs": return [L.mul(ct, L.unary("sign", a))];
    case "sqrt": return [L.div(ct, L.mul(y, litLike(y, 2)))];
    case "exp": return [L.mul(ct, y)];
    case "log": return [L.div(ct, a)];
    case "sin": return [L.mul(ct, L.unary("cos", a))];
    case "cos": return [L.neg(L.mul(ct, L.unary("sin", a)))];
    case "tanh": return [L.mul(ct, L.sub(litLike(y, 1), L.mul(y, y)))];
    case "sign": case "logical_not": return [null];
    case "add": return [need(0, () => ct), need(1, () => ct)];
    case "sub": return [need(0, () => ct), need(1, () => L.neg(ct))];
    case "mul": return [need(0, () => L.mul(ct, b)), need(1, () => L.mul(ct, a))];
    case "div": {
      const ctA = L.div(ct, b);
      return [needs[0] ? ctA : null, need(1, () => L.neg(L.mul(ctA, y)))];
    }
    case "pow":
      return [
        need(0, () => L.mul(ct, L.mul(b, L.pow(a, L.sub(b, litLike(b, 1)))))),
        need(1, () => L.mul(ct, L.mul(L.unary("log", a), y))),
      ];
    case "max": case "min": {
      const m = L.mask(p === "max" ? "gt" : "lt", a, b);
      return [need(0, () => L.mul(ct, m)), need(1, () => L.mul(ct, L.sub(litLike(m, 1), m)))];
    }
    case "gt": case "ge": case "lt": case "le": case "eq": case "ne": return [null, null];
    case "where": {
      const z = L.zeros(y.aval);
      return [null, need(1, () => L.where(a, ct, z)), need(2, () => L.where(a, z, ct))];
    }
    case "cast": return [a.aval.dtype === "float32" && y.aval.dtype === "float32" ? ct : null];
    case "random_uniform": case "random_bits": return [null];
    case "iota": return [];
    case "reduce_sum": return [unreduce(ct, a.aval.shape, (params as Params<"reduce_sum">).axes)];
    case "reduce_max": case "reduce_min": {
      const { axes } = params as Params<"reduce_max">;
      const m = extremumMask(a, y, axes);
      const share = L.div(ct, L.reduceSum(m, axes)); // ties share the cotangent equally
      return [L.mul(unreduce(share, a.aval.shape, axes), m)];
    }
    // Integer outputs never reach the tape (see vjp.ts); as in JAX their cotangent is zero.
    case "argmax": case "argmin": return [null];
    case "reshape": return [L.reshape(ct, a.aval.shape)];
    case "transpose": return [L.transpose(ct, L.invertPerm((params as Params<"transpose">).perm))];
    case "broadcast": {
      const { dims } = params as Params<"broadcast">;
      return [unbroadcast(ct, a.aval.shape, dims)];
    }
    case "slice": {
      const { starts, strides } = params as Params<"slice">;
      return [unslice(ct, a.aval.shape, starts, strides)];
    }
    case "pad": {
      const { low } = params as Params<"pad">;
      const shape = a.aval.shape;
      return [L.slice(ct, low, shape.map((d, i) => low[i]! + d))];
    }
    case "concatenate": {
      const { axis } = params as Params<"concatenate">;
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
    }
    case "matmul":
      return [need(0, () => L.matmul(ct, L.swapLast2(b))), need(1, () => L.matmul(L.swapLast2(a), ct))];
    case "gather": return gatherVjp(params as Params<"gather">, x, ct, needs);
    case "scatter": return scatterVjp(params as Params<"scatter">, x, y, ct, needs);
    case "conv": return convVjp(params as Params<"conv">, x, ct, needs);
    case "floor": case "ceil": case "round": case "is_nan": case "log1p": case "expm1":
    case "cumulative": case "sort": case "rev":
      return surfaceVjp(p, params as Params<typeof p>, x, y, ct, needs);
    case "scan": case "while":
      // Loops have several outputs and are differentiated as a whole (trace/loopVjp.ts).
      throw new Error(`internal: ${prim} reached the single-output vjp rules`);
    default:
      return p satisfies never;
  }
}

/** The transpose of reduce_sum: broadcast the reduced cotangent back over `axes`. */
function unreduce(ct: Val, shape: readonly number[], axes: readonly number[]): Val {
  const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  return L.broadcast(ct, shape, kept);
}

/** The transpose of broadcast: sum over the new axes and the stretched size-1 axes. */
function unbroadcast(ct: Val, inShape: readonly number[], dims: readonly number[]): Val {
  const outShape = ct.aval.shape;
  const summed = outShape.map((_, k) => k).filter((k) => {
    const i = dims.indexOf(k);
    return i < 0 || (inShape[i] === 1 && outShape[k] !== 1);
  });
  let r = L.reduceSum(ct, summed);
  // The surviving axes are in output order; put them in input order if `dims` was not sorted.
  const survivors = dims.filter((k) => !summed.includes(k));
  const sorted = [...survivors].sort((p, q) => p - q);
  if (survivors.some((k, i) => k !== sorted[i])) r = L.transpose(r, survivors.map((k) => sorted.indexOf(k)));
  return L.reshape(r, inShape);
}

/** The transpose of slice: zeros everywhere except the sliced positions. Strided axes are
 *  interleaved with zeros (pad a trailing axis, then merge it) before padding to place them. */
function unslice(
  ct: Val, inShape: readonly number[], starts: readonly number[], strides: readonly number[],
): Val {
  let r = ct;
  for (let axis = 0; axis < inShape.length; axis++) {
    const s = strides[axis] ?? 1;
    if (s === 1) continue;
    const shape = r.aval.shape;
    const n = shape[axis]!;
    const widened = [...shape.slice(0, axis + 1), 1, ...shape.slice(axis + 1)];
    r = L.reshape(r, widened);
    const high = widened.map((_, k) => (k === axis + 1 ? s - 1 : 0));
    r = L.pad(r, widened.map(() => 0), high);
    const merged = [...shape];
    merged[axis] = n * s;
    r = L.reshape(r, merged);
    // Keep only up to the input's end (the tail is padding zeros).
    const keep = Math.min(n * s, inShape[axis]! - starts[axis]!);
    if (keep < n * s) r = L.slice(r, merged.map(() => 0), merged.map((d, k) => (k === axis ? keep : d)));
  }
  const shape = r.aval.shape;
  const high = inShape.map((d, i) => d - starts[i]! - shape[i]!);
  return L.pad(r, starts, high);
}
