// Shape functions beyond reshape/transpose/concatenate (issue 14; np.pad has pad.ts): roll, tril,
// triu, split, tile, repeat, flip, outer. Each is index arithmetic over existing layout primitives
// (pad, slice, concatenate, broadcast, reshape, rev), so it fuses into its neighbours' kernels,
// and grad and vmap come from those primitives' rules.

import { JitScopeError } from "../ir/errors.js";
import { bind1, lit, Tracer } from "../trace/core.js";
import * as ew from "./elementwise.js";
import { asTracer, type ArrayLike } from "./promote.js";
import { concatenate, reshape } from "./shape.js";
import { normalizeAxes, normalizeAxis, product } from "./validate.js";

/** x[start:stop] along `axis`, whole along the others. */
export function sliceAxis(x: Tracer, axis: number, start: number, stop: number): Tracer {
  const starts = x.shape.map((_, i) => (i === axis ? start : 0));
  const limits = x.shape.map((d, i) => (i === axis ? stop : d));
  return bind1("slice", { starts, limits, strides: x.shape.map(() => 1) }, [x]);
}

/** Elements shifted by `shift` along `axis`, wrapping around (flattened when axis is omitted). */
export function roll(
  a: ArrayLike,
  shift: number | readonly number[],
  axis?: number | readonly number[] | null,
): Tracer {
  const x = asTracer("roll", a);
  if (axis === undefined || axis === null) {
    if (typeof shift !== "number") throw new JitScopeError("value", `roll: without axis, shift must be one number`);
    return reshape(roll(reshape(x, [-1]), shift, 0), x.shape);
  }
  const axes = typeof axis === "number" ? [axis] : [...axis];
  const shifts = typeof shift === "number" ? axes.map(() => shift) : [...shift];
  if (shifts.length !== axes.length)
    throw new JitScopeError("value", `roll: ${shifts.length} shifts for ${axes.length} axes`);
  let out = x;
  axes.forEach((ax0, k) => {
    const ax = normalizeAxis("roll", ax0, x.ndim, x.aval.shape);
    const n = x.shape[ax]!;
    if (n === 0) return;
    const s = ((shifts[k]! % n) + n) % n;
    if (s === 0) return;
    out = concatenate([sliceAxis(out, ax, n - s, n), sliceAxis(out, ax, 0, n - s)], ax);
  });
  return out;
}

/** Keeps the entries with (column - row) on the chosen side of diagonal k (last two axes). */
function triangle(op: "tril" | "triu", a: ArrayLike, k: number): Tracer {
  const x = asTracer(op, a);
  if (x.ndim < 2) throw new JitScopeError("shape", `${op}: needs at least 2 dims, got shape [${x.shape}]`);
  const [r, c] = x.shape.slice(-2) as [number, number];
  const rows = bind1("iota", { shape: [r, c], axis: 0, dtype: "int32" }, []);
  const cols = bind1("iota", { shape: [r, c], axis: 1, dtype: "int32" }, []);
  const diff = ew.subtract(cols, rows);
  const keep = op === "tril" ? ew.less_equal(diff, k) : ew.greater_equal(diff, k);
  return ew.where(keep, x, bind1("broadcast", { shape: [], dims: [] }, [lit(0, x.dtype)]));
}
export const tril = (a: ArrayLike, k = 0): Tracer => triangle("tril", a, k);
export const triu = (a: ArrayLike, k = 0): Tracer => triangle("triu", a, k);

/** Splits along `axis` into n equal parts, or at the given indices. */
export function split(a: ArrayLike, indices_or_sections: number | readonly number[], axis = 0): Tracer[] {
  const x = asTracer("split", a);
  const ax = normalizeAxis("split", axis, x.ndim, x.aval.shape);
  const n = x.shape[ax]!;
  let cuts: number[];
  if (typeof indices_or_sections === "number") {
    const s = indices_or_sections;
    if (!Number.isInteger(s) || s < 1 || n % s !== 0) {
      throw new JitScopeError(
        "shape",
        `split: axis ${ax} of size ${n} does not divide into ${s} equal sections (use a list of indices, as np.array_split would)`,
      );
    }
    cuts = Array.from({ length: s - 1 }, (_, i) => ((i + 1) * n) / s);
  } else {
    cuts = indices_or_sections.map((i) => Math.min(Math.max(i < 0 ? i + n : i, 0), n));
  }
  const bounds = [0, ...cuts, n];
  const parts: Tracer[] = [];
  for (let i = 0; i + 1 < bounds.length; i++)
    parts.push(sliceAxis(x, ax, bounds[i]!, Math.max(bounds[i]!, bounds[i + 1]!)));
  return parts;
}

/** The array repeated `reps` times along each axis (one broadcast and one reshape). */
export function tile(a: ArrayLike, reps: number | readonly number[]): Tracer {
  const x0 = asTracer("tile", a);
  const r0 = typeof reps === "number" ? [reps] : [...reps];
  if (r0.some((v) => !Number.isInteger(v) || v < 0))
    throw new JitScopeError("value", `tile: reps must be non-negative integers, got [${r0}]`);
  const rank = Math.max(x0.ndim, r0.length);
  const shape = [...Array(rank - x0.ndim).fill(1), ...x0.shape] as number[];
  const r = [...Array(rank - r0.length).fill(1), ...r0] as number[];
  const x = reshape(x0, shape);
  // [d0, d1] → [1, d0, 1, d1] → [r0, d0, r1, d1] → [r0·d0, r1·d1]
  const wide = shape.flatMap((d, i) => [r[i]!, d]);
  const dims = shape.map((_, i) => 2 * i + 1);
  const b = bind1("broadcast", { shape: wide, dims }, [x]);
  return reshape(
    b,
    shape.map((d, i) => d * r[i]!),
  );
}

/** Each element repeated `repeats` times along `axis` (flattened when axis is omitted). */
export function repeat(a: ArrayLike, repeats: number, axis?: number | null): Tracer {
  const x0 = asTracer("repeat", a);
  if (typeof repeats !== "number" || !Number.isInteger(repeats) || repeats < 0) {
    throw new JitScopeError(
      "value",
      `repeat: repeats must be a non-negative integer (per-element repeat counts need a gather), got ${String(repeats)}`,
    );
  }
  const x = axis === undefined || axis === null ? reshape(x0, [-1]) : x0;
  const ax = axis === undefined || axis === null ? 0 : normalizeAxis("repeat", axis, x.ndim, x.aval.shape);
  const wide = [...x.shape.slice(0, ax + 1), repeats, ...x.shape.slice(ax + 1)];
  const dims = x.shape.map((_, i) => (i <= ax ? i : i + 1));
  const out = [...x.shape];
  out[ax] = out[ax]! * repeats;
  return reshape(bind1("broadcast", { shape: wide, dims }, [x]), out);
}

/** Reversed along `axis` (every axis when omitted). */
export function flip(a: ArrayLike, axis?: number | readonly number[] | null): Tracer {
  const x = asTracer("flip", a);
  const axes = normalizeAxes("flip", axis, x.ndim, x.aval.shape).filter((i) => x.shape[i]! > 1);
  if (axes.length === 0) return x;
  return bind1("rev", { axes }, [x]);
}
export const fliplr = (a: ArrayLike): Tracer => flip(a, 1);
export const flipud = (a: ArrayLike): Tracer => flip(a, 0);

/** outer(a, b)[i, j] = a.ravel()[i] · b.ravel()[j]. */
export function outer(a: ArrayLike, b: ArrayLike): Tracer {
  const x = asTracer("outer", a);
  const y = asTracer("outer", b);
  return ew.multiply(reshape(x, [product(x.shape), 1]), reshape(y, [1, product(y.shape)]));
}
