// np.unique with JAX's optional results (return_index, return_inverse, return_counts) and the
// Array API forms unique_values / unique_counts / unique_inverse / unique_all, as jnp computes
// them (jax/_src/numpy/setops.py): a stable argsort, a mask where each run of equal values starts,
// and from it the first index of each value, each element's value number (in the input's shape)
// and each value's count. `size` is required, as for unique's values (searching.ts): results
// past the number of distinct values are padded as JAX pads them (indices with the first sorted
// element's, counts with 0).

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import { full, zeros } from "./creation.js";
import * as ew from "./elementwise.js";
import { isnan, logical_and } from "./mathSurface.js";
import { asTracer, cast, type ArrayLike } from "./promote.js";
import { argsort, cumsum } from "./reduceSurface.js";
import { concatenate, reshape } from "./shape.js";
import { slice, take } from "./indexing.js";
import { diff } from "./series.js";
import { flatnonzero, requiredSize, unique as uniqueValuesOnly, type UniqueOptions } from "./searching.js";

export interface UniqueReturns {
  /** Also return the index of each value's first occurrence in the flattened input. */
  return_index?: boolean;
  /** Also return, in the input's shape, the number of each element's value among the results. */
  return_inverse?: boolean;
  /** Also return how many times each value occurs. */
  return_counts?: boolean;
}

/** The sorted distinct values of a, flattened (`size` of them), then the results asked for, in
 *  JAX's order: [values, index?, inverse?, counts?]. */
export function unique(a: ArrayLike, options?: UniqueOptions & NoReturns): Tracer;
export function unique(a: ArrayLike, options: UniqueOptions & UniqueReturns): Tracer | Tracer[];
export function unique(a: ArrayLike, options: UniqueOptions & UniqueReturns = {}): Tracer | Tracer[] {
  checkOptions("unique", options, [
    "size",
    "fill_value",
    "equal_nan",
    "return_index",
    "return_inverse",
    "return_counts",
  ]);
  const { return_index = false, return_inverse = false, return_counts = false, ...rest } = options;
  if (!return_index && !return_inverse && !return_counts) return uniqueValuesOnly(a, rest);
  return withResults("unique", a, rest, { return_index, return_inverse, return_counts });
}
type NoReturns = { return_index?: false; return_inverse?: false; return_counts?: false };

function withResults(op: string, a: ArrayLike, options: UniqueOptions, want: Required<UniqueReturns>): Tracer[] {
  const x = asTracer(op, a);
  const size = requiredSize(op, { size: options.size });
  const values = uniqueValuesOnly(x, { ...options, size });
  const flat = reshape(x, [-1]);
  const n = flat.shape[0]!;
  if (n === 0) throw new JitScopeError("value", `${op}: index, inverse and counts need a nonempty array`);
  const perm = argsort(flat, 0); // stable: the first of equal values keeps the smallest index
  const s = take(flat, perm, 0);
  let fresh = ew.not_equal(slice(s, [1], [n]), slice(s, [0], [n - 1]));
  if (options.equal_nan !== false && s.dtype === "float32")
    fresh = logical_and(fresh, ew.logical_not(logical_and(isnan(slice(s, [1], [n])), isnan(slice(s, [0], [n - 1])))));
  const starts = concatenate([full([1], true), fresh]);
  const out = [values];
  if (want.return_index) out.push(take(perm, flatnonzero(starts, { size }), 0));
  if (want.return_inverse) {
    const number = ew.subtract(cumsum(cast(starts, "int32")), 1);
    out.push(reshape(zeros([n], { dtype: "int32" }).at(perm).set(number), x.shape));
  }
  if (want.return_counts) {
    // Run starts, padded past the last with n: their differences are the counts (0 past the end).
    const at = flatnonzero(starts, { size: size + 1 });
    const ends = ew.where(ew.greater(at, 0), at, n);
    const bounds = concatenate([slice(at, [0], [1]), slice(ends, [1], [size + 1])]);
    out.push(diff(bounds));
  }
  return out;
}

/** unique_values(x, { size, fill_value }): the distinct values, each NaN its own (as JAX's). */
export function unique_values(x: ArrayLike, options: { size?: number; fill_value?: number } = {}): Tracer {
  checkOptions("unique_values", options, ["size", "fill_value"]);
  return uniqueValuesOnly(x, { ...options, equal_nan: false });
}

/** unique_counts(x, { size, fill_value }): { values, counts }. */
export function unique_counts(x: ArrayLike, options: { size?: number; fill_value?: number } = {}) {
  checkOptions("unique_counts", options, ["size", "fill_value"]);
  const [values, counts] = withResults("unique_counts", x, { ...options, equal_nan: false }, flags(false, false, true));
  return { values: values!, counts: counts! };
}

/** unique_inverse(x, { size, fill_value }): { values, inverse_indices } (the latter x's shape). */
export function unique_inverse(x: ArrayLike, options: { size?: number; fill_value?: number } = {}) {
  checkOptions("unique_inverse", options, ["size", "fill_value"]);
  const [values, inverse] = withResults(
    "unique_inverse",
    x,
    { ...options, equal_nan: false },
    flags(false, true, false),
  );
  return { values: values!, inverse_indices: inverse! };
}

/** unique_all(x, { size, fill_value }): { values, indices, inverse_indices, counts }. */
export function unique_all(x: ArrayLike, options: { size?: number; fill_value?: number } = {}) {
  checkOptions("unique_all", options, ["size", "fill_value"]);
  const [values, indices, inverse, counts] = withResults(
    "unique_all",
    x,
    { ...options, equal_nan: false },
    flags(true, true, true),
  );
  return { values: values!, indices: indices!, inverse_indices: inverse!, counts: counts! };
}

const flags = (return_index: boolean, return_inverse: boolean, return_counts: boolean) => ({
  return_index,
  return_inverse,
  return_counts,
});
