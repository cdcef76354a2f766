// Basic indexing. Two forms (also as methods `a.slice(...)`, `a.take(...)`):
//
//   np.slice(a, starts, limits?, strides?)  a strided box, as Python's a[s0:l0:st0, s1:l1:st1, …]
//     `starts`/`limits`/`strides` list one entry per leading axis (shorter lists leave the
//     remaining axes whole); `null` means "from the start" / "to the end"; negative values count
//     from the end and out-of-range values clamp, as Python slices do; strides are positive.
//     np.slice(x, [1], [3]) (or np.slice(x, 1, 3)) is x[1:3]; np.slice(x, [null, 0], [null, null], [1, 2]) is x[:, ::2].
//
//   np.take(a, indices, axis?, { mode, fill_value })  picks whole entries along `axis` (the
//     flattened array when axis is omitted), as NumPy's take: a number removes the axis, a list
//     of numbers or an int32 Array of shape S replaces it with S. Out-of-range indices as JAX's
//     take (np/outOfBounds.ts): by default ("fill") a negative index counts from the end once and
//     one still outside reads fill_value (NaN for float32); "clip" clamps, "wrap" counts modulo
//     the axis. Static (JS) indices outside the axis are an error unless clipped or wrapped. An
//     index Array makes one `gather` kernel.
//
//   np.take_along_axis(a, indices, axis, { mode, fill_value })  as NumPy's, with JAX's "fill"
//     (the default) or "clip" after counting negative indices from the end; also one gather.

import { JitScopeError } from "../ir/errors.js";
import { bind1, lit, Tracer } from "../trace/core.js";
import { concatenate, reshape } from "./shape.js";
import { asTracer, type ArrayLike } from "./promote.js";
import { avalText, normalizeAxis } from "./validate.js";
import { stridesOf } from "../ir/types.js";
import { array } from "./creation.js";
import { checkOptions } from "../apiOptions.js";
import { mod } from "./mathSurface.js";
import {
  checkMode,
  clampInto,
  fillValue,
  filled,
  indexInside,
  READ_OPTIONS,
  type OutOfBoundsMode,
  type ReadOptions,
} from "./outOfBounds.js";

/** JAX's keywords of take and take_along_axis (np/outOfBounds.ts). */
export type TakeOptions = ReadOptions;

type Bound = number | null | undefined;

export function slice(
  a: ArrayLike,
  startsArg: readonly Bound[] | number,
  limitsArg: readonly Bound[] | number = [],
  stridesArg: readonly Bound[] | number = [],
): Tracer {
  const x = asTracer("slice", a);
  const starts = boundList("starts", startsArg, x);
  const limits = boundList("limits", limitsArg, x);
  const strides = boundList("strides", stridesArg, x);
  const n = x.ndim;
  const given = Math.max(starts.length, limits.length, strides.length);
  if (given > n) {
    throw new JitScopeError("axis", `slice: ${given} axes given for ${avalText(x.aval)}, which has ${n}`);
  }
  const st: number[] = [];
  const li: number[] = [];
  const sd: number[] = [];
  for (let i = 0; i < n; i++) {
    const d = x.aval.shape[i]!;
    const step = strides[i] ?? 1;
    if (!Number.isInteger(step) || step <= 0) {
      throw new JitScopeError(
        "value",
        `slice: stride ${String(step)} on axis ${i} of ${avalText(x.aval)} must be a positive integer`,
      );
    }
    const s = clampIndex("start", starts[i], 0, d, i, x);
    const l = Math.max(s, clampIndex("limit", limits[i], d, d, i, x));
    st.push(s);
    li.push(l);
    sd.push(step);
  }
  const whole = st.every((s, i) => s === 0 && li[i] === x.aval.shape[i] && sd[i] === 1);
  return whole ? x : bind1("slice", { starts: st, limits: li, strides: sd }, [x]);
}

/** A list of bounds; a single number means a list of one (the first axis). */
function boundList(what: string, v: readonly Bound[] | number, x: Tracer): readonly Bound[] {
  if (typeof v === "number") return [v];
  if (!Array.isArray(v)) {
    throw new JitScopeError(
      "value",
      `slice: ${what} must be a list (one entry per leading axis) or a number, got ${v === null ? "null" : typeof v} for ${avalText(x.aval)}`,
    );
  }
  return v;
}

function clampIndex(what: string, v: Bound, dflt: number, d: number, axis: number, x: Tracer): number {
  if (v === null || v === undefined) return dflt;
  if (typeof v !== "number" || !Number.isInteger(v)) {
    throw new JitScopeError(
      "value",
      `slice: ${what} ${String(v)} on axis ${axis} of ${avalText(x.aval)} must be an integer or null`,
    );
  }
  const w = v < 0 ? v + d : v;
  return Math.min(Math.max(w, 0), d);
}

export function take(
  a: ArrayLike,
  indices: number | readonly number[] | Tracer,
  axis?: number | null,
  options: TakeOptions = {},
): Tracer {
  checkOptions("take", options, READ_OPTIONS);
  const mode = checkMode("take", options.mode, ["fill", "clip", "wrap"], "fill");
  let x = asTracer("take", a);
  if (axis === undefined || axis === null) {
    x = reshape(x, [-1]);
    axis = 0;
  }
  const ax = normalizeAxis("take", axis, x.ndim, x.aval.shape);
  const d = x.aval.shape[ax]!;
  if (indices instanceof Tracer)
    return takeDynamic(x, indices, ax, mode, fillValue("take", x.dtype, options.fill_value));
  const list = (typeof indices === "number" ? [indices] : [...indices]).map((raw) => {
    if (typeof raw !== "number" || !Number.isInteger(raw))
      throw new JitScopeError("value", `take: index ${String(raw)} must be an integer`);
    if (mode === "clip") return Math.min(Math.max(raw, 0), d - 1);
    if (mode === "wrap") return ((raw % d) + d) % d;
    if (raw < -d || raw >= d)
      throw new JitScopeError(
        "value",
        `take: index ${String(raw)} is out of bounds for axis ${ax} of ${avalText(x.aval)} (size ${d}); pass { mode: "clip" } or { mode: "wrap" } to bring it inside`,
      );
    return raw < 0 ? raw + d : raw;
  });
  // A list is one gather from a constant index array (not a slice per entry and a concatenate).
  if (typeof indices !== "number" && list.length > 1)
    return bind1("gather", { axis: ax }, [x, array(list, { dtype: "int32" })]);
  const picked = list.map((i) => {
    const starts = x.shape.map((_, k) => (k === ax ? i : 0));
    const limits = x.shape.map((s, k) => (k === ax ? i + 1 : s));
    return bind1("slice", { starts, limits, strides: x.shape.map(() => 1) }, [x]);
  });
  if (typeof indices === "number")
    return reshape(
      picked[0]!,
      x.shape.filter((_, k) => k !== ax),
    );
  if (picked.length === 0) {
    throw new JitScopeError("value", `take: an empty index list is not supported (array ${avalText(x.aval)})`);
  }
  return concatenate(picked, ax);
}

/** Gathers with indices known only on the device: one `gather` (a kernel that reads each
 *  output element where its index points, never a one-hot sum over the axis). */
function takeDynamic(x: Tracer, indices: Tracer, ax: number, mode: OutOfBoundsMode, fill: number): Tracer {
  if (indices.dtype !== "int32") {
    throw new JitScopeError("dtype", `take: indices must be int32, got ${avalText(indices.aval)}`);
  }
  const n = x.aval.shape[ax]!;
  if (mode === "clip") return bind1("gather", { axis: ax }, [x, clampInto(indices, n)]);
  if (mode === "wrap") {
    return bind1("gather", { axis: ax }, [x, mod(indices, n)]);
  }
  const read = bind1("gather", { axis: ax }, [x, wrapNegative(indices, n)]);
  // Inside after wrapping ⇔ −n ≤ index < n, tested on the indices spread to the result's shape
  // so that the test fuses into the gather's kernel.
  const spread = bind1("broadcast", { shape: read.shape, dims: indices.shape.map((_, k) => ax + k) }, [indices]);
  return filled(read, indexInside(bind1("add", {}, [spread, lit(n, "int32")]), 2 * n), ax, fill);
}

/** Negative indices count from the end (once), as NumPy's. */
export function wrapNegative(indices: Tracer, n: number): Tracer {
  return bind1("where", {}, [
    bind1("lt", {}, [indices, lit(0, "int32")]),
    bind1("add", {}, [indices, lit(n, "int32")]),
    indices,
  ]);
}

/**
 * np.take_along_axis(a, indices, axis): out[..., j, ...] = a[..., indices[..., j, ...], ...].
 * `indices` (int32) has a's rank; its other axes broadcast against a's. axis null: both flattened.
 * One gather from the flattened array, its flat offsets computed in the same kernel.
 */
export function take_along_axis(
  a: ArrayLike,
  indices: Tracer,
  axis: number | null = -1,
  options: TakeOptions = {},
): Tracer {
  checkOptions("take_along_axis", options, READ_OPTIONS);
  const mode = checkMode("take_along_axis", options.mode, ["fill", "clip"], "fill");
  let x = asTracer("take_along_axis", a);
  if (!(indices instanceof Tracer) || indices.dtype !== "int32") {
    throw new JitScopeError(
      "dtype",
      `take_along_axis: indices must be an int32 array, got ${indices instanceof Tracer ? avalText(indices.aval) : typeof indices}`,
    );
  }
  let idx = indices;
  if (axis === null) {
    x = reshape(x, [-1]);
    idx = reshape(idx, [-1]);
    axis = 0;
  }
  if (idx.ndim !== x.ndim) {
    throw new JitScopeError(
      "shape",
      `take_along_axis: indices ${avalText(idx.aval)} must have the rank of the array ${avalText(x.aval)}`,
    );
  }
  const ax = normalizeAxis("take_along_axis", axis, x.ndim, x.aval.shape);
  const shape = x.shape.map((d, k) => {
    if (k === ax) return idx.shape[k]!;
    const e = idx.shape[k]!;
    if (d !== e && d !== 1 && e !== 1) {
      throw new JitScopeError(
        "shape",
        `take_along_axis: indices ${avalText(idx.aval)} and array ${avalText(x.aval)} do not broadcast on axis ${k}`,
      );
    }
    return Math.max(d, e);
  });
  const n = x.shape[ax]!;
  const wrapped = wrapNegative(idx, n);
  const i = bind1("broadcast", { shape, dims: shape.map((_, k) => k) }, [
    mode === "clip" ? clampInto(wrapped, n) : wrapped,
  ]);
  const strides = stridesOf(x.shape);
  let flat: Tracer = bind1("mul", {}, [i, lit(strides[ax]!, "int32")]);
  shape.forEach((_, k) => {
    if (k === ax || x.shape[k] === 1) return;
    const coord = bind1("iota", { shape, axis: k, dtype: "int32" }, []);
    flat = bind1("add", {}, [flat, bind1("mul", {}, [coord, lit(strides[k]!, "int32")])]);
  });
  if (mode === "clip") return bind1("gather", { axis: 0 }, [reshape(x, [-1]), flat]);
  const inside = indexInside(i, n);
  flat = bind1("where", {}, [inside, flat, lit(-1, "int32")]);
  const read = bind1("gather", { axis: 0 }, [reshape(x, [-1]), flat]);
  return filled(read, inside, 0, fillValue("take_along_axis", x.dtype, options.fill_value));
}
