// Functions applied piece by piece, as jax.numpy has them: apply_along_axis (func1d mapped over
// every 1-D slice with vmap, as JAX does) and piecewise (each function evaluated on the whole
// input, and each element taking the value of the last condition that holds there).

import { JitScopeError } from "../ir/errors.js";
import { Tracer } from "../trace/core.js";
import { vmap } from "../trace/vmap.js";
import { full } from "./creation.js";
import * as ew from "./elementwise.js";
import { asTracer, cast, type ArrayLike } from "./promote.js";
import { take } from "./indexing.js";
import { broadcast_to } from "./shape.js";
import { avalText, normalizeAxis } from "./validate.js";

/** func1d applied to every 1-D slice of `arr` along `axis`; its output's axes take that axis's
 *  place, as jnp.apply_along_axis (func1d must be traceable: it runs under vmap). */
export function apply_along_axis(func1d: (slice: Tracer) => Tracer, axis: number, arr: ArrayLike): Tracer {
  if (typeof func1d !== "function")
    throw new JitScopeError("value", "apply_along_axis: func1d must be a function of one 1-D array");
  const x = asTracer("apply_along_axis", arr);
  const ax = normalizeAxis("apply_along_axis", axis, x.ndim, x.shape);
  let f: (t: Tracer) => Tracer = (t) => asTracer("apply_along_axis", func1d(t));
  // The axes after `axis` are mapped innermost and put back last; those before it, outermost.
  for (let i = 1; i < x.ndim - ax; i++) f = vmap(f, i, -1);
  for (let i = 0; i < ax; i++) f = vmap(f, 0, 0);
  return f(x);
}

/** A piece of piecewise: a constant, or a function of the whole input array. */
export type Piece = number | ((x: Tracer) => ArrayLike);

/** Where condlist[i] holds, funclist[i](x) (or the constant); where none holds, the extra last
 *  function (or 0). Where several hold, the last one wins (as JAX's). x's dtype. */
export function piecewise(x: ArrayLike, condlist: readonly ArrayLike[] | Tracer, funclist: readonly Piece[]): Tracer {
  const t = asTracer("piecewise", x);
  const conds =
    condlist instanceof Tracer
      ? Array.from({ length: condlist.ndim > t.ndim ? condlist.shape[0]! : 1 }, (_, i) =>
          condlist.ndim > t.ndim ? take(condlist, i, 0) : condlist,
        )
      : condlist.map((c) => asTracer("piecewise", c));
  const [nc, nf] = [conds.length, funclist.length];
  if (nf !== nc && nf !== nc + 1)
    throw new JitScopeError(
      "value",
      `piecewise: with ${nc} condition(s), either ${nc} or ${nc + 1} functions are expected; got ${nf}`,
    );
  const evaluate = (piece: Piece): Tracer => {
    const v = typeof piece === "function" ? asTracer("piecewise", piece(t)) : full([], piece, { dtype: t.dtype });
    return broadcast_to(cast(v, t.dtype), t.shape);
  };
  let out = nf === nc + 1 ? evaluate(funclist[nc]!) : full(t.shape, 0, { dtype: t.dtype });
  conds.forEach((c, i) => {
    if (c.dtype !== "bool" || c.ndim > t.ndim)
      throw new JitScopeError(
        "value",
        `piecewise: condition ${i} must be a boolean array of x's shape ${avalText(t.aval)}, got ${avalText(c.aval)}`,
      );
    out = ew.where(broadcast_to(c, t.shape), evaluate(funclist[i]!), out);
  });
  return out;
}
