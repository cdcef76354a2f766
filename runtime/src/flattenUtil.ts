// `flatten_util.ravel_pytree`, as JAX's: a pytree's leaves raveled and concatenated into one
// vector of their common dtype, and the function that cuts such a vector back into the tree
// (each piece reshaped and cast back to its leaf's dtype). For code that wants one vector of
// parameters: a Newton step, L-BFGS, a Hessian over all parameters, a flat optimizer state.

import { JitScopeError } from "./ir/errors.js";
import type { DType } from "./ir/types.js";
import * as np from "./np.js";
import type { Tracer } from "./trace/core.js";
import * as tree from "./tree.js";

/** [flat, unravel]: `flat` holds every leaf of `pytree` (numbers included), in leaf order;
 *  `unravel(v)` rebuilds the tree from a vector of flat's shape and dtype. */
export function ravel_pytree<T>(pytree: T): [Tracer, (flat: np.ArrayLike) => T] {
  const [leaves, treedef] = tree.flatten(pytree);
  const arrays = leaves.map((l) => np.asarray(l));
  const dtype: DType = arrays.length === 0 ? "float32" : np.result_type(...leaves);
  const shapes = arrays.map((a) => a.shape);
  const dtypes = arrays.map((a) => a.dtype);
  const sizes = arrays.map((a) => a.size);
  const total = sizes.reduce((a, b) => a + b, 0);
  const pieces = arrays.map((a) => np.reshape(a.dtype === dtype ? a : np.astype(a, dtype), [-1]));
  const flat =
    pieces.length === 0 ? np.zeros([0], { dtype }) : pieces.length === 1 ? pieces[0]! : np.concatenate(pieces);
  const unravel = (v: np.ArrayLike): T => {
    const vec = np.asarray(v);
    if (vec.shape.length !== 1 || vec.shape[0] !== total)
      throw new JitScopeError(
        "shape",
        `ravel_pytree's unravel expected an array of shape [${total}], got shape [${vec.shape.join(", ")}]`,
      );
    if (vec.dtype !== dtype)
      throw new JitScopeError(
        "value",
        `ravel_pytree's unravel was given an array of dtype ${vec.dtype} but expected dtype ${dtype}`,
      );
    const cuts: number[] = [];
    sizes.slice(0, -1).reduce((at, n) => (cuts.push(at + n), at + n), 0);
    const parts = cuts.length > 0 ? np.split(vec, cuts) : [vec];
    const out = parts.slice(0, arrays.length).map((p, i) => {
      const shaped = np.reshape(p, shapes[i]!);
      return dtypes[i] === dtype ? shaped : np.astype(shaped, dtypes[i]!);
    });
    return tree.unflatten<T>(treedef, out);
  };
  return [flat, unravel];
}
