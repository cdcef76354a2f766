// Basic indexing. Two forms (also as methods `a.slice(...)`, `a.take(...)`):
//
//   np.slice(a, starts, limits?, strides?)  a strided box, as Python's a[s0:l0:st0, s1:l1:st1, …]
//     `starts`/`limits`/`strides` list one entry per leading axis (shorter lists leave the
//     remaining axes whole); `null` means "from the start" / "to the end"; negative values count
//     from the end and out-of-range values clamp, as Python slices do; strides are positive.
//     np.slice(x, [1], [3]) (or np.slice(x, 1, 3)) is x[1:3]; np.slice(x, [null, 0], [null, null], [1, 2]) is x[:, ::2].
//
//   np.take(a, indices, axis?)  picks whole entries along `axis` (the flattened array when axis
//     is omitted), as NumPy's take: a number removes the axis, a list of numbers or an int32
//     Array of shape S replaces it with S. Negative indices count from the end. Static (JS)
//     indices must be in range; indices held in an Array that fall outside give 0 (JAX's default
//     fills NaN there). An index Array makes one `gather` kernel.
//
//   np.take_along_axis(a, indices, axis)  as NumPy's; also one gather.

import { JitScopeError } from "../ir/errors.js";
import { bind1, lit, Tracer } from "../trace/core.js";
import { concatenate, reshape } from "./shape.js";
import { asTracer, type ArrayLike } from "./promote.js";
import { avalText, normalizeAxis } from "./validate.js";
import { stridesOf } from "../ir/types.js";
import { array } from "./creation.js";

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

export function take(a: ArrayLike, indices: number | readonly number[] | Tracer, axis?: number | null): Tracer {
  let x = asTracer("take", a);
  if (axis === undefined || axis === null) {
    x = reshape(x, [-1]);
    axis = 0;
  }
  const ax = normalizeAxis("take", axis, x.ndim, x.aval.shape);
  const d = x.aval.shape[ax]!;
  if (indices instanceof Tracer) return takeDynamic(x, indices, ax);
  const list = typeof indices === "number" ? [indices] : [...indices];
  for (const raw of list) {
    if (typeof raw !== "number" || !Number.isInteger(raw) || raw < -d || raw >= d) {
      throw new JitScopeError(
        "value",
        `take: index ${String(raw)} is out of bounds for axis ${ax} of ${avalText(x.aval)} (size ${d})`,
      );
    }
  }
  // A list is one gather from a constant index array (not a slice per entry and a concatenate).
  if (typeof indices !== "number" && list.length > 1)
    return takeDynamic(
      x,
      array(
        list.map((i) => (i < 0 ? i + d : i)),
        { dtype: "int32" },
      ),
      ax,
    );
  const picked = list.map((raw) => {
    const i = raw < 0 ? raw + d : raw;
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
function takeDynamic(x: Tracer, indices: Tracer, ax: number): Tracer {
  if (indices.dtype !== "int32") {
    throw new JitScopeError("dtype", `take: indices must be int32, got ${avalText(indices.aval)}`);
  }
  return bind1("gather", { axis: ax }, [x, wrapNegative(indices, x.aval.shape[ax]!)]);
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
export function take_along_axis(a: ArrayLike, indices: Tracer, axis: number | null = -1): Tracer {
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
  const i = bind1("broadcast", { shape, dims: shape.map((_, k) => k) }, [wrapNegative(idx, n)]);
  const strides = stridesOf(x.shape);
  let flat: Tracer = bind1("mul", {}, [i, lit(strides[ax]!, "int32")]);
  shape.forEach((_, k) => {
    if (k === ax || x.shape[k] === 1) return;
    const coord = bind1("iota", { shape, axis: k, dtype: "int32" }, []);
    flat = bind1("add", {}, [flat, bind1("mul", {}, [coord, lit(strides[k]!, "int32")])]);
  });
  const inside = bind1("where", {}, [
    bind1("ge", {}, [i, lit(0, "int32")]),
    bind1("lt", {}, [i, lit(n, "int32")]),
    lit(0, "bool"),
  ]);
  flat = bind1("where", {}, [inside, flat, lit(-1, "int32")]);
  return bind1("gather", { axis: 0 }, [reshape(x, [-1]), flat]);
}
