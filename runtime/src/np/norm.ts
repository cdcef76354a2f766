// np.linalg: norm (vector norms of any order, and the Frobenius / 1 / inf matrix norms), as
// reductions over |x|, so each is one fused reduction kernel.

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import { Tracer } from "../trace/core.js";
import * as ew from "./elementwise.js";
import { asTracer, cast, type ArrayLike } from "./promote.js";
import { max, min, sum } from "./reductions.js";
import { normalizeAxes } from "./validate.js";

export type NormOrd = number | "fro" | null | undefined;

export interface NormOptions {
  keepdims?: boolean;
}

/** jnp.linalg.norm(x, ord, axis, keepdims). Vector norms over one axis (or a flattened 1-D
 *  array); matrix norms over two axes: "fro" (the default), 1, -1, inf, -inf. */
export function norm(
  a: ArrayLike,
  ord?: NormOrd,
  axis?: number | readonly number[] | null,
  options: NormOptions = {},
): Tracer {
  checkOptions("norm", options, ["keepdims"]);
  const x = cast(asTracer("norm", a), "float32");
  const keepdims = options.keepdims ?? false;
  if (axis === undefined || axis === null) {
    if (ord === undefined || ord === null || (x.ndim !== 2 && ord === 2)) {
      return ew.sqrt(sum(ew.square(x), undefined, { keepdims }));
    }
    if (x.ndim === 1) return vectorNorm(x, ord, [0], keepdims);
    if (x.ndim === 2) return matrixNorm(x, ord, [0, 1], keepdims);
    throw new JitScopeError("value", `norm: ord ${String(ord)} needs axis for a ${x.ndim}-d array`);
  }
  const axes = normalizeAxes("norm", axis, x.ndim, x.aval.shape);
  if (typeof axis === "number" || axes.length === 1) return vectorNorm(x, ord ?? 2, axes, keepdims);
  if (axes.length === 2)
    return matrixNorm(x, ord ?? "fro", typeof axis === "number" ? axes : normalizeAxesOrdered(axis, x.ndim), keepdims);
  throw new JitScopeError("value", `norm: axis must name 1 or 2 axes, got [${axes}]`);
}

function normalizeAxesOrdered(axis: readonly number[], ndim: number): number[] {
  return axis.map((a) => (a < 0 ? a + ndim : a));
}

function vectorNorm(x: Tracer, ord: NormOrd, axes: number[], keepdims: boolean): Tracer {
  const abs = ew.abs(x);
  const o = { keepdims };
  if (ord === "fro") throw new JitScopeError("value", `norm: ord "fro" is a matrix norm; a vector norm takes a number`);
  if (ord === null || ord === undefined || ord === 2) return ew.sqrt(sum(ew.square(x), axes, o));
  if (ord === Infinity) return max(abs, axes, o);
  if (ord === -Infinity) return min(abs, axes, o);
  if (ord === 0) return cast(sum(ew.not_equal(x, 0), axes, o), "float32");
  if (ord === 1) return sum(abs, axes, o);
  return ew.power(sum(ew.power(abs, ord), axes, o), 1 / ord);
}

function matrixNorm(x: Tracer, ord: NormOrd, axes: number[], keepdims: boolean): Tracer {
  const [r, c] = axes as [number, number];
  const o = { keepdims };
  const abs = ew.abs(x);
  // After summing one axis, the other's index shifts down when it came after it.
  const after = (kept: number, removed: number) => (keepdims || kept < removed ? kept : kept - 1);
  switch (ord) {
    case undefined:
    case null:
    case "fro":
      return ew.sqrt(sum(ew.square(x), [r, c], o));
    case 1:
      return max(sum(abs, r, o), after(c, r), o);
    case -1:
      return min(sum(abs, r, o), after(c, r), o);
    case Infinity:
      return max(sum(abs, c, o), after(r, c), o);
    case -Infinity:
      return min(sum(abs, c, o), after(r, c), o);
    default:
      throw new JitScopeError(
        "value",
        `norm: matrix norm ord ${String(ord)} is not one of "fro", "nuc", 1, -1, 2, -2, Infinity, -Infinity`,
      );
  }
}
