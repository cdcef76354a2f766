// jnp.asarray, jnp.shape, jnp.ndim, jnp.size and jnp.isscalar: what JAX code calls on "an array or something
// like one" (a number, a nested list) instead of reading `.shape`, which a number lacks.

import { Tracer } from "../trace/core.js";
import { array, type DTypeOption, type NestedList, type TypedArrayInput } from "./creation.js";

export type ArrayInput = NestedList | TypedArrayInput | Tracer;

/** `np.asarray(a, { dtype })`: as `np.array`, and an array given back unchanged (cast if asked). */
export function asarray(a: ArrayInput, options: DTypeOption = {}): Tracer {
  return array(a, options);
}

/** `np.shape(a)`: the shape of an array, a number ([]) or a nested list. */
export function shape(a: ArrayInput): number[] {
  if (a instanceof Tracer) return a.shape;
  if (typeof a === "number" || typeof a === "boolean") return [];
  return array(a).shape;
}

/** `np.ndim(a)`: how many axes `np.shape(a)` has. */
export function ndim(a: ArrayInput): number {
  return shape(a).length;
}

/** `np.size(a)`: how many elements (1 for a number). */
export function size(a: ArrayInput): number {
  return shape(a).reduce((n, d) => n * d, 1);
}

/** `np.isscalar(x)`: a number or boolean, or an array with no axes, as jnp.isscalar. */
export function isscalar(x: unknown): boolean {
  if (typeof x === "number" || typeof x === "boolean") return true;
  return x instanceof Tracer && x.ndim === 0;
}
