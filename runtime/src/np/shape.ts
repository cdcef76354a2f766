// Shape functions: reshape (with -1), transpose, broadcast_to, expand_dims, squeeze (both are
// reshapes), concatenate, stack.

import { JitScopeError } from "../ir/errors.js";
import { bind1, Tracer } from "../trace/core.js";
import { asTracer, broadcastShapes, broadcastTo, cast, commonDType, type ArrayLike } from "./promote.js";
import { concatenateTree } from "../trace/wideConcat.js";
import { avalText, checkShape, normalizeAxes, normalizeAxis, product, sameShape, shapeText } from "./validate.js";

/** Reshape to `shape`; one entry may be -1 (inferred). Sizes must match. */
export function reshape(a: ArrayLike, shape: number | readonly number[]): Tracer {
  const x = asTracer("reshape", a);
  const dims = typeof shape === "number" ? [shape] : [...shape];
  const inferred = dims.filter((d) => d === -1).length;
  if (inferred > 1)
    throw new JitScopeError(
      "shape",
      `reshape: can only infer one dimension (-1), got ${shapeText(dims)} for ${avalText(x.aval)}`,
    );
  checkShape(
    "reshape",
    dims.map((d) => (d === -1 ? 0 : d)),
  );
  const known = product(dims.filter((d) => d !== -1));
  if (inferred === 1) {
    const i = dims.indexOf(-1);
    if (known === 0 || x.size % known !== 0) {
      throw new JitScopeError(
        "shape",
        `reshape: cannot reshape ${avalText(x.aval)} (size ${x.size}) into shape ${shapeText(dims)}`,
      );
    }
    dims[i] = x.size / known;
  } else if (known !== x.size) {
    throw new JitScopeError(
      "shape",
      `reshape: cannot reshape ${avalText(x.aval)} (size ${x.size}) into shape ${shapeText(dims)} (size ${known})`,
    );
  }
  return sameShape(dims, x.aval.shape) ? x : bind1("reshape", { shape: dims }, [x]);
}

/** Permutes axes (reverses them when `axes` is omitted); negative axes allowed. */
export function transpose(a: ArrayLike, axes?: readonly number[]): Tracer {
  const x = asTracer("transpose", a);
  const n = x.ndim;
  let perm: number[];
  if (axes === undefined) {
    perm = Array.from({ length: n }, (_, i) => n - 1 - i);
  } else {
    if (axes.length !== n) {
      throw new JitScopeError(
        "axis",
        `transpose: axes ${JSON.stringify(axes)} must list each of the ${n} axes of ${avalText(x.aval)} once`,
      );
    }
    perm = axes.map((ax) => normalizeAxis("transpose", ax, n, x.aval.shape));
    if (new Set(perm).size !== n) {
      throw new JitScopeError("axis", `transpose: axes ${JSON.stringify(axes)} repeat an axis of ${avalText(x.aval)}`);
    }
  }
  return perm.every((p, i) => p === i) ? x : bind1("transpose", { perm }, [x]);
}

/** Swaps the last two axes (what `a.mT` does in NumPy): used by matmul-shaped code. */
export function swapaxes(a: ArrayLike, axis1: number, axis2: number): Tracer {
  const x = asTracer("swapaxes", a);
  const i = normalizeAxis("swapaxes", axis1, x.ndim, x.aval.shape);
  const j = normalizeAxis("swapaxes", axis2, x.ndim, x.aval.shape);
  const perm = Array.from({ length: x.ndim }, (_, k) => (k === i ? j : k === j ? i : k));
  return transpose(x, perm);
}

/** NumPy broadcasting of `a` to `shape`. */
export function broadcast_to(a: ArrayLike, shape: number | readonly number[]): Tracer {
  const x = asTracer("broadcast_to", a);
  const dims = checkShape("broadcast_to", shape);
  const out =
    dims.length < x.ndim
      ? null
      : broadcastShapes("broadcast_to", [x.aval.shape, dims], () => [avalText(x.aval), shapeText(dims)]);
  if (!out || !sameShape(out, dims)) {
    throw new JitScopeError("shape", `broadcast_to: cannot broadcast ${avalText(x.aval)} to shape ${shapeText(dims)}`);
  }
  return broadcastTo(x, dims);
}

/** Inserts size-1 axes at `axis` (positions in the result; negative counts from the end). */
export function expand_dims(a: ArrayLike, axis: number | readonly number[]): Tracer {
  const x = asTracer("expand_dims", a);
  const list = typeof axis === "number" ? [axis] : [...axis];
  const outRank = x.ndim + list.length;
  const axes = normalizeAxes("expand_dims", list, outRank, x.aval.shape);
  const shape: number[] = [];
  let src = 0;
  for (let i = 0; i < outRank; i++) shape.push(axes.includes(i) ? 1 : x.aval.shape[src++]!);
  return bind1("reshape", { shape }, [x]);
}

/** Removes size-1 axes: the given ones (each must have size 1), or all of them. */
export function squeeze(a: ArrayLike, axis?: number | readonly number[]): Tracer {
  const x = asTracer("squeeze", a);
  let axes: number[];
  if (axis === undefined) {
    axes = x.shape.flatMap((d, i) => (d === 1 ? [i] : []));
  } else {
    axes = normalizeAxes("squeeze", axis, x.ndim, x.aval.shape);
    for (const i of axes) {
      if (x.aval.shape[i] !== 1) {
        throw new JitScopeError(
          "shape",
          `squeeze: cannot squeeze axis ${i} of ${avalText(x.aval)}: its size is ${x.aval.shape[i]}, not 1`,
        );
      }
    }
  }
  if (axes.length === 0) return x;
  return bind1("reshape", { shape: x.shape.filter((_, i) => !axes.includes(i)) }, [x]);
}

/** Joins arrays along an existing axis (default 0); dtypes promote; other axes must match. */
export function concatenate(arrays: readonly ArrayLike[], axis = 0): Tracer {
  if (!Array.isArray(arrays) || arrays.length === 0)
    throw new JitScopeError("value", "concatenate: needs a non-empty list of arrays");
  const xs = arrays.map((a) => asTracer("concatenate", a));
  const dtype = commonDType(xs);
  const first = xs[0]!;
  if (first.ndim === 0)
    throw new JitScopeError(
      "shape",
      `concatenate: zero-dimensional arrays cannot be concatenated (${avalText(first.aval)}); use np.stack`,
    );
  const ax = normalizeAxis("concatenate", axis, first.ndim, first.aval.shape);
  for (const x of xs) {
    const ok = x.ndim === first.ndim && x.shape.every((d, i) => i === ax || d === first.aval.shape[i]);
    if (!ok) {
      throw new JitScopeError(
        "shape",
        `concatenate: all shapes must match except on axis ${ax}: got ${xs.map((y) => avalText(y.aval)).join(", ")}`,
      );
    }
  }
  const cast1 = xs.map((x) => cast(x, dtype));
  return concatenateTree(cast1, ax);
}

/** Joins arrays of one shape along a new axis (default 0). An array stands for the list of its
 *  rows, as in NumPy: `np.stack(random.split(k, n))` is the key array itself, not n slices. */
export function stack(arrays: readonly ArrayLike[] | Tracer, axis = 0): Tracer {
  if (arrays instanceof Tracer) {
    if (arrays.ndim === 0)
      throw new JitScopeError("value", "stack: needs a list of arrays or an array of rows, got a scalar");
    const ax = normalizeAxis("stack", axis, arrays.ndim, arrays.aval.shape);
    if (ax === 0) return arrays;
    const perm = [...Array(arrays.ndim).keys()].slice(1);
    perm.splice(ax, 0, 0);
    return transpose(arrays, perm);
  }
  if (!Array.isArray(arrays) || arrays.length === 0)
    throw new JitScopeError("value", "stack: needs a non-empty list of arrays");
  const xs = arrays.map((a) => asTracer("stack", a));
  const first = xs[0]!;
  for (const x of xs) {
    if (!sameShape(x.aval.shape, first.aval.shape)) {
      throw new JitScopeError(
        "shape",
        `stack: all arrays must have the same shape: got ${xs.map((y) => avalText(y.aval)).join(", ")}`,
      );
    }
  }
  const ax = normalizeAxis("stack", axis, first.ndim + 1, first.aval.shape);
  return concatenate(
    xs.map((x) => expand_dims(x, ax)),
    ax,
  );
}

/** The array as 1-D. */
export const ravel = (a: ArrayLike): Tracer => reshape(a, [-1]);
