// The user-facing eager API, `np`: NumPy/JAX names over the primitives of ir/types.ts, with
// broadcasting and dtype promotion done here, before `bind`. Split by concern under np/:
// creation, elementwise, reductions, shape, indexing (np.slice / np.take, documented there),
// linalg. Importing this module also installs the array methods (np/methods.ts).
// index.ts exposes it as `np` (`export * as np from "./np.js"`).

import "./np/methods.js";

export type { ArrayLike } from "./np/promote.js";
export type { AxisArg, ReduceOptions } from "./np/reductions.js";
export type { DTypeOption, NestedList, TypedArrayInput } from "./np/creation.js";
export { array, zeros, ones, full, zeros_like, ones_like, arange, linspace, eye } from "./np/creation.js";
export {
  add, subtract, multiply, divide, power, maximum, minimum,
  negative, abs, square, sqrt, exp, log, sin, cos, tanh, sign, logical_not,
  greater, greater_equal, less, less_equal, equal, not_equal,
  where, astype,
} from "./np/elementwise.js";
export { sum, mean, max, min, argmax, argmin } from "./np/reductions.js";
export { reshape, transpose, swapaxes, broadcast_to, expand_dims, squeeze, concatenate, stack, ravel } from "./np/shape.js";
export { slice, take, take_along_axis } from "./np/indexing.js";
export type { IndexEntry, SliceSpec, AtIndex } from "./np/at.js";
export { matmul, dot } from "./np/linalg.js";
export { promoteTypes as promote_types } from "./np/promote.js";
