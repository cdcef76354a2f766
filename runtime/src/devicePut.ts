// jax.device_put: its argument as arrays on the current backend, leaf by leaf of a pytree (a
// number becomes a 0-d array; a list is a node, as in JAX), or a typed array whole. JAX ports
// call it to move NumPy data onto the accelerator; here there is one device, so it is np.asarray.

import { asarray } from "./np/arrayInfo.js";
import type { ArrayInput } from "./np/arrayInfo.js";
import type { Tracer } from "./trace/core.js";
import * as tree from "./tree.js";

/** `T` with every leaf an array: numbers, booleans and typed arrays become Tracers. */
export type OnDevice<T> = T extends Tracer | number | boolean | ArrayBufferView
  ? Tracer
  : T extends readonly (infer E)[]
    ? OnDevice<E>[]
    : T extends object
      ? { [K in keyof T]: OnDevice<T[K]> }
      : T;

export function device_put<T>(x: T): OnDevice<T> {
  if (ArrayBuffer.isView(x)) return asarray(x as unknown as ArrayInput) as OnDevice<T>;
  return tree.map((leaf: ArrayInput) => asarray(leaf), x) as unknown as OnDevice<T>;
}
