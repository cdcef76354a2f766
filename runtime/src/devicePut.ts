// jax.device_put / device_get / block_until_ready, and the device list. device_put gives its
// argument as arrays on the current backend, leaf by leaf of a pytree (a number becomes a 0-d
// array; a list is a node, as in JAX), or a typed array whole: JAX ports call it to move NumPy
// data onto the accelerator; here there is one device, so it is np.asarray. device_get is the
// way back: every array leaf read into nested JS arrays (awaited: reading waits for the device).

import { currentBackend } from "./backend/select.js";
import { asarray } from "./np/arrayInfo.js";
import type { ArrayInput } from "./np/arrayInfo.js";
import { Tracer } from "./trace/core.js";
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

/** jax.device_get: `x` with every array leaf read back as nested JS arrays (a number for a 0-d
 *  array), the structure kept (registered classes included); numbers stay as they are. */
export async function device_get(x: unknown): Promise<unknown> {
  const [leaves, treedef] = tree.flatten(x);
  const values = await Promise.all(leaves.map((l) => (l instanceof Tracer ? l.toArray() : l)));
  return tree.unflatten(treedef, values);
}

/** jax.block_until_ready: resolves to `x` once every array in it has been computed. */
export async function block_until_ready<T>(x: T): Promise<T> {
  await Promise.all(tree.leaves(x).map((l) => (l instanceof Tracer ? l.blockUntilReady() : l)));
  return x;
}

/** One device, as jax.devices() lists them. */
export interface DeviceInfo {
  readonly id: 0;
  /** "webgpu" or "cpu" (the CPU reference backend), where JAX says "gpu" or "cpu". */
  readonly platform: string;
}

/** jax.devices() / local_devices(): the one device the current backend runs on. */
export function devices(): DeviceInfo[] {
  return [{ id: 0, platform: currentBackend().name }];
}

/** jax.default_backend(): the current backend's name, "webgpu" or "cpu". */
export function default_backend(): string {
  return currentBackend().name;
}
